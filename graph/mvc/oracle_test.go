package mvc_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact/impacttest"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// randomMap returns a small random map with at most maxVendors vendors:
// one part (see randomPart), or, one time in two, two or three parts
// with their own ids, so that the supply problem splits into independent
// groups.
func randomMap(rng *rand.Rand, maxVendors int) *graph.Map {
	parts := 1
	if rng.IntN(2) == 0 && maxVendors >= 4 {
		parts = 2 + rng.IntN(2)
	}
	var nodes []*graph.Node
	var fbs []*graph.Fallback
	for i := range parts {
		prefix := ""
		if parts > 1 {
			prefix = string(rune('a'+i)) + "-"
		}
		ns, fs := randomPart(rng, maxVendors/parts, prefix)
		nodes = append(nodes, ns...)
		fbs = append(fbs, fs...)
	}
	return graph.NewMap("random", nodes, fbs)
}

// randomPart returns the nodes of a small random map shaped for the MVC: functions (at
// least one core) on systems on vendors, vendors with their own suppliers,
// nested any/atleast groups, repeated items, cycles, some fallbacks, and
// vendor costs both as annual fees (some missing) and as a "cost"
// attribute. It has at most maxVendors vendors; ids start with prefix.
func randomPart(rng *rand.Rand, maxVendors int, prefix string) ([]*graph.Node, []*graph.Fallback) {
	nv := 1 + rng.IntN(maxVendors)
	ns := rng.IntN(8)
	nf := 1 + rng.IntN(4)
	var ids []string
	var kinds []graph.Kind
	for i := 0; i < nf; i++ {
		ids = append(ids, fmt.Sprintf("%sf%d", prefix, i))
		kinds = append(kinds, graph.KindFunction)
	}
	for i := 0; i < ns; i++ {
		ids = append(ids, fmt.Sprintf("%ss%d", prefix, i))
		kinds = append(kinds, graph.KindSystem)
	}
	for i := 0; i < nv; i++ {
		ids = append(ids, fmt.Sprintf("%sv%02d", prefix, i))
		kinds = append(kinds, graph.KindVendor)
	}
	n := len(ids)
	// pick a reference for node self: mostly "downwards" (functions to
	// systems to vendors, vendors to later vendors), sometimes anywhere
	// (cycles, functions needing functions).
	pick := func(self int) *graph.Expr {
		for {
			var j int
			if rng.IntN(6) == 0 {
				j = rng.IntN(n)
			} else {
				j = self + 1 + rng.IntN(max(1, n-self-1))
				if j >= n {
					j = rng.IntN(n)
				}
			}
			if j != self {
				return graph.Ref(ids[j])
			}
		}
	}
	var expr func(self, depth int) *graph.Expr
	expr = func(self, depth int) *graph.Expr {
		if depth > 1 || rng.IntN(2) > 0 {
			return pick(self)
		}
		k := 2 + rng.IntN(3)
		args := make([]*graph.Expr, k)
		for i := range args {
			args[i] = expr(self, depth+1)
		}
		switch rng.IntN(4) {
		case 0:
			return graph.All(args...)
		case 1, 2:
			return graph.Any(args...)
		}
		return graph.AtLeast(1+rng.IntN(k), args...)
	}
	var nodes []*graph.Node
	var fbs []*graph.Fallback
	core := false
	for i, id := range ids {
		nd := &graph.Node{ID: id, Kind: kinds[i]}
		items := 1 + rng.IntN(3)
		if kinds[i] == graph.KindVendor {
			items = rng.IntN(3) - 1 // most vendors need nothing
		}
		if items > 0 && n > 1 {
			e := graph.All()
			for range items {
				e.Args = append(e.Args, expr(i, 0))
			}
			nd.Requires = e
		}
		switch kinds[i] {
		case graph.KindFunction:
			nd.Tier = []graph.Tier{graph.TierCore, graph.TierImportant, graph.TierSupporting, graph.TierNone}[rng.IntN(4)]
			if nd.Tier == graph.TierCore {
				core = true
			}
		case graph.KindVendor:
			if fee := rng.IntN(6); fee > 0 {
				nd.Contract = &graph.Contract{AnnualFee: float64(fee * 1000)}
			}
			nd.Attrs = map[string]string{"cost": strconv.FormatFloat(float64(rng.IntN(8))/2, 'f', -1, 64)}
		}
		nodes = append(nodes, nd)
		if kinds[i] != graph.KindVendor && rng.IntN(8) == 0 {
			fb := &graph.Fallback{ID: id + "/fb", For: id, Capacity: 1}
			if rng.IntN(4) > 0 {
				fb.Requires = graph.All(expr(i, 0))
			}
			fbs = append(fbs, fb)
		}
	}
	if !core {
		nodes[0].Tier = graph.TierCore
	}
	return nodes, fbs
}

// oracle is the brute-force answer: every vendor subset evaluated with
// the least fixpoint of design.md, written on the model.
type oracle struct {
	best  [2]float64 // cost, count of the canonical set
	opt   []string   // every optimal set, as comma-joined sorted ids, sorted
	first []string   // the canonical set
}

// bruteFeasible evaluates every subset of the vendors (bit i: the i-th
// vendor by id is kept, every other one fails) with the least fixpoint of
// design.md on the model, and reports which keep every target up.
func bruteFeasible(m *graph.Map, targets []string, fallbacks bool) []bool {
	vendors := m.OfKind(graph.KindVendor)
	ok := make([]bool, 1<<len(vendors))
	for mask := range ok {
		var failed []string
		for i, v := range vendors {
			if mask&(1<<i) == 0 {
				failed = append(failed, v.ID)
			}
		}
		down := impacttest.BruteDown(m, failed, fallbacks)
		ok[mask] = !slices.ContainsFunc(targets, func(id string) bool { return down[id] })
	}
	return ok
}

// bruteSol is a feasible vendor subset with its cost.
type bruteSol struct {
	ids  []string
	cost float64
}

// bruteKey is what the objective ranks a set by: (cost, count) with
// MinCost, (count, cost) with MinVendors.
func bruteKey(min mvc.Objective, s bruteSol) [2]float64 {
	if min == mvc.MinCost {
		return [2]float64{s.cost, float64(len(s.ids))}
	}
	return [2]float64{float64(len(s.ids)), s.cost}
}

// bruteCmp compares keys lexicographically, costs up to rounding.
func bruteCmp(a, b [2]float64) int {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// bruteSupply finds every optimal supply set among the feasible subsets,
// and the canonical one, by enumerating them all. With MinCost the
// optimal sets are those of the lowest cost and, among them, the fewest
// vendors; with MinVendors those of the fewest vendors, whatever their
// cost. The canonical set is the optimal set of the smallest key (see
// bruteKey), then the lexicographically smallest.
func bruteSupply(m *graph.Map, feasible []bool, min mvc.Objective, cost func(*graph.Node) float64) oracle {
	vendors := m.OfKind(graph.KindVendor)
	var sols []bruteSol
	for mask, ok := range feasible {
		if !ok {
			continue
		}
		s := bruteSol{ids: []string{}}
		for i, v := range vendors {
			if mask&(1<<i) != 0 {
				s.ids = append(s.ids, v.ID)
				s.cost += cost(v)
			}
		}
		sols = append(sols, s)
	}
	var o oracle
	var first *bruteSol
	for i, s := range sols {
		if first == nil {
			first = &sols[i]
			continue
		}
		switch c := bruteCmp(bruteKey(min, s), bruteKey(min, *first)); {
		case c < 0, c == 0 && slices.Compare(s.ids, first.ids) < 0:
			first = &sols[i]
		}
	}
	if first == nil {
		o.best = [2]float64{math.Inf(1), math.Inf(1)}
		o.first = []string{}
		return o
	}
	o.first = first.ids
	o.best = [2]float64{first.cost, float64(len(first.ids))}
	for _, s := range sols {
		k, f := bruteKey(min, s), bruteKey(min, *first)
		if bruteCmp(k, f) == 0 || min == mvc.MinVendors && k[0] == f[0] {
			o.opt = append(o.opt, strings.Join(s.ids, ","))
		}
	}
	slices.Sort(o.opt)
	return o
}

// checkTieOrder checks that the ties of each group give sets in canonical
// order: by key (see bruteKey), then lexicographically, after the
// canonical set.
func checkTieOrder(t *testing.T, name string, s mvc.Supply, min mvc.Objective, cost func(*graph.Node) float64, m *graph.Map) {
	t.Helper()
	sol := func(ids []string) bruteSol {
		b := bruteSol{ids: ids}
		for _, id := range ids {
			b.cost += cost(m.Node(id))
		}
		return b
	}
	canon := sol(ids(s.Vendors))
	prev := map[int]bruteSol{}
	for _, tie := range s.Ties {
		alt := slices.DeleteFunc(ids(s.Vendors), func(id string) bool { return slices.Contains(tie.Out, id) })
		alt = append(alt, tie.In...)
		slices.Sort(alt)
		cur := sol(alt)
		p, ok := prev[tie.Group]
		if !ok {
			p = canon
		}
		c := bruteCmp(bruteKey(min, p), bruteKey(min, cur))
		if c > 0 || c == 0 && slices.Compare(p.ids, cur.ids) >= 0 {
			t.Errorf("%s: tie %v gives %v (cost %v), not after %v (cost %v)", name, tie, cur.ids, cur.cost, p.ids, p.cost)
		}
		prev[tie.Group] = cur
	}
}

// reachable returns the ids the targets depend on, as the circuit sees
// them.
func reachable(m *graph.Map, targets []string, fallbacks bool) map[string]bool {
	edges := impacttest.Edges(m, fallbacks)
	seen := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, u := range edges[id] {
			walk(u)
		}
	}
	for _, t := range targets {
		walk(t)
	}
	return seen
}

func ids(vs []mvc.Vendor) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

// allOptimal expands a supply's ties into every optimal set it describes.
func allOptimal(s mvc.Supply) []string {
	groups := map[int][]mvc.Tie{}
	var order []int
	for _, t := range s.Ties {
		if _, ok := groups[t.Group]; !ok {
			order = append(order, t.Group)
		}
		groups[t.Group] = append(groups[t.Group], t)
	}
	sets := [][]string{ids(s.Vendors)}
	for _, g := range order {
		var next [][]string
		for _, set := range sets {
			next = append(next, set)
			for _, t := range groups[g] {
				alt := slices.DeleteFunc(slices.Clone(set), func(id string) bool { return slices.Contains(t.Out, id) })
				alt = append(alt, t.In...)
				slices.Sort(alt)
				next = append(next, alt)
			}
		}
		sets = next
	}
	var out []string
	for _, s := range sets {
		out = append(out, strings.Join(s, ","))
	}
	slices.Sort(out)
	return out
}

// TestOracle checks Analyze against brute force on 400 small random maps
// (100 with -short), each with up to 12 vendors, in four modes: fewest
// vendors (the cheapest by annual fee among them canonical), the same by
// "cost" attribute with fallbacks, lowest annual fee with fallbacks,
// lowest "cost" attribute.
func TestOracle(t *testing.T) {
	ctx := context.Background()
	n := 400
	if testing.Short() {
		n = 100
	}
	maps := 0
	for seed := uint64(1); maps < n; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		m := randomMap(rng, 12)
		maps++
		feasible := map[bool][]bool{}
		fee := func(n *graph.Node) float64 {
			if n.Contract == nil {
				return 0
			}
			return n.Contract.AnnualFee
		}
		attr := func(n *graph.Node) float64 {
			f, _ := strconv.ParseFloat(n.Attrs["cost"], 64)
			return f
		}
		for _, mode := range []struct {
			opt  mvc.Options
			cost func(*graph.Node) float64
		}{
			{mvc.Options{}, fee},
			{mvc.Options{Fallbacks: true, CostAttr: "cost"}, attr},
			{mvc.Options{Fallbacks: true, Minimize: mvc.MinCost}, fee},
			{mvc.Options{Minimize: mvc.MinCost, CostAttr: "cost"}, attr},
		} {
			opt := mode.opt
			opt.MaxTies = 1 << 20
			name := fmt.Sprintf("seed %d, %s, fallbacks %v", seed, opt.Minimize, opt.Fallbacks)
			res, err := mvc.Analyze(ctx, m, opt)
			if err != nil {
				t.Fatalf("%s: Analyze: %v", name, err)
			}
			if feasible[opt.Fallbacks] == nil {
				feasible[opt.Fallbacks] = bruteFeasible(m, res.Targets, opt.Fallbacks)
			}
			o := bruteSupply(m, feasible[opt.Fallbacks], opt.Minimize, mode.cost)
			s := res.Supply
			if !s.Optimal || !s.Canonical || !s.TiesComplete {
				t.Errorf("%s: optimal %v canonical %v ties complete %v, want all true", name, s.Optimal, s.Canonical, s.TiesComplete)
			}
			wantValue := o.best[1]
			if opt.Minimize == mvc.MinCost {
				wantValue = o.best[0]
			}
			if math.Abs(s.Value-wantValue) > 1e-9 || len(s.Vendors) != int(o.best[1]) {
				t.Errorf("%s: value %v with %d vendors, want %v with %v", name, s.Value, len(s.Vendors), wantValue, o.best[1])
			}
			if got := ids(s.Vendors); !slices.Equal(got, o.first) {
				t.Errorf("%s: vendors %v, want the canonical set %v", name, got, o.first)
			}
			if got := allOptimal(s); !slices.Equal(got, o.opt) {
				t.Errorf("%s: optimal sets from ties\n%v\nwant\n%v", name, got, o.opt)
			}
			for _, v := range s.Vendors {
				down := impacttest.BruteDown(m, []string{v.ID}, opt.Fallbacks)
				req := slices.ContainsFunc(res.Targets, func(id string) bool { return down[id] })
				if v.Required != req {
					t.Errorf("%s: vendor %s required %v, want %v", name, v.ID, v.Required, req)
				}
			}
			if math.Abs(s.Cost-o.best[0]) > 1e-9 {
				t.Errorf("%s: cost %v, want %v", name, s.Cost, o.best[0])
			}
			checkTieOrder(t, name, s, opt.Minimize, mode.cost, m)
			checkFewTies(t, name, m, opt, o)
			checkLimited(t, name, m, res.Targets, opt, feasible[opt.Fallbacks], wantValue)
			checkFunctions(t, name, m, res, opt.Fallbacks)
			if t.Failed() {
				t.Logf("map:\n%s", dump(m))
				return
			}
		}
	}
}

// checkFewTies checks that with few ties asked for, the set is still the
// canonical one and the ties listed are other optimal sets.
func checkFewTies(t *testing.T, name string, m *graph.Map, opt mvc.Options, o oracle) {
	t.Helper()
	for _, n := range []int{1, -1} {
		opt.MaxTies = n
		res, err := mvc.Analyze(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		s := res.Supply
		if got := ids(s.Vendors); !slices.Equal(got, o.first) || !s.Canonical {
			t.Errorf("%s, %d ties: vendors %v (canonical %v), want %v", name, n, got, s.Canonical, o.first)
		}
		if len(s.Ties) > max(n, 0) || s.TiesComplete != (n > 0 && len(o.opt) <= 1+n) {
			t.Errorf("%s, %d ties: %d ties, complete %v, of %d optimal sets", name, n, len(s.Ties), s.TiesComplete, len(o.opt))
		}
		for _, set := range allOptimal(s) {
			if !slices.Contains(o.opt, set) {
				t.Errorf("%s, %d ties: tie gives %s, which is not optimal", name, n, set)
			}
		}
	}
}

// checkLimited checks searches stopped by a node limit: the set is
// feasible, the bound and the value bracket the optimum, and the result is
// the same on a second run.
func checkLimited(t *testing.T, name string, m *graph.Map, targets []string, opt mvc.Options, feasible []bool, optimum float64) {
	t.Helper()
	vendors := m.OfKind(graph.KindVendor)
	for _, nodes := range []int64{1, 2, 5} {
		opt.MaxNodes = nodes
		res, err := mvc.Analyze(context.Background(), m, opt)
		if err != nil {
			t.Fatalf("%s, %d nodes: %v", name, nodes, err)
		}
		s := res.Supply
		mask := 0
		for i, v := range vendors {
			if slices.ContainsFunc(s.Vendors, func(x mvc.Vendor) bool { return x.ID == v.ID }) {
				mask |= 1 << i
			}
		}
		if !feasible[mask] {
			t.Errorf("%s, %d nodes: vendors %v do not keep the targets up", name, nodes, ids(s.Vendors))
		}
		if s.LowerBound > optimum+1e-9 || s.Value < optimum-1e-9 || s.Gap < 0 || s.Gap > 1 {
			t.Errorf("%s, %d nodes: bound %v, value %v, gap %v around optimum %v", name, nodes, s.LowerBound, s.Value, s.Gap, optimum)
		}
		if s.Optimal && math.Abs(s.Value-optimum) > 1e-9 {
			t.Errorf("%s, %d nodes: optimal %v with value %v, optimum %v", name, nodes, s.Optimal, s.Value, optimum)
		}
		again, _ := mvc.Analyze(context.Background(), m, opt)
		if diff := cmp.Diff(res, again); diff != "" {
			t.Errorf("%s, %d nodes: second run differs (-first +second):\n%s", name, nodes, diff)
		}
	}
}

// checkFunctions checks the MVC function set and the shed list against
// reachability and single failures on the model.
func checkFunctions(t *testing.T, name string, m *graph.Map, res *mvc.Result, fallbacks bool) {
	t.Helper()
	reach := reachable(m, res.Targets, fallbacks)
	var want []string
	for _, n := range m.Nodes {
		if n.Kind == graph.KindFunction && reach[n.ID] {
			want = append(want, n.ID)
		}
	}
	var got []string
	for _, f := range res.Functions {
		got = append(got, f.ID)
		var reason mvc.Reason
		switch {
		case slices.Contains(res.Targets, f.ID):
			reason = mvc.Core
		default:
			down := impacttest.BruteDown(m, []string{f.ID}, fallbacks)
			reason = mvc.Alternative
			if slices.ContainsFunc(res.Targets, func(id string) bool { return down[id] }) {
				reason = mvc.Required
			}
		}
		if f.Reason != reason {
			t.Errorf("%s: function %s reason %s, want %s", name, f.ID, f.Reason, reason)
		}
		if len(f.Via) == 0 || f.Via[len(f.Via)-1] != f.ID || !slices.Contains(res.Targets, f.Via[0]) {
			t.Errorf("%s: function %s via %v: want a chain from a target to it", name, f.ID, f.Via)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: MVC functions %v, want %v", name, got, want)
	}
	shed := map[graph.Kind][]string{}
	for _, n := range m.Nodes {
		if !reach[n.ID] {
			shed[n.Kind] = append(shed[n.Kind], n.ID)
		}
	}
	for k, gotK := range map[graph.Kind][]string{graph.KindFunction: res.Shed.Functions, graph.KindSystem: res.Shed.Systems, graph.KindVendor: res.Shed.Vendors} {
		if !slices.Equal(gotK, shed[k]) && len(gotK)+len(shed[k]) > 0 {
			t.Errorf("%s: shed %s %v, want %v", name, k.Plural(), gotK, shed[k])
		}
	}
}

// dump renders a map for failure messages.
func dump(m *graph.Map) string {
	var b strings.Builder
	for _, n := range m.Nodes {
		fmt.Fprintf(&b, "%s %s tier=%s requires=%q", n.Kind, n.ID, n.Tier, n.Requires.String())
		if n.Contract != nil {
			fmt.Fprintf(&b, " fee=%v", n.Contract.AnnualFee)
		}
		if c, ok := n.Attrs["cost"]; ok {
			fmt.Fprintf(&b, " cost=%s", c)
		}
		b.WriteString("\n")
	}
	for _, f := range m.Fallbacks {
		fmt.Fprintf(&b, "fallback %s for %s requires=%q\n", f.ID, f.For, f.Requires.String())
	}
	return b.String()
}
