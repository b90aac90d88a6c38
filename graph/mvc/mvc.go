package mvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// Objective is what the supply set minimises.
type Objective uint8

// The objectives.
const (
	// MinVendors minimises the number of vendors. Of the sets with the
	// fewest, the canonical one (see Supply) is the cheapest, by the
	// same cost as MinCost (see Options.CostAttr).
	MinVendors Objective = iota
	// MinCost minimises the vendors' summed cost (see Options.CostAttr),
	// then, among sets of equal cost, their number.
	MinCost
)

func (o Objective) String() string {
	if o == MinCost {
		return "cost"
	}
	return "vendors"
}

// ParseObjective maps "vendors" and "cost" (any case) to an Objective.
func ParseObjective(s string) (Objective, bool) {
	switch strings.ToLower(s) {
	case "vendors":
		return MinVendors, true
	case "cost":
		return MinCost, true
	}
	return MinVendors, false
}

// DefaultMaxTies is how many tying alternatives Analyze lists when
// Options.MaxTies is 0.
const DefaultMaxTies = 10

// Options choose what Analyze computes and how long it may search.
type Options struct {
	// Functions are the ids of the functions that must keep running. Nil
	// or empty: every core function of the map.
	Functions []string
	// Fallbacks: a node with fallbacks is up when its own requirement or
	// a fallback's holds (graph.CompileOptions.Fallbacks).
	Fallbacks bool
	// Minimize is the supply set's objective.
	Minimize Objective
	// CostAttr names the vendor attribute (Node.Attrs) that holds a
	// vendor's cost; "" uses the contract's annual_fee. A vendor without
	// one costs 0 and is listed in Supply.Unpriced. With MinCost, a value
	// that is not a number, or is negative, is an error (*CostError).
	CostAttr string
	// TimeLimit stops the supply search after this long; 0 is no limit.
	// A stopped search reports the best set found and its gap.
	TimeLimit time.Duration
	// MaxNodes stops the supply search after this many search nodes
	// (evaluations of a partial choice); 0 is no limit. Unlike TimeLimit
	// it gives the same result on every run.
	MaxNodes int64
	// MaxTies is how many tying alternatives to list; 0 means
	// DefaultMaxTies and a negative value none.
	MaxTies int
}

// Result is the minimum viable company of a map.
type Result struct {
	// Targets are the ids of the functions that must keep running
	// (Options.Functions, or every core function), sorted.
	Targets []string
	// Functions is the MVC function set: the targets and every function
	// they need, sorted by id.
	Functions []Function
	// Supply is the smallest vendor set that keeps the MVC up: every
	// target, and so every Required function; Alternative functions only
	// as far as the targets need them.
	Supply Supply
	// Shed lists what no target depends on.
	Shed Shed
}

// Reason says why a function is in the MVC.
type Reason uint8

// The reasons.
const (
	// Core: the function is a target.
	Core Reason = iota + 1
	// Required: its failure alone halts a target.
	Required
	// Alternative: a target's requirements reach it, but only through a
	// redundancy group (any, atleast) or a fallback: some way of keeping
	// every target up does without it.
	Alternative
)

func (r Reason) String() string {
	switch r {
	case Core:
		return "core"
	case Required:
		return "required"
	case Alternative:
		return "alternative"
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Function is one function of the MVC.
type Function struct {
	ID     string
	Name   string // the function's label: its name, else its id
	Tier   graph.Tier
	Reason Reason
	// Via is the chain of node ids from the target that needs the
	// function (first) to the function itself (last): for Required, the
	// chain along which its failure halts that target (the first target
	// by id it halts); for Alternative, a shortest chain of requirements
	// from the first target by id that reaches it; [ID] for a target.
	Via []string
}

// Supply is the smallest set of vendors that keeps the MVC up, the proof
// of how small it is, and the sets that tie with it.
type Supply struct {
	Minimize Objective
	// Vendors is the chosen supply set, sorted by id. When Optimal and
	// Canonical, it is the canonical optimal set: for MinVendors, of the
	// sets with the fewest vendors, those of the lowest Cost, and of
	// them the lexicographically smallest (the sorted id lists compared
	// item by item); for MinCost, of the sets of the lowest cost, those
	// with the fewest vendors, and of them the lexicographically
	// smallest.
	Vendors []Vendor
	// Value is what was minimised: len(Vendors) for MinVendors, Cost for
	// MinCost.
	Value float64
	// Cost is the summed cost of Vendors, whatever the objective.
	Cost float64
	// Optimal: the search completed, so no supply set has a smaller Value
	// (for MinCost: a smaller cost, or an equal cost and fewer vendors).
	Optimal bool
	// Canonical: Vendors is the canonical optimal set (see Vendors).
	// False when a limit stopped the search before it was found.
	Canonical bool
	// LowerBound: no supply set has a smaller Value. It equals Value when
	// Optimal.
	LowerBound float64
	// Gap is (Value − LowerBound) / Value, 0 when Value is 0.
	Gap float64
	// Ties lists other optimal supply sets, each as a change to Vendors:
	// for MinVendors, every other set with as few vendors, whatever its
	// cost; for MinCost, every other set of the same cost and number of
	// vendors. Vendors splits into independent groups of choices; each
	// tie changes one group, and ties of different groups combine freely:
	// applying one tie of each of several groups gives another optimal
	// set. They are sorted by group, then in the canonical order of the
	// sets they give (for MinVendors the cheapest first, then
	// lexicographically). At most Options.MaxTies are listed in all; when
	// a group has more alternatives than fit, the ones listed are the
	// first the search found (the same on every run), not necessarily the
	// first in that order. A group whose canonical set a limit kept the
	// search from finding lists none.
	Ties []Tie
	// TiesComplete: Ties lists every alternative, so every optimal set is
	// Vendors with at most one tie per group applied.
	TiesComplete bool
	// Unpriced lists the vendors that are candidates for the supply set
	// but have no cost (they count as 0), sorted.
	Unpriced []string
	Stats    Stats
}

// Vendor is one vendor of a supply set.
type Vendor struct {
	ID   string
	Name string // the vendor's label
	Cost float64
	// Required: the vendor is in every supply set, since its failure alone
	// halts a target.
	Required bool
}

// Tie turns the chosen supply set into another optimal one: take Out
// away and add In.
type Tie struct {
	Group int // the group of choices it changes, numbered from 1 among the groups with ties
	Out   []string
	In    []string
}

// Stop says why a search ended.
type Stop uint8

// The reasons a search ends.
const (
	Completed Stop = iota // the search ran to the end
	TimeLimit             // Options.TimeLimit ran out
	NodeLimit             // Options.MaxNodes ran out
	Canceled              // the context was canceled
)

func (s Stop) String() string {
	switch s {
	case TimeLimit:
		return "time limit"
	case NodeLimit:
		return "node limit"
	case Canceled:
		return "canceled"
	}
	return "completed"
}

// Stats describe the supply search.
type Stats struct {
	// Candidates is the number of vendors some target depends on.
	Candidates int
	// Forced is the number of vendors every target's requirements name
	// through lists alone, taken without search.
	Forced int
	// Groups is the number of independent groups of choices left after
	// that; Open the vendors in them.
	Groups, Open int
	// Nodes is the number of search nodes evaluated.
	Nodes int64
	// Stopped says why the search ended.
	Stopped Stop
}

// Shed lists the nodes outside every MVC supply path: no target depends
// on them, directly or transitively, through any requirement (or, with
// fallbacks, any fallback's requirement). Each list is sorted by id.
type Shed struct {
	Functions []string
	Systems   []string
	Vendors   []string
}

// CostError reports a vendor cost that is not a non-negative number.
type CostError struct {
	Vendor string
	Attr   string // the attribute read, or "annual_fee"
	Value  string
}

func (e *CostError) Error() string {
	return fmt.Sprintf("vendor %q: %s %q is not a cost; write a number, 0 or more", e.Vendor, e.Attr, e.Value)
}

// NotFunctionError reports a target that is not a function.
type NotFunctionError struct {
	ID   string
	Kind graph.Kind
}

func (e *NotFunctionError) Error() string {
	return fmt.Sprintf("%q is a %s, not a function; the MVC is made of functions", e.ID, e.Kind)
}

// ErrUnsatisfiable is returned when a requirement the targets depend on
// can never hold, even with every node up: a group needing more items
// than it lists, which only maps not built by graph.Builder can have.
var ErrUnsatisfiable = errors.New("mvc: a requirement can never hold, even with every node up")

var errNilMap = errors.New("mvc: no map")

// Analyze computes the minimum viable company of m: the MVC function set,
// the smallest supply set with its proof of optimality and its ties, and
// what can be shed. It compiles m first.
//
// The supply set is found by an exact branch and bound (see Supply): it
// is optimal when the search completes, and the limits of opt stop it
// with the best set found, a lower bound and the gap. ctx cancels the
// search the same way. Errors: a nil map, unknown target ids
// (*impact.UnknownNodeError), targets that are not functions
// (*NotFunctionError), bad costs with MinCost (*CostError) and
// ErrUnsatisfiable.
func Analyze(ctx context.Context, m *graph.Map, opt Options) (*Result, error) {
	if m == nil {
		return nil, errNilMap
	}
	c := graph.Compile(m, graph.CompileOptions{Fallbacks: opt.Fallbacks})
	p, err := newProblem(c, opt.Functions)
	if err != nil {
		return nil, err
	}
	for _, v := range p.order {
		if int(c.K[v]) > len(c.Inputs(v)) {
			return nil, fmt.Errorf("%w: node %q", ErrUnsatisfiable, p.id(c.Owner[v]))
		}
	}
	res := &Result{Targets: p.targetIDs(), Functions: p.functions(), Shed: p.shed()}
	cost, unpriced, err := p.costs(opt)
	if err != nil {
		return nil, err
	}
	sup, err := p.solve(ctx, cost, opt)
	if err != nil {
		return nil, err
	}
	sup.Unpriced = unpriced
	res.Supply = *sup
	return res, nil
}

// problem is a compiled map with its targets and what they reach.
type problem struct {
	c       *graph.Circuit
	ev      *impact.Evaluator
	targets []int32 // target vertices, ascending
	isT     []bool
	// reach marks the vertices the targets depend on (targets included);
	// parent is the vertex each was first reached from (-1 for targets).
	reach  []bool
	parent []int32
	order  []int32 // the reached vertices in breadth-first order
}

// newProblem resolves the targets (nil: the core functions) and finds what
// they reach.
func newProblem(c *graph.Circuit, ids []string) (*problem, error) {
	p := &problem{c: c, ev: impact.NewEvaluator(c)}
	m := c.Map
	if len(ids) == 0 {
		for v := 0; v < c.NumNodes; v++ {
			if c.Kind[v] == graph.KindFunction && m.Nodes[v].Tier == graph.TierCore {
				p.targets = append(p.targets, int32(v))
			}
		}
	} else {
		vs, err := p.ev.Resolve(ids)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if c.Kind[v] != graph.KindFunction {
				return nil, &NotFunctionError{ID: m.Nodes[v].ID, Kind: c.Kind[v]}
			}
		}
		slices.Sort(vs)
		p.targets = slices.Compact(vs)
	}
	n := c.N()
	p.isT = make([]bool, n)
	p.reach = make([]bool, n)
	p.parent = make([]int32, n)
	for _, t := range p.targets {
		p.isT[t] = true
		p.reach[t] = true
		p.parent[t] = -1
		p.order = append(p.order, t)
	}
	for h := 0; h < len(p.order); h++ {
		v := p.order[h]
		for _, u := range c.Inputs(v) {
			if !p.reach[u] {
				p.reach[u] = true
				p.parent[u] = v
				p.order = append(p.order, u)
			}
		}
	}
	return p, nil
}

func (p *problem) id(v int32) string { return p.c.Map.Nodes[v].ID }

func (p *problem) targetIDs() []string {
	out := make([]string, len(p.targets))
	for i, t := range p.targets {
		out[i] = p.id(t)
	}
	return out
}

// functions returns the MVC function set. A reached function is Required
// when its failure alone brings a target down: one propagation each.
func (p *problem) functions() []Function {
	c, m := p.c, p.c.Map
	var out []Function
	for v := int32(0); v < int32(c.NumNodes); v++ {
		if !p.reach[v] || c.Kind[v] != graph.KindFunction {
			continue
		}
		nd := m.Nodes[v]
		f := Function{ID: nd.ID, Name: nd.Label(), Tier: nd.Tier}
		switch {
		case p.isT[v]:
			f.Reason, f.Via = Core, []string{nd.ID}
		default:
			f.Reason = Alternative
			st := p.ev.State()
			st.Reset()
			st.Propagate([]int32{v})
			for _, t := range p.targets {
				if st.Down[t] {
					f.Reason, f.Via = Required, p.ev.Because(t)
					break
				}
			}
			st.Reset()
			if f.Reason == Alternative {
				for u := v; u >= 0; u = p.parent[u] {
					if !c.IsGate(u) {
						f.Via = append(f.Via, p.id(u))
					}
				}
				slices.Reverse(f.Via)
			}
		}
		out = append(out, f)
	}
	return out
}

// shed returns the nodes no target reaches.
func (p *problem) shed() Shed {
	s := Shed{Functions: []string{}, Systems: []string{}, Vendors: []string{}}
	for v := int32(0); v < int32(p.c.NumNodes); v++ {
		if p.reach[v] {
			continue
		}
		switch p.c.Kind[v] {
		case graph.KindFunction:
			s.Functions = append(s.Functions, p.id(v))
		case graph.KindSystem:
			s.Systems = append(s.Systems, p.id(v))
		case graph.KindVendor:
			s.Vendors = append(s.Vendors, p.id(v))
		}
	}
	return s
}
