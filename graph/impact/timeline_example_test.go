package impact_test

import (
	"fmt"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// A cloud region down for 8 hours, under a core system that rides out 2
// hours on its buffer and needs 1 hour to restore, under a payments
// function with a 4-hour tolerance; then the same with a manual process
// that takes over after an hour at 30% capacity.
func ExampleTimeline() {
	d := graph.MustDuration
	nodes := []*graph.Node{
		{ID: "cloud-eu-west", Kind: graph.KindVendor},
		{ID: "core-banking", Kind: graph.KindSystem, Requires: graph.Refs("cloud-eu-west"),
			Buffer: d("2h").Ptr(), Restore: d("1h").Ptr()},
		{ID: "call-centre", Kind: graph.KindSystem},
		{ID: "retail-payments", Kind: graph.KindFunction, Requires: graph.Refs("core-banking"),
			Tolerance: d("4h").Ptr(), ImpactPerHour: 120000},
	}
	manual := &graph.Fallback{ID: "manual-payments", For: "retail-payments", Requires: graph.Refs("call-centre"),
		Activation: d("1h"), Endurance: d("48h").Ptr(), Capacity: 0.3}
	m := graph.NewMap("Example Bank", nodes, []*graph.Fallback{manual})
	outage := []impact.Outage{{ID: "cloud-eu-west", Duration: d("8h")}}
	moment := func(p *graph.Duration) string {
		if p == nil {
			return "-"
		}
		return p.String()
	}
	for _, fallbacks := range []bool{false, true} {
		r, err := impact.Timeline(m, outage, impact.TimelineOptions{Fallbacks: fallbacks})
		if err != nil {
			fmt.Println(err)
			return
		}
		f := r.Functions[0]
		fmt.Printf("fallbacks %v: down %v, halted at %s, restored at %s, breach at %s, %g hours down, %g hours degraded, loss %.0f\n",
			fallbacks, f.Down, moment(f.HaltedAt), moment(f.RestoredAt), moment(f.BreachAt), f.DownHours, f.DegradedHours, f.Loss)
	}
	// Output:
	// fallbacks false: down [[2h, 9h)], halted at 2h, restored at 9h, breach at 6h, 7 hours down, 0 hours degraded, loss 840000
	// fallbacks true: down [[2h, 3h)], halted at 2h, restored at 3h, breach at -, 1 hours down, 6 hours degraded, loss 624000
}
