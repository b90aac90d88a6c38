package jsonout

import (
	"bytes"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/reports/internal/fixture"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

func TestGoldenMVC(t *testing.T) {
	m := fixture.MVCMap()
	tests := []struct {
		name string
		v    any
	}{
		{"mvc", view.NewMVC(m, fixture.MVC(), view.MVCOptions{})},
		{"mvc_stopped", view.NewMVC(m, fixture.MVCStopped(), view.MVCOptions{Fallbacks: true, TimeLimit: 30 * time.Second})},
		{"mvc_recovery", view.NewMVCRecovery(m, fixture.Recovery(), false)},
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

// TestContractMVC checks the field names of the mvc contract, decoded
// into plain maps: a renamed field fails here even when the golden file
// is rewritten.
func TestContractMVC(t *testing.T) {
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
	m := fixture.MVCMap()
	v := decodeJSON(t, view.NewMVC(m, fixture.MVC(), view.MVCOptions{}))
	has("mvc", v, "map", "fallbacks", "targets", "functions", "supply", "shed", "names")
	has("mvc.functions[0]", first(v, "functions"), "id", "name", "tier", "reason", "via")
	has("mvc.supply", v["supply"], "minimize", "cost_attr", "vendors", "size", "value", "lower_bound", "gap", "cost",
		"optimal", "canonical", "ties", "ties_complete", "unpriced", "search")
	has("mvc.supply.vendors[0]", first(v["supply"], "vendors"), "id", "name", "cost", "priced", "required")
	has("mvc.supply.ties[0]", first(v["supply"], "ties"), "group", "out", "in")
	has("mvc.supply.search", v["supply"].(map[string]any)["search"], "candidates", "forced", "groups", "open", "nodes", "stopped", "time_limit")
	has("mvc.shed", v["shed"], "functions", "systems", "vendors")

	r := decodeJSON(t, view.NewMVCRecovery(m, fixture.Recovery(), false))
	has("recovery", r, "map", "fallbacks", "outages", "horizon", "settled", "targets", "functions", "halted",
		"restored_at", "steps", "critical_path", "later", "names")
	has("recovery.outages[0]", first(r, "outages"), "id", "name", "start", "duration")
	has("recovery.functions[0]", first(r, "functions"), "id", "name", "halted_at", "restored_at")
	has("recovery.steps[0]", first(r, "steps"), "order", "id", "name", "kind", "failed", "down_at", "ready_at",
		"up_at", "restore", "after", "critical")
}

// TestEmptyMVCListsAreArrays: an empty result still encodes every list
// as [].
func TestEmptyMVCListsAreArrays(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, view.NewMVC(nil, &mvc.Result{}, view.MVCOptions{})); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("null")) {
		t.Errorf("mvc: output has null:\n%s", b.Bytes())
	}
	r := decodeJSON(t, view.NewMVCRecovery(nil, &mvc.Recovery{}, false))
	for _, k := range []string{"outages", "targets", "functions", "steps", "critical_path", "later"} {
		if a, ok := r[k].([]any); !ok || len(a) != 0 {
			t.Errorf("recovery.%s = %v, want []", k, r[k])
		}
	}
}
