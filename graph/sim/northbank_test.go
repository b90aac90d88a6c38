package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
)

// northbank loads the shipped example workspace's map.
func northbank(tb testing.TB) *graph.Map {
	tb.Helper()
	m, ps, err := registry.Load(context.Background(), []registry.Spec{{Path: "map", Base: "../../examples/northbank"}})
	if err != nil {
		tb.Fatal(err)
	}
	if m == nil {
		tb.Fatalf("northbank: no map: %v", ps)
	}
	return m
}

// BenchmarkNorthbank100k simulates 100,000 years of the shipped example
// on every core.
func BenchmarkNorthbank100k(b *testing.B) {
	m := northbank(b)
	for b.Loop() {
		r, err := sim.Run(context.Background(), m, sim.Options{Years: 100_000, Seed: 1, Fallbacks: true})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(r.TimeLines), "timelines")
	}
}

// TestNorthbank simulates the shipped example and checks what must hold
// of any result: each vendor fails in about a fraction p of the years,
// the function losses add up to the total, quantiles are ordered, no
// function breaches more often than it halts, and the tail scenarios
// account for the tail's loss.
func TestNorthbank(t *testing.T) {
	m := northbank(t)
	const years = 20_000
	r := run(t, m, sim.Options{Years: years, Seed: 2026, Fallbacks: true, TailScenarios: -1})
	if got, want := len(r.Functions), len(m.OfKind(graph.KindFunction)); got != want || want == 0 {
		t.Fatalf("%d functions in the result, %d in the map", got, want)
	}
	none := 1.0
	for _, v := range r.Vendors {
		none *= 1 - v.Probability
		p := v.Probability
		within(t, "failure frequency of "+v.ID, float64(v.Failures)/years, p, math.Sqrt(p*(1-p)/years), 4.5)
	}
	within(t, "years with an outage", float64(r.YearsWithOutage)/years, 1-none, math.Sqrt(none*(1-none)/years), 4)
	sum := 0.0
	for _, f := range r.Functions {
		sum += f.Loss.Mean
		l := f.Loss
		if !(0 <= l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) || l.Mean < 0 || l.Mean > l.Max {
			t.Errorf("%s: loss %+v out of order", f.ID, l)
		}
		if f.BreachYears > f.HaltYears || f.HaltYears > r.YearsWithOutage {
			t.Errorf("%s: %d breach years, %d halt years, %d years with an outage", f.ID, f.BreachYears, f.HaltYears, r.YearsWithOutage)
		}
	}
	if math.Abs(sum-r.Total.Mean) > 1e-9*r.Total.Mean || r.Total.Mean == 0 {
		t.Errorf("function means add up to %v, the total mean is %v", sum, r.Total.Mean)
	}
	l := r.Total
	if !(0 <= l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("total loss %+v out of order", l)
	}
	if r.Tail.Threshold != l.P99 || r.Tail.Years < years/100 {
		t.Errorf("tail: %d years from %v, total P99 %v", r.Tail.Years, r.Tail.Threshold, l.P99)
	}
	share := 0.0
	for _, s := range r.Tail.Scenarios {
		share += s.Share
	}
	if math.Abs(share-1) > 1e-9 {
		t.Errorf("tail scenario shares add up to %v", share)
	}
	if r.Unrestored != 0 {
		t.Errorf("%d years with a node never restored", r.Unrestored)
	}
	t.Logf("northbank, %d years: expected annual loss %.0f ± %.0f, P50 %.0f, P95 %.0f, P99 %.0f, max %.0f; %d time lines",
		years, l.Mean, l.StdErr, l.P50, l.P95, l.P99, l.Max, r.TimeLines)
	for _, f := range r.Functions {
		t.Logf("  %-28s mean %10.0f  P99 %10.0f  halt %.4f  breach %.4f", f.ID, f.Loss.Mean, f.Loss.P99, f.HaltFrequency, f.BreachFrequency)
	}
	for i, s := range r.Tail.Scenarios[:min(8, len(r.Tail.Scenarios))] {
		t.Logf("  tail %d: %v in %d years, %.1f%% of the tail loss", i+1, s.Vendors, s.Years, 100*s.Share)
	}
}
