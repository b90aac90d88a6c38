// Package partners finds a map's critical partners: for every vendor, the
// functions its outage alone halts (one sweep over the compiled circuit),
// single points of failure per function, hidden shared suppliers (fourth
// parties that are single points of failure only through other vendors),
// and concentration on ultimate parent companies. It returns plain values.
package partners

import "github.com/lifeboat-dev/lifeboat/graph"

// Options choose how the analysis runs.
type Options struct {
	Fallbacks bool // count fallbacks as keeping their node up
}

// Report is the outcome of Analyze. Every list is deterministic.
type Report struct {
	// SinglePointsOfFailure lists every function with at least one vendor
	// whose outage alone halts it, by tier (core first), then id.
	SinglePointsOfFailure []SPOF
	// CriticalPartners lists every vendor that halts at least one function
	// alone, ranked: core functions halted, then important, then impact per
	// hour (all descending), then id.
	CriticalPartners []Partner
	// HiddenSuppliers lists vendors that halt some function alone only
	// through other vendors' requirements, sorted like CriticalPartners.
	HiddenSuppliers []Hidden
	// Concentration lists ultimate suppliers (a vendor's parent, else the
	// vendor itself) with the core functions that depend on them, most
	// first, then by name.
	Concentration []Concentration
}

// SPOF is one function's single points of failure.
type SPOF struct {
	Function string
	Name     string
	Tier     graph.Tier
	Vendors  []string // sorted ids
}

// Partner is one vendor whose outage alone halts functions.
type Partner struct {
	Vendor                     string
	Name                       string
	Halts                      []string // function ids, sorted
	Core, Important, Supporting int     // halted functions per tier
	ImpactPerHour              float64  // sum over halted functions
	// Hidden: the vendor halts some function only through other vendors.
	Hidden bool
	// Via: the suppliers between the function and this vendor on the
	// chain shown for a hidden supplier (direct vendor first); empty when
	// not hidden.
	Via []string
	// Probability of the vendor's major outage in a year, nil if unknown.
	Probability *float64
}

// Hidden is a shared supplier reached only through other vendors.
type Hidden struct {
	Vendor  string
	Name    string
	Through []string // direct vendors (required by a function or system) that depend on it, sorted
	Halts   []string // functions it halts alone only through vendors, sorted
	// Chains: for each halted function, one supply chain from the
	// function to the vendor: ["payments", "card-processor", "edr-agent"].
	Chains [][]string
}

// Concentration is the exposure to one ultimate supplier.
type Concentration struct {
	Parent  string   // the parent company, or the vendor id when it has none
	Vendors []string // vendors under it, sorted
	// CoreDependent: core functions that depend on any of its vendors,
	// directly or transitively, sorted.
	CoreDependent []string
	// CoreHalted: core functions halted when all its vendors fail at once,
	// sorted.
	CoreHalted []string
}
