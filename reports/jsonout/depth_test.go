package jsonout

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
	"github.com/lifeboat-dev/lifeboat/reports/internal/fixture"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// decodeJSON writes v with Write and decodes it into plain maps.
func decodeJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, v); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func timelineView() *view.Impact {
	return view.NewImpactTimeline(fixture.Map(), fixture.Timeline(), fixture.StaticCoreHost(), fixture.StaticCoreHostNoFallbacks())
}

func TestGoldenDepth(t *testing.T) {
	m := fixture.Map()
	tests := []struct {
		name string
		v    any
	}{
		{"cutsets", view.NewCutsets(m, fixture.Cutsets(), view.CutsetsOptions{})},
		{"impact_timeline", timelineView()},
		{"simulate", view.NewSimulate(m, fixture.Simulation())},
		{"analyze_risk_gaps", func() any {
			v := view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{})
			v.SetRisk(m, fixture.Cutsets())
			v.SetGaps(m, fixture.Gaps(), view.GapsOptions{AsOf: "2026-11-24", ReviewMonths: 12})
			return v
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.v); err != nil {
				t.Fatalf("Write: %v", err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

// TestContractCutsets checks the cut sets contract field by field:
//
//	{"events": "vendors", "fallbacks": false,
//	 "targets": [{"id", "max_order", "counts": {"1": 0, "2": 4},
//	              "cutsets": [["a"], ["b", "c"]], "probability": null}]}
func TestContractCutsets(t *testing.T) {
	got := decodeJSON(t, view.NewCutsets(fixture.Map(), fixture.Cutsets(), view.CutsetsOptions{}))
	if got["events"] != "vendors" {
		t.Errorf("events = %v, want \"vendors\"", got["events"])
	}
	if got["fallbacks"] != false {
		t.Errorf("fallbacks = %v, want false", got["fallbacks"])
	}
	targets, ok := got["targets"].([]any)
	if !ok || len(targets) != 3 {
		t.Fatalf("targets = %v, want 3 of them", got["targets"])
	}
	type target struct {
		ID          string
		MaxOrder    float64
		Counts      map[string]any
		CutSets     []any
		Probability any
	}
	want := []target{
		{ID: "retail-payments", MaxOrder: 3, Counts: map[string]any{"1": 3.0, "2": 0.0, "3": 0.0},
			CutSets: []any{[]any{"card-processor"}, []any{"core-host"}, []any{"edr-agent"}}, Probability: 0.07831},
		{ID: "intranet", MaxOrder: 3, Counts: map[string]any{"1": 0.0, "2": 1.0, "3": 0.0},
			CutSets: []any{[]any{"cloud-eu-north", "cloud-eu-west"}}, Probability: nil},
		{ID: "lending", MaxOrder: 3, Counts: map[string]any{"1": 0.0, "2": 0.0, "3": 0.0}, CutSets: []any{}, Probability: nil},
	}
	for i, w := range want {
		o := targets[i].(map[string]any)
		for _, k := range []string{"id", "max_order", "counts", "cutsets", "probability", "name", "total", "rare_event", "importance", "set_probabilities"} {
			if _, ok := o[k]; !ok {
				t.Errorf("targets[%d]: missing field %q", i, k)
			}
		}
		g := target{ID: o["id"].(string), MaxOrder: o["max_order"].(float64), Counts: o["counts"].(map[string]any),
			CutSets: o["cutsets"].([]any), Probability: o["probability"]}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("targets[%d] mismatch (-want +got):\n%s", i, diff)
		}
	}
	imp := targets[0].(map[string]any)["importance"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "name", "probability", "birnbaum", "fussell_vesely", "raw", "rrw"} {
		if _, ok := imp[k]; !ok {
			t.Errorf("importance[0]: missing field %q", k)
		}
	}
}

// TestContractImpactTimeline: a time line keeps every field of the
// impact contract and adds halted_at, restored_at, breach_at (duration
// strings or null), down_hours and loss to each function.
func TestContractImpactTimeline(t *testing.T) {
	got := decodeJSON(t, timelineView())
	for _, k := range []string{"scenario", "down", "functions", "timeline"} {
		if _, ok := got[k]; !ok {
			t.Errorf("missing field %q", k)
		}
	}
	sc := got["scenario"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"down": []any{"core-host"}, "fallbacks": true}, sc); diff != "" {
		t.Errorf("scenario mismatch (-want +got):\n%s", diff)
	}
	byID := map[string]map[string]any{}
	for _, f := range got["functions"].([]any) {
		o := f.(map[string]any)
		byID[o["id"].(string)] = o
	}
	type fn struct {
		Down                           bool
		Because                        []any
		HaltedAt, RestoredAt, BreachAt any
		DownHours, Loss                float64
	}
	want := map[string]fn{
		"intranet": {Because: []any{}},
		"lending": {Down: true, Because: []any{"lending", "core-banking", "core-host"},
			HaltedAt: "0", RestoredAt: "10h", BreachAt: "4h", DownHours: 10, Loss: 150005},
		"retail-payments": {Down: true, Because: []any{"retail-payments", "core-banking", "core-host"},
			HaltedAt: "0", RestoredAt: "10h", BreachAt: nil, DownHours: 4, Loss: 984000},
	}
	for id, w := range want {
		o := byID[id]
		for _, k := range []string{"id", "name", "tier", "down", "because", "halted_at", "restored_at", "breach_at", "down_hours", "loss"} {
			if _, ok := o[k]; !ok {
				t.Errorf("functions[%s]: missing field %q", id, k)
			}
		}
		g := fn{Down: o["down"].(bool), Because: o["because"].([]any), HaltedAt: o["halted_at"], RestoredAt: o["restored_at"],
			BreachAt: o["breach_at"], DownHours: o["down_hours"].(float64), Loss: o["loss"].(float64)}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("functions[%s] mismatch (-want +got):\n%s", id, diff)
		}
	}
	// A static scenario has none of the time line's fields.
	st := decodeJSON(t, view.NewImpact(fixture.Map(), fixture.Impact()))
	if _, ok := st["timeline"]; ok {
		t.Error("static impact has a timeline field")
	}
	for _, f := range st["functions"].([]any) {
		if _, ok := f.(map[string]any)["halted_at"]; ok {
			t.Errorf("static impact function has halted_at: %v", f)
		}
	}
}

// TestContractSimulate checks the simulation's field names.
func TestContractSimulate(t *testing.T) {
	got := decodeJSON(t, view.NewSimulate(fixture.Map(), fixture.Simulation()))
	has := func(what string, obj any, keys ...string) {
		t.Helper()
		o, ok := obj.(map[string]any)
		if !ok {
			t.Fatalf("%s: not an object: %v", what, obj)
		}
		for _, k := range keys {
			if _, ok := o[k]; !ok {
				t.Errorf("%s: missing field %q", what, k)
			}
		}
	}
	loss := []string{"mean", "std_err", "p50", "p95", "p99", "max"}
	has("simulate", got, "years", "seed", "fallbacks", "sigma", "total", "functions", "vendors", "tail")
	has("simulate.total", got["total"], loss...)
	f := got["functions"].([]any)[2]
	has("simulate.functions[2]", f, "id", "name", "tier", "loss", "halt_frequency", "breach_frequency", "halt_years", "breach_years")
	has("simulate.functions[2].loss", f.(map[string]any)["loss"], loss...)
	has("simulate.vendors[0]", got["vendors"].([]any)[0], "id", "name", "probability", "median_outage", "failures")
	has("simulate.tail", got["tail"], "quantile", "threshold", "years", "loss", "scenarios")
	has("simulate.tail.scenarios[0]", got["tail"].(map[string]any)["scenarios"].([]any)[0], "vendors", "years", "loss", "share")
	if v := f.(map[string]any)["breach_frequency"]; v != 0.041 {
		t.Errorf("retail-payments breach_frequency = %v, want 0.041", v)
	}
}

// TestEmptyDepthListsAreArrays: empty results encode lists as [], never
// null; of the fields that may be null only an empty time line's
// last_change is.
func TestEmptyDepthListsAreArrays(t *testing.T) {
	for _, v := range []any{
		view.NewCutsets(nil, &cutsets.Result{}, view.CutsetsOptions{}),
		view.NewImpactTimeline(nil, &impact.TimelineResult{}),
		view.NewSimulate(nil, &sim.Result{}),
	} {
		var b bytes.Buffer
		if err := Write(&b, v); err != nil {
			t.Fatal(err)
		}
		out := bytes.ReplaceAll(b.Bytes(), []byte(`"last_change": null`), nil)
		if bytes.Contains(out, []byte("null")) {
			t.Errorf("%T: output has null:\n%s", v, b.Bytes())
		}
	}
}

// TestContractAnalyzeAdditions: analyze keeps every field of its contract
// and adds "risk" and "gaps".
func TestContractAnalyzeAdditions(t *testing.T) {
	m := fixture.Map()
	v := view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{})
	v.SetRisk(m, fixture.Cutsets())
	v.SetGaps(m, fixture.Gaps(), view.GapsOptions{AsOf: "2026-11-24", ReviewMonths: 12})
	got := decodeJSON(t, v)
	has := func(what string, obj any, keys ...string) {
		t.Helper()
		o, ok := obj.(map[string]any)
		if !ok {
			t.Fatalf("%s: not an object: %v", what, obj)
		}
		for _, k := range keys {
			if _, ok := o[k]; !ok {
				t.Errorf("%s: missing field %q", what, k)
			}
		}
	}
	first := func(obj any, key string) any {
		t.Helper()
		a, ok := obj.(map[string]any)[key].([]any)
		if !ok || len(a) == 0 {
			t.Fatalf("%s: not a non-empty array", key)
		}
		return a[0]
	}
	has("analyze", got, "single_points_of_failure", "critical_partners", "hidden_suppliers", "risk", "gaps")
	has("analyze.single_points_of_failure[0]", first(got, "single_points_of_failure"), "function", "tier", "vendors")
	has("analyze.critical_partners[0]", first(got, "critical_partners"), "vendor", "halts", "core", "impact_per_hour", "via")
	has("analyze.hidden_suppliers[0]", first(got, "hidden_suppliers"), "vendor", "through", "halts")

	risk := got["risk"]
	has("risk", risk, "functions", "vendors", "vendors_total")
	has("risk.functions[0]", first(risk, "functions"), "id", "name", "tier", "probability", "notes")
	rv := first(risk, "vendors")
	has("risk.vendors[0]", rv, "rank", "vendor", "name", "probability", "birnbaum", "fussell_vesely", "raw", "rrw", "function", "functions")
	has("risk.vendors[0].functions[0]", first(rv, "functions"), "function", "birnbaum", "fussell_vesely", "raw", "rrw")
	want := map[string]any{"rank": 1.0, "vendor": "core-host", "function": "retail-payments", "birnbaum": 0.9702, "fussell_vesely": 0.6194611}
	for k, w := range want {
		if g := rv.(map[string]any)[k]; g != w {
			t.Errorf("risk.vendors[0].%s = %v, want %v", k, g, w)
		}
	}

	g := got["gaps"]
	has("gaps", g, "checked", "as_of", "review_months", "recovery", "responsibility", "single_points", "reviews", "exposure")
	if c := g.(map[string]any)["checked"]; c != true {
		t.Errorf("gaps.checked = %v, want true", c)
	}
	rec := first(g, "recovery")
	has("gaps.recovery[0]", rec, "function", "name", "tier", "recovery", "tolerance", "rto", "limit", "limit_by", "over", "chain", "steps", "cold_start")
	if r := rec.(map[string]any); r["recovery"] != "7h" || r["limit"] != "4h" || r["over"] != "3h" || r["limit_by"] != "rto" {
		t.Errorf("gaps.recovery[0] = %v", r)
	}
	has("gaps.recovery[0].steps[0]", first(rec, "steps"), "id", "kind", "time", "basis", "cold_start")
	has("gaps.responsibility[0]", first(g, "responsibility"), "id", "name", "kind", "missing", "core")
	has("gaps.single_points[0]", first(g, "single_points"), "vendor", "name", "hidden", "core", "no_contract", "no_exit_plan", "no_substitute")
	has("gaps.reviews[0]", first(g, "reviews"), "vendor", "name", "ref", "reviewed", "status", "due", "days_overdue")
	ex := first(g, "exposure")
	has("gaps.exposure[0]", ex, "vendor", "name", "outage", "outage_given", "loss", "liability_cap", "uncovered", "functions", "not_restored", "static")
	has("gaps.exposure[0].functions[0]", first(ex, "functions"), "function", "down_hours", "loss")
	if u := ex.(map[string]any)["uncovered"]; u != 3240012.0 {
		t.Errorf("gaps.exposure[0].uncovered = %v, want 3240012", u)
	}
}
