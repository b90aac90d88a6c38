package sim_test

import (
	"context"
	"fmt"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
)

// A payments function on a cloud region with a 5% yearly chance of an
// 8-hour outage, and on one of two message networks, each with a 20%
// chance of a 2-day outage. Over 10,000 years the payments stop in about
// 5% of the years: whenever the cloud fails, and a little more often,
// when the two networks' outages happen to overlap. Every cloud outage
// costs the same 800,000 here (fixed durations), so the years at P99 are
// all the cloud years.
func ExampleRun() {
	p := func(x float64) *float64 { return &x }
	d := graph.MustDuration
	m := graph.NewMap("Example Bank", []*graph.Node{
		{ID: "payments", Kind: graph.KindFunction, ImpactPerHour: 100_000, Tolerance: d("4h").Ptr(),
			Requires: graph.All(graph.Ref("cloud"), graph.Any(graph.Ref("net-a"), graph.Ref("net-b")))},
		{ID: "cloud", Kind: graph.KindVendor, Probability: p(0.05), OutageDuration: d("8h").Ptr()},
		{ID: "net-a", Kind: graph.KindVendor, Probability: p(0.2), OutageDuration: d("2d").Ptr()},
		{ID: "net-b", Kind: graph.KindVendor, Probability: p(0.2), OutageDuration: d("2d").Ptr()},
	}, nil)
	r, err := sim.Run(context.Background(), m, sim.Options{Years: 10_000, Seed: 1, FixedDurations: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := r.Functions[0]
	fmt.Printf("expected annual loss %.0f ± %.0f, P99 %.0f\n", r.Total.Mean, r.Total.StdErr, r.Total.P99)
	fmt.Printf("payments halt in %.2f%% of the years and breach in %.2f%%\n", 100*f.HaltFrequency, 100*f.BreachFrequency)
	for _, s := range r.Tail.Scenarios {
		fmt.Printf("tail: %v in %d years, %.0f%% of the tail loss\n", s.Vendors, s.Years, 100*s.Share)
	}
	// Output:
	// expected annual loss 40464 ± 1814, P99 800000
	// payments halt in 4.98% of the years and breach in 4.97%
	// tail: [cloud] in 492 years, 97% of the tail loss
	// tail: [net-a net-b] in 3 years, 2% of the tail loss
	// tail: [cloud net-b] in 2 years, 0% of the tail loss
}
