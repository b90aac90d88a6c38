package mvc

import (
	"cmp"
	"container/heap"
	"math"
	"slices"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// RecoveryOptions choose how Recover plans.
type RecoveryOptions struct {
	// Functions are the ids of the functions to restore; nil or empty:
	// every core function.
	Functions []string
	// Fallbacks: fallbacks take part in the time line (see
	// impact.TimelineOptions).
	Fallbacks bool
	// Horizon is the end of the time line; 0 lets impact.Timeline choose.
	Horizon graph.Duration
}

// Recovery is the order in which to bring nodes back after an outage so
// that the MVC is up again soonest, with the times of the time line.
type Recovery struct {
	// Outages are the scenario's outages as the time line resolved them.
	Outages []impact.Outage
	// Horizon is the end of the time line; Settled says nothing changes
	// after it (see impact.TimelineResult).
	Horizon graph.Duration
	Settled bool
	// Targets are the functions to restore, sorted.
	Targets []string
	// Functions lists the targets that go down, sorted by id, with when.
	Functions []RecoveredFunction
	// Halted: some target goes down. RestoredAt is then when the last of
	// them is up again, or nil when one is not up again by the horizon.
	Halted     bool
	RestoredAt *graph.Duration
	// Steps are the nodes the targets wait for, in the order to bring
	// them back: every step comes after the steps it waits for (except
	// around a cycle, where the order is the one below); among the steps
	// whose dependencies are all placed, the next is the one on the
	// critical path, else the one with the longest chain of restore times
	// still ahead of it (up to a target), else the first up again, else
	// the first by id.
	Steps []Step
	// CriticalPath is the chain of steps that decides RestoredAt: the
	// node whose own outage ends last on it first, then each node that
	// waits for the previous one, up to the last target restored. Empty
	// when no target goes down.
	CriticalPath []string
	// Later lists the nodes that go down at some moment but that no
	// target waits for, sorted: they can come back after the MVC.
	Later []string
}

// RecoveredFunction is when a target goes down and comes back.
type RecoveredFunction struct {
	ID         string
	Name       string
	HaltedAt   graph.Duration
	RestoredAt *graph.Duration // nil: not up again by the horizon
}

// Step is one node to bring back.
type Step struct {
	ID   string
	Kind graph.Kind
	// Failed: an outage of the scenario names the node.
	Failed bool
	// DownAt is when the node first goes down.
	DownAt graph.Duration
	// ReadyAt is when the node's requirement holds again, the steps it
	// waits for being back: from then on only its own restore time (and
	// its own outage) keeps it down. It is 0 when its requirement never
	// failed, and nil when it does not hold again by the horizon.
	ReadyAt *graph.Duration
	// UpAt is when the node is up again; nil when not by the horizon.
	UpAt *graph.Duration
	// Restore is the node's restore time (0 when not given).
	Restore graph.Duration
	// After lists the steps the node waits for: the nodes down at some
	// moment among the inputs that bring its requirement back first,
	// sorted.
	After []string
	// Critical: the step is on the critical path.
	Critical bool
}

// never is the time of something that does not happen by the horizon.
const never = graph.Duration(math.MaxInt64)

// Recover plans the recovery from an outage scenario: it computes the
// time line of the outages (impact.Timeline: buffers, restore times,
// fallbacks when asked), and from it, for the targets (by default every
// core function), which of the nodes that go down they wait for, in
// which order those come back, and the critical path.
//
// Which nodes a node waits for is read from its own requirement, on the
// times of the time line: a requirement needing k of its items waits for
// the k that are up again first (a list for all of them, an any group for
// the first back), and through those, recursively, for what they wait
// for; fallbacks only change the times. An outage's duration says when
// the failed node's own fault is repaired; an outage with Forever set is
// never repaired, and whatever waits for it has no UpAt. The outages
// follow impact.Timeline's rules: one of length 0 forces nothing.
//
// Errors are those of impact.Timeline (unknown ids, negative times) and
// of the targets (*impact.UnknownNodeError, *NotFunctionError).
func Recover(m *graph.Map, outages []impact.Outage, opt RecoveryOptions) (*Recovery, error) {
	if m == nil {
		return nil, errNilMap
	}
	c := graph.Compile(m, graph.CompileOptions{})
	p, err := newProblem(c, opt.Functions)
	if err != nil {
		return nil, err
	}
	tl, err := impact.Timeline(m, outages, impact.TimelineOptions{Fallbacks: opt.Fallbacks, Horizon: opt.Horizon})
	if err != nil {
		return nil, err
	}
	rec := &Recovery{
		Outages: tl.Outages, Horizon: tl.Horizon, Settled: tl.Settled,
		Targets: p.targetIDs(), Functions: []RecoveredFunction{}, Steps: []Step{},
		CriticalPath: []string{}, Later: []string{},
	}

	// Each vertex's time: when it is up for good (0: never down), from
	// the time line for nodes and from their inputs for gates.
	n := c.N()
	at := make([]graph.Duration, n)
	downAt := make([]graph.Duration, n)
	wentDown := make([]bool, n)
	for _, nt := range tl.Nodes {
		v := m.Index(nt.ID)
		if v < 0 || len(nt.Down) == 0 {
			continue
		}
		wentDown[v] = true
		downAt[v] = nt.Down[0].From
		at[v] = never
		if last := nt.Down[len(nt.Down)-1]; last.To != nil {
			at[v] = *last.To
		}
	}
	known := make([]bool, n)
	var gateTime func(v int32) graph.Duration
	// chosen returns v's inputs that bring its requirement back first: the
	// K earliest, ties in the order written.
	chosen := func(v int32) []int32 {
		in := slices.Clone(c.Inputs(v))
		for _, u := range in {
			gateTime(u)
		}
		slices.SortStableFunc(in, func(a, b int32) int { return cmp.Compare(at[a], at[b]) })
		return in[:min(int(c.K[v]), len(in))]
	}
	// ready is when v's requirement holds again: the latest of chosen.
	ready := func(v int32) graph.Duration {
		t := graph.Duration(0)
		for _, u := range chosen(v) {
			t = max(t, at[u])
		}
		if int(c.K[v]) > len(c.Inputs(v)) {
			t = never
		}
		return t
	}
	gateTime = func(v int32) graph.Duration {
		if !c.IsGate(v) || known[v] {
			return at[v]
		}
		known[v] = true
		at[v] = ready(v) // gate inputs are earlier gates or nodes: no cycle
		return at[v]
	}

	// The steps: what the halted targets wait for, through gates.
	isStep := make([]bool, c.NumNodes)
	after := map[int32][]int32{}
	var stack []int32
	for _, t := range p.targets {
		if wentDown[t] && !isStep[t] {
			isStep[t] = true
			stack = append(stack, t)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		var deps []int32
		var walk func(x int32)
		walk = func(x int32) {
			for _, u := range chosen(x) {
				switch {
				case c.IsGate(u):
					walk(u)
				case wentDown[u]:
					deps = append(deps, u)
					if !isStep[u] {
						isStep[u] = true
						stack = append(stack, u)
					}
				}
			}
		}
		walk(v)
		slices.Sort(deps)
		after[v] = slices.Compact(deps)
	}

	// The targets and when the MVC is back.
	last := int32(-1)
	for _, t := range p.targets {
		if !wentDown[t] {
			continue
		}
		rec.Halted = true
		nd := m.Nodes[t]
		rf := RecoveredFunction{ID: nd.ID, Name: nd.Label(), HaltedAt: downAt[t], RestoredAt: durPtr(at[t])}
		rec.Functions = append(rec.Functions, rf)
		if last < 0 || at[t] > at[last] {
			last = t
		}
	}
	if last >= 0 {
		rec.RestoredAt = durPtr(at[last])
	}

	// The critical path: back from the last target restored, through the
	// input it waited for last, while waiting (not its own outage) is
	// what kept it down.
	critical := make([]bool, c.NumNodes)
	failed := map[string]bool{}
	for _, o := range tl.Outages {
		failed[o.ID] = true
	}
	for v := last; v >= 0 && !critical[v]; {
		critical[v] = true
		rec.CriticalPath = append(rec.CriticalPath, m.Nodes[v].ID)
		r := ready(v)
		if r == 0 || r != never && at[v] != never && r+restoreOf(m.Nodes[v]) < at[v] {
			break
		}
		next := int32(-1)
		for x := v; next < 0; {
			var latest int32 = -1
			for _, u := range chosen(x) {
				if latest < 0 || at[u] > at[latest] {
					latest = u
				}
			}
			if latest < 0 || at[latest] == 0 {
				break
			}
			if c.IsGate(latest) {
				x = latest
				continue
			}
			next = latest
		}
		v = next
	}
	slices.Reverse(rec.CriticalPath)

	// The steps in order.
	var steps []int32
	for v := int32(0); v < int32(c.NumNodes); v++ {
		if isStep[v] {
			steps = append(steps, v)
		} else if wentDown[v] {
			rec.Later = append(rec.Later, m.Nodes[v].ID)
		}
	}
	steps = scheduleSteps(steps, after, at, critical, func(v int32) graph.Duration { return restoreOf(m.Nodes[v]) })
	for _, v := range steps {
		nd := m.Nodes[v]
		s := Step{ID: nd.ID, Kind: nd.Kind, Failed: failed[nd.ID], DownAt: downAt[v],
			ReadyAt: durPtr(ready(v)), UpAt: durPtr(at[v]), Restore: restoreOf(nd),
			After: []string{}, Critical: critical[v]}
		for _, u := range after[v] {
			s.After = append(s.After, m.Nodes[u].ID)
		}
		rec.Steps = append(rec.Steps, s)
	}
	return rec, nil
}

func durPtr(d graph.Duration) *graph.Duration {
	if d == never {
		return nil
	}
	return &d
}

func restoreOf(n *graph.Node) graph.Duration {
	if n.Restore == nil {
		return 0
	}
	return *n.Restore
}

// scheduleSteps orders the steps: a list schedule of the wait-for graph
// (after), taking among the steps whose dependencies are placed the best
// by critical, then the longest restore chain ahead, then up time, then
// vertex (id). A cycle that stalls it is broken at its best step.
func scheduleSteps(steps []int32, after map[int32][]int32, at []graph.Duration, critical []bool, restore func(int32) graph.Duration) []int32 {
	// Steps that wait for each other around a cycle share a component;
	// only waiting across components orders them.
	comp := stepComponents(steps, after)
	waiters := map[int32][]int32{}
	missing := map[int32]int{}
	for _, v := range steps {
		for _, u := range after[v] {
			if comp[u] != comp[v] {
				missing[v]++
				waiters[u] = append(waiters[u], v)
			}
		}
	}
	// ahead[v]: the longest chain of restore times of the steps that wait
	// for v, transitively.
	ahead := map[int32]graph.Duration{}
	state := map[int32]int8{} // 1 on the path, 2 done
	var chain func(v int32) graph.Duration
	chain = func(v int32) graph.Duration {
		if state[v] != 0 {
			return ahead[v]
		}
		state[v] = 1
		best := graph.Duration(0)
		for _, w := range waiters[v] {
			best = max(best, restore(w)+chain(w))
		}
		ahead[v] = best
		state[v] = 2
		return best
	}
	for _, v := range steps {
		chain(v)
	}
	better := func(a, b int32) bool {
		if critical[a] != critical[b] {
			return critical[a]
		}
		if ahead[a] != ahead[b] {
			return ahead[a] > ahead[b]
		}
		if at[a] != at[b] {
			return at[a] < at[b]
		}
		return a < b
	}
	h := &stepHeap{better: better}
	for _, v := range steps {
		if missing[v] == 0 {
			heap.Push(h, v)
		}
	}
	out := make([]int32, 0, len(steps))
	for h.Len() > 0 {
		v := heap.Pop(h).(int32)
		out = append(out, v)
		for _, w := range waiters[v] {
			if missing[w]--; missing[w] == 0 {
				heap.Push(h, w)
			}
		}
	}
	return out
}

// stepComponents numbers the strongly connected components of the
// wait-for graph (Tarjan's algorithm).
func stepComponents(steps []int32, after map[int32][]int32) map[int32]int {
	index := map[int32]int{}
	low := map[int32]int{}
	on := map[int32]bool{}
	comp := map[int32]int{}
	var stack []int32
	n := 0
	var visit func(v int32)
	visit = func(v int32) {
		index[v], low[v] = n, n
		n++
		stack = append(stack, v)
		on[v] = true
		for _, u := range after[v] {
			if _, seen := index[u]; !seen {
				visit(u)
				low[v] = min(low[v], low[u])
			} else if on[u] {
				low[v] = min(low[v], index[u])
			}
		}
		if low[v] == index[v] {
			for {
				u := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[u] = false
				comp[u] = index[v]
				if u == v {
					break
				}
			}
		}
	}
	for _, v := range steps {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return comp
}

// stepHeap is a heap of steps, the best first.
type stepHeap struct {
	s      []int32
	better func(a, b int32) bool
}

func (h *stepHeap) Len() int           { return len(h.s) }
func (h *stepHeap) Less(i, j int) bool { return h.better(h.s[i], h.s[j]) }
func (h *stepHeap) Swap(i, j int)      { h.s[i], h.s[j] = h.s[j], h.s[i] }
func (h *stepHeap) Push(x any)         { h.s = append(h.s, x.(int32)) }
func (h *stepHeap) Pop() any {
	x := h.s[len(h.s)-1]
	h.s = h.s[:len(h.s)-1]
	return x
}
