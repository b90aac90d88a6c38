package mvc

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// The supply problem. Choose a set S of vendors, minimising its weight
// (1 per vendor, or its cost), such that failing every other vendor leaves
// every target up. By the duality of least and greatest fixpoints this is
// the 0-1 program
//
//	minimise   Σ weight(v)·x_v over vendors v
//	subject to x_t = 1 for every target t,
//	           K_v·x_v ≤ Σ_{u input of v} x_u for every vertex v,
//
// where x marks a set U that supports itself (S = the vendors in U).
//
// solve first presolves it in linear time:
//
//   - an input is mandatory for a vertex when the vertex cannot reach its
//     threshold without it; everything mandatory for a target,
//     transitively, is in U, and the vendors among it ("forced") are in
//     every supply set;
//   - the vertices up when every other vendor fails are in U for free;
//   - what is left are the forced vertices short of support (their free
//     and forced inputs do not reach their threshold) and the vertices,
//     neither free nor forced, that they reach. A forced vertex is up in
//     every supply set, so to the vertices that need it it is as good as
//     free: the components of this residual region, linked only through
//     its unforced vertices and the constraints of the short ones, are
//     independent problems, each with its own vertices and vendors, and
//     the optimal sets are the products of the components' optimal sets.
//
// Each component is then solved by branch and bound over its vendors
// (engine), on a lexicographic objective (see value): with MinVendors,
// the number of vendors, then their cost; with MinCost, the cost, then
// the number. A first search finds the optimum and proves it; a second
// enumerates the optimal sets (with MinVendors, every set as small,
// whatever its cost) and sorts them by value, then lexicographically, so
// the first is the canonical one and the rest are its ties; when there
// are too many to enumerate, lexMin finds the canonical one. Costs add up
// over components, so the canonical set of the whole is the union of the
// components' canonical sets.

// value is an objective value, compared lexicographically: the primary
// weight (the cost with MinCost, the number of vendors with MinVendors),
// then the secondary one (the number of vendors with MinCost, the cost
// with MinVendors).
type value struct {
	prim, sec float64
}

var infValue = value{prim: math.Inf(1), sec: math.Inf(1)}

// costEq reports whether two weights are equal up to rounding.
func costEq(a, b float64) bool {
	if a == b {
		return true
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// less reports whether a is strictly better than b.
func (a value) less(b value) bool {
	if costEq(a.prim, b.prim) {
		return !costEq(a.sec, b.sec) && a.sec < b.sec
	}
	return a.prim < b.prim
}

func (a value) eq(b value) bool { return costEq(a.prim, b.prim) && costEq(a.sec, b.sec) }

func minValue(a, b value) value {
	if b.less(a) {
		return b
	}
	return a
}

// limits are the search limits shared by all components.
type limits struct {
	ctx      context.Context
	deadline time.Time // zero: none
	maxNodes int64     // 0: none
	nodes    int64
	stopped  Stop
}

// stop reports whether the search must stop before evaluating another
// node: a limit ran out.
func (l *limits) stop() bool {
	if l.stopped != Completed {
		return true
	}
	if l.maxNodes > 0 && l.nodes >= l.maxNodes {
		l.stopped = NodeLimit
		return true
	}
	return l.expired()
}

// expired reports whether the time limit ran out or the context was
// canceled (or the search stopped already). The long loops inside a node
// ask it, so that a single expensive node cannot overrun the time limit
// by much; the node limit is only checked between nodes, so that it gives
// the same result on every run.
func (l *limits) expired() bool {
	if l.stopped != Completed {
		return true
	}
	if l.ctx.Err() != nil {
		l.stopped = Canceled
		return true
	}
	if !l.deadline.IsZero() && !time.Now().Before(l.deadline) {
		l.stopped = TimeLimit
		return true
	}
	return false
}

func (p *problem) isVendor(v int32) bool {
	return int(v) < p.c.NumNodes && p.c.Kind[v] == graph.KindVendor
}

// solve finds the smallest supply set; cost is indexed by vertex.
func (p *problem) solve(ctx context.Context, cost []float64, opt Options) (*Supply, error) {
	c, m := p.c, p.c.Map
	n := c.N()
	if ctx == nil {
		ctx = context.Background()
	}
	lim := &limits{ctx: ctx, maxNodes: opt.MaxNodes}
	if opt.TimeLimit > 0 {
		lim.deadline = time.Now().Add(opt.TimeLimit)
	}
	// The primary and secondary weights of a vendor (see value).
	weight := func(v int32) float64 {
		if opt.Minimize == MinCost {
			return cost[v]
		}
		return 1
	}
	weight2 := func(v int32) float64 {
		if opt.Minimize == MinCost {
			return 1
		}
		return cost[v]
	}
	sup := &Supply{Minimize: opt.Minimize, Vendors: []Vendor{}, Ties: []Tie{}}
	for _, v := range p.order {
		if p.isVendor(v) {
			sup.Stats.Candidates++
		}
	}

	// Everything mandatory for a target, transitively.
	must := make([]bool, n)
	var queue []int32
	for _, t := range p.targets {
		must[t] = true
		queue = append(queue, t)
	}
	mult := make([]int32, n)
	for h := 0; h < len(queue); h++ {
		v := queue[h]
		in := c.Inputs(v)
		for _, u := range in {
			mult[u]++
		}
		slack := int32(len(in)) - c.K[v]
		for _, u := range in {
			if mult[u] > slack && !must[u] {
				must[u] = true
				queue = append(queue, u)
			}
		}
		for _, u := range in {
			mult[u] = 0
		}
	}
	var forced []int32
	for _, v := range queue {
		if p.isVendor(v) {
			forced = append(forced, v)
		}
	}
	sup.Stats.Forced = len(forced)

	// What is up when every vendor but the forced ones fails.
	st := c.NewState()
	var fail []int32
	for v := int32(0); v < int32(c.NumNodes); v++ {
		if p.isVendor(v) && !must[v] {
			fail = append(fail, v)
		}
	}
	st.Propagate(fail)
	free := func(v int32) bool { return !st.Down[v] }

	// The residual problem. A forced vertex that is not free is short of
	// support when its free and forced inputs fall short of its
	// threshold; it owns a constraint over its other inputs. Forced
	// vertices are up in every supply set, so to everything that needs
	// them they are as good as free: the constraints couple only through
	// the vertices neither forced nor free that they reach.
	short := func(v int32) bool {
		have := int32(0)
		for _, u := range c.Inputs(v) {
			if free(u) || must[u] {
				have++
			}
		}
		return have < c.K[v]
	}
	inR := make([]bool, n)
	var owners, region []int32
	for _, v := range queue {
		if !free(v) && short(v) {
			owners = append(owners, v)
			inR[v] = true
		}
	}
	uf := newUnionFind(n)
	for _, v := range owners {
		for _, u := range c.Inputs(v) {
			if free(u) || must[u] {
				continue
			}
			uf.union(v, u)
			if !inR[u] {
				inR[u] = true
				region = append(region, u)
			}
		}
	}
	for h := 0; h < len(region); h++ {
		v := region[h]
		for _, u := range c.Inputs(v) {
			if free(u) || must[u] {
				continue
			}
			uf.union(v, u)
			if !inR[u] {
				inR[u] = true
				region = append(region, u)
			}
		}
	}
	region = append(region, owners...)
	slices.Sort(region)
	var comps [][]int32
	compOf := map[int32]int{}
	for _, v := range region {
		r := uf.find(v)
		i, ok := compOf[r]
		if !ok {
			i = len(comps)
			compOf[r] = i
			comps = append(comps, nil)
		}
		comps[i] = append(comps[i], v)
	}
	sup.Stats.Groups = len(comps)

	// Solve each component: first the optimum, then, for every component
	// whose optimum is proven, the canonical set and its ties.
	loc := make([]int32, n)
	for i := range loc {
		loc[i] = -1
	}
	engines := make([]*engine, len(comps))
	for i, vs := range comps {
		l := buildLocal(p, vs, must, free, loc, weight, weight2)
		sup.Stats.Open += len(l.vglob)
		e := newEngine(l, lim, opt.Minimize)
		if !e.optimize() {
			return nil, ErrUnsatisfiable
		}
		engines[i] = e
	}
	maxTies := opt.MaxTies
	if maxTies == 0 {
		maxTies = DefaultMaxTies
	}
	budget := max(maxTies, 0)
	sup.TiesComplete = maxTies >= 0
	for _, e := range engines {
		if !e.optimal {
			sup.TiesComplete = false
			continue
		}
		// The canonical set, the ties to list, and one more to know
		// whether there are more.
		e.enumerate(1 + budget + 1)
		if !e.enumDone || maxTies < 0 {
			sup.TiesComplete = false
		}
		if len(e.sets) > 1 {
			budget -= min(budget, len(e.sets)-1)
		}
	}
	if lim.stopped != Completed {
		sup.TiesComplete = false
	}

	// Put the answer together.
	chosen := slices.Clone(forced)
	lb := value{}
	for _, v := range forced {
		lb.prim += weight(v)
		lb.sec += weight2(v)
	}
	sup.Optimal, sup.Canonical = true, true
	budget = max(maxTies, 0)
	group := 0
	for _, e := range engines {
		set := e.best
		if e.canonical {
			set = e.sets[0]
		}
		for _, i := range set {
			chosen = append(chosen, e.l.vglob[i])
		}
		lb.prim += e.lb.prim
		lb.sec += e.lb.sec
		sup.Optimal = sup.Optimal && e.optimal
		sup.Canonical = sup.Canonical && e.canonical
		if !e.canonical || len(e.sets) < 2 || budget == 0 {
			continue
		}
		group++
		for _, alt := range e.sets[1:] {
			if budget == 0 {
				break
			}
			budget--
			t := Tie{Group: group, Out: []string{}, In: []string{}}
			for _, i := range set {
				if !slices.Contains(alt, i) {
					t.Out = append(t.Out, m.Nodes[e.l.vglob[i]].ID)
				}
			}
			for _, i := range alt {
				if !slices.Contains(set, i) {
					t.In = append(t.In, m.Nodes[e.l.vglob[i]].ID)
				}
			}
			sup.Ties = append(sup.Ties, t)
		}
	}
	slices.Sort(chosen)
	// A vendor is required when its failure alone halts a target.
	for _, v := range chosen {
		nd := m.Nodes[v]
		vd := Vendor{ID: nd.ID, Name: nd.Label(), Cost: cost[v]}
		if must[v] {
			vd.Required = true
		} else {
			st.Reset()
			st.Propagate([]int32{v})
			for _, t := range p.targets {
				if st.Down[t] {
					vd.Required = true
					break
				}
			}
		}
		sup.Vendors = append(sup.Vendors, vd)
		sup.Cost += cost[v]
	}
	sup.Value = float64(len(chosen))
	if opt.Minimize == MinCost {
		sup.Value = sup.Cost
	}
	sup.LowerBound = math.Min(lb.prim, sup.Value)
	if sup.Optimal {
		sup.LowerBound = sup.Value
	}
	if sup.Value > 0 {
		sup.Gap = (sup.Value - sup.LowerBound) / sup.Value
	}
	sup.Stats.Nodes = lim.nodes
	sup.Stats.Stopped = lim.stopped
	return sup, nil
}

// unionFind is a disjoint-set forest over vertices.
type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(v int32) int32 {
	for u.parent[v] != v {
		u.parent[v] = u.parent[u.parent[v]]
		v = u.parent[v]
	}
	return v
}

func (u *unionFind) union(a, b int32) {
	a, b = u.find(a), u.find(b)
	if a == b {
		return
	}
	if a < b {
		a, b = b, a
	}
	u.parent[a] = b
}
