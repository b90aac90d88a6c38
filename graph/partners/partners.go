// Package partners finds a map's critical partners: for every vendor, the
// functions its outage alone halts (one sweep over the compiled circuit),
// single points of failure per function, hidden shared suppliers (fourth
// parties that are single points of failure only through other vendors),
// and concentration on ultimate parent companies. It returns plain values.
package partners

import (
	"math"
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
	// Chains: for the first MaxChains functions of Halts (all of them
	// when there are fewer), in the order of Halts, one shortest supply
	// chain from the function to the vendor, every node on it down when
	// this vendor alone fails: ["payments", "card-processor",
	// "edr-agent"]. Chains[i] starts with Halts[i].
	Chains [][]string
}

// MaxChains is how many of a hidden supplier's halted functions get a
// supply chain in Hidden.Chains. A supplier deep in a large map can halt
// hundreds of functions through the same few vendors; the first chains
// show the routes, Through names every direct vendor it hides behind, and
// Halts lists every function.
const MaxChains = 16

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
	// Hidden suppliers: the vendor and the functions it halts only
	// through other vendors, described once all are known.
	var hx []int32
	var hid [][]int32
	var hp []int // index of the vendor's entry in ps
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
		dx := direct.Of(x)
		var h []int32
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
			if !dx.Has(int(a.fidx[f])) {
				h = append(h, f)
			}
		}
		if len(h) > 0 {
			p.Hidden = true
			hx = append(hx, x)
			hid = append(hid, h)
			hp = append(hp, len(ps))
		}
		ps = append(ps, p)
	}
	hidden := make(map[string]*Hidden, len(hx))
	if len(hx) > 0 {
		cf := a.newChainFinder()
		// The down sets of a batch take N/8 bytes per supplier; batches
		// keep them near downsBudget on maps of millions of vertices.
		batch := max(64, downsBudget*8/a.c.N()/64*64)
		for lo := 0; lo < len(hx); lo += batch {
			hi := min(lo+batch, len(hx))
			cf.load(a, hx[lo:hi])
			for i := lo; i < hi; i++ {
				h := a.hidden(i-lo, hx[i], hid[i], direct, cf)
				ps[hp[i]].Via = via(a.m, h.Chains[0])
				hidden[h.Vendor] = h
			}
		}
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
	hs := make([]Hidden, 0, len(hidden))
	for _, p := range ps {
		if h := hidden[p.Vendor]; h != nil {
			hs = append(hs, *h)
		}
	}
	if len(hs) == 0 {
		hs = nil
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

// hidden describes the hidden supplier x, event i of cf, as a hidden
// supplier of the functions hid (ascending).
func (a *analysis) hidden(i int, x int32, hid []int32, direct *impact.Dependents, cf *chainFinder) *Hidden {
	c := a.c
	n := a.m.Nodes[x]
	h := &Hidden{Vendor: n.ID, Name: n.Label(), Halts: a.ids(hid)}

	// Through: vendors that reach x through vendors only and that some
	// function of hid requires directly (cf.g marks the vertices seen).
	hset := cf.hset
	clear(hset)
	for _, f := range hid {
		hset.Add(int(a.fidx[f]))
	}
	cf.reset()
	cf.mark(x, 0)
	queue := append(cf.queue[:0], x)
	for k := 0; k < len(queue); k++ {
		for _, w := range c.Outputs(queue[k]) {
			if cf.g[w] >= 0 || c.Kind[c.Owner[w]] != graph.KindVendor {
				continue
			}
			cf.mark(w, 0)
			queue = append(queue, w)
			if !c.IsGate(w) && direct.Of(w).Intersects(hset) {
				h.Through = append(h.Through, a.id(w))
			}
		}
	}
	cf.queue = queue[:0]
	sort.Strings(h.Through)

	h.Chains = make([][]string, 0, min(len(hid), MaxChains))
	for _, f := range hid[:min(len(hid), MaxChains)] {
		h.Chains = append(h.Chains, a.ids(cf.chain(i, x, f)))
	}
	return h
}

// chainFinder finds shortest supply chains from functions to hidden
// suppliers. Whether a vertex is down in a hidden supplier's outage comes
// from one sweep over the hidden suppliers (impact.Sweeper.Downs, in
// batches on very large maps), so a chain costs a search around the
// function rather than a propagation of the supplier's whole outage,
// which on a large map can take most of the map.
type chainFinder struct {
	c *graph.Circuit
	// down[i] holds the vertices down when hidden supplier i alone fails:
	// a few kilobytes each, so a search stays in cache.
	down []impact.Bitset
	// During a chain search from a function f to a supplier x, over
	// vertices down in x's outage, weighing a node 1 and a gate 0: g[v]
	// is the weight from v to f (v counted, f not), dist[v] the weight
	// from x to v measured inside the searched ball (x counted, v not);
	// -1: not reached.
	g, dist []int32
	touched []int32
	queue   []int32
	chainV  []int32
	dq      deque
	hset    impact.Bitset // scratch: functions, by index
	// The ball's edges, by local index of their supplier end: loc[v] is
	// v's index in ball, or -1; the edges out of ball[k] lead to
	// adj[start[k]:start[k+1]].
	loc        []int32
	ball       []int32
	start, adj []int32
	edges      [][2]int32 // candidate edges (supplier, consumer)
}

// downsBudget is about the most memory, in bytes, that the down sets of
// hidden suppliers take at once (a variable for tests).
var downsBudget = 64 << 20

func (a *analysis) newChainFinder() *chainFinder {
	c := a.c
	n := c.N()
	cf := &chainFinder{
		c: c,
		g: make([]int32, n), dist: make([]int32, n), loc: make([]int32, n),
		hset: impact.NewBitset(len(a.funcs)),
	}
	for v := range n {
		cf.g[v], cf.dist[v], cf.loc[v] = -1, -1, -1
	}
	return cf
}

// load computes the down sets of the hidden suppliers hx, which become
// events 0..len(hx)-1 of the chain searches.
func (cf *chainFinder) load(a *analysis, hx []int32) {
	ev := impact.Events{Names: make([]string, len(hx)), Members: make([][]int32, len(hx))}
	for i, x := range hx {
		ev.Names[i] = a.id(x)
		ev.Members[i] = []int32{x}
	}
	cf.down = nil // let the previous batch go first
	cf.down = a.sw.Downs(ev)
}

// reset clears every mark.
func (cf *chainFinder) reset() {
	for _, v := range cf.touched {
		cf.g[v], cf.dist[v] = -1, -1
	}
	cf.touched = cf.touched[:0]
}

// mark sets g[v] to d, recording v for reset when first reached.
func (cf *chainFinder) mark(v, d int32) {
	if cf.g[v] < 0 {
		cf.touched = append(cf.touched, v)
	}
	cf.g[v] = d
}

func (cf *chainFinder) wt(v int32) int32 {
	if cf.c.IsGate(v) {
		return 0
	}
	return 1
}

// chain returns one shortest chain of nodes from the function f to x, the
// hidden supplier of event i, every vertex on it down when x alone fails
// and every step along a requirement: the one that following, from f, the
// first input on a shortest way to x gives. Shortest counts nodes; gates
// are free.
//
// A 0-1 breadth-first search back from f over down vertices finds the
// weight L of the shortest chain and the ball of vertices less than L
// from f, which holds every vertex of every shortest chain but x. Every
// shortest way from x to a vertex of a shortest chain stays on shortest
// chains, so distances from x measured inside the ball are exact wherever
// the walk from f compares them, and the walk picks what a search from x
// over the whole outage would.
func (cf *chainFinder) chain(i int, x, f int32) []int32 {
	c := cf.c
	downSet := cf.down[i]
	down := func(v int32) bool { return downSet[v>>6]&(1<<(uint(v)&63)) != 0 }
	cf.reset()
	g, dist := cf.g, cf.dist
	dq := &cf.dq
	dq.clear()
	cf.mark(f, 0)
	dq.pushBack(f)
	// Vertices leave the deque in order of g, so x's first discovery,
	// from a vertex u, gives L = g[u]+1; after that nothing weighing L or
	// more is searched.
	lim := int32(math.MaxInt32)
	// Every down input of a searched vertex, as a pair (input, vertex):
	// the ball's edges are among them.
	edges := cf.edges[:0]
	for dq.len() > 0 {
		u := dq.popFront()
		gu := g[u]
		if gu >= lim {
			break
		}
		for _, w := range c.Inputs(u) {
			if !down(w) {
				continue
			}
			edges = append(edges, [2]int32{w, u})
			ww := cf.wt(w)
			nd := gu + ww
			if nd >= lim || g[w] >= 0 && g[w] <= nd {
				continue
			}
			cf.mark(w, nd)
			if w == x {
				lim = nd
			} else if ww == 0 {
				dq.pushFront(w)
			} else {
				dq.pushBack(w)
			}
		}
	}
	cf.edges = edges[:0]
	if lim == math.MaxInt32 { // cannot happen: f is down because of x
		return []int32{f}
	}

	// Distances from x inside the ball, as a 0-1 breadth-first search
	// over the ball's own edges (a shared supplier can have thousands of
	// outputs).
	in := func(v int32) bool { return g[v] >= 0 && g[v] < lim || v == x }
	ball := cf.ball[:0]
	for _, v := range cf.touched {
		if in(v) {
			cf.loc[v] = int32(len(ball))
			ball = append(ball, v)
		}
	}
	start := append(cf.start[:0], make([]int32, len(ball)+1)...)
	for _, e := range edges {
		if in(e[0]) {
			start[cf.loc[e[0]]+1]++
		}
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	adj := append(cf.adj[:0], make([]int32, start[len(ball)])...)
	fill := append(cf.queue[:0], start[:len(ball)]...)
	for _, e := range edges {
		if in(e[0]) {
			k := cf.loc[e[0]]
			adj[fill[k]] = e[1]
			fill[k]++
		}
	}
	cf.ball, cf.start, cf.adj, cf.queue = ball, start, adj, fill[:0]
	dq.clear()
	dist[x] = 0
	dq.pushFront(x)
	for dq.len() > 0 {
		u := dq.popFront()
		wu := cf.wt(u)
		du := dist[u] + wu
		k := cf.loc[u]
		for _, v := range adj[start[k]:start[k+1]] {
			if dist[v] >= 0 && dist[v] <= du {
				continue
			}
			dist[v] = du
			if wu == 0 {
				dq.pushFront(v)
			} else {
				dq.pushBack(v)
			}
		}
	}
	for _, v := range ball {
		cf.loc[v] = -1
	}
	chain := append(cf.chainV[:0], f)
	for v, steps := f, 0; v != x && steps < c.N(); steps++ {
		next := int32(-1)
		for _, u := range c.Inputs(v) {
			if dist[u] >= 0 && dist[u]+cf.wt(u) == dist[v] {
				next = u
				break
			}
		}
		if next < 0 { // cannot happen: the ball holds a shortest chain
			break
		}
		v = next
		if !c.IsGate(v) {
			chain = append(chain, v)
		}
	}
	cf.chainV = chain[:0]
	return chain
}

// deque is a double-ended queue of vertices.
type deque struct {
	buf        []int32
	head, size int
}

func (d *deque) len() int { return d.size }

func (d *deque) clear() { d.head, d.size = 0, 0 }

func (d *deque) grow() {
	if d.size < len(d.buf) {
		return
	}
	nb := make([]int32, max(16, 2*len(d.buf)))
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
	// Groups with no core function depending on them are left out; a
	// group of one vendor halts what the vendor alone halts; only larger
	// groups need a sweep of their own.
	deps := make([]impact.Bitset, len(pev.Names))
	var multi impact.Events
	multiIdx := make([]int, len(pev.Names))
	for e, mem := range pev.Members {
		multiIdx[e] = -1
		d := impact.NewBitset(len(core))
		for _, v := range mem {
			d.Or(dep.Of(v))
		}
		if d.IsEmpty() {
			continue
		}
		deps[e] = d
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
	vendorEvent := make(map[int32]int, a.vendors.Len())
	for e, mem := range a.vendors.Members {
		vendorEvent[mem[0]] = e
	}
	var out []Concentration
	for e, name := range pev.Names {
		if deps[e] == nil {
			continue
		}
		cc := Concentration{Parent: name, Vendors: a.ids(pev.Members[e])}
		deps[e].Each(func(i int) { cc.CoreDependent = append(cc.CoreDependent, a.id(core[i])) })
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
