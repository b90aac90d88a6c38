package importertest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Large returns a valid map of about n nodes with about edges requirement
// edges in all, shaped roughly like an enterprise (a tenth functions, most
// systems, a tenth vendors; redundancy groups; vendors needing vendors),
// for benchmarks. It depends on n, edges and seed only.
func Large(n, edges int, seed uint64) *graph.Map {
	r := rand.New(rand.NewPCG(seed, 1))
	nf, nv := n/10, n/10
	ns := n - nf - nv
	ids := make([]string, 0, n)
	kinds := make([]graph.Kind, 0, n)
	add := func(k graph.Kind, prefix string, count int) {
		for i := 0; i < count; i++ {
			ids = append(ids, fmt.Sprintf("%s-%06d", prefix, i))
			kinds = append(kinds, k)
		}
	}
	add(graph.KindFunction, "fn", nf)
	add(graph.KindSystem, "sys", ns)
	add(graph.KindVendor, "ven", nv)
	per := max(1, edges/n)
	nodes := make([]*graph.Node, n)
	// Requirements point "down": functions to systems, systems to later
	// systems and vendors, vendors to later vendors, so the map is acyclic.
	pick := func(from int) *graph.Expr {
		lo := from + 1
		if lo >= n {
			return nil
		}
		return graph.Ref(ids[lo+r.IntN(n-lo)])
	}
	for i := range nodes {
		nd := &graph.Node{ID: ids[i], Kind: kinds[i], Name: "Node " + ids[i]}
		switch nd.Kind {
		case graph.KindFunction:
			nd.Tier = graph.Tier(1 + r.IntN(3))
			nd.Tolerance = graph.Duration(graph.Hour * graph.Duration(1+r.IntN(48))).Ptr()
			nd.ImpactPerHour = float64(1000 * r.IntN(500))
		case graph.KindSystem:
			nd.Owner = fmt.Sprintf("team-%d", r.IntN(50))
		case graph.KindVendor:
			nd.Country = "DE"
		}
		var args []*graph.Expr
		for len(args) < per {
			switch x := r.IntN(10); {
			case x == 0 && per-len(args) >= 2:
				a, b := pick(i), pick(i)
				if a != nil && b != nil && a.Ref != b.Ref {
					args = append(args, graph.Any(a, b))
					continue
				}
			case x == 1 && per-len(args) >= 3:
				a, b, c := pick(i), pick(i), pick(i)
				if a != nil && b != nil && c != nil {
					args = append(args, graph.AtLeast(2, a, b, c))
					continue
				}
			}
			a := pick(i)
			if a == nil {
				break
			}
			args = append(args, a)
		}
		if len(args) > 0 {
			nd.Requires = graph.All(args...)
		}
		nodes[i] = nd
	}
	return graph.NewMap("large", nodes, nil)
}

// tricky are strings that writers must quote or escape. None has
// leading or trailing blanks: CSV cells are read trimmed.
var tricky = []string{
	"plain", "two words", "null", "~", "true", "No", "123", "1e5", "0.5", "-4h", "- item",
	"key: value", "a #not comment", "#hash", "trailing:", "'single'", `"double"`,
	"back\\slash", "new\nline", "tab\there", "Zürich", "東京", "comma, separated", "semi; colon",
	"[brackets]", "{braces}", "&anchor", "*alias", "!tag", "|pipe", ">fold", "%pct", "@at", "`tick`",
	"?q", ":colon", "a,b", "2024-03-01", "=equals", "ctl\x01char", "nel\u0085x", "bom\ufeffx",
}

var trickyIDs = []string{"a", "null", "true", "123", "a:", "urn:x", "a.b_c/d-e", "x:y:z", "Z9"}

// Random returns a small valid map with every attribute set at random,
// strings drawn from values that need quoting or escaping, for round-trip
// tests of writers.
func Random(r *rand.Rand) *graph.Map {
	n := 1 + r.IntN(12)
	used := map[string]bool{}
	var nodes []*graph.Node
	str := func() string {
		if r.IntN(3) == 0 {
			return ""
		}
		return tricky[r.IntN(len(tricky))]
	}
	dur := func() *graph.Duration {
		if r.IntN(2) == 0 {
			return nil
		}
		return graph.Duration(graph.Minute * graph.Duration(r.IntN(5000))).Ptr()
	}
	for len(nodes) < n {
		id := trickyIDs[r.IntN(len(trickyIDs))]
		if r.IntN(2) == 0 {
			id = fmt.Sprintf("n%d", r.IntN(1000))
		}
		if used[id] {
			continue
		}
		used[id] = true
		nd := &graph.Node{ID: id, Kind: graph.Kinds[r.IntN(3)], Name: str(), Owner: str()}
		nd.RTO, nd.RPO, nd.Buffer, nd.Restore = dur(), dur(), dur(), dur()
		nd.Responsibility = graph.Responsibility{Monitor: str(), Respond: str(), Repair: str()}
		if r.IntN(2) == 0 {
			nd.Tags = []string{strings.NewReplacer(",", "", ";", "", "\n", "").Replace(str() + "t")}
		}
		if r.IntN(2) == 0 {
			nd.Attrs = map[string]string{"k": str() + "v", strings.TrimSpace(strings.ReplaceAll(str(), "\n", "")) + "x": "v" + str()}
		}
		switch nd.Kind {
		case graph.KindFunction:
			nd.Tier = graph.Tier(r.IntN(4))
			nd.Tolerance = dur()
			nd.ImpactPerHour = float64(r.IntN(3)) * 1234.5
			nd.Regulated = r.IntN(2) == 0
		case graph.KindSystem:
			if r.IntN(2) == 0 {
				p := float64(r.IntN(100)) / 100
				nd.Probability = &p
			}
			nd.OutageDuration = dur()
		case graph.KindVendor:
			nd.LEI = "5493001KJTIIGC8Y1R12"
			nd.Country = "IE"
			nd.Parent = str()
			if r.IntN(2) == 0 {
				p := float64(r.IntN(100)) / 100
				nd.Probability = &p
			}
			nd.OutageDuration = dur()
			if r.IntN(2) == 0 {
				nd.Contract = &graph.Contract{Ref: str(), AnnualFee: float64(r.IntN(2)) * 1e6, LiabilityCap: 2.5e6,
					SLA: str(), Notice: str(), ExitPlan: str(), Substitutability: []string{"", "easy", "hard", "none"}[r.IntN(4)],
					Reviewed: "2024-03-01"}
			}
			for i := r.IntN(3); i > 0; i-- {
				nd.Contacts = append(nd.Contacts, graph.Contact{Role: str(), Name: str() + "n", Phone: str(), Email: "x@example.test"})
			}
		}
		nodes = append(nodes, nd)
	}
	// Aliases and requirements once all ids are known.
	for i, nd := range nodes {
		if nd.Kind == graph.KindVendor && r.IntN(3) == 0 {
			a := fmt.Sprintf("alias-%d", i)
			nd.Aliases = []string{a}
		}
		var refs []*graph.Expr
		for j := range nodes {
			if j != i && r.IntN(3) == 0 {
				refs = append(refs, graph.Ref(nodes[j].ID))
			}
		}
		nd.Requires = randomExpr(r, refs)
	}
	var fbs []*graph.Fallback
	for i := r.IntN(3); i > 0; i-- {
		t := nodes[r.IntN(len(nodes))]
		f := &graph.Fallback{ID: fmt.Sprintf("fb-%d", i), For: t.ID, Name: str(), Owner: str(),
			Activation: graph.Duration(graph.Minute * graph.Duration(r.IntN(600))), Endurance: dur(),
			Capacity: float64(r.IntN(11)) / 10}
		if r.IntN(2) == 0 {
			f.Steps = []string{strings.ReplaceAll("call"+str(), "\n", " "), strings.ReplaceAll(str(), "\n", " ") + "x"}
		}
		var refs []*graph.Expr
		for _, o := range nodes {
			if o != t && r.IntN(4) == 0 {
				refs = append(refs, graph.Ref(o.ID))
			}
		}
		f.Requires = randomExpr(r, refs)
		fbs = append(fbs, f)
	}
	m := graph.NewMap(str(), nodes, fbs)
	m.Currency = []string{"", "EUR", "USD"}[r.IntN(3)]
	return m
}

// randomExpr groups refs into a random valid expression, a list at the
// top; nil when there are none.
func randomExpr(r *rand.Rand, refs []*graph.Expr) *graph.Expr {
	if len(refs) == 0 {
		return nil
	}
	var build func(items []*graph.Expr, depth int) []*graph.Expr
	build = func(items []*graph.Expr, depth int) []*graph.Expr {
		var out []*graph.Expr
		for len(items) > 0 {
			k := 1 + r.IntN(len(items))
			chunk := items[:k]
			items = items[k:]
			if k == 1 || depth > 2 || r.IntN(3) == 0 {
				out = append(out, chunk...)
				continue
			}
			args := build(chunk, depth+1)
			switch r.IntN(3) {
			case 0:
				out = append(out, graph.Any(args...))
			case 1:
				out = append(out, graph.All(args...))
			default:
				out = append(out, graph.AtLeast(1+r.IntN(len(args)), args...))
			}
		}
		return out
	}
	return graph.All(build(refs, 0)...)
}
