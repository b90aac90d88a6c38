package impact_test

import (
	"fmt"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

func exampleMap() *graph.Map {
	req := func(s string) *graph.Expr {
		e, err := graph.ParseExpr(s, graph.Pos{})
		if err != nil {
			panic(err)
		}
		return e
	}
	return graph.NewMap("example", []*graph.Node{
		{ID: "payments", Kind: graph.KindFunction, Tier: graph.TierCore, Requires: req("core-banking, any(card-processor, card-backup)")},
		{ID: "core-banking", Kind: graph.KindSystem, Requires: req("cloud-eu-west")},
		{ID: "cloud-eu-west", Kind: graph.KindVendor, Requires: req("dns-provider")},
		{ID: "dns-provider", Kind: graph.KindVendor},
		{ID: "card-processor", Kind: graph.KindVendor, Requires: req("edr-agent")},
		{ID: "card-backup", Kind: graph.KindVendor, Requires: req("edr-agent")},
		{ID: "edr-agent", Kind: graph.KindVendor},
	}, nil)
}

func ExampleStatic() {
	r, err := impact.Static(exampleMap(), []string{"dns-provider"}, impact.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("down:", r.Down)
	for _, f := range r.Functions {
		fmt.Println(f.ID, f.Down, f.Because)
	}
	_, err = impact.Static(exampleMap(), []string{"dns-providr"}, impact.Options{})
	fmt.Println(err)
	// Output:
	// down: [cloud-eu-west core-banking dns-provider payments]
	// payments true [payments core-banking cloud-eu-west dns-provider]
	// unknown node "dns-providr" (did you mean "dns-provider"?)
}

func ExampleSweeper_Sweep() {
	c := graph.Compile(exampleMap(), graph.CompileOptions{})
	ev := impact.VendorEvents(c)
	b := impact.NewSweeper(c).Sweep(ev, nil)
	for i, name := range ev.Names {
		var halts []string
		for _, v := range b.Halts(i) {
			halts = append(halts, c.Map.Nodes[v].ID)
		}
		fmt.Println(name, halts)
	}
	// Output:
	// card-backup []
	// card-processor []
	// cloud-eu-west [payments]
	// dns-provider [payments]
	// edr-agent [payments]
}
