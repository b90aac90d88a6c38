package mvc_test

import (
	"context"
	"fmt"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// exampleMap is a payments function on a core-banking system in a cloud
// that needs a DNS provider, with two SWIFT routes, and a marketing
// function the MVC can do without.
func exampleMap() *graph.Map {
	req := func(s string) *graph.Expr {
		e, err := graph.ParseExpr(s, graph.Pos{})
		if err != nil {
			panic(err)
		}
		return e
	}
	restore := 2 * graph.Hour
	return graph.NewMap("example", []*graph.Node{
		{ID: "retail-payments", Kind: graph.KindFunction, Tier: graph.TierCore, Requires: req("core-banking, any(swift-a, swift-b)")},
		{ID: "marketing", Kind: graph.KindFunction, Tier: graph.TierSupporting, Requires: req("crm")},
		{ID: "core-banking", Kind: graph.KindSystem, Requires: req("cloud"), Restore: &restore},
		{ID: "crm", Kind: graph.KindSystem, Requires: req("crm-saas")},
		{ID: "cloud", Kind: graph.KindVendor, Requires: req("dns")},
		{ID: "dns", Kind: graph.KindVendor},
		{ID: "swift-a", Kind: graph.KindVendor, Contract: &graph.Contract{AnnualFee: 90_000}},
		{ID: "swift-b", Kind: graph.KindVendor, Contract: &graph.Contract{AnnualFee: 60_000}},
		{ID: "crm-saas", Kind: graph.KindVendor},
	}, nil)
}

func ExampleAnalyze() {
	res, err := mvc.Analyze(context.Background(), exampleMap(), mvc.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := res.Supply
	fmt.Println("keep running:", res.Targets)
	for _, v := range s.Vendors {
		fmt.Printf("  %s required=%v\n", v.ID, v.Required)
	}
	fmt.Printf("%v vendors, optimal %v\n", s.Value, s.Optimal)
	for _, t := range s.Ties {
		fmt.Printf("or: replace %v by %v\n", t.Out, t.In)
	}
	fmt.Println("shed:", res.Shed.Functions, res.Shed.Systems, res.Shed.Vendors)
	// Output:
	// keep running: [retail-payments]
	//   cloud required=true
	//   dns required=true
	//   swift-b required=false
	// 3 vendors, optimal true
	// or: replace [swift-b] by [swift-a]
	// shed: [marketing] [crm] [crm-saas]
}

func ExampleAnalyze_cost() {
	res, err := mvc.Analyze(context.Background(), exampleMap(), mvc.Options{Minimize: mvc.MinCost})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := res.Supply
	fmt.Println(ids(s.Vendors), s.Cost, "unpriced:", s.Unpriced)
	// Output:
	// [cloud dns swift-b] 60000 unpriced: [cloud dns]
}

func ExampleRecover() {
	rec, err := mvc.Recover(exampleMap(), []impact.Outage{{ID: "dns", Duration: graph.Hour}}, mvc.RecoveryOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range rec.Steps {
		fmt.Printf("%d. %s up at %s (after %v)\n", i+1, s.ID, *s.UpAt, s.After)
	}
	fmt.Println("MVC back at", *rec.RestoredAt, "critical path", rec.CriticalPath)
	// Output:
	// 1. dns up at 1h (after [])
	// 2. cloud up at 1h (after [dns])
	// 3. core-banking up at 3h (after [cloud])
	// 4. retail-payments up at 3h (after [core-banking])
	// MVC back at 3h critical path [dns cloud core-banking retail-payments]
}
