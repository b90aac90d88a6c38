package sim_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
)

// mapShape chooses what randomMap may use.
type mapShape struct {
	restore bool // systems may have restore times
}

// randomMap is a small map: 2 to 8 vendors (most with a probability,
// some with a supplier of their own), up to 5 systems that may form
// cycles, and 1 to 4 functions, with lists, any and atleast groups. No
// node has a buffer and there are no fallbacks.
func randomMap(seed uint64, shape mapShape) *graph.Map {
	rng := rand.New(rand.NewPCG(seed, 0xfeed))
	nv, ns, nf := 2+rng.IntN(7), rng.IntN(6), 1+rng.IntN(4)
	var nodes []*graph.Node
	var vendors, systems []string
	for i := range nv {
		n := &graph.Node{ID: fmt.Sprintf("v%d", i), Kind: graph.KindVendor}
		if rng.IntN(100) < 85 {
			n.Probability = prob(math.Round((0.02+0.6*rng.Float64())*100) / 100)
		}
		if rng.IntN(2) == 0 {
			n.OutageDuration = (graph.Duration(1+rng.IntN(72)) * graph.Hour).Ptr()
		}
		if i > 0 && rng.IntN(5) == 0 {
			n.Requires = graph.Refs(vendors[rng.IntN(i)])
		}
		nodes = append(nodes, n)
		vendors = append(vendors, n.ID)
	}
	for i := range ns {
		systems = append(systems, fmt.Sprintf("s%d", i))
	}
	// expr is a requirement over pool, picked without repetition.
	expr := func(pool []string) *graph.Expr {
		perm := rng.Perm(len(pool))
		pick := func(k int) []*graph.Expr {
			var out []*graph.Expr
			for _, j := range perm[:min(k, len(perm))] {
				out = append(out, graph.Ref(pool[j]))
			}
			return out
		}
		switch r := rng.IntN(10); {
		case r < 4:
			return graph.All(pick(1)...)
		case r < 6:
			return graph.All(pick(2 + rng.IntN(2))...)
		case r < 8:
			return graph.Any(pick(2 + rng.IntN(2))...)
		default:
			args := pick(3 + rng.IntN(2))
			return graph.AtLeast(1+rng.IntN(len(args)), args...)
		}
	}
	for i, id := range systems {
		pool := append([]string(nil), vendors...)
		for j, s := range systems {
			// mostly lower systems; sometimes a higher one, for cycles
			if j < i || j > i && rng.IntN(6) == 0 {
				pool = append(pool, s)
			}
		}
		n := &graph.Node{ID: id, Kind: graph.KindSystem, Requires: expr(pool)}
		if shape.restore && rng.IntN(3) == 0 {
			n.Restore = (graph.Duration(30+rng.IntN(210)) * graph.Minute).Ptr()
		}
		nodes = append(nodes, n)
	}
	pool := append(append([]string(nil), vendors...), systems...)
	for i := range nf {
		n := &graph.Node{ID: fmt.Sprintf("f%d", i), Kind: graph.KindFunction, Requires: graph.All(expr(pool), expr(pool)),
			ImpactPerHour: float64(1 + rng.IntN(1000))}
		if rng.IntN(2) == 0 {
			n.Tolerance = (graph.Duration(1+rng.IntN(48)) * graph.Hour).Ptr()
		}
		nodes = append(nodes, n)
	}
	return graph.NewMap(fmt.Sprintf("random-%d", seed), nodes, nil)
}

// exact is what brute force over every set of failing vendors gives.
type exact struct {
	halt, breach, loss map[string]float64 // per function
}

// bruteForce enumerates every set of failing vendors (those with a
// probability), weighs it by its probability, and finds each function's
// static state with graph.State.Propagate. With fixed durations, no
// buffer or restore, no fallbacks and aligned starts, a function is down
// from 0 until the vendors still down no longer bring it down: the loss
// and breaches follow from the durations.
func bruteForce(m *graph.Map, defaultDuration graph.Duration) exact {
	c := graph.Compile(m, graph.CompileOptions{})
	st := c.NewState()
	type vendor struct {
		v int32
		p float64
		d graph.Duration
	}
	var vs []vendor
	var funcs []int32
	for i, n := range m.Nodes {
		if n.Kind == graph.KindFunction {
			funcs = append(funcs, int32(i))
		}
		if n.Kind == graph.KindVendor && n.Probability != nil && *n.Probability > 0 {
			d := defaultDuration
			if n.OutageDuration != nil {
				d = *n.OutageDuration
			}
			vs = append(vs, vendor{int32(i), *n.Probability, d})
		}
	}
	ex := exact{map[string]float64{}, map[string]float64{}, map[string]float64{}}
	down := func(set []vendor, f int32) bool {
		var failed []int32
		for _, v := range set {
			failed = append(failed, v.v)
		}
		st.Reset()
		st.Propagate(failed)
		return st.Down[f]
	}
	for mask := 0; mask < 1<<len(vs); mask++ {
		p := 1.0
		var set []vendor
		for i, v := range vs {
			if mask&(1<<i) != 0 {
				p *= v.p
				set = append(set, v)
			} else {
				p *= 1 - v.p
			}
		}
		sort.Slice(set, func(i, j int) bool { return set[i].d < set[j].d })
		for _, f := range funcs {
			n := m.Nodes[f]
			if !down(set, f) {
				continue
			}
			ex.halt[n.ID] += p
			// Down until the first outage end after which the vendors
			// still down no longer bring it down.
			var until graph.Duration
			for k := range set {
				until = set[k].d
				if !down(set[k+1:], f) {
					break
				}
			}
			ex.loss[n.ID] += p * n.ImpactPerHour * until.Hours()
			if n.Tolerance != nil && until > *n.Tolerance {
				ex.breach[n.ID] += p
			}
		}
	}
	return ex
}

// TestOracleHalts checks, on random small maps, that the fraction of
// years in which each function halts matches the exact probability that
// the year's failing vendors bring it down, by brute force over vendor
// sets and by the cut-set engine's exact probability: with aligned
// starts the failing vendors are down together, and without buffers or
// fallbacks a function halts exactly when they bring it down statically.
// Restore times, cycles and random durations do not change that.
func TestOracleHalts(t *testing.T) {
	const years = 8000
	for seed := range uint64(20) {
		m := randomMap(seed, mapShape{restore: true})
		r := run(t, m, sim.Options{Years: years, Seed: seed, AlignStarts: true})
		ex := bruteForce(m, sim.DefaultDuration)
		probs := cutsetProbabilities(t, m)
		for _, f := range r.Functions {
			p := ex.halt[f.ID]
			se := math.Sqrt(p * (1 - p) / years)
			within(t, fmt.Sprintf("map %d: halt frequency of %s", seed, f.ID), f.HaltFrequency, p, se, 4)
			if q, ok := probs[f.ID]; ok {
				within(t, fmt.Sprintf("map %d: halt frequency of %s against cut sets", seed, f.ID), f.HaltFrequency, q, se, 4)
			}
		}
	}
}

// cutsetProbabilities is the cut-set engine's exact probability that
// each function fails, for those whose vendors all have probabilities.
func cutsetProbabilities(t *testing.T, m *graph.Map) map[string]float64 {
	t.Helper()
	c := graph.Compile(m, graph.CompileOptions{})
	var targets []int32
	for i, n := range m.Nodes {
		if n.Kind == graph.KindFunction {
			targets = append(targets, int32(i))
		}
	}
	res, err := cutsets.Analyze(context.Background(), c, targets, cutsets.Options{CountOnly: true})
	if err != nil {
		t.Fatalf("cutsets.Analyze(%s): %v", m.Name, err)
	}
	out := map[string]float64{}
	for _, tg := range res.Targets {
		if tg.Probability != nil {
			out[tg.ID] = *tg.Probability
		}
	}
	return out
}

// TestOracleLosses checks expected losses and breach frequencies on
// random small maps against brute force, where they are known exactly:
// fixed durations, aligned starts, no buffer, restore or fallback.
func TestOracleLosses(t *testing.T) {
	const years = 8000
	for seed := range uint64(20) {
		m := randomMap(1000+seed, mapShape{})
		r := run(t, m, sim.Options{Years: years, Seed: seed, AlignStarts: true, FixedDurations: true})
		ex := bruteForce(m, sim.DefaultDuration)
		total := 0.0
		for _, f := range r.Functions {
			total += ex.loss[f.ID]
			within(t, fmt.Sprintf("map %d: mean loss of %s", seed, f.ID), f.Loss.Mean, ex.loss[f.ID], f.Loss.StdErr, 4)
			p := ex.breach[f.ID]
			within(t, fmt.Sprintf("map %d: breach frequency of %s", seed, f.ID), f.BreachFrequency, p, math.Sqrt(p*(1-p)/years), 4)
		}
		within(t, fmt.Sprintf("map %d: mean total loss", seed), r.Total.Mean, total, r.Total.StdErr, 4)
	}
}
