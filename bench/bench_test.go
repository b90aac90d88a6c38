// Package bench holds the benchmarks that compare lifeboat with a networkx
// script on the same generated map; see README.md and run.sh. It has no
// library code.
package bench

import (
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// genOptions are the options of the map run.sh generates, read from
// BENCH_FUNCTIONS, BENCH_SYSTEMS, BENCH_VENDORS and BENCH_SEED (defaults:
// the 100k-node benchmark map), so that the Go side times exactly the map
// the networkx script loads from CSV.
func genOptions(tb testing.TB) gen.Options {
	get := func(name string, def int64) int64 {
		s := os.Getenv(name)
		if s == "" {
			return def
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			tb.Fatalf("%s=%q: %v", name, s, err)
		}
		return v
	}
	return gen.Options{
		Functions: int(get("BENCH_FUNCTIONS", 1000)),
		Systems:   int(get("BENCH_SYSTEMS", 89000)),
		Vendors:   int(get("BENCH_VENDORS", 10000)),
		Seed:      get("BENCH_SEED", 7),
	}
}

var shared struct {
	once sync.Once
	m    *graph.Map
	c    *graph.Circuit
}

func genMap(tb testing.TB) (*graph.Map, *graph.Circuit) {
	shared.once.Do(func() {
		o := genOptions(tb)
		shared.m = gen.Generate(o)
		shared.c = graph.Compile(shared.m, graph.CompileOptions{})
		s := gen.Measure(shared.m)
		tb.Logf("gen %+v: %d nodes, %d requirement edges, %d vendors", o, s.Nodes, s.Edges, s.Vendors)
	})
	return shared.m, shared.c
}

// BenchmarkGenSweep is lifeboat's all-vendor blast radius on the generated
// map: for every vendor, the functions its outage alone halts, honouring
// any/atleast groups and cycles. The networkx script answers the same
// question without redundancy.
func BenchmarkGenSweep(b *testing.B) {
	_, c := genMap(b)
	ev := impact.VendorEvents(c)
	isFunction := func(v int32) bool { return int(v) < c.NumNodes && c.Kind[v] == graph.KindFunction }
	b.Run("sweep", func(b *testing.B) {
		sw := impact.NewSweeper(c)
		b.ReportAllocs()
		for b.Loop() {
			sw.Sweep(ev, isFunction)
		}
		b.ReportMetric(float64(ev.Len()), "vendors")
	})
	b.Run("compile+sweep", func(b *testing.B) {
		m := c.Map
		b.ReportAllocs()
		for b.Loop() {
			cc := graph.Compile(m, graph.CompileOptions{})
			impact.NewSweeper(cc).Sweep(impact.VendorEvents(cc), isFunction)
		}
	})
}

// BenchmarkGenAnalyze is the whole critical-partner analysis (sweep, single
// points of failure, hidden suppliers, concentration) on the generated map.
func BenchmarkGenAnalyze(b *testing.B) {
	m, _ := genMap(b)
	b.ReportAllocs()
	for b.Loop() {
		partners.Analyze(m, partners.Options{})
	}
}
