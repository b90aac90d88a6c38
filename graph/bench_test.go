package graph

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// The synthetic map of the benchmarks: shaped like a large enterprise,
// with shared platforms, layered systems, redundancy groups, fourth-party
// chains among vendors, fallbacks and a few cycles.
const (
	benchFunctions = 500
	benchPlatforms = 500 // the first systems, shared by many others
	benchSystems   = 89_500
	benchVendors   = 10_000
)

var benchBatch = sync.OnceValue(func() *Batch { return synthBatch(benchFunctions, benchPlatforms, benchSystems, benchVendors, 1) })

// synthBatch builds the batch of a synthetic map. Systems only require
// platforms, systems with lower numbers and vendors, except a few that
// close cycles.
func synthBatch(functions, platforms, systems, vendors int, seed uint64) *Batch {
	r := rand.New(rand.NewPCG(seed, 99))
	b := &Batch{Source: "synthetic", Importer: "test"}
	fid := func(i int) string { return fmt.Sprintf("fn-%04d", i) }
	sid := func(i int) string { return fmt.Sprintf("sys-%05d", i) }
	vid := func(i int) string { return fmt.Sprintf("ven-%05d", i) }
	ids := make([]string, 0, functions+systems+vendors)
	for i := range functions {
		ids = append(ids, fid(i))
	}
	for i := range systems {
		ids = append(ids, sid(i))
	}
	for i := range vendors {
		ids = append(ids, vid(i))
	}
	sys := ids[functions : functions+systems]
	ven := ids[functions+systems:]
	line := 0
	ref := func(id string) *Expr {
		line++
		return &Expr{Op: OpRef, Ref: id, Pos: Pos{File: "map/synthetic.yaml", Line: line, Col: 7}}
	}
	node := func(id string, k Kind, e *Expr) {
		line++
		b.Nodes = append(b.Nodes, &Node{ID: id, Kind: k, Requires: e, Source: Pos{File: "map/synthetic.yaml", Line: line, Col: 3}})
	}
	// Vendors: a third have fourth parties further down the list.
	for i := range vendors {
		var e *Expr
		if i+1 < vendors && r.IntN(3) == 0 {
			e = All()
			for range 1 + r.IntN(3) {
				e.Args = append(e.Args, ref(ven[i+1+r.IntN(vendors-i-1)]))
			}
		}
		node(ven[i], KindVendor, e)
	}
	// Systems.
	for i := range systems {
		e := All()
		switch {
		case i < platforms:
			for range 3 + r.IntN(4) {
				e.Args = append(e.Args, ref(ven[r.IntN(vendors)]))
			}
			e.Args = append(e.Args, Any(ref(ven[r.IntN(vendors)]), ref(ven[r.IntN(vendors)])))
		default:
			for range 2 + r.IntN(2) {
				e.Args = append(e.Args, ref(sys[r.IntN(platforms)]))
			}
			if i > platforms {
				for range 3 + r.IntN(3) {
					e.Args = append(e.Args, ref(sys[platforms+r.IntN(i-platforms)]))
				}
			}
			for range 2 + r.IntN(2) {
				e.Args = append(e.Args, ref(ven[r.IntN(vendors)]))
			}
			e.Args = append(e.Args, Any(ref(ven[r.IntN(vendors)]), ref(ven[r.IntN(vendors)])))
			if r.IntN(4) == 0 {
				e.Args = append(e.Args, AtLeast(2, ref(sys[r.IntN(i)]), ref(sys[r.IntN(i)]), ref(sys[r.IntN(i)])))
			}
			if r.IntN(2000) == 0 && i+1 < systems { // a rare cycle
				e.Args = append(e.Args, Any(ref(sys[i+1+r.IntN(systems-i-1)]), ref(ven[r.IntN(vendors)])))
			}
		}
		// No self references.
		e.Args = filterSelf(e.Args, sys[i])
		node(sys[i], KindSystem, e)
	}
	// Functions.
	for i := range functions {
		e := All()
		for range 30 + r.IntN(30) {
			e.Args = append(e.Args, ref(sys[r.IntN(systems)]))
		}
		node(fid(i), KindFunction, e)
		if r.IntN(2) == 0 {
			b.Fallbacks = append(b.Fallbacks, &Fallback{For: fid(i), Capacity: 0.5,
				Requires: All(ref(sys[r.IntN(systems)]), ref(ven[r.IntN(vendors)]))})
		}
	}
	return b
}

func filterSelf(args []*Expr, self string) []*Expr {
	out := args[:0]
	for _, a := range args {
		if a.Op == OpRef && a.Ref == self {
			continue
		}
		out = append(out, a)
	}
	return out
}

func benchMap(b *testing.B) *Map {
	bl := NewBuilder()
	bl.Add(benchBatch())
	m, ps := bl.Build()
	if m == nil {
		b.Fatalf("synthetic map does not build: %v", ps[:min(5, len(ps))])
	}
	return m
}

func countRefs(m *Map) int {
	n := 0
	for _, nd := range m.Nodes {
		nd.Requires.Walk(func(x *Expr) {
			if x.Op == OpRef {
				n++
			}
		})
	}
	return n
}

func BenchmarkBuild(b *testing.B) {
	benchBatch()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var m *Map
	for b.Loop() {
		m = benchMap(b)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(len(m.Nodes)), "nodes")
	b.ReportMetric(float64(countRefs(m)), "refs")
	b.ReportMetric(float64(len(m.Problems)), "problems")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "MB-kept")
	runtime.KeepAlive(m)
}

func BenchmarkCompile(b *testing.B) {
	m := benchMap(b)
	for _, fallbacks := range []bool{false, true} {
		b.Run(fmt.Sprintf("fallbacks=%v", fallbacks), func(b *testing.B) {
			var c *Circuit
			for b.Loop() {
				c = Compile(m, CompileOptions{Fallbacks: fallbacks})
			}
			b.ReportMetric(float64(c.N()), "vertices")
			b.ReportMetric(float64(len(c.In)), "edges")
		})
	}
}

func BenchmarkBuildCompile(b *testing.B) {
	benchBatch()
	for b.Loop() {
		Compile(benchMap(b), CompileOptions{})
	}
}

func BenchmarkPropagate(b *testing.B) {
	m := benchMap(b)
	c := Compile(m, CompileOptions{})
	// The vendor most platforms share, and a few at random.
	uses := make([]int, c.N())
	for p := range benchPlatforms {
		for _, u := range c.Inputs(int32(m.Index(fmt.Sprintf("sys-%05d", p)))) {
			uses[u]++
		}
	}
	heavy := int32(0)
	for v := range uses {
		if uses[v] > uses[heavy] && !c.IsGate(int32(v)) {
			heavy = int32(v)
		}
	}
	failed := []int32{heavy, int32(m.Index("ven-00042")), int32(m.Index("ven-04242"))}
	s := c.NewState()
	var n int
	for b.Loop() {
		s.Reset()
		n = s.Propagate(failed)
	}
	b.ReportMetric(float64(n), "down")
}

func BenchmarkCycles(b *testing.B) {
	m := benchMap(b)
	var cs []Cycle
	for b.Loop() {
		cs = m.Cycles()
	}
	b.ReportMetric(float64(len(cs)), "cycles")
}

func BenchmarkSCCs(b *testing.B) {
	c := Compile(benchMap(b), CompileOptions{})
	for b.Loop() {
		c.SCCs()
	}
}
