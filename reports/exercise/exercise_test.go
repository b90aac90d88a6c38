package exercise

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
	"github.com/lifeboat-dev/lifeboat/reports/plan"
)

var cfg = plan.Config{Name: "Northbank", Currency: "EUR", CrisisLead: "Chief Operating Officer", Spokesperson: "Head of Corporate Communications"}

func load(t *testing.T) *graph.Map {
	t.Helper()
	m, ps, err := registry.Load(context.Background(), []registry.Spec{{Path: "../../examples/northbank/map"}})
	if err != nil || m == nil || ps.HasErrors() {
		t.Fatalf("loading examples/northbank: %v %v", err, ps)
	}
	return m
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with UPDATE_GOLDEN=1 to accept", name)
	}
}

func TestGoldenNorthbank(t *testing.T) {
	m := load(t)
	for _, tc := range []struct {
		down []string
		dur  graph.Duration
	}{
		{[]string{"sentinel-shield-edr"}, 12 * graph.Hour},
		// A pair, a fallback that needs what is down, and a breach even
		// with fallbacks.
		{[]string{"eurolink-clearing", "sentinel-shield"}, 6 * graph.Hour},
	} {
		o, err := assess.Scenario(m, tc.down, tc.dur)
		if err != nil {
			t.Fatalf("Scenario(%v): %v", tc.down, err)
		}
		p, err := Build(m, o, cfg)
		if err != nil {
			t.Fatalf("Build(%v): %v", tc.down, err)
		}
		files, err := p.Files()
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 2 {
			t.Fatalf("Files() = %d files, want Markdown and HTML", len(files))
		}
		for _, f := range files {
			golden(t, "northbank-"+f.Name, f.Data)
		}
	}
}

func TestInjectsFollowTheTimeLine(t *testing.T) {
	m := load(t)
	o, err := assess.Scenario(m, []string{"sentinel-shield-edr"}, 12*graph.Hour)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(m, o, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if p.File() != "exercise-sentinel-shield-edr-12h" {
		t.Errorf("File() = %q", p.File())
	}
	// T+0 the partner goes down; the card fallback is due at T+15m; the
	// card tolerance runs out at T+2h; the partner is back at T+12h.
	want := map[graph.Duration]string{0: "Sentinel Shield EDR reports a major outage", 15 * graph.Minute: "Orbis stand-in authorisation",
		2 * graph.Hour: "2h impact tolerance of Debit and credit card payments", 12 * graph.Hour: "reports its service restored"}
	for at, text := range want {
		found := false
		for _, in := range p.Injects {
			found = found || in.At == at && strings.Contains(in.Headline, text)
		}
		if !found {
			t.Errorf("no inject at %s saying %q", at, text)
		}
	}
	for i := 1; i < len(p.Injects); i++ {
		if p.Injects[i].At < p.Injects[i-1].At {
			t.Errorf("inject %d at %s before inject %d at %s", i+1, p.Injects[i].At, i, p.Injects[i-1].At)
		}
	}
	for _, in := range p.Injects {
		if len(in.Decisions) == 0 {
			t.Errorf("inject at %s (%s) asks for no decision", in.At, in.Headline)
		}
		for _, d := range in.Decisions {
			if d.Who == "" {
				t.Errorf("inject at %s: role %s has no one named", in.At, d.Role)
			}
		}
	}
}

func TestRunErrors(t *testing.T) {
	m := load(t)
	for _, tc := range []struct {
		down []string
		dur  graph.Duration
	}{{nil, graph.Hour}, {[]string{"corvex-core-saas"}, 0}, {[]string{"no-such"}, graph.Hour}} {
		if _, err := assess.Scenario(m, tc.down, tc.dur); err == nil {
			t.Errorf("Scenario(%v, %s): no error", tc.down, tc.dur)
		}
	}
	if _, err := assess.Scenario(nil, []string{"x"}, graph.Hour); err == nil {
		t.Error("Scenario(nil map): no error")
	}
	if _, err := Build(m, &assess.Outcome{}, cfg); err == nil {
		t.Error("Build(empty outcome): no error")
	}
}
