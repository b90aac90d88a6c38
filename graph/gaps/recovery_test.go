package gaps

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
)

func st(id string, k graph.Kind, t, basis string) Step {
	return Step{ID: id, Kind: k, Time: d(t), Basis: basis}
}

func cold(s Step) Step { s.ColdStart = true; return s }

const (
	F = graph.KindFunction
	S = graph.KindSystem
	V = graph.KindVendor
)

func TestRecoveryGaps(t *testing.T) {
	core := graph.TierCore
	for _, tc := range []struct {
		name  string
		nodes []nd
		want  []RecoveryGap
	}{{
		name: "list takes the slowest",
		nodes: []nd{
			{id: "f", req: "a, b", tol: "2h", tier: core},
			{id: "a", req: "v1", restore: "2h"},
			{id: "b", req: "v2", restore: "3h"},
			{id: "v1"}, {id: "v2"},
		},
		want: []RecoveryGap{{Function: "f", Name: "f", Tier: core, Recovery: d("3h"), Tolerance: dp("2h"),
			Limit: d("2h"), LimitBy: "tolerance", Over: d("1h"), OverTolerance: true,
			Chain: []string{"f", "b", "v2"},
			Steps: []Step{st("f", F, "0", ""), st("b", S, "3h", "restore"), st("v2", V, "0", "")}}},
	}, {
		name: "any takes the fastest",
		nodes: []nd{
			{id: "f", req: "any(a, b)", tol: "1h", tier: core},
			{id: "a", req: "v1", restore: "2h"},
			{id: "b", req: "v2", restore: "3h"},
			{id: "v1"}, {id: "v2"},
		},
		want: []RecoveryGap{{Function: "f", Name: "f", Tier: core, Recovery: d("2h"), Tolerance: dp("1h"),
			Limit: d("1h"), LimitBy: "tolerance", Over: d("1h"), OverTolerance: true,
			Chain: []string{"f", "a", "v1"},
			Steps: []Step{st("f", F, "0", ""), st("a", S, "2h", "restore"), st("v1", V, "0", "")}}},
	}, {
		name: "atleast takes the k-th fastest",
		nodes: []nd{
			{id: "f", req: "2of(a, b, c)", rto: "1h"},
			{id: "a", restore: "1h"}, {id: "b", restore: "3h"}, {id: "c", restore: "2h"},
		},
		want: []RecoveryGap{{Function: "f", Name: "f", Recovery: d("2h"), RTO: dp("1h"),
			Limit: d("1h"), LimitBy: "rto", Over: d("1h"), OverRTO: true,
			Chain: []string{"f", "c"},
			Steps: []Step{st("f", F, "0", ""), st("c", S, "2h", "restore")}}},
	}, {
		name: "nested groups add up along the chain",
		nodes: []nd{
			{id: "f", req: "a", tol: "3h", tier: core},
			{id: "a", req: "any(b, all(c, d))", restore: "1h"},
			{id: "b", restore: "5h"}, {id: "c", restore: "1h"}, {id: "d", req: "v", rto: "90m"},
			{id: "v", restore: "30m"},
		},
		// a = 1h + min(5h, max(1h, 90m+30m)) = 3h: no gap at exactly 3h.
		want: nil,
	}, {
		name: "nested groups over the limit",
		nodes: []nd{
			{id: "f", req: "a", tol: "2h59m", tier: core},
			{id: "a", req: "any(b, all(c, d))", restore: "1h"},
			{id: "b", restore: "5h"}, {id: "c", restore: "1h"}, {id: "d", req: "v", rto: "90m"},
			{id: "v", restore: "30m"},
		},
		want: []RecoveryGap{{Function: "f", Name: "f", Tier: core, Recovery: d("3h"), Tolerance: dp("2h59m"),
			Limit: d("2h59m"), LimitBy: "tolerance", Over: d("1m"), OverTolerance: true,
			Chain: []string{"f", "a", "d", "v"},
			Steps: []Step{st("f", F, "0", ""), st("a", S, "1h", "restore"), st("d", S, "90m", "rto"), st("v", V, "30m", "restore")}}},
	}, {
		name: "restore wins over rto; a function counts its restore, not its rto",
		nodes: []nd{
			{id: "f", req: "a", restore: "30m", rto: "1h", tol: "4h"},
			{id: "a", restore: "1h", rto: "9h"},
		},
		// 30m + 1h = 90m > rto 1h, within tolerance 4h.
		want: []RecoveryGap{{Function: "f", Name: "f", Recovery: d("90m"), Tolerance: dp("4h"), RTO: dp("1h"),
			Limit: d("1h"), LimitBy: "rto", Over: d("30m"), OverRTO: true,
			Chain: []string{"f", "a"},
			Steps: []Step{st("f", F, "30m", "restore"), st("a", S, "1h", "restore")}}},
	}, {
		name: "the tighter limit is the tolerance when it is below the rto",
		nodes: []nd{
			{id: "f", req: "a", rto: "5h", tol: "2h"},
			{id: "a", rto: "6h"},
		},
		want: []RecoveryGap{{Function: "f", Name: "f", Recovery: d("6h"), Tolerance: dp("2h"), RTO: dp("5h"),
			Limit: d("2h"), LimitBy: "tolerance", Over: d("4h"), OverTolerance: true, OverRTO: true,
			Chain: []string{"f", "a"},
			Steps: []Step{st("f", F, "0", ""), st("a", S, "6h", "rto")}}},
	}, {
		name: "functions without limits are not checked",
		nodes: []nd{
			{id: "f", req: "a"},
			{id: "a", rto: "6h"},
		},
	}, {
		name: "recovery deadlock is cold-started: sum of the cycle's times after its support",
		nodes: []nd{
			{id: "f", req: "a", tol: "1h", tier: core},
			{id: "a", req: "b, v1", restore: "1h"},
			{id: "b", req: "a", rto: "2h"},
			{id: "v1", restore: "30m"},
		},
		want: []RecoveryGap{{Function: "f", Name: "f", Tier: core, Recovery: d("3h30m"), Tolerance: dp("1h"),
			Limit: d("1h"), LimitBy: "tolerance", Over: d("2h30m"), OverTolerance: true,
			Chain:     []string{"f", "a", "b", "v1"},
			Steps:     []Step{st("f", F, "0", ""), cold(st("a", S, "1h", "restore")), cold(st("b", S, "2h", "rto")), st("v1", V, "30m", "restore")},
			ColdStart: true}},
	}, {
		name: "circular backup waits for outside support (pessimistic reading)",
		nodes: []nd{
			{id: "f", req: "a, b", tol: "1h", tier: core},
			{id: "a", req: "any(va, b)", restore: "1h"},
			{id: "b", req: "any(vb, a)", restore: "1h"},
			{id: "va", restore: "5h"}, {id: "vb", restore: "7h"},
		},
		// a is back at 5h+1h; b then has a and is back at 7h, before vb
		// (7h) + 1h.
		want: []RecoveryGap{{Function: "f", Name: "f", Tier: core, Recovery: d("7h"), Tolerance: dp("1h"),
			Limit: d("1h"), LimitBy: "tolerance", Over: d("6h"), OverTolerance: true,
			Chain: []string{"f", "b", "a", "va"},
			Steps: []Step{st("f", F, "0", ""), st("b", S, "1h", "restore"), st("a", S, "1h", "restore"), st("va", V, "5h", "restore")}}},
	}, {
		name: "a node requiring itself",
		nodes: []nd{
			{id: "f", req: "a", tol: "1h"},
			{id: "a", req: "a, v", restore: "2h"},
			{id: "v", restore: "1h"},
		},
		want: []RecoveryGap{{Function: "f", Name: "f", Recovery: d("3h"), Tolerance: dp("1h"),
			Limit: d("1h"), LimitBy: "tolerance", Over: d("2h"), OverTolerance: true,
			Chain:     []string{"f", "a", "v"},
			Steps:     []Step{st("f", F, "0", ""), cold(st("a", S, "2h", "restore")), st("v", V, "1h", "restore")},
			ColdStart: true}},
	}, {
		name: "order: core first, then most over, then id",
		nodes: []nd{
			{id: "f1", req: "a", tol: "1h", tier: graph.TierSupporting},
			{id: "f2", req: "a", tol: "2h", tier: core},
			{id: "f3", req: "a", tol: "1h", tier: core},
			{id: "f4", req: "a", tol: "2h", tier: core},
			{id: "a", restore: "3h"},
		},
		want: []RecoveryGap{
			{Function: "f3", Name: "f3", Tier: core, Recovery: d("3h"), Tolerance: dp("1h"), Limit: d("1h"), LimitBy: "tolerance",
				Over: d("2h"), OverTolerance: true, Chain: []string{"f3", "a"}, Steps: []Step{st("f3", F, "0", ""), st("a", S, "3h", "restore")}},
			{Function: "f2", Name: "f2", Tier: core, Recovery: d("3h"), Tolerance: dp("2h"), Limit: d("2h"), LimitBy: "tolerance",
				Over: d("1h"), OverTolerance: true, Chain: []string{"f2", "a"}, Steps: []Step{st("f2", F, "0", ""), st("a", S, "3h", "restore")}},
			{Function: "f4", Name: "f4", Tier: core, Recovery: d("3h"), Tolerance: dp("2h"), Limit: d("2h"), LimitBy: "tolerance",
				Over: d("1h"), OverTolerance: true, Chain: []string{"f4", "a"}, Steps: []Step{st("f4", F, "0", ""), st("a", S, "3h", "restore")}},
			{Function: "f1", Name: "f1", Tier: graph.TierSupporting, Recovery: d("3h"), Tolerance: dp("1h"), Limit: d("1h"), LimitBy: "tolerance",
				Over: d("2h"), OverTolerance: true, Chain: []string{"f1", "a"}, Steps: []Step{st("f1", F, "0", ""), st("a", S, "3h", "restore")}},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			m := mapOf(t, tc.nodes...)
			got := Analyze(m, Options{}).Recovery
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Analyze(%s).Recovery mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

func TestRecoveryIgnoresFallbacks(t *testing.T) {
	m := mapOf(t,
		nd{id: "f", req: "a", tol: "1h"},
		nd{id: "a", restore: "2h"},
	)
	m = graph.NewMap("fb", m.Nodes, []*graph.Fallback{{ID: "f/fb", For: "f", Capacity: 1}})
	for _, fb := range []bool{false, true} {
		got := Analyze(m, Options{Fallbacks: fb}).Recovery
		if len(got) != 1 || got[0].Recovery != d("2h") {
			t.Errorf("Analyze(fallbacks=%v).Recovery = %+v, want one gap of 2h", fb, got)
		}
	}
}

func TestAnalyzeNil(t *testing.T) {
	if diff := cmp.Diff(&Report{}, Analyze(nil, Options{})); diff != "" {
		t.Errorf("Analyze(nil) mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&Report{}, Analyze(graph.NewMap("empty", nil, nil), Options{})); diff != "" {
		t.Errorf("Analyze(empty) mismatch (-want +got):\n%s", diff)
	}
}
