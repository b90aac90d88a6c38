package cutsets

import "math/bits"

// spofsOf computes, for every target, its single points of failure (the
// events whose failure alone brings it down, its own event included), as
// variable lists in ascending order. It is one pass over the targets'
// cones with a bitset of variables per vertex, components suppliers
// first and a fixpoint inside cycles; a vertex's bitset is dropped once
// every vertex that reads it is done.
func (e *engine) spofsOf(targets []int32) [][]int32 {
	c := e.c
	words := (len(e.vertexOf) + 63) / 64
	inCone := make([]bool, c.N())
	var stack []int32
	for _, t := range targets {
		if !inCone[t] {
			inCone[t] = true
			stack = append(stack, t)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range c.Inputs(v) {
			if !inCone[u] {
				inCone[u] = true
				stack = append(stack, u)
			}
		}
	}
	// readers[v]: vertices (and targets) still to read v's set.
	readers := make([]int32, c.N())
	for v := range readers {
		if !inCone[v] {
			continue
		}
		for _, u := range c.Inputs(int32(v)) {
			readers[u]++
		}
	}
	isTarget := make([]bool, c.N())
	for _, t := range targets {
		isTarget[t] = true
	}
	set := make([][]uint64, c.N())
	var free [][]uint64
	alloc := func() []uint64 {
		if n := len(free); n > 0 {
			b := free[n-1]
			free = free[:n-1]
			clear(b)
			return b
		}
		return make([]uint64, words)
	}
	var scratch [][]uint64
	compute := func(v int32, out []uint64) {
		ins := c.Inputs(v)
		m := int32(len(ins))
		r := m - c.K[v] + 1
		clear(out)
		switch {
		case c.K[v] <= 0 || r > m:
		case r <= 0:
			for x := range e.vertexOf {
				out[x/64] |= 1 << (x % 64)
			}
		case r == 1:
			for _, u := range ins {
				for i, w := range set[u] {
					out[i] |= w
				}
			}
		case r == m:
			copy(out, set[ins[0]])
			for _, u := range ins[1:] {
				for i, w := range set[u] {
					out[i] &= w
				}
			}
		default:
			// cnt[k]: events that fail at least k+1 of the inputs so far.
			for len(scratch) < int(r) {
				scratch = append(scratch, make([]uint64, words))
			}
			cnt := scratch[:r]
			for _, b := range cnt {
				clear(b)
			}
			for _, u := range ins {
				s := set[u]
				for k := r - 1; k >= 1; k-- {
					for i, w := range s {
						cnt[k][i] |= cnt[k-1][i] & w
					}
				}
				for i, w := range s {
					cnt[0][i] |= w
				}
			}
			copy(out, cnt[r-1])
		}
		if x := e.varOf[v]; x >= 0 {
			out[x/64] |= 1 << (x % 64)
		}
	}
	release := func(v int32) {
		for _, u := range c.Inputs(v) {
			readers[u]--
			if readers[u] == 0 && !isTarget[u] && set[u] != nil {
				free = append(free, set[u])
				set[u] = nil
			}
		}
	}
	tmp := make([]uint64, words)
	for _, comp := range e.comps {
		if !inCone[comp[0]] {
			continue
		}
		for _, v := range comp {
			set[v] = alloc()
		}
		cyclic := len(comp) > 1
		for _, u := range c.Inputs(comp[0]) {
			cyclic = cyclic || u == comp[0]
		}
		for changed := true; changed; {
			changed = false
			for _, v := range comp {
				compute(v, tmp)
				for i, w := range tmp {
					if w != set[v][i] {
						changed = true
						set[v][i] = w
					}
				}
			}
			changed = changed && cyclic
		}
		for _, v := range comp {
			release(v)
		}
	}
	out := make([][]int32, len(targets))
	for i, t := range targets {
		for wi, w := range set[t] {
			for ; w != 0; w &= w - 1 {
				out[i] = append(out[i], int32(wi*64+bits.TrailingZeros64(w)))
			}
		}
	}
	return out
}
