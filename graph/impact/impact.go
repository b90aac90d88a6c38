// Package impact computes what fails when given nodes fail: the static down
// set of a scenario (least fixpoint, design.md) with the chain that brought
// each function down, and the blast radius of every single event at once.
// It reads the model and returns plain values; it prints nothing.
package impact

import "github.com/lifeboat-dev/lifeboat/graph"

// Options choose how a scenario is evaluated.
type Options struct {
	// Fallbacks: a node with fallbacks stays up while a fallback's own
	// requirement holds.
	Fallbacks bool
}

// Result is the static outcome of one scenario.
type Result struct {
	Failed    []string // the scenario's failed ids, sorted
	Fallbacks bool
	Down      []string         // every down node id (not gates), sorted
	Functions []FunctionResult // every function of the map, sorted by id
}

// FunctionResult is one function's state under a scenario.
type FunctionResult struct {
	ID            string
	Name          string
	Tier          graph.Tier
	ImpactPerHour float64
	Down          bool
	// Because is the chain from the function to a failed node, the
	// function first: ["retail-payments", "core-banking", "cloud-eu-west"].
	// Empty when the function is up.
	Because []string
}

// UnknownNodeError is returned when a scenario names ids not in the map.
type UnknownNodeError struct {
	IDs         []string // sorted
	Suggestions map[string]string
}
