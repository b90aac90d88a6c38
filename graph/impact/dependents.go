package impact

// Dependents records, for every vertex, which targets depend on it: bit i
// of Of(v) is set when targets[i] reaches v by following inputs (its
// requirement, the requirements of what that names, and so on), the
// target itself included.
type Dependents struct {
	Targets []int32
	words   int
	data    []uint64
}

// Of returns the targets that depend on v, as indices into Targets; nil
// for v out of range. The set shares storage and must not be modified.
func (d *Dependents) Of(v int32) Bitset {
	if d.words == 0 || v < 0 || int(v)*d.words >= len(d.data) {
		return nil
	}
	o := int(v) * d.words
	return Bitset(d.data[o : o+d.words : o+d.words])
}

// Dependents computes, in one pass over the components in consumer-first
// order, which targets depend on each vertex. A vertex for which opaque
// returns true passes no dependency on: its suppliers do not count as
// depended on through it (it may still be depended on itself). With
// vendors opaque, Of(x) for a vendor x holds the targets that name x
// without going through another vendor. opaque nil makes no vertex opaque.
// Memory is ⌈len(targets)/64⌉·8 bytes per vertex.
func (s *Sweeper) Dependents(targets []int32, opaque func(v int32) bool) *Dependents {
	c := s.c
	n := c.N()
	w := (len(targets) + 63) / 64
	d := &Dependents{Targets: targets, words: w}
	if w == 0 {
		return d
	}
	d.data = make([]uint64, n*w)
	op := make([]bool, n)
	if opaque != nil {
		for v := range op {
			op[v] = opaque(int32(v))
		}
	}
	set := func(v int32) []uint64 { return d.data[int(v)*w : int(v+1)*w : int(v+1)*w] }
	for i, t := range targets {
		if t >= 0 && int(t) < n {
			set(t)[i/64] |= 1 << (uint(i) % 64)
		}
	}
	// pull ors into v the sets of its consumers that pass dependency on and
	// reports whether v grew.
	pull := func(v int32) bool {
		dst := set(v)
		grew := false
		for _, x := range c.Outputs(v) {
			if op[x] {
				continue
			}
			src := set(x)
			for i := range dst {
				if nw := dst[i] | src[i]; nw != dst[i] {
					dst[i] = nw
					grew = true
				}
			}
		}
		return grew
	}
	inQ := make([]bool, n)
	var q []int32
	for ci := len(s.comps) - 1; ci >= 0; ci-- {
		comp := s.comps[ci]
		if !s.self[ci] {
			// Outside cycles nothing needs to know whether v grew.
			v := comp[0]
			dst := set(v)
			for _, x := range c.Outputs(v) {
				if !op[x] {
					src := set(x)
					for i := range dst {
						dst[i] |= src[i]
					}
				}
			}
			continue
		}
		q = append(q[:0], comp...)
		for _, v := range comp {
			inQ[v] = true
		}
		for h := 0; h < len(q); h++ {
			v := q[h]
			inQ[v] = false
			if !pull(v) {
				continue
			}
			if op[v] {
				continue
			}
			for _, u := range c.Inputs(v) {
				if s.comp[u] == int32(ci) && !inQ[u] {
					inQ[u] = true
					q = append(q, u)
				}
			}
			if h > 4096 && h > len(q)/2 {
				q = append(q[:0], q[h+1:]...)
				h = -1
			}
		}
	}
	return d
}
