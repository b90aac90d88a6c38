package cutsets

import (
	"math"
	"sort"
)

// probability returns P(f) for BDD f by Shannon decomposition,
// P(x ? f1 : f0) = p(x)·P(f1) + (1 − p(x))·P(f0), remembered per node.
func (e *engine) probability(f int32) float64 {
	for len(e.prob) < len(e.b.nodes) {
		e.prob = append(e.prob, math.NaN())
	}
	var p func(f int32) float64
	p = func(f int32) float64 {
		if f <= 1 {
			return float64(f)
		}
		if r := e.prob[f]; !math.IsNaN(r) {
			return r
		}
		n := e.b.nodes[f]
		q := e.pvar[n.v]
		r := q*p(n.hi) + (1-q)*p(n.lo)
		e.prob[f] = r
		return r
	}
	return p(f)
}

// rareEvent returns the sum over the sets of ZBDD z of the product of
// their events' probabilities.
func (e *engine) rareEvent(z int32, memo map[int32]float64) float64 {
	if z <= 1 {
		return float64(z)
	}
	if r, ok := memo[z]; ok {
		return r
	}
	n := e.z.nodes[z]
	r := e.pvar[n.v]*e.rareEvent(n.hi, memo) + e.rareEvent(n.lo, memo)
	memo[z] = r
	return r
}

// probabilities returns P(F) and, with Options.Importance, the importance
// of every variable in cone, for F = (∨ spofs) ∨ F' where f is the BDD of
// F' and F' does not depend on the spofs: P(F) = (1 − Q) + Q·P(F') with
// Q = Π(1 − p(e)) over the spofs. Every conditional probability is a sum
// of non-negative terms, so none suffers cancellation.
func (e *engine) probabilities(f int32, spofs, cone []int32) (float64, []Importance) {
	pf := e.probability(f)
	// pre[i] and suf[i]: Σ log(1 − p) over spofs[:i] and spofs[i:].
	k := len(spofs)
	pre, suf := make([]float64, k+1), make([]float64, k+1)
	for i, x := range spofs {
		pre[i+1] = pre[i] + math.Log1p(-e.pvar[x])
	}
	for i := k - 1; i >= 0; i-- {
		suf[i] = suf[i+1] + math.Log1p(-e.pvar[spofs[i]])
	}
	Q, notQ := math.Exp(pre[k]), -math.Expm1(pre[k])
	P := notQ + Q*pf
	if !e.opt.Importance {
		return P, nil
	}
	at := map[int32]int{}
	for i, x := range spofs {
		at[x] = i
	}
	p1s, p0s, births := e.conditionals(f)
	out := make([]Importance, 0, len(cone))
	for _, x := range cone {
		p := e.pvar[x]
		var p1, p0, b float64
		if i, ok := at[x]; ok {
			lq := pre[i] + suf[i+1]
			qx, notQx := math.Exp(lq), -math.Expm1(lq)
			p1, p0, b = 1, notQx+qx*pf, qx*(1-pf)
		} else {
			p1, p0, b = notQ+Q*p1s[x], notQ+Q*p0s[x], Q*births[x]
		}
		p1, p0 = min(p1, 1), min(p0, 1)
		im := Importance{Event: e.c.Map.Nodes[e.vertexOf[x]].ID, Probability: p, Birnbaum: b, RAW: 1, RRW: 1}
		if P > 0 {
			im.FussellVesely = p * b / P
			im.Diagnosis = p * p1 / P
			im.RAW = p1 / P
			if p0 > 0 {
				im.RRW = P / p0
			} else {
				im.RRW = math.Inf(1)
			}
		}
		out = append(out, im)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Event < out[j].Event })
	return P, out
}

// conditionals returns, for every variable x, P(f | x), P(f | ¬x) and
// the Birnbaum importance P(f | x) − P(f | ¬x), in one top-down pass over
// BDD f. The paths from the root to 1 either meet a node testing x or
// skip x's level; with R(n) the probability of reaching node n,
//
//	P(f | x) = skip(x) + Σ_{n tests x} R(n)·P(hi(n))
//	P(f | ¬x) = skip(x) + Σ_{n tests x} R(n)·P(lo(n))
//
// where skip(x) sums R(a)·P(edge)·P(b) over the edges a → b that jump
// over x's level.
func (e *engine) conditionals(f int32) (p1, p0, birn []float64) {
	nodes := e.b.nodes
	nv := int32(len(e.vertexOf))
	level := func(n int32) int32 {
		if n <= 1 {
			return nv
		}
		return nodes[n].v
	}
	// The nodes under f, parents before children (variables only grow
	// downwards).
	var list []int32
	seen := map[int32]bool{}
	stack := []int32{f}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n <= 1 || seen[n] {
			continue
		}
		seen[n] = true
		list = append(list, n)
		stack = append(stack, nodes[n].lo, nodes[n].hi)
	}
	sort.Slice(list, func(i, j int) bool { return nodes[list[i]].v < nodes[list[j]].v })

	reach := map[int32]float64{f: 1}
	skip := make([]float64, nv+1) // difference array of skip(x)
	spans := make([]int32, nv+1)  // difference array of the edges over x
	p1 = make([]float64, nv)
	p0 = make([]float64, nv)
	birn = make([]float64, nv)
	jump := func(from, to int32, w float64) {
		if from+1 < to {
			skip[from+1] += w
			skip[to] -= w
			spans[from+1]++
			spans[to]--
		}
	}
	jump(-1, level(f), e.probability(f))
	for _, n := range list {
		x := nodes[n]
		r := reach[n]
		q := e.pvar[x.v]
		ph, pl := e.probability(x.hi), e.probability(x.lo)
		p1[x.v] += r * ph
		p0[x.v] += r * pl
		birn[x.v] += r * (ph - pl)
		if x.hi > 1 {
			reach[x.hi] += r * q
		}
		if x.lo > 1 {
			reach[x.lo] += r * (1 - q)
		}
		jump(x.v, level(x.hi), r*q*ph)
		jump(x.v, level(x.lo), r*(1-q)*pl)
	}
	acc, cnt := 0.0, int32(0)
	for x := int32(0); x < nv; x++ {
		acc += skip[x]
		cnt += spans[x]
		if cnt > 0 {
			p1[x] += max(acc, 0)
			p0[x] += max(acc, 0)
		}
	}
	return p1, p0, birn
}
