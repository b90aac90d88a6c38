// Package impacttest provides maps and brute-force oracles for testing and
// benchmarking the analyses in graph/impact and the packages built on it:
// small random maps, a large enterprise-shaped map, and a least-fixpoint
// evaluation written directly on the model. It is not for production use.
package impacttest

import (
	"fmt"
	"math/rand/v2"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// BruteDown returns the down set of a scenario by the definition of
// design.md, evaluated on the model with graph.Expr.Eval: start from the
// failed ids and add every node whose requirement (or, with fallbacks, no
// fallback's requirement either) fails, until nothing changes.
func BruteDown(m *graph.Map, failed []string, fallbacks bool) map[string]bool {
	down := map[string]bool{}
	for _, id := range failed {
		down[id] = true
	}
	up := func(id string) bool { return !down[id] }
	for changed := true; changed; {
		changed = false
		for _, n := range m.Nodes {
			if down[n.ID] || Holds(m, n, up, fallbacks) {
				continue
			}
			down[n.ID] = true
			changed = true
		}
	}
	return down
}

// Holds reports whether n's requirement holds (or, with fallbacks, one of
// its fallbacks' requirements) given which ids are up.
func Holds(m *graph.Map, n *graph.Node, up func(string) bool, fallbacks bool) bool {
	if n.Requires.Eval(up) {
		return true
	}
	if fallbacks {
		for _, f := range m.FallbacksOf(n.ID) {
			if f.Requires.Eval(up) {
				return true
			}
		}
	}
	return false
}

// Edges returns each node's direct dependencies as the compiled circuit
// sees them: the ids its requirement names and, with fallbacks, the ids
// its fallbacks' requirements name; none for a node with a fallback that
// needs nothing (it cannot fail) or, with fallbacks, for a node that needs
// nothing itself. Repeats are kept out; order is of first appearance.
func Edges(m *graph.Map, fallbacks bool) map[string][]string {
	out := map[string][]string{}
	for _, n := range m.Nodes {
		exprs := []*graph.Expr{n.Requires}
		fbs := m.FallbacksOf(n.ID)
		if fallbacks && len(fbs) > 0 && n.Requires != nil {
			for _, f := range fbs {
				if f.Requires == nil {
					exprs = nil
					break
				}
				exprs = append(exprs, f.Requires)
			}
		}
		seen := map[string]bool{}
		for _, e := range exprs {
			for _, id := range e.RefIDs() {
				if !seen[id] {
					seen[id] = true
					out[n.ID] = append(out[n.ID], id)
				}
			}
		}
	}
	return out
}

// RandomOptions shape Random's maps.
type RandomOptions struct {
	MaxNodes int // at most this many nodes (at least 2); 0 means 12
}

// Random returns a small random map: random kinds (at least one function
// and one vendor), requirements with nested all/any/atleast groups that may
// form cycles and repeat an id, fallbacks (some needing nothing) and vendor
// parents. Every map is valid: references resolve, no node names itself,
// counts are within their groups.
func Random(rng *rand.Rand, opt RandomOptions) *graph.Map {
	maxN := opt.MaxNodes
	if maxN < 2 {
		maxN = 12
	}
	n := 2 + rng.IntN(maxN-1)
	kinds := make([]graph.Kind, n)
	for i := range kinds {
		kinds[i] = graph.Kinds[rng.IntN(3)]
	}
	kinds[0], kinds[n-1] = graph.KindFunction, graph.KindVendor
	ids := make([]string, n)
	for i, k := range kinds {
		ids[i] = fmt.Sprintf("%c%d", k.String()[0], i)
	}
	tiers := []graph.Tier{graph.TierNone, graph.TierCore, graph.TierImportant, graph.TierSupporting}
	parents := []string{"", "", "p0", "p1", ids[n-1]}
	var ref func(self int) *graph.Expr
	ref = func(self int) *graph.Expr {
		j := rng.IntN(n - 1)
		if j >= self {
			j++
		}
		return graph.Ref(ids[j])
	}
	var expr func(self, depth int) *graph.Expr
	expr = func(self, depth int) *graph.Expr {
		if depth > 2 || rng.IntN(3) > 0 {
			return ref(self)
		}
		k := 1 + rng.IntN(4)
		args := make([]*graph.Expr, k)
		for i := range args {
			args[i] = expr(self, depth+1)
		}
		switch rng.IntN(3) {
		case 0:
			return graph.All(args...)
		case 1:
			return graph.Any(args...)
		}
		return graph.AtLeast(1+rng.IntN(k), args...)
	}
	top := func(self int) *graph.Expr {
		if rng.IntN(5) == 0 {
			return nil
		}
		k := 1 + rng.IntN(3)
		e := graph.All()
		for i := 0; i < k; i++ {
			e.Args = append(e.Args, expr(self, 0))
		}
		return e
	}
	var nodes []*graph.Node
	var fbs []*graph.Fallback
	for i, id := range ids {
		nd := &graph.Node{ID: id, Kind: kinds[i], Requires: top(i)}
		switch kinds[i] {
		case graph.KindFunction:
			nd.Tier = tiers[rng.IntN(len(tiers))]
			nd.ImpactPerHour = float64(rng.IntN(5) * 1000)
		case graph.KindVendor:
			nd.Parent = parents[rng.IntN(len(parents))]
			if nd.Parent == id {
				nd.Parent = ""
			}
			if rng.IntN(3) == 0 {
				p := float64(rng.IntN(10)) / 10
				nd.Probability = &p
			}
		}
		nodes = append(nodes, nd)
		if rng.IntN(6) == 0 {
			for f := 0; f < 1+rng.IntN(2); f++ {
				fb := &graph.Fallback{ID: fmt.Sprintf("%s/fb%d", id, f), For: id, Capacity: 1}
				if rng.IntN(5) > 0 {
					fb.Requires = top(i)
				}
				fbs = append(fbs, fb)
			}
		}
	}
	return graph.NewMap("random", nodes, fbs)
}

// LargeOptions size Large's map. Zero fields take the defaults in
// brackets.
type LargeOptions struct {
	Seed      uint64
	Functions int // [500]
	Systems   int // [89500], in Layers layers; the first layer is shared platforms
	Vendors   int // [10000]
	Layers    int // [6]
}

// Large returns an enterprise-shaped map for benchmarks: functions on top
// of layered systems that share a small layer of platforms, redundancy
// groups (any of two, two of three), vendors with fourth-party chains
// towards a few hub suppliers, parents grouping vendors, fallbacks, and a
// few cycles, including circular backups. With the defaults it has 100,000
// nodes and about a million references.
func Large(opt LargeOptions) *graph.Map {
	def := func(x *int, d int) {
		if *x <= 0 {
			*x = d
		}
	}
	def(&opt.Functions, 500)
	def(&opt.Systems, 89500)
	def(&opt.Vendors, 10000)
	def(&opt.Layers, 6)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6c6966656f6174))
	nv, ns, nf, L := opt.Vendors, opt.Systems, opt.Functions, opt.Layers

	vid := func(i int) string { return fmt.Sprintf("vendor-%05d", i) }
	sid := func(i int) string { return fmt.Sprintf("sys-%06d", i) }
	fid := func(i int) string { return fmt.Sprintf("fn-%04d", i) }

	// Layer bounds: layer 0 (platforms) is small, the rest share equally.
	plat := max(1, ns/180)
	bounds := []int{0, plat}
	for l := 1; l < L; l++ {
		bounds = append(bounds, plat+(ns-plat)*l/(L-1))
	}
	bounds[len(bounds)-1] = ns
	layerOf := func(i int) int {
		for l := 0; l < L; l++ {
			if i < bounds[l+1] {
				return l
			}
		}
		return L - 1
	}
	distinct := func(k int, pick func() string) []*graph.Expr {
		seen := map[string]bool{}
		var out []*graph.Expr
		for tries := 0; len(out) < k && tries < 10*k; tries++ {
			id := pick()
			if !seen[id] {
				seen[id] = true
				out = append(out, graph.Ref(id))
			}
		}
		return out
	}
	group := func(args []*graph.Expr, k int) *graph.Expr {
		if len(args) == 1 {
			return args[0]
		}
		if k == 1 {
			return graph.Any(args...)
		}
		return graph.AtLeast(min(k, len(args)), args...)
	}
	hubs := max(1, nv/200) // deep infrastructure suppliers: cloud, DNS, endpoint security
	anyVendor := func() string {
		if rng.IntN(4) == 0 {
			return vid(rng.IntN(hubs))
		}
		return vid(rng.IntN(nv))
	}
	lower := func(i int) string { // a system in a lower layer, platforms preferred
		l := layerOf(i)
		if l == 0 || rng.IntN(10) < 3 {
			return sid(rng.IntN(plat))
		}
		lo := bounds[max(0, l-2)]
		return sid(lo + rng.IntN(bounds[l]-lo))
	}

	nodes := make([]*graph.Node, 0, nv+ns+nf)
	// Vendors: most need nothing; others name suppliers further down the
	// chain (higher numbers lean on hubs), so chains end at the hubs.
	for i := 0; i < nv; i++ {
		n := &graph.Node{ID: vid(i), Kind: graph.KindVendor, Name: fmt.Sprintf("Vendor %d", i)}
		if rng.IntN(3) == 0 {
			n.Parent = fmt.Sprintf("group-%04d", rng.IntN(nv/4+1))
		}
		if i >= hubs && rng.IntN(5) < 2 {
			pick := func() string {
				if rng.IntN(2) == 0 {
					return vid(rng.IntN(hubs))
				}
				return vid(hubs + rng.IntN(i-hubs+1))
			}
			var req []*graph.Expr
			for _, a := range distinct(1+rng.IntN(3), pick) {
				if a.Ref != n.ID {
					req = append(req, a)
				}
			}
			if len(req) > 1 && rng.IntN(3) == 0 {
				req = []*graph.Expr{graph.Any(req...)}
			}
			if len(req) > 0 {
				n.Requires = graph.All(req...)
			}
		}
		nodes = append(nodes, n)
	}
	// A few vendor cycles: a hub that leans back on a vendor that needs it.
	for c := 0; c < 5 && hubs > 1; c++ {
		a, b := nodes[c%hubs], nodes[nv-1-c]
		if a.Requires == nil {
			a.Requires = graph.All()
		}
		a.Requires.Args = append(a.Requires.Args, graph.Any(graph.Ref(b.ID), graph.Ref(vid((c+1)%hubs))))
		b.Requires = graph.All(graph.Ref(a.ID))
	}

	// Systems.
	for i := 0; i < ns; i++ {
		n := &graph.Node{ID: sid(i), Kind: graph.KindSystem}
		var req []*graph.Expr
		if layerOf(i) == 0 {
			for _, a := range distinct(2+rng.IntN(3), anyVendor) {
				req = append(req, a)
			}
			if rng.IntN(2) == 0 && len(req) > 1 {
				req = []*graph.Expr{req[0], graph.Any(req[1:]...)}
			}
		} else {
			items := 5 + rng.IntN(6)
			for k := 0; k < items; k++ {
				p := rng.IntN(100)
				switch {
				case p < 55:
					req = append(req, graph.Ref(lower(i)))
				case p < 70:
					req = append(req, group(distinct(2, func() string { return lower(i) }), 1))
				case p < 80:
					req = append(req, group(distinct(3, func() string { return lower(i) }), 2))
				case p < 90:
					req = append(req, graph.Ref(anyVendor()))
				default:
					req = append(req, group(distinct(2, anyVendor), 1))
				}
			}
		}
		n.Requires = graph.All(req...)
		nodes = append(nodes, n)
	}
	// Cycles among systems of one layer: half circular backups.
	top := bounds[L-1]
	for c := 0; c < 40 && ns-top > 2; c++ {
		a := nodes[nv+top+rng.IntN(ns-top)]
		b := nodes[nv+top+rng.IntN(ns-top)]
		if a == b {
			continue
		}
		if c%2 == 0 {
			a.Requires.Args = append(a.Requires.Args, graph.Any(graph.Ref(b.ID), graph.Ref(lower(top))))
			b.Requires.Args = append(b.Requires.Args, graph.Any(graph.Ref(a.ID), graph.Ref(lower(top))))
		} else {
			a.Requires.Args = append(a.Requires.Args, graph.Ref(b.ID))
			b.Requires.Args = append(b.Requires.Args, graph.Ref(a.ID))
		}
	}

	// Functions on the top layers.
	tiers := []graph.Tier{graph.TierCore, graph.TierImportant, graph.TierImportant, graph.TierSupporting, graph.TierSupporting, graph.TierNone}
	upper := func() string {
		lo := bounds[max(1, L-2)]
		return sid(lo + rng.IntN(ns-lo))
	}
	var fbs []*graph.Fallback
	for i := 0; i < nf; i++ {
		n := &graph.Node{ID: fid(i), Kind: graph.KindFunction, Tier: tiers[rng.IntN(len(tiers))],
			ImpactPerHour: float64(1000 * (1 + rng.IntN(200)))}
		var req []*graph.Expr
		for k := 0; k < 8+rng.IntN(20); k++ {
			if rng.IntN(5) == 0 {
				req = append(req, group(distinct(2, upper), 1))
			} else {
				req = append(req, graph.Ref(upper()))
			}
		}
		if rng.IntN(3) == 0 {
			req = append(req, graph.Ref(anyVendor()))
		}
		if i > 0 && rng.IntN(10) == 0 {
			req = append(req, graph.Ref(fid(rng.IntN(i))))
		}
		n.Requires = graph.All(req...)
		nodes = append(nodes, n)
		if rng.IntN(5) == 0 {
			fbs = append(fbs, &graph.Fallback{ID: n.ID + "/manual", For: n.ID, Capacity: 0.3,
				Requires: graph.All(graph.Ref(upper()), graph.Ref(anyVendor()))})
		}
	}
	return graph.NewMap("large", nodes, fbs)
}
