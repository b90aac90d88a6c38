package cutsets_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
)

// randomMap returns a small map with nested any/atleast/all groups,
// cycles (any node may require any other), fourth parties, fallbacks and,
// usually, probabilities.
func randomMap(rng *rand.Rand) *graph.Map {
	nv, ns, nf := 2+rng.IntN(6), rng.IntN(5), 1+rng.IntN(3)
	var nodes []*graph.Node
	add := func(kind graph.Kind, prefix string, n int) {
		for i := 0; i < n; i++ {
			nodes = append(nodes, &graph.Node{ID: fmt.Sprintf("%s%d", prefix, i), Kind: kind})
		}
	}
	add(graph.KindVendor, "v", nv)
	add(graph.KindSystem, "s", ns)
	add(graph.KindFunction, "f", nf)
	withP := rng.IntN(5) > 0
	for _, n := range nodes {
		if withP {
			p := []float64{0, 0.05, 0.3, 0.5, 0.9, 1}[rng.IntN(6)]
			if rng.IntN(3) > 0 {
				p = rng.Float64()
			}
			n.Probability = &p
		}
	}
	// ref picks any node but owner; refs lean to vendors so that the
	// events matter.
	ref := func(owner string) *graph.Expr {
		for {
			n := nodes[rng.IntN(len(nodes))]
			if rng.IntN(2) == 0 {
				n = nodes[rng.IntN(nv)]
			}
			if n.ID != owner {
				return graph.Ref(n.ID)
			}
		}
	}
	var expr func(owner string, depth int) *graph.Expr
	expr = func(owner string, depth int) *graph.Expr {
		k := 1 + rng.IntN(3)
		args := make([]*graph.Expr, k)
		for i := range args {
			if depth < 2 && rng.IntN(3) == 0 {
				args[i] = expr(owner, depth+1)
			} else {
				args[i] = ref(owner)
			}
		}
		switch rng.IntN(4) {
		case 0:
			return graph.Any(args...)
		case 1:
			return graph.AtLeast(1+rng.IntN(k), args...)
		}
		return graph.All(args...)
	}
	for _, n := range nodes {
		switch {
		case n.Kind == graph.KindVendor && rng.IntN(3) > 0:
			continue // a vendor without suppliers
		case n.Kind == graph.KindSystem && rng.IntN(6) == 0:
			continue // a system that needs nothing
		}
		n.Requires = expr(n.ID, 0)
	}
	var fbs []*graph.Fallback
	for _, n := range nodes {
		if n.Kind != graph.KindVendor && rng.IntN(4) == 0 {
			f := &graph.Fallback{ID: n.ID + "-fb", For: n.ID, Capacity: 1}
			if rng.IntN(5) > 0 {
				f.Requires = expr(n.ID, 1)
			}
			fbs = append(fbs, f)
		}
	}
	return graph.NewMap("random", nodes, fbs)
}

// oracle is the brute-force analysis of one map: every subset of the
// events is failed and the least fixpoint evaluated directly on the
// requirement expressions.
type oracle struct {
	m      *graph.Map
	events []int // node indexes
	// fails[t][s]: target t is down when exactly the events in subset s
	// fail.
	fails map[int][]bool
}

func newOracle(m *graph.Map, kind cutsets.EventKind, fallbacks bool, targets []int) *oracle {
	o := &oracle{m: m, fails: map[int][]bool{}}
	for i, n := range m.Nodes {
		if kind == cutsets.AllNodes || kind == cutsets.Vendors && n.Kind == graph.KindVendor ||
			kind == cutsets.Systems && n.Kind == graph.KindSystem {
			o.events = append(o.events, i)
		}
	}
	for _, t := range targets {
		o.fails[t] = make([]bool, 1<<len(o.events))
	}
	down := make([]bool, len(m.Nodes))
	up := func(id string) bool { return !down[m.Index(id)] }
	holds := func(n *graph.Node) bool {
		if n.Requires.Eval(up) {
			return true
		}
		if fallbacks && n.Requires != nil {
			for _, f := range m.FallbacksOf(n.ID) {
				if f.Requires.Eval(up) {
					return true
				}
			}
		}
		return false
	}
	for s := 0; s < 1<<len(o.events); s++ {
		for _, t := range targets {
			// A target is never an event of its own cut sets.
			own := slices.Index(o.events, t)
			if own >= 0 && s&(1<<own) != 0 {
				continue
			}
			clear(down)
			for i, v := range o.events {
				down[v] = s&(1<<i) != 0
			}
			for changed := true; changed; {
				changed = false
				for i, n := range m.Nodes {
					if !down[i] && !holds(n) {
						down[i] = true
						changed = true
					}
				}
			}
			o.fails[t][s] = down[t]
		}
	}
	return o
}

// cutSets returns the minimal failing subsets of order ≤ L (0: all), in
// the documented order.
func (o *oracle) cutSets(t, L int) [][]string {
	var out [][]string
	f := o.fails[t]
	for s := range f {
		if !f[s] || L > 0 && popcount(s) > L {
			continue
		}
		minimal := true
		for i := range o.events {
			if s&(1<<i) != 0 && f[s&^(1<<i)] {
				minimal = false
				break
			}
		}
		if minimal {
			var ids []string
			for i, v := range o.events {
				if s&(1<<i) != 0 {
					ids = append(ids, o.m.Nodes[v].ID)
				}
			}
			sort.Strings(ids)
			out = append(out, ids)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return slices.Compare(a, b) < 0
	})
	return out
}

func popcount(s int) int {
	n := 0
	for ; s != 0; s &= s - 1 {
		n++
	}
	return n
}

// probability returns P(t fails), with event cond forced to occur (1),
// not to occur (0), or left alone (-1, cond ignored).
func (o *oracle) probability(t, cond, val int) float64 {
	f := o.fails[t]
	sum := 0.0
	for s := range f {
		if !f[s] {
			continue
		}
		p := 1.0
		for i, v := range o.events {
			in := s&(1<<i) != 0
			if i == cond {
				if in != (val == 1) {
					p = 0
				}
				continue
			}
			if v == t {
				continue // the target's own event never occurs
			}
			q := *o.m.Nodes[v].Probability
			if in {
				p *= q
			} else {
				p *= 1 - q
			}
		}
		sum += p
	}
	return sum
}

func near(a, b float64) bool {
	if math.IsInf(a, 1) || math.IsInf(b, 1) {
		return a == b || math.Abs(a) > 1e9 && math.Abs(b) > 1e9
	}
	return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b))
}

// TestOracle checks Analyze against brute force on 600 random maps: every
// order and truncated orders, both methods, every event kind, with and
// without fallbacks, exact probabilities and importance.
func TestOracle(t *testing.T) {
	for seed := uint64(1); seed <= 600; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		m := randomMap(rng)
		kind := []cutsets.EventKind{cutsets.Vendors, cutsets.Vendors, cutsets.Systems, cutsets.AllNodes}[seed%4]
		fallbacks := seed%3 == 0
		if kind == cutsets.AllNodes && len(m.Nodes) > 12 {
			kind = cutsets.Vendors
		}
		c := graph.Compile(m, graph.CompileOptions{Fallbacks: fallbacks})
		var targets []int32
		var ts []int
		for i, n := range m.Nodes {
			if n.Kind == graph.KindFunction || n.Kind == graph.KindSystem && rng.IntN(3) == 0 {
				targets = append(targets, int32(i))
				ts = append(ts, i)
			}
		}
		o := newOracle(m, kind, fallbacks, ts)
		name := fmt.Sprintf("seed %d (%s, fallbacks %v)", seed, kind, fallbacks)
		for _, L := range []int{0, 1, 2, 3} {
			for _, method := range []cutsets.Method{cutsets.BDD, cutsets.CutOff} {
				opt := cutsets.Options{MaxOrder: L, Events: kind, Method: method, Importance: true}
				res, err := cutsets.Analyze(context.Background(), c, targets, opt)
				if err != nil {
					t.Fatalf("%s: Analyze(%+v): %v", name, opt, err)
				}
				for i, tr := range res.Targets {
					tv := ts[i]
					want := o.cutSets(tv, L)
					if diff := cmp.Diff(want, tr.CutSets, cmpopts.EquateEmpty()); diff != "" {
						t.Fatalf("%s: %s, %s, order ≤ %d: cut sets mismatch (-want +got):\n%s\nmap:\n%s", name, tr.ID, method, L, diff, dump(m))
					}
					wantCounts := map[int]int64{}
					for _, s := range want {
						wantCounts[len(s)]++
					}
					for k, n := range tr.Counts {
						if n != wantCounts[k] {
							t.Fatalf("%s: %s: Counts[%d] = %d, want %d", name, tr.ID, k, n, wantCounts[k])
						}
					}
					if tr.Total != int64(len(want)) {
						t.Fatalf("%s: %s: Total = %d, want %d", name, tr.ID, tr.Total, len(want))
					}
					checkProbabilities(t, name, o, tv, fallbacks, tr, want)
					if L == 2 && tr.Probability != nil {
						checkTop(t, name, m, c, int32(tv), opt, want)
					}
				}
			}
		}
	}
}

// cone returns the ids of the nodes t depends on in the compiled
// circuit: through its requirement, and with fallbacks compiled in
// through theirs (a fallback that needs nothing keeps the node up, and
// then the node depends on nothing).
func cone(m *graph.Map, t string, fallbacks bool) map[string]bool {
	deps := func(n *graph.Node) []string {
		fbs := m.FallbacksOf(n.ID)
		if !fallbacks || len(fbs) == 0 || n.Requires == nil {
			return n.Requires.RefIDs()
		}
		out := n.Requires.RefIDs()
		for _, f := range fbs {
			if f.Requires == nil {
				return nil
			}
			out = append(out, f.Requires.RefIDs()...)
		}
		return out
	}
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		for _, d := range deps(m.Node(id)) {
			if !seen[d] {
				seen[d] = true
				walk(d)
			}
		}
	}
	walk(t)
	return seen
}

func checkProbabilities(t *testing.T, name string, o *oracle, tv int, fallbacks bool, tr cutsets.Target, sets [][]string) {
	t.Helper()
	m := o.m
	in := cone(m, m.Nodes[tv].ID, fallbacks)
	known := true
	for _, v := range o.events {
		if in[m.Nodes[v].ID] && v != tv && m.Nodes[v].Probability == nil {
			known = false
		}
	}
	if !known {
		if tr.Probability != nil || tr.Importance != nil || tr.RareEvent != nil || tr.SetProbabilities != nil {
			t.Fatalf("%s: %s: probabilities without event probabilities", name, tr.ID)
		}
		return
	}
	if tr.Probability == nil {
		t.Fatalf("%s: %s: no probability (notes %q)", name, tr.ID, tr.Notes)
	}
	P := o.probability(tv, -1, 0)
	if !near(*tr.Probability, P) {
		t.Fatalf("%s: %s: Probability = %.15g, want %.15g\nmap:\n%s", name, tr.ID, *tr.Probability, P, dump(m))
	}
	re, notAll := 0.0, 0.0
	for i, s := range sets {
		p := 1.0
		for _, id := range s {
			p *= *m.Node(id).Probability
		}
		if !near(tr.SetProbabilities[i], p) {
			t.Fatalf("%s: %s: SetProbabilities[%d] = %g, want %g", name, tr.ID, i, tr.SetProbabilities[i], p)
		}
		re += p
		notAll += math.Log1p(-p)
	}
	if !near(*tr.RareEvent, re) || !near(*tr.MinCutUpperBound, -math.Expm1(notAll)) {
		t.Fatalf("%s: %s: RareEvent %g, MinCutUpperBound %g; want %g, %g", name, tr.ID, *tr.RareEvent, *tr.MinCutUpperBound, re, -math.Expm1(notAll))
	}
	// Importance: one entry per event in the target's cone.
	var want []cutsets.Importance
	for i, v := range o.events {
		id := m.Nodes[v].ID
		if !in[id] || v == tv {
			continue
		}
		p := *m.Nodes[v].Probability
		p1, p0 := o.probability(tv, i, 1), o.probability(tv, i, 0)
		im := cutsets.Importance{Event: id, Probability: p, Birnbaum: p1 - p0, RAW: 1, RRW: 1}
		if P > 0 {
			im.FussellVesely, im.Diagnosis, im.RAW = (P-p0)/P, p*p1/P, p1/P
			im.RRW = math.Inf(1)
			if p0 > 1e-300 {
				im.RRW = P / p0
			}
		}
		want = append(want, im)
	}
	sort.Slice(want, func(i, j int) bool { return want[i].Event < want[j].Event })
	if diff := cmp.Diff(want, tr.Importance, cmp.Comparer(near), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%s: %s: importance mismatch (-want +got):\n%s\nmap:\n%s", name, tr.ID, diff, dump(m))
	}
}

// checkTop checks Options.Top against the oracle's sets ranked by
// probability (ties by order, then ids).
func checkTop(t *testing.T, name string, m *graph.Map, c *graph.Circuit, tv int32, opt cutsets.Options, sets [][]string) {
	t.Helper()
	p := func(s []string) float64 {
		q := 1.0
		for _, id := range s {
			q *= *m.Node(id).Probability
		}
		return q
	}
	ranked := slices.Clone(sets)
	sort.SliceStable(ranked, func(i, j int) bool { return p(ranked[i]) > p(ranked[j]) })
	opt.Top = 3
	res, err := cutsets.Analyze(context.Background(), c, []int32{tv}, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := ranked[:min(3, len(ranked))]
	if diff := cmp.Diff(want, res.Targets[0].CutSets, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%s: %s: Top 3 mismatch (-want +got):\n%s", name, m.Nodes[tv].ID, diff)
	}
}

// dump renders a map for failure messages.
func dump(m *graph.Map) string {
	var b strings.Builder
	for _, n := range m.Nodes {
		fmt.Fprintf(&b, "  %s %s requires %q", n.Kind, n.ID, n.Requires.String())
		if n.Probability != nil {
			fmt.Fprintf(&b, " p=%g", *n.Probability)
		}
		b.WriteByte('\n')
	}
	for _, f := range m.Fallbacks {
		fmt.Fprintf(&b, "  fallback for %s requires %q\n", f.For, f.Requires.String())
	}
	return b.String()
}
