package partners

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// spec is a node in the one-line form the tests write maps in.
type spec struct {
	id, kind, req string
	tier          graph.Tier
	impact        float64
	parent        string
}

type fbSpec struct{ id, forID, req string }

func build(t testing.TB, nodes []spec, fbs ...fbSpec) *graph.Map {
	t.Helper()
	batch := &graph.Batch{Source: "test.yaml", Importer: "test"}
	for i, s := range nodes {
		k, ok := graph.ParseKind(s.kind)
		if !ok {
			t.Fatalf("bad kind %q", s.kind)
		}
		e, err := graph.ParseExpr(s.req, graph.Pos{})
		if err != nil {
			t.Fatalf("%s: %v", s.id, err)
		}
		batch.Nodes = append(batch.Nodes, &graph.Node{ID: s.id, Kind: k, Requires: e, Tier: s.tier,
			ImpactPerHour: s.impact, Parent: s.parent, Source: graph.Pos{File: "test.yaml", Line: i + 1}})
	}
	for i, f := range fbs {
		e, err := graph.ParseExpr(f.req, graph.Pos{})
		if err != nil {
			t.Fatalf("%s: %v", f.id, err)
		}
		batch.Fallbacks = append(batch.Fallbacks, &graph.Fallback{ID: f.id, For: f.forID, Requires: e, Capacity: 1,
			Source: graph.Pos{File: "test.yaml", Line: 100 + i}})
	}
	b := graph.NewBuilder()
	b.Add(batch)
	m, ps := b.Build()
	if m == nil {
		t.Fatalf("invalid test map: %v", ps)
	}
	return m
}

const (
	core = graph.TierCore
	imp  = graph.TierImportant
	sup  = graph.TierSupporting
)

func bank(t testing.TB) *graph.Map {
	return build(t, []spec{
		{id: "retail-payments", kind: "function", tier: core, impact: 120000,
			req: "core-banking, any(swift-primary, swift-dr), 2of(dc-a, dc-b, dc-c)"},
		{id: "core-banking", kind: "system", req: "cloud-eu-west"},
		{id: "swift-primary", kind: "system"},
		{id: "swift-dr", kind: "system"},
		{id: "dc-a", kind: "system"},
		{id: "dc-b", kind: "system"},
		{id: "dc-c", kind: "system"},
		{id: "call-centre", kind: "system"},
		{id: "cloud-eu-west", kind: "vendor", req: "dns-provider"},
		{id: "dns-provider", kind: "vendor"},
	}, fbSpec{id: "manual-payments", forID: "retail-payments", req: "call-centre"})
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name string
		m    *graph.Map
		opt  Options
		want *Report
	}{
		{
			name: "shared supplier under two redundant vendors",
			m: build(t, []spec{
				{id: "payments", kind: "function", tier: core, impact: 50000, req: "any(vendor-a, vendor-b)"},
				{id: "vendor-a", kind: "vendor", req: "edr-agent"},
				{id: "vendor-b", kind: "vendor", req: "edr-agent"},
				{id: "edr-agent", kind: "vendor"},
			}),
			want: &Report{
				SinglePointsOfFailure: []SPOF{{Function: "payments", Name: "payments", Tier: core, Vendors: []string{"edr-agent"}}},
				CriticalPartners: []Partner{{Vendor: "edr-agent", Name: "edr-agent", Halts: []string{"payments"}, Core: 1,
					ImpactPerHour: 50000, Hidden: true, Via: []string{"vendor-a"}}},
				HiddenSuppliers: []Hidden{{Vendor: "edr-agent", Name: "edr-agent", Through: []string{"vendor-a", "vendor-b"},
					Halts: []string{"payments"}, Chains: [][]string{{"payments", "vendor-a", "edr-agent"}}}},
				Concentration: []Concentration{
					{Parent: "edr-agent", Vendors: []string{"edr-agent"}, CoreDependent: []string{"payments"}, CoreHalted: []string{"payments"}},
					{Parent: "vendor-a", Vendors: []string{"vendor-a"}, CoreDependent: []string{"payments"}},
					{Parent: "vendor-b", Vendors: []string{"vendor-b"}, CoreDependent: []string{"payments"}},
				},
			},
		},
		{
			name: "bank without fallbacks: dns is a fourth party",
			m:    bank(t),
			want: &Report{
				SinglePointsOfFailure: []SPOF{{Function: "retail-payments", Name: "retail-payments", Tier: core,
					Vendors: []string{"cloud-eu-west", "dns-provider"}}},
				CriticalPartners: []Partner{
					{Vendor: "cloud-eu-west", Name: "cloud-eu-west", Halts: []string{"retail-payments"}, Core: 1, ImpactPerHour: 120000},
					{Vendor: "dns-provider", Name: "dns-provider", Halts: []string{"retail-payments"}, Core: 1, ImpactPerHour: 120000,
						Hidden: true, Via: []string{"cloud-eu-west"}},
				},
				HiddenSuppliers: []Hidden{{Vendor: "dns-provider", Name: "dns-provider", Through: []string{"cloud-eu-west"},
					Halts:  []string{"retail-payments"},
					Chains: [][]string{{"retail-payments", "core-banking", "cloud-eu-west", "dns-provider"}}}},
				Concentration: []Concentration{
					{Parent: "cloud-eu-west", Vendors: []string{"cloud-eu-west"}, CoreDependent: []string{"retail-payments"}, CoreHalted: []string{"retail-payments"}},
					{Parent: "dns-provider", Vendors: []string{"dns-provider"}, CoreDependent: []string{"retail-payments"}, CoreHalted: []string{"retail-payments"}},
				},
			},
		},
		{
			name: "bank with fallbacks: manual payments remove both",
			m:    bank(t),
			opt:  Options{Fallbacks: true},
			want: &Report{
				Concentration: []Concentration{
					{Parent: "cloud-eu-west", Vendors: []string{"cloud-eu-west"}, CoreDependent: []string{"retail-payments"}},
					{Parent: "dns-provider", Vendors: []string{"dns-provider"}, CoreDependent: []string{"retail-payments"}},
				},
			},
		},
		{
			name: "ranking, tiers, mixed direct and hidden, parents",
			m: build(t, []spec{
				{id: "a-core", kind: "function", tier: core, impact: 10, req: "crm, hub"},
				{id: "b-core", kind: "function", tier: core, impact: 20, req: "pay"},
				{id: "c-imp", kind: "function", tier: imp, impact: 1000, req: "pay, mail"},
				{id: "d-sup", kind: "function", tier: sup, req: "mail"},
				{id: "e-none", kind: "function", req: "mail"},
				{id: "crm", kind: "system", req: "any(crm-eu, crm-us)"},
				{id: "crm-eu", kind: "vendor", req: "hub", parent: "crmco"},
				{id: "crm-us", kind: "vendor", req: "hub", parent: "crmco"},
				{id: "pay", kind: "vendor", req: "hub"},
				{id: "mail", kind: "vendor"},
				{id: "hub", kind: "vendor"},
			}),
			want: &Report{
				SinglePointsOfFailure: []SPOF{
					{Function: "a-core", Name: "a-core", Tier: core, Vendors: []string{"hub"}},
					{Function: "b-core", Name: "b-core", Tier: core, Vendors: []string{"hub", "pay"}},
					{Function: "c-imp", Name: "c-imp", Tier: imp, Vendors: []string{"hub", "mail", "pay"}},
					{Function: "d-sup", Name: "d-sup", Tier: sup, Vendors: []string{"mail"}},
					{Function: "e-none", Name: "e-none", Vendors: []string{"mail"}},
				},
				CriticalPartners: []Partner{
					{Vendor: "hub", Name: "hub", Halts: []string{"a-core", "b-core", "c-imp"}, Core: 2, Important: 1,
						ImpactPerHour: 1030, Hidden: true, Via: []string{"pay"}},
					{Vendor: "pay", Name: "pay", Halts: []string{"b-core", "c-imp"}, Core: 1, Important: 1, ImpactPerHour: 1020},
					{Vendor: "mail", Name: "mail", Halts: []string{"c-imp", "d-sup", "e-none"}, Important: 1, Supporting: 1, ImpactPerHour: 1000},
				},
				HiddenSuppliers: []Hidden{{Vendor: "hub", Name: "hub", Through: []string{"pay"},
					Halts: []string{"b-core", "c-imp"}, Chains: [][]string{{"b-core", "pay", "hub"}, {"c-imp", "pay", "hub"}}}},
				Concentration: []Concentration{
					{Parent: "hub", Vendors: []string{"hub"}, CoreDependent: []string{"a-core", "b-core"}, CoreHalted: []string{"a-core", "b-core"}},
					{Parent: "crmco", Vendors: []string{"crm-eu", "crm-us"}, CoreDependent: []string{"a-core"}, CoreHalted: []string{"a-core"}},
					{Parent: "pay", Vendors: []string{"pay"}, CoreDependent: []string{"b-core"}, CoreHalted: []string{"b-core"}},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyze(tt.m, tt.opt)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Analyze(%s) mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestAnalyzeNil(t *testing.T) {
	if diff := cmp.Diff(&Report{}, Analyze(nil, Options{})); diff != "" {
		t.Errorf("Analyze(nil) mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&Report{}, AnalyzeCircuit(nil)); diff != "" {
		t.Errorf("AnalyzeCircuit(nil) mismatch (-want +got):\n%s", diff)
	}
}
