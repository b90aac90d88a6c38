package mvc_test

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// genMap returns a generated map of about n nodes, split like the 100k
// benchmark map of gen (1% functions, 89% systems, 10% vendors).
func genMap(n int, seed int64, redundancy float64) *graph.Map {
	return gen.Generate(gen.Options{Functions: n / 100, Systems: n * 89 / 100, Vendors: n / 10, Seed: seed, Redundancy: redundancy})
}

// benchAnalyze proves the optimum on each seed's map; it fails when a
// search does not complete within the time limit.
func benchAnalyze(b *testing.B, n int, redundancy float64, opt mvc.Options) {
	var maps []*graph.Map
	for seed := int64(1); seed <= 3; seed++ {
		maps = append(maps, genMap(n, seed, redundancy))
	}
	opt.TimeLimit = 30 * time.Second
	b.ResetTimer()
	for b.Loop() {
		for _, m := range maps {
			res, err := mvc.Analyze(context.Background(), m, opt)
			if err != nil {
				b.Fatal(err)
			}
			if s := res.Supply; !s.Optimal || !s.Canonical {
				b.Fatalf("%s: not proven in %v: value %v, bound %v, %+v", m.Name, opt.TimeLimit, s.Value, s.LowerBound, s.Stats)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(maps)), "ms/map")
}

// BenchmarkAnalyze10k is `lifeboat mvc` on generated maps of 10,000 nodes
// (100 functions, 8,900 systems, 1,000 vendors), three seeds.
func BenchmarkAnalyze10k(b *testing.B) { benchAnalyze(b, 10_000, 0, mvc.Options{}) }

// BenchmarkAnalyze10kCost is the same minimising the vendors' annual fees.
func BenchmarkAnalyze10kCost(b *testing.B) {
	benchAnalyze(b, 10_000, 0, mvc.Options{Minimize: mvc.MinCost})
}

// BenchmarkAnalyze10kRedundant uses maps with redundancy groups for 20%
// of the requirement items (2.5 times gen's default), where the search
// has real choices to make.
func BenchmarkAnalyze10kRedundant(b *testing.B) { benchAnalyze(b, 10_000, 0.2, mvc.Options{}) }

// BenchmarkAnalyze100k is `lifeboat mvc` on the 100,000-node benchmark
// map shape.
func BenchmarkAnalyze100k(b *testing.B) { benchAnalyze(b, 100_000, 0, mvc.Options{}) }

// BenchmarkRecover10k plans the recovery from an 8-hour outage of the ten
// vendors most depended on in a generated 10,000-node map.
func BenchmarkRecover10k(b *testing.B) {
	m := genMap(10_000, 1, 0)
	c := graph.Compile(m, graph.CompileOptions{})
	type fan struct {
		id  string
		out int
	}
	var vs []fan
	for v := int32(0); v < int32(c.NumNodes); v++ {
		if c.Kind[v] == graph.KindVendor {
			vs = append(vs, fan{m.Nodes[v].ID, len(c.Outputs(v))})
		}
	}
	var outages []impact.Outage
	for range 10 {
		best := 0
		for i := range vs {
			if vs[i].out > vs[best].out {
				best = i
			}
		}
		outages = append(outages, impact.Outage{ID: vs[best].id, Duration: 8 * graph.Hour})
		vs[best].out = -1
	}
	for b.Loop() {
		rec, err := mvc.Recover(m, outages, mvc.RecoveryOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(rec.Steps)), "steps")
	}
}
