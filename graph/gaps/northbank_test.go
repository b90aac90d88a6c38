package gaps_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gaps"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
)

// northbank loads the shipped example workspace.
func northbank(t *testing.T) *graph.Map {
	t.Helper()
	m, ps, err := registry.Load(context.Background(), []registry.Spec{{Path: "map", Base: "../../examples/northbank"}})
	if err != nil {
		t.Fatalf("Load(northbank): %v", err)
	}
	if m == nil {
		t.Fatalf("Load(northbank): no map: %v", ps)
	}
	return m
}

var asOf = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// TestNorthbank checks the deliberate gaps of the example: TBD
// responsibilities, contracts without an exit plan, reviews older than 12
// months.
func TestNorthbank(t *testing.T) {
	m := northbank(t)
	r := gaps.Analyze(m, gaps.Options{AsOf: asOf})

	// TBD responsibilities on core paths. Two more TBDs (observability,
	// the marketing platform) serve no core function.
	wantResp := []gaps.ResponsibilityGap{
		{ID: "container-platform", Kind: graph.KindSystem, Missing: []string{gaps.RoleRepair}, Core: []string{"digital-banking"}},
		{ID: "edge-protection", Kind: graph.KindSystem, Missing: []string{gaps.RoleRespond}, Core: []string{"digital-banking"}},
	}
	if diff := cmp.Diff(wantResp, r.Responsibility, cmpopts.IgnoreFields(gaps.ResponsibilityGap{}, "Name")); diff != "" {
		t.Errorf("Analyze(northbank).Responsibility mismatch (-want +got):\n%s", diff)
	}
	tbd := 0
	for _, n := range m.Nodes {
		for _, p := range []string{n.Responsibility.Monitor, n.Responsibility.Respond, n.Responsibility.Repair} {
			if strings.EqualFold(p, "TBD") {
				tbd++
			}
		}
	}
	if tbd != 4 {
		t.Errorf("northbank has %d TBD responsibilities, want 4", tbd)
	}

	// Single points of failure of core functions without a way out: the
	// two hidden suppliers have no contract; the payment hub and the card
	// scheme have no exit plan; the central bank has no substitute.
	wantSP := []gaps.SinglePointGap{
		{Vendor: "sentinel-shield-edr", Hidden: true, Core: []string{"card-payments", "treasury-liquidity"}, NoContract: true, NoExitPlan: true},
		{Vendor: "anchorpoint-dns", Hidden: true, Core: []string{"digital-banking"}, NoContract: true, NoExitPlan: true},
		{Vendor: "transflow-payment-hub", Core: []string{"retail-payments"}, NoExitPlan: true},
		{Vendor: "orbis-card-scheme", Core: []string{"card-payments"}, NoExitPlan: true, NoSubstitute: true},
		{Vendor: "central-bank-rtgs", Core: []string{"treasury-liquidity"}, NoSubstitute: true},
	}
	if diff := cmp.Diff(wantSP, r.SinglePoints, cmpopts.IgnoreFields(gaps.SinglePointGap{}, "Name")); diff != "" {
		t.Errorf("Analyze(northbank).SinglePoints mismatch (-want +got):\n%s", diff)
	}
	// The four contracts without an exit plan: two are core single points
	// (above), two serve no core function alone.
	var noExit []string
	for _, n := range m.Nodes {
		if n.Contract != nil && n.Contract.ExitPlan == "" {
			noExit = append(noExit, n.ID)
		}
	}
	if want := []string{"brightsend-marketing", "orbis-card-scheme", "transflow-payment-hub", "voxline-ccaas"}; !slices.Equal(noExit, want) {
		t.Errorf("northbank contracts without exit plan = %v, want %v", noExit, want)
	}

	// Reviews last done in early or mid 2025.
	wantRev := []gaps.ReviewGap{
		{Vendor: "brightsend-marketing", Ref: "CTR-2022-0240", Reviewed: "2025-02-03", Status: gaps.ReviewOverdue, Due: "2026-02-03", DaysOverdue: 294},
		{Vendor: "quantis-market-data", Ref: "CTR-2019-0071", Reviewed: "2025-04-11", Status: gaps.ReviewOverdue, Due: "2026-04-11", DaysOverdue: 227},
		{Vendor: "transflow-payment-hub", Ref: "CTR-2022-0208", Reviewed: "2025-06-30", Status: gaps.ReviewOverdue, Due: "2026-06-30", DaysOverdue: 147},
		{Vendor: "voxline-ccaas", Ref: "CTR-2022-0233", Reviewed: "2025-09-19", Status: gaps.ReviewOverdue, Due: "2026-09-19", DaysOverdue: 66},
	}
	if diff := cmp.Diff(wantRev, r.Reviews, cmpopts.IgnoreFields(gaps.ReviewGap{}, "Name")); diff != "" {
		t.Errorf("Analyze(northbank).Reviews mismatch (-want +got):\n%s", diff)
	}

	// The directory and the identity provider require each other: a
	// recovery deadlock, cold-started on the chains through them.
	var coldChain []string
	for _, g := range r.Recovery {
		var sum graph.Duration
		for _, s := range g.Steps {
			sum += s.Time
			if s.ColdStart && !slices.Contains(coldChain, s.ID) {
				coldChain = append(coldChain, s.ID)
			}
		}
		if sum != g.Recovery || g.Chain[0] != g.Function {
			t.Errorf("Analyze(northbank).Recovery %s: steps add up to %s, recovery %s, chain %v", g.Function, sum, g.Recovery, g.Chain)
		}
	}
	slices.Sort(coldChain)
	if want := []string{"directory-service", "identity-provider"}; !slices.Equal(coldChain, want) {
		t.Errorf("Analyze(northbank).Recovery cold-starts %v, want %v", coldChain, want)
	}

	// The hidden supplier without a contract leaves its whole loss
	// uncovered, more than anyone else; the core banking contract's cap
	// covers its typical outage.
	if len(r.Exposure) == 0 {
		t.Fatal("Analyze(northbank).Exposure is empty")
	}
	if x := r.Exposure[0]; x.Vendor != "sentinel-shield-edr" || x.Loss <= 0 || x.Uncovered != x.Loss || x.Outage != graph.Day {
		t.Errorf("Analyze(northbank).Exposure[0] = %+v, want sentinel-shield-edr with its 1d loss uncovered", x)
	}
	for _, x := range r.Exposure {
		if x.Vendor == "corvex-core-saas" && (x.Uncovered != 0 || x.Loss <= 0 || x.LiabilityCap != 8400000) {
			t.Errorf("Analyze(northbank).Exposure corvex-core-saas = %+v, want a loss within its cap", x)
		}
		if x.Static || len(x.NotRestored) > 0 {
			t.Errorf("Analyze(northbank).Exposure %s: static %v, not restored %v", x.Vendor, x.Static, x.NotRestored)
		}
	}

	// With fallbacks, the card scheme's stand-in and spreadsheet liquidity
	// management take Sentinel Shield off the core single points.
	rf := gaps.Analyze(m, gaps.Options{AsOf: asOf, Fallbacks: true})
	for _, g := range rf.SinglePoints {
		if g.Vendor == "sentinel-shield-edr" {
			t.Errorf("Analyze(northbank, fallbacks).SinglePoints lists %+v", g)
		}
	}
}

// TestMaxTimelines checks that exposures beyond the bound use the static
// stand-in, in partners' ranking, and that the bounded ones are the same
// time-line figures as without a bound.
func TestMaxTimelines(t *testing.T) {
	m := northbank(t)
	full := gaps.Analyze(m, gaps.Options{AsOf: asOf, MaxTimelines: -1})
	one := gaps.Analyze(m, gaps.Options{AsOf: asOf, MaxTimelines: 1})
	rank := partners.Analyze(m, partners.Options{}).CriticalPartners
	if len(rank) < 2 || len(one.Exposure) != len(rank) {
		t.Fatalf("Analyze(northbank, MaxTimelines 1): %d exposures for %d partners", len(one.Exposure), len(rank))
	}
	byVendor := map[string]gaps.Exposure{}
	for _, x := range full.Exposure {
		byVendor[x.Vendor] = x
	}
	for _, x := range one.Exposure {
		first := x.Vendor == rank[0].Vendor
		if x.Static == first {
			t.Errorf("Analyze(northbank, MaxTimelines 1).Exposure %s: static %v, want %v", x.Vendor, x.Static, !first)
		}
		if first && x.Loss != byVendor[x.Vendor].Loss {
			t.Errorf("Analyze(northbank, MaxTimelines 1).Exposure %s: loss %v, want %v", x.Vendor, x.Loss, byVendor[x.Vendor].Loss)
		}
	}
}
