package impact

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// tlReuseScenario is one run of a sequence on one engine.
type tlReuseScenario struct {
	outs []Outage
	opt  TimelineOptions
}

// tlReuseScenarios is a sequence of scenarios on m that touch many nodes,
// then few, then none, with and without fallbacks and horizons.
func tlReuseScenarios(rng *rand.Rand, m *graph.Map) []tlReuseScenario {
	var all, allForever []Outage
	for i, n := range m.Nodes {
		all = append(all, Outage{ID: n.ID, Start: graph.Duration(i%5) * graph.Minute, Duration: graph.Duration(1+i%7) * graph.Minute})
		allForever = append(allForever, Outage{ID: n.ID, Forever: true})
	}
	opt := func() TimelineOptions {
		o := TimelineOptions{Fallbacks: rng.Intn(2) == 0}
		if rng.Intn(2) == 0 {
			o.Horizon = graph.Duration(rng.Intn(120)) * graph.Minute
		}
		return o
	}
	var sc []tlReuseScenario
	for i := 0; i < 12; i++ {
		switch rng.Intn(6) {
		case 0:
			sc = append(sc, tlReuseScenario{all, opt()})
		case 1:
			sc = append(sc, tlReuseScenario{allForever, opt()})
		case 2:
			sc = append(sc, tlReuseScenario{nil, opt()})
		default:
			sc = append(sc, tlReuseScenario{tlRandomOutages(rng, m), opt()})
		}
		// A single short outage right after, which touches few nodes.
		one := []Outage{{ID: m.Nodes[rng.Intn(len(m.Nodes))].ID, Start: graph.Duration(rng.Intn(5)) * graph.Minute,
			Duration: graph.Duration(rng.Intn(8)) * graph.Minute}}
		sc = append(sc, tlReuseScenario{one, opt()})
	}
	return sc
}

// TestTimelineEngineReuse runs many scenarios in sequence on one engine
// and checks each result equals a fresh engine's, exactly: what a run
// leaves behind must not change the next.
func TestTimelineEngineReuse(t *testing.T) {
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		m := tlRandomMap(rng)
		eng, err := NewTimelineEngine(m)
		if err != nil {
			t.Fatalf("seed %d: NewTimelineEngine: %v", seed, err)
		}
		for i, s := range tlReuseScenarios(rng, m) {
			if i == 5 {
				// Runs that fail in between leave nothing behind.
				if _, err := eng.Run([]Outage{{ID: "no-such-node", Duration: graph.Minute}}, s.opt); err == nil {
					t.Fatalf("seed %d: Run with unknown node: no error", seed)
				}
				if _, err := eng.Run(s.outs, TimelineOptions{Horizon: -1}); err == nil {
					t.Fatalf("seed %d: Run with negative horizon: no error", seed)
				}
			}
			if i == 9 {
				// Instants about to run out: the engine starts afresh.
				eng.stampNo = math.MaxUint32 - 10
			}
			got, err := eng.Run(s.outs, s.opt)
			if err != nil {
				t.Fatalf("seed %d run %d: Run: %v", seed, i, err)
			}
			fresh, err := NewTimelineEngine(m)
			if err != nil {
				t.Fatal(err)
			}
			want, err := fresh.Run(s.outs, s.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("seed %d run %d: Run(%v, %+v) after %d runs differs from a fresh engine's (-fresh +reused):\n%s\n%s",
					seed, i, s.outs, s.opt, i, diff, tlDescribe(m))
			}
		}
	}
}

// TestTimelineEngineReuseLayered does the same on a layered map of a few
// thousand nodes, where a run touches a small part of the map.
func TestTimelineEngineReuseLayered(t *testing.T) {
	m := tlLayeredMap(3, 300)
	eng, err := NewTimelineEngine(m)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	var vendors []string
	for _, n := range m.Nodes {
		if n.Kind == graph.KindVendor {
			vendors = append(vendors, n.ID)
		}
	}
	for i := 0; i < 60; i++ {
		var outs []Outage
		k := 1
		if i%4 == 0 {
			k = 1 + rng.Intn(len(vendors)/2)
		}
		for j := 0; j < k; j++ {
			outs = append(outs, Outage{ID: vendors[rng.Intn(len(vendors))], Start: graph.Duration(rng.Intn(120)) * graph.Minute,
				Duration: graph.Duration(rng.Intn(600)) * graph.Minute, Forever: rng.Intn(20) == 0})
		}
		opt := TimelineOptions{Fallbacks: i%3 != 0}
		got, err := eng.Run(outs, opt)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := NewTimelineEngine(m)
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Run(outs, opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("run %d: Run(%v, %+v) differs from a fresh engine's (-fresh +reused):\n%s", i, outs, opt, diff)
		}
	}
}

// tlLayeredMap is a smaller cousin of tlBigMap: vendors, layers of
// systems with buffers, restores and fallbacks, and functions.
func tlLayeredMap(seed int64, per int) *graph.Map {
	rng := rand.New(rand.NewSource(seed))
	var nodes []*graph.Node
	var fbs []*graph.Fallback
	var below []string
	for i := 0; i < per; i++ {
		id := fmt.Sprintf("v%05d", i)
		nodes = append(nodes, &graph.Node{ID: id, Kind: graph.KindVendor})
		below = append(below, id)
	}
	pick := func() *graph.Expr { return graph.Ref(below[rng.Intn(len(below))]) }
	minutes := func(lo, hi int) *graph.Duration {
		return (graph.Duration(lo+rng.Intn(hi-lo+1)) * graph.Minute).Ptr()
	}
	fallback := func(n *graph.Node) {
		fbs = append(fbs, &graph.Fallback{ID: n.ID + "/fallback", For: n.ID, Requires: graph.All(pick()),
			Activation: graph.Duration(rng.Intn(120)) * graph.Minute, Endurance: minutes(60, 48*60), Capacity: 0.5})
	}
	for l := 0; l < 4; l++ {
		var layer []string
		for i := 0; i < per; i++ {
			n := &graph.Node{ID: fmt.Sprintf("s%d-%05d", l, i), Kind: graph.KindSystem,
				Requires: graph.All(pick(), pick(), graph.Any(pick(), pick()))}
			if rng.Intn(5) == 0 {
				n.Buffer = minutes(15, 240)
			}
			if rng.Intn(3) == 0 {
				n.Restore = minutes(15, 180)
			}
			if rng.Intn(10) == 0 {
				fallback(n)
			}
			nodes = append(nodes, n)
			layer = append(layer, n.ID)
		}
		below = append(below, layer...)
	}
	for i := 0; i < per; i++ {
		n := &graph.Node{ID: fmt.Sprintf("f%05d", i), Kind: graph.KindFunction, Requires: graph.All(pick(), pick(), pick()),
			Tolerance: minutes(60, 480), ImpactPerHour: float64(1000 * (1 + rng.Intn(100)))}
		if rng.Intn(10) == 0 {
			fallback(n)
		}
		nodes = append(nodes, n)
	}
	return graph.NewMap("layered", nodes, fbs)
}
