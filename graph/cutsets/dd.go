package cutsets

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// ErrTooLarge is returned when the decision diagrams of an analysis would
// grow past Options.MaxNodes.
var ErrTooLarge = errors.New("cut sets: decision diagram too large")

// Both diagram kinds share one store layout: node 0 is the terminal 0 and
// node 1 the terminal 1; every other node tests variable v (smaller
// variables nearer the root) with children lo (v false / v absent) and hi
// (v true / v present). Terminals carry the level leafLevel, below every
// variable.
const leafLevel = math.MaxInt32

type ddNode struct{ v, lo, hi int32 }

// store is a node table with a unique table (hash-consing) and a lossy
// computed-table, the classic BDD package layout. A BDD store reduces a
// node whose children are equal; a ZBDD store (zero-suppressed) one whose
// hi child is 0.
type store struct {
	zdd   bool
	nodes []ddNode
	uniq  []int32 // open addressing; 0 is an empty slot
	cache []cacheEntry
	limit int
	err   error
	ctx   context.Context
	ticks int
}

type cacheEntry struct{ op, a, b, r int32 }

func newStore(ctx context.Context, zdd bool, limit int) *store {
	s := &store{zdd: zdd, limit: limit, ctx: ctx}
	s.nodes = make([]ddNode, 2, 1024)
	s.nodes[0] = ddNode{v: leafLevel}
	s.nodes[1] = ddNode{v: leafLevel, lo: 1, hi: 1}
	s.uniq = make([]int32, 1024)
	s.cache = make([]cacheEntry, 1<<14)
	return s
}

func hash3(a, b, c int32) uint32 {
	h := uint64(uint32(a))*0x9E3779B97F4A7C15 ^ uint64(uint32(b))*0xC2B2AE3D27D4EB4F ^ uint64(uint32(c))*0x165667B19E3779F9
	h ^= h >> 29
	return uint32(h) ^ uint32(h>>32)
}

// mk returns the node (v, lo, hi), reduced and shared.
func (s *store) mk(v, lo, hi int32) int32 {
	if s.zdd {
		if hi == 0 {
			return lo
		}
	} else if lo == hi {
		return lo
	}
	if s.err != nil {
		return 0
	}
	mask := uint32(len(s.uniq) - 1)
	i := hash3(v, lo, hi) & mask
	for {
		n := s.uniq[i]
		if n == 0 {
			break
		}
		if x := s.nodes[n]; x.v == v && x.lo == lo && x.hi == hi {
			return n
		}
		i = (i + 1) & mask
	}
	if len(s.nodes) >= s.limit {
		s.err = fmt.Errorf("%w: more than %d nodes; lower the maximum order or raise the node limit", ErrTooLarge, s.limit)
		return 0
	}
	s.ticks++
	if s.ticks&0xffff == 0 && s.ctx != nil {
		if err := s.ctx.Err(); err != nil {
			s.err = err
			return 0
		}
	}
	n := int32(len(s.nodes))
	s.nodes = append(s.nodes, ddNode{v, lo, hi})
	s.uniq[i] = n
	if len(s.nodes)*2 > len(s.uniq) {
		s.grow()
	}
	return n
}

func (s *store) grow() {
	s.uniq = make([]int32, len(s.uniq)*2)
	mask := uint32(len(s.uniq) - 1)
	for n := 2; n < len(s.nodes); n++ {
		x := s.nodes[n]
		i := hash3(x.v, x.lo, x.hi) & mask
		for s.uniq[i] != 0 {
			i = (i + 1) & mask
		}
		s.uniq[i] = int32(n)
	}
	// The computed table follows the node count, up to 2^22 entries.
	if len(s.cache) < len(s.nodes) && len(s.cache) < 1<<22 {
		s.cache = make([]cacheEntry, len(s.cache)*4)
	}
}

func (s *store) lookup(op, a, b int32) (int32, bool) {
	e := &s.cache[hash3(op, a, b)&uint32(len(s.cache)-1)]
	if e.op == op && e.a == a && e.b == b {
		return e.r, true
	}
	return 0, false
}

func (s *store) remember(op, a, b, r int32) {
	if s.err != nil {
		return
	}
	s.cache[hash3(op, a, b)&uint32(len(s.cache)-1)] = cacheEntry{op, a, b, r}
}

// Operation codes in the computed table; 0 marks an empty entry.
const (
	opAnd int32 = iota + 1
	opOr
	opWithout
)

// and returns the conjunction of BDDs f and g.
func (s *store) and(f, g int32) int32 {
	switch {
	case f == 0 || g == 0:
		return 0
	case f == 1:
		return g
	case g == 1 || f == g:
		return f
	}
	if s.err != nil {
		return 0
	}
	if f > g {
		f, g = g, f
	}
	if r, ok := s.lookup(opAnd, f, g); ok {
		return r
	}
	nf, ng := s.nodes[f], s.nodes[g]
	var r int32
	switch {
	case nf.v == ng.v:
		r = s.mk(nf.v, s.and(nf.lo, ng.lo), s.and(nf.hi, ng.hi))
	case nf.v < ng.v:
		r = s.mk(nf.v, s.and(nf.lo, g), s.and(nf.hi, g))
	default:
		r = s.mk(ng.v, s.and(f, ng.lo), s.and(f, ng.hi))
	}
	s.remember(opAnd, f, g, r)
	return r
}

// or returns the disjunction of BDDs f and g.
func (s *store) or(f, g int32) int32 {
	switch {
	case f == 1 || g == 1:
		return 1
	case f == 0:
		return g
	case g == 0 || f == g:
		return f
	}
	if s.err != nil {
		return 0
	}
	if f > g {
		f, g = g, f
	}
	if r, ok := s.lookup(opOr, f, g); ok {
		return r
	}
	nf, ng := s.nodes[f], s.nodes[g]
	var r int32
	switch {
	case nf.v == ng.v:
		r = s.mk(nf.v, s.or(nf.lo, ng.lo), s.or(nf.hi, ng.hi))
	case nf.v < ng.v:
		r = s.mk(nf.v, s.or(nf.lo, g), s.or(nf.hi, g))
	default:
		r = s.mk(ng.v, s.or(f, ng.lo), s.or(f, ng.hi))
	}
	s.remember(opOr, f, g, r)
	return r
}

// without returns the sets of ZBDD p that contain no set of ZBDD q
// (Rauzy's "without"): {x ∈ p | no y ∈ q with y ⊆ x}.
func (s *store) without(p, q int32) int32 {
	switch {
	case p == 0 || q == 1 || p == q:
		return 0
	case q == 0:
		return p
	}
	if s.err != nil {
		return 0
	}
	if r, ok := s.lookup(opWithout, p, q); ok {
		return r
	}
	np, nq := s.nodes[p], s.nodes[q]
	var r int32
	switch {
	case np.v < nq.v:
		r = s.mk(np.v, s.without(np.lo, q), s.without(np.hi, q))
	case np.v > nq.v:
		r = s.without(p, nq.lo)
	default:
		r = s.mk(np.v, s.without(np.lo, nq.lo), s.without(s.without(np.hi, nq.hi), nq.lo))
	}
	s.remember(opWithout, p, q, r)
	return r
}

// The ZBDD operations below work on minimal families (no set contains
// another); L bounds the size of the sets kept, L < 0 meaning no bound.

// opJoin + L + 1 keys join results by their bound, and opTrunc + L + 1
// truncations.
const (
	opUnion int32 = 8
	opTrunc int32 = 1 << 20
	opJoin  int32 = 1 << 21
)

// union returns min(p ∪ q) for minimal families p and q. With
// p = x·p1 + p0 and q = x·q1 + q0, the sets without x are min(p0 ∪ q0),
// and those with x the minimal sets of p1 ∪ q1 that contain none of them.
func (s *store) union(p, q int32) int32 {
	switch {
	case p == 0 || p == q:
		return q
	case q == 0:
		return p
	case p == 1 || q == 1: // {∅} contains every set
		return 1
	}
	if s.err != nil {
		return 0
	}
	if p > q {
		p, q = q, p
	}
	if r, ok := s.lookup(opUnion, p, q); ok {
		return r
	}
	np, nq := s.nodes[p], s.nodes[q]
	var r int32
	switch {
	case np.v < nq.v:
		r0 := s.union(np.lo, q)
		r = s.mk(np.v, r0, s.without(np.hi, r0))
	case np.v > nq.v:
		r0 := s.union(p, nq.lo)
		r = s.mk(nq.v, r0, s.without(nq.hi, r0))
	default:
		r0 := s.union(np.lo, nq.lo)
		r = s.mk(np.v, r0, s.without(s.union(np.hi, nq.hi), r0))
	}
	s.remember(opUnion, p, q, r)
	return r
}

// trunc returns the sets of p of size at most L.
func (s *store) trunc(p int32, L int) int32 {
	if L < 0 || p <= 1 || s.err != nil {
		return p
	}
	if L == 0 {
		for p > 1 {
			p = s.nodes[p].lo
		}
		return p
	}
	op := opTrunc + int32(L) + 1
	if r, ok := s.lookup(op, p, 0); ok {
		return r
	}
	n := s.nodes[p]
	r := s.mk(n.v, s.trunc(n.lo, L), s.trunc(n.hi, L-1))
	s.remember(op, p, 0, r)
	return r
}

// join returns min{a ∪ b : a ∈ p, b ∈ q, |a ∪ b| ≤ L} for minimal
// families p and q: the minimal cut sets of an and of two functions whose
// minimal cut sets are p and q, cut off at order L.
func (s *store) join(p, q int32, L int) int32 {
	switch {
	case p == 0 || q == 0:
		return 0
	case p == 1:
		return s.trunc(q, L)
	case q == 1:
		return s.trunc(p, L)
	case L == 0:
		return 0
	case p == q:
		return s.trunc(p, L)
	}
	if s.err != nil {
		return 0
	}
	if p > q {
		p, q = q, p
	}
	op := opJoin + int32(L) + 1
	if r, ok := s.lookup(op, p, q); ok {
		return r
	}
	L1 := L
	if L > 0 {
		L1 = L - 1
	}
	np, nq := s.nodes[p], s.nodes[q]
	var r int32
	switch {
	case np.v < nq.v: // x only in p: x·(p1 ⊗ q) + p0 ⊗ q
		r0 := s.join(np.lo, q, L)
		r = s.mk(np.v, r0, s.without(s.join(np.hi, q, L1), r0))
	case np.v > nq.v:
		r0 := s.join(p, nq.lo, L)
		r = s.mk(nq.v, r0, s.without(s.join(nq.hi, p, L1), r0))
	default: // x·(p1 ⊗ (q1 ∪ q0) ∪ p0 ⊗ q1) + p0 ⊗ q0
		r0 := s.join(np.lo, nq.lo, L)
		t := s.union(s.join(np.hi, s.union(nq.hi, nq.lo), L1), s.join(np.lo, nq.hi, L1))
		r = s.mk(np.v, r0, s.without(t, r0))
	}
	s.remember(op, p, q, r)
	return r
}
