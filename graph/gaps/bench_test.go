package gaps

import (
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// benchMaps are graph/gen maps: "100k" is the benchmark map (100k nodes,
// about a million requirement edges, 10k vendors), "10k" a tenth of it.
var benchMaps = []struct {
	name string
	opt  gen.Options
	once sync.Once
	m    *graph.Map
}{
	{name: "10k", opt: gen.Options{Functions: 100, Systems: 8900, Vendors: 1000, Seed: 1}},
	{name: "100k", opt: gen.Options{Functions: 1000, Systems: 89000, Vendors: 10000, Seed: 1}},
}

func benchMap(i int) *graph.Map {
	bm := &benchMaps[i]
	bm.once.Do(func() { bm.m = gen.Generate(bm.opt) })
	return bm.m
}

var benchAsOf = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// cpuTime reports the process's CPU time per operation, steadier than
// wall time on a shared machine; with parallel workers it exceeds wall
// time.
func cpuTime(b *testing.B, run func()) {
	b.Helper()
	runtime.GC()
	before := rusage()
	for b.Loop() {
		run()
	}
	b.ReportMetric(float64(rusage()-before)/float64(b.N), "cpu-ns/op")
}

func rusage() int64 {
	var r syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return r.Utime.Nano() + r.Stime.Nano()
}

// BenchmarkAnalyze is the whole gap analysis of generated maps, without
// and with fallbacks.
func BenchmarkAnalyze(b *testing.B) {
	for i := range benchMaps {
		m := benchMap(i)
		for _, fb := range []bool{false, true} {
			name := benchMaps[i].name + "/plain"
			if fb {
				name = benchMaps[i].name + "/fallbacks"
			}
			b.Run(name, func(b *testing.B) {
				var r *Report
				cpuTime(b, func() { r = Analyze(m, Options{AsOf: benchAsOf, Fallbacks: fb}) })
				b.ReportMetric(float64(len(r.Recovery)), "recovery-gaps")
				b.ReportMetric(float64(len(r.Exposure)), "exposures")
			})
		}
	}
}

// BenchmarkSections times each section alone.
func BenchmarkSections(b *testing.B) {
	for i := range benchMaps {
		m := benchMap(i)
		c := graph.Compile(m, graph.CompileOptions{})
		name := benchMaps[i].name
		b.Run(name+"/recovery", func(b *testing.B) { cpuTime(b, func() { recoveryGaps(c) }) })
		b.Run(name+"/responsibility", func(b *testing.B) {
			cpuTime(b, func() { responsibilityGaps(impact.NewSweeper(c)) })
		})
		p := partners.AnalyzeCircuit(c)
		b.Run(name+"/partners", func(b *testing.B) { cpuTime(b, func() { partners.AnalyzeCircuit(c) }) })
		b.Run(name+"/singlepoints", func(b *testing.B) { cpuTime(b, func() { singlePointGaps(m, p) }) })
		b.Run(name+"/reviews", func(b *testing.B) { cpuTime(b, func() { reviewGaps(m, benchAsOf, 12) }) })
		b.Run(name+"/exposure", func(b *testing.B) {
			cpuTime(b, func() {
				exposures(m, p, Options{DefaultOutage: DefaultOutage})
			})
			b.ReportMetric(float64(len(p.CriticalPartners)), "timelines")
		})
	}
}
