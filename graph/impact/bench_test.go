package impact

import (
	"runtime"
	"sync"
	"syscall"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact/impacttest"
)

var large struct {
	once sync.Once
	m    *graph.Map
	c    *graph.Circuit
}

// largeMap is the benchmark size: 100k nodes (500 functions,
// 89.5k systems, 10k vendors), about a million references.
func largeMap(b testing.TB) (*graph.Map, *graph.Circuit) {
	large.once.Do(func() {
		large.m = impacttest.Large(impacttest.LargeOptions{Seed: 7})
		large.c = graph.Compile(large.m, graph.CompileOptions{})
		refs := 0
		for _, n := range large.m.Nodes {
			refs += len(n.Requires.RefIDs())
		}
		b.Logf("large map: %d nodes, %d references; circuit: %d vertices, %d edges",
			len(large.m.Nodes), refs, large.c.N(), len(large.c.In))
	})
	return large.m, large.c
}

func isFunction(c *graph.Circuit) func(int32) bool {
	return func(v int32) bool { return int(v) < c.NumNodes && c.Kind[v] == graph.KindFunction }
}

// BenchmarkSweep is the all-vendor blast radius on the large map.
func BenchmarkSweep(b *testing.B) {
	_, c := largeMap(b)
	ev := VendorEvents(c)
	sw := NewSweeper(c)
	b.Run("functions", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		for b.Loop() {
			sw.Sweep(ev, isFunction(c))
		}
		cpuTime(b, ru)
	})
	b.Run("nodes", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		for b.Loop() {
			sw.Sweep(ev, nil)
		}
		cpuTime(b, ru)
	})
	// Downs for the first thousand vendors: every vertex's state in each
	// outage, as one bitset per vendor (how partners finds supply chains).
	some := Events{Names: ev.Names[:min(1000, ev.Len())], Members: ev.Members[:min(1000, ev.Len())]}
	b.Run("downs-1000", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		for b.Loop() {
			sw.Downs(some)
		}
		cpuTime(b, ru)
	})
	b.Run("with-sccs", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		for b.Loop() {
			NewSweeper(c).Sweep(ev, isFunction(c))
		}
		cpuTime(b, ru)
	})
}

// BenchmarkStatic is one scenario on the large map: the most shared hub
// supplier fails.
func BenchmarkStatic(b *testing.B) {
	m, c := largeMap(b)
	failed := []string{"vendor-00000"}
	b.Run("evaluate", func(b *testing.B) {
		ev := NewEvaluator(c)
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		for b.Loop() {
			if _, err := ev.Static(failed); err != nil {
				b.Fatal(err)
			}
		}
		cpuTime(b, ru)
		r, _ := ev.Static(failed)
		b.ReportMetric(float64(len(r.Down)), "down")
	})
	b.Run("compile+evaluate", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		for b.Loop() {
			if _, err := Static(m, failed, Options{}); err != nil {
				b.Fatal(err)
			}
		}
		cpuTime(b, ru)
	})
}

// BenchmarkDependents is the reverse reach used for direct vendors and
// concentration: every vertex's dependent functions.
func BenchmarkDependents(b *testing.B) {
	_, c := largeMap(b)
	sw := NewSweeper(c)
	var fns []int32
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] == graph.KindFunction {
			fns = append(fns, int32(v))
		}
	}
	b.ReportAllocs()
	runtime.GC()
	ru := rusage()
	for b.Loop() {
		sw.Dependents(fns, nil)
	}
	cpuTime(b, ru)
}

// cpuTime reports the process's CPU time per operation, a steadier
// measure than wall time on a shared machine. Call it after the loop with
// the rusage taken before.
func cpuTime(b *testing.B, before syscall.Rusage) {
	var after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
		return
	}
	ns := func(r syscall.Rusage) int64 { return r.Utime.Nano() + r.Stime.Nano() }
	b.ReportMetric(float64(ns(after)-ns(before))/float64(b.N), "cpu-ns/op")
}

func rusage() syscall.Rusage {
	var r syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return r
}
