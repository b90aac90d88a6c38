package cutsets

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// errRetry abandons a target whose BDD passed the round's budget.
var errRetry = errors.New("cut sets: BDD budget of the round exceeded")

// engine holds the diagrams of one variable order, shared by the targets
// analysed with it.
type engine struct {
	ctx      context.Context
	c        *graph.Circuit
	opt      Options
	limit    int // Options.MaxNodes or its default
	L        int // order bound; < 0: none
	comps    [][]int32
	b        *store // BDDs of failure functions
	z        *store // ZBDDs of minimal cut sets
	bddNodes int    // nodes of BDD stores dropped
	used     int    // BDD nodes made for the last target
	zddNodes int    // nodes of ZBDD stores dropped
	isEvent  []bool
	varOf    []int32   // per vertex: its variable, or -1
	vertexOf []int32   // per variable: its vertex
	spofs    [][]int32 // per target: its single points of failure
	work     []int32   // per vertex: the function being built for a target, -1 when none
	off      []bool    // per variable: held false while building for a target
	mark     []bool    // per vertex: scratch for cone
	minsols  map[uint64]int32
	cnt      [][]int64 // per ZBDD node: its set counts by size, nil until computed
	prob     []float64 // per BDD node, NaN until computed
	pvar     []float64 // per variable; NaN when unknown
}

// newEngine orders the variables of the targets' cones (see order) and
// finds every target's single points of failure. comps are the circuit's
// strongly connected components.
func newEngine(ctx context.Context, c *graph.Circuit, opt Options, limit int, comps [][]int32, targets []int32, deep bool) *engine {
	e := &engine{ctx: ctx, c: c, opt: opt, limit: limit, comps: comps,
		b: newStore(ctx, false, limit), z: newStore(ctx, true, limit),
		minsols: map[uint64]int32{}}
	e.L = opt.MaxOrder
	if e.L == 0 {
		e.L = -1
	}
	n := c.N()
	e.isEvent = make([]bool, n)
	e.varOf = make([]int32, n)
	e.work = make([]int32, n)
	e.mark = make([]bool, n)
	for v := range e.varOf {
		e.varOf[v] = -1
		e.work[v] = -1
		if v < c.NumNodes && opt.Events.has(c.Kind[v]) {
			e.isEvent[v] = true
		}
	}
	e.order(targets, deep)
	e.spofs = e.spofsOf(targets)
	return e
}

// resetBDD drops the BDD store (after an overflow, or when it has grown
// large), so that the next target starts afresh.
func (e *engine) resetBDD() {
	e.bddNodes += len(e.b.nodes)
	e.b = newStore(e.ctx, false, e.limit)
	e.prob = nil
	clear(e.minsols)
}

// resetZDD drops the ZBDD store when it has grown large.
func (e *engine) resetZDD() {
	e.zddNodes += len(e.z.nodes)
	e.z = newStore(e.ctx, true, e.limit)
	e.cnt = nil
	clear(e.minsols)
}

// order numbers the events in the targets' cones by first appearance in
// a depth-first walk from the targets, so that events meeting in the same
// part of the structure get near variables, which keeps diagrams small.
// The walk takes each vertex's inputs in order; when deep is set, the
// inputs that have inputs of their own come first and the leaves after.
// Neither order is best for every structure (see Analyze).
func (e *engine) order(targets []int32, deep bool) {
	c := e.c
	seen := make([]bool, c.N())
	type frame struct {
		v, i   int32
		leaves bool // second pass of a deep walk: the leaf inputs
	}
	var stack []frame
	visit := func(v int32) {
		seen[v] = true
		if e.isEvent[v] {
			e.varOf[v] = int32(len(e.vertexOf))
			e.vertexOf = append(e.vertexOf, v)
		}
		stack = append(stack, frame{v: v, i: c.InStart[v]})
	}
	isLeaf := func(u int32) bool { return c.InStart[u] == c.InStart[u+1] }
	for _, t := range targets {
		if seen[t] {
			continue
		}
		visit(t)
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.i == c.InStart[f.v+1] {
				if deep && !f.leaves {
					f.leaves, f.i = true, c.InStart[f.v]
					continue
				}
				stack = stack[:len(stack)-1]
				continue
			}
			u := c.In[f.i]
			f.i++
			if !seen[u] && (!deep || isLeaf(u) == f.leaves) {
				visit(u)
			}
		}
	}
	e.off = make([]bool, len(e.vertexOf))
	e.pvar = make([]float64, len(e.vertexOf))
	for x, v := range e.vertexOf {
		e.pvar[x] = math.NaN()
		if p := c.Map.Nodes[v].Probability; p != nil {
			e.pvar[x] = *p
		}
	}
}

// buildCone computes into fn the function of every vertex in the
// targets' cones that has none yet, component by component, suppliers
// first: BDDs of failure functions when s is the BDD store, ZBDDs of
// minimal cut sets (cut off at e.L) when it is the ZBDD store. It returns
// the vertices it computed.
func (e *engine) buildCone(targets []int32, fn []int32, s *store) ([]int32, error) {
	c := e.c
	var cone []int32
	inCone := e.mark // false everywhere between calls
	var marked []int32
	defer func() {
		for _, v := range marked {
			inCone[v] = false
		}
	}()
	for _, t := range targets {
		if !inCone[t] && fn[t] < 0 {
			inCone[t] = true
			marked = append(marked, t)
		}
	}
	for h := 0; h < len(marked); h++ {
		for _, u := range c.Inputs(marked[h]) {
			if !inCone[u] && fn[u] < 0 {
				inCone[u] = true
				marked = append(marked, u)
			}
		}
	}
	for _, comp := range e.comps {
		if !inCone[comp[0]] {
			continue
		}
		cone = append(cone, comp...)
		cyclic := len(comp) > 1
		if !cyclic {
			for _, u := range c.Inputs(comp[0]) {
				cyclic = cyclic || u == comp[0]
			}
		}
		if !cyclic {
			fn[comp[0]] = e.vertexFn(comp[0], fn, s)
			if s.err != nil {
				return cone, s.err
			}
			continue
		}
		// Least fixpoint: start from "nothing in the cycle fails" and
		// re-evaluate until no function changes.
		for _, v := range comp {
			fn[v] = 0
		}
		for changed := true; changed; {
			changed = false
			for _, v := range comp {
				f := e.vertexFn(v, fn, s)
				if s.err != nil {
					return cone, s.err
				}
				if f != fn[v] {
					fn[v] = f
					changed = true
				}
			}
		}
	}
	return cone, nil
}

// vertexFn is F(v) from the current functions of v's inputs.
func (e *engine) vertexFn(v int32, fn []int32, s *store) int32 {
	c := e.c
	or, and := s.or, s.and
	if s.zdd {
		or = s.union
		and = func(p, q int32) int32 { return s.join(p, q, e.L) }
	}
	ins := c.Inputs(v)
	m := int32(len(ins))
	r := m - c.K[v] + 1 // inputs that must fail
	var f int32
	switch {
	case c.K[v] <= 0 || r > m:
		f = 0
	case r <= 0:
		f = 1
	case r == 1 || r == m:
		fs := make([]int32, len(ins))
		for i, u := range ins {
			fs[i] = fn[u]
		}
		op := and
		if r == 1 {
			op = or
		}
		f = reduce(fs, op, r == 1)
	default:
		// t[j]: at least j of the inputs seen so far fail.
		t := make([]int32, r+1)
		t[0] = 1
		for i := m - 1; i >= 0; i-- {
			fi := fn[ins[i]]
			for j := min(r, m-i); j >= 1; j-- {
				t[j] = or(and(fi, t[j-1]), t[j])
			}
		}
		f = t[r]
	}
	if x := e.varOf[v]; x >= 0 && !e.off[x] {
		f = or(f, s.mk(x, 0, 1))
	}
	return f
}

// reduce combines fs pairwise, balanced, with op; the empty combination
// is 0 for an or and 1 for an and.
func reduce(fs []int32, op func(a, b int32) int32, isOr bool) int32 {
	for len(fs) > 1 {
		k := 0
		for i := 0; i < len(fs); i += 2 {
			if i+1 == len(fs) {
				fs[k] = fs[i]
			} else {
				fs[k] = op(fs[i], fs[i+1])
			}
			k++
		}
		fs = fs[:k]
	}
	if len(fs) == 0 {
		if isOr {
			return 0
		}
		return 1
	}
	return fs[0]
}

// minsol returns the ZBDD of the minimal solutions of monotone BDD f of
// order at most L (L < 0: any order): with f = x ? f1 : f0,
// minsol_L(f) = x·without(minsol_{L−1}(f1), minsol_L(f0)) ∪ minsol_L(f0).
func (e *engine) minsol(f int32, L int) int32 {
	switch {
	case f <= 1:
		return f
	case L == 0:
		return 0
	}
	key := uint64(uint32(f))<<32 | uint64(uint32(L))
	if r, ok := e.minsols[key]; ok {
		return r
	}
	n := e.b.nodes[f]
	r0 := e.minsol(n.lo, L)
	L1 := L
	if L > 0 {
		L1 = L - 1
	}
	r1 := e.z.without(e.minsol(n.hi, L1), r0)
	r := e.z.mk(n.v, r0, r1)
	if e.z.err == nil {
		e.minsols[key] = r
	}
	return r
}

// count returns the number of sets of ZBDD z by size.
func (e *engine) count(z int32) ([]int64, error) {
	switch z {
	case 0:
		return nil, nil
	case 1:
		return []int64{1}, nil
	}
	if len(e.cnt) < len(e.z.nodes) {
		e.cnt = append(e.cnt, make([][]int64, len(e.z.nodes)-len(e.cnt))...)
	}
	if c := e.cnt[z]; c != nil {
		return c, nil
	}
	n := e.z.nodes[z]
	lo, err := e.count(n.lo)
	if err != nil {
		return nil, err
	}
	hi, err := e.count(n.hi)
	if err != nil {
		return nil, err
	}
	c := make([]int64, max(len(lo), len(hi)+1))
	copy(c, lo)
	for k, x := range hi {
		s, carry := bits.Add64(uint64(c[k+1]), uint64(x), 0)
		if carry != 0 || s > math.MaxInt64 {
			return nil, fmt.Errorf("cut sets: more than %d minimal cut sets of order %d", int64(math.MaxInt64), k+1)
		}
		c[k+1] = int64(s)
	}
	e.cnt[z] = c
	return c, nil
}

// target analyses targets[i] = t, whose BDDs may have budget nodes. With
// S1 its single points of failure and F its failure function,
// F = (∨S1) ∨ F|S1=0, and the minimal cut sets of order ≥ 2 are exactly
// those of F|S1=0; so every diagram below is built with S1 (and t's own
// event) held false: on dependency maps, where most events are single
// points of failure of the functions they reach, this keeps the diagrams
// small.
//
// When a BDD passes the budget, target fails with errRetry, unless last
// is set: then a BDD needed for the cut sets fails with ErrTooLarge, and
// one needed for the probability only leaves a note.
func (e *engine) target(i int, t int32, budget int, last bool) (*Target, error) {
	c := e.c
	tr := &Target{ID: c.Map.Nodes[t].ID, MaxOrder: e.opt.MaxOrder}
	// Keep memory in bounds over many targets.
	if len(e.b.nodes) > e.limit/2 {
		e.resetBDD()
	}
	if len(e.z.nodes) > e.limit/2 {
		e.resetZDD()
	}
	start := len(e.b.nodes)
	e.b.limit = start + budget
	e.z.limit = len(e.z.nodes) + e.limit
	defer func() { e.used = len(e.b.nodes) - start }()
	overflow := func(err error) bool {
		if !errors.Is(err, ErrTooLarge) {
			return false
		}
		e.resetBDD()
		return true
	}
	all := e.spofs[i]
	own := e.varOf[t]
	var spofs []int32
	s1 := int32(0) // ZBDD of the singletons
	for i := len(all) - 1; i >= 0; i-- {
		if x := all[i]; x != own {
			spofs = append(spofs, x)
			s1 = e.z.mk(x, s1, 1)
		}
	}
	for _, x := range spofs {
		e.off[x] = true
	}
	if own >= 0 {
		e.off[own] = true
	}
	defer func() {
		for _, x := range spofs {
			e.off[x] = false
		}
		if own >= 0 {
			e.off[own] = false
		}
	}()

	var cone []int32
	known := !e.opt.NoProbability
	if known {
		cone = e.cone(t)
		for _, x := range cone {
			known = known && !math.IsNaN(e.pvar[x])
		}
	}

	// The minimal cut sets: S1, and those of F|S1=0 of order 2 to L.
	z := s1
	f := int32(-1) // the BDD of F|S1=0, when built
	switch {
	case e.L == 1:
	case e.opt.Method == CutOff:
		rest, err := e.restricted(t, e.z)
		if err != nil {
			return nil, err
		}
		z = e.z.union(s1, rest)
	default:
		var err error
		f, err = e.restricted(t, e.b)
		if overflow(err) && !last {
			return nil, errRetry
		}
		if err != nil {
			return nil, err
		}
		z = e.z.union(s1, e.minsol(f, e.L))
	}
	if e.z.err != nil {
		return nil, e.z.err
	}
	counts, err := e.count(z)
	if err != nil {
		return nil, err
	}
	tr.Counts = map[int]int64{}
	top := len(counts) - 1
	if e.opt.MaxOrder > 0 {
		top = e.opt.MaxOrder
	}
	for k := 1; k <= top; k++ {
		if k < len(counts) {
			tr.Counts[k] = counts[k]
		} else {
			tr.Counts[k] = 0
		}
	}
	if len(counts) > 0 && counts[0] > 0 {
		tr.Counts[0] = counts[0]
	}
	for _, n := range counts {
		if tr.Total+n < tr.Total {
			return nil, fmt.Errorf("cut sets: more than %d minimal cut sets", int64(math.MaxInt64))
		}
		tr.Total += n
	}

	if known {
		re := e.rareEvent(z, map[int32]float64{})
		tr.RareEvent = &re
		if f < 0 {
			var err error
			f, err = e.restricted(t, e.b)
			if overflow(err) {
				if !last {
					return nil, errRetry
				}
				f = -1
				tr.Notes = append(tr.Notes, fmt.Sprintf("exact probability not computed: its BDD needs more than %d nodes; the rare-event approximation and the min-cut upper bound are given", e.limit))
			} else if err != nil {
				return nil, err
			}
		}
		if f >= 0 {
			p, imp := e.probabilities(f, spofs, cone)
			tr.Probability = &p
			if e.opt.Importance {
				tr.Importance = imp
			}
		}
	}
	list := !e.opt.CountOnly
	if list && known && e.opt.Top > 0 {
		tr.CutSets, tr.SetProbabilities = e.topSets(z, counts, e.opt.Top)
		tr.Truncated = int64(len(tr.CutSets)) < tr.Total
		list = false
	}
	// The upper bound needs every set: worth a walk of its own only up to
	// a million of them.
	bound := known && (tr.Total <= 1e6 || list && e.opt.Limit <= 0 && e.opt.Top <= 0)
	if list || bound {
		sets, probs, mcub := e.enumerate(z, counts, bound, list)
		if list {
			tr.CutSets, tr.Truncated = sets, int64(len(sets)) < tr.Total
			if known {
				tr.SetProbabilities = probs
			}
		}
		if bound {
			tr.MinCutUpperBound = &mcub
		}
	}
	return tr, nil
}

// restricted builds the function of target t in store s (BDD of the
// failure function, or ZBDD of the minimal cut sets cut off at e.L) with
// the variables in e.off held false, and returns it.
func (e *engine) restricted(t int32, s *store) (int32, error) {
	cone, err := e.buildCone([]int32{t}, e.work, s)
	f := e.work[t]
	for _, v := range cone {
		e.work[v] = -1
	}
	return f, err
}

// cone returns the variables of the events t depends on (t's own
// excluded), in variable order.
func (e *engine) cone(t int32) []int32 {
	c := e.c
	e.mark[t] = true
	seen := []int32{t}
	var out []int32
	for h := 0; h < len(seen); h++ {
		for _, u := range c.Inputs(seen[h]) {
			if e.mark[u] {
				continue
			}
			e.mark[u] = true
			seen = append(seen, u)
			if x := e.varOf[u]; x >= 0 {
				out = append(out, x)
			}
		}
	}
	for _, v := range seen {
		e.mark[v] = false
	}
	slices.Sort(out)
	return out
}

// enumerate lists the sets of ZBDD z in the documented order, at most
// opt.Limit of them when it is positive, with their probabilities, and
// with bound set the min-cut upper bound over all sets (else −1). With
// list false only the bound is computed. counts are z's
// set counts by size; the walk skips subdiagrams with no set of the size
// sought, so it costs time in proportion to what it lists. The sets of
// each order are sorted by a radix sort on the ranks of their ids.
func (e *engine) enumerate(z int32, counts []int64, bound, list bool) ([][]string, []float64, float64) {
	nodes := e.c.Map.Nodes
	nv := len(e.vertexOf)
	// rank orders variables by their event's id; byID inverts it.
	rank := make([]int32, nv)
	byID := make([]int32, nv)
	for x := range byID {
		byID[x] = int32(x)
	}
	sort.Slice(byID, func(i, j int) bool { return nodes[e.vertexOf[byID[i]]].ID < nodes[e.vertexOf[byID[j]]].ID })
	for r, x := range byID {
		rank[x] = int32(r)
	}
	logNot := 0.0 // Σ log(1 − P(C)), for the upper bound
	limit := e.opt.Limit
	if e.opt.Top > 0 {
		limit = e.opt.Top // without probabilities, Top lists like Limit
	}
	var sets [][]string
	var probs []float64
	if list {
		total := int64(0)
		for _, n := range counts {
			total += n
		}
		if limit > 0 {
			total = min(total, int64(limit))
		}
		sets = make([][]string, 0, total)
		probs = make([]float64, 0, total)
	}
	path := make([]int32, 0, 16)
	var flat []int32 // the sets of the current order, k ranks each
	for k := 0; k < len(counts); k++ {
		collect := list && (limit <= 0 || len(sets) < limit)
		if !collect && !bound {
			break
		}
		if counts[k] == 0 {
			continue
		}
		flat = slices.Grow(flat[:0], int(counts[k])*k)
		var walk func(z int32, k int)
		walk = func(z int32, k int) {
			if z == 0 || k < 0 || z == 1 && k > 0 {
				return
			}
			if z == 1 {
				if bound {
					p := 1.0
					for _, x := range path {
						p *= e.pvar[x]
					}
					logNot += math.Log1p(-p)
				}
				if collect {
					at := len(flat)
					for _, x := range path {
						// insertion into the sorted tail
						r := rank[x]
						flat = append(flat, r)
						for j := len(flat) - 1; j > at && flat[j-1] > r; j-- {
							flat[j], flat[j-1] = flat[j-1], flat[j]
						}
					}
				}
				return
			}
			if c := e.cnt[z]; k >= len(c) || c[k] == 0 {
				return
			}
			n := e.z.nodes[z]
			path = append(path, n.v)
			walk(n.hi, k-1)
			path = path[:len(path)-1]
			walk(n.lo, k)
		}
		walk(z, k)
		if !collect {
			continue
		}
		n := int(counts[k])
		perm := radixOrder(flat, n, k, nv)
		if limit > 0 {
			perm = perm[:min(len(perm), limit-len(sets))]
		}
		ids := make([]string, len(perm)*k)
		for i, r := range perm {
			s := ids[i*k : (i+1)*k : (i+1)*k]
			p := 1.0
			for j, rk := range flat[int(r)*k : (int(r)+1)*k] {
				x := byID[rk]
				s[j] = nodes[e.vertexOf[x]].ID
				p *= e.pvar[x]
			}
			sets = append(sets, s)
			probs = append(probs, p)
		}
	}
	mcub := -1.0
	if bound {
		mcub = -math.Expm1(logNot)
	}
	return sets, probs, mcub
}

// radixOrder returns the order of the n records of k values in [0, nv)
// in flat, sorted lexicographically: a least-significant-digit radix sort
// of their indexes.
func radixOrder(flat []int32, n, k, nv int) []int32 {
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	if k == 0 || n < 2 {
		return perm
	}
	tmp := make([]int32, n)
	count := make([]int32, nv+1)
	for col := k - 1; col >= 0; col-- {
		clear(count)
		for _, r := range perm {
			count[flat[int(r)*k+col]+1]++
		}
		for i := 1; i <= nv; i++ {
			count[i] += count[i-1]
		}
		for _, r := range perm {
			key := flat[int(r)*k+col]
			tmp[count[key]] = r
			count[key]++
		}
		perm, tmp = tmp, perm
	}
	return perm
}
