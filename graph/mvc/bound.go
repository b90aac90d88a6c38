package mvc

import (
	"math"
	"slices"
)

// Lower bounds of a search node. Both bound the weight the undecided
// vendors must add to those chosen In, and both are valid whatever the
// node: every completion that keeps the targets up costs at least that.
//
// The first (ascent) relaxes the node to covering constraints, one per
// forced vertex v still short of d inputs of support: each candidate
// input u, if it is to be up, needs every vendor of a set A(u) (the
// undecided vendors mandatory for u) or, when that is empty, at least one
// of A(u) (the undecided vendors nearest to u in its supply). So
// Σ_u w_u·|A(u) ∩ S| ≥ Σ_{u up} w_u·r_u, which is at least the sum of the
// d smallest r_u (r_u = |A(u)|, or 1). A dual ascent over these
// constraints, a fractional knapsack each on the weights the earlier
// ones left, gives the bound.
//
// The second (cutBound) packs cuts: sets of undecided vendors one of
// which every completion must contain.

// asetOf returns the index of u's vendor set, computing it once per
// evaluation.
func (e *engine) asetOf(u int32) int32 {
	if e.memo[u] == e.epoch {
		return e.memoAt[u]
	}
	l := e.l
	from := int32(len(e.aitems))
	// The undecided vendors mandatory for u.
	e.visit++
	q := append(e.bfs[:0], u)
	e.seen[u] = e.visit
	for h := 0; h < len(q); h++ {
		x := q[h]
		if i := l.vidx[x]; i >= 0 && e.st[i] == undecided {
			e.aitems = append(e.aitems, i)
		}
		slack := l.totW[x] - e.dw[x] - l.k[x]
		for j := l.inStart[x]; j < l.inStart[x+1]; j++ {
			y := l.in[j]
			if e.seen[y] != e.visit && !e.down[y] && e.pdown[y] && !e.must[y] && l.inW[j] > slack {
				e.seen[y] = e.visit
				q = append(q, y)
			}
		}
	}
	r := float64(int32(len(e.aitems)) - from)
	if r == 0 {
		// The undecided vendors nearest to u: one of them must join.
		e.visit++
		q = append(q[:0], u)
		e.seen[u] = e.visit
		for h := 0; h < len(q); h++ {
			x := q[h]
			if i := l.vidx[x]; i >= 0 && e.st[i] == undecided {
				e.aitems = append(e.aitems, i)
				continue
			}
			for j := l.inStart[x]; j < l.inStart[x+1]; j++ {
				y := l.in[j]
				if e.seen[y] != e.visit && !e.down[y] && e.pdown[y] {
					e.seen[y] = e.visit
					q = append(q, y)
				}
			}
		}
		if int32(len(e.aitems)) > from {
			r = 1
		}
	}
	e.bfs = q[:0]
	slices.Sort(e.aitems[from:])
	e.asets = append(e.asets, aset{from: from, to: int32(len(e.aitems)), r: r})
	e.memo[u] = e.epoch
	e.memoAt[u] = int32(len(e.asets) - 1)
	return e.memoAt[u]
}

// ascent returns a lower bound on the weight (nil: 1 per vendor) the
// undecided vendors must add: a dual ascent over the constraints, each a
// fractional knapsack on the weights the earlier ones left. ok is false
// when a constraint cannot be met at all.
func (e *engine) ascent(weight []float64) (float64, bool) {
	for _, c := range e.cons {
		for _, it := range e.items[c.from:c.to] {
			if weight == nil {
				e.rc[it.i] = 1
			} else {
				e.rc[it.i] = weight[it.i]
			}
		}
	}
	total := 0.0
	for ci := range e.cons {
		c := &e.cons[ci]
		its := append(e.scratchItems[:0], e.items[c.from:c.to]...)
		e.scratchItems = its
		slices.SortFunc(its, func(a, b item) int {
			x, y := e.rc[a.i]*b.g, e.rc[b.i]*a.g // compare rc/g without dividing
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
			return int(a.i - b.i)
		})
		need := c.d
		lambda := 0.0
		for _, it := range its {
			if need <= 1e-12 {
				break
			}
			lambda = e.rc[it.i] / it.g
			need -= it.g
		}
		if need > 1e-9 {
			return 0, false
		}
		val := c.d * lambda
		for _, it := range its {
			use := math.Min(e.rc[it.i], lambda*it.g)
			val -= lambda*it.g - use
			e.rc[it.i] -= use
		}
		c.val = math.Max(val, 0)
		total += c.val
	}
	return total, true
}

// cutBound is a primal-dual lower bound on the weight (nil: 1 per vendor)
// the undecided vendors must add at the current node, which must have
// been evaluated. A cut is a set C of undecided vendors such that failing
// C, with the vendors chosen Out, brings a target down while every other
// vendor is up; every completion contains a vendor of every cut. The
// bound packs cuts within the vendors' weights: it fails the Out vendors
// and every undecided vendor with weight left, derives a small cut from
// the propagation that brings a target down, charges its smallest
// remaining weight to every vendor in it, and repeats until the vendors
// whose weight is used up (with those chosen In) keep every target up.
// That last set is feasible: it is left in e.primal, and feasible is
// true.
//
// It stops early, returning what it has, once the bound exceeds stopAt.
func (e *engine) cutBound(weight []float64, stopAt float64) (bound float64, feasible bool) {
	l := e.l
	r := e.residual
	for i := range r {
		r[i] = 0
		if e.st[i] == undecided {
			r[i] = 1
			if weight != nil {
				r[i] = weight[i]
			}
		}
	}
	total := 0.0
	for total <= stopAt && !e.lim.expired() {
		// Fail the Out vendors and the undecided ones with weight left.
		failed := func(i int32) bool {
			return e.st[i] == chosenOut || e.st[i] == undecided && r[i] > 1e-12
		}
		q := e.propagate(e.cw, e.cdown, failed)
		for h, v := range q {
			e.ord[v] = int32(h)
		}
		// The size of a small derivation of each down vertex, in the
		// order they went down.
		for _, v := range q {
			i := l.vidx[v]
			switch {
			case i >= 0 && e.st[i] == chosenOut:
				e.size[v] = 0
			case i >= 0 && e.st[i] == undecided && r[i] > 1e-12:
				e.size[v] = 1
			default:
				s := 0.0
				for _, j := range e.tipping(v) {
					s += e.size[l.in[j]]
				}
				e.size[v] = s
			}
		}
		t := int32(-1)
		for _, x := range l.targets {
			if e.cdown[x] && (t < 0 || e.size[x] < e.size[t]) {
				t = x
			}
		}
		if t < 0 {
			feasible = true
			break
		}
		// Derive the cut.
		e.visit++
		e.seen[t] = e.visit
		stack := append(e.bfs[:0], t)
		cut := e.cut[:0]
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			i := l.vidx[v]
			if i >= 0 && e.st[i] == chosenOut {
				continue
			}
			if i >= 0 && e.st[i] == undecided && r[i] > 1e-12 {
				cut = append(cut, i)
				continue
			}
			for _, j := range e.tipping(v) {
				if u := l.in[j]; e.seen[u] != e.visit {
					e.seen[u] = e.visit
					stack = append(stack, u)
				}
			}
		}
		e.bfs, e.cut = stack[:0], cut
		if len(cut) == 0 {
			// A target is down with only the Out vendors failed: the node
			// is infeasible, which eval has ruled out already.
			return total, false
		}
		d := r[cut[0]]
		for _, i := range cut {
			d = min(d, r[i])
		}
		for _, i := range cut {
			r[i] -= d
		}
		total += d
	}
	if feasible {
		e.primal = e.primal[:0]
		for i, s := range e.st {
			if s == chosenIn || s == undecided && r[i] <= 1e-12 {
				e.primal = append(e.primal, int32(i))
			}
		}
	}
	return total, feasible
}

// propagate computes the least-fixpoint down set into cnt and dn when the
// vendors i with failed(i) fail, and returns the down vertices in the
// order they went down.
func (e *engine) propagate(cnt []int32, dn []bool, failed func(i int32) bool) []int32 {
	l := e.l
	q := e.queue[:0]
	for v := int32(0); v < int32(l.n); v++ {
		cnt[v] = 0
		i := l.vidx[v]
		dn[v] = i >= 0 && failed(i) || l.k[v] > l.totW[v]
		if dn[v] {
			q = append(q, v)
		}
	}
	for h := 0; h < len(q); h++ {
		u := q[h]
		for j := l.outStart[u]; j < l.outStart[u+1]; j++ {
			w := l.out[j]
			cnt[w] += l.outW[j]
			if !dn[w] && cnt[w] > l.totW[w]-l.k[w] {
				dn[w] = true
				q = append(q, w)
			}
		}
	}
	e.queue = q
	return q
}

// tipping returns, for a vertex that went down in the last cutBound
// propagation, input positions (into l.in) of inputs that went down
// before it, the smallest derivations first, just enough of them to keep
// it down.
func (e *engine) tipping(v int32) []int32 {
	l := e.l
	ins := e.ins[:0]
	sum, minW := int32(0), int32(math.MaxInt32)
	for j := l.inStart[v]; j < l.inStart[v+1]; j++ {
		if u := l.in[j]; e.cdown[u] && e.ord[u] < e.ord[v] {
			ins = append(ins, j)
			sum += l.inW[j]
			minW = min(minW, l.inW[j])
		}
	}
	e.ins = ins
	need := l.totW[v] - l.k[v] // down takes more than this weight
	switch {
	case need < 0:
		return ins[:0] // down whatever its inputs
	case sum-minW <= need:
		return ins // every one of them is needed
	case need == 0:
		// One input suffices (a list): the smallest derivation.
		best := ins[0]
		for _, j := range ins[1:] {
			if e.size[l.in[j]] < e.size[l.in[best]] {
				best = j
			}
		}
		ins[0] = best
		return ins[:1]
	}
	slices.SortFunc(ins, func(a, b int32) int {
		sa, sb := e.size[l.in[a]], e.size[l.in[b]]
		if sa != sb {
			if sa < sb {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	n := 0
	for _, j := range ins {
		if need < 0 {
			break
		}
		need -= l.inW[j]
		n++
	}
	return ins[:n]
}
