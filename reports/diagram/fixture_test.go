package diagram_test

import (
	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// fixtureMap is a small bank: three functions, five systems, nine vendors
// (edr a fourth party under two bureaus and a processor), an any group, a
// 2-of-3 group, a list nested in an any group, and a fallback. Results
// below are written out by hand, so that these tests do not depend on the
// analyses.
func fixtureMap() *graph.Map {
	d := graph.MustDuration
	fn := func(id, name string, tier graph.Tier, tol, owner string, req *graph.Expr) *graph.Node {
		t := d(tol)
		return &graph.Node{ID: id, Kind: graph.KindFunction, Name: name, Tier: tier, Tolerance: &t, Owner: owner, Requires: req}
	}
	sys := func(id, name, owner string, req *graph.Expr) *graph.Node {
		return &graph.Node{ID: id, Kind: graph.KindSystem, Name: name, Owner: owner, Requires: req}
	}
	ven := func(id, name, parent, country string, req *graph.Expr) *graph.Node {
		return &graph.Node{ID: id, Kind: graph.KindVendor, Name: name, Parent: parent, Country: country, Requires: req}
	}
	r, any, all := graph.Ref, graph.Any, graph.All
	nodes := []*graph.Node{
		fn("pay", "Retail payments", graph.TierCore, "4h", "Head of Payments", all(r("core"), any(r("swift-a"), r("swift-b")))),
		fn("cards", "Card payments (authorisation at point of sale)", graph.TierCore, "2h", "Head of Cards",
			all(r("card-host"), any(r("proc-a"), r("proc-b")))),
		fn("intranet", "Intranet", graph.TierSupporting, "3d", "", graph.Refs("office")),
		sys("core", "Core banking", "Head of Payments", all(graph.AtLeast(2, r("dc-a"), r("dc-b"), r("dc-c")))),
		sys("swift-a", "SWIFT, primary", "Head of Payments", graph.Refs("bureau-a")),
		sys("swift-b", "SWIFT, disaster recovery", "Head of Payments", graph.Refs("bureau-b")),
		sys("card-host", "Card host", "Head of Cards", all(any(all(r("dc-a"), r("net")), r("cloud")))),
		sys("office", "Office suite", "", graph.Refs("cloud")),
		sys("net", "Network", "Head of Cards", graph.Refs("telco")),
		ven("bureau-a", `Bureau "A" & Co <EU>`, "Bureau Holdings", "BE", graph.Refs("edr")),
		ven("bureau-b", "Bureau B", "", "DE", graph.Refs("edr")),
		ven("proc-a", "Processor A", "", "NL", graph.Refs("edr")),
		ven("proc-b", "Processor B", "", "NL", nil),
		ven("cloud", "Example Cloud", "Example Inc.", "US", nil),
		ven("telco", "Telco", "", "DE", nil),
		ven("dc-a", "Data centre A", "Colo Group", "DE", nil),
		ven("dc-b", "Data centre B", "Colo Group", "DE", nil),
		ven("dc-c", "Data centre C", "", "DE", nil),
		ven("edr", "Shield EDR", "Shield Inc.", "US", nil),
	}
	e := d("2d")
	fbs := []*graph.Fallback{{ID: "manual-pay", For: "pay", Name: "Manual payments by phone", Requires: graph.Refs("office"),
		Activation: d("1h"), Endurance: &e, Capacity: 0.3, Owner: "Head of Payments"}}
	m := graph.NewMap("Fixture Bank", nodes, fbs)
	m.Currency = "EUR"
	return m
}

// fixtureStatic is edr down with fallbacks on.
func fixtureStatic() *impact.Result {
	return &impact.Result{
		Failed:    []string{"edr"},
		Fallbacks: true,
		Down:      []string{"bureau-a", "bureau-b", "edr", "proc-a", "swift-a", "swift-b"},
		Functions: []impact.FunctionResult{
			{ID: "cards", Name: "Card payments (authorisation at point of sale)", Tier: graph.TierCore},
			{ID: "intranet", Name: "Intranet", Tier: graph.TierSupporting},
			{ID: "pay", Name: "Retail payments", Tier: graph.TierCore},
		},
	}
}

// fixtureTimeline is edr down for 8h with fallbacks on: the bureaus and
// processor A go down at once, pay halts at once, runs on its fallback
// from 1h and is up again at 8h; cards stays up on processor B.
func fixtureTimeline() *impact.TimelineResult {
	d := graph.MustDuration
	p := func(s string) *graph.Duration { x := d(s); return &x }
	iv := func(from, to string) impact.Interval { return impact.Interval{From: d(from), To: p(to)} }
	four := d("4h")
	return &impact.TimelineResult{
		Outages:   []impact.Outage{{ID: "edr", Duration: d("8h")}},
		Fallbacks: true,
		Horizon:   d("7d"),
		Settled:   true,
		Nodes: []impact.NodeTimeline{
			{ID: "bureau-a", Kind: graph.KindVendor, Down: []impact.Interval{iv("0", "8h")}},
			{ID: "bureau-b", Kind: graph.KindVendor, Down: []impact.Interval{iv("0", "8h")}},
			{ID: "edr", Kind: graph.KindVendor, Down: []impact.Interval{iv("0", "8h")}},
			{ID: "pay", Kind: graph.KindFunction, Down: []impact.Interval{iv("0", "1h")}},
			{ID: "proc-a", Kind: graph.KindVendor, Down: []impact.Interval{iv("0", "8h")}},
			{ID: "swift-a", Kind: graph.KindSystem, Down: []impact.Interval{iv("2h", "8h")}},
			{ID: "swift-b", Kind: graph.KindSystem, Down: []impact.Interval{iv("5h", "8h")}},
		},
		Functions: []impact.FunctionTimeline{
			{ID: "cards", Name: "Card payments (authorisation at point of sale)", Tier: graph.TierCore},
			{ID: "intranet", Name: "Intranet", Tier: graph.TierSupporting},
			{ID: "pay", Name: "Retail payments", Tier: graph.TierCore, Tolerance: &four,
				Down: []impact.Interval{iv("5h", "8h")}, HaltedAt: p("5h"), RestoredAt: p("8h"),
				BreachAt: nil,
				Degraded: []impact.DegradedInterval{{Interval: iv("3h", "5h"), Fallback: "manual-pay", Capacity: 0.3}}},
		},
		FallbackUse: []impact.FallbackTimeline{
			{ID: "manual-pay", For: "pay", Active: []impact.Interval{iv("3h", "5h")}, Holding: []impact.Interval{iv("3h", "5h")}},
		},
	}
}

// fixtureBreach is the time line of a longer outage in which pay breaches
// its tolerance.
func fixtureBreach() *impact.TimelineResult {
	tl := fixtureTimeline()
	d := graph.MustDuration
	b := d("9h")
	tl.Outages[0] = impact.Outage{ID: "edr", Forever: true}
	tl.Functions[2].Down = []impact.Interval{{From: d("5h")}}
	tl.Functions[2].RestoredAt = nil
	tl.Functions[2].BreachAt = &b
	return tl
}

// fixtureMVC is the minimum viable company of the core functions.
func fixtureMVC() *mvc.Result {
	return &mvc.Result{
		Targets: []string{"cards", "pay"},
		Functions: []mvc.Function{
			{ID: "cards", Name: "Card payments (authorisation at point of sale)", Tier: graph.TierCore, Reason: mvc.Core, Via: []string{"cards"}},
			{ID: "pay", Name: "Retail payments", Tier: graph.TierCore, Reason: mvc.Core, Via: []string{"pay"}},
		},
		Supply: mvc.Supply{
			Vendors: []mvc.Vendor{{ID: "bureau-b", Name: "Bureau B"}, {ID: "cloud", Name: "Example Cloud"},
				{ID: "dc-b", Name: "Data centre B"}, {ID: "dc-c", Name: "Data centre C"}, {ID: "edr", Name: "Shield EDR", Required: false},
				{ID: "proc-b", Name: "Processor B"}},
			Value: 6, Optimal: true, Canonical: true, LowerBound: 6,
		},
		Shed: mvc.Shed{Functions: []string{"intranet"}, Systems: []string{}, Vendors: []string{}},
	}
}
