package sim_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
)

func prob(p float64) *float64 { return &p }

func dur(s string) *graph.Duration { return graph.MustDuration(s).Ptr() }

func run(t *testing.T, m *graph.Map, opt sim.Options) *sim.Result {
	t.Helper()
	r, err := sim.Run(context.Background(), m, opt)
	if err != nil {
		t.Fatalf("Run(%+v): %v", opt, err)
	}
	return r
}

// within fails the test when got is further than k standard errors from
// want.
func within(t *testing.T, what string, got, want, se, k float64) {
	t.Helper()
	if math.Abs(got-want) > k*se+1e-12 {
		t.Errorf("%s = %v, want %v ± %v (%v standard errors of %v)", what, got, want, k*se, k, se)
	} else {
		t.Logf("%s = %v, want %v: %.2f standard errors", what, got, want, math.Abs(got-want)/math.Max(se, 1e-300))
	}
}

// TestCertainOutage: a vendor that fails every year for exactly 10 hours
// under a function losing 100 an hour with a 4-hour tolerance: every
// figure is known exactly.
func TestCertainOutage(t *testing.T) {
	m := graph.NewMap("certain", []*graph.Node{
		{ID: "f", Kind: graph.KindFunction, Requires: graph.Refs("v"), ImpactPerHour: 100, Tolerance: dur("4h"), Tier: graph.TierCore},
		{ID: "v", Kind: graph.KindVendor, Probability: prob(1), OutageDuration: dur("10h")},
		{ID: "idle", Kind: graph.KindVendor, Probability: prob(0)},
	}, nil)
	r := run(t, m, sim.Options{Years: 1000, Seed: 3, FixedDurations: true})
	loss := sim.Loss{Mean: 1000, P50: 1000, P95: 1000, P99: 1000, Max: 1000}
	want := &sim.Result{
		Years: 1000, Seed: 3, DefaultDuration: sim.DefaultDuration, Horizon: sim.DefaultHorizon,
		Vendors: []sim.Vendor{{ID: "v", Name: "v", Probability: 1, Median: 10 * graph.Hour, Failures: 1000}},
		Total:   loss,
		Functions: []sim.Function{{ID: "f", Name: "f", Tier: graph.TierCore, ImpactPerHour: 100, Tolerance: dur("4h"),
			Loss: loss, HaltYears: 1000, HaltFrequency: 1, BreachYears: 1000, BreachFrequency: 1}},
		YearsWithOutage: 1000, YearsWithLoss: 1000, TimeLines: 1000,
		Tail: sim.Tail{Quantile: 0.99, Threshold: 1000, Years: 1000, Loss: 1e6, Groups: 1,
			Scenarios: []sim.Scenario{{Vendors: []string{"v"}, Years: 1000, Loss: 1e6, Share: 1}}},
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Run(certain) mismatch (-want +got):\n%s", diff)
	}
}

// TestLognormal checks the duration model on one vendor: the expected
// loss is p · impact · median · exp(σ²/2), the median loss of a year
// with an outage is impact · median, and the vendor fails in a fraction
// p of the years.
func TestLognormal(t *testing.T) {
	for _, sigma := range []float64{0, 1} {
		m := graph.NewMap("lognormal", []*graph.Node{
			{ID: "f", Kind: graph.KindFunction, Requires: graph.Refs("v"), ImpactPerHour: 1},
			{ID: "g", Kind: graph.KindFunction, Requires: graph.Refs("w"), ImpactPerHour: 1},
			{ID: "v", Kind: graph.KindVendor, Probability: prob(0.3), OutageDuration: dur("10h")},
			{ID: "w", Kind: graph.KindVendor, Probability: prob(1)}, // the default duration, 24h
		}, nil)
		const years = 40_000
		r := run(t, m, sim.Options{Years: years, Seed: 11, Sigma: sigma})
		s := sigma
		if s == 0 {
			s = sim.DefaultSigma
		}
		f, g := r.Functions[0], r.Functions[1]
		within(t, "mean loss of f", f.Loss.Mean, 0.3*10*math.Exp(s*s/2), f.Loss.StdErr, 4)
		within(t, "mean loss of g", g.Loss.Mean, 24*math.Exp(s*s/2), g.Loss.StdErr, 4)
		// The sample median of a lognormal: standard error
		// median · σ · √(2π) / (2√n).
		within(t, "median loss of g", g.Loss.P50, 24, 24*s*math.Sqrt(2*math.Pi)/(2*math.Sqrt(years)), 4)
		within(t, "halt frequency of f", f.HaltFrequency, 0.3, math.Sqrt(0.3*0.7/years), 4)
		if r.Vendors[0].Failures != f.HaltYears {
			t.Errorf("vendor v failed in %d years, f halted in %d", r.Vendors[0].Failures, f.HaltYears)
		}
		if !r.Vendors[1].Default || r.Vendors[1].Median != sim.DefaultDuration {
			t.Errorf("vendor w: %+v, want the default duration", r.Vendors[1])
		}
	}
}

// TestStaggeredOverlap checks random start times against the exact
// overlap of two outages of fixed length d in a year of length T: a
// function that needs one of two vendors, both failing every year, halts
// when the outages overlap, with probability 1 − (1 − d/T)², and is down
// for d²/T − d³/(3T²) on average.
func TestStaggeredOverlap(t *testing.T) {
	m := graph.NewMap("overlap", []*graph.Node{
		{ID: "f", Kind: graph.KindFunction, Requires: graph.Any(graph.Ref("a"), graph.Ref("b")), ImpactPerHour: 1},
		{ID: "a", Kind: graph.KindVendor, Probability: prob(1), OutageDuration: dur("30d")},
		{ID: "b", Kind: graph.KindVendor, Probability: prob(1), OutageDuration: dur("30d")},
	}, nil)
	const years = 40_000
	r := run(t, m, sim.Options{Years: years, Seed: 5, FixedDurations: true})
	d, T := 30*24.0, 365*24.0
	x := d / T
	p := 1 - (1-x)*(1-x)
	f := r.Functions[0]
	within(t, "halt frequency", f.HaltFrequency, p, math.Sqrt(p*(1-p)/years), 4)
	within(t, "mean loss", f.Loss.Mean, d*d/T-d*d*d/(3*T*T), f.Loss.StdErr, 4)
	// No year can lose more than one full outage.
	if f.Loss.Max > d {
		t.Errorf("max loss %v, more than %v", f.Loss.Max, d)
	}

	// Aligned, the outages always coincide.
	r = run(t, m, sim.Options{Years: 100, Seed: 5, FixedDurations: true, AlignStarts: true})
	if f := r.Functions[0]; f.HaltYears != 100 || f.Loss.Mean != d || f.Loss.StdErr != 0 {
		t.Errorf("aligned: %+v, want a halt of %v hours every year", f, d)
	}
}

// TestTail checks the tail scenarios on a map with a frequent small
// outage and two rare large ones.
func TestTail(t *testing.T) {
	m := graph.NewMap("tail", []*graph.Node{
		{ID: "f1", Kind: graph.KindFunction, Requires: graph.Refs("a"), ImpactPerHour: 100},
		{ID: "f2", Kind: graph.KindFunction, Requires: graph.Refs("b"), ImpactPerHour: 1000},
		{ID: "f3", Kind: graph.KindFunction, Requires: graph.Refs("c"), ImpactPerHour: 1000},
		{ID: "a", Kind: graph.KindVendor, Probability: prob(0.9), OutageDuration: dur("1h")},
		{ID: "b", Kind: graph.KindVendor, Probability: prob(0.05), OutageDuration: dur("10h")},
		{ID: "c", Kind: graph.KindVendor, Probability: prob(0.02), OutageDuration: dur("10h")},
	}, nil)
	r := run(t, m, sim.Options{Years: 20_000, Seed: 9, TailScenarios: -1})
	tail := r.Tail
	if tail.Threshold != r.Total.P99 || tail.Quantile != 0.99 {
		t.Errorf("tail threshold %v at %v, want Total.P99 %v at 0.99", tail.Threshold, tail.Quantile, r.Total.P99)
	}
	if tail.Years < r.Years/100 || tail.Years > r.Years/10 {
		t.Errorf("%d tail years of %d", tail.Years, r.Years)
	}
	if len(tail.Scenarios) != tail.Groups || len(tail.Scenarios) < 3 {
		t.Fatalf("%d scenarios, %d groups: %+v", len(tail.Scenarios), tail.Groups, tail.Scenarios)
	}
	if got := tail.Scenarios[0].Vendors; !cmp.Equal(got, []string{"b"}) {
		t.Errorf("top scenario %v, want [b]", got)
	}
	total, share := 0.0, 0.0
	for i, s := range tail.Scenarios {
		total += s.Loss
		share += s.Share
		if math.Abs(s.Share-s.Loss/tail.Loss) > 1e-12 || s.Years > tail.Years || s.Years == 0 {
			t.Errorf("scenario %d: %+v of a tail of %d years losing %v", i, s, tail.Years, tail.Loss)
		}
		if i > 0 && s.Loss > tail.Scenarios[i-1].Loss {
			t.Errorf("scenario %d loses %v, more than the one before (%v)", i, s.Loss, tail.Scenarios[i-1].Loss)
		}
	}
	if math.Abs(total-tail.Loss) > 1e-9*tail.Loss || math.Abs(share-1) > 1e-9 {
		t.Errorf("scenarios lose %v (share %v), the tail %v", total, share, tail.Loss)
	}

	// Listing fewer scenarios cuts the same ranking.
	r2 := run(t, m, sim.Options{Years: 20_000, Seed: 9, TailScenarios: 2})
	if diff := cmp.Diff(tail.Scenarios[:2], r2.Tail.Scenarios); diff != "" || r2.Tail.Groups != tail.Groups {
		t.Errorf("Run(TailScenarios: 2) mismatch (-want +got):\n%s", diff)
	}
}

// TestDeterministic: the same seed gives the same result whatever the
// number of workers; another seed another.
func TestDeterministic(t *testing.T) {
	maps := map[string]*graph.Map{"northbank": northbank(t), "random": randomMap(42, mapShape{})}
	for name, m := range maps {
		for _, fallbacks := range []bool{false, true} {
			opt := sim.Options{Years: 2500, Seed: 77, Fallbacks: fallbacks, Workers: 1}
			want := run(t, m, opt)
			for _, w := range []int{2, 3, 4} {
				opt.Workers = w
				if diff := cmp.Diff(want, run(t, m, opt)); diff != "" {
					t.Errorf("Run(%s, fallbacks %v, %d workers) differs from 1 worker (-1 +%d):\n%s", name, fallbacks, w, w, diff)
				}
			}
			opt.Seed++
			if cmp.Equal(want, run(t, m, opt)) {
				t.Errorf("Run(%s, fallbacks %v): seeds 77 and 78 give the same result", name, fallbacks)
			}
		}
	}
}

// TestAlignStartsKeepsDraws: aligning the starts changes when outages
// begin, not which vendors fail.
func TestAlignStartsKeepsDraws(t *testing.T) {
	m := northbank(t)
	a := run(t, m, sim.Options{Years: 3000, Seed: 1})
	b := run(t, m, sim.Options{Years: 3000, Seed: 1, AlignStarts: true})
	if diff := cmp.Diff(a.Vendors, b.Vendors); diff != "" || a.YearsWithOutage != b.YearsWithOutage {
		t.Errorf("AlignStarts changed the failures (-staggered +aligned):\n%s", diff)
	}
}

// TestProgress: the callback sees the years done grow up to the total,
// from the calling goroutine.
func TestProgress(t *testing.T) {
	m := graph.NewMap("progress", []*graph.Node{
		{ID: "f", Kind: graph.KindFunction, Requires: graph.Refs("v"), ImpactPerHour: 1},
		{ID: "v", Kind: graph.KindVendor, Probability: prob(0.5)},
	}, nil)
	var calls [][2]int
	inside := true
	_, err := sim.Run(context.Background(), m, sim.Options{Years: 30_000, Seed: 1, Progress: func(done, total int) {
		if !inside {
			t.Errorf("Progress(%d, %d) called after Run returned", done, total)
		}
		calls = append(calls, [2]int{done, total})
	}})
	inside = false
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) == 0 || calls[len(calls)-1] != [2]int{30_000, 30_000} {
		t.Fatalf("Progress calls %v, want the last (30000, 30000)", calls)
	}
	for i, c := range calls {
		if c[1] != 30_000 || c[0] <= 0 || i > 0 && c[0] <= calls[i-1][0] {
			t.Errorf("Progress calls %v: not increasing towards 30000", calls)
			break
		}
	}
}

// TestCancel: Run stops with the context's error.
func TestCancel(t *testing.T) {
	m := graph.NewMap("cancel", []*graph.Node{
		{ID: "f", Kind: graph.KindFunction, Requires: graph.Refs("v"), ImpactPerHour: 1},
		{ID: "v", Kind: graph.KindVendor, Probability: prob(0.5)},
	}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sim.Run(ctx, m, sim.Options{Years: 1000}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run(cancelled) error %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := sim.Run(ctx, m, sim.Options{Years: 50_000_000}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run(deadline) error %v, want context.DeadlineExceeded", err)
	}
}

// TestErrors: bad options and maps give errors, not results.
func TestErrors(t *testing.T) {
	good := graph.NewMap("good", []*graph.Node{{ID: "v", Kind: graph.KindVendor, Probability: prob(0.1)}}, nil)
	bad := graph.NewMap("bad", []*graph.Node{{ID: "v", Kind: graph.KindVendor, Probability: prob(1.5)}}, nil)
	tests := []struct {
		name string
		m    *graph.Map
		opt  sim.Options
	}{
		{"nil map", nil, sim.Options{}},
		{"probability", bad, sim.Options{Years: 10}},
		{"years", good, sim.Options{Years: -1}},
		{"workers", good, sim.Options{Workers: -2}},
		{"negative sigma", good, sim.Options{Sigma: -0.5}},
		{"NaN sigma", good, sim.Options{Sigma: math.NaN()}},
		{"infinite sigma", good, sim.Options{Sigma: math.Inf(1)}},
		{"default duration", good, sim.Options{DefaultDuration: -graph.Hour}},
		{"negative horizon", good, sim.Options{Horizon: -graph.Hour}},
		{"long horizon", good, sim.Options{Horizon: graph.MaxDuration + 1}},
		{"tail quantile 1", good, sim.Options{TailQuantile: 1}},
		{"negative tail quantile", good, sim.Options{TailQuantile: -0.5}},
	}
	for _, tt := range tests {
		if r, err := sim.Run(context.Background(), tt.m, tt.opt); err == nil {
			t.Errorf("Run(%s) = %+v, want an error", tt.name, r)
		}
	}
}

// TestNothingFails: a map without probabilities costs nothing and
// computes no time line.
func TestNothingFails(t *testing.T) {
	m := graph.NewMap("quiet", []*graph.Node{
		{ID: "f", Kind: graph.KindFunction, Requires: graph.Refs("v"), ImpactPerHour: 1},
		{ID: "v", Kind: graph.KindVendor},
	}, nil)
	r := run(t, m, sim.Options{Years: 500})
	if r.TimeLines != 0 || r.YearsWithOutage != 0 || r.Total != (sim.Loss{}) || r.Tail.Years != 0 ||
		len(r.Tail.Scenarios) != 0 || r.Tail.Scenarios == nil || len(r.Vendors) != 0 {
		t.Errorf("Run(quiet) = %+v, want nothing", r)
	}
}
