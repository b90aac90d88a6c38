package partners_test

import (
	"fmt"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

func ExampleAnalyze() {
	req := func(s string) *graph.Expr {
		e, err := graph.ParseExpr(s, graph.Pos{})
		if err != nil {
			panic(err)
		}
		return e
	}
	m := graph.NewMap("example", []*graph.Node{
		{ID: "payments", Kind: graph.KindFunction, Tier: graph.TierCore, ImpactPerHour: 50000,
			Requires: req("any(card-processor, card-backup)")},
		{ID: "card-processor", Kind: graph.KindVendor, Requires: req("edr-agent")},
		{ID: "card-backup", Kind: graph.KindVendor, Requires: req("edr-agent")},
		{ID: "edr-agent", Kind: graph.KindVendor},
	}, nil)
	r := partners.Analyze(m, partners.Options{})
	for _, p := range r.CriticalPartners {
		fmt.Println(p.Vendor, p.Halts, p.Core, p.ImpactPerHour, p.Hidden, p.Via)
	}
	for _, h := range r.HiddenSuppliers {
		fmt.Println(h.Vendor, "through", h.Through, "halts", h.Halts, "chain", h.Chains[0])
	}
	// Output:
	// edr-agent [payments] 1 50000 true [card-processor]
	// edr-agent through [card-backup card-processor] halts [payments] chain [payments card-processor edr-agent]
}
