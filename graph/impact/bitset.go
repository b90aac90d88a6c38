package impact

import "math/bits"

// Bitset is a set of small non-negative integers (event or target
// indices), one bit each, packed in 64-bit words. A nil Bitset is the
// empty set. Bitsets returned by a Blast or Dependents share its storage
// and must not be modified.
type Bitset []uint64

// NewBitset returns an empty set able to hold 0..n-1 (and up to the end
// of its last word).
func NewBitset(n int) Bitset { return make(Bitset, (n+63)/64) }

// Has reports whether i is in the set; false for i out of range.
func (b Bitset) Has(i int) bool {
	if i < 0 || i/64 >= len(b) {
		return false
	}
	return b[i/64]&(1<<(uint(i)%64)) != 0
}

// Add puts i in the set. It does nothing when i is out of range.
func (b Bitset) Add(i int) {
	if i < 0 || i/64 >= len(b) {
		return
	}
	b[i/64] |= 1 << (uint(i) % 64)
}

// Len returns the number of elements.
func (b Bitset) Len() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// IsEmpty reports whether the set has no element.
func (b Bitset) IsEmpty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

// Elems returns the elements in ascending order.
func (b Bitset) Elems() []int {
	var out []int
	b.Each(func(i int) { out = append(out, i) })
	return out
}

// Each calls fn for every element in ascending order.
func (b Bitset) Each(fn func(i int)) {
	for wi, w := range b {
		for w != 0 {
			fn(wi*64 + bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
}

// Intersects reports whether b and o share an element.
func (b Bitset) Intersects(o Bitset) bool {
	n := min(len(b), len(o))
	for i := 0; i < n; i++ {
		if b[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

// Or adds every element of o to b, up to b's capacity.
func (b Bitset) Or(o Bitset) {
	n := min(len(b), len(o))
	for i := 0; i < n; i++ {
		b[i] |= o[i]
	}
}
