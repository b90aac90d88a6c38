package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// randomMap returns a small random map built through the Builder:
// functions, systems and vendors with random nested all/any/atleast
// requirements over each other (cycles included, self references not),
// and random fallbacks.
func randomMap(t testing.TB, r *rand.Rand) *Map {
	var ids []string
	var kinds []Kind
	for _, k := range Kinds {
		for i := range 1 + r.IntN(5) {
			ids = append(ids, fmt.Sprintf("%s%d", k.String()[:1], i))
			kinds = append(kinds, k)
		}
	}
	var expr func(self string, depth int) *Expr
	expr = func(self string, depth int) *Expr {
		if depth == 0 || r.IntN(3) > 0 {
			for {
				if id := ids[r.IntN(len(ids))]; id != self {
					return Ref(id)
				}
			}
		}
		args := make([]*Expr, 1+r.IntN(4))
		for i := range args {
			args[i] = expr(self, depth-1)
		}
		switch r.IntN(3) {
		case 0:
			return All(args...)
		case 1:
			return Any(args...)
		}
		return AtLeast(1+r.IntN(len(args)), args...)
	}
	top := func(self string) *Expr {
		if r.IntN(5) == 0 {
			return nil
		}
		e := All()
		for range 1 + r.IntN(3) {
			e.Args = append(e.Args, expr(self, 3))
		}
		if r.IntN(4) == 0 && len(e.Args) == 1 {
			return e.Args[0] // a bare group or reference at the top
		}
		return e
	}
	b := &Batch{Source: "random.yaml"}
	extra := &Batch{Source: "extra.yaml"} // second definitions, merged
	for i, id := range ids {
		n := &Node{ID: id, Kind: kinds[i], Requires: top(id), Source: Pos{Line: i + 1}}
		b.Nodes = append(b.Nodes, n)
		if r.IntN(4) == 0 {
			extra.Nodes = append(extra.Nodes, &Node{ID: id, Kind: n.Kind, Name: "Node " + id, Requires: n.Requires, Source: Pos{Line: i + 1}})
			if r.IntN(2) == 0 {
				n.Requires = nil // given in the second definition only
			}
		}
	}
	for range r.IntN(4) {
		f := &Fallback{For: ids[r.IntN(len(ids))], Capacity: 1}
		if r.IntN(6) > 0 {
			f.Requires = top(f.For)
		}
		b.Fallbacks = append(b.Fallbacks, f)
	}
	// Out of order, so that Build has to sort.
	r.Shuffle(len(b.Nodes), func(i, j int) { b.Nodes[i], b.Nodes[j] = b.Nodes[j], b.Nodes[i] })
	r.Shuffle(len(b.Fallbacks), func(i, j int) { b.Fallbacks[i], b.Fallbacks[j] = b.Fallbacks[j], b.Fallbacks[i] })
	bl := NewBuilder()
	bl.Add(b)
	bl.Add(extra)
	m, ps := bl.Build()
	if m == nil {
		t.Fatalf("random map does not build: %v", ps)
	}
	return m
}

// bruteDown is the least fixpoint of design.md evaluated directly on the
// map: start with the scenario down, then repeatedly mark down every node
// whose requirement fails (with fallbacks: whose own requirement and every
// fallback's requirement fail) until nothing changes.
func bruteDown(m *Map, failed []string, fallbacks bool) []string {
	down := map[string]bool{}
	for _, id := range failed {
		down[id] = true
	}
	up := func(id string) bool { return !down[id] }
	for changed := true; changed; {
		changed = false
		for _, n := range m.Nodes {
			if down[n.ID] {
				continue
			}
			fails := !n.Requires.Eval(up)
			if fallbacks && fails {
				for _, f := range m.FallbacksOf(n.ID) {
					if f.Requires.Eval(up) {
						fails = false
					}
				}
			}
			if fails {
				down[n.ID] = true
				changed = true
			}
		}
	}
	return sortedKeys(down)
}

// downIDs lists the nodes down in s, sorted.
func downIDs(c *Circuit, s *State) []string {
	var out []string
	for v := 0; v < c.NumNodes; v++ {
		if s.Down[v] {
			out = append(out, c.Map.Nodes[v].ID)
		}
	}
	return out
}

func checkState(t *testing.T, c *Circuit, s *State, failed []int32, n int) {
	t.Helper()
	count := 0
	for v := range c.N() {
		if !s.Down[v] {
			continue
		}
		count++
		cause := s.Cause[v]
		if cause == -1 {
			if !slices.Contains(failed, int32(v)) {
				t.Errorf("vertex %d down with no cause but not failed", v)
			}
			continue
		}
		if !slices.Contains(c.Inputs(int32(v)), cause) || !s.Down[cause] {
			t.Errorf("vertex %d down because of %d, which is not a down input", v, cause)
		}
	}
	if count != n {
		t.Errorf("Propagate returned %d, but %d vertices are down", n, count)
	}
}

// checkResolved checks the references Build resolved against lookups.
func checkResolved(t *testing.T, m *Map) {
	t.Helper()
	lookup := func(e *Expr) []int32 {
		var out []int32
		for _, id := range e.RefIDs() {
			out = append(out, int32(m.Index(id)))
		}
		return out
	}
	for i, n := range m.Nodes {
		if diff := cmp.Diff(lookup(n.Requires), m.nodeRefs(i), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("references of %s mismatch (-lookup +resolved):\n%s", n.ID, diff)
		}
		if got, want := m.Fallbacks[m.fbSpan[2*i]:m.fbSpan[2*i+1]], m.FallbacksOf(n.ID); !slices.Equal(got, want) {
			t.Fatalf("fallbacks of %s: span %v, FallbacksOf %v", n.ID, got, want)
		}
	}
	for j, f := range m.Fallbacks {
		if diff := cmp.Diff(lookup(f.Requires), m.fallbackRefs(j), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("references of fallback %s mismatch (-lookup +resolved):\n%s", f.ID, diff)
		}
	}
}

func TestPropagateMatchesBruteForce(t *testing.T) {
	const maps = 600
	scenarios, cascades, saved, cyclic := 0, 0, 0, 0
	for seed := uint64(1); seed <= maps; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		m := randomMap(t, r)
		checkResolved(t, m)
		if len(m.Cycles()) > 0 {
			cyclic++
		}
		for _, fallbacks := range []bool{false, true} {
			c := Compile(m, CompileOptions{Fallbacks: fallbacks})
			reused := c.NewState()
			for range 8 {
				var failed []int32
				var failedIDs []string
				for range r.IntN(4) {
					v := int32(r.IntN(c.NumNodes))
					failed = append(failed, v)
					failedIDs = append(failedIDs, m.Nodes[v].ID)
				}
				want := bruteDown(m, failedIDs, fallbacks)
				if len(want) > len(sortedKeys(setOf(failedIDs))) {
					cascades++
				}
				if fallbacks && len(want) < len(bruteDown(m, failedIDs, false)) {
					saved++
				}

				fresh := c.NewState()
				n := fresh.Propagate(failed)
				if diff := cmp.Diff(want, downIDs(c, fresh), cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("seed %d, fallbacks %v: Propagate(%v) mismatch (-want +got):\n%s\nmap:\n%s", seed, fallbacks, failedIDs, diff, dumpMap(m))
				}
				checkState(t, c, fresh, failed, n)

				reused.Reset()
				if n2 := reused.Propagate(failed); n2 != n || !slices.Equal(reused.Down, fresh.Down) {
					t.Fatalf("seed %d: Propagate after Reset = %d %v, fresh state %d %v", seed, n2, reused.Down, n, fresh.Down)
				}

				// Failing in two steps reaches the same state.
				if len(failed) >= 2 {
					step := c.NewState()
					step.Propagate(failed[:1])
					n3 := step.Propagate(failed[1:])
					if n3 != n || !slices.Equal(step.Down, fresh.Down) {
						t.Fatalf("seed %d: Propagate in two steps = %d %v, in one %d %v", seed, n3, step.Down, n, fresh.Down)
					}
				}
				scenarios++
			}
		}
	}
	t.Logf("%d maps (%d with cycles), %d scenarios: %d bring down more than they fail, %d with fewer down thanks to fallbacks",
		maps, cyclic, scenarios, cascades, saved)
	if cyclic == 0 || cascades < scenarios/4 || saved == 0 {
		t.Errorf("the random maps are too tame to test much")
	}
}

func setOf(ids []string) map[string]bool {
	s := map[string]bool{}
	for _, id := range ids {
		s[id] = true
	}
	return s
}

func dumpMap(m *Map) string {
	var b strings.Builder
	for _, n := range m.Nodes {
		fmt.Fprintf(&b, "%s: %s\n", n.ID, n.Requires)
	}
	for _, f := range m.Fallbacks {
		fmt.Fprintf(&b, "fallback %s for %s: %s\n", f.ID, f.For, f.Requires)
	}
	return b.String()
}

func TestPropagateCounts(t *testing.T) {
	// A vertex raised but not brought down by a first call and failed by
	// a second one counts once.
	m := NewMap("", []*Node{
		{ID: "a", Kind: KindSystem, Requires: Any(Ref("b"), Ref("c"))},
		{ID: "b", Kind: KindVendor},
		{ID: "c", Kind: KindVendor},
	}, nil)
	c := Compile(m, CompileOptions{})
	s := c.NewState()
	if n := s.Propagate([]int32{1}); n != 1 {
		t.Errorf("Propagate(b) = %d, want 1", n)
	}
	if n := s.Propagate([]int32{0}); n != 2 {
		t.Errorf("Propagate(a) after b = %d, want 2", n)
	}
	if n := s.Propagate([]int32{0, 0}); n != 2 {
		t.Errorf("Propagate(a, a) again = %d, want 2", n)
	}
	s.Reset()
	if slices.Contains(s.Down, true) {
		t.Errorf("Reset left %v down", s.Down)
	}
}

func TestCompile(t *testing.T) {
	m := NewMap("", []*Node{
		{ID: "pay", Kind: KindFunction, Requires: req("core, any(a, b), 2of(a, b, c), all(core, c), any(all(b))", "f:1:1")},
		{ID: "core", Kind: KindSystem, Requires: Any(Ref("a"), Ref("b"))},
		{ID: "a", Kind: KindVendor},
		{ID: "b", Kind: KindVendor},
		{ID: "c", Kind: KindVendor, Requires: Ref("a")},
	}, []*Fallback{
		{ID: "manual", For: "pay", Requires: Refs("c")},
		{ID: "dr", For: "core", Requires: nil},
	})
	// Nodes sorted: a=0 b=1 c=2 core=3 pay=4.
	type vertex struct {
		K      int32
		Inputs []int32
		Owner  int32
	}
	dump := func(c *Circuit) []vertex {
		var out []vertex
		for v := range int32(c.N()) {
			out = append(out, vertex{c.K[v], slices.Clone(c.Inputs(v)), c.Owner[v]})
		}
		return out
	}
	want := []vertex{
		{0, nil, 0},
		{0, nil, 1},
		{1, []int32{0}, 2},
		{1, []int32{0, 1}, 3},
		// core, any(a,b) → gate 5, 2of → gate 6, all(core, c) flattened, any(all(b)) → b.
		{6, []int32{3, 5, 6, 3, 2, 1}, 4},
		{1, []int32{0, 1}, 4},
		{2, []int32{0, 1, 2}, 4},
	}
	c := Compile(m, CompileOptions{})
	if diff := cmp.Diff(want, dump(c), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Compile mismatch (-want +got):\n%s", diff)
	}
	if c.NumNodes != 5 || c.IsGate(4) || !c.IsGate(5) || c.Kind[4] != KindFunction {
		t.Errorf("NumNodes %d, IsGate or Kind wrong", c.NumNodes)
	}
	for v := range int32(c.N()) {
		for _, u := range c.Inputs(v) {
			if !slices.Contains(c.Outputs(u), v) {
				t.Errorf("%d is an input of %d, but %d is not among its outputs %v", u, v, v, c.Outputs(u))
			}
		}
	}

	// With fallbacks: core has one that needs nothing (K = 0); pay gets a
	// gate for its own requirement and one for the fallback.
	want = []vertex{
		{0, nil, 0},
		{0, nil, 1},
		{1, []int32{0}, 2},
		{0, nil, 3},
		{1, []int32{5, 8}, 4},
		{6, []int32{3, 6, 7, 3, 2, 1}, 4},
		{1, []int32{0, 1}, 4},
		{2, []int32{0, 1, 2}, 4},
		{1, []int32{2}, 4},
	}
	c = Compile(m, CompileOptions{Fallbacks: true})
	if diff := cmp.Diff(want, dump(c), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Compile with fallbacks mismatch (-want +got):\n%s", diff)
	}
}

func TestCompileAfterChange(t *testing.T) {
	// A requirement changed after NewMap breaks the map's contract; Compile
	// still follows the requirement as it is.
	m := NewMap("", []*Node{
		{ID: "a", Kind: KindSystem, Requires: Refs("b")},
		{ID: "b", Kind: KindVendor},
		{ID: "c", Kind: KindVendor},
	}, nil)
	m.Nodes[0].Requires = Refs("b", "c")
	c := Compile(m, CompileOptions{})
	if got := c.Inputs(0); !slices.Equal(got, []int32{1, 2}) || c.K[0] != 2 {
		t.Errorf("Compile after a change: a has inputs %v, K %d; want [1 2], 2", got, c.K[0])
	}
}

// randomCircuit compiles a random map whose requirements are nested
// groups, so that the circuit has gates as well as nodes.
func randomCircuit(t testing.TB, r *rand.Rand) *Circuit {
	return Compile(randomMap(t, r), CompileOptions{Fallbacks: r.IntN(2) == 0})
}

func TestSCCsMatchGonum(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		c := randomCircuit(t, r)
		got := c.SCCs()

		g := simple.NewDirectedGraph()
		for v := range c.N() {
			g.AddNode(simple.Node(v))
		}
		for v := range int32(c.N()) {
			for _, u := range c.Inputs(v) {
				if u != v && !g.HasEdgeFromTo(int64(v), int64(u)) {
					g.SetEdge(g.NewEdge(simple.Node(v), simple.Node(u)))
				}
			}
		}
		var want [][]int32
		for _, comp := range topo.TarjanSCC(g) {
			var ids []int32
			for _, n := range comp {
				ids = append(ids, int32(n.ID()))
			}
			slices.Sort(ids)
			want = append(want, ids)
		}
		sorted := func(cs [][]int32) [][]int32 {
			cs = slices.Clone(cs)
			slices.SortFunc(cs, func(a, b []int32) int { return int(a[0] - b[0]) })
			return cs
		}
		if diff := cmp.Diff(sorted(want), sorted(got)); diff != "" {
			t.Fatalf("seed %d: SCCs partition mismatch (-gonum +got):\n%s", seed, diff)
		}
		// Order: every component after the components it depends on, and
		// vertices ascending inside a component.
		compOf := make([]int, c.N())
		for i, comp := range got {
			if !slices.IsSorted(comp) {
				t.Fatalf("seed %d: component %v not sorted", seed, comp)
			}
			for _, v := range comp {
				compOf[v] = i
			}
		}
		for v := range int32(c.N()) {
			for _, u := range c.Inputs(v) {
				if compOf[u] > compOf[v] {
					t.Fatalf("seed %d: %d (component %d) depends on %d in the later component %d", seed, v, compOf[v], u, compOf[u])
				}
			}
		}
	}
}

// nodeGraph is the dependency graph Map.Cycles works on, for gonum.
func nodeGraph(m *Map) *simple.DirectedGraph {
	g := simple.NewDirectedGraph()
	for i := range m.Nodes {
		g.AddNode(simple.Node(i))
	}
	add := func(from int, e *Expr) {
		for _, id := range e.RefIDs() {
			to := m.Index(id)
			if to != from && !g.HasEdgeFromTo(int64(from), int64(to)) {
				g.SetEdge(g.NewEdge(simple.Node(from), simple.Node(to)))
			}
		}
	}
	for i, n := range m.Nodes {
		add(i, n.Requires)
		if n.Requires != nil {
			for _, f := range m.FallbacksOf(n.ID) {
				add(i, f.Requires)
			}
		}
	}
	return g
}

func TestCyclesMatchGonum(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 13))
		m := randomMap(t, r)
		g := nodeGraph(m)
		var want [][]string
		for _, comp := range topo.TarjanSCC(g) {
			if len(comp) < 2 {
				continue
			}
			var ids []string
			for _, n := range comp {
				ids = append(ids, m.Nodes[n.ID()].ID)
			}
			slices.Sort(ids)
			want = append(want, ids)
		}
		slices.SortFunc(want, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
		var got [][]string
		for _, cyc := range m.Cycles() {
			got = append(got, cyc.Nodes)
			// The path is a real circle inside the component.
			if cyc.Path[0] != cyc.Nodes[0] {
				t.Fatalf("seed %d: path %v does not start at %s", seed, cyc.Path, cyc.Nodes[0])
			}
			for i, id := range cyc.Path {
				next := cyc.Path[(i+1)%len(cyc.Path)]
				if !slices.Contains(cyc.Nodes, id) || !g.HasEdgeFromTo(int64(m.Index(id)), int64(m.Index(next))) {
					t.Fatalf("seed %d: path %v: %s does not require %s", seed, cyc.Path, id, next)
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("seed %d: Cycles mismatch (-gonum +got):\n%s", seed, diff)
		}
	}
}

func TestCycles(t *testing.T) {
	n := func(id, requires string) *Node {
		return &Node{ID: id, Kind: KindSystem, Requires: req(requires, "f:1:1")}
	}
	tests := []struct {
		name  string
		nodes []*Node
		fbs   []*Fallback
		want  []Cycle
	}{
		{"none", []*Node{n("a", "b"), n("b", "")}, nil, nil},
		{"plain", []*Node{n("a", "b"), n("b", "c"), n("c", "a")}, nil,
			[]Cycle{{Nodes: []string{"a", "b", "c"}, Path: []string{"a", "b", "c"}}}},
		{"path follows the edges", []*Node{n("a", "c"), n("b", "a"), n("c", "b")}, nil,
			[]Cycle{{Nodes: []string{"a", "b", "c"}, Path: []string{"a", "c", "b"}}}},
		{"shortest circle through the first", []*Node{n("a", "b, x"), n("b", "c"), n("c", "a"), n("x", "a")}, nil,
			[]Cycle{{Nodes: []string{"a", "b", "c", "x"}, Path: []string{"a", "x"}}}},
		{"circular backup", []*Node{n("a", "any(va, b)"), n("b", "any(vb, a)"), n("va", ""), n("vb", "")}, nil,
			[]Cycle{{Nodes: []string{"a", "b"}, Path: []string{"a", "b"}, Redundant: true}}},
		{"atleast of all is not redundant", []*Node{n("a", "2of(b, v)"), n("b", "a"), n("v", "")}, nil,
			[]Cycle{{Nodes: []string{"a", "b"}, Path: []string{"a", "b"}}}},
		{"a mandatory occurrence wins", []*Node{n("a", "b, any(b, v)"), n("b", "a"), n("v", "")}, nil,
			[]Cycle{{Nodes: []string{"a", "b"}, Path: []string{"a", "b"}}}},
		{"two cycles", []*Node{n("a", "b"), n("b", "a"), n("c", "any(d, a)"), n("d", "c")}, nil,
			[]Cycle{{Nodes: []string{"a", "b"}, Path: []string{"a", "b"}}, {Nodes: []string{"c", "d"}, Path: []string{"c", "d"}, Redundant: true}}},
		{"through a fallback", []*Node{n("a", "v"), n("b", "a"), n("v", "")}, []*Fallback{{ID: "f", For: "a", Requires: Refs("b")}},
			[]Cycle{{Nodes: []string{"a", "b"}, Path: []string{"a", "b"}, Redundant: true}}},
		{"a fallback of a node without requirement adds nothing", []*Node{n("a", ""), n("b", "a")}, []*Fallback{{ID: "f", For: "a", Requires: Refs("b")}},
			nil},
	}
	for _, tt := range tests {
		m := NewMap("", tt.nodes, tt.fbs)
		if diff := cmp.Diff(tt.want, m.Cycles()); diff != "" {
			t.Errorf("%s: Cycles mismatch (-want +got):\n%s", tt.name, diff)
		}
	}

	// A large component is named in full up to a limit.
	var nodes []*Node
	for i := range 12 {
		nodes = append(nodes, n(fmt.Sprintf("n%02d", i), fmt.Sprintf("n%02d, n%02d", (i+1)%12, (i+11)%12)))
	}
	m := NewMap("", nodes, nil)
	cycles := m.Cycles()
	if len(cycles) != 1 {
		t.Fatalf("Cycles = %v, want one", cycles)
	}
	want := "info: cycle: n00 → n01 → n00 (one of the circles among 12 nodes: n00, n01, n02, n03, n04, n05, n06, n07, n08, n09 and 2 more)"
	if got := cycles[0].problem(m).String(); got != want {
		t.Errorf("problem = %q, want %q", got, want)
	}
}
