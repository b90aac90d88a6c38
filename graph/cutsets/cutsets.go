package cutsets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// EventKind chooses which nodes are basic events: the nodes whose own
// failure a cut set lists. Every other node fails only through its
// requirement.
type EventKind uint8

// The event kinds.
const (
	Vendors  EventKind = iota // vendors (the default)
	Systems                   // systems
	AllNodes                  // every function, system and vendor
)

// String returns "vendors", "systems" or "all".
func (k EventKind) String() string {
	switch k {
	case Vendors:
		return "vendors"
	case Systems:
		return "systems"
	case AllNodes:
		return "all"
	}
	return fmt.Sprintf("events(%d)", uint8(k))
}

// ParseEventKind maps "vendors", "systems" and "all" to an EventKind.
func ParseEventKind(s string) (EventKind, bool) {
	switch strings.ToLower(s) {
	case "vendors", "vendor":
		return Vendors, true
	case "systems", "system":
		return Systems, true
	case "all":
		return AllNodes, true
	}
	return 0, false
}

func (k EventKind) has(kind graph.Kind) bool {
	switch k {
	case Vendors:
		return kind == graph.KindVendor
	case Systems:
		return kind == graph.KindSystem
	case AllNodes:
		return true
	}
	return false
}

// DefaultMaxNodes is the decision-diagram node budget when
// Options.MaxNodes is zero (about 0.5 GiB of diagrams).
const DefaultMaxNodes = 1 << 24

// Options choose what Analyze computes.
type Options struct {
	// MaxOrder is the largest cut set order (number of events) listed and
	// counted; 0 means every order.
	MaxOrder int
	// Events chooses the basic events.
	Events EventKind
	// CountOnly leaves Target.CutSets nil; counts, probabilities and
	// importance are computed as usual.
	CountOnly bool
	// Limit, when positive, lists at most this many cut sets per target
	// (the first in the documented order) and sets Target.Truncated when
	// there are more. Counts are always complete.
	Limit int
	// Top, when positive, lists only the Top most probable minimal cut
	// sets, most probable first (ties by order, then ids), when the
	// target's probabilities are known; Limit does not apply then.
	// Without probabilities it lists the first Top sets, as Limit does.
	Top int
	// Importance computes Target.Importance when probabilities are known.
	Importance bool
	// NoProbability skips every probability (they stay nil): on very
	// large maps the exact probability's BDD costs far more than the cut
	// sets.
	NoProbability bool
	// Method chooses the cut-set algorithm; the zero value is Auto.
	Method Method
	// MaxNodes bounds the decision-diagram nodes made for one target (BDD
	// and ZBDD alike); 0 means DefaultMaxNodes. When the cut sets need
	// more, Analyze fails with ErrTooLarge; when only the exact
	// probability does, it is left out with a note.
	MaxNodes int
}

// Result is the analysis of one circuit.
type Result struct {
	Events    EventKind
	Fallbacks bool // whether the circuit was compiled with fallbacks
	MaxOrder  int
	Targets   []Target // in the order asked
	Stats     Stats
}

// Stats describe the work done, for benchmarks and diagnostics.
type Stats struct {
	Variables int // basic events in the targets' cones
	BDDNodes  int // BDD nodes made (failure functions)
	ZBDDNodes int // ZBDD nodes made (minimal cut sets)
}

// Target is the analysis of one target node.
type Target struct {
	ID       string
	MaxOrder int
	// Counts is the number of minimal cut sets of each order: every order
	// from 1 to MaxOrder (to the largest order present when MaxOrder is
	// 0), zero counts included. An order-0 entry appears only when the
	// target fails with no event at all.
	Counts map[int]int64
	// Total is the sum of Counts.
	Total int64
	// CutSets lists the minimal cut sets of order at most MaxOrder: by
	// order, then lexicographically by ids (by probability with
	// Options.Top); ids inside a set are sorted. Empty, not nil, when there
	// are none; nil with Options.CountOnly.
	CutSets [][]string
	// Truncated reports that Options.Limit or Options.Top cut the list
	// short.
	Truncated bool
	// SetProbabilities[i] is the probability that every event of
	// CutSets[i] occurs (the product); nil without probabilities.
	SetProbabilities []float64

	// The probability fields are nil unless every basic event the target
	// depends on has a probability.
	//
	// Probability is the exact probability that the target fails, from
	// the BDD of its failure function.
	Probability *float64
	// RareEvent is the rare-event approximation: the sum of the
	// probabilities of the minimal cut sets of order at most MaxOrder.
	RareEvent *float64
	// MinCutUpperBound is 1 − Π(1 − P(C)) over the same cut sets. It is
	// nil when they are not all listed (CountOnly, Limit, Top) and there
	// are more than 10⁶ of them.
	MinCutUpperBound *float64
	// Notes say what could not be computed, and why.
	Notes []string
	// Importance has one entry per basic event the target depends on,
	// sorted by id; nil unless Options.Importance is set and Probability
	// is known.
	Importance []Importance
}

// Importance holds the importance measures of one basic event e for a
// target T, all from exact probabilities: P = P(T), P1 = P(T | e occurs),
// P0 = P(T | e does not occur).
type Importance struct {
	Event       string
	Probability float64 // P(e)
	// Birnbaum (marginal importance) is P1 − P0.
	Birnbaum float64
	// FussellVesely is 1 − P0/P: the share of the risk that needs e (the
	// "criticality" importance of SCRAM). 0 when P is 0.
	FussellVesely float64
	// Diagnosis is P(e | T) = P(e)·P1/P. 0 when P is 0.
	Diagnosis float64
	// RAW (risk achievement worth) is P1/P; 1 when P is 0.
	RAW float64
	// RRW (risk reduction worth) is P/P0; +Inf when P0 is 0 and P is
	// not, 1 when both are 0.
	RRW float64
}

// DefaultTargets returns the core functions of c's map in vertex (id)
// order, or every function when none is core.
func DefaultTargets(c *graph.Circuit) []int32 {
	var core, all []int32
	for i, n := range c.Map.Nodes {
		if n.Kind != graph.KindFunction {
			continue
		}
		all = append(all, int32(i))
		if n.Tier == graph.TierCore {
			core = append(core, int32(i))
		}
	}
	if len(core) > 0 {
		return core
	}
	return all
}

// Method chooses how minimal cut sets are computed. Both are exact.
type Method uint8

// The methods.
const (
	// Auto uses CutOff when MaxOrder is positive and BDD otherwise.
	Auto Method = iota
	// BDD builds each target's failure function as a BDD and extracts the
	// minimal cut sets with Rauzy's minsol, the order bound applied inside
	// the recursion. Robust for every order on fault-tree-like structures;
	// the BDD may grow large on big, densely shared maps.
	BDD
	// CutOff builds the ZBDD of the minimal cut sets of every vertex
	// bottom-up, keeping only sets of order ≤ MaxOrder at each step (the
	// "cut-off"), so low orders stay cheap on maps of any size.
	CutOff
)

// String returns "auto", "bdd" or "cutoff".
func (m Method) String() string {
	switch m {
	case Auto:
		return "auto"
	case BDD:
		return "bdd"
	case CutOff:
		return "cutoff"
	}
	return fmt.Sprintf("method(%d)", uint8(m))
}

// Analyze computes the minimal cut sets of each target node (a vertex
// below c.NumNodes) over the basic events opt.Events selects, their counts
// by order and, when every event the target depends on has a
// probability, the exact probability that it fails and the importance of
// each event.
//
// The failure function of a vertex v over the events is
//
//	F(v) = [v is an event] ∨ (more than |in(v)| − K(v) of v's inputs fail)
//
// which is the compiled circuit's rule; with cycles it is the least
// fixpoint of these equations (a cycle fails only when failures from
// outside bring it down; see design.md), as graph.State.Propagate
// computes. Functions are built in the order of the circuit's strongly
// connected components, suppliers first; inside a cyclic component they
// are iterated from "nothing fails" until none changes, which canonical
// decision diagrams make a node-identity test. With the cut-off method the
// iteration runs on the truncated families, which is exact because the
// sets of order ≤ L of an or or an and depend only on the sets of order
// ≤ L of its inputs. A target is never an event of its own cut sets: with
// AllNodes, F(target) is taken with the target's own event false, and so
// is its probability.
//
// For each target, its single points of failure S1 come first, from one
// bitset pass shared by all targets. Since F = (∨S1) ∨ F|S1=0, the other
// minimal cut sets are exactly those of F|S1=0, and
// P(F) = 1 − Π(1 − p(e))·(1 − P(F|S1=0)) over e in S1; every diagram is
// built for F|S1=0, which on dependency maps (where most events are
// single points of failure of the functions they reach) is far smaller
// than F. The minimal cut sets are a ZBDD made by opt.Method (see
// Method), their counts and probability sums come from it, the exact
// probability from a BDD by Shannon decomposition, and the importance
// measures from one top-down pass over that BDD.
//
// BDD variables are ordered by first appearance in a depth-first walk
// from the targets, taking a vertex's inputs in order, or taking first
// the inputs that have inputs of their own; neither suits every
// structure, so for each target the two orders race under a node budget
// that grows fourfold per round until one finishes.
//
// When the BDD for a probability would pass opt.MaxNodes, the probability
// is left nil and Target.Notes says so; the cut sets are still exact.
// The error is ErrTooLarge when the cut sets themselves need more nodes,
// ctx's error when it is done, or a bad target or option.
func Analyze(ctx context.Context, c *graph.Circuit, targets []int32, opt Options) (*Result, error) {
	if opt.MaxOrder < 0 {
		return nil, fmt.Errorf("cut sets: maximum order %d; use 0 for every order or a positive number", opt.MaxOrder)
	}
	seen := map[int32]bool{}
	for _, t := range targets {
		if t < 0 || int(t) >= c.NumNodes {
			return nil, fmt.Errorf("cut sets: target %d is not a node", t)
		}
		if seen[t] {
			return nil, fmt.Errorf("cut sets: target %q given twice", c.Map.Nodes[t].ID)
		}
		seen[t] = true
	}
	limit := opt.MaxNodes
	if limit <= 0 {
		limit = DefaultMaxNodes
	}
	if opt.Method == Auto {
		opt.Method = BDD
		if opt.MaxOrder > 0 {
			opt.Method = CutOff
		}
	}
	// No variable order suits every structure: race the two orders under
	// a BDD node budget that grows fourfold per round, target by target,
	// so that the cost stays within a small factor of the better order's.
	// The results are ids and numbers, the same whatever the order.
	comps := c.SCCs()
	var engines [2]*engine
	res := &Result{Events: opt.Events, Fallbacks: c.Fallbacks, MaxOrder: opt.MaxOrder}
	// Neighbouring targets tend to be alike: start with the order that
	// won the last race, and a budget twice what it used.
	first, used := 0, 0
	for i, t := range targets {
		var tr *Target
		for budget := min(max(firstBudget, 2*used), limit); tr == nil; budget = min(budget*4, limit) {
			for j := 0; j < 2 && tr == nil; j++ {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				k := first ^ j
				if engines[k] == nil {
					engines[k] = newEngine(ctx, c, opt, limit, comps, targets, k == 1)
				}
				e := engines[k]
				var err error
				tr, err = e.target(i, t, budget, budget >= limit && j == 1)
				if err != nil && !errors.Is(err, errRetry) {
					return nil, err
				}
				if tr != nil {
					first, used = k, e.used
				}
			}
		}
		res.Targets = append(res.Targets, *tr)
	}
	for _, e := range engines {
		if e != nil {
			res.Stats.Variables = len(e.vertexOf)
			res.Stats.BDDNodes += e.bddNodes + len(e.b.nodes)
			res.Stats.ZBDDNodes += e.zddNodes + len(e.z.nodes)
		}
	}
	return res, nil
}

// firstBudget is the BDD node budget of a target's first round of
// orders.
const firstBudget = 1 << 17
