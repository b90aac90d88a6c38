package impact

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// tlFunc is what the worked examples check of a function: spans as
// text, moments as text ("" for nil), hours and loss.
type tlFunc struct {
	Down, Degraded                 []string
	HaltedAt, RestoredAt, BreachAt string
	DownHours, Loss                float64
}

type tlFb struct{ Active, Holding []string }

func tlSpans(ivs []Interval) []string {
	var out []string
	for _, iv := range ivs {
		out = append(out, iv.String())
	}
	return out
}

func tlMoment(d *graph.Duration) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// tlSummary renders a result for the worked examples.
func tlSummary(r *TimelineResult) (nodes map[string][]string, funcs map[string]tlFunc, fbs map[string]tlFb) {
	nodes = map[string][]string{}
	for _, n := range r.Nodes {
		nodes[n.ID] = tlSpans(n.Down)
	}
	funcs = map[string]tlFunc{}
	for _, f := range r.Functions {
		s := tlFunc{Down: tlSpans(f.Down), HaltedAt: tlMoment(f.HaltedAt), RestoredAt: tlMoment(f.RestoredAt),
			BreachAt: tlMoment(f.BreachAt), DownHours: f.DownHours, Loss: f.Loss}
		for _, d := range f.Degraded {
			s.Degraded = append(s.Degraded, fmt.Sprintf("%s %s %g", d.Interval, d.Fallback, d.Capacity))
		}
		funcs[f.ID] = s
	}
	fbs = map[string]tlFb{}
	for _, f := range r.FallbackUse {
		fbs[f.ID] = tlFb{Active: tlSpans(f.Active), Holding: tlSpans(f.Holding)}
	}
	return nodes, funcs, fbs
}

// tlMap builds a map from one-line node specs, "id kind requires" with
// attributes set by the callers.
func tlMap(t *testing.T, nodes []*graph.Node, fbs ...*graph.Fallback) *graph.Map {
	t.Helper()
	return graph.NewMap("example", nodes, fbs)
}

func tlReq(t *testing.T, s string) *graph.Expr {
	t.Helper()
	e, err := graph.ParseExpr(s, graph.Pos{})
	if err != nil {
		t.Fatalf("ParseExpr(%q): %v", s, err)
	}
	return e
}

func tlDur(s string) *graph.Duration { return graph.MustDuration(s).Ptr() }

// TestTimelineExamples checks worked examples whose figures follow by
// hand from design.md's time semantics.
func TestTimelineExamples(t *testing.T) {
	d := graph.MustDuration
	vendor := func(id string) *graph.Node { return &graph.Node{ID: id, Kind: graph.KindVendor} }
	system := func(id, req, buffer, restore string) *graph.Node {
		n := &graph.Node{ID: id, Kind: graph.KindSystem, Requires: tlReq(t, req)}
		if buffer != "" {
			n.Buffer = tlDur(buffer)
		}
		if restore != "" {
			n.Restore = tlDur(restore)
		}
		return n
	}
	function := func(id, req, tolerance string) *graph.Node {
		n := &graph.Node{ID: id, Kind: graph.KindFunction, Requires: tlReq(t, req), ImpactPerHour: 1000}
		if tolerance != "" {
			n.Tolerance = tlDur(tolerance)
		}
		return n
	}
	manual := func(req, activation, endurance string, capacity float64) *graph.Fallback {
		f := &graph.Fallback{ID: "manual", For: "pay", Activation: d(activation), Capacity: capacity}
		if req != "" {
			f.Requires = tlReq(t, req)
		}
		if endurance != "" {
			f.Endurance = tlDur(endurance)
		}
		return f
	}
	// The base: a vendor behind a system with buffer 2h and restore 1h,
	// behind a function with tolerance 4h losing 1000 an hour.
	base := func(fbs ...*graph.Fallback) *graph.Map {
		return tlMap(t, []*graph.Node{
			vendor("cloud"),
			system("core", "cloud", "2h", "1h"),
			system("call-centre", "", "", ""),
			system("call-centre-2", "cloud", "", ""),
			function("pay", "core", "4h"),
		}, fbs...)
	}
	cloud8h := []Outage{{ID: "cloud", Duration: d("8h")}}

	tests := []struct {
		name      string
		m         *graph.Map
		outages   []Outage
		opt       TimelineOptions
		nodes     map[string][]string
		funcs     map[string]tlFunc
		fallbacks map[string]tlFb
	}{
		{
			name:    "buffer and restore",
			m:       base(),
			outages: cloud8h,
			nodes: map[string][]string{
				"cloud": {"[0, 8h)"}, "call-centre-2": {"[0, 8h)"}, "core": {"[2h, 9h)"}, "pay": {"[2h, 9h)"},
			},
			funcs: map[string]tlFunc{"pay": {Down: []string{"[2h, 9h)"}, HaltedAt: "2h", RestoredAt: "9h", BreachAt: "6h", DownHours: 7, Loss: 7000}},
		},
		{
			name:    "fallbacks switched off",
			m:       base(manual("call-centre", "1h", "48h", 0.3)),
			outages: cloud8h,
			funcs:   map[string]tlFunc{"pay": {Down: []string{"[2h, 9h)"}, HaltedAt: "2h", RestoredAt: "9h", BreachAt: "6h", DownHours: 7, Loss: 7000}},
		},
		{
			// pay's own requirement fails at 2h when core goes down; the
			// manual process is active from 3h and carries pay at 30%
			// until core is back at 9h.
			name:    "fallback carries the function",
			m:       base(manual("call-centre", "1h", "48h", 0.3)),
			outages: cloud8h,
			opt:     TimelineOptions{Fallbacks: true},
			funcs: map[string]tlFunc{"pay": {Down: []string{"[2h, 3h)"}, Degraded: []string{"[3h, 9h) manual 0.3"},
				HaltedAt: "2h", RestoredAt: "3h", DownHours: 1, Loss: 1000 + 1000*0.7*6}},
			fallbacks: map[string]tlFb{"manual": {Active: []string{"[3h, 9h)"}, Holding: []string{"[3h, 9h)"}}},
		},
		{
			// The manual process lasts 1h30m; pay is down again from
			// 4h30m to 9h, 4h30m in a row: a breach at 8h30m.
			name:    "endurance shorter than the outage",
			m:       base(manual("call-centre", "1h", "1h30m", 0.3)),
			outages: cloud8h,
			opt:     TimelineOptions{Fallbacks: true},
			funcs: map[string]tlFunc{"pay": {Down: []string{"[2h, 3h)", "[4h30m, 9h)"}, Degraded: []string{"[3h, 4h30m) manual 0.3"},
				HaltedAt: "2h", RestoredAt: "9h", BreachAt: "8h30m", DownHours: 5.5, Loss: 5500 + 1000*0.7*1.5}},
			fallbacks: map[string]tlFb{"manual": {Active: []string{"[3h, 4h30m)"}, Holding: []string{"[3h, 4h30m)"}}},
		},
		{
			// With 2h of endurance pay is down from 5h to 9h: exactly
			// its tolerance, which is no breach.
			name:    "down for exactly the tolerance",
			m:       base(manual("call-centre", "1h", "2h", 0.3)),
			outages: cloud8h,
			opt:     TimelineOptions{Fallbacks: true},
			funcs: map[string]tlFunc{"pay": {Down: []string{"[2h, 3h)", "[5h, 9h)"}, Degraded: []string{"[3h, 5h) manual 0.3"},
				HaltedAt: "2h", RestoredAt: "9h", DownHours: 5, Loss: 5000 + 1000*0.7*2}},
			fallbacks: map[string]tlFb{"manual": {Active: []string{"[3h, 5h)"}, Holding: []string{"[3h, 5h)"}}},
		},
		{
			// The fallback needs the same cloud: active from 3h, but it
			// holds only from 8h, when the cloud is back and core still
			// restores; from then it carries pay until 9h.
			name:    "fallback whose own requirement fails too",
			m:       base(manual("call-centre-2", "1h", "48h", 0.3)),
			outages: cloud8h,
			opt:     TimelineOptions{Fallbacks: true},
			funcs: map[string]tlFunc{"pay": {Down: []string{"[2h, 8h)"}, Degraded: []string{"[8h, 9h) manual 0.3"},
				HaltedAt: "2h", RestoredAt: "8h", BreachAt: "6h", DownHours: 6, Loss: 6000 + 1000*0.7*1}},
			fallbacks: map[string]tlFb{"manual": {Active: []string{"[3h, 9h)"}, Holding: []string{"[8h, 9h)"}}},
		},
		{
			// A fallback of a system keeps the system up in full: pay
			// loses nothing while core runs on it.
			name: "fallback of a system",
			m: tlMap(t, []*graph.Node{vendor("cloud"), system("core", "cloud", "", ""), function("pay", "core", "4h")},
				&graph.Fallback{ID: "dr", For: "core", Activation: d("30m"), Capacity: 0.3}),
			outages: cloud8h,
			opt:     TimelineOptions{Fallbacks: true},
			nodes:   map[string][]string{"cloud": {"[0, 8h)"}, "core": {"[0, 30m)"}, "pay": {"[0, 30m)"}},
			funcs: map[string]tlFunc{"pay": {Down: []string{"[0, 30m)"}, HaltedAt: "0", RestoredAt: "30m",
				DownHours: 0.5, Loss: 500}},
			fallbacks: map[string]tlFb{"dr": {Active: []string{"[30m, 8h)"}, Holding: []string{"[30m, 8h)"}}},
		},
		{
			// Two vendors down [0, 8h) and [4h, 10h): a system needing
			// both misses one of them from 0 to 10h, a system needing
			// either only from 4h to 8h. A vendor whose two outages
			// overlap is down for their union.
			name: "overlapping outages with different starts",
			m: tlMap(t, []*graph.Node{
				vendor("v1"), vendor("v2"), vendor("v3"),
				system("both", "v1, v2", "2h", "1h"),
				system("either", "any(v1, v2)", "2h", "1h"),
				function("f-both", "both", "4h"),
				function("f-either", "either", "4h"),
			}),
			outages: []Outage{
				{ID: "v1", Duration: d("8h")}, {ID: "v2", Start: d("4h"), Duration: d("6h")},
				{ID: "v3", Duration: d("4h")}, {ID: "v3", Start: d("2h"), Duration: d("4h")},
			},
			nodes: map[string][]string{
				"v1": {"[0, 8h)"}, "v2": {"[4h, 10h)"}, "v3": {"[0, 6h)"},
				"both": {"[2h, 11h)"}, "either": {"[6h, 9h)"}, "f-both": {"[2h, 11h)"}, "f-either": {"[6h, 9h)"},
			},
			funcs: map[string]tlFunc{
				"f-both":   {Down: []string{"[2h, 11h)"}, HaltedAt: "2h", RestoredAt: "11h", BreachAt: "6h", DownHours: 9, Loss: 9000},
				"f-either": {Down: []string{"[6h, 9h)"}, HaltedAt: "6h", RestoredAt: "9h", DownHours: 3, Loss: 3000},
			},
		},
		{
			// a needs any(va, b), b needs any(vb, a): each counts the
			// other, so both stay up (the least fixpoint).
			name: "cycle with circular backup",
			m: tlMap(t, []*graph.Node{
				vendor("va"), vendor("vb"),
				system("a", "any(va, b)", "", "1h"), system("b", "any(vb, a)", "", "1h"),
				function("f", "a", "4h"),
			}),
			outages: []Outage{{ID: "va", Duration: d("8h")}, {ID: "vb", Duration: d("8h")}},
			nodes:   map[string][]string{"va": {"[0, 8h)"}, "vb": {"[0, 8h)"}},
			funcs:   map[string]tlFunc{"f": {}},
		},
		{
			// a needs x and b, b needs a: down while x is, and back at
			// once when x is (no restore in the cycle).
			name: "cycle back with its support",
			m: tlMap(t, []*graph.Node{
				vendor("x"), system("a", "x, b", "", ""), system("b", "a", "", ""), function("f", "b", "4h"),
			}),
			outages: []Outage{{ID: "x", Duration: d("1h")}},
			nodes:   map[string][]string{"x": {"[0, 1h)"}, "a": {"[0, 1h)"}, "b": {"[0, 1h)"}, "f": {"[0, 1h)"}},
			funcs:   map[string]tlFunc{"f": {Down: []string{"[0, 1h)"}, HaltedAt: "0", RestoredAt: "1h", DownHours: 1, Loss: 1000}},
		},
		{
			// The same cycle with a restore time on a: a waits for b to
			// hold, b waits for a to be up: never restored. The default
			// horizon is 7 days.
			name: "recovery deadlock",
			m: tlMap(t, []*graph.Node{
				vendor("x"), system("a", "x, b", "", "30m"), system("b", "a", "", ""), function("f", "b", "4h"),
			}),
			outages: []Outage{{ID: "x", Duration: d("1h")}},
			nodes:   map[string][]string{"x": {"[0, 1h)"}, "a": {"[0, …)"}, "b": {"[0, …)"}, "f": {"[0, …)"}},
			funcs:   map[string]tlFunc{"f": {Down: []string{"[0, …)"}, HaltedAt: "0", BreachAt: "4h", DownHours: 168, Loss: 168000}},
		},
		{
			// An outage exactly as long as the buffer: at 2h the
			// requirement holds again, so core never goes down.
			name:    "outage as long as the buffer",
			m:       base(),
			outages: []Outage{{ID: "cloud", Duration: d("2h")}},
			nodes:   map[string][]string{"cloud": {"[0, 2h)"}, "call-centre-2": {"[0, 2h)"}},
			funcs:   map[string]tlFunc{"pay": {}},
		},
		{
			// core restores from 3h; its requirement fails again at
			// exactly 4h, when the restore would complete, so it does
			// not; it restores again from 5h and is up at 6h.
			name:    "restore interrupted as it completes",
			m:       base(),
			outages: []Outage{{ID: "cloud", Duration: d("3h")}, {ID: "cloud", Start: d("4h"), Duration: d("1h")}},
			nodes:   map[string][]string{"cloud": {"[0, 3h)", "[4h, 5h)"}, "call-centre-2": {"[0, 3h)", "[4h, 5h)"}, "core": {"[2h, 6h)"}, "pay": {"[2h, 6h)"}},
			funcs:   map[string]tlFunc{"pay": {Down: []string{"[2h, 6h)"}, HaltedAt: "2h", RestoredAt: "6h", DownHours: 4, Loss: 4000}},
		},
		{
			// A vendor's restore counts from when its own requirement
			// holds again; nothing under the vendor failed, so it is up
			// at the end of its outage.
			name: "forced node with restore",
			m: tlMap(t, []*graph.Node{
				{ID: "cloud", Kind: graph.KindVendor, Restore: tlDur("1h")},
				system("core", "cloud", "", "1h"),
				system("edge", "cloud", "", "2h"),
			}),
			// core: forced [0, 3h), its requirement holds again from 2h30m:
			// up at 3h30m. edge: its requirement held since 2h30m, over
			// 2h before it is forced [5h, 6h): up at 6h.
			outages: []Outage{{ID: "cloud", Duration: d("2h30m")}, {ID: "core", Duration: d("3h")}, {ID: "edge", Start: d("5h"), Duration: d("1h")}},
			nodes:   map[string][]string{"cloud": {"[0, 2h30m)"}, "core": {"[0, 3h30m)"}, "edge": {"[0, 4h30m)", "[5h, 6h)"}},
			funcs:   map[string]tlFunc{},
		},
		{
			// core rides out a 30m cloud outage on its 1h buffer; its
			// requirement holds again from 30m. Forced down [1h, 1h30m),
			// it needs the rest of its 2h restore: up at 2h30m.
			name: "forced during a restore that never started",
			m: tlMap(t, []*graph.Node{
				vendor("cloud"), system("core", "cloud", "1h", "2h"),
			}),
			outages: []Outage{{ID: "cloud", Duration: d("30m")}, {ID: "core", Start: d("1h"), Duration: d("30m")}},
			nodes:   map[string][]string{"cloud": {"[0, 30m)"}, "core": {"[1h, 2h30m)"}},
			funcs:   map[string]tlFunc{},
		},
		{
			name:    "horizon cuts the outage",
			m:       base(),
			outages: cloud8h,
			opt:     TimelineOptions{Horizon: d("5h")},
			nodes:   map[string][]string{"cloud": {"[0, …)"}, "call-centre-2": {"[0, …)"}, "core": {"[2h, …)"}, "pay": {"[2h, …)"}},
			funcs:   map[string]tlFunc{"pay": {Down: []string{"[2h, …)"}, HaltedAt: "2h", DownHours: 3, Loss: 3000}},
		},
		{
			name:    "outage for ever",
			m:       base(),
			outages: []Outage{{ID: "cloud", Start: d("1h"), Forever: true}},
			nodes:   map[string][]string{"cloud": {"[1h, …)"}, "call-centre-2": {"[1h, …)"}, "core": {"[3h, …)"}, "pay": {"[3h, …)"}},
			funcs:   map[string]tlFunc{"pay": {Down: []string{"[3h, …)"}, HaltedAt: "3h", BreachAt: "7h", DownHours: 165, Loss: 165000}},
		},
		{
			name:    "outage of length 0",
			m:       base(),
			outages: []Outage{{ID: "cloud", Start: d("1h")}},
			nodes:   map[string][]string{},
			funcs:   map[string]tlFunc{"pay": {}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Timeline(tt.m, tt.outages, tt.opt)
			if err != nil {
				t.Fatalf("Timeline(%v): %v", tt.outages, err)
			}
			nodes, funcs, fbs := tlSummary(r)
			if tt.nodes != nil {
				if diff := cmp.Diff(tt.nodes, nodes); diff != "" {
					t.Errorf("Timeline(%v) nodes mismatch (-want +got):\n%s", tt.outages, diff)
				}
			}
			if diff := cmp.Diff(tt.funcs, funcs, tlCmpOpts...); diff != "" {
				t.Errorf("Timeline(%v) functions mismatch (-want +got):\n%s", tt.outages, diff)
			}
			if diff := cmp.Diff(tt.fallbacks, fbs, tlCmpOpts...); diff != "" {
				t.Errorf("Timeline(%v) fallbacks mismatch (-want +got):\n%s", tt.outages, diff)
			}
		})
	}
}

// TestTimelineHorizon checks the horizon and what is known at its end.
func TestTimelineHorizon(t *testing.T) {
	d := graph.MustDuration
	m := tlMap(t, []*graph.Node{
		{ID: "cloud", Kind: graph.KindVendor},
		{ID: "core", Kind: graph.KindSystem, Requires: graph.Refs("cloud"), Restore: tlDur("1h")},
		{ID: "pay", Kind: graph.KindFunction, Requires: graph.Refs("core"), Tolerance: tlDur("30d")},
	})
	type summary struct {
		Horizon    string
		Settled    bool
		LastChange string
		Breach     string
	}
	tests := []struct {
		name    string
		outages []Outage
		opt     TimelineOptions
		want    summary
	}{
		{"short outage", []Outage{{ID: "cloud", Duration: d("8h")}}, TimelineOptions{},
			summary{Horizon: "7d", Settled: true, LastChange: "9h"}},
		{"long outage", []Outage{{ID: "cloud", Duration: d("9d")}}, TimelineOptions{},
			summary{Horizon: "10d", Settled: true, LastChange: "9d1h"}},
		{"ends on a day", []Outage{{ID: "cloud", Duration: d("7d") - d("1h")}}, TimelineOptions{},
			summary{Horizon: "8d", Settled: true, LastChange: "7d"}},
		// Never restored: the horizon reaches past the breach.
		{"for ever", []Outage{{ID: "cloud", Forever: true}}, TimelineOptions{},
			summary{Horizon: "31d", Settled: true, LastChange: "0", Breach: "30d"}},
		{"given horizon", []Outage{{ID: "cloud", Duration: d("8h")}}, TimelineOptions{Horizon: d("8h30m")},
			summary{Horizon: "8h30m", Settled: false, LastChange: "8h"}},
		{"given horizon, settled", []Outage{{ID: "cloud", Duration: d("8h")}}, TimelineOptions{Horizon: d("2d")},
			summary{Horizon: "2d", Settled: true, LastChange: "9h"}},
		{"nothing fails", nil, TimelineOptions{}, summary{Horizon: "7d", Settled: true}},
	}
	for _, tt := range tests {
		r, err := Timeline(m, tt.outages, tt.opt)
		if err != nil {
			t.Fatalf("Timeline(%s): %v", tt.name, err)
		}
		got := summary{Horizon: r.Horizon.String(), Settled: r.Settled, LastChange: tlMoment(r.LastChange), Breach: tlMoment(r.Functions[0].BreachAt)}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Timeline(%s) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestTimelineResult checks the parts of a result the examples leave
// out: the outages echoed, aliases, kinds and function details.
func TestTimelineResult(t *testing.T) {
	d := graph.MustDuration
	m := tlMap(t, []*graph.Node{
		{ID: "cloud", Kind: graph.KindVendor, Aliases: []string{"Example Cloud"}},
		{ID: "pay", Kind: graph.KindFunction, Name: "Payments", Tier: graph.TierCore, Requires: graph.Refs("cloud"), ImpactPerHour: 10, Tolerance: tlDur("1h")},
		{ID: "web", Kind: graph.KindFunction, Requires: graph.Refs("pay")},
	})
	r, err := Timeline(m, []Outage{
		{ID: "Example Cloud", Start: d("2h"), Duration: d("1h")},
		{ID: "cloud", Duration: d("30m")},
		{ID: "pay", Start: d("5h")},
	}, TimelineOptions{Horizon: d("1d")})
	if err != nil {
		t.Fatal(err)
	}
	want := &TimelineResult{
		Outages: []Outage{{ID: "cloud", Duration: d("30m")}, {ID: "cloud", Start: d("2h"), Duration: d("1h")}},
		Horizon: d("1d"), Settled: true, LastChange: tlDur("3h"),
		Nodes: []NodeTimeline{
			{ID: "cloud", Kind: graph.KindVendor, Down: []Interval{{0, tlDur("30m")}, {d("2h"), tlDur("3h")}}},
			{ID: "pay", Kind: graph.KindFunction, Down: []Interval{{0, tlDur("30m")}, {d("2h"), tlDur("3h")}}},
			{ID: "web", Kind: graph.KindFunction, Down: []Interval{{0, tlDur("30m")}, {d("2h"), tlDur("3h")}}},
		},
		Functions: []FunctionTimeline{
			{ID: "pay", Name: "Payments", Tier: graph.TierCore, ImpactPerHour: 10, Tolerance: tlDur("1h"),
				Down:     []Interval{{0, tlDur("30m")}, {d("2h"), tlDur("3h")}},
				HaltedAt: tlDur("0"), RestoredAt: tlDur("3h"), DownTime: d("1h30m"), DownHours: 1.5, Loss: 15},
			{ID: "web", Name: "web",
				Down:     []Interval{{0, tlDur("30m")}, {d("2h"), tlDur("3h")}},
				HaltedAt: tlDur("0"), RestoredAt: tlDur("3h"), DownTime: d("1h30m"), DownHours: 1.5},
		},
		FallbackUse: []FallbackTimeline{},
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Timeline mismatch (-want +got):\n%s", diff)
	}
}

// TestTimelineErrors checks that bad scenarios and maps are errors, not
// panics.
func TestTimelineErrors(t *testing.T) {
	d := graph.MustDuration
	good := tlMap(t, []*graph.Node{{ID: "cloud", Kind: graph.KindVendor}, {ID: "core", Kind: graph.KindSystem, Requires: graph.Refs("cloud")}})
	if _, err := Timeline(nil, nil, TimelineOptions{}); err == nil {
		t.Errorf("Timeline(nil map): no error")
	}
	_, err := Timeline(good, []Outage{{ID: "clod", Duration: d("1h")}}, TimelineOptions{})
	var unknown *UnknownNodeError
	if !errors.As(err, &unknown) || !cmp.Equal(unknown.IDs, []string{"clod"}) {
		t.Errorf("Timeline(unknown id): error %v, want an *UnknownNodeError for clod", err)
	}
	for _, tt := range []struct {
		name    string
		outages []Outage
		opt     TimelineOptions
	}{
		{"negative start", []Outage{{ID: "cloud", Start: -1, Duration: d("1h")}}, TimelineOptions{}},
		{"negative duration", []Outage{{ID: "cloud", Duration: -1}}, TimelineOptions{}},
		{"negative horizon", nil, TimelineOptions{Horizon: -1}},
	} {
		if _, err := Timeline(good, tt.outages, tt.opt); err == nil {
			t.Errorf("Timeline(%s): no error", tt.name)
		}
	}
	for _, tt := range []struct {
		name string
		m    *graph.Map
	}{
		{"unknown reference", tlMap(t, []*graph.Node{{ID: "a", Kind: graph.KindSystem, Requires: graph.Refs("zz")}})},
		{"negative buffer", tlMap(t, []*graph.Node{{ID: "a", Kind: graph.KindSystem, Buffer: graph.Duration(-1).Ptr()}})},
		{"never holds", tlMap(t, []*graph.Node{{ID: "a", Kind: graph.KindSystem, Requires: graph.Any()}})},
		{"fallback never holds", tlMap(t, []*graph.Node{{ID: "a", Kind: graph.KindSystem}},
			&graph.Fallback{ID: "f", For: "a", Capacity: 1, Requires: graph.All(graph.AtLeast(2, graph.Ref("a")))})},
		{"capacity", tlMap(t, []*graph.Node{{ID: "a", Kind: graph.KindSystem}}, &graph.Fallback{ID: "f", For: "a", Capacity: 2})},
		{"fallback for nothing", tlMap(t, []*graph.Node{{ID: "a", Kind: graph.KindSystem}}, &graph.Fallback{ID: "f", For: "b", Capacity: 1})},
	} {
		_, err := Timeline(tt.m, nil, TimelineOptions{})
		if !errors.Is(err, ErrInvalidMap) {
			t.Errorf("Timeline(%s): error %v, want ErrInvalidMap", tt.name, err)
		}
	}
}

// TestTimelineStatic checks the static semantics as the special case of
// outages that never end: once settled, the nodes still down are the
// static down set, whatever the buffers and restores.
func TestTimelineStatic(t *testing.T) {
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		m := tlRandomMap(rng)
		var outs []Outage
		var failed []int32
		for _, n := range m.Nodes {
			if rng.Intn(4) == 0 {
				outs = append(outs, Outage{ID: n.ID, Start: graph.Duration(rng.Intn(5)) * graph.Minute, Forever: true})
				failed = append(failed, int32(m.Index(n.ID)))
			}
		}
		r, err := Timeline(m, outs, TimelineOptions{})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		got := map[string]bool{}
		for _, n := range r.Nodes {
			if n.Down[len(n.Down)-1].To == nil {
				got[n.ID] = true
			}
		}
		st := graph.Compile(m, graph.CompileOptions{}).NewState()
		st.Propagate(failed)
		want := map[string]bool{}
		for i, n := range m.Nodes {
			if st.Down[i] {
				want[n.ID] = true
			}
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("seed %d: Timeline(%v) nodes down at the end mismatch (-static +timeline):\n%s\n%s", seed, outs, diff, tlDescribe(m))
		}
	}
}
