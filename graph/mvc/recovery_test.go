package mvc_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

func hours(h float64) *graph.Duration {
	d := graph.Duration(h * float64(graph.Hour))
	return &d
}

const recoveryMap = `function pay tier=core: core-banking, any(swift-a, swift-b)
function marketing tier=supporting: crm
system core-banking restore=2h: cloud
system crm: dns
vendor cloud: dns
vendor dns:
vendor swift-a:
vendor swift-b:`

func TestRecover(t *testing.T) {
	ignore := cmpopts.IgnoreFields(mvc.Recovery{}, "Outages", "Horizon", "Settled")
	for _, tc := range []struct {
		name    string
		m       string
		outages []impact.Outage
		want    *mvc.Recovery
	}{{
		name: "chain with a restore time and an any group",
		m:    recoveryMap,
		outages: []impact.Outage{
			{ID: "dns", Duration: graph.Hour},
			{ID: "swift-a", Duration: 5 * graph.Hour},
			{ID: "swift-b", Duration: 2 * graph.Hour},
		},
		want: &mvc.Recovery{
			Targets:    []string{"pay"},
			Functions:  []mvc.RecoveredFunction{{ID: "pay", Name: "pay", HaltedAt: 0, RestoredAt: hours(3)}},
			Halted:     true,
			RestoredAt: hours(3),
			Steps: []mvc.Step{
				{ID: "dns", Kind: graph.KindVendor, Failed: true, ReadyAt: hours(0), UpAt: hours(1), After: []string{}, Critical: true},
				{ID: "cloud", Kind: graph.KindVendor, ReadyAt: hours(1), UpAt: hours(1), After: []string{"dns"}, Critical: true},
				{ID: "core-banking", Kind: graph.KindSystem, ReadyAt: hours(1), UpAt: hours(3), Restore: 2 * graph.Hour, After: []string{"cloud"}, Critical: true},
				{ID: "swift-b", Kind: graph.KindVendor, Failed: true, ReadyAt: hours(0), UpAt: hours(2), After: []string{}},
				{ID: "pay", Kind: graph.KindFunction, ReadyAt: hours(3), UpAt: hours(3), After: []string{"core-banking", "swift-b"}, Critical: true},
			},
			CriticalPath: []string{"dns", "cloud", "core-banking", "pay"},
			Later:        []string{"crm", "marketing", "swift-a"},
		},
	}, {
		name: "a slow second supplier decides",
		m:    recoveryMap,
		outages: []impact.Outage{
			{ID: "dns", Duration: graph.Hour},
			{ID: "swift-a", Duration: 5 * graph.Hour},
			{ID: "swift-b", Duration: 4 * graph.Hour},
		},
		want: &mvc.Recovery{
			Targets:    []string{"pay"},
			Functions:  []mvc.RecoveredFunction{{ID: "pay", Name: "pay", HaltedAt: 0, RestoredAt: hours(4)}},
			Halted:     true,
			RestoredAt: hours(4),
			Steps: []mvc.Step{
				{ID: "swift-b", Kind: graph.KindVendor, Failed: true, ReadyAt: hours(0), UpAt: hours(4), After: []string{}, Critical: true},
				{ID: "dns", Kind: graph.KindVendor, Failed: true, ReadyAt: hours(0), UpAt: hours(1), After: []string{}},
				{ID: "cloud", Kind: graph.KindVendor, ReadyAt: hours(1), UpAt: hours(1), After: []string{"dns"}},
				{ID: "core-banking", Kind: graph.KindSystem, ReadyAt: hours(1), UpAt: hours(3), Restore: 2 * graph.Hour, After: []string{"cloud"}},
				{ID: "pay", Kind: graph.KindFunction, ReadyAt: hours(4), UpAt: hours(4), After: []string{"core-banking", "swift-b"}, Critical: true},
			},
			CriticalPath: []string{"swift-b", "pay"},
			Later:        []string{"crm", "marketing", "swift-a"},
		},
	}, {
		name:    "never repaired",
		m:       recoveryMap,
		outages: []impact.Outage{{ID: "dns", Forever: true}},
		want: &mvc.Recovery{
			Targets:   []string{"pay"},
			Functions: []mvc.RecoveredFunction{{ID: "pay", Name: "pay", HaltedAt: 0}},
			Halted:    true,
			Steps: []mvc.Step{
				{ID: "dns", Kind: graph.KindVendor, Failed: true, ReadyAt: hours(0), After: []string{}, Critical: true},
				{ID: "cloud", Kind: graph.KindVendor, After: []string{"dns"}, Critical: true},
				{ID: "core-banking", Kind: graph.KindSystem, Restore: 2 * graph.Hour, After: []string{"cloud"}, Critical: true},
				{ID: "pay", Kind: graph.KindFunction, After: []string{"core-banking"}, Critical: true},
			},
			CriticalPath: []string{"dns", "cloud", "core-banking", "pay"},
			Later:        []string{"crm", "marketing"},
		},
	}, {
		name: "a buffer rides it out",
		m: `function pay tier=core buffer=4h: cloud
vendor cloud:`,
		outages: []impact.Outage{{ID: "cloud", Duration: 2 * graph.Hour}},
		want: &mvc.Recovery{
			Targets:      []string{"pay"},
			Functions:    []mvc.RecoveredFunction{},
			Steps:        []mvc.Step{},
			CriticalPath: []string{},
			Later:        []string{"cloud"},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mvc.Recover(parse(t, tc.m), tc.outages, mvc.RecoveryOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, ignore); diff != "" {
				t.Errorf("Recover(%s) mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

func TestRecoverErrors(t *testing.T) {
	m := parse(t, recoveryMap)
	if _, err := mvc.Recover(nil, nil, mvc.RecoveryOptions{}); err == nil {
		t.Error("Recover(nil map): no error")
	}
	var unknown *impact.UnknownNodeError
	if _, err := mvc.Recover(m, []impact.Outage{{ID: "dnz", Duration: graph.Hour}}, mvc.RecoveryOptions{}); !errors.As(err, &unknown) {
		t.Errorf("Recover(unknown outage) = %v, want an UnknownNodeError", err)
	}
	var notFn *mvc.NotFunctionError
	if _, err := mvc.Recover(m, nil, mvc.RecoveryOptions{Functions: []string{"crm"}}); !errors.As(err, &notFn) {
		t.Errorf("Recover(system target) = %v, want a NotFunctionError", err)
	}
}

// TestRecoverProperties checks, on random maps and outages, what every
// plan must satisfy: the targets' times are the time line's, every step
// comes after the steps it waits for unless they wait for each other
// around a cycle, the MVC is back when its last target is, the critical path
// ends at a target and runs through steps, and the steps and Later
// together are exactly the nodes that go down.
func TestRecoverProperties(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		m := randomMap(rng, 8)
		for _, n := range m.Nodes {
			if rng.IntN(3) == 0 {
				n.Restore = hours(float64(rng.IntN(4)))
			}
			if rng.IntN(5) == 0 {
				n.Buffer = hours(float64(rng.IntN(3)))
			}
		}
		var outages []impact.Outage
		for _, n := range m.Nodes {
			if n.Kind == graph.KindVendor && rng.IntN(2) == 0 {
				o := impact.Outage{ID: n.ID, Start: *hours(float64(rng.IntN(3))), Duration: *hours(float64(1 + rng.IntN(6)))}
				o.Forever = rng.IntN(8) == 0
				outages = append(outages, o)
			}
		}
		fallbacks := seed%2 == 0
		rec, err := mvc.Recover(m, outages, mvc.RecoveryOptions{Fallbacks: fallbacks})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		tl, err := impact.Timeline(m, outages, impact.TimelineOptions{Fallbacks: fallbacks})
		if err != nil {
			t.Fatal(err)
		}
		var down []string
		for _, n := range tl.Nodes {
			down = append(down, n.ID)
		}
		var got []string
		pos := map[string]int{}
		for i, s := range rec.Steps {
			got = append(got, s.ID)
			pos[s.ID] = i
		}
		got = append(got, rec.Later...)
		slices.Sort(got)
		if !slices.Equal(got, down) {
			t.Errorf("seed %d: steps and later %v, want the nodes that go down %v", seed, got, down)
		}
		up := func(d *graph.Duration) graph.Duration {
			if d == nil {
				return 1 << 62
			}
			return *d
		}
		after := map[string][]string{}
		for _, s := range rec.Steps {
			after[s.ID] = s.After
		}
		// reaches reports whether a waits, transitively, for b.
		reaches := func(a, b string) bool {
			seen := map[string]bool{}
			var walk func(x string) bool
			walk = func(x string) bool {
				if x == b {
					return true
				}
				if seen[x] {
					return false
				}
				seen[x] = true
				return slices.ContainsFunc(after[x], walk)
			}
			return slices.ContainsFunc(after[a], walk)
		}
		for i, s := range rec.Steps {
			for _, a := range s.After {
				j, ok := pos[a]
				if !ok {
					t.Errorf("seed %d: %s waits for %s, which is no step", seed, s.ID, a)
				} else if j > i && !reaches(a, s.ID) {
					t.Errorf("seed %d: %s comes before %s, which it waits for outside a cycle", seed, s.ID, a)
				}
			}
		}
		var last graph.Duration
		for _, f := range tl.Functions {
			if !slices.Contains(rec.Targets, f.ID) || f.HaltedAt == nil {
				continue
			}
			var rf *mvc.RecoveredFunction
			for i := range rec.Functions {
				if rec.Functions[i].ID == f.ID {
					rf = &rec.Functions[i]
				}
			}
			if rf == nil || rf.HaltedAt != *f.HaltedAt || up(rf.RestoredAt) != up(f.RestoredAt) && f.RestoredAt != nil {
				t.Errorf("seed %d: function %s: %+v, time line %v..%v", seed, f.ID, rf, *f.HaltedAt, f.RestoredAt)
			}
			if rf != nil {
				last = max(last, up(rf.RestoredAt))
			}
		}
		if rec.Halted != (len(rec.Functions) > 0) || rec.Halted && up(rec.RestoredAt) != last {
			t.Errorf("seed %d: halted %v, restored at %v, want the last target's %v", seed, rec.Halted, rec.RestoredAt, last)
		}
		if rec.Halted {
			cp := rec.CriticalPath
			if len(cp) == 0 || !slices.Contains(rec.Targets, cp[len(cp)-1]) {
				t.Errorf("seed %d: critical path %v does not end at a target", seed, cp)
			}
			for _, id := range cp {
				if i, ok := pos[id]; !ok || !rec.Steps[i].Critical {
					t.Errorf("seed %d: critical path %v runs through %s, no critical step", seed, cp, id)
				}
			}
		}
		if t.Failed() {
			t.Logf("map:\n%s\noutages %+v", dump(m), outages)
			return
		}
	}
}
