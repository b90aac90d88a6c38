package partners

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/graph/impact/impacttest"
)

// oracle answers the questions of Analyze by brute force on the model.
type oracle struct {
	m     *graph.Map
	fb    bool
	edges map[string][]string
	down  map[string]map[string]bool // vendor → its outage's down set
}

func newOracle(m *graph.Map, fb bool) *oracle {
	o := &oracle{m: m, fb: fb, edges: impacttest.Edges(m, fb), down: map[string]map[string]bool{}}
	for _, n := range m.OfKind(graph.KindVendor) {
		o.down[n.ID] = impacttest.BruteDown(m, []string{n.ID}, fb)
	}
	return o
}

// reach returns the nodes reachable from id, expanding only nodes for
// which pass holds (id itself always expands).
func (o *oracle) reach(id string, pass func(*graph.Node) bool) map[string]bool {
	seen := map[string]bool{id: true}
	stack := []string{id}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if u != id && !pass(o.m.Node(u)) {
			continue
		}
		for _, w := range o.edges[u] {
			if !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return seen
}

func notVendor(n *graph.Node) bool { return n.Kind != graph.KindVendor }
func isVendor(n *graph.Node) bool  { return n.Kind == graph.KindVendor }
func always(*graph.Node) bool      { return true }

// direct returns the vendors f requires without going through another
// vendor.
func (o *oracle) direct(f string) map[string]bool {
	out := map[string]bool{}
	for id := range o.reach(f, notVendor) {
		if id != f && o.m.Node(id).Kind == graph.KindVendor {
			out[id] = true
		}
	}
	return out
}

// downEdges returns the down nodes that u's failing requirement (and, with
// fallbacks, its failing fallbacks) name through failing groups only.
func (o *oracle) downEdges(u string, down map[string]bool) []string {
	n := o.m.Node(u)
	up := func(id string) bool { return !down[id] }
	var out []string
	var walk func(e *graph.Expr)
	walk = func(e *graph.Expr) {
		if e == nil {
			return
		}
		if e.Op == graph.OpRef {
			if down[e.Ref] {
				out = append(out, e.Ref)
			}
			return
		}
		if e.Eval(up) {
			return
		}
		for _, a := range e.Args {
			walk(a)
		}
	}
	walk(n.Requires)
	if o.fb && n.Requires != nil {
		for _, f := range o.m.FallbacksOf(u) {
			walk(f.Requires)
		}
	}
	return out
}

// shortest returns the fewest steps from f to x through down nodes along
// failing requirements, or -1.
func (o *oracle) shortest(f, x string, down map[string]bool) int {
	dist := map[string]int{f: 0}
	q := []string{f}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		if u == x {
			return dist[u]
		}
		for _, w := range o.downEdges(u, down) {
			if _, ok := dist[w]; !ok {
				dist[w] = dist[u] + 1
				q = append(q, w)
			}
		}
	}
	return -1
}

func TestAnalyzeOracle(t *testing.T) {
	for seed := uint64(1); seed <= 600; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		m := impacttest.Random(rng, impacttest.RandomOptions{})
		for _, fb := range []bool{false, true} {
			where := fmt.Sprintf("seed %d, fallbacks %v", seed, fb)
			got := Analyze(m, Options{Fallbacks: fb})
			o := newOracle(m, fb)
			checkReport(t, where, o, got)
			checkChains(t, where, m, fb, got)
		}
	}
}

// TestAnalyzeOracleLarger runs the oracle on larger random maps, where a
// hidden supplier can halt more functions than get a chain.
func TestAnalyzeOracleLarger(t *testing.T) {
	capped := 0
	for seed := uint64(1); seed <= 60; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		m := impacttest.Random(rng, impacttest.RandomOptions{MaxNodes: 70})
		for _, fb := range []bool{false, true} {
			where := fmt.Sprintf("seed %d, fallbacks %v", seed, fb)
			got := Analyze(m, Options{Fallbacks: fb})
			checkReport(t, where, newOracle(m, fb), got)
			checkChains(t, where, m, fb, got)
			for _, h := range got.HiddenSuppliers {
				if len(h.Halts) > MaxChains {
					capped++
				}
			}
		}
	}
	t.Logf("%d hidden suppliers with more halted functions than chains", capped)
}

// TestChainsGen compares the chains with a whole-outage search on a
// generated map of a few thousand nodes, with fourth parties and cycles.
func TestChainsGen(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		m := gen.Generate(gen.Options{Functions: 60, Systems: 2500, Vendors: 400, Seed: seed})
		for _, fb := range []bool{false, true} {
			where := fmt.Sprintf("gen seed %d, fallbacks %v", seed, fb)
			got := Analyze(m, Options{Fallbacks: fb})
			if len(got.HiddenSuppliers) == 0 {
				t.Fatalf("%s: no hidden supplier to check", where)
			}
			checkChains(t, where, m, fb, got)
		}
	}
}

// TestChainsBatches: the hidden suppliers' down sets computed in batches
// of 64 give the same report as all at once.
func TestChainsBatches(t *testing.T) {
	m := gen.Generate(gen.Options{Functions: 200, Systems: 6000, Vendors: 1500, Seed: 4})
	want := Analyze(m, Options{})
	if len(want.HiddenSuppliers) <= 128 {
		t.Fatalf("%d hidden suppliers: too few for three batches", len(want.HiddenSuppliers))
	}
	defer func(b int) { downsBudget = b }(downsBudget)
	downsBudget = 1
	got := Analyze(m, Options{})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Analyze in batches mismatch (-all at once +batches):\n%s", diff)
	}
}

// checkChains compares every hidden supplier's chains with those of a
// breadth-first search from the supplier over its whole outage, walked
// back from the function along the first input on a shortest way.
func checkChains(t *testing.T, where string, m *graph.Map, fb bool, got *Report) {
	t.Helper()
	c := graph.Compile(m, graph.CompileOptions{Fallbacks: fb})
	for _, h := range got.HiddenSuppliers {
		want := referenceChains(c, int32(m.Index(h.Vendor)), h.Halts[:len(h.Chains)])
		if diff := cmp.Diff(want, h.Chains); diff != "" {
			t.Fatalf("%s: hidden %s chains mismatch (-reference +got):\n%s", where, h.Vendor, diff)
		}
	}
}

// referenceChains is the chain search of a whole outage: propagate x's
// failure, measure from x over every down vertex with a 0-1 breadth-first
// search (gates free), then walk back from each function.
func referenceChains(c *graph.Circuit, x int32, fns []string) [][]string {
	st := c.NewState()
	st.Propagate([]int32{x})
	wt := func(v int32) int32 {
		if c.IsGate(v) {
			return 0
		}
		return 1
	}
	dist := make([]int32, c.N())
	for i := range dist {
		dist[i] = -1
	}
	dist[x] = 0
	var q deque
	q.pushBack(x)
	for q.len() > 0 {
		u := q.popFront()
		du := dist[u] + wt(u)
		for _, v := range c.Outputs(u) {
			if !st.Down[v] || dist[v] >= 0 && dist[v] <= du {
				continue
			}
			dist[v] = du
			if wt(u) == 0 {
				q.pushFront(v)
			} else {
				q.pushBack(v)
			}
		}
	}
	var out [][]string
	for _, id := range fns {
		f := int32(c.Map.Index(id))
		chain := []string{id}
		for v := f; v != x; {
			next := int32(-1)
			for _, u := range c.Inputs(v) {
				if dist[u] >= 0 && dist[u]+wt(u) == dist[v] {
					next = u
					break
				}
			}
			if next < 0 {
				panic("no chain")
			}
			v = next
			if !c.IsGate(v) {
				chain = append(chain, c.Map.Nodes[v].ID)
			}
		}
		out = append(out, chain)
	}
	return out
}

func checkReport(t *testing.T, where string, o *oracle, got *Report) {
	t.Helper()
	m := o.m
	fns := m.OfKind(graph.KindFunction)
	vendors := m.OfKind(graph.KindVendor)

	// Single points of failure.
	var spofs []SPOF
	for _, f := range fns {
		s := SPOF{Function: f.ID, Name: f.Label(), Tier: f.Tier}
		for _, v := range vendors {
			if o.down[v.ID][f.ID] {
				s.Vendors = append(s.Vendors, v.ID)
			}
		}
		if len(s.Vendors) > 0 {
			spofs = append(spofs, s)
		}
	}
	sort.SliceStable(spofs, func(i, j int) bool { return tierRank(spofs[i].Tier) < tierRank(spofs[j].Tier) })
	if diff := cmp.Diff(spofs, got.SinglePointsOfFailure, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%s: single points of failure mismatch (-brute +got):\n%s", where, diff)
	}

	// Critical partners and hidden suppliers.
	partners := map[string]Partner{}
	for _, p := range got.CriticalPartners {
		partners[p.Vendor] = p
	}
	hiddens := map[string]Hidden{}
	for _, h := range got.HiddenSuppliers {
		hiddens[h.Vendor] = h
	}
	var order []string
	for _, x := range vendors {
		var halts, hid []string
		for _, f := range fns {
			if o.down[x.ID][f.ID] {
				halts = append(halts, f.ID)
				if !o.direct(f.ID)[x.ID] {
					hid = append(hid, f.ID)
				}
			}
		}
		p, listed := partners[x.ID]
		if len(halts) == 0 {
			if listed {
				t.Fatalf("%s: %s listed as a critical partner but halts nothing", where, x.ID)
			}
			continue
		}
		order = append(order, x.ID)
		if !listed {
			t.Fatalf("%s: %s halts %v but is not listed", where, x.ID, halts)
		}
		if !slices.Equal(p.Halts, halts) {
			t.Fatalf("%s: %s halts %v, brute force %v", where, x.ID, p.Halts, halts)
		}
		if p.Hidden != (len(hid) > 0) {
			t.Fatalf("%s: %s hidden = %v, brute force hidden for %v", where, x.ID, p.Hidden, hid)
		}
		h, isHidden := hiddens[x.ID]
		if isHidden != (len(hid) > 0) {
			t.Fatalf("%s: %s in hidden suppliers = %v, brute force hidden for %v", where, x.ID, isHidden, hid)
		}
		if !isHidden {
			if len(p.Via) > 0 {
				t.Fatalf("%s: %s not hidden but has via %v", where, x.ID, p.Via)
			}
			continue
		}
		if !slices.Equal(h.Halts, hid) {
			t.Fatalf("%s: hidden %s halts %v, brute force %v", where, x.ID, h.Halts, hid)
		}
		// Through: direct vendors of those functions reaching x through
		// vendors only.
		var through []string
		for _, d := range vendors {
			if d.ID == x.ID || !o.reach(d.ID, isVendor)[x.ID] {
				continue
			}
			for _, f := range hid {
				if o.direct(f)[d.ID] {
					through = append(through, d.ID)
					break
				}
			}
		}
		if !slices.Equal(h.Through, through) {
			t.Fatalf("%s: hidden %s through %v, brute force %v", where, x.ID, h.Through, through)
		}
		if len(h.Chains) != min(len(hid), MaxChains) {
			t.Fatalf("%s: hidden %s has %d chains for %d functions", where, x.ID, len(h.Chains), len(hid))
		}
		for i, chain := range h.Chains {
			checkChain(t, where, o, chain, hid[i], x.ID)
		}
		var via []string
		for i, id := range h.Chains[0][1 : len(h.Chains[0])-1] {
			if m.Node(id).Kind == graph.KindVendor {
				via = h.Chains[0][1+i : len(h.Chains[0])-1]
				break
			}
		}
		if !slices.Equal(p.Via, via) || len(via) == 0 {
			t.Fatalf("%s: %s via %v, want %v from chain %v", where, x.ID, p.Via, via, h.Chains[0])
		}
		if p.Probability != nil || x.Probability != nil {
			if p.Probability == nil || x.Probability == nil || *p.Probability != *x.Probability {
				t.Fatalf("%s: %s probability not carried over", where, x.ID)
			}
		}
	}
	if len(got.CriticalPartners) != len(order) {
		t.Fatalf("%s: %d critical partners, brute force %d", where, len(got.CriticalPartners), len(order))
	}
	for i := 1; i < len(got.CriticalPartners); i++ {
		a, b := got.CriticalPartners[i-1], got.CriticalPartners[i]
		ka := []float64{-float64(a.Core), -float64(a.Important), -a.ImpactPerHour}
		kb := []float64{-float64(b.Core), -float64(b.Important), -b.ImpactPerHour}
		if c := slices.Compare(ka, kb); c > 0 || c == 0 && a.Vendor >= b.Vendor {
			t.Fatalf("%s: critical partners out of order: %s before %s", where, a.Vendor, b.Vendor)
		}
	}
	for _, p := range got.CriticalPartners {
		var core, imp, sup int
		var impact float64
		for _, id := range p.Halts {
			f := m.Node(id)
			impact += f.ImpactPerHour
			switch f.Tier {
			case graph.TierCore:
				core++
			case graph.TierImportant:
				imp++
			case graph.TierSupporting:
				sup++
			}
		}
		if p.Core != core || p.Important != imp || p.Supporting != sup || p.ImpactPerHour != impact || p.Name != m.Node(p.Vendor).Label() {
			t.Fatalf("%s: partner %s counts wrong: %+v", where, p.Vendor, p)
		}
	}
	var hidOrder []string
	for _, p := range got.CriticalPartners {
		if p.Hidden {
			hidOrder = append(hidOrder, p.Vendor)
		}
	}
	var gotHid []string
	for _, h := range got.HiddenSuppliers {
		gotHid = append(gotHid, h.Vendor)
	}
	if !slices.Equal(hidOrder, gotHid) {
		t.Fatalf("%s: hidden suppliers in order %v, want %v", where, gotHid, hidOrder)
	}

	// Concentration.
	groups := map[string][]string{}
	for _, v := range vendors {
		p := v.Parent
		if p == "" {
			p = v.ID
		}
		groups[p] = append(groups[p], v.ID)
	}
	var want []Concentration
	for p, mem := range groups {
		c := Concentration{Parent: p, Vendors: mem}
		down := impacttest.BruteDown(m, mem, o.fb)
		for _, f := range fns {
			if f.Tier != graph.TierCore {
				continue
			}
			r := o.reach(f.ID, always)
			for _, v := range mem {
				if r[v] {
					c.CoreDependent = append(c.CoreDependent, f.ID)
					break
				}
			}
			if down[f.ID] {
				c.CoreHalted = append(c.CoreHalted, f.ID)
			}
		}
		if len(c.CoreDependent) > 0 {
			want = append(want, c)
		}
	}
	sort.Slice(want, func(i, j int) bool {
		a, b := want[i], want[j]
		if len(a.CoreDependent) != len(b.CoreDependent) {
			return len(a.CoreDependent) > len(b.CoreDependent)
		}
		if len(a.CoreHalted) != len(b.CoreHalted) {
			return len(a.CoreHalted) > len(b.CoreHalted)
		}
		return a.Parent < b.Parent
	})
	if diff := cmp.Diff(want, got.Concentration, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%s: concentration mismatch (-brute +got):\n%s", where, diff)
	}
}

// checkChain verifies a hidden supplier's chain: from f to x, no repeats,
// every node down in x's outage, every step along a failing requirement,
// and as short as any such chain.
func checkChain(t *testing.T, where string, o *oracle, chain []string, f, x string) {
	t.Helper()
	down := o.down[x]
	if len(chain) < 3 || chain[0] != f || chain[len(chain)-1] != x {
		t.Fatalf("%s: chain %v must run from %s to %s through another vendor", where, chain, f, x)
	}
	seen := map[string]bool{}
	for i, id := range chain {
		if seen[id] || !down[id] {
			t.Fatalf("%s: chain %v repeats or passes an up node at %s", where, chain, id)
		}
		seen[id] = true
		if i > 0 && !slices.Contains(o.downEdges(chain[i-1], down), id) {
			t.Fatalf("%s: chain %v: %s does not fail through %s", where, chain, chain[i-1], id)
		}
	}
	if want := o.shortest(f, x, down); len(chain)-1 != want {
		t.Fatalf("%s: chain %v has %d steps, shortest %d", where, chain, len(chain)-1, want)
	}
}
