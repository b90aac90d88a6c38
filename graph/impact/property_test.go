package impact

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact/impacttest"
)

// seeds is the fixed seed list of the property tests.
func seeds() []uint64 {
	s := make([]uint64, 600)
	for i := range s {
		s[i] = uint64(i + 1)
	}
	return s
}

// TestStaticOracle checks Static against the brute-force least fixpoint on
// random maps and scenarios, with and without fallbacks, and every chain
// against the map.
func TestStaticOracle(t *testing.T) {
	for _, seed := range seeds() {
		rng := rand.New(rand.NewPCG(seed, 1))
		m := impacttest.Random(rng, impacttest.RandomOptions{})
		for _, fb := range []bool{false, true} {
			ev := NewEvaluator(graph.Compile(m, graph.CompileOptions{Fallbacks: fb}))
			edges := impacttest.Edges(m, fb)
			for sc := 0; sc < 8; sc++ {
				var failed []string
				for k := rng.IntN(4); k > 0; k-- {
					failed = append(failed, m.Nodes[rng.IntN(len(m.Nodes))].ID)
				}
				where := fmt.Sprintf("seed %d, fallbacks %v, Static(%v)", seed, fb, failed)
				got, err := ev.Static(failed)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				brute := impacttest.BruteDown(m, failed, fb)
				var want []string
				for _, n := range m.Nodes {
					if brute[n.ID] {
						want = append(want, n.ID)
					}
				}
				if diff := cmp.Diff(want, got.Down, cmpEmpty); diff != "" {
					t.Fatalf("%s down mismatch (-brute +got):\n%s", where, diff)
				}
				failedSet := map[string]bool{}
				for _, id := range failed {
					failedSet[id] = true
				}
				for _, f := range got.Functions {
					if f.Down != brute[f.ID] {
						t.Fatalf("%s: function %s down = %v, brute force %v", where, f.ID, f.Down, brute[f.ID])
					}
					if f.Down {
						checkChain(t, where, f.Because, f.ID, failedSet, brute, edges)
					} else if f.Because != nil {
						t.Fatalf("%s: up function %s has chain %v", where, f.ID, f.Because)
					}
				}
			}
		}
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

// checkChain verifies that chain starts at from, ends at a failed node,
// never repeats, and steps only from a node to a down node it depends on.
func checkChain(t *testing.T, where string, chain []string, from string, failed, down map[string]bool, edges map[string][]string) {
	t.Helper()
	if len(chain) == 0 || chain[0] != from || !failed[chain[len(chain)-1]] {
		t.Fatalf("%s: chain %v must run from %s to a failed node", where, chain, from)
	}
	seen := map[string]bool{}
	for i, id := range chain {
		if seen[id] {
			t.Fatalf("%s: chain %v repeats %s", where, chain, id)
		}
		seen[id] = true
		if !down[id] {
			t.Fatalf("%s: chain %v passes through %s, which is up", where, chain, id)
		}
		if i > 0 && !slices.Contains(edges[chain[i-1]], id) {
			t.Fatalf("%s: chain %v: %s does not depend on %s", where, chain, chain[i-1], id)
		}
	}
}

// TestSweepOracle checks the sweep against one brute-force evaluation per
// event, for every node: vendors alone, parent groups, and random
// (also overlapping) groups of any nodes.
func TestSweepOracle(t *testing.T) {
	for _, seed := range seeds() {
		rng := rand.New(rand.NewPCG(seed, 2))
		m := impacttest.Random(rng, impacttest.RandomOptions{})
		for _, fb := range []bool{false, true} {
			c := graph.Compile(m, graph.CompileOptions{Fallbacks: fb})
			sw := NewSweeper(c)
			sets := map[string]Events{
				"vendors": VendorEvents(c),
				"parents": ParentEvents(c),
				"groups":  randomGroups(rng, c.NumNodes, false),
				"overlap": randomGroups(rng, c.NumNodes, true),
			}
			for _, name := range []string{"vendors", "parents", "groups", "overlap"} {
				ev := sets[name]
				where := fmt.Sprintf("seed %d, fallbacks %v, %s", seed, fb, name)
				all := sw.Sweep(ev, nil)
				fns := sw.Sweep(ev, func(v int32) bool { return int(v) < c.NumNodes && c.Kind[v] == graph.KindFunction })
				for e := 0; e < ev.Len(); e++ {
					var ids []string
					for _, v := range ev.Members[e] {
						ids = append(ids, m.Nodes[v].ID)
					}
					brute := impacttest.BruteDown(m, ids, fb)
					var want []int32
					for v, n := range m.Nodes {
						if got := all.Down(int32(v)).Has(e); got != brute[n.ID] {
							t.Fatalf("%s: event %s (%v): %s down = %v, brute force %v", where, ev.Names[e], ids, n.ID, got, brute[n.ID])
						}
						if n.Kind == graph.KindFunction && brute[n.ID] {
							want = append(want, int32(v))
						}
						if got := fns.Down(int32(v)).Has(e); got != (brute[n.ID] && n.Kind == graph.KindFunction) {
							t.Fatalf("%s: function-only sweep, event %s: %s = %v", where, ev.Names[e], n.ID, got)
						}
					}
					if diff := cmp.Diff(want, all.Halts(e)); diff != "" {
						t.Fatalf("%s: Halts(%s) mismatch (-brute +got):\n%s", where, ev.Names[e], diff)
					}
					if diff := cmp.Diff(want, fns.Halts(e)); diff != "" {
						t.Fatalf("%s: function-only Halts(%s) mismatch (-brute +got):\n%s", where, ev.Names[e], diff)
					}
				}
				for v := c.NumNodes; v < c.N(); v++ {
					if all.Down(int32(v)) != nil {
						t.Fatalf("%s: gate %d kept", where, v)
					}
				}
			}
		}
	}
}

// TestSweepOracleMany checks Sweep and Downs on larger random maps with
// hundreds of events, so that the sweep's own numbering of the events
// moves them across words.
func TestSweepOracleMany(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 5))
		m := impacttest.Random(rng, impacttest.RandomOptions{MaxNodes: 300})
		for _, fb := range []bool{false, true} {
			c := graph.Compile(m, graph.CompileOptions{Fallbacks: fb})
			sw := NewSweeper(c)
			ev := randomGroups(rng, c.NumNodes, seed%2 == 0)
			// Every node alone as well: more than 64 events on most maps.
			for v := 0; v < c.NumNodes; v++ {
				ev.Names = append(ev.Names, m.Nodes[v].ID)
				ev.Members = append(ev.Members, []int32{int32(v)})
			}
			where := fmt.Sprintf("seed %d, fallbacks %v, %d events", seed, fb, ev.Len())
			all := sw.Sweep(ev, func(int32) bool { return true })
			downs := sw.Downs(ev)
			if len(downs) != ev.Len() {
				t.Fatalf("%s: Downs returned %d sets", where, len(downs))
			}
			for e := 0; e < ev.Len(); e++ {
				var ids []string
				for _, v := range ev.Members[e] {
					ids = append(ids, m.Nodes[v].ID)
				}
				brute := impacttest.BruteDown(m, ids, fb)
				for v, n := range m.Nodes {
					if got := all.Down(int32(v)).Has(e); got != brute[n.ID] {
						t.Fatalf("%s: event %s: %s down = %v, brute force %v", where, ev.Names[e], n.ID, got, brute[n.ID])
					}
				}
				// Downs is Sweep turned around, gates included.
				for v := 0; v < c.N(); v++ {
					if got, want := downs[e].Has(v), all.Down(int32(v)).Has(e); got != want {
						t.Fatalf("%s: Downs(%s) has vertex %d = %v, Sweep says %v", where, ev.Names[e], v, got, want)
					}
				}
				if n := c.N(); downs[e].Len() > n || len(downs[e]) != (n+63)/64 {
					t.Fatalf("%s: Downs(%s) sized %d words for %d vertices", where, ev.Names[e], len(downs[e]), n)
				}
			}
		}
	}
}

// randomGroups splits some of the nodes 0..n-1 into random events.
func randomGroups(rng *rand.Rand, n int, overlap bool) Events {
	var ev Events
	perm := rng.Perm(n)
	for len(perm) > 0 {
		k := 1 + rng.IntN(min(3, len(perm)))
		var mem []int32
		for _, v := range perm[:k] {
			mem = append(mem, int32(v))
		}
		if overlap {
			mem = append(mem, int32(rng.IntN(n)))
		} else {
			perm = perm[k:]
		}
		if overlap && rng.IntN(3) == 0 {
			perm = perm[1:]
		}
		if rng.IntN(4) > 0 {
			ev.Names = append(ev.Names, fmt.Sprintf("e%d", len(ev.Names)))
			ev.Members = append(ev.Members, mem)
		}
	}
	return ev
}

// TestDependentsOracle checks Dependents against a search from every
// target over the map's dependencies, with and without opaque vendors.
func TestDependentsOracle(t *testing.T) {
	for _, seed := range seeds() {
		rng := rand.New(rand.NewPCG(seed, 3))
		m := impacttest.Random(rng, impacttest.RandomOptions{})
		for _, fb := range []bool{false, true} {
			c := graph.Compile(m, graph.CompileOptions{Fallbacks: fb})
			sw := NewSweeper(c)
			edges := impacttest.Edges(m, fb)
			var targets []int32
			for v := range m.Nodes {
				if rng.IntN(2) == 0 {
					targets = append(targets, int32(v))
				}
			}
			isVendor := func(v int32) bool { return int(v) < c.NumNodes && c.Kind[v] == graph.KindVendor }
			for _, opaque := range []func(int32) bool{nil, isVendor} {
				d := sw.Dependents(targets, opaque)
				for i, tv := range targets {
					// Nodes reachable from the target through non-opaque
					// nodes only.
					reach := map[string]bool{m.Nodes[tv].ID: true}
					stack := []string{m.Nodes[tv].ID}
					for len(stack) > 0 {
						id := stack[len(stack)-1]
						stack = stack[:len(stack)-1]
						if opaque != nil && m.Node(id).Kind == graph.KindVendor {
							continue
						}
						for _, x := range edges[id] {
							if !reach[x] {
								reach[x] = true
								stack = append(stack, x)
							}
						}
					}
					for v, n := range m.Nodes {
						if got := d.Of(int32(v)).Has(i); got != reach[n.ID] {
							t.Fatalf("seed %d, fallbacks %v, opaque vendors %v: %s depends on %s = %v, brute force %v",
								seed, fb, opaque != nil, m.Nodes[tv].ID, n.ID, got, reach[n.ID])
						}
					}
				}
			}
		}
	}
}
