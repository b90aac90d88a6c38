package cutsets_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
)

func prob(p float64) *float64 { return &p }

func analyze(t *testing.T, m *graph.Map, fallbacks bool, opt cutsets.Options, ids ...string) []cutsets.Target {
	t.Helper()
	c := graph.Compile(m, graph.CompileOptions{Fallbacks: fallbacks})
	var targets []int32
	for _, id := range ids {
		targets = append(targets, int32(m.Index(id)))
	}
	res, err := cutsets.Analyze(context.Background(), c, targets, opt)
	if err != nil {
		t.Fatalf("Analyze(%v, %+v): %v", ids, opt, err)
	}
	return res.Targets
}

// TestTextbook is the classic two-branch system: the function fails when
// A fails or when both B and C fail (it needs A and one of B, C), with
// P(A) = 0.1, P(B) = 0.2, P(C) = 0.3. By hand: P = 1 − 0.9·(1 − 0.2·0.3)
// = 0.154; for A, P1 = 1 and P0 = 0.06; for B, P1 = 0.1 + 0.9·0.3 = 0.37
// and P0 = 0.1; for C, P1 = 0.1 + 0.9·0.2 = 0.28 and P0 = 0.1.
func TestTextbook(t *testing.T) {
	m := graph.NewMap("textbook", []*graph.Node{
		{ID: "T", Kind: graph.KindFunction, Requires: graph.All(graph.Ref("A"), graph.Any(graph.Ref("B"), graph.Ref("C")))},
		{ID: "A", Kind: graph.KindVendor, Probability: prob(0.1)},
		{ID: "B", Kind: graph.KindVendor, Probability: prob(0.2)},
		{ID: "C", Kind: graph.KindVendor, Probability: prob(0.3)},
	}, nil)
	for _, method := range []cutsets.Method{cutsets.BDD, cutsets.CutOff} {
		tr := analyze(t, m, false, cutsets.Options{MaxOrder: 3, Method: method, Importance: true}, "T")[0]
		P := 0.154
		want := cutsets.Target{
			ID: "T", MaxOrder: 3,
			Counts:           map[int]int64{1: 1, 2: 1, 3: 0},
			Total:            2,
			CutSets:          [][]string{{"A"}, {"B", "C"}},
			SetProbabilities: []float64{0.1, 0.06},
			Probability:      prob(P),
			RareEvent:        prob(0.16),
			MinCutUpperBound: prob(0.154),
			Importance: []cutsets.Importance{
				{Event: "A", Probability: 0.1, Birnbaum: 0.94, FussellVesely: 1 - 0.06/P, Diagnosis: 0.1 / P, RAW: 1 / P, RRW: P / 0.06},
				{Event: "B", Probability: 0.2, Birnbaum: 0.27, FussellVesely: 1 - 0.1/P, Diagnosis: 0.2 * 0.37 / P, RAW: 0.37 / P, RRW: P / 0.1},
				{Event: "C", Probability: 0.3, Birnbaum: 0.18, FussellVesely: 1 - 0.1/P, Diagnosis: 0.3 * 0.28 / P, RAW: 0.28 / P, RRW: P / 0.1},
			},
		}
		if diff := cmp.Diff(want, tr, cmp.Comparer(near)); diff != "" {
			t.Errorf("Analyze(T, %s) mismatch (-want +got):\n%s", method, diff)
		}
	}
}

// TestCycles pins down the least-fixpoint reading of cycles.
func TestCycles(t *testing.T) {
	vendors := []*graph.Node{
		{ID: "vA", Kind: graph.KindVendor, Probability: prob(0.1)},
		{ID: "vB", Kind: graph.KindVendor, Probability: prob(0.2)},
	}
	tests := []struct {
		name     string
		a, b     *graph.Expr
		want     [][]string
		wantProb float64
	}{{
		// A and B need each other and their own vendor: either vendor
		// brings both down.
		name: "plain cycle",
		a:    graph.Refs("vA", "B"), b: graph.Refs("vB", "A"),
		want: [][]string{{"vA"}, {"vB"}}, wantProb: 1 - 0.9*0.8,
	}, {
		// Circular backup: A needs vA or B, B needs vB or A. When both
		// vendors fail, A and B still count each other as up (nothing
		// from outside brings them down), so the function never fails.
		name: "circular backup",
		a:    graph.Any(graph.Ref("vA"), graph.Ref("B")), b: graph.Any(graph.Ref("vB"), graph.Ref("A")),
		want: [][]string{}, wantProb: 0,
	}}
	for _, tc := range tests {
		nodes := []*graph.Node{
			{ID: "F", Kind: graph.KindFunction, Requires: graph.Refs("A")},
			{ID: "A", Kind: graph.KindSystem, Requires: tc.a},
			{ID: "B", Kind: graph.KindSystem, Requires: tc.b},
		}
		for _, v := range vendors {
			c := *v
			nodes = append(nodes, &c)
		}
		m := graph.NewMap(tc.name, nodes, nil)
		for _, method := range []cutsets.Method{cutsets.BDD, cutsets.CutOff} {
			tr := analyze(t, m, false, cutsets.Options{MaxOrder: 2, Method: method}, "F")[0]
			if diff := cmp.Diff(tc.want, tr.CutSets); diff != "" {
				t.Errorf("%s, %s: cut sets mismatch (-want +got):\n%s", tc.name, method, diff)
			}
			if !near(*tr.Probability, tc.wantProb) {
				t.Errorf("%s, %s: probability %g, want %g", tc.name, method, *tr.Probability, tc.wantProb)
			}
		}
	}
}

// TestEventKinds checks which nodes count as events.
func TestEventKinds(t *testing.T) {
	m := graph.NewMap("kinds", []*graph.Node{
		{ID: "F", Kind: graph.KindFunction, Requires: graph.Refs("S", "G")},
		{ID: "G", Kind: graph.KindFunction, Requires: graph.Refs("V")},
		{ID: "S", Kind: graph.KindSystem, Requires: graph.Refs("V")},
		{ID: "V", Kind: graph.KindVendor, Requires: graph.Refs("W")},
		{ID: "W", Kind: graph.KindVendor},
	}, nil)
	tests := []struct {
		kind cutsets.EventKind
		want [][]string
	}{
		{cutsets.Vendors, [][]string{{"V"}, {"W"}}},
		{cutsets.Systems, [][]string{{"S"}}},
		// The target itself is never one of its events.
		{cutsets.AllNodes, [][]string{{"G"}, {"S"}, {"V"}, {"W"}}},
	}
	for _, tc := range tests {
		got := analyze(t, m, false, cutsets.Options{Events: tc.kind}, "F")[0].CutSets
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Analyze(F, %s) mismatch (-want +got):\n%s", tc.kind, diff)
		}
		if k, ok := cutsets.ParseEventKind(tc.kind.String()); !ok || k != tc.kind {
			t.Errorf("ParseEventKind(%q) = %v, %v", tc.kind.String(), k, ok)
		}
	}
	if _, ok := cutsets.ParseEventKind("people"); ok {
		t.Error(`ParseEventKind("people") succeeded`)
	}
}

// TestFallbacks: a fallback with its own requirement adds redundancy.
func TestFallbacks(t *testing.T) {
	m := graph.NewMap("fallbacks", []*graph.Node{
		{ID: "F", Kind: graph.KindFunction, Requires: graph.Refs("a")},
		{ID: "a", Kind: graph.KindVendor},
		{ID: "b", Kind: graph.KindVendor},
	}, []*graph.Fallback{{ID: "manual", For: "F", Requires: graph.Refs("b"), Capacity: 1}})
	if got := analyze(t, m, false, cutsets.Options{}, "F")[0].CutSets; !cmp.Equal(got, [][]string{{"a"}}) {
		t.Errorf("without fallbacks: %v, want [[a]]", got)
	}
	if got := analyze(t, m, true, cutsets.Options{}, "F")[0].CutSets; !cmp.Equal(got, [][]string{{"a", "b"}}) {
		t.Errorf("with fallbacks: %v, want [[a b]]", got)
	}
}

// wide is a function needing any 2 of n vendors up: its minimal cut sets
// are every (n−1)-subset.
func wide(n int) *graph.Map {
	nodes := []*graph.Node{{ID: "F", Kind: graph.KindFunction}}
	var refs []*graph.Expr
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("v%02d", i)
		nodes = append(nodes, &graph.Node{ID: id, Kind: graph.KindVendor, Probability: prob(0.5)})
		refs = append(refs, graph.Ref(id))
	}
	nodes[0].Requires = graph.AtLeast(n-1, refs...)
	return graph.NewMap("wide", nodes, nil)
}

func TestLimitAndCountOnly(t *testing.T) {
	m := wide(6) // fails when 2 of 6 fail: 15 pairs
	tr := analyze(t, m, false, cutsets.Options{Limit: 4}, "F")[0]
	want := [][]string{{"v00", "v01"}, {"v00", "v02"}, {"v00", "v03"}, {"v00", "v04"}}
	if diff := cmp.Diff(want, tr.CutSets); diff != "" || !tr.Truncated || tr.Total != 15 || len(tr.SetProbabilities) != 4 {
		t.Errorf("Limit 4: truncated %v, total %d, mismatch (-want +got):\n%s", tr.Truncated, tr.Total, diff)
	}
	tr = analyze(t, m, false, cutsets.Options{CountOnly: true}, "F")[0]
	if tr.CutSets != nil || tr.Total != 15 || tr.Counts[2] != 15 || tr.MinCutUpperBound == nil {
		t.Errorf("CountOnly: sets %v, total %d, counts %v, bound %v", tr.CutSets, tr.Total, tr.Counts, tr.MinCutUpperBound)
	}
	if want := 1 - math.Pow(0.75, 15); !near(*tr.MinCutUpperBound, want) {
		t.Errorf("MinCutUpperBound = %g, want %g", *tr.MinCutUpperBound, want)
	}
	tr = analyze(t, m, false, cutsets.Options{NoProbability: true}, "F")[0]
	if tr.Probability != nil || tr.RareEvent != nil || tr.MinCutUpperBound != nil || tr.SetProbabilities != nil || tr.Total != 15 {
		t.Errorf("NoProbability: probability %v, rare event %v, bound %v, set probabilities %v, total %d",
			tr.Probability, tr.RareEvent, tr.MinCutUpperBound, tr.SetProbabilities, tr.Total)
	}
	// Top by probability: with P(v0) = 0.9 and P(v1) = 0.8, the pairs
	// with them come first; ties keep the usual order.
	*m.Node("v00").Probability, *m.Node("v01").Probability = 0.9, 0.8
	tr = analyze(t, m, false, cutsets.Options{Top: 3, Limit: 1}, "F")[0]
	want = [][]string{{"v00", "v01"}, {"v00", "v02"}, {"v00", "v03"}}
	if diff := cmp.Diff(want, tr.CutSets); diff != "" || !tr.Truncated || !near(tr.SetProbabilities[0], 0.72) || !near(tr.SetProbabilities[2], 0.45) {
		t.Errorf("Top 3: truncated %v, probabilities %v, mismatch (-want +got):\n%s", tr.Truncated, tr.SetProbabilities, diff)
	}
	tr = analyze(t, m, false, cutsets.Options{Top: 2, NoProbability: true}, "F")[0]
	if want := [][]string{{"v00", "v01"}, {"v00", "v02"}}; !cmp.Equal(want, tr.CutSets) || !tr.Truncated {
		t.Errorf("Top 2 without probabilities: %v, want %v", tr.CutSets, want)
	}
	tr = analyze(t, m, false, cutsets.Options{Top: 100}, "F")[0]
	if len(tr.CutSets) != 15 || tr.Truncated || !cmp.Equal(tr.CutSets[14], []string{"v04", "v05"}) {
		t.Errorf("Top 100: %d sets, truncated %v, last %v", len(tr.CutSets), tr.Truncated, tr.CutSets[len(tr.CutSets)-1])
	}
}

// interleaved is a function that fails when x_i and y_i both fail for
// some i, where a system P (which fails only when every x fails) makes
// both variable orders list every x before any y: the BDD then needs
// 2^n nodes while there are only n cut sets of order 2.
func interleaved(n int) *graph.Map {
	nodes := []*graph.Node{{ID: "T", Kind: graph.KindFunction, Requires: graph.Refs("P")}, {ID: "P", Kind: graph.KindSystem}}
	var xs []*graph.Expr
	for i := 0; i < n; i++ {
		x, y, s := fmt.Sprintf("x%02d", i), fmt.Sprintf("y%02d", i), fmt.Sprintf("s%02d", i)
		xs = append(xs, graph.Ref(x))
		nodes = append(nodes,
			&graph.Node{ID: x, Kind: graph.KindVendor, Probability: prob(0.1)},
			&graph.Node{ID: y, Kind: graph.KindVendor, Probability: prob(0.1)},
			&graph.Node{ID: s, Kind: graph.KindSystem, Requires: graph.Any(graph.Ref(x), graph.Ref(y))})
		nodes[0].Requires.Args = append(nodes[0].Requires.Args, graph.Ref(s))
	}
	nodes[1].Requires = graph.Any(xs...)
	return graph.NewMap("interleaved", nodes, nil)
}

func TestErrors(t *testing.T) {
	m := wide(3)
	c := graph.Compile(m, graph.CompileOptions{})
	ctx := context.Background()
	f := int32(m.Index("F"))
	for _, tc := range []struct {
		targets []int32
		opt     cutsets.Options
	}{
		{[]int32{-1}, cutsets.Options{}},
		{[]int32{int32(c.N())}, cutsets.Options{}},
		{[]int32{f, f}, cutsets.Options{}},
		{[]int32{f}, cutsets.Options{MaxOrder: -1}},
	} {
		if _, err := cutsets.Analyze(ctx, c, tc.targets, tc.opt); err == nil {
			t.Errorf("Analyze(%v, %+v) succeeded", tc.targets, tc.opt)
		}
	}
	// Every 11 of 12 vendors: 12 sets, but the diagrams cannot fit in 8
	// nodes.
	big := graph.Compile(wide(12), graph.CompileOptions{})
	_, err := cutsets.Analyze(ctx, big, []int32{0}, cutsets.Options{MaxNodes: 8, Method: cutsets.BDD})
	if !errors.Is(err, cutsets.ErrTooLarge) {
		t.Errorf("MaxNodes 8: err = %v, want ErrTooLarge", err)
	}
	// With the cut-off method the cut sets fit; only the probability is
	// given up, with a note.
	pairs := interleaved(12)
	T := int32(pairs.Index("T"))
	res, err := cutsets.Analyze(ctx, graph.Compile(pairs, graph.CompileOptions{}), []int32{T}, cutsets.Options{MaxOrder: 2, MaxNodes: 2000})
	if err != nil {
		t.Fatalf("MaxNodes 2000, cut-off: %v", err)
	}
	if tr := res.Targets[0]; tr.Total != 12 || tr.Probability != nil || len(tr.Notes) != 1 || tr.RareEvent == nil {
		t.Errorf("MaxNodes 2000, cut-off: total %d, probability %v, notes %q", tr.Total, tr.Probability, tr.Notes)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := cutsets.Analyze(cancelled, c, []int32{f}, cutsets.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestDefaultTargets(t *testing.T) {
	m := graph.NewMap("tiers", []*graph.Node{
		{ID: "a", Kind: graph.KindFunction, Tier: graph.TierImportant},
		{ID: "b", Kind: graph.KindFunction, Tier: graph.TierCore},
		{ID: "c", Kind: graph.KindSystem},
	}, nil)
	if got := cutsets.DefaultTargets(graph.Compile(m, graph.CompileOptions{})); !cmp.Equal(got, []int32{1}) {
		t.Errorf("DefaultTargets = %v, want [1] (the core function)", got)
	}
	m.Nodes[1].Tier = graph.TierNone
	if got := cutsets.DefaultTargets(graph.Compile(m, graph.CompileOptions{})); !cmp.Equal(got, []int32{0, 1}) {
		t.Errorf("DefaultTargets without core = %v, want [0 1]", got)
	}
}
