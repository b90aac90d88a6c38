package cutsets

import (
	"container/heap"
	"slices"
	"sort"
)

// candidate is a cut set met while looking for the most probable ones:
// its probability and the id ranks of its events, ascending.
type candidate struct {
	p   float64
	set []int32
}

// worse orders candidates: lower probability, then higher order, then
// later in lexicographic order of ids.
func worse(a, b candidate) bool {
	if a.p != b.p {
		return a.p < b.p
	}
	if len(a.set) != len(b.set) {
		return len(a.set) > len(b.set)
	}
	return slices.Compare(a.set, b.set) > 0
}

// worstFirst is a heap of candidates with the worst at the root.
type worstFirst []candidate

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return worse(h[i], h[j]) }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(candidate)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topSets returns the n most probable sets of ZBDD z (most probable
// first, ties by order then ids) with their probabilities. It walks every
// set once, keeping the best n in a heap; counts are z's set counts by
// size.
func (e *engine) topSets(z int32, counts []int64, n int) ([][]string, []float64) {
	nodes := e.c.Map.Nodes
	nv := len(e.vertexOf)
	rank := make([]int32, nv)
	byID := make([]int32, nv)
	for x := range byID {
		byID[x] = int32(x)
	}
	sort.Slice(byID, func(i, j int) bool { return nodes[e.vertexOf[byID[i]]].ID < nodes[e.vertexOf[byID[j]]].ID })
	for r, x := range byID {
		rank[x] = int32(r)
	}
	h := make(worstFirst, 0, n)
	path := make([]int32, 0, 16)
	var scratch []int32
	ranks := func() []int32 {
		scratch = scratch[:0]
		for _, x := range path {
			scratch = append(scratch, rank[x])
		}
		slices.Sort(scratch)
		return scratch
	}
	var walk func(z int32, k int)
	walk = func(z int32, k int) {
		if z == 0 || k < 0 || z == 1 && k > 0 {
			return
		}
		if z == 1 {
			// The product in id order, so that equal probabilities tie
			// exactly, as in SetProbabilities.
			r := ranks()
			p := 1.0
			for _, x := range r {
				p *= e.pvar[byID[x]]
			}
			switch {
			case len(h) < n:
				heap.Push(&h, candidate{p, slices.Clone(r)})
			case p < h[0].p:
			case worse(h[0], candidate{p, r}):
				h[0] = candidate{p, slices.Clone(r)}
				heap.Fix(&h, 0)
			}
			return
		}
		if c := e.cnt[z]; k >= len(c) || c[k] == 0 {
			return
		}
		nd := e.z.nodes[z]
		path = append(path, nd.v)
		walk(nd.hi, k-1)
		path = path[:len(path)-1]
		walk(nd.lo, k)
	}
	for k := range counts {
		if counts[k] > 0 {
			walk(z, k)
		}
	}
	sort.Slice(h, func(i, j int) bool { return worse(h[j], h[i]) })
	sets := make([][]string, len(h))
	probs := make([]float64, len(h))
	for i, c := range h {
		ids := make([]string, len(c.set))
		for j, r := range c.set {
			ids[j] = nodes[e.vertexOf[byID[r]]].ID
		}
		sets[i], probs[i] = ids, c.p
	}
	return sets, probs
}
