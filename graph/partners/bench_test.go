package partners

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

func largeMap() (*graph.Map, *graph.Circuit) {
	large.once.Do(func() {
		large.m = impacttest.Large(impacttest.LargeOptions{Seed: 7})
		large.c = graph.Compile(large.m, graph.CompileOptions{})
	})
	return large.m, large.c
}

func rusage() syscall.Rusage {
	var r syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return r
}

// cpuTime reports the process's CPU time per operation, steadier than
// wall time on a shared machine.
func cpuTime(b *testing.B, before syscall.Rusage) {
	after := rusage()
	ns := func(r syscall.Rusage) int64 { return r.Utime.Nano() + r.Stime.Nano() }
	b.ReportMetric(float64(ns(after)-ns(before))/float64(b.N), "cpu-ns/op")
}

// BenchmarkAnalyze is the whole critical-partner analysis on a map of
// 100k nodes, about a million references and 10k vendors.
func BenchmarkAnalyze(b *testing.B) {
	m, c := largeMap()
	b.Run("circuit", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		var r *Report
		for b.Loop() {
			r = AnalyzeCircuit(c)
		}
		cpuTime(b, ru)
		b.ReportMetric(float64(len(r.CriticalPartners)), "partners")
		b.ReportMetric(float64(len(r.HiddenSuppliers)), "hidden")
	})
	b.Run("compile+analyze", func(b *testing.B) {
		b.ReportAllocs()
		runtime.GC()
		ru := rusage()
		for b.Loop() {
			Analyze(m, Options{})
		}
		cpuTime(b, ru)
	})
}
