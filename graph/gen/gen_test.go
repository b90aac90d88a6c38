package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
)

var update = flag.Bool("update", os.Getenv("UPDATE_GOLDEN") == "1", "rewrite golden files")

// dump renders every node and fallback of m as text, one field per
// key=value, zero fields and provenance left out; equal dumps mean equal
// maps.
func dump(m *graph.Map) string {
	var b strings.Builder
	fmt.Fprintf(&b, "map %q currency %s\n", m.Name, m.Currency)
	for _, n := range m.Nodes {
		b.WriteString(n.ID)
		writeFields(&b, reflect.ValueOf(n).Elem())
		b.WriteByte('\n')
	}
	for _, f := range m.Fallbacks {
		b.WriteString("fallback " + f.ID)
		writeFields(&b, reflect.ValueOf(f).Elem())
		b.WriteByte('\n')
	}
	return b.String()
}

func writeFields(b *strings.Builder, v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := v.Field(i)
		if name := t.Field(i).Name; name == "ID" || name == "Source" || f.IsZero() {
			continue
		}
		var s string
		switch x := f.Interface().(type) {
		case *graph.Expr:
			s = strconv.Quote(x.String())
		case string:
			s = strconv.Quote(x)
		default:
			if f.Kind() == reflect.Pointer {
				f = f.Elem()
			}
			s = fmt.Sprintf("%+v", f.Interface())
		}
		fmt.Fprintf(b, " %s=%s", t.Field(i).Name, s)
	}
}

func hash(m *graph.Map) string {
	sum := sha256.Sum256([]byte(dump(m)))
	return hex.EncodeToString(sum[:8])
}

// build runs m's nodes and fallbacks through the validating builder.
func build(t *testing.T, m *graph.Map) (*graph.Map, graph.Problems) {
	t.Helper()
	b := graph.NewBuilder()
	b.SetMeta(m.Name, m.Currency)
	b.Add(&graph.Batch{Source: "gen", Importer: "gen", Nodes: m.Nodes, Fallbacks: m.Fallbacks})
	return b.Build()
}

func TestDeterministic(t *testing.T) {
	o := Options{Functions: 40, Systems: 800, Vendors: 120, Seed: 7}
	a, b := hash(Generate(o)), hash(Generate(o))
	if a != b {
		t.Errorf("Generate(%+v) twice: dumps hash %s and %s, want equal", o, a, b)
	}
	if r := hash(Generate(o.Resolve())); r != a {
		t.Errorf("Generate(o.Resolve()) hash %s, Generate(o) %s; want equal", r, a)
	}
	seen := map[string]int64{a: o.Seed}
	for _, seed := range []int64{0, 1, 8, -7, math.MaxInt64} {
		o.Seed = seed
		h := hash(Generate(o))
		if prev, dup := seen[h]; dup {
			t.Errorf("seeds %d and %d give the same map", prev, seed)
		}
		seen[h] = seed
	}
}

// TestGolden pins a small map, so that a change to what a seed generates
// is seen in review.
func TestGolden(t *testing.T) {
	got := dump(Generate(Options{Functions: 4, Systems: 30, Vendors: 8, Seed: 1}))
	path := filepath.Join("testdata", "small.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Generate(small) mismatch (-want +got):\n%s", diff)
	}
}

func TestSizesAndIDs(t *testing.T) {
	for _, tc := range []struct {
		o              Options
		fn, sys, ven   string // first id of each kind
		fnW, sysW, enW int
	}{
		{Options{Functions: 3, Systems: 12, Vendors: 5}, "fn-0001", "sys-0001", "ven-0001", 4, 4, 4},
		{Options{Functions: 500, Systems: 50000, Vendors: 10000, Seed: 7}, "fn-0001", "sys-00001", "ven-00001", 4, 5, 5},
		{Options{Functions: -1, Systems: 0, Vendors: 1}, "", "", "ven-0001", 0, 0, 4},
	} {
		m := Generate(tc.o)
		o := tc.o.Resolve()
		got := map[graph.Kind]int{}
		for _, n := range m.Nodes {
			got[n.Kind]++
		}
		want := map[graph.Kind]int{graph.KindFunction: o.Functions, graph.KindSystem: o.Systems, graph.KindVendor: o.Vendors}
		for k, v := range want {
			if v == 0 {
				delete(want, k)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Generate(%+v) counts mismatch (-want +got):\n%s", tc.o, diff)
		}
		for _, c := range []struct {
			k     graph.Kind
			first string
			width int
		}{{graph.KindFunction, tc.fn, tc.fnW}, {graph.KindSystem, tc.sys, tc.sysW}, {graph.KindVendor, tc.ven, tc.enW}} {
			nodes := m.OfKind(c.k)
			if len(nodes) == 0 {
				continue
			}
			if nodes[0].ID != c.first {
				t.Errorf("Generate(%+v): first %s is %s, want %s", tc.o, c.k, nodes[0].ID, c.first)
			}
			last := nodes[len(nodes)-1].ID
			num := last[strings.IndexByte(last, '-')+1:]
			if len(num) != c.width || num != fmt.Sprintf("%0*d", c.width, len(nodes)) {
				t.Errorf("Generate(%+v): last %s is %s, want number %0*d", tc.o, c.k, last, c.width, len(nodes))
			}
		}
	}
}

func TestValid(t *testing.T) {
	for _, o := range []Options{
		{},
		{Functions: 1},
		{Systems: 1},
		{Vendors: 1},
		{Functions: 1, Systems: 1, Vendors: 1},
		{Functions: 3, Systems: 5, Vendors: 2, Seed: 1},
		{Functions: 5, Systems: 40, Vendors: 3, Seed: 2},
		{Functions: 20, Systems: 200, Vendors: 40, Seed: 3},
		{Functions: 20, Systems: 200, Vendors: 40, Seed: 4, Redundancy: 0.9, Cycles: 12, Depth: 6, FourthParty: 1},
		{Functions: 50, Systems: 3000, Vendors: 400, Seed: 5, EdgesPerNode: 30},
		{Functions: 100, Systems: 9000, Vendors: 900, Seed: 6},
		{Functions: 10, Systems: 100, Vendors: 30, Seed: 7, Redundancy: -1, FourthParty: -1, Cycles: -1, Fallbacks: -1},
	} {
		m := Generate(o)
		built, ps := build(t, m)
		if built == nil || ps.HasErrors() {
			t.Errorf("Generate(%+v) does not build:\n%v", o, ps)
			continue
		}
		if got, want := dump(built), dump(m); got != want {
			t.Errorf("Generate(%+v): built map differs from the generated one:\n%s", o, cmp.Diff(want, got))
		}
		for _, n := range m.Nodes {
			n.Requires.Walk(func(e *graph.Expr) {
				if e.Op == graph.OpRef && m.Node(e.Ref).Kind == graph.KindFunction {
					t.Errorf("Generate(%+v): %s requires function %s", o, n.ID, e.Ref)
				}
			})
		}
	}
}

// TestValidRandom builds many small maps with random options, the odd
// corners included (features off, extreme shares, tiny layers).
func TestValidRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	share := func() float64 { return []float64{-1, 0, 0.01, 0.5, 1, 3}[r.IntN(6)] }
	for seed := range int64(300) {
		o := Options{
			Functions: r.IntN(25), Systems: r.IntN(120), Vendors: r.IntN(40), Seed: seed,
			EdgesPerNode: []float64{0, 1, 4, 40}[r.IntN(4)],
			Redundancy:   share(), FourthParty: share(),
			Depth: r.IntN(6) - 1, Cycles: r.IntN(8) - 1, Fallbacks: r.IntN(6) - 1,
		}
		m := Generate(o)
		if built, ps := build(t, m); built == nil || ps.HasErrors() {
			t.Fatalf("Generate(%+v) does not build:\n%v", o, ps)
		}
		ro := o.Resolve()
		if s := Measure(m); s.Functions != ro.Functions || s.Systems != ro.Systems || s.Vendors != ro.Vendors {
			t.Fatalf("Generate(%+v): %+v, want the requested counts", o, s)
		}
	}
}

func TestShape(t *testing.T) {
	o := Options{Functions: 200, Systems: 18000, Vendors: 1800, Seed: 11}
	m := Generate(o)
	s := Measure(m)
	if r := float64(s.Edges) / float64(s.Nodes); r < 9 || r > 11 {
		t.Errorf("Generate(%+v): %.2f requirement edges per node, want about %d", o, r, DefaultEdgesPerNode)
	}
	if s.Core != 20 || s.Important != 60 || s.Supporting != 120 {
		t.Errorf("Generate(%+v): tiers core/important/supporting = %d/%d/%d, want 20/60/120", o, s.Core, s.Important, s.Supporting)
	}
	if s.AnyGroups < s.Edges/100 || s.AtLeastGroups < s.Edges/1000 {
		t.Errorf("Generate(%+v): %d any and %d atleast groups in %d edges, want more redundancy", o, s.AnyGroups, s.AtLeastGroups, s.Edges)
	}
	if s.Fallbacks != 4 {
		t.Errorf("Generate(%+v): %d fallbacks, want 4", o, s.Fallbacks)
	}
	for _, f := range m.Fallbacks {
		if fn := m.Node(f.For); fn.Tier != graph.TierCore {
			t.Errorf("Generate(%+v): fallback %s serves %s function %s, want core ones first", o, f.ID, fn.Tier, fn.ID)
		}
	}
	// Heavy sharing: the most shared node is referenced far more than
	// the average node.
	if mean := float64(s.Edges) / float64(s.Nodes); float64(s.MaxIn) < 50*mean {
		t.Errorf("Generate(%+v): most shared node %s has %d references, mean %.1f; want heavy sharing", o, s.MaxInID, s.MaxIn, mean)
	}

	// Blast radii are heavy-tailed: the typical vendor halts a few
	// domains' functions, the most shared ones nearly everything.
	halts := vendorHalts(m)
	slices.Sort(halts)
	median, top := halts[len(halts)/2], halts[len(halts)-1]
	if median > s.Functions/4 || top < s.Functions*9/10 {
		t.Errorf("Generate(%+v): a vendor's outage alone halts %d functions at the median and %d at most, of %d; want a heavy tail", o, median, top, s.Functions)
	}

	// Fourth parties: about 35% of vendors name suppliers, chains reach
	// the configured depth and go no deeper outside the vendor cycle.
	withSuppliers := 0
	for _, v := range m.OfKind(graph.KindVendor) {
		if v.Requires != nil {
			withSuppliers++
		}
	}
	if share := float64(withSuppliers) / float64(s.Vendors); share < 0.25 || share > 0.45 {
		t.Errorf("Generate(%+v): %.2f of vendors name suppliers, want about %.2f", o, share, DefaultFourthParty)
	}
	cycles := m.Cycles()
	inCycle := map[string]bool{}
	for _, c := range cycles {
		for _, id := range c.Nodes {
			inCycle[id] = true
		}
	}
	if got := longestVendorChain(m, inCycle); got != DefaultDepth {
		t.Errorf("Generate(%+v): longest fourth-party chain has %d links, want %d", o, got, DefaultDepth)
	}

	// Cycles: as many as asked, small, one a circular backup, one among
	// vendors.
	if len(cycles) != DefaultCycles {
		t.Errorf("Generate(%+v): %d cycles %v, want %d", o, len(cycles), cycles, DefaultCycles)
	}
	redundant, vendors := 0, 0
	for _, c := range cycles {
		if len(c.Nodes) > 3 {
			t.Errorf("Generate(%+v): cycle %v has more than 3 nodes", o, c.Nodes)
		}
		if c.Redundant {
			redundant++
		}
		if m.Node(c.Nodes[0]).Kind == graph.KindVendor {
			vendors++
		}
	}
	if redundant != 1 || vendors != 1 {
		t.Errorf("Generate(%+v): %d circular backups and %d vendor cycles among %v, want 1 and 1", o, redundant, vendors, cycles)
	}
}

// vendorHalts returns, for every vendor, how many functions its outage
// alone halts.
func vendorHalts(m *graph.Map) []int {
	c := graph.Compile(m, graph.CompileOptions{})
	st := c.NewState()
	var out []int
	for i, n := range m.Nodes {
		if n.Kind != graph.KindVendor {
			continue
		}
		st.Reset()
		st.Propagate([]int32{int32(i)})
		k := 0
		for j, f := range m.Nodes {
			if f.Kind == graph.KindFunction && st.Down[j] {
				k++
			}
		}
		out = append(out, k)
	}
	return out
}

// longestVendorChain returns the most vendor-to-vendor links on a path
// that avoids the nodes in skip.
func longestVendorChain(m *graph.Map, skip map[string]bool) int {
	memo := map[string]int{}
	var depth func(id string) int
	depth = func(id string) int {
		if d, ok := memo[id]; ok {
			return d
		}
		best := 0
		for _, r := range m.Node(id).Requires.RefIDs() {
			if !skip[r] && m.Node(r).Kind == graph.KindVendor {
				best = max(best, 1+depth(r))
			}
		}
		memo[id] = best
		return best
	}
	longest := 0
	for _, v := range m.OfKind(graph.KindVendor) {
		if !skip[v.ID] {
			longest = max(longest, depth(v.ID))
		}
	}
	return longest
}

func TestFeaturesOff(t *testing.T) {
	o := Options{Functions: 30, Systems: 600, Vendors: 80, Seed: 3, Redundancy: -1, FourthParty: -1, Cycles: -1, Fallbacks: -1}
	m := Generate(o)
	s := Measure(m)
	if s.AnyGroups+s.AtLeastGroups != 0 || s.FourthParty != 0 || s.Fallbacks != 0 {
		t.Errorf("Generate(%+v): %+v, want no groups, fourth parties or fallbacks", o, s)
	}
	if c := m.Cycles(); len(c) != 0 {
		t.Errorf("Generate(%+v): cycles %v, want none", o, c)
	}
	if hash(Generate(o.Resolve())) != hash(m) {
		t.Errorf("Generate(%+v) and Generate(o.Resolve()) differ", o)
	}
}

func TestEdgesPerNode(t *testing.T) {
	for _, want := range []float64{3, 10, 20} {
		o := Options{Functions: 100, Systems: 9000, Vendors: 900, Seed: 2, EdgesPerNode: want}
		s := Measure(Generate(o))
		if got := float64(s.Edges) / float64(s.Nodes); math.Abs(got-want) > 0.1*want {
			t.Errorf("Generate(%+v): %.2f edges per node, want %.0f ± 10%%", o, got, want)
		}
	}
}

func TestAttributes(t *testing.T) {
	m := Generate(Options{Functions: 50, Systems: 1000, Vendors: 200, Seed: 9})
	for _, n := range m.Nodes {
		switch n.Kind {
		case graph.KindFunction:
			if n.Tier == graph.TierNone || n.Tolerance == nil || n.ImpactPerHour <= 0 || n.Owner == "" {
				t.Errorf("function %s lacks tier, tolerance, impact or owner: %+v", n.ID, n)
			}
		case graph.KindSystem:
			if n.Owner == "" || len(n.Tags) == 0 || n.Name == "" {
				t.Errorf("system %s lacks owner, tags or name", n.ID)
			}
		case graph.KindVendor:
			c := n.Contract
			if c == nil || c.AnnualFee <= 0 || c.LiabilityCap < c.AnnualFee || !slices.Contains(graph.SubstitutabilityNames, c.Substitutability) {
				t.Errorf("vendor %s has contract %+v", n.ID, c)
			}
			if n.Probability == nil || *n.Probability <= 0 || *n.Probability > 1 || n.OutageDuration == nil {
				t.Errorf("vendor %s lacks probability or outage duration", n.ID)
			}
			if !validLEI(n.LEI) {
				t.Errorf("vendor %s: LEI %q fails the ISO 17442 check", n.ID, n.LEI)
			}
			if _, err := graph.ParseDuration(c.Notice); err != nil {
				t.Errorf("vendor %s: notice %q: %v", n.ID, c.Notice, err)
			}
		}
	}
	parents := map[string]int{}
	for _, v := range m.OfKind(graph.KindVendor) {
		if v.Parent != "" {
			parents[v.Parent]++
		}
	}
	shared := 0
	for _, c := range parents {
		if c > 1 {
			shared++
		}
	}
	if shared == 0 {
		t.Errorf("no two vendors share a parent among %v", parents)
	}
}

func validLEI(s string) bool {
	if len(s) != 20 {
		return false
	}
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		in, want Options
	}{
		{Options{Functions: 100, Seed: 3}, Options{Functions: 100, Seed: 3, Domains: 1, EdgesPerNode: 10, Redundancy: 0.08, FourthParty: 0.35, Depth: 3, Cycles: 3, Fallbacks: 2, Name: "Synthetic enterprise (seed 3)", Currency: "EUR"}},
		{Options{Functions: -5, Redundancy: -1, FourthParty: 2, Cycles: -1, Fallbacks: -1, Name: "x", Currency: "GBP"},
			Options{EdgesPerNode: 10, Redundancy: -1, FourthParty: 1, Depth: 3, Cycles: -1, Domains: 1, Fallbacks: -1, Name: "x", Currency: "GBP"}},
		{Options{Functions: 1000, Systems: 89000}, Options{Functions: 1000, Systems: 89000, Domains: 100, EdgesPerNode: 10, Redundancy: 0.08, FourthParty: 0.35, Depth: 3, Cycles: 3, Fallbacks: 20, Name: "Synthetic enterprise (seed 0)", Currency: "EUR"}},
		{Options{Functions: 1000, Systems: 1000, Domains: -1}, Options{Functions: 1000, Systems: 1000, Domains: 1, EdgesPerNode: 10, Redundancy: 0.08, FourthParty: 0.35, Depth: 3, Cycles: 3, Fallbacks: 20, Name: "Synthetic enterprise (seed 0)", Currency: "EUR"}},
		{Options{Functions: 1000, Systems: 1000}, Options{Functions: 1000, Systems: 1000, Domains: 41, EdgesPerNode: 10, Redundancy: 0.08, FourthParty: 0.35, Depth: 3, Cycles: 3, Fallbacks: 20, Name: "Synthetic enterprise (seed 0)", Currency: "EUR"}},
		{Options{Functions: 3, Depth: -1, Fallbacks: 10}, Options{Functions: 3, Domains: 1, EdgesPerNode: 10, Redundancy: 0.08, FourthParty: -1, Depth: -1, Cycles: 3, Fallbacks: 3, Name: "Synthetic enterprise (seed 0)", Currency: "EUR"}},
		{Options{FourthParty: -1, EdgesPerNode: math.NaN()}, Options{EdgesPerNode: 10, Redundancy: 0.08, FourthParty: -1, Depth: -1, Cycles: 3, Domains: 1, Name: "Synthetic enterprise (seed 0)", Currency: "EUR"}},
	} {
		got := tc.in.Resolve()
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Resolve(%+v) mismatch (-want +got):\n%s", tc.in, diff)
		}
		if diff := cmp.Diff(got, got.Resolve()); diff != "" {
			t.Errorf("Resolve(Resolve(%+v)) changes it (-once +twice):\n%s", tc.in, diff)
		}
	}
}

func TestLayers(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 10, 100, 89000} {
		s, i, p, a := Layers(n)
		if s+i+p+a != n || s < 0 || i < 0 || p < 0 || a < 0 || n > 0 && s < 1 {
			t.Errorf("Layers(%d) = %d, %d, %d, %d", n, s, i, p, a)
		}
	}
}

// BenchmarkGenerate generates the benchmark map: 100k nodes, about 1M
// requirement edges.
func BenchmarkGenerate(b *testing.B) {
	o := Options{Functions: 1000, Systems: 89000, Vendors: 10000, Seed: 7}
	b.ReportAllocs()
	var s Stats
	for b.Loop() {
		m := Generate(o)
		b.StopTimer()
		s = Measure(m)
		b.StartTimer()
	}
	b.ReportMetric(float64(s.Edges), "edges")
}
