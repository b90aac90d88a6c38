package impact

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// tlBigMap is a layered map of about 100k nodes and 1M requirement edges:
// 10k vendors (a fifth with suppliers of their own), 8 layers of 10k
// systems each needing 6 nodes of the layers below and 2 redundant pairs,
// and 10k functions needing 20 systems of the top three layers. A fifth
// of the systems have a buffer, a third a restore; 2% of systems and
// functions have a fallback.
func tlBigMap(seed int64) *graph.Map {
	rng := rand.New(rand.NewSource(seed))
	const vendors, layers, perLayer, funcs = 10000, 8, 10000, 10000
	var nodes []*graph.Node
	var fbs []*graph.Fallback
	var below []string // ids of every node of the layers so far
	for i := 0; i < vendors; i++ {
		n := &graph.Node{ID: fmt.Sprintf("v%05d", i), Kind: graph.KindVendor}
		if i > 100 && rng.Intn(5) == 0 {
			n.Requires = graph.All()
			for j := 1 + rng.Intn(3); j > 0; j-- {
				n.Requires.Args = append(n.Requires.Args, graph.Ref(below[rng.Intn(100)]))
			}
		}
		nodes = append(nodes, n)
		below = append(below, n.ID)
	}
	pick := func() *graph.Expr { return graph.Ref(below[rng.Intn(len(below))]) }
	minutes := func(lo, hi int) *graph.Duration {
		return (graph.Duration(lo+rng.Intn(hi-lo+1)) * graph.Minute).Ptr()
	}
	fallback := func(n *graph.Node) {
		fbs = append(fbs, &graph.Fallback{ID: n.ID + "/fallback", For: n.ID, Requires: graph.All(pick()),
			Activation: graph.Duration(rng.Intn(120)) * graph.Minute, Endurance: minutes(60, 48*60), Capacity: 0.5})
	}
	for l := 0; l < layers; l++ {
		var layer []string
		for i := 0; i < perLayer; i++ {
			n := &graph.Node{ID: fmt.Sprintf("s%d-%05d", l, i), Kind: graph.KindSystem, Requires: graph.All()}
			for j := 0; j < 6; j++ {
				n.Requires.Args = append(n.Requires.Args, pick())
			}
			for j := 0; j < 2; j++ {
				n.Requires.Args = append(n.Requires.Args, graph.Any(pick(), pick()))
			}
			if rng.Intn(5) == 0 {
				n.Buffer = minutes(15, 240)
			}
			if rng.Intn(3) == 0 {
				n.Restore = minutes(15, 180)
			}
			if rng.Intn(50) == 0 {
				fallback(n)
			}
			nodes = append(nodes, n)
			layer = append(layer, n.ID)
		}
		below = append(below, layer...)
	}
	systems := below[vendors:]
	for i := 0; i < funcs; i++ {
		n := &graph.Node{ID: fmt.Sprintf("f%05d", i), Kind: graph.KindFunction, Requires: graph.All(),
			Tolerance: minutes(60, 480), ImpactPerHour: float64(1000 * (1 + rng.Intn(100)))}
		for j := 0; j < 20; j++ {
			n.Requires.Args = append(n.Requires.Args, graph.Ref(systems[len(systems)-1-rng.Intn(3*perLayer)]))
		}
		if rng.Intn(50) == 0 {
			fallback(n)
		}
		nodes = append(nodes, n)
	}
	return graph.NewMap("big", nodes, fbs)
}

// tlBigScenario fails the five vendors with the most direct dependents,
// 8h each, an hour apart.
func tlBigScenario(m *graph.Map) []Outage {
	uses := map[string]int{}
	for _, n := range m.Nodes {
		for _, id := range n.Requires.RefIDs() {
			if m.Node(id).Kind == graph.KindVendor {
				uses[id]++
			}
		}
	}
	var vs []string
	for id := range uses {
		vs = append(vs, id)
	}
	sort.Slice(vs, func(i, j int) bool {
		if uses[vs[i]] != uses[vs[j]] {
			return uses[vs[i]] > uses[vs[j]]
		}
		return vs[i] < vs[j]
	})
	var outs []Outage
	for i, id := range vs[:5] {
		outs = append(outs, Outage{ID: id, Start: graph.Duration(i) * graph.Hour, Duration: 8 * graph.Hour})
	}
	return outs
}

// BenchmarkTimeline computes one time line on the 100k-node map, with
// fallbacks, on an engine compiled once.
func BenchmarkTimeline(b *testing.B) {
	m := tlBigMap(1)
	outs := tlBigScenario(m)
	e, err := NewTimelineEngine(m)
	if err != nil {
		b.Fatal(err)
	}
	var r *TimelineResult
	b.ResetTimer()
	cpu0, cpuOK := tlCPUTime()
	for i := 0; i < b.N; i++ {
		r, err = e.Run(outs, TimelineOptions{Fallbacks: true})
		if err != nil {
			b.Fatal(err)
		}
	}
	cpu1, _ := tlCPUTime()
	b.StopTimer()
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
	edges := 0
	for _, n := range m.Nodes {
		edges += len(n.Requires.RefIDs())
	}
	halted := 0
	for _, f := range r.Functions {
		if f.HaltedAt != nil {
			halted++
		}
	}
	b.ReportMetric(float64(len(r.Nodes)), "nodes-down")
	b.ReportMetric(float64(halted), "functions-halted")
	b.Logf("%d nodes, %d requirement edges, %d fallbacks; %d nodes down at some moment, %d functions halted, last change %s",
		len(m.Nodes), edges, len(m.Fallbacks), len(r.Nodes), halted, tlMoment(r.LastChange))
}

// BenchmarkTimelineCompile is Timeline from the map: compiling included.
func BenchmarkTimelineCompile(b *testing.B) {
	m := tlBigMap(1)
	outs := tlBigScenario(m)
	b.ResetTimer()
	cpu0, cpuOK := tlCPUTime()
	for i := 0; i < b.N; i++ {
		if _, err := Timeline(m, outs, TimelineOptions{Fallbacks: true}); err != nil {
			b.Fatal(err)
		}
	}
	cpu1, _ := tlCPUTime()
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkTimelineSmallOutage computes, on the 100k-node map, the time
// line of a 4h outage that touches few nodes, with fallbacks, on an
// engine compiled once: the per-run cost of a small scenario, as
// exposure and simulation run it thousands of times. (Every vendor of
// this map brings down thousands of nodes; a system of the top layer,
// which only functions need, stands in for a small vendor.)
func BenchmarkTimelineSmallOutage(b *testing.B) {
	m := tlBigMap(1)
	outs := []Outage{{ID: "s7-05000", Duration: 4 * graph.Hour}}
	e, err := NewTimelineEngine(m)
	if err != nil {
		b.Fatal(err)
	}
	var r *TimelineResult
	b.ResetTimer()
	cpu0, cpuOK := tlCPUTime()
	for i := 0; i < b.N; i++ {
		r, err = e.Run(outs, TimelineOptions{Fallbacks: true})
		if err != nil {
			b.Fatal(err)
		}
	}
	cpu1, _ := tlCPUTime()
	b.StopTimer()
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(len(r.Nodes)), "nodes-down")
}
