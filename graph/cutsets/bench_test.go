package cutsets_test

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
)

// BenchmarkAralia runs each Aralia tree end to end, as SCRAM's wall times
// in the reference table do: import, build, compile and analysis, with
// the exact top-event probability; "order3" lists the minimal cut sets of
// order ≤ 3, "all" those of every order.
func BenchmarkAralia(b *testing.B) {
	for _, tc := range aralia {
		name := strings.TrimSuffix(tc.file, ".xml")
		for _, mode := range []struct {
			name  string
			order int
		}{{"order3", 3}, {"all", 0}} {
			b.Run(name+"/"+mode.name, func(b *testing.B) {
				cpu := cpuTime()
				for b.Loop() {
					c := loadTree(b, "aralia/"+tc.file)
					tr := analyzeTop(b, c, cutsets.Options{MaxOrder: mode.order})
					if tr.Total == 0 {
						b.Fatal("no cut sets")
					}
				}
				reportCPU(b, cpu)
			})
		}
	}
}

// BenchmarkGenerated finds the minimal cut sets of order ≤ 3 (with exact
// probabilities) of every core function of a generated map of 10,000
// nodes (100 functions, 8,900 systems, 1,000 vendors).
func BenchmarkGenerated(b *testing.B) {
	m := gen.Generate(gen.Options{Functions: 100, Systems: 8900, Vendors: 1000, Seed: 1})
	c := graph.Compile(m, graph.CompileOptions{})
	targets := cutsets.DefaultTargets(c)
	cpu := cpuTime()
	for b.Loop() {
		res, err := cutsets.Analyze(context.Background(), c, targets, cutsets.Options{MaxOrder: 3})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Targets) != len(targets) {
			b.Fatal("missing targets")
		}
	}
	reportCPU(b, cpu)
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation since start ("cpu-ns/op"):
// on a machine shared with other work it is steadier than wall time.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}
