package gaps

import (
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// nd describes a node for mapOf. Durations are in the map form; "" leaves
// the attribute unset.
type nd struct {
	id, req           string
	kind              graph.Kind
	tier              graph.Tier
	restore, rto, tol string
	buffer, outage    string
	impact            float64
	resp              graph.Responsibility
	contract          *graph.Contract
}

func dur(t testing.TB, s string) *graph.Duration {
	t.Helper()
	if s == "" {
		return nil
	}
	d, err := graph.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func expr(t testing.TB, s string) *graph.Expr {
	t.Helper()
	e, err := graph.ParseExpr(s, graph.Pos{})
	if err != nil {
		t.Fatalf("ParseExpr(%q): %v", s, err)
	}
	return e
}

// mapOf builds a map from node descriptions; kind defaults by the id's
// first letter: f function, v vendor, anything else system.
func mapOf(t testing.TB, ns ...nd) *graph.Map {
	t.Helper()
	var nodes []*graph.Node
	for _, x := range ns {
		k := x.kind
		if k == 0 {
			switch x.id[0] {
			case 'f':
				k = graph.KindFunction
			case 'v':
				k = graph.KindVendor
			default:
				k = graph.KindSystem
			}
		}
		n := &graph.Node{ID: x.id, Kind: k, Tier: x.tier, Requires: expr(t, x.req),
			Restore: dur(t, x.restore), RTO: dur(t, x.rto), Tolerance: dur(t, x.tol),
			Buffer: dur(t, x.buffer), OutageDuration: dur(t, x.outage), ImpactPerHour: x.impact,
			Responsibility: x.resp, Contract: x.contract}
		nodes = append(nodes, n)
	}
	return graph.NewMap("test", nodes, nil)
}

func d(s string) graph.Duration { return graph.MustDuration(s) }

func dp(s string) *graph.Duration { x := graph.MustDuration(s); return &x }
