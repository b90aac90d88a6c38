package graph

import "sort"

func sortSlice(a []int32) { sort.Slice(a, func(i, j int) bool { return a[i] < a[j] }) }

func sortCycles(cs []Cycle) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Nodes[0] < cs[j].Nodes[0] })
}
