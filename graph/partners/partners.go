// Package partners finds a map's critical partners: for every vendor, the
// functions its outage alone halts (one sweep over the compiled circuit),
// single points of failure per function, hidden shared suppliers (fourth
// parties that are single points of failure only through other vendors),
// and concentration on ultimate parent companies. It returns plain values.
package partners

import (
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

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
	// vendor itself) with at least one core function that depends on
	// them: most dependent core functions first, then most halted, then
	// by name.
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
	Vendor                      string
	Name                        string
	Halts                       []string // function ids, sorted
	Core, Important, Supporting int      // halted functions per tier
	ImpactPerHour               float64  // sum over halted functions
	// Hidden: the vendor halts some function only through other vendors.
	Hidden bool
	// Via: the suppliers between the function and this vendor on the
	// chain shown for a hidden supplier (direct vendor first); empty when
	// not hidden. It is the first chain of the vendor's Hidden entry from
	// its first vendor on, without the vendor itself: for payments ←
	// card-processor ← edr-agent, ["card-processor"].
	Via []string
	// Probability of the vendor's major outage in a year, nil if unknown.
	Probability *float64
}

// Hidden is a shared supplier reached only through other vendors.
type Hidden struct {
	Vendor string
	Name   string
	// Through: direct vendors of the functions in Halts (vendors those
	// functions require without going through another vendor) that
	// depend on this vendor through vendors only, sorted.
	Through []string
	Halts   []string // functions it halts alone only through vendors, sorted
	// Chains: for each halted function, in the order of Halts, one
	// shortest supply chain from the function to the vendor, every node
	// on it down when this vendor alone fails: ["payments",
	// "card-processor", "edr-agent"].
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

// Analyze finds m's critical partners, single points of failure, hidden
// shared suppliers and concentration (see Report). A vendor halts a
// function "alone" when the function is down in the least fixpoint of
// that vendor's outage and nothing else's (design.md). A vendor x is a
// hidden supplier of a function f when x halts f alone but f does not
// require x directly: every dependency path from f to x passes through
// another vendor. Paths follow requirements and, with fallbacks, the
// fallbacks' requirements; a node with a fallback that needs nothing
// cannot fail and passes on no dependency. A nil map gives an empty
// report.
func Analyze(m *graph.Map, opt Options) *Report {
	if m == nil {
		return &Report{}
	}
	return AnalyzeCircuit(graph.Compile(m, graph.CompileOptions{Fallbacks: opt.Fallbacks}))
}

// AnalyzeCircuit is Analyze on an already compiled map; fallbacks count as
// they were compiled into c.
func AnalyzeCircuit(c *graph.Circuit) *Report {
	rep := &Report{}
	if c == nil || c.Map == nil {
		return rep
	}
	a := newAnalysis(c)
	rep.SinglePointsOfFailure = a.spofs()
	rep.CriticalPartners, rep.HiddenSuppliers = a.partners()
	rep.Concentration = a.concentration()
	return rep
}

type analysis struct {
	c       *graph.Circuit
	m       *graph.Map
	sw      *impact.Sweeper
	funcs   []int32 // function vertices, ascending
	fidx    []int32 // per node: index in funcs, or -1
	vendors impact.Events
	blast   *impact.Blast
}

func newAnalysis(c *graph.Circuit) *analysis {
	a := &analysis{c: c, m: c.Map, sw: impact.NewSweeper(c), fidx: make([]int32, c.NumNodes)}
	for v := 0; v < c.NumNodes; v++ {
		a.fidx[v] = -1
		if c.Kind[v] == graph.KindFunction {
			a.fidx[v] = int32(len(a.funcs))
			a.funcs = append(a.funcs, int32(v))
		}
	}
	a.vendors = impact.VendorEvents(c)
	a.blast = a.sw.Sweep(a.vendors, a.isKind(graph.KindFunction))
	return a
}

func (a *analysis) isKind(k graph.Kind) func(int32) bool {
	return func(v int32) bool { return int(v) < a.c.NumNodes && a.c.Kind[v] == k }
}

func (a *analysis) id(v int32) string { return a.m.Nodes[v].ID }

func (a *analysis) ids(vs []int32) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = a.id(v)
	}
	return out
}

// tierRank orders tiers core, important, supporting, then untiered.
func tierRank(t graph.Tier) int {
	if t == graph.TierNone {
		return 4
	}
	return int(t)
}

func (a *analysis) spofs() []SPOF {
	var out []SPOF
	for _, f := range a.funcs {
		set := a.blast.Down(f)
		if set.IsEmpty() {
			continue
		}
		n := a.m.Nodes[f]
		s := SPOF{Function: n.ID, Name: n.Label(), Tier: n.Tier}
		set.Each(func(e int) { s.Vendors = append(s.Vendors, a.vendors.Names[e]) })
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return tierRank(out[i].Tier) < tierRank(out[j].Tier)
	})
	return out
}

func (a *analysis) partners() ([]Partner, []Hidden) {
	// direct.Of(x) holds the functions that require x without going
	// through another vendor.
	direct := a.sw.Dependents(a.funcs, a.isKind(graph.KindVendor))
	var ps []Partner
	hidden := map[string]*Hidden{}
	var sc *scratch
	for e := range a.vendors.Names {
		halts := a.blast.Halts(e)
		if len(halts) == 0 {
			continue
		}
		x := a.vendors.Members[e][0]
		n := a.m.Nodes[x]
		p := Partner{Vendor: n.ID, Name: n.Label(), Halts: a.ids(halts)}
		if n.Probability != nil {
			pr := *n.Probability
			p.Probability = &pr
		}
		var hid []int32
		for _, f := range halts {
			fn := a.m.Nodes[f]
			switch fn.Tier {
			case graph.TierCore:
				p.Core++
			case graph.TierImportant:
				p.Important++
			case graph.TierSupporting:
				p.Supporting++
			}
			p.ImpactPerHour += fn.ImpactPerHour
			if !direct.Of(x).Has(int(a.fidx[f])) {
				hid = append(hid, f)
			}
		}
		if len(hid) > 0 {
			if sc == nil {
				sc = newScratch(a.c)
			}
			h := a.hidden(x, hid, direct, sc)
			p.Hidden = true
			p.Via = via(a.m, h.Chains[0])
			hidden[n.ID] = h
		}
		ps = append(ps, p)
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Core != b.Core {
			return a.Core > b.Core
		}
		if a.Important != b.Important {
			return a.Important > b.Important
		}
		if a.ImpactPerHour != b.ImpactPerHour {
			return a.ImpactPerHour > b.ImpactPerHour
		}
		return a.Vendor < b.Vendor
	})
	var hs []Hidden
	for _, p := range ps {
		if h := hidden[p.Vendor]; h != nil {
			hs = append(hs, *h)
		}
	}
	return ps, hs
}

// via is the part of a chain from its first vendor up to, not including,
// its last node.
func via(m *graph.Map, chain []string) []string {
	for i, id := range chain[:len(chain)-1] {
		if i > 0 && m.Node(id).Kind == graph.KindVendor {
			return append([]string(nil), chain[i:len(chain)-1]...)
		}
	}
	return nil
}

// scratch is reused across hidden suppliers: a propagation state and
// per-vertex marks reset through the list of what was touched.
type scratch struct {
	st      *graph.State
	dist    []int32 // -1: not reached
	seen    []bool
	touched []int32
	queue   []int32
	dq      *deque
}

func newScratch(c *graph.Circuit) *scratch {
	sc := &scratch{st: c.NewState(), dist: make([]int32, c.N()), seen: make([]bool, c.N()), dq: newDeque()}
	for i := range sc.dist {
		sc.dist[i] = -1
	}
	return sc
}

func (sc *scratch) reset() {
	for _, v := range sc.touched {
		sc.dist[v] = -1
		sc.seen[v] = false
	}
	sc.touched = sc.touched[:0]
}

// hidden describes vendor x as a hidden supplier of the functions hid
// (ascending).
func (a *analysis) hidden(x int32, hid []int32, direct *impact.Dependents, sc *scratch) *Hidden {
	c := a.c
	n := a.m.Nodes[x]
	h := &Hidden{Vendor: n.ID, Name: n.Label(), Halts: a.ids(hid)}

	// Through: vendors that reach x through vendors only and that some
	// function of hid requires directly.
	hset := impact.NewBitset(len(a.funcs))
	for _, f := range hid {
		hset.Add(int(a.fidx[f]))
	}
	sc.reset()
	sc.seen[x] = true
	sc.touched = append(sc.touched, x)
	queue := append(sc.queue[:0], x)
	for i := 0; i < len(queue); i++ {
		for _, w := range c.Outputs(queue[i]) {
			if sc.seen[w] || c.Kind[c.Owner[w]] != graph.KindVendor {
				continue
			}
			sc.seen[w] = true
			sc.touched = append(sc.touched, w)
			queue = append(queue, w)
			if !c.IsGate(w) && direct.Of(w).Intersects(hset) {
				h.Through = append(h.Through, a.id(w))
			}
		}
	}
	sc.queue = queue[:0]
	sort.Strings(h.Through)

	// Chains: shortest in nodes, through vertices down when x alone fails.
	// A 0-1 breadth-first search from x against the dependencies gives
	// dist[v], the fewest nodes after v on a down path from v to x.
	st := sc.st
	st.Reset()
	st.Propagate([]int32{x})
	wt := func(v int32) int32 {
		if c.IsGate(v) {
			return 0
		}
		return 1
	}
	dist := sc.dist
	dist[x] = 0
	dq := sc.dq
	dq.pushFront(x)
	for dq.len() > 0 {
		u := dq.popFront()
		du := dist[u] + wt(u)
		for _, v := range c.Outputs(u) {
			if !st.Down[v] || dist[v] >= 0 && dist[v] <= du {
				continue
			}
			if dist[v] < 0 {
				sc.touched = append(sc.touched, v)
			}
			dist[v] = du
			if wt(u) == 0 {
				dq.pushFront(v)
			} else {
				dq.pushBack(v)
			}
		}
	}
	for _, f := range hid {
		chain := []string{a.id(f)}
		for v, steps := f, 0; v != x && steps < c.N(); steps++ {
			next := int32(-1)
			for _, u := range c.Inputs(v) {
				if dist[u] >= 0 && dist[u]+wt(u) == dist[v] {
					next = u
					break
				}
			}
			if next < 0 { // cannot happen: f is down because of x
				break
			}
			v = next
			if !c.IsGate(v) {
				chain = append(chain, a.id(v))
			}
		}
		h.Chains = append(h.Chains, chain)
	}
	return h
}

// deque is a double-ended queue of vertices.
type deque struct {
	buf        []int32
	head, size int
}

func newDeque() *deque { return &deque{buf: make([]int32, 16)} }

func (d *deque) len() int { return d.size }

func (d *deque) grow() {
	if d.size < len(d.buf) {
		return
	}
	nb := make([]int32, 2*len(d.buf))
	for i := 0; i < d.size; i++ {
		nb[i] = d.buf[(d.head+i)%len(d.buf)]
	}
	d.buf, d.head = nb, 0
}

func (d *deque) pushFront(v int32) {
	d.grow()
	d.head = (d.head - 1 + len(d.buf)) % len(d.buf)
	d.buf[d.head] = v
	d.size++
}

func (d *deque) pushBack(v int32) {
	d.grow()
	d.buf[(d.head+d.size)%len(d.buf)] = v
	d.size++
}

func (d *deque) popFront() int32 {
	v := d.buf[d.head]
	d.head = (d.head + 1) % len(d.buf)
	d.size--
	return v
}

func (a *analysis) concentration() []Concentration {
	c := a.c
	var core []int32
	for _, f := range a.funcs {
		if a.m.Nodes[f].Tier == graph.TierCore {
			core = append(core, f)
		}
	}
	if len(core) == 0 {
		return nil
	}
	dep := a.sw.Dependents(core, nil)
	pev := impact.ParentEvents(c)
	// A group of one vendor halts what the vendor alone halts; only larger
	// groups need a sweep of their own.
	var multi impact.Events
	multiIdx := make([]int, len(pev.Names))
	for e, mem := range pev.Members {
		multiIdx[e] = -1
		if len(mem) > 1 {
			multiIdx[e] = multi.Len()
			multi.Names = append(multi.Names, pev.Names[e])
			multi.Members = append(multi.Members, mem)
		}
	}
	var halted *impact.Blast
	if multi.Len() > 0 {
		halted = a.sw.Sweep(multi, func(v int32) bool {
			return int(v) < c.NumNodes && c.Kind[v] == graph.KindFunction && a.m.Nodes[v].Tier == graph.TierCore
		})
	}
	vendorEvent := map[int32]int{}
	for e, mem := range a.vendors.Members {
		vendorEvent[mem[0]] = e
	}
	var out []Concentration
	for e, name := range pev.Names {
		deps := impact.NewBitset(len(core))
		for _, v := range pev.Members[e] {
			deps.Or(dep.Of(v))
		}
		if deps.IsEmpty() {
			continue
		}
		cc := Concentration{Parent: name, Vendors: a.ids(pev.Members[e])}
		deps.Each(func(i int) { cc.CoreDependent = append(cc.CoreDependent, a.id(core[i])) })
		var hs []int32
		if multiIdx[e] >= 0 {
			hs = halted.Halts(multiIdx[e])
		} else {
			hs = a.blast.Halts(vendorEvent[pev.Members[e][0]])
		}
		for _, f := range hs {
			if a.m.Nodes[f].Tier == graph.TierCore {
				cc.CoreHalted = append(cc.CoreHalted, a.id(f))
			}
		}
		out = append(out, cc)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if len(a.CoreDependent) != len(b.CoreDependent) {
			return len(a.CoreDependent) > len(b.CoreDependent)
		}
		if len(a.CoreHalted) != len(b.CoreHalted) {
			return len(a.CoreHalted) > len(b.CoreHalted)
		}
		return a.Parent < b.Parent
	})
	return out
}
