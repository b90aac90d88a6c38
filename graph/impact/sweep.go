package impact

import (
	"math/bits"
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Events are the basic events of a sweep: sets of nodes that fail
// together. Event i is named Names[i] and fails the vertices Members[i].
// Members need not be disjoint; vertices out of the circuit's range are
// ignored.
type Events struct {
	Names   []string
	Members [][]int32
}

// Len returns the number of events.
func (ev Events) Len() int { return len(ev.Names) }

// VendorEvents returns one event per vendor, the vendor alone, in node
// order (so sorted by id); each event is named by the vendor's id.
func VendorEvents(c *graph.Circuit) Events {
	var ev Events
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] == graph.KindVendor {
			ev.Names = append(ev.Names, c.Map.Nodes[v].ID)
			ev.Members = append(ev.Members, []int32{int32(v)})
		}
	}
	return ev
}

// ParentEvents returns one event per ultimate supplier: all vendors with
// the same Parent fail together; a vendor without a parent counts as its
// own parent, so a vendor whose id is another vendor's parent joins that
// group. Events are sorted by parent name, members ascending.
func ParentEvents(c *graph.Circuit) Events {
	groups := map[string][]int32{}
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] != graph.KindVendor {
			continue
		}
		n := c.Map.Nodes[v]
		p := n.Parent
		if p == "" {
			p = n.ID
		}
		groups[p] = append(groups[p], int32(v))
	}
	var ev Events
	for p := range groups {
		ev.Names = append(ev.Names, p)
	}
	sort.Strings(ev.Names)
	for _, p := range ev.Names {
		ev.Members = append(ev.Members, groups[p])
	}
	return ev
}

// Sweeper runs sweeps over one circuit, computing its strongly connected
// components once. It is safe for concurrent use.
type Sweeper struct {
	c     *graph.Circuit
	comps [][]int32 // suppliers first
	comp  []int32   // component index of each vertex
	self  []bool    // per component: it has a cycle (size > 1 or a self-loop)
}

// NewSweeper prepares sweeps over c.
func NewSweeper(c *graph.Circuit) *Sweeper {
	s := &Sweeper{c: c, comps: c.SCCs()}
	s.comp = make([]int32, c.N())
	s.self = make([]bool, len(s.comps))
	for i, comp := range s.comps {
		for _, v := range comp {
			s.comp[v] = int32(i)
		}
		if len(comp) > 1 {
			s.self[i] = true
			continue
		}
		for _, u := range c.Inputs(comp[0]) {
			if u == comp[0] {
				s.self[i] = true
			}
		}
	}
	return s
}

// Circuit returns the circuit swept.
func (s *Sweeper) Circuit() *graph.Circuit { return s.c }

// Blast is the blast radius of every event at once: for each kept vertex,
// the events whose failure alone brings it down.
type Blast struct {
	Circuit *graph.Circuit
	Events  Events
	words   int
	idx     []int32  // per vertex: its set's offset in data / words, or -1
	data    []uint64 // kept non-empty sets
	hStart  []int32  // Halts(e) = halts[hStart[e]:hStart[e+1]]
	halts   []int32
}

// Sweep returns the blast radius of every event of ev on c, keeping the
// sets of every node (gates are dropped). See Sweeper.Sweep.
func Sweep(c *graph.Circuit, ev Events) *Blast {
	return NewSweeper(c).Sweep(ev, nil)
}

// Down returns the events whose failure alone brings v down: bit i is
// event i. It is nil when there is none, or when v was not kept. The set
// shares the Blast's storage and must not be modified.
func (b *Blast) Down(v int32) Bitset {
	if v < 0 || int(v) >= len(b.idx) || b.idx[v] < 0 {
		return nil
	}
	o := int(b.idx[v]) * b.words
	return Bitset(b.data[o : o+b.words : o+b.words])
}

// Halts returns the kept function vertices that event i alone brings
// down, ascending (so sorted by id); nil for none or i out of range.
func (b *Blast) Halts(i int) []int32 {
	if i < 0 || i+1 >= len(b.hStart) {
		return nil
	}
	h := b.halts[b.hStart[i]:b.hStart[i+1]]
	if len(h) == 0 {
		return nil
	}
	return h
}

// Sweep computes, for every vertex v of the circuit, the set of events
// whose failure alone brings v down: exactly what one propagation per event
// (graph.State.Propagate, least fixpoint) would find, in one pass over the
// components in supplier-first order. A vertex needing K of its m inputs
// falls when t = m−K+1 of them fall: its set is the union of its inputs'
// sets when t = 1, their intersection when t = m, "at least t of m" by
// running counters otherwise, plus the events containing it. Inside a cycle
// the sets grow from the vertex's own events to the least fixpoint.
//
// keep chooses the vertices whose sets are returned; nil keeps every node
// and drops gates. Other sets are released as soon as every vertex that
// reads them is done, so memory stays near the live frontier. Sets are
// held compressed (their non-zero words only), so memory and work follow
// the words in use rather than the number of events; a returned set takes
// ⌈events/64⌉·8 bytes. Inside the sweep the events are numbered so that
// suppliers used together share words (see run); results are in the
// events' own numbering.
func (s *Sweeper) Sweep(ev Events, keep func(v int32) bool) *Blast {
	c := s.c
	n := c.N()
	w := (ev.Len() + 63) / 64
	b := &Blast{Circuit: c, Events: ev, words: w, idx: make([]int32, n), hStart: make([]int32, ev.Len()+1)}
	for i := range b.idx {
		b.idx[i] = -1
	}
	if w == 0 {
		return b
	}
	r := s.run(ev, keep)

	// Copy the kept sets out of the pool, in the events' own numbering, so
	// the pool can go.
	cnt := 0
	for v := 0; v < n; v++ {
		if r.keep[v] && r.slot[v] >= 0 {
			cnt++
		}
	}
	b.data = make([]uint64, cnt*w)
	k := int32(0)
	for v := 0; v < n; v++ {
		if r.keep[v] && r.slot[v] >= 0 {
			r.unpack(r.slot[v], b.data[int(k)*w:int(k+1)*w])
			b.idx[v] = k
			k++
		}
	}

	// Invert the kept function sets into the functions each event halts.
	count := b.hStart[1:]
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] == graph.KindFunction {
			b.Down(int32(v)).Each(func(e int) { count[e]++ })
		}
	}
	for e := 1; e < len(b.hStart); e++ {
		b.hStart[e] += b.hStart[e-1]
	}
	b.halts = make([]int32, b.hStart[len(b.hStart)-1])
	fill := make([]int32, ev.Len())
	copy(fill, b.hStart)
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] == graph.KindFunction {
			b.Down(int32(v)).Each(func(e int) {
				b.halts[fill[e]] = int32(v)
				fill[e]++
			})
		}
	}
	return b
}

// Downs returns, for every event of ev, the vertices (gates included)
// that its failure alone brings down, as a set over 0..N-1 of the
// circuit: what Sweep keeping every vertex finds, turned around, at
// ⌈N/64⌉·8 bytes per event. Testing whether one event brings down a
// vertex then reads a few kilobytes per event rather than a set per
// vertex.
func (s *Sweeper) Downs(ev Events) []Bitset {
	n := s.c.N()
	vw := (n + 63) / 64
	out := make([]Bitset, ev.Len())
	data := make([]uint64, ev.Len()*vw)
	for e := range out {
		out[e] = Bitset(data[e*vw : (e+1)*vw : (e+1)*vw])
	}
	if ev.Len() == 0 {
		return out
	}
	r := s.run(ev, func(int32) bool { return true })
	// Transpose 64 vertices at a time: unpack their sets (in the sweep's
	// numbering) into rows, then turn each word of events present in any
	// of them around into 64 words of vertices.
	w, sw := r.w, r.sw
	rows := make([]uint64, 64*w)
	sum := make([]uint64, sw)
	var blk [64]uint64
	for base := 0; base < n; base += 64 {
		for j := 0; j < 64 && base+j < n; j++ {
			if ss, src := r.block(int32(base + j)); ss != nil {
				orInto(rows[j*w:(j+1)*w], sum, ss, src)
			}
		}
		for k, m := range sum {
			for ; m != 0; m &= m - 1 {
				i := k*64 + bits.TrailingZeros64(m)
				for j := range blk {
					blk[j] = rows[j*w+i]
					rows[j*w+i] = 0
				}
				transpose64(&blk)
				for j, x := range blk {
					if x != 0 {
						out[r.order[i*64+j]][base/64] = x
					}
				}
			}
			sum[k] = 0
		}
	}
	return out
}

// transpose64 transposes a 64×64 matrix of bits in place: bit j of word i
// trades places with bit i of word j.
func transpose64(a *[64]uint64) {
	m := uint64(0x00000000FFFFFFFF)
	for j := 32; j != 0; j, m = j>>1, m^(m<<uint(j>>1)) {
		for k := 0; k < 64; k = (k + j + 1) &^ j {
			t := (a[k]>>uint(j) ^ a[k+j]) & m
			a[k+j] ^= t
			a[k] ^= t << uint(j)
		}
	}
}

// run sweeps the components in supplier-first order and returns the
// scratch state holding the sets kept.
//
// Events are numbered inside the sweep in the order their first member
// appears among the components (a depth-first order from the consumers),
// so that suppliers used together get neighbouring bits: sets then fill
// fewer words, and the sweep reads and writes fewer. On large enterprise
// maps this cuts the words in use by more than half.
func (s *Sweeper) run(ev Events, keep func(int32) bool) *sweepRun {
	r := newSweepRun(s, (ev.Len()+63)/64)
	r.number(ev)
	r.build(ev, keep)
	for ci, comp := range s.comps {
		if !s.self[ci] {
			r.single(comp[0])
		} else {
			r.cycle(int32(ci), comp)
		}
		r.done(comp)
	}
	return r
}

// sweepRun is the scratch state of one sweep.
//
// A set is stored compressed in a block: a summary of sw words (bit i set
// when word i of the set is non-zero) followed by the non-zero words in
// ascending order. Sets are computed in dense, clean scratch arrays (out,
// the counters) that stay in cache, then compressed; reading a set walks
// its block front to back.
type sweepRun struct {
	s        *Sweeper
	w, sw    int
	p        blocks
	slot     []int64 // per vertex: its block, or -1 for the empty set
	remain   []int32 // per vertex: outputs not yet computed
	keep     []bool
	ownStart []int32 // events containing v: ownEv[ownStart[v]:ownStart[v+1]]
	ownEv    []int32
	out      []uint64 // dense scratch: the set being computed
	outSum   []uint64
	cnt      []uint64 // counters for "t of m": t levels of w words
	cntSum   []uint64 // their summaries: t levels of sw words
	inQ      []bool
	queue    []int32
	// order[i] is the event numbered i inside the sweep; pos[e] is event
	// e's number there. ident: the numbering is the events' own.
	order, pos []int32
	ident      bool
}

func newSweepRun(s *Sweeper, w int) *sweepRun {
	sw := (w + 63) / 64
	return &sweepRun{s: s, w: w, sw: sw, p: newBlocks(w, sw),
		out: make([]uint64, w), outSum: make([]uint64, sw)}
}

// number chooses the sweep's numbering of the events: by the first
// component holding a member, ties and events without members in range
// in their own order.
func (r *sweepRun) number(ev Events) {
	s := r.s
	n := int32(s.c.N())
	ne := ev.Len()
	first := make([]int32, ne)
	r.order = make([]int32, ne)
	for e, mem := range ev.Members {
		first[e] = int32(len(s.comps))
		for _, v := range mem {
			if v >= 0 && v < n {
				first[e] = min(first[e], s.comp[v])
			}
		}
		r.order[e] = int32(e)
	}
	sort.SliceStable(r.order, func(i, j int) bool { return first[r.order[i]] < first[r.order[j]] })
	r.pos = make([]int32, ne)
	r.ident = true
	for i, e := range r.order {
		r.pos[e] = int32(i)
		if e != int32(i) {
			r.ident = false
		}
	}
}

// unpack writes block h's set, in the events' own numbering, into the
// zeroed dense set dst.
func (r *sweepRun) unpack(h int64, dst []uint64) {
	blk := r.p.get(h)
	ss, src := blk[:r.sw], blk[r.sw:]
	if r.ident {
		orInto(dst, r.outSum, ss, src)
		clear(r.outSum)
		return
	}
	j := 0
	for k, m := range ss {
		base := k * 64
		for ; m != 0; m &= m - 1 {
			i := base + bits.TrailingZeros64(m)
			for x := src[j]; x != 0; x &= x - 1 {
				e := r.order[i*64+bits.TrailingZeros64(x)]
				dst[e/64] |= 1 << (uint(e) % 64)
			}
			j++
		}
	}
}

func (r *sweepRun) build(ev Events, keep func(int32) bool) {
	c := r.s.c
	n := c.N()
	r.slot = make([]int64, n)
	r.remain = make([]int32, n)
	r.keep = make([]bool, n)
	for v := 0; v < n; v++ {
		r.slot[v] = -1
		r.remain[v] = c.OutStart[v+1] - c.OutStart[v]
		if keep == nil {
			r.keep[v] = v < c.NumNodes
		} else {
			r.keep[v] = keep(int32(v))
		}
	}
	r.ownStart = make([]int32, n+1)
	for _, mem := range ev.Members {
		for _, v := range mem {
			if v >= 0 && int(v) < n {
				r.ownStart[v+1]++
			}
		}
	}
	for v := 1; v <= n; v++ {
		r.ownStart[v] += r.ownStart[v-1]
	}
	r.ownEv = make([]int32, r.ownStart[n])
	fill := make([]int32, n)
	copy(fill, r.ownStart[:n])
	for e, mem := range ev.Members {
		for _, v := range mem {
			if v >= 0 && int(v) < n {
				r.ownEv[fill[v]] = r.pos[e]
				fill[v]++
			}
		}
	}
}

// block returns the summary and packed words of u's set; nil for empty.
func (r *sweepRun) block(u int32) (sum, words []uint64) {
	h := r.slot[u]
	if h < 0 {
		return nil, nil
	}
	b := r.p.get(h)
	return b[:r.sw], b[r.sw:]
}

// compute writes v's set, given its inputs' current sets, into the clean
// scratch r.out (summary r.outSum) and reports whether it is non-empty.
func (r *sweepRun) compute(v int32) bool {
	c := r.s.c
	out, sum := r.out, r.outSum
	ins := c.Inputs(v)
	m := len(ins)
	t := m - int(c.K[v]) + 1
	if t <= 0 {
		// More needed than there are inputs: graph.State.Propagate then
		// fails the vertex as soon as any input fails.
		t = 1
	}
	switch {
	case t > m:
		// Needs nothing: only its own events bring it down.
	case t == 1:
		for _, u := range ins {
			if ss, src := r.block(u); ss != nil {
				orInto(out, sum, ss, src)
			}
		}
	case t == m:
		r.intersect(ins)
	default:
		r.atLeast(ins, t)
	}
	for _, e := range r.ownEv[r.ownStart[v]:r.ownStart[v+1]] {
		i := int(e) / 64
		out[i] |= 1 << (uint(e) % 64)
		sum[i/64] |= 1 << (uint(i) % 64)
	}
	for _, x := range sum {
		if x != 0 {
			return true
		}
	}
	return false
}

// orInto adds the packed set (summary ss, words src) to the dense set dst
// (summary ds).
func orInto(dst, ds, ss, src []uint64) {
	j := 0
	for k, m := range ss {
		if m == 0 {
			continue
		}
		ds[k] |= m
		base := k * 64
		for ; m != 0; m &= m - 1 {
			dst[base+bits.TrailingZeros64(m)] |= src[j]
			j++
		}
	}
}

// intersect writes into r.out the events common to every input's set.
func (r *sweepRun) intersect(ins []int32) {
	for _, u := range ins {
		if r.slot[u] < 0 {
			return
		}
	}
	out, sum := r.out, r.outSum
	ss, _ := r.block(ins[0])
	copy(sum, ss)
	for _, u := range ins[1:] {
		ss, _ := r.block(u)
		for k := range sum {
			sum[k] &= ss[k]
		}
	}
	for n, u := range ins {
		ss, src := r.block(u)
		j := 0
		for k, m := range ss {
			keep := sum[k]
			base := k * 64
			for ; m != 0; m &= m - 1 {
				b := bits.TrailingZeros64(m)
				if keep&(1<<uint(b)) != 0 {
					if n == 0 {
						out[base+b] = src[j]
					} else {
						out[base+b] &= src[j]
					}
				}
				j++
			}
		}
	}
	// Words whose events did not survive leave the summary.
	for k, m := range sum {
		base := k * 64
		for mm := m; mm != 0; mm &= mm - 1 {
			b := bits.TrailingZeros64(mm)
			if out[base+b] == 0 {
				m &^= 1 << uint(b)
			}
		}
		sum[k] = m
	}
}

// atLeast writes into r.out the events that bring down at least t
// inputs, with running counters: level j holds the events with more than
// j inputs down so far.
func (r *sweepRun) atLeast(ins []int32, t int) {
	q := 0
	for _, u := range ins {
		if r.slot[u] >= 0 {
			q++
		}
	}
	if q < t {
		return
	}
	w, sw := r.w, r.sw
	if len(r.cnt) < t*w {
		r.cnt = make([]uint64, t*w)
		r.cntSum = make([]uint64, t*sw)
	}
	k := 0
	for _, u := range ins {
		ss, src := r.block(u)
		if ss == nil {
			continue
		}
		for j := min(k, t-1); j >= 1; j-- {
			aj, ajs := r.cnt[j*w:(j+1)*w], r.cntSum[j*sw:(j+1)*sw]
			ap, aps := r.cnt[(j-1)*w:j*w], r.cntSum[(j-1)*sw:j*sw]
			jj := 0
			for kk, m := range ss {
				base := kk * 64
				for ; m != 0; m &= m - 1 {
					b := bits.TrailingZeros64(m)
					if aps[kk]&(1<<uint(b)) != 0 {
						if x := ap[base+b] & src[jj]; x != 0 {
							aj[base+b] |= x
							ajs[kk] |= 1 << uint(b)
						}
					}
					jj++
				}
			}
		}
		orInto(r.cnt[:w], r.cntSum[:sw], ss, src)
		k++
	}
	top, tops := r.cnt[(t-1)*w:t*w], r.cntSum[(t-1)*sw:t*sw]
	for kk, m := range tops {
		r.outSum[kk] |= m
		base := kk * 64
		for ; m != 0; m &= m - 1 {
			i := base + bits.TrailingZeros64(m)
			r.out[i] |= top[i]
		}
	}
	for j := 0; j < t; j++ {
		clean(r.cnt[j*w:(j+1)*w], r.cntSum[j*sw:(j+1)*sw])
	}
}

// clean zeroes the summarised words of a dense set and its summary.
func clean(set, sum []uint64) {
	for k, m := range sum {
		base := k * 64
		for ; m != 0; m &= m - 1 {
			set[base+bits.TrailingZeros64(m)] = 0
		}
		sum[k] = 0
	}
}

// save compresses r.out into a new block, cleans the scratch and returns
// the block.
func (r *sweepRun) save() int64 {
	nnz := 0
	for _, m := range r.outSum {
		nnz += bits.OnesCount64(m)
	}
	h := r.p.alloc(nnz)
	b := r.p.get(h)
	copy(b, r.outSum)
	j := r.sw
	for k, m := range r.outSum {
		base := k * 64
		for ; m != 0; m &= m - 1 {
			i := base + bits.TrailingZeros64(m)
			b[j] = r.out[i]
			r.out[i] = 0
			j++
		}
		r.outSum[k] = 0
	}
	return h
}

// same reports whether r.out equals v's stored set.
func (r *sweepRun) same(v int32) bool {
	ss, src := r.block(v)
	if ss == nil {
		return false
	}
	for k := range ss {
		if ss[k] != r.outSum[k] {
			return false
		}
	}
	j := 0
	for k, m := range ss {
		base := k * 64
		for ; m != 0; m &= m - 1 {
			if r.out[base+bits.TrailingZeros64(m)] != src[j] {
				return false
			}
			j++
		}
	}
	return true
}

// single computes a vertex outside any cycle.
func (r *sweepRun) single(v int32) {
	if r.compute(v) {
		r.slot[v] = r.save()
	}
}

// cycle computes a component with a cycle: from the members' own events up
// to the least fixpoint, re-evaluating a member whenever an input inside
// the component grew.
func (r *sweepRun) cycle(ci int32, comp []int32) {
	c := r.s.c
	if r.inQ == nil {
		r.inQ = make([]bool, c.N())
	}
	for _, v := range comp {
		own := r.ownEv[r.ownStart[v]:r.ownStart[v+1]]
		if len(own) == 0 {
			continue
		}
		for _, e := range own {
			i := int(e) / 64
			r.out[i] |= 1 << (uint(e) % 64)
			r.outSum[i/64] |= 1 << (uint(i) % 64)
		}
		r.slot[v] = r.save()
	}
	q := append(r.queue[:0], comp...)
	for _, v := range comp {
		r.inQ[v] = true
	}
	for h := 0; h < len(q); h++ {
		v := q[h]
		r.inQ[v] = false
		if !r.compute(v) || r.same(v) {
			clean(r.out, r.outSum)
			continue
		}
		if r.slot[v] >= 0 {
			r.p.release(r.slot[v])
		}
		r.slot[v] = r.save()
		for _, x := range c.Outputs(v) {
			if r.s.comp[x] == ci && !r.inQ[x] {
				r.inQ[x] = true
				q = append(q, x)
			}
		}
		// Keep the queue from growing without bound on long fixpoints.
		if h > 4096 && h > len(q)/2 {
			q = append(q[:0], q[h+1:]...)
			h = -1
		}
	}
	r.queue = q[:0]
}

// done releases the sets no vertex still needs once comp is computed.
func (r *sweepRun) done(comp []int32) {
	c := r.s.c
	for _, v := range comp {
		for _, u := range c.Inputs(v) {
			r.remain[u]--
			if r.remain[u] == 0 && !r.keep[u] && r.slot[u] >= 0 {
				r.p.release(r.slot[u])
				r.slot[u] = -1
			}
		}
	}
	for _, v := range comp {
		if r.remain[v] == 0 && !r.keep[v] && r.slot[v] >= 0 {
			r.p.release(r.slot[v])
			r.slot[v] = -1
		}
	}
}

// blocks allocates compressed sets: a block is the summary followed by room
// for some number of words, in size classes growing by about 1.5, carved
// from large chunks and reused once released. A handle is the class in the
// high 32 bits and the block's index in the low ones.
type blocks struct {
	sw      int
	classOf []int8 // size class for each count of non-zero words
	classes []blockClass
}

type blockClass struct {
	size      int // words per block, summary included
	perChunk  int
	chunks    [][]uint64
	free      []int32
	allocated int32
}

func newBlocks(w, sw int) blocks {
	p := blocks{sw: sw, classOf: make([]int8, w+1)}
	capacity := 0
	for n := 0; n <= w; n++ {
		if n > capacity || len(p.classes) == 0 {
			capacity = max(n, capacity*3/2, 1)
			capacity = min(capacity, w)
			size := sw + capacity
			p.classes = append(p.classes, blockClass{size: size, perChunk: max(1, (1<<16)/size)})
		}
		p.classOf[n] = int8(len(p.classes) - 1)
	}
	return p
}

func (p *blocks) get(h int64) []uint64 {
	c := &p.classes[h>>32]
	i := int(int32(h))
	o := (i % c.perChunk) * c.size
	return c.chunks[i/c.perChunk][o : o+c.size : o+c.size]
}

// alloc returns a block with room for nnz words.
func (p *blocks) alloc(nnz int) int64 {
	ci := int64(p.classOf[nnz])
	c := &p.classes[ci]
	if k := len(c.free); k > 0 {
		i := c.free[k-1]
		c.free = c.free[:k-1]
		return ci<<32 | int64(i)
	}
	i := c.allocated
	c.allocated++
	if int(i)/c.perChunk == len(c.chunks) {
		c.chunks = append(c.chunks, make([]uint64, c.perChunk*c.size))
	}
	return ci<<32 | int64(i)
}

func (p *blocks) release(h int64) {
	c := &p.classes[h>>32]
	c.free = append(c.free, int32(h))
}
