package impact

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Times inside the engine are int64 nanoseconds from the start of the time
// line, as graph.Duration.
const (
	tlNever = math.MaxInt64 // a moment that never comes
	tlPast  = -(1 << 61)    // the start of a run that began before time 0
)

// tlAdd is a + b, saturating at tlNever; b ≥ 0.
func tlAdd(a, b int64) int64 {
	if a > tlNever-b {
		return tlNever
	}
	return a + b
}

// tlSince is t − since, with a run begun before time 0 counted as endless.
func tlSince(t, since int64) int64 {
	if since == tlPast {
		return tlNever
	}
	return t - since
}

// The modes of a node at one moment (see Timeline).
const (
	tlFree uint8 = iota
	tlHeldUp
	tlHeldDown
)

// Kinds of queued events.
const (
	tlCheck       uint8 = iota // a timer ran out: look at the node again
	tlForcedStart              // an outage of the node begins
	tlForcedEnd                // an outage of the node ends
)

type tlEvent struct {
	t    int64
	n    int32
	kind uint8
}

// tlHeap is a binary min-heap of events by time.
type tlHeap []tlEvent

func (h *tlHeap) push(e tlEvent) {
	*h = append(*h, e)
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].t <= a[i].t {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *tlHeap) pop() tlEvent {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(a) {
			break
		}
		m := l
		if r := l + 1; r < len(a) && a[r].t < a[l].t {
			m = r
		}
		if a[i].t <= a[m].t {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}

// tlFallback is a compiled fallback.
type tlFallback struct {
	owner int32
	root  int32 // the gate of its requirement, or -1 when it needs nothing
	act   int64
	end   int64 // endurance; tlNever when unlimited
	cap   float64
	src   *graph.Fallback
}

// tlVertex is the state of one vertex (node or gate) in a run, with what
// the hot loops read of the compiled map beside it.
type tlVertex struct {
	cnt    int32  // inputs down
	slack  int32  // inputs that may be down while the requirement holds (degree − K)
	scc    int32  // the cycle it lies on, or -1
	stamp  uint32 // the instant its state first changed in, with before its state until then
	raised uint32 // the instant it was raised in
	down   bool
	before bool
}

// tlNodeState is the history of one node in a run: E_n and O_n just
// before the current instant and since when, with its buffer and restore.
type tlNodeState struct {
	eSince, oSince  int64
	buffer, restore int64
	forced          int32  // outages covering the current instant
	aff             uint32 // the instant it was listed for settling in
	endAt           uint32 // the instant an outage of it ended in
	slot            int32  // its place among the nodes the run touched, while building the result
	ePrev, oPrev    bool
}

// TimelineEngine computes time lines on one map, compiled once. It keeps
// scratch space between runs and is not safe for concurrent use: make one
// per goroutine.
type TimelineEngine struct {
	m  *graph.Map
	c  *graph.Circuit // the map without fallbacks: node vertices compute O_n
	nv int32          // vertices of c; fallback gates follow
	nn int32          // nodes

	// Fallback gates (vertices nv+i): inputs, and for each vertex the
	// fallback gates it feeds.
	fgInStart, fgIn []int32
	xOutStart, xOut []int32
	rootOf          []int32 // per fallback gate: the fallback whose root it is, or -1
	fbs             []tlFallback
	fbStart         []int32 // fallbacks of node n: fbs[fbStart[n]:fbStart[n+1]]
	funcs           []int32
	alias           map[string]int32
	// Cycles of the dependency graph, fallbacks included: strongly
	// connected components of more than one vertex, or of one that
	// requires itself. Members of cycle i: sccMem[sccStart[i]:sccStart[i+1]].
	sccStart, sccMem []int32
	initV            []tlVertex    // every vertex up
	initN            []tlNodeState // every requirement holding since before 0

	funcTmpl []FunctionTimeline // per function: its time line when nothing touches it

	// Per run. Instants are numbered on from run to run (stampNo), so
	// that a stamp left by an earlier run never matches one of the
	// current run; every stamp of an earlier run is at most runBase.
	// Only what the previous run touched is brought back to its initial
	// state: the vertices that went down and those that take them as
	// input, and the nodes listed for settling.
	fbOn     bool
	now      int64
	stampNo  uint32
	runBase  uint32  // stampNo when the run began
	touchedV []int32 // vertices that went down in the run
	touchedN []int32 // nodes listed for settling in the run; sorted by result
	v        []tlVertex
	ns       []tlNodeState
	sccUp    []uint32 // per cycle: the instant it was raised in
	heap     tlHeap
	seeds    []int32
	raiseQ   []int32
	checkQ   []int32
	affNode  []int32
	log      []tlChange
	fbState  []tlFbState
	carry    []tlCarry // per function with fallbacks
	carryOf  []int32   // per node: index into carry, or -1
	last     int64     // the last change, or -1
	// Scratch of result: the log grouped by touched node.
	logStart []int32
	byNode   []tlChange
}

// tlChange is one transition of a node's state.
type tlChange struct {
	t    int64
	n    int32
	down bool
}

// tlFbState is a fallback's activity in a run.
type tlFbState struct {
	active, holding           bool
	activeSince, holdingSince int64
	activeLog, holdingLog     []tlSpan
}

// tlCarry is what carries a function with fallbacks in a run.
type tlCarry struct {
	fb    int32 // the fallback carrying it now, or -1
	since int64
	spans []tlCarrySpan
}

type tlSpan struct{ from, to int64 }

type tlCarrySpan struct {
	from, to int64
	fb       int32
}

// ErrInvalidMap is wrapped by the errors NewTimelineEngine returns for a
// map that graph.Builder would not have built.
var ErrInvalidMap = errors.New("invalid map")

// NewTimelineEngine compiles m for time lines. m must be valid, as
// graph.Builder builds it: every reference names a node, no duration is
// negative, every capacity is in [0, 1], and every requirement can hold
// when every node is up; otherwise the error wraps ErrInvalidMap.
func NewTimelineEngine(m *graph.Map) (*TimelineEngine, error) {
	if m == nil {
		return nil, errNilMap
	}
	if err := tlCheckMap(m); err != nil {
		return nil, err
	}
	c := graph.Compile(m, graph.CompileOptions{})
	e := &TimelineEngine{m: m, c: c, nv: int32(c.N()), nn: int32(c.NumNodes)}
	nn := c.NumNodes

	// Fallback requirements become gates after the circuit's vertices.
	var k []int32
	var ins [][]int32
	gate := func() int32 {
		k = append(k, 0)
		ins = append(ins, nil)
		return e.nv + int32(len(k)-1)
	}
	var fill func(g int32, x *graph.Expr)
	fill = func(g int32, x *graph.Expr) {
		i := g - e.nv
		if x.Op == graph.OpRef {
			ins[i] = append(ins[i], int32(m.Index(x.Ref)))
			k[i] = 1
			return
		}
		for _, a := range x.Args {
			if a.Op == graph.OpRef {
				ins[i] = append(ins[i], int32(m.Index(a.Ref)))
				continue
			}
			sub := gate()
			fill(sub, a)
			ins[i] = append(ins[i], sub)
		}
		k[i] = int32(x.Threshold())
	}
	// m.Fallbacks is sorted by the node they serve, and nodes by id, so
	// fbs is grouped by node in node order.
	e.fbStart = make([]int32, nn+1)
	for _, f := range m.Fallbacks {
		owner := int32(m.Index(f.For))
		tf := tlFallback{owner: owner, root: -1, act: int64(f.Activation), end: tlNever, cap: f.Capacity, src: f}
		if f.Endurance != nil {
			tf.end = int64(*f.Endurance)
		}
		if f.Requires != nil {
			tf.root = gate()
			fill(tf.root, f.Requires)
		}
		e.fbs = append(e.fbs, tf)
		e.fbStart[owner+1]++
	}
	for v := 1; v <= nn; v++ {
		e.fbStart[v] += e.fbStart[v-1]
	}
	nf := int32(len(k))
	total := e.nv + nf
	e.rootOf = make([]int32, nf)
	for i := range e.rootOf {
		e.rootOf[i] = -1
	}
	for i, f := range e.fbs {
		if f.root >= 0 {
			e.rootOf[f.root-e.nv] = int32(i)
		}
	}
	e.fgInStart = make([]int32, nf+1)
	for i, in := range ins {
		e.fgInStart[i+1] = e.fgInStart[i] + int32(len(in))
		e.fgIn = append(e.fgIn, in...)
	}
	e.xOutStart = make([]int32, total+1)
	for _, u := range e.fgIn {
		e.xOutStart[u+1]++
	}
	for v := int32(1); v <= total; v++ {
		e.xOutStart[v] += e.xOutStart[v-1]
	}
	e.xOut = make([]int32, len(e.fgIn))
	at := make([]int32, total)
	copy(at, e.xOutStart[:total])
	for i := int32(0); i < nf; i++ {
		for _, u := range e.fgIn[e.fgInStart[i]:e.fgInStart[i+1]] {
			e.xOut[at[u]] = e.nv + i
			at[u]++
		}
	}

	e.initV = make([]tlVertex, total)
	for v := int32(0); v < total; v++ {
		x := &e.initV[v]
		if v < e.nv {
			x.slack = c.InStart[v+1] - c.InStart[v] - c.K[v]
		} else {
			i := v - e.nv
			x.slack = e.fgInStart[i+1] - e.fgInStart[i] - k[i]
		}
		if x.slack < 0 {
			return nil, fmt.Errorf("%w: %s: requirement can never hold, even with every node up", ErrInvalidMap, e.describe(v))
		}
	}
	sccOf := e.cycles()
	for v := range e.initV {
		e.initV[v].scc = sccOf[v]
	}
	e.initN = make([]tlNodeState, nn)
	e.carryOf = make([]int32, nn)
	for i, n := range m.Nodes {
		x := &e.initN[i]
		x.ePrev, x.oPrev = true, true
		x.eSince, x.oSince = tlPast, tlPast
		if n.Buffer != nil {
			x.buffer = int64(*n.Buffer)
		}
		if n.Restore != nil {
			x.restore = int64(*n.Restore)
		}
		e.carryOf[i] = -1
		if n.Kind == graph.KindFunction {
			e.funcs = append(e.funcs, int32(i))
			if e.fbStart[i+1] > e.fbStart[i] {
				e.carryOf[i] = int32(len(e.carry))
				e.carry = append(e.carry, tlCarry{})
			}
		}
	}
	e.v = make([]tlVertex, total)
	e.ns = make([]tlNodeState, nn)
	e.sccUp = make([]uint32, len(e.sccStart))
	e.fbState = make([]tlFbState, len(e.fbs))
	e.resetAll()
	e.funcTmpl = make([]FunctionTimeline, len(e.funcs))
	for i, v := range e.funcs {
		e.funcTmpl[i] = e.funcTimeline(v, nil, 0, nil) // resetAll left no carry
	}
	return e, nil
}

// describe names the node or fallback a vertex belongs to, for errors.
func (e *TimelineEngine) describe(v int32) string {
	if v < e.nv {
		return "node " + e.m.Nodes[e.c.Owner[v]].ID
	}
	for _, f := range e.fbs {
		if f.root >= 0 && e.ownsGate(f.root, v) {
			return "fallback " + f.src.ID
		}
	}
	return "fallback"
}

// ownsGate reports whether fallback gate g is root or below it.
func (e *TimelineEngine) ownsGate(root, g int32) bool {
	if root == g {
		return true
	}
	i := root - e.nv
	for _, u := range e.fgIn[e.fgInStart[i]:e.fgInStart[i+1]] {
		if u >= e.nv && e.ownsGate(u, g) {
			return true
		}
	}
	return false
}

// inputs calls fn for each vertex v depends on: its inputs, and for a
// node the root gates of its fallbacks.
func (e *TimelineEngine) inputs(v int32, fn func(int32)) {
	if v < e.nv {
		c := e.c
		for _, u := range c.In[c.InStart[v]:c.InStart[v+1]] {
			fn(u)
		}
		if v < e.nn {
			for i := e.fbStart[v]; i < e.fbStart[v+1]; i++ {
				if r := e.fbs[i].root; r >= 0 {
					fn(r)
				}
			}
		}
		return
	}
	i := v - e.nv
	for _, u := range e.fgIn[e.fgInStart[i]:e.fgInStart[i+1]] {
		fn(u)
	}
}

// cycles finds the cycles of the dependency graph with Tarjan's
// algorithm (iterative), fills sccStart and sccMem, and returns for each
// vertex the cycle it lies on, or -1.
func (e *TimelineEngine) cycles() []int32 {
	n := int32(len(e.initV))
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	sccOf := make([]int32, n)
	for i := range index {
		index[i], sccOf[i] = -1, -1
	}
	var succ []int32 // the inputs of every vertex on the call stack, one after the other
	type frame struct{ v, from, next int32 }
	var call []frame
	var stack []int32
	next := int32(0)
	push := func(v int32) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		from := int32(len(succ))
		e.inputs(v, func(u int32) { succ = append(succ, u) })
		call = append(call, frame{v: v, from: from, next: from})
	}
	for root := int32(0); root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		push(root)
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.next < int32(len(succ)) {
				w := succ[f.next]
				f.next++
				if index[w] < 0 {
					push(w)
				} else if onStack[w] && index[w] < low[f.v] {
					low[f.v] = index[w]
				}
				continue
			}
			v := f.v
			succ = succ[:f.from]
			call = call[:len(call)-1]
			if len(call) > 0 {
				if p := call[len(call)-1].v; low[v] < low[p] {
					low[p] = low[v]
				}
			}
			if low[v] != index[v] {
				continue
			}
			k := len(stack) - 1
			for stack[k] != v {
				k--
			}
			comp := stack[k:]
			cyclic := len(comp) > 1
			if !cyclic {
				e.inputs(v, func(u int32) { cyclic = cyclic || u == v })
			}
			if cyclic {
				id := int32(len(e.sccStart))
				e.sccStart = append(e.sccStart, int32(len(e.sccMem)))
				for _, u := range comp {
					sccOf[u] = id
				}
				e.sccMem = append(e.sccMem, comp...)
			}
			for _, u := range comp {
				onStack[u] = false
			}
			stack = stack[:k]
		}
	}
	e.sccStart = append(e.sccStart, int32(len(e.sccMem)))
	return sccOf
}

// tlCheckMap checks what graph.Builder guarantees and the engine relies on.
func tlCheckMap(m *graph.Map) error {
	var bad error
	refs := func(what string, x *graph.Expr) {
		x.Walk(func(s *graph.Expr) {
			if bad == nil && s.Op == graph.OpRef && m.Index(s.Ref) < 0 {
				bad = fmt.Errorf("%w: %s requires unknown node %q", ErrInvalidMap, what, s.Ref)
			}
			if bad == nil && s.Op == graph.OpAtLeast && s.K < 0 {
				bad = fmt.Errorf("%w: %s requires at least %d", ErrInvalidMap, what, s.K)
			}
		})
	}
	neg := func(what, name string, d *graph.Duration) {
		if bad == nil && d != nil && *d < 0 {
			bad = fmt.Errorf("%w: %s has %s %s", ErrInvalidMap, what, name, *d)
		}
	}
	for _, n := range m.Nodes {
		refs("node "+n.ID, n.Requires)
		neg("node "+n.ID, "buffer", n.Buffer)
		neg("node "+n.ID, "restore", n.Restore)
		neg("node "+n.ID, "tolerance", n.Tolerance)
	}
	for _, f := range m.Fallbacks {
		if bad == nil && m.Index(f.For) < 0 {
			bad = fmt.Errorf("%w: fallback %s is for unknown node %q", ErrInvalidMap, f.ID, f.For)
		}
		refs("fallback "+f.ID, f.Requires)
		neg("fallback "+f.ID, "activation", &f.Activation)
		neg("fallback "+f.ID, "endurance", f.Endurance)
		if bad == nil && !(f.Capacity >= 0 && f.Capacity <= 1) {
			bad = fmt.Errorf("%w: fallback %s has capacity %g", ErrInvalidMap, f.ID, f.Capacity)
		}
	}
	return bad
}

// Map returns the map the engine runs on.
func (e *TimelineEngine) Map() *graph.Map { return e.m }

// Run computes the time line of one scenario: see Timeline.
func (e *TimelineEngine) Run(outages []Outage, opt TimelineOptions) (*TimelineResult, error) {
	if opt.Horizon < 0 {
		return nil, fmt.Errorf("timeline: negative horizon %s", opt.Horizon)
	}
	ids := make([]string, len(outages))
	for i, o := range outages {
		if o.Start < 0 || o.Duration < 0 {
			return nil, fmt.Errorf("timeline: outage of %s: negative start or duration (%s, %s)", o.ID, o.Start, o.Duration)
		}
		ids[i] = o.ID
	}
	if e.alias == nil {
		e.alias = aliases(e.m)
	}
	vs, err := resolve(e.m, e.alias, ids)
	if err != nil {
		return nil, err
	}
	// At most this many instants (see budget below).
	e.reset(opt.Fallbacks, 64*(len(e.m.Nodes)+len(e.fbs)+len(outages))+1024)

	resolved := make([]Outage, 0, len(outages))
	latest := int64(0)
	for i, o := range outages {
		if !o.Forever && o.Duration == 0 {
			continue
		}
		n := vs[i]
		r := Outage{ID: e.m.Nodes[n].ID, Start: o.Start, Forever: o.Forever}
		s := int64(o.Start)
		e.heap.push(tlEvent{t: s, n: n, kind: tlForcedStart})
		latest = max(latest, s)
		if !o.Forever {
			r.Duration = o.Duration
			end := tlAdd(s, int64(o.Duration))
			e.heap.push(tlEvent{t: end, n: n, kind: tlForcedEnd})
			if end != tlNever {
				latest = max(latest, end)
			}
		}
		resolved = append(resolved, r)
	}
	sort.SliceStable(resolved, func(i, j int) bool {
		a, b := resolved[i], resolved[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if a.Forever != b.Forever {
			return !a.Forever
		}
		return a.Duration < b.Duration
	})

	limit := int64(opt.Horizon)
	if opt.Horizon == 0 {
		// A safeguard only: a time line settles long before, unless
		// durations of decades are chained.
		limit = tlAdd(latest, int64(graph.MaxDuration))
	}
	// A second safeguard against a time line that would never settle
	// (none is known): a budget of instants far above what settling
	// takes, after which the time line ends at the next pending change.
	budget := 64*(len(e.m.Nodes)+len(e.fbs)+len(resolved)) + 1024
	for len(e.heap) > 0 && e.heap[0].t < limit {
		if budget == 0 {
			limit = e.heap[0].t
			break
		}
		budget--
		e.instant(e.heap[0].t)
	}
	settled := len(e.heap) == 0
	horizon := limit
	if opt.Horizon == 0 && settled {
		horizon = e.defaultHorizon()
	}
	r := e.result(horizon, settled)
	r.Outages = resolved
	r.Fallbacks = opt.Fallbacks
	return r, nil
}

// reset brings every node back up, with every requirement holding since
// before time 0, for a run of at most budget instants. It undoes only
// what the previous run touched, unless the numbers of instants would
// run out during the run.
func (e *TimelineEngine) reset(fallbacks bool, budget int) {
	e.fbOn = fallbacks && len(e.fbs) > 0
	if uint64(e.stampNo)+uint64(budget)+2 > math.MaxUint32 {
		e.resetAll()
	} else {
		c := e.c
		for _, v := range e.touchedV {
			e.v[v] = e.initV[v]
			if v < e.nv {
				for _, w := range c.Out[c.OutStart[v]:c.OutStart[v+1]] {
					e.v[w] = e.initV[w]
				}
			}
			for _, w := range e.xOut[e.xOutStart[v]:e.xOutStart[v+1]] {
				e.v[w] = e.initV[w]
			}
		}
		for _, n := range e.touchedN {
			e.ns[n] = e.initN[n]
			e.resetNode(n)
		}
	}
	e.touchedV = e.touchedV[:0]
	e.touchedN = e.touchedN[:0]
	e.runBase = e.stampNo
	e.heap = e.heap[:0]
	e.log = e.log[:0]
	e.last = -1
}

// resetAll brings every vertex, node, fallback and function back to its
// initial state and starts numbering instants afresh.
func (e *TimelineEngine) resetAll() {
	copy(e.v, e.initV)
	copy(e.ns, e.initN)
	clear(e.sccUp)
	for n := int32(0); n < e.nn; n++ {
		e.resetNode(n)
	}
	e.stampNo = 0
}

// resetNode brings the fallbacks of node n and what carries it back to
// their initial state, keeping their buffers.
func (e *TimelineEngine) resetNode(n int32) {
	for i := e.fbStart[n]; i < e.fbStart[n+1]; i++ {
		e.fbState[i] = tlFbState{activeLog: e.fbState[i].activeLog[:0], holdingLog: e.fbState[i].holdingLog[:0]}
	}
	if ci := e.carryOf[n]; ci >= 0 {
		e.carry[ci] = tlCarry{fb: -1, spans: e.carry[ci].spans[:0]}
	}
}

// mode is node n's mode at the current instant, from what happened
// before it (see Timeline).
func (e *TimelineEngine) mode(n int32) uint8 {
	x := &e.ns[n]
	if x.forced > 0 {
		return tlHeldDown
	}
	v := &e.v[n]
	wasDown := v.down
	if v.stamp == e.stampNo {
		wasDown = v.before
	}
	if !wasDown {
		if x.buffer == 0 || !x.ePrev && tlSince(e.now, x.eSince) >= x.buffer {
			return tlFree
		}
		return tlHeldUp
	}
	if x.restore == 0 || x.ePrev && tlSince(e.now, x.eSince) >= x.restore {
		return tlFree
	}
	return tlHeldDown
}

// windowOpen reports whether fallback f's activity window is open now,
// given that its node's own requirement fails now.
func (e *TimelineEngine) windowOpen(f *tlFallback) bool {
	if f.end == 0 {
		return false
	}
	el := int64(0) // time since the failure began
	if x := &e.ns[f.owner]; !x.oPrev {
		el = tlSince(e.now, x.oSince)
	}
	return el >= f.act && (f.end == tlNever || el-f.act < f.end)
}

// holds reports whether vertex v's requirement holds in the current
// states (for a node: O_n).
func (e *TimelineEngine) holds(v int32) bool { return e.v[v].cnt <= e.v[v].slack }

// effective is E_n now: O_n, or a fallback of n active and holding.
func (e *TimelineEngine) effective(n int32) bool {
	if e.holds(n) {
		return true
	}
	if !e.fbOn {
		return false
	}
	for i := e.fbStart[n]; i < e.fbStart[n+1]; i++ {
		f := &e.fbs[i]
		if (f.root < 0 || !e.v[f.root].down) && e.windowOpen(f) {
			return true
		}
	}
	return false
}

// set changes v's state, remembering its state before the instant.
func (e *TimelineEngine) set(v int32, down bool) {
	x := &e.v[v]
	if x.stamp != e.stampNo {
		if x.stamp <= e.runBase {
			// The first change of v in the run: it goes down.
			e.touchedV = append(e.touchedV, v)
		}
		x.stamp = e.stampNo
		x.before = x.down
	}
	x.down = down
	if v < e.nn {
		e.affect(v)
	}
}

// affect lists node n for settling at the end of the instant.
func (e *TimelineEngine) affect(n int32) {
	if x := &e.ns[n]; x.aff != e.stampNo {
		if x.aff <= e.runBase {
			e.touchedN = append(e.touchedN, n)
		}
		x.aff = e.stampNo
		e.affNode = append(e.affNode, n)
	}
}

// instant processes every event at time t: the changes of mode they
// bring, the least fixpoint of the free nodes, and the timers that
// follow.
//
// The states just before t are the least fixpoint for the modes before
// t, and modes change only at events. So the new fixpoint is reached in
// three steps: nodes held down by an event go down; every vertex that
// may have to come up is raised (tryRaise), which yields states at least
// as far up as the fixpoint; and a descent takes down every free vertex
// whose requirement then fails, which ends at the greatest fixpoint
// below, the least down set.
func (e *TimelineEngine) instant(t int64) {
	e.now = t
	e.stampNo++
	e.seeds = e.seeds[:0]
	e.affNode = e.affNode[:0]
	for len(e.heap) > 0 && e.heap[0].t == t {
		ev := e.heap.pop()
		x := &e.ns[ev.n]
		switch ev.kind {
		case tlForcedStart:
			x.forced++
		case tlForcedEnd:
			x.forced--
			x.endAt = e.stampNo
		}
		if x.aff != e.stampNo {
			e.seeds = append(e.seeds, ev.n)
		}
		e.affect(ev.n)
	}
	e.raiseQ = e.raiseQ[:0]
	e.checkQ = e.checkQ[:0]
	for _, n := range e.seeds {
		if e.mode(n) == tlHeldDown && !e.v[n].down {
			e.set(n, true)
			e.fell(n)
		}
	}
	for _, n := range e.seeds {
		if e.mode(n) == tlFree {
			if e.v[n].down {
				e.tryRaise(n)
			} else {
				e.checkQ = append(e.checkQ, n)
			}
		}
	}
	for h := 0; h < len(e.raiseQ); h++ {
		v := e.raiseQ[h]
		e.set(v, false)
		e.checkQ = append(e.checkQ, v)
		e.rose(v)
	}
	for h := 0; h < len(e.checkQ); h++ {
		v := e.checkQ[h]
		if e.v[v].down || !e.shouldFall(v) {
			continue
		}
		e.set(v, true)
		e.fell(v)
	}
	for _, n := range e.affNode {
		e.settle(n)
	}
}

// tryRaise raises w if it is down and may come up at this instant (a
// gate, or a free node): outside cycles when its requirement holds in
// the current states (it is tried again whenever an input comes up); on
// a cycle together with every free vertex of the cycle, whatever their
// requirements (the descent takes down those that cannot stay up).
//
// Every vertex up in the new fixpoint but down before is reached: it
// depends on an event's node through vertices that come up too (else the
// states before would not have been the least fixpoint), so taking the
// cycles and vertices in the order of the condensation, suppliers
// first, each is tried after the inputs it needs have come up.
func (e *TimelineEngine) tryRaise(w int32) {
	x := &e.v[w]
	if !x.down || x.raised == e.stampNo {
		return
	}
	s := x.scc
	if s < 0 {
		if x.cnt > x.slack && (w >= e.nn || !e.fbOn || e.fbStart[w] == e.fbStart[w+1]) {
			return // the usual case: other inputs are still down
		}
		if w < e.nn && e.mode(w) != tlFree {
			return
		}
		if x.cnt <= x.slack || e.effective(w) {
			e.raise(w)
		}
		return
	}
	if w < e.nn && e.mode(w) != tlFree {
		return
	}
	if e.sccUp[s] == e.stampNo {
		return
	}
	e.sccUp[s] = e.stampNo
	for _, u := range e.sccMem[e.sccStart[s]:e.sccStart[s+1]] {
		if y := &e.v[u]; y.down && y.raised != e.stampNo && (u >= e.nn || e.mode(u) == tlFree) {
			e.raise(u)
		}
	}
}

// raise queues v to come up.
func (e *TimelineEngine) raise(v int32) {
	e.v[v].raised = e.stampNo
	e.raiseQ = append(e.raiseQ, v)
}

// check queues up vertex w if its requirement fails. One whose
// requirement holds stays up (a node's E_n holds when O_n does).
func (e *TimelineEngine) check(w int32) {
	if x := &e.v[w]; !x.down && x.cnt > x.slack {
		e.checkQ = append(e.checkQ, w)
	}
}

// shouldFall reports whether up vertex v must go down now.
func (e *TimelineEngine) shouldFall(v int32) bool {
	if v >= e.nn {
		return !e.holds(v)
	}
	return e.mode(v) == tlFree && !e.effective(v)
}

// fell applies v's going down to the counts of the vertices that take
// it as input, and queues those whose requirement just failed; a
// fallback's root gate queues the node it serves.
func (e *TimelineEngine) fell(v int32) {
	if v < e.nv {
		c := e.c
		for _, w := range c.Out[c.OutStart[v]:c.OutStart[v+1]] {
			x := &e.v[w]
			x.cnt++
			if x.cnt == x.slack+1 {
				if w < e.nn {
					e.affect(w)
				}
				if !x.down {
					e.checkQ = append(e.checkQ, w)
				}
			}
		}
	}
	if !e.fbOn {
		return
	}
	for _, w := range e.xOut[e.xOutStart[v]:e.xOutStart[v+1]] {
		e.v[w].cnt++
		e.check(w)
	}
	if v >= e.nv {
		if f := e.rootOf[v-e.nv]; f >= 0 {
			n := e.fbs[f].owner
			e.affect(n)
			e.check(n)
		}
	}
}

// rose applies v's coming up to the counts of the vertices that take it
// as input, and tries to raise them; a fallback's root gate tries the
// node it serves.
func (e *TimelineEngine) rose(v int32) {
	if v < e.nv {
		c := e.c
		for _, w := range c.Out[c.OutStart[v]:c.OutStart[v+1]] {
			x := &e.v[w]
			x.cnt--
			if w < e.nn && x.cnt == x.slack {
				e.affect(w)
			}
			if x.down {
				e.tryRaise(w)
			}
		}
	}
	if !e.fbOn {
		return
	}
	for _, w := range e.xOut[e.xOutStart[v]:e.xOutStart[v+1]] {
		e.v[w].cnt--
		e.tryRaise(w)
	}
	if v >= e.nv {
		if f := e.rootOf[v-e.nv]; f >= 0 {
			n := e.fbs[f].owner
			e.affect(n)
			e.tryRaise(n)
		}
	}
}

// settle ends the instant for node n: it records its change of state,
// updates the history of O_n and E_n, the fallbacks' activity and the
// degraded span, and starts the timers that follow.
func (e *TimelineEngine) settle(n int32) {
	t := e.now
	o := e.holds(n)
	ev := o
	v := &e.v[n]
	down := v.down
	if e.fbOn && e.fbStart[n+1] > e.fbStart[n] {
		best := int32(-1)
		for i := e.fbStart[n]; i < e.fbStart[n+1]; i++ {
			f := &e.fbs[i]
			active := !o && e.windowOpen(f)
			holding := active && (f.root < 0 || !e.v[f.root].down)
			if holding {
				ev = true
				if best < 0 || f.cap > e.fbs[best].cap {
					best = i
				}
			}
			s := &e.fbState[i]
			if active != s.active {
				if active {
					s.activeSince = t
				} else {
					s.activeLog = append(s.activeLog, tlSpan{s.activeSince, t})
				}
				s.active = active
				e.last = t
			}
			if holding != s.holding {
				if holding {
					s.holdingSince = t
				} else {
					s.holdingLog = append(s.holdingLog, tlSpan{s.holdingSince, t})
				}
				s.holding = holding
				e.last = t
			}
		}
		if ci := e.carryOf[n]; ci >= 0 {
			if down {
				best = -1
			}
			c := &e.carry[ci]
			if best != c.fb {
				if c.fb >= 0 {
					c.spans = append(c.spans, tlCarrySpan{c.since, t, c.fb})
				}
				c.fb, c.since = best, t
				e.last = t
			}
		}
	}
	x := &e.ns[n]
	if o != x.oPrev {
		x.oPrev, x.oSince = o, t
		if !o && e.fbOn {
			// Each fallback's window opens and closes: look again then.
			for i := e.fbStart[n]; i < e.fbStart[n+1]; i++ {
				f := &e.fbs[i]
				if f.end == 0 {
					continue
				}
				if f.act > 0 {
					e.heap.push(tlEvent{t: tlAdd(t, f.act), n: n})
				}
				if f.end != tlNever {
					e.heap.push(tlEvent{t: tlAdd(tlAdd(t, f.act), f.end), n: n})
				}
			}
		}
	}
	if ev != x.ePrev {
		x.ePrev, x.eSince = ev, t
	}
	was := down
	if v.stamp == e.stampNo {
		was = v.before
	}
	if down != was {
		e.log = append(e.log, tlChange{t: t, n: n, down: down})
		e.last = t
	}
	switch {
	case !down && !ev && x.eSince == t && x.buffer > 0:
		// The buffer starts to run out.
		e.heap.push(tlEvent{t: tlAdd(t, x.buffer), n: n})
	case down && ev && x.restore > 0 && (x.eSince == t || x.endAt == e.stampNo):
		// The restore starts, or goes on after an outage of n ended.
		if at := tlAdd(x.eSince, x.restore); at > t {
			e.heap.push(tlEvent{t: at, n: n})
		}
	}
}
