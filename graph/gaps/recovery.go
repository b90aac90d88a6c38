package gaps

import (
	"container/heap"
	"math"
	"slices"
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// RecoveryGap is a function whose worst-case recovery time, rolled up
// through its dependencies, exceeds its rto or its tolerance.
//
// # The roll-up
//
// The worst case is the outage of everything a function depends on at
// once: every node is down and comes back only after what it requires is
// back. A node's own recovery time is its restore; for a system or vendor
// without restore, its rto (the longest its owner commits to; restore
// wins when both are given, being the modeled figure). A function counts
// its own restore only: its rto is the objective it is measured against,
// not a lag. Outage durations play no part: the roll-up counts from the
// moment the outages end. Fallbacks play no part either: they keep a
// function going during an outage, they do not restore it.
//
// A node is back at T(n) = own(n) + the moment its requirement holds
// again; a list holds when its last item is back (the maximum), an any
// group when its first is (the minimum), an atleast-k group when its k-th
// is (the k-th smallest). A node without requirement is back at its own
// time. On a map without cycles this is the longest path through the
// requirements with any and atleast groups taking their best
// alternatives. It is also the time line of design.md (impact.Timeline)
// in which every node fails at once and each node's restore is its own
// time: a node whose requirement holds with everything down is back its
// own time after the outages end, any other its own time after its
// requirement holds again.
//
// # Cycles
//
// Within a cycle, T is computed as events in time order, suppliers of the
// cycle first: a member is back once enough of its inputs, inside or
// outside the cycle, are back. This is the pessimistic reading of
// design.md: support must trace back to something outside the cycle, so a
// circular backup (A needs any(vA, B), B needs any(vB, A)) waits for vA
// or vB. Members that can never come back this way form a recovery
// deadlock (A needs B and B needs A): the time line of design.md never
// restores them. The roll-up then assumes a cold start by hand: once
// every deadlocked member's requirement holds counting the other
// deadlocked members as up, they are brought up one after the other, so
// all of them are back after the sum of their own times. No order of
// bringing them up takes longer, so the figure is an upper bound; such
// steps are marked ColdStart.
type RecoveryGap struct {
	Function string
	Name     string // the function's label
	Tier     graph.Tier
	// Recovery is the rolled-up worst-case recovery time: the sum of
	// Steps' times.
	Recovery  graph.Duration
	Tolerance *graph.Duration // nil: none given
	RTO       *graph.Duration // nil: none given
	// Limit is the smaller of Tolerance and RTO (of those given), and
	// LimitBy says which: "rto" or "tolerance" ("rto" when equal).
	Limit   graph.Duration
	LimitBy string
	// Over is Recovery − Limit, more than 0.
	Over graph.Duration
	// OverTolerance and OverRTO say which of the two given limits the
	// recovery exceeds.
	OverTolerance, OverRTO bool
	// Chain is the critical chain that sets Recovery, the function
	// first: the ids of Steps.
	Chain []string
	// Steps are the nodes of Chain with what each adds.
	Steps []Step
	// ColdStart: the chain passes through a recovery deadlock, and
	// Recovery assumes it is started by hand (see above).
	ColdStart bool
}

// Step is one node on a critical recovery chain.
type Step struct {
	ID   string
	Kind graph.Kind
	// Time is what the node adds to the recovery: its own recovery
	// time, and Basis says where it comes from: "restore", "rto", or ""
	// when it has neither (Time is 0).
	Time  graph.Duration
	Basis string
	// ColdStart: the node is in a recovery deadlock brought up by hand.
	// The deadlocked nodes appear together, sorted by id, each adding its
	// own time.
	ColdStart bool
}

// The bases of a node's own recovery time.
const (
	basisNone uint8 = iota
	basisRestore
	basisRTO
)

var basisNames = [...]string{basisNone: "", basisRestore: "restore", basisRTO: "rto"}

// maxTime is where recovery times saturate, far beyond any real one (the
// sum of three durations of a hundred years would not fit an int64).
const maxTime = int64(math.MaxInt64 - 1)

func addTime(a, b int64) int64 {
	if a > maxTime-b {
		return maxTime
	}
	return a + b
}

// ownTime is what node n adds to a recovery, and why.
func ownTime(n *graph.Node) (int64, uint8) {
	switch {
	case n.Restore != nil:
		return max(int64(*n.Restore), 0), basisRestore
	case n.RTO != nil && n.Kind != graph.KindFunction:
		return max(int64(*n.RTO), 0), basisRTO
	}
	return 0, basisNone
}

// rollup holds the recovery time of every vertex of a circuit compiled
// without fallbacks.
type rollup struct {
	c     *graph.Circuit
	own   []int64 // per vertex; 0 for gates
	basis []uint8
	t     []int64 // recovery time
	crit  []int32 // the input whose return set t, or -1
	group []int32 // per vertex: its cold-start group, or -1
	cold  []coldGroup

	comp    []int32 // per vertex: 1 + its component while that is processed
	cnt     []int32
	scratch []pick
	events  eventHeap
}

// coldGroup is a recovery deadlock started by hand.
type coldGroup struct {
	nodes []int32 // node vertices, ascending (by id)
	crit  int32   // the outside input that sets when the start can begin, or -1
}

type pick struct {
	t   int64
	pos int32 // index among the vertex's inputs
}

// newRollup computes the recovery time of every vertex of c.
func newRollup(c *graph.Circuit) *rollup {
	n := c.N()
	r := &rollup{c: c, own: make([]int64, n), basis: make([]uint8, n), t: make([]int64, n),
		crit: make([]int32, n), group: make([]int32, n), comp: make([]int32, n), cnt: make([]int32, n)}
	for v := 0; v < c.NumNodes; v++ {
		r.own[v], r.basis[v] = ownTime(c.Map.Nodes[v])
	}
	for v := range r.group {
		r.group[v] = -1
		r.crit[v] = -1
	}
	for ci, comp := range c.SCCs() {
		if len(comp) == 1 && !slices.Contains(c.Inputs(comp[0]), comp[0]) {
			v := comp[0]
			at, from := r.kth(v, nil)
			r.t[v], r.crit[v] = addTime(at, r.own[v]), from
			continue
		}
		r.cycle(int32(ci+1), comp)
	}
	return r
}

// threshold is v's K, kept within its inputs (a map from Build always
// is).
func (r *rollup) threshold(v int32) int {
	return min(max(int(r.c.K[v]), 0), len(r.c.Inputs(v)))
}

// kth returns when v's requirement holds again given its inputs' times,
// and the input whose return makes it hold (-1 when none is needed).
// Inputs for which zero returns true count as back at once. Ties are
// broken by the order the inputs are written in.
func (r *rollup) kth(v int32, zero func(u int32) bool) (int64, int32) {
	ins := r.c.Inputs(v)
	k := r.threshold(v)
	if k == 0 {
		return 0, -1
	}
	val := func(u int32) int64 {
		if zero != nil && zero(u) {
			return 0
		}
		return r.t[u]
	}
	switch k {
	case len(ins):
		best := 0
		for i := 1; i < len(ins); i++ {
			if val(ins[i]) > val(ins[best]) {
				best = i
			}
		}
		return r.result(ins[best], val(ins[best]), zero)
	case 1:
		best := 0
		for i := 1; i < len(ins); i++ {
			if val(ins[i]) < val(ins[best]) {
				best = i
			}
		}
		return r.result(ins[best], val(ins[best]), zero)
	}
	ps := r.scratch[:0]
	for i, u := range ins {
		ps = append(ps, pick{val(u), int32(i)})
	}
	slices.SortFunc(ps, func(a, b pick) int {
		if a.t != b.t {
			if a.t < b.t {
				return -1
			}
			return 1
		}
		return int(a.pos - b.pos)
	})
	// The k-th to return; among inputs returning at the same moment, the
	// last written of those counted.
	p := ps[k-1]
	r.scratch = ps
	return r.result(ins[p.pos], p.t, zero)
}

// result is kth's answer for input u returning at t: an input counted as
// back at once sets nothing.
func (r *rollup) result(u int32, t int64, zero func(int32) bool) (int64, int32) {
	if zero != nil && zero(u) {
		return t, -1
	}
	return t, u
}

// cycle computes the times of the members of one strongly connected
// component, all of whose outside inputs are known: events in time order,
// then a cold start of whatever is left (see RecoveryGap).
func (r *rollup) cycle(id int32, comp []int32) {
	c := r.c
	for _, v := range comp {
		r.comp[v] = id
		r.cnt[v] = 0
		r.t[v] = -1
	}
	h := r.events[:0]
	done := func(w int32, at int64, from int32) {
		r.t[w], r.crit[w] = addTime(at, r.own[w]), from
		for _, x := range c.Outputs(w) {
			if r.comp[x] == id && r.t[x] < 0 {
				heap.Push(&h, event{r.t[w], x, w})
			}
		}
	}
	for _, w := range comp {
		for _, u := range c.Inputs(w) {
			if r.comp[u] != id {
				h = append(h, event{r.t[u], w, u})
			}
		}
	}
	heap.Init(&h)
	for _, w := range comp {
		if r.threshold(w) == 0 && r.t[w] < 0 {
			done(w, 0, -1)
		}
	}
	for h.Len() > 0 {
		e := heap.Pop(&h).(event)
		if r.t[e.to] >= 0 {
			continue
		}
		r.cnt[e.to]++
		if int(r.cnt[e.to]) >= r.threshold(e.to) {
			done(e.to, e.at, e.from)
		}
	}
	r.events = h[:0]

	// A recovery deadlock: start it by hand.
	var left []int32
	for _, w := range comp {
		if r.t[w] < 0 {
			left = append(left, w)
		}
	}
	if len(left) > 0 {
		stuck := func(u int32) bool { return r.comp[u] == id && r.t[u] < 0 }
		start, from := int64(0), int32(-1)
		for _, w := range left {
			if at, f := r.kth(w, stuck); at > start {
				start, from = at, f
			}
		}
		g := coldGroup{crit: from}
		total := start
		for _, w := range left {
			if !c.IsGate(w) {
				g.nodes = append(g.nodes, w)
				total = addTime(total, r.own[w])
			}
		}
		for _, w := range left {
			r.t[w], r.crit[w], r.group[w] = total, -1, int32(len(r.cold))
		}
		r.cold = append(r.cold, g)
	}
	for _, v := range comp {
		r.comp[v] = 0
	}
}

// chain returns the critical chain of v, v first.
func (r *rollup) chain(v int32) []Step {
	c, m := r.c, r.c.Map
	var out []Step
	step := func(u int32, cold bool) {
		n := m.Nodes[u]
		out = append(out, Step{ID: n.ID, Kind: n.Kind, Time: graph.Duration(r.own[u]), Basis: basisNames[r.basis[u]], ColdStart: cold})
	}
	for guard := 0; v >= 0 && guard <= c.N(); guard++ {
		if g := r.group[v]; g >= 0 {
			for _, u := range r.cold[g].nodes {
				step(u, true)
			}
			v = r.cold[g].crit
			continue
		}
		if !c.IsGate(v) {
			step(v, false)
		}
		v = r.crit[v]
	}
	return out
}

// event: input from of vertex to is back at at.
type event struct {
	at       int64
	to, from int32
}

type eventHeap []event

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.at != b.at {
		return a.at < b.at
	}
	if a.to != b.to {
		return a.to < b.to
	}
	return a.from < b.from
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(event)) }
func (h *eventHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// recoveryGaps rolls recovery times up c (compiled without fallbacks) and
// returns the functions over their limit.
func recoveryGaps(c *graph.Circuit) []RecoveryGap {
	var r *rollup
	var out []RecoveryGap
	for v := 0; v < c.NumNodes; v++ {
		n := c.Map.Nodes[v]
		if n.Kind != graph.KindFunction || n.Tolerance == nil && n.RTO == nil {
			continue
		}
		if r == nil {
			r = newRollup(c)
		}
		rec := graph.Duration(r.t[v])
		g := RecoveryGap{Function: n.ID, Name: n.Label(), Tier: n.Tier, Recovery: rec, Tolerance: n.Tolerance, RTO: n.RTO}
		switch {
		case n.RTO != nil && (n.Tolerance == nil || *n.RTO <= *n.Tolerance):
			g.Limit, g.LimitBy = *n.RTO, "rto"
		default:
			g.Limit, g.LimitBy = *n.Tolerance, "tolerance"
		}
		if rec <= g.Limit {
			continue
		}
		g.Over = rec - g.Limit
		g.OverTolerance = n.Tolerance != nil && rec > *n.Tolerance
		g.OverRTO = n.RTO != nil && rec > *n.RTO
		g.Steps = r.chain(int32(v))
		for _, s := range g.Steps {
			g.Chain = append(g.Chain, s.ID)
			g.ColdStart = g.ColdStart || s.ColdStart
		}
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := tierRank(a.Tier), tierRank(b.Tier); ra != rb {
			return ra < rb
		}
		if a.Over != b.Over {
			return a.Over > b.Over
		}
		return a.Function < b.Function
	})
	return out
}
