package gaps

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/impact/impacttest"
)

var someDurations = []string{"", "", "0", "15m", "30m", "1h", "2h", "5h"}

func randomDuration(rng *rand.Rand) *graph.Duration {
	s := someDurations[rng.IntN(len(someDurations))]
	if s == "" {
		return nil
	}
	x := graph.MustDuration(s)
	return &x
}

// randomDAG returns a small map without cycles: node i requires only
// nodes after it, in nested all/any/atleast groups that may repeat an id;
// durations are random, some unset.
func randomDAG(rng *rand.Rand) *graph.Map {
	n := 2 + rng.IntN(9)
	ids := make([]string, n)
	kinds := make([]graph.Kind, n)
	for i := range ids {
		kinds[i] = graph.Kinds[rng.IntN(3)]
		if i == 0 {
			kinds[i] = graph.KindFunction
		}
		ids[i] = fmt.Sprintf("%c%d", kinds[i].String()[0], i)
	}
	var group func(self, depth int) *graph.Expr
	group = func(self, depth int) *graph.Expr {
		if depth > 2 || rng.IntN(3) > 0 {
			return graph.Ref(ids[self+1+rng.IntN(n-self-1)])
		}
		k := 1 + rng.IntN(4)
		args := make([]*graph.Expr, k)
		for i := range args {
			args[i] = group(self, depth+1)
		}
		switch rng.IntN(3) {
		case 0:
			return graph.All(args...)
		case 1:
			return graph.Any(args...)
		}
		return graph.AtLeast(rng.IntN(k+1), args...)
	}
	var nodes []*graph.Node
	for i, id := range ids {
		nd := &graph.Node{ID: id, Kind: kinds[i], Restore: randomDuration(rng), RTO: randomDuration(rng)}
		if i < n-1 && rng.IntN(5) > 0 {
			nd.Requires = graph.All()
			for range 1 + rng.IntN(3) {
				nd.Requires.Args = append(nd.Requires.Args, group(i, 0))
			}
		}
		if nd.Kind == graph.KindFunction {
			nd.Tolerance = randomDuration(rng)
		}
		nodes = append(nodes, nd)
	}
	return graph.NewMap("dag", nodes, nil)
}

// bruteRecovery is the roll-up by enumerating every path of the
// requirement expressions, without memory.
func bruteRecovery(m *graph.Map, id string) int64 {
	n := m.Node(id)
	own := int64(0)
	switch {
	case n.Restore != nil:
		own = int64(*n.Restore)
	case n.RTO != nil && n.Kind != graph.KindFunction:
		own = int64(*n.RTO)
	}
	return own + bruteExpr(m, n.Requires)
}

func bruteExpr(m *graph.Map, e *graph.Expr) int64 {
	if e == nil {
		return 0
	}
	if e.Op == graph.OpRef {
		return bruteRecovery(m, e.Ref)
	}
	var ts []int64
	for _, a := range e.Args {
		ts = append(ts, bruteExpr(m, a))
	}
	slices.Sort(ts)
	k := e.Threshold()
	if k <= 0 {
		return 0
	}
	return ts[k-1]
}

// refersTo reports whether e names id.
func refersTo(e *graph.Expr, id string) bool { return slices.Contains(e.RefIDs(), id) }

// checkChain checks that the chain of v is a real, critical dependency
// chain: it starts at v, each step is named by the previous one's
// requirement (within a cold-started block, by some block member's), and
// the steps' times from each step on add up to that step's recovery time
// (brute, when given, is the expected time of a node).
func checkChain(t *testing.T, m *graph.Map, r *rollup, v int32, brute func(id string) int64) {
	t.Helper()
	steps := r.chain(v)
	if len(steps) == 0 || steps[0].ID != m.Nodes[v].ID && !steps[0].ColdStart {
		t.Fatalf("chain(%s) = %+v: does not start at the node", m.Nodes[v].ID, steps)
	}
	sum := int64(0)
	for i := len(steps) - 1; i >= 0; i-- {
		s := steps[i]
		sum += int64(s.Time)
		own, _ := ownTime(m.Node(s.ID))
		if int64(s.Time) != own {
			t.Fatalf("chain(%s) step %s: time %s, own time %s", m.Nodes[v].ID, s.ID, s.Time, graph.Duration(own))
		}
		if s.ColdStart {
			continue
		}
		if got := r.t[m.Index(s.ID)]; got != sum {
			t.Fatalf("chain(%s): steps from %s add up to %s, its recovery is %s", m.Nodes[v].ID, s.ID, graph.Duration(sum), graph.Duration(got))
		}
		if brute != nil && brute(s.ID) != sum {
			t.Fatalf("chain(%s): steps from %s add up to %s, brute force says %s", m.Nodes[v].ID, s.ID, graph.Duration(sum), graph.Duration(brute(s.ID)))
		}
		if i > 0 && !steps[i-1].ColdStart && !refersTo(m.Node(steps[i-1].ID).Requires, s.ID) {
			t.Fatalf("chain(%s): %s does not require %s", m.Nodes[v].ID, steps[i-1].ID, s.ID)
		}
	}
	if sum != r.t[v] {
		t.Fatalf("chain(%s) adds up to %s, recovery %s", m.Nodes[v].ID, graph.Duration(sum), graph.Duration(r.t[v]))
	}
}

// TestRecoveryOracle compares the roll-up with path enumeration on random
// maps without cycles, and checks every chain.
func TestRecoveryOracle(t *testing.T) {
	for seed := range uint64(400) {
		rng := rand.New(rand.NewPCG(seed, 1))
		m := randomDAG(rng)
		c := graph.Compile(m, graph.CompileOptions{})
		r := newRollup(c)
		brute := func(id string) int64 { return bruteRecovery(m, id) }
		for v, n := range m.Nodes {
			if want := brute(n.ID); r.t[v] != want {
				t.Fatalf("seed %d: recovery of %s = %s, brute force %s", seed, n.ID, graph.Duration(r.t[v]), graph.Duration(want))
			}
			checkChain(t, m, r, int32(v), brute)
		}
		// The report: exactly the functions over their limit.
		var want []string
		for _, n := range m.Nodes {
			if n.Kind != graph.KindFunction || n.Tolerance == nil && n.RTO == nil {
				continue
			}
			lim := graph.Duration(maxTime)
			for _, x := range []*graph.Duration{n.Tolerance, n.RTO} {
				if x != nil {
					lim = min(lim, *x)
				}
			}
			if graph.Duration(brute(n.ID)) > lim {
				want = append(want, n.ID)
			}
		}
		var got []string
		for _, g := range recoveryGaps(c) {
			got = append(got, g.Function)
			if g.Recovery != graph.Duration(brute(g.Function)) || g.Over != g.Recovery-g.Limit || g.Over <= 0 {
				t.Fatalf("seed %d: gap %+v inconsistent", seed, g)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: gaps %v, want %v", seed, got, want)
		}
	}
}

// TestRecoveryTimeline checks the roll-up against the outage time line of
// graph/impact on random maps without cycles: every node fails at once,
// and each node's restore is set to its own recovery time; a node without
// requirement stays down that long after the outages end, any other comes
// back that long after its requirement holds again.
func TestRecoveryTimeline(t *testing.T) {
	const end = graph.Hour
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 2))
		m := randomDAG(rng)
		r := newRollup(graph.Compile(m, graph.CompileOptions{}))
		var nodes []*graph.Node
		var outages []impact.Outage
		for v, n := range m.Nodes {
			own := graph.Duration(r.own[v])
			nodes = append(nodes, &graph.Node{ID: n.ID, Kind: n.Kind, Requires: n.Requires, Restore: &own})
			o := impact.Outage{ID: n.ID, Duration: end}
			if n.Requires.Eval(func(string) bool { return false }) {
				// Its requirement holds with everything down: it is back
				// when its own outage ends.
				o.Duration += own
			}
			outages = append(outages, o)
		}
		tm := graph.NewMap("timeline", nodes, nil)
		tl, err := impact.Timeline(tm, outages, impact.TimelineOptions{})
		if err != nil {
			t.Fatalf("seed %d: Timeline: %v", seed, err)
		}
		for _, nt := range tl.Nodes {
			last := nt.Down[len(nt.Down)-1]
			if last.To == nil {
				t.Fatalf("seed %d: %s never restored", seed, nt.ID)
			}
			if got, want := *last.To-end, graph.Duration(r.t[tm.Index(nt.ID)]); got != want {
				t.Fatalf("seed %d: %s back %s after the outages, roll-up says %s", seed, nt.ID, got, want)
			}
		}
	}
}

// greatestFixpoint iterates T(v) = own(v) + kth(T(inputs)) down from
// "never" until nothing changes: the pessimistic recovery times, "never"
// (-1) for a recovery deadlock. Vertices in pinned keep their value.
func greatestFixpoint(t *testing.T, r *rollup, pinned map[int]int64) []int64 {
	c := r.c
	const never = int64(-1)
	ts := make([]int64, c.N())
	for v := range ts {
		ts[v] = never
		if x, ok := pinned[v]; ok {
			ts[v] = x
		}
	}
	for round := 0; ; round++ {
		if round > 10*c.N()+10 {
			t.Fatal("greatestFixpoint does not settle")
		}
		changed := false
		for v := range ts {
			if _, ok := pinned[v]; ok {
				continue
			}
			k := r.threshold(int32(v))
			var in []int64
			for _, u := range c.Inputs(int32(v)) {
				if ts[u] != never {
					in = append(in, ts[u])
				}
			}
			nt := never
			if k == 0 {
				nt = r.own[v]
			} else if len(in) >= k {
				slices.Sort(in)
				nt = in[k-1] + r.own[v]
			}
			if nt != ts[v] {
				ts[v] = nt
				changed = true
			}
		}
		if !changed {
			return ts
		}
	}
}

// TestRecoveryCycles checks the roll-up on random maps with cycles: the
// cold-started vertices are exactly those in a recovery deadlock (never
// back in the pessimistic fixpoint), each taking at least its members'
// times; given their times, every other vertex is at the pessimistic
// fixpoint; every chain is sound.
func TestRecoveryCycles(t *testing.T) {
	deadlocks := 0
	for seed := range uint64(400) {
		rng := rand.New(rand.NewPCG(seed, 3))
		m := impacttest.Random(rng, impacttest.RandomOptions{MaxNodes: 10})
		for _, n := range m.Nodes {
			n.Restore, n.RTO = randomDuration(rng), randomDuration(rng)
		}
		c := graph.Compile(m, graph.CompileOptions{})
		r := newRollup(c)
		gf := greatestFixpoint(t, r, nil)
		pinned := map[int]int64{}
		for v := range c.N() {
			if r.group[v] < 0 {
				continue
			}
			pinned[v] = r.t[v]
			deadlocks++
			if gf[v] >= 0 {
				t.Fatalf("seed %d: vertex %d is cold-started but recovers at %s in the pessimistic fixpoint", seed, v, graph.Duration(gf[v]))
			}
			sum := int64(0)
			for _, u := range r.cold[r.group[v]].nodes {
				sum += r.own[u]
			}
			if r.t[v] < sum {
				t.Fatalf("seed %d: vertex %d: cold start %s shorter than its members' times %s", seed, v, graph.Duration(r.t[v]), graph.Duration(sum))
			}
		}
		after := greatestFixpoint(t, r, pinned)
		for v := range c.N() {
			if r.t[v] != after[v] {
				t.Fatalf("seed %d: vertex %d: recovery %s, pessimistic fixpoint %s", seed, v, graph.Duration(r.t[v]), graph.Duration(after[v]))
			}
		}
		for v := range c.NumNodes {
			checkChain(t, m, r, int32(v), nil)
		}
	}
	if deadlocks == 0 {
		t.Fatal("no recovery deadlock among the random maps")
	}
}
