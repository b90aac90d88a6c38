package gaps

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
)

func TestResponsibilityGaps(t *testing.T) {
	core, sup := graph.TierCore, graph.TierSupporting
	full := graph.Responsibility{Monitor: "NOC", Respond: "Ops", Repair: "Eng"}
	m := mapOf(t,
		nd{id: "f1", req: "s1, s2, any(s4, s5)", tier: core},
		nd{id: "f2", req: "s2, s6", tier: core},
		nd{id: "f3", req: "s3", tier: sup},
		nd{id: "s1", req: "v1, v2", resp: full},
		nd{id: "s2", resp: graph.Responsibility{Monitor: "tbd", Respond: "", Repair: "Eng"}},
		nd{id: "s3", resp: graph.Responsibility{Monitor: "TBD"}}, // not on a core path
		nd{id: "s4", resp: graph.Responsibility{Monitor: " TBD ", Respond: "Ops", Repair: "To be decided"}},
		nd{id: "s5", resp: full},
		nd{id: "s6", req: "s7"},
		nd{id: "s7"}, // no responsibility at all: every role missing
		nd{id: "v1", resp: graph.Responsibility{Monitor: "Vendor desk"}},
		nd{id: "v2"}, // a vendor without responsibility is not checked
	)
	want := []ResponsibilityGap{
		{ID: "s2", Name: "s2", Kind: S, Missing: []string{RoleMonitor, RoleRespond}, Core: []string{"f1", "f2"}},
		{ID: "s4", Name: "s4", Kind: S, Missing: []string{RoleMonitor}, Core: []string{"f1"}},
		{ID: "s6", Name: "s6", Kind: S, Missing: []string{RoleMonitor, RoleRespond, RoleRepair}, Core: []string{"f2"}},
		{ID: "s7", Name: "s7", Kind: S, Missing: []string{RoleMonitor, RoleRespond, RoleRepair}, Core: []string{"f2"}},
		{ID: "v1", Name: "v1", Kind: V, Missing: []string{RoleRespond, RoleRepair}, Core: []string{"f1"}},
	}
	got := Analyze(m, Options{}).Responsibility
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Analyze().Responsibility mismatch (-want +got):\n%s", diff)
	}
}

func TestResponsibilityFallbackPaths(t *testing.T) {
	m := mapOf(t,
		nd{id: "f", req: "s1", tier: graph.TierCore},
		nd{id: "s1", resp: graph.Responsibility{Monitor: "a", Respond: "b", Repair: "c"}},
		nd{id: "s2"}, // needed only by f's fallback
	)
	m = graph.NewMap("fb", m.Nodes, []*graph.Fallback{{ID: "f/fb", For: "f", Requires: graph.Ref("s2"), Capacity: 1}})
	if got := Analyze(m, Options{}).Responsibility; got != nil {
		t.Errorf("Analyze(no fallbacks).Responsibility = %+v, want none", got)
	}
	want := []ResponsibilityGap{{ID: "s2", Name: "s2", Kind: S, Missing: []string{RoleMonitor, RoleRespond, RoleRepair}, Core: []string{"f"}}}
	if diff := cmp.Diff(want, Analyze(m, Options{Fallbacks: true}).Responsibility); diff != "" {
		t.Errorf("Analyze(fallbacks).Responsibility mismatch (-want +got):\n%s", diff)
	}
}

func TestSinglePointGaps(t *testing.T) {
	core := graph.TierCore
	m := mapOf(t,
		nd{id: "f1", req: "v1, v2, v3, any(v4, v5), v6", tier: core, impact: 10},
		nd{id: "f2", req: "v7, v2", tier: graph.TierSupporting},
		nd{id: "v1"}, // no contract
		nd{id: "v2", contract: &graph.Contract{ExitPlan: " tbd ", Substitutability: "None"}},
		nd{id: "v3", contract: &graph.Contract{ExitPlan: "EXIT-1", Substitutability: "hard"}},
		nd{id: "v4"}, nd{id: "v5"}, // redundant: not single points
		nd{id: "v6", req: "vh", contract: &graph.Contract{ExitPlan: "EXIT-6"}},
		nd{id: "vh"}, // hidden behind v6
		nd{id: "v7"}, // halts a supporting function only
		nd{id: "v8", contract: &graph.Contract{ExitPlan: "EXIT-8", Substitutability: "none"}}, // used by nobody
	)
	want := []SinglePointGap{
		{Vendor: "v1", Name: "v1", Core: []string{"f1"}, NoContract: true, NoExitPlan: true},
		{Vendor: "v2", Name: "v2", Core: []string{"f1"}, NoExitPlan: true, NoSubstitute: true},
		{Vendor: "vh", Name: "vh", Hidden: true, Core: []string{"f1"}, NoContract: true, NoExitPlan: true},
	}
	got := Analyze(m, Options{}).SinglePoints
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Analyze().SinglePoints mismatch (-want +got):\n%s", diff)
	}
}

func TestReviewGaps(t *testing.T) {
	ct := func(reviewed string) *graph.Contract {
		return &graph.Contract{Ref: "C-" + reviewed, Reviewed: reviewed}
	}
	date := func(s string) time.Time {
		x, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	m := mapOf(t,
		nd{id: "v1", contract: ct("2025-11-24")}, // exactly 12 months: current
		nd{id: "v2", contract: ct("2025-11-23")}, // one day over
		nd{id: "v3", contract: ct("")},
		nd{id: "v4", contract: ct("24/11/2025")},
		nd{id: "v5", contract: ct("2026-12-01")},
		nd{id: "v6"}, // no contract: not checked
		nd{id: "v7", contract: ct("2024-02-29")},
		nd{id: "v8", contract: ct("2023-01-31")},
		nd{id: "v9", contract: ct("2026-11-24T09:30:00+01:00")},
	)
	for _, tc := range []struct {
		name   string
		asOf   time.Time
		months int
		want   []ReviewGap
	}{{
		name: "as of 2026-11-24",
		asOf: time.Date(2026, 11, 24, 23, 59, 0, 0, time.FixedZone("x", -5*3600)),
		want: []ReviewGap{
			{Vendor: "v8", Name: "v8", Ref: "C-2023-01-31", Reviewed: "2023-01-31", Status: ReviewOverdue, Due: "2024-01-31", DaysOverdue: 1028},
			{Vendor: "v7", Name: "v7", Ref: "C-2024-02-29", Reviewed: "2024-02-29", Status: ReviewOverdue, Due: "2025-02-28", DaysOverdue: 634},
			{Vendor: "v2", Name: "v2", Ref: "C-2025-11-23", Reviewed: "2025-11-23", Status: ReviewOverdue, Due: "2026-11-23", DaysOverdue: 1},
			{Vendor: "v3", Name: "v3", Ref: "C-", Status: ReviewMissing},
			{Vendor: "v4", Name: "v4", Ref: "C-24/11/2025", Reviewed: "24/11/2025", Status: ReviewUnparseable},
			{Vendor: "v5", Name: "v5", Ref: "C-2026-12-01", Reviewed: "2026-12-01", Status: ReviewFuture},
		},
	}, {
		name: "leap day stays current to the end of February",
		asOf: date("2025-02-28"),
		want: []ReviewGap{
			{Vendor: "v8", Name: "v8", Ref: "C-2023-01-31", Reviewed: "2023-01-31", Status: ReviewOverdue, Due: "2024-01-31", DaysOverdue: 394},
			{Vendor: "v3", Name: "v3", Ref: "C-", Status: ReviewMissing},
			{Vendor: "v4", Name: "v4", Ref: "C-24/11/2025", Reviewed: "24/11/2025", Status: ReviewUnparseable},
			{Vendor: "v2", Name: "v2", Ref: "C-2025-11-23", Reviewed: "2025-11-23", Status: ReviewFuture},
			{Vendor: "v1", Name: "v1", Ref: "C-2025-11-24", Reviewed: "2025-11-24", Status: ReviewFuture},
			{Vendor: "v9", Name: "v9", Ref: "C-2026-11-24T09:30:00+01:00", Reviewed: "2026-11-24T09:30:00+01:00", Status: ReviewFuture},
			{Vendor: "v5", Name: "v5", Ref: "C-2026-12-01", Reviewed: "2026-12-01", Status: ReviewFuture},
		},
	}, {
		name:   "a shorter review period",
		asOf:   date("2024-03-01"),
		months: 1,
		want: []ReviewGap{
			{Vendor: "v8", Name: "v8", Ref: "C-2023-01-31", Reviewed: "2023-01-31", Status: ReviewOverdue, Due: "2023-02-28", DaysOverdue: 367},
			{Vendor: "v3", Name: "v3", Ref: "C-", Status: ReviewMissing},
			{Vendor: "v4", Name: "v4", Ref: "C-24/11/2025", Reviewed: "24/11/2025", Status: ReviewUnparseable},
			{Vendor: "v2", Name: "v2", Ref: "C-2025-11-23", Reviewed: "2025-11-23", Status: ReviewFuture},
			{Vendor: "v1", Name: "v1", Ref: "C-2025-11-24", Reviewed: "2025-11-24", Status: ReviewFuture},
			{Vendor: "v9", Name: "v9", Ref: "C-2026-11-24T09:30:00+01:00", Reviewed: "2026-11-24T09:30:00+01:00", Status: ReviewFuture},
			{Vendor: "v5", Name: "v5", Ref: "C-2026-12-01", Reviewed: "2026-12-01", Status: ReviewFuture},
		},
	}, {
		name: "no date: only missing and unparseable",
		want: []ReviewGap{
			{Vendor: "v3", Name: "v3", Ref: "C-", Status: ReviewMissing},
			{Vendor: "v4", Name: "v4", Ref: "C-24/11/2025", Reviewed: "24/11/2025", Status: ReviewUnparseable},
		},
	}} {
		got := Analyze(m, Options{AsOf: tc.asOf, ReviewMonths: tc.months}).Reviews
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Analyze(%s).Reviews mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-11-24", 12, "2026-11-24"},
		{"2025-12-31", 2, "2026-02-28"},
		{"2025-03-31", -1, "2025-02-28"},
	} {
		from, _ := time.Parse(time.DateOnly, tc.from)
		if got := addMonths(from, tc.n).Format(time.DateOnly); got != tc.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestExposure(t *testing.T) {
	core := graph.TierCore
	m := mapOf(t,
		nd{id: "f1", req: "s1", tier: core, impact: 1000},
		nd{id: "f2", req: "vw", impact: 100},
		nd{id: "f3", req: "s3", impact: 500},
		nd{id: "f4", req: "vf", impact: 200},
		nd{id: "s1", req: "v", restore: "2h"},
		nd{id: "s3", req: "vb", buffer: "1h"},
		nd{id: "v", outage: "4h", contract: &graph.Contract{LiabilityCap: 3000}},
		nd{id: "vw"}, // default outage, no contract
		nd{id: "vb", outage: "30m", contract: &graph.Contract{LiabilityCap: 10}}, // absorbed by s3's buffer
		nd{id: "vf", outage: "10h", contract: &graph.Contract{LiabilityCap: 100}},
		nd{id: "vs", req: "any(vw, v)"}, // halts nothing
	)
	fbs := []*graph.Fallback{{ID: "f4/manual", For: "f4", Activation: d("2h"), Capacity: 0.25}}
	m = graph.NewMap("exposure", m.Nodes, fbs)

	want := []Exposure{
		{Vendor: "v", Name: "v", Outage: d("4h"), OutageGiven: true, Loss: 6000, LiabilityCap: 3000, Uncovered: 3000,
			Functions: []FunctionLoss{{Function: "f1", DownHours: 6, Loss: 6000}}},
		{Vendor: "vw", Name: "vw", Outage: DefaultOutage, Loss: 2400, Uncovered: 2400,
			Functions: []FunctionLoss{{Function: "f2", DownHours: 24, Loss: 2400}}},
		{Vendor: "vf", Name: "vf", Outage: d("10h"), OutageGiven: true, Loss: 2000, LiabilityCap: 100, Uncovered: 1900,
			Functions: []FunctionLoss{{Function: "f4", DownHours: 10, Loss: 2000}}},
		{Vendor: "vb", Name: "vb", Outage: d("30m"), OutageGiven: true, LiabilityCap: 10},
	}
	if diff := cmp.Diff(want, Analyze(m, Options{}).Exposure); diff != "" {
		t.Errorf("Analyze().Exposure mismatch (-want +got):\n%s", diff)
	}

	// With fallbacks f4 runs on its manual fallback after 2h at a quarter
	// of its capacity, and vf no longer halts it statically.
	want = []Exposure{want[0], want[1], want[3]}
	if diff := cmp.Diff(want, Analyze(m, Options{Fallbacks: true}).Exposure); diff != "" {
		t.Errorf("Analyze(fallbacks).Exposure mismatch (-want +got):\n%s", diff)
	}

	// A longer default outage.
	got := Analyze(m, Options{DefaultOutage: d("48h")}).Exposure
	if got[0].Vendor != "vw" || got[0].Loss != 4800 || got[0].Outage != d("48h") {
		t.Errorf("Analyze(DefaultOutage 48h).Exposure[0] = %+v, want vw losing 4800", got[0])
	}
}

// TestExposureDegraded checks a loss scaled by a fallback's capacity: v1
// halts fg alone, and f runs on a manual fallback at 40% after an hour.
func TestExposureDegraded(t *testing.T) {
	m := mapOf(t,
		nd{id: "f", req: "v1", impact: 100, tier: graph.TierCore},
		nd{id: "fg", req: "v1", impact: 10},
		nd{id: "v1", outage: "10h"},
		nd{id: "v2"},
	)
	m = graph.NewMap("degraded", m.Nodes, []*graph.Fallback{{ID: "f/manual", For: "f", Requires: graph.Ref("v2"), Activation: d("1h"), Capacity: 0.4}})
	want := []Exposure{{Vendor: "v1", Name: "v1", Outage: d("10h"), OutageGiven: true, Loss: 740, Uncovered: 740,
		Functions: []FunctionLoss{{Function: "f", DownHours: 1, DegradedHours: 9, Loss: 640}, {Function: "fg", DownHours: 10, Loss: 100}}}}
	if diff := cmp.Diff(want, Analyze(m, Options{Fallbacks: true}).Exposure, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Analyze(fallbacks).Exposure mismatch (-want +got):\n%s", diff)
	}
	// Without fallbacks the fallback plays no part.
	want = []Exposure{{Vendor: "v1", Name: "v1", Outage: d("10h"), OutageGiven: true, Loss: 1100, Uncovered: 1100,
		Functions: []FunctionLoss{{Function: "f", DownHours: 10, Loss: 1000}, {Function: "fg", DownHours: 10, Loss: 100}}}}
	if diff := cmp.Diff(want, Analyze(m, Options{}).Exposure); diff != "" {
		t.Errorf("Analyze().Exposure mismatch (-want +got):\n%s", diff)
	}
}

// TestExposureStatic checks the stand-in used when no time line can be
// computed: a negative outage duration.
func TestExposureStatic(t *testing.T) {
	m := mapOf(t,
		nd{id: "f", req: "v", impact: 100},
		nd{id: "v"},
	)
	neg := graph.Duration(-graph.Hour)
	m.Node("v").OutageDuration = &neg
	got := Analyze(m, Options{}).Exposure
	want := []Exposure{{Vendor: "v", Name: "v", Outage: neg, OutageGiven: true, Static: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Analyze(negative outage).Exposure mismatch (-want +got):\n%s", diff)
	}
}
