package mvc

import (
	"math"
	"slices"
)

// local is one component of the residual supply problem with its own
// dense vertex numbers (in ascending circuit order). Its targets are the
// forced vertices short of support; its other vertices are neither free
// nor forced. Inputs outside the component are free or forced, so up in
// every supply set, and already subtracted from the thresholds; repeated
// inputs are merged, with their multiplicity as weight.
type local struct {
	n         int
	k, totW   []int32 // threshold; total input weight
	inStart   []int32 // inputs of v: in[inStart[v]:inStart[v+1]], weights inW
	in, inW   []int32
	outStart  []int32 // vertices that have v as input, with the weights
	out, outW []int32
	// The vendors that may be chosen, in id order: vert[i] is vendor i's
	// vertex, vglob[i] its circuit vertex; vidx maps back (-1: not one).
	vert, vglob []int32
	vidx        []int32
	weight      []float64 // vendor i's primary weight in the objective (see value)
	weight2     []float64 // its secondary weight
	integral    bool      // every weight is a whole number
	targets     []int32   // the vertices that must be up
}

// buildLocal builds the component vs (ascending circuit vertices). loc is
// scratch of size c.N() holding -1, and is left so.
func buildLocal(p *problem, vs []int32, must []bool, free func(int32) bool, loc []int32, weight, weight2 func(int32) float64) *local {
	c := p.c
	l := &local{n: len(vs), integral: true}
	for i, v := range vs {
		loc[v] = int32(i)
	}
	l.k = make([]int32, l.n)
	l.totW = make([]int32, l.n)
	l.inStart = make([]int32, l.n+1)
	l.vidx = make([]int32, l.n)
	cnt := map[int32]int32{}
	var order []int32
	for i, v := range vs {
		l.inStart[i] = int32(len(l.in))
		k := c.K[v]
		clear(cnt)
		order = order[:0]
		for _, u := range c.Inputs(v) {
			lu := loc[u]
			if lu < 0 {
				if free(u) || must[u] {
					k--
				}
				continue
			}
			if cnt[lu] == 0 {
				order = append(order, lu)
			}
			cnt[lu]++
		}
		slices.Sort(order)
		for _, lu := range order {
			l.in = append(l.in, lu)
			l.inW = append(l.inW, cnt[lu])
			l.totW[i] += cnt[lu]
		}
		l.k[i] = max(k, 0)
		l.vidx[i] = -1
		if p.isVendor(v) && !must[v] {
			l.vidx[i] = int32(len(l.vert))
			l.vert = append(l.vert, int32(i))
			l.vglob = append(l.vglob, v)
			w := weight(v)
			l.weight = append(l.weight, w)
			l.weight2 = append(l.weight2, weight2(v))
			if w != math.Trunc(w) {
				l.integral = false
			}
		}
		if must[v] {
			l.targets = append(l.targets, int32(i))
		}
	}
	l.inStart[l.n] = int32(len(l.in))
	// The reverse adjacency.
	l.outStart = make([]int32, l.n+1)
	for _, u := range l.in {
		l.outStart[u+1]++
	}
	for i := 1; i <= l.n; i++ {
		l.outStart[i] += l.outStart[i-1]
	}
	l.out = make([]int32, len(l.in))
	l.outW = make([]int32, len(l.in))
	at := slices.Clone(l.outStart[:l.n])
	for v := int32(0); v < int32(l.n); v++ {
		for j := l.inStart[v]; j < l.inStart[v+1]; j++ {
			u := l.in[j]
			l.out[at[u]] = v
			l.outW[at[u]] = l.inW[j]
			at[u]++
		}
	}
	for _, v := range vs {
		loc[v] = -1
	}
	return l
}

// Vendor states during the search.
const (
	undecided int8 = iota
	chosenIn
	chosenOut
)

// The outcomes of evaluating a search node.
const (
	nodeInfeasible = iota // no completion keeps the targets up
	nodeLeaf              // the vendors chosen already keep the targets up
	nodeOpen              // a vendor must be branched on
)

// The two searches.
const (
	phaseOptimize  = iota // the optimising search
	phaseRoot             // the root of the optimising search
	phaseEnumerate        // the search for optimal sets, the optimum known
)

// evalResult is what evaluating a search node finds.
type evalResult struct {
	kind   int
	lb     value // no completion is better
	branch int32 // the vendor to branch on (nodeOpen)
}

// constraint is a relaxed covering constraint of a node: Σ g_i·y_i ≥ d over
// the vendors of items[from:to].
type constraint struct {
	v        int32
	d        float64
	from, to int32
	val      float64 // its part of the bound
}

// item is a vendor with its coefficient in a constraint.
type item struct {
	i int32
	g float64
}

// engine is the branch and bound of one component.
type engine struct {
	l    *local
	lim  *limits
	mode Objective
	st   []int8 // vendor states
	// trail holds the vendors set In by propagation, to undo on return.
	trail []int32

	// The outcome of optimize.
	best    []int32 // the best set found (vendor indices, ascending)
	bestVal value
	lb      value // no set of the component is better
	optimal bool
	// The outcome of enumerate.
	sets      [][]int32 // optimal sets, in canonical order (see enumerate)
	canonical bool      // sets[0] is the canonical set
	enumDone  bool      // sets holds every optimal set
	want      int
	enough    bool
	// exact: enum takes only the sets of the best value, not every set
	// that ties with it (see tie).
	exact bool

	// Scratch of eval.
	dw, pw       []int32 // down input weight: optimistic, pessimistic
	down, pdown  []bool
	must         []bool
	queue, bfs   []int32
	memo         []int32 // per vertex: the epoch in which memoAt was set
	memoAt       []int32 // per vertex: index into asets
	asets        []aset
	aitems       []int32
	seen         []int32
	epoch, visit int32
	cons         []constraint
	items        []item
	gacc         []float64
	touched      []int32
	rc           []float64
	cand         []cand
	scratchItems []item
	tmpState     []int8
	// Scratch of cutBound.
	residual []float64
	cw       []int32
	cdown    []bool
	ord      []int32
	size     []float64
	ins, cut []int32
	primal   []int32
}

// aset is the vendor set a candidate input needs: all of them (mand) or
// at least one.
type aset struct {
	from, to int32 // in aitems
	r        float64
}

type cand struct {
	u int32
	w int32
	a int32 // index into asets
}

func newEngine(l *local, lim *limits, mode Objective) *engine {
	n, nv := l.n, len(l.vert)
	return &engine{
		l: l, lim: lim, mode: mode,
		st: make([]int8, nv),
		dw: make([]int32, n), pw: make([]int32, n),
		down: make([]bool, n), pdown: make([]bool, n), must: make([]bool, n),
		memo: make([]int32, n), memoAt: make([]int32, n), seen: make([]int32, n),
		gacc: make([]float64, nv), rc: make([]float64, nv),
		tmpState: make([]int8, nv), residual: make([]float64, nv),
		cw: make([]int32, n), cdown: make([]bool, n), ord: make([]int32, n), size: make([]float64, n),
	}
}

// fixpoint computes the least-fixpoint down set into cnt and dn when the
// vendors whose state under st satisfies failed fail.
func (e *engine) fixpoint(cnt []int32, dn []bool, st []int8, failed func(int8) bool) {
	e.propagate(cnt, dn, func(i int32) bool { return failed(st[i]) })
}

func isOut(s int8) bool     { return s == chosenOut }
func notChosen(s int8) bool { return s != chosenIn }

// inValue is the value of the vendors chosen In.
func (e *engine) inValue(st []int8) value {
	var v value
	for i, s := range st {
		if s == chosenIn {
			v.prim += e.l.weight[i]
			v.sec += e.l.weight2[i]
		}
	}
	return v
}

// feasible reports whether the vendors In under st keep the targets up.
func (e *engine) feasible(st []int8) bool {
	e.fixpoint(e.pw, e.pdown, st, notChosen)
	for _, t := range e.l.targets {
		if e.pdown[t] {
			return false
		}
	}
	return true
}

// eval evaluates the current node: it propagates (setting the vendors
// every completion needs to In, on the trail), detects infeasible nodes
// and leaves, and computes a lower bound and the vendor to branch on.
//
// The bound is the larger of two valid bounds (bound.go): a dual ascent
// over covering constraints read off the vertices still short of
// support (ascent), and a packing of cuts (cutBound), whose feasible set
// also serves as an incumbent.
func (e *engine) eval(phase int) evalResult {
	l := e.l
	e.lim.nodes++
	e.fixpoint(e.dw, e.down, e.st, isOut)
	for _, t := range l.targets {
		if e.down[t] {
			return evalResult{kind: nodeInfeasible}
		}
	}
	// The vertices every completion keeps up, and the vendors among them.
	for v := range e.must {
		e.must[v] = false
	}
	q := e.queue[:0]
	for _, t := range l.targets {
		if !e.must[t] {
			e.must[t] = true
			q = append(q, t)
		}
	}
	for h := 0; h < len(q); h++ {
		v := q[h]
		slack := l.totW[v] - e.dw[v] - l.k[v]
		for j := l.inStart[v]; j < l.inStart[v+1]; j++ {
			u := l.in[j]
			if !e.down[u] && l.inW[j] > slack && !e.must[u] {
				e.must[u] = true
				q = append(q, u)
			}
		}
	}
	for _, v := range q {
		if i := l.vidx[v]; i >= 0 && e.st[i] == undecided {
			e.st[i] = chosenIn
			e.trail = append(e.trail, i)
		}
	}
	e.queue = q
	if e.feasible(e.st) {
		return evalResult{kind: nodeLeaf, lb: e.inValue(e.st)}
	}

	// The covering constraints.
	e.epoch++
	e.cons = e.cons[:0]
	e.items = e.items[:0]
	e.asets = e.asets[:0]
	e.aitems = e.aitems[:0]
	for v := int32(0); v < int32(l.n); v++ {
		if !e.must[v] || !e.pdown[v] {
			continue
		}
		covered := int32(0)
		e.cand = e.cand[:0]
		for j := l.inStart[v]; j < l.inStart[v+1]; j++ {
			u := l.in[j]
			switch {
			case !e.pdown[u] || e.must[u]:
				covered += l.inW[j]
			case !e.down[u]:
				e.cand = append(e.cand, cand{u: u, w: l.inW[j], a: e.asetOf(u)})
			}
		}
		d := l.k[v] - covered
		if d <= 0 {
			continue
		}
		// The least Σ w·r over candidates of weight d, fractionally.
		slices.SortFunc(e.cand, func(a, b cand) int {
			ra, rb := e.asets[a.a].r, e.asets[b.a].r
			if ra != rb {
				if ra < rb {
					return -1
				}
				return 1
			}
			return int(a.u - b.u)
		})
		need, dd := d, 0.0
		for _, cd := range e.cand {
			if need <= 0 {
				break
			}
			take := min(need, cd.w)
			dd += float64(take) * e.asets[cd.a].r
			need -= take
		}
		if need > 0 {
			return evalResult{kind: nodeInfeasible}
		}
		if dd <= 0 {
			continue
		}
		from := int32(len(e.items))
		e.touched = e.touched[:0]
		for _, cd := range e.cand {
			a := e.asets[cd.a]
			for _, i := range e.aitems[a.from:a.to] {
				if e.gacc[i] == 0 {
					e.touched = append(e.touched, i)
				}
				e.gacc[i] += float64(cd.w)
			}
		}
		slices.Sort(e.touched)
		for _, i := range e.touched {
			e.items = append(e.items, item{i: i, g: e.gacc[i]})
			e.gacc[i] = 0
		}
		e.cons = append(e.cons, constraint{v: v, d: dd, from: from, to: int32(len(e.items))})
	}
	slices.SortStableFunc(e.cons, func(a, b constraint) int {
		if a.d != b.d {
			if a.d > b.d {
				return -1
			}
			return 1
		}
		return int(a.v - b.v)
	})

	in := e.inValue(e.st)
	lb := in
	// The cut bound stops early once the node can be pruned anyway; at
	// the root of the optimising search it runs to the end, for its
	// feasible set.
	stopAt := e.bestVal.prim - in.prim + 1e-9*max(1, e.bestVal.prim)
	if phase == phaseRoot {
		stopAt = math.Inf(1)
	}
	var weight []float64
	if e.mode == MinCost {
		weight = l.weight
	} else {
		// The bound on the cost, the secondary weight, first: the
		// ascent on the primary weight below leaves the shares of the
		// bound that guide the branching.
		y, ok := e.ascent(l.weight2)
		if !ok {
			return evalResult{kind: nodeInfeasible}
		}
		lb.sec += y
	}
	x, ok := e.ascent(weight)
	if !ok {
		return evalResult{kind: nodeInfeasible}
	}
	cb, feasible := e.cutBound(weight, stopAt)
	x = max(x, cb)
	if phase != phaseEnumerate && feasible && (phase == phaseRoot || e.setValue(e.primal).less(e.bestVal)) {
		e.improve(e.primal)
	}
	if e.mode == MinCost {
		if l.integral {
			x = ceilTol(x)
		}
		lb.prim += x
		y, _ := e.ascent(nil)
		lb.sec += ceilTol(y)
	} else {
		lb.prim += ceilTol(x)
	}
	r := evalResult{kind: nodeOpen, lb: lb, branch: e.hardest()}
	if r.branch < 0 {
		// Cannot happen: a node that is no leaf always has a vendor to
		// branch on. Treat it as a dead end rather than loop.
		return evalResult{kind: nodeInfeasible}
	}
	return r
}

func ceilTol(x float64) float64 { return math.Ceil(x - 1e-9) }

// hardest picks the branching vendor of the optimising search: in the
// constraint with the largest share of the bound, the vendor with the
// lowest weight per unit of coverage.
func (e *engine) hardest() int32 {
	bestC := -1
	for ci, c := range e.cons {
		if bestC < 0 || c.val > e.cons[bestC].val {
			bestC = ci
		}
	}
	if bestC < 0 {
		return e.smallestInCone()
	}
	c := e.cons[bestC]
	best := int32(-1)
	var bw, bg float64
	for _, it := range e.items[c.from:c.to] {
		w := e.l.weight[it.i]
		if e.mode != MinCost {
			w = 1
		}
		// w/g < bw/bg, or equal with more coverage.
		if best < 0 || w*bg < bw*it.g || w*bg == bw*it.g && it.g > bg {
			best, bw, bg = it.i, w, it.g
		}
	}
	return best
}

// smallestInCone returns the undecided vendor with the smallest id that
// the forced vertices still short of support reach through vertices that
// are neither down nor up already, or -1; vendors outside that cone
// cannot help.
func (e *engine) smallestInCone() int32 {
	l := e.l
	e.visit++
	q := e.queue[:0]
	for v := int32(0); v < int32(l.n); v++ {
		if e.must[v] && e.pdown[v] {
			e.seen[v] = e.visit
			q = append(q, v)
		}
	}
	best := int32(-1)
	for h := 0; h < len(q); h++ {
		x := q[h]
		if i := l.vidx[x]; i >= 0 && e.st[i] == undecided && (best < 0 || i < best) {
			best = i
		}
		for j := l.inStart[x]; j < l.inStart[x+1]; j++ {
			y := l.in[j]
			if e.seen[y] != e.visit && !e.down[y] && e.pdown[y] {
				e.seen[y] = e.visit
				q = append(q, y)
			}
		}
	}
	e.queue = q
	return best
}

func (e *engine) undo(mark int) {
	for _, i := range e.trail[mark:] {
		e.st[i] = undecided
	}
	e.trail = e.trail[:mark]
}

// optimize runs the optimising search; it returns false when the
// component has no feasible set at all.
func (e *engine) optimize() bool {
	e.bestVal = infValue
	r := e.eval(phaseRoot)
	if r.kind == nodeLeaf {
		// Nothing to choose: the vendors forced at the root suffice.
		e.leaf()
	}
	e.undo(0)
	switch r.kind {
	case nodeInfeasible:
		return false
	case nodeLeaf:
		e.lb = e.bestVal
		e.optimal = true
		return true
	}
	if e.best == nil {
		// The root was stopped before it found a set: take every vendor,
		// which keeps the targets up since the root is feasible.
		all := make([]int32, len(e.st))
		for i := range all {
			all[i] = int32(i)
		}
		e.improve(all)
	}
	lb, done := e.bb(r.lb)
	e.optimal = done
	if done {
		e.lb = e.bestVal
	} else {
		e.lb = minValue(lb, e.bestVal)
	}
	return true
}

// minimal drops vendors from the In set of st, highest id first, while
// the rest still keeps the targets up; it returns the result, ascending.
// st is changed. A search limit stops it early, with a set that is
// feasible but perhaps not minimal.
func (e *engine) minimal(st []int8) []int32 {
	for i := len(st) - 1; i >= 0; i-- {
		if st[i] != chosenIn {
			continue
		}
		if e.lim.expired() {
			break
		}
		st[i] = chosenOut
		if !e.feasible(st) {
			st[i] = chosenIn
		}
	}
	var out []int32
	for i, s := range st {
		if s == chosenIn {
			out = append(out, int32(i))
		}
	}
	return out
}

func (e *engine) setValue(set []int32) value {
	var v value
	for _, i := range set {
		v.prim += e.l.weight[i]
		v.sec += e.l.weight2[i]
	}
	return v
}

// improve takes a feasible set (vendor indices, ascending), made
// minimal, as the incumbent when it is better.
func (e *engine) improve(set []int32) {
	st := e.tmpState
	for i := range st {
		st[i] = chosenOut
	}
	for _, i := range set {
		st[i] = chosenIn
	}
	min := e.minimal(st)
	if v := e.setValue(min); v.less(e.bestVal) {
		e.best, e.bestVal = min, v
	}
}

// leaf takes the In set of the current node as a candidate incumbent.
func (e *engine) leaf() {
	var set []int32
	for i, s := range e.st {
		if s == chosenIn {
			set = append(set, int32(i))
		}
	}
	e.improve(set)
}

// bb is the optimising depth-first branch and bound. It returns whether
// the subtree was searched completely and, when not, a lower bound on
// what it left unexplored; parent is the bound of the parent node.
func (e *engine) bb(parent value) (value, bool) {
	if e.lim.stop() {
		return parent, false
	}
	mark := len(e.trail)
	defer e.undo(mark)
	r := e.eval(phaseOptimize)
	switch {
	case r.kind == nodeInfeasible:
		return infValue, true
	case r.kind == nodeLeaf:
		e.leaf()
		return infValue, true
	case !r.lb.less(e.bestVal):
		return infValue, true
	}
	i := r.branch
	e.st[i] = chosenIn
	lbIn, done := e.bb(r.lb)
	e.st[i] = undecided
	if !done {
		// The other branch is unexplored: this node's bound holds for it.
		return minValue(lbIn, r.lb), false
	}
	e.st[i] = chosenOut
	lbOut, done := e.bb(r.lb)
	e.st[i] = undecided
	return lbOut, done
}

// tie reports whether a set of value v is optimal, the optimum known: of
// the best value with MinCost; with MinVendors, of as few vendors,
// whatever its cost, unless exact.
func (e *engine) tie(v value) bool {
	if e.mode == MinCost || e.exact {
		return v.eq(e.bestVal)
	}
	return costEq(v.prim, e.bestVal.prim)
}

// hopeless reports whether no completion of a node whose bound is lb is
// optimal (see tie).
func (e *engine) hopeless(lb value) bool {
	if e.mode == MinCost || e.exact {
		return e.bestVal.less(lb)
	}
	return !costEq(lb.prim, e.bestVal.prim) && lb.prim > e.bestVal.prim
}

// canonicalCmp orders optimal sets canonically: by value (with
// MinVendors, the cheapest first), then lexicographically.
func (e *engine) canonicalCmp(a, b []int32) int {
	va, vb := e.setValue(a), e.setValue(b)
	switch {
	case va.less(vb):
		return -1
	case vb.less(va):
		return 1
	}
	return slices.Compare(a, b)
}

// enumerate collects optimal sets, up to want of them, once optimize has
// proven the optimum, and finds the canonical one: the lexicographically
// smallest of the sets of the best value (with MinVendors, the cheapest
// of the smallest sets). When the search finds them all (fewer than
// want), they are sorted canonically and the first is the canonical set;
// otherwise lexMin finds it.
func (e *engine) enumerate(want int) {
	e.want = want
	e.sets = nil
	e.enough = false
	stopped := e.enum()
	e.enumDone = !stopped && !e.enough
	slices.SortFunc(e.sets, e.canonicalCmp)
	switch {
	case e.enumDone:
		e.canonical = len(e.sets) > 0
	case !stopped:
		found := e.sets
		witness := e.best
		if len(found) > 0 && e.setValue(found[0]).eq(e.bestVal) {
			witness = found[0]
		}
		first, ok := e.lexMin(witness)
		e.canonical = ok
		e.sets = found
		if ok {
			found = slices.DeleteFunc(found, func(s []int32) bool { return slices.Equal(s, first) })
			e.sets = append([][]int32{first}, found...)
		}
	}
}

// enum searches for optimal sets (see tie), collecting them in e.sets;
// with want 1 it stops at the first. It returns true when a limit stopped
// it.
func (e *engine) enum() bool {
	if e.lim.stop() {
		return true
	}
	mark := len(e.trail)
	defer e.undo(mark)
	r := e.eval(phaseEnumerate)
	switch {
	case r.kind == nodeInfeasible:
		return false
	case r.kind == nodeLeaf:
		if e.tie(r.lb) {
			var set []int32
			for i, s := range e.st {
				if s == chosenIn {
					set = append(set, int32(i))
				}
			}
			e.sets = append(e.sets, set)
			if len(e.sets) >= e.want {
				e.enough = true
			}
		}
		return false
	case e.hopeless(r.lb):
		return false
	}
	i := r.branch
	for _, s := range []int8{chosenIn, chosenOut} {
		e.st[i] = s
		stopped := e.enum()
		e.st[i] = undecided
		if stopped {
			return true
		}
		if e.enough {
			return false
		}
	}
	return false
}

// lexMin returns the lexicographically smallest set of the best value,
// given one (witness): it decides the vendors in id order, each In when
// some set of the best value contains it with the vendors decided so
// far, which the witness answers for its own vendors and a search (enum,
// exact, stopping at the first such set) for the others. ok is false
// when a limit stopped it.
func (e *engine) lexMin(witness []int32) (set []int32, ok bool) {
	e.exact = true
	defer func() {
		e.exact = false
		for i := range e.st {
			e.st[i] = undecided
		}
	}()
	in := make([]bool, len(e.st))
	for _, i := range witness {
		in[i] = true
	}
	for w := range e.st {
		e.st[w] = chosenIn
		if in[w] {
			continue
		}
		e.want, e.enough, e.sets = 1, false, nil
		if e.enum() {
			return witness, false
		}
		if len(e.sets) == 0 {
			e.st[w] = chosenOut
			continue
		}
		witness = e.sets[0]
		clear(in)
		for _, i := range witness {
			in[i] = true
		}
	}
	return witness, true
}
