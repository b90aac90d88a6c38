package assess_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// bank: card payments need any of two processors, both on one EDR agent;
// payments need the core platform.
func bank() *graph.Map {
	tol := graph.MustDuration("2h")
	out := graph.MustDuration("8h")
	return graph.NewMap("test", []*graph.Node{
		{ID: "cards", Kind: graph.KindFunction, Tier: graph.TierCore, Tolerance: &tol, ImpactPerHour: 100,
			Requires: graph.All(graph.Any(graph.Ref("proc-a"), graph.Ref("proc-b")))},
		{ID: "payments", Kind: graph.KindFunction, Tier: graph.TierCore, ImpactPerHour: 50, Requires: graph.Refs("core")},
		{ID: "core", Kind: graph.KindSystem, Requires: graph.Refs("saas")},
		{ID: "saas", Kind: graph.KindVendor, OutageDuration: &out},
		{ID: "proc-a", Kind: graph.KindVendor, Requires: graph.Refs("edr")},
		{ID: "proc-b", Kind: graph.KindVendor, Requires: graph.Refs("edr")},
		{ID: "edr", Kind: graph.KindVendor},
	}, nil)
}

func TestGather(t *testing.T) {
	m := bank()
	a, err := assess.Gather(context.Background(), m, assess.GatherOptions{MVC: mvc.Options{MaxNodes: 1 << 20}})
	if err != nil {
		t.Fatalf("Gather: %v", err)
	}
	var partners []string
	for _, p := range a.Partners.CriticalPartners {
		partners = append(partners, p.Vendor)
	}
	slices.Sort(partners)
	if want := []string{"edr", "saas"}; !slices.Equal(partners, want) {
		t.Errorf("Gather: critical partners %v, want %v", partners, want)
	}
	// Every partner alone has its time line, for its own typical outage.
	for _, c := range []struct {
		id  string
		d   graph.Duration
		fn  string
		now bool
	}{{"saas", graph.MustDuration("8h"), "payments", true}, {"edr", assess.DefaultOutage, "cards", true}} {
		o := a.Outcome([]string{c.id}, c.d)
		if o == nil {
			t.Fatalf("Gather: no outcome for %s down %s", c.id, c.d)
		}
		halted := false
		for _, f := range o.Without.Functions {
			if f.ID == c.fn && f.HaltedAt != nil {
				halted = true
			}
		}
		if halted != c.now {
			t.Errorf("Outcome(%s, %s): %s halted %v, want %v", c.id, c.d, c.fn, halted, c.now)
		}
		if o.Recovery == nil {
			t.Errorf("Outcome(%s, %s): no recovery order", c.id, c.d)
		}
	}
	// The pair proc-a + proc-b is an order-2 cut set of cards: its joint
	// outage is there too.
	if o := a.Outcome([]string{"proc-b", "proc-a"}, assess.DefaultOutage); o == nil {
		t.Errorf("Gather: no outcome for the order-2 cut set proc-a + proc-b")
	}
	if s := a.Supports["edr"]; !slices.Equal(s.Through, []string{"cards"}) || len(s.Direct) != 0 {
		t.Errorf("Gather: edr supports %+v, want cards through other vendors only", s)
	}
}

func TestScenario(t *testing.T) {
	m := bank()
	o, err := assess.Scenario(m, []string{"edr"}, graph.MustDuration("3h"))
	if err != nil {
		t.Fatalf("Scenario(edr, 3h): %v", err)
	}
	for _, f := range o.Without.Functions {
		if f.ID == "cards" && (f.BreachAt == nil || *f.BreachAt != graph.MustDuration("2h")) {
			t.Errorf("Scenario(edr, 3h): cards breach at %v, want 2h", f.BreachAt)
		}
	}
	var unknown *impact.UnknownNodeError
	if _, err := assess.Scenario(m, []string{"edrr"}, graph.Hour); !errors.As(err, &unknown) {
		t.Errorf("Scenario(edrr): error %v, want an unknown-node error", err)
	}
	if _, err := assess.Scenario(m, nil, graph.Hour); err == nil {
		t.Error("Scenario(no node): no error")
	}
	if _, err := assess.Scenario(nil, []string{"edr"}, graph.Hour); err == nil {
		t.Error("Scenario(nil map): no error")
	}
}
