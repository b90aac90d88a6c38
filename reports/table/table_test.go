package table

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/reports/internal/fixture"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

var update = flag.Bool("update", os.Getenv("UPDATE_GOLDEN") == "1", "rewrite golden files")

// golden compares got with testdata/name.golden, rewriting it when
// UPDATE_GOLDEN=1.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestGolden(t *testing.T) {
	m := fixture.Map()
	tests := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"validate_valid", func(b *bytes.Buffer) error {
			ps := graph.Problems{{Pos: graph.Pos{File: "map/systems.yaml", Line: 2, Col: 3}, Severity: graph.Info, Msg: "cycle: a → b → a"}}
			return Validate(b, view.NewValidate(m, ps, []string{"map/"}))
		}},
		{"validate_invalid", func(b *bytes.Buffer) error {
			return Validate(b, view.NewValidate(nil, fixture.Problems(), []string{"map/"}))
		}},
		{"import", func(b *bytes.Buffer) error {
			batch := &graph.Batch{Source: "map/a.yaml", Importer: "yaml", Nodes: m.Nodes[:4], Problems: fixture.Problems()[2:]}
			return Import(b, view.NewImport("map/a.yaml", batch))
		}},
		{"impact", func(b *bytes.Buffer) error { return Impact(b, view.NewImpact(m, fixture.Impact())) }},
		{"impact_none", func(b *bytes.Buffer) error { return Impact(b, view.NewImpact(m, fixture.NoImpact())) }},
		{"analyze", func(b *bytes.Buffer) error {
			return Analyze(b, view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{}))
		}},
		{"analyze_top1", func(b *bytes.Buffer) error {
			return Analyze(b, view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{Top: 1, Fallbacks: true}))
		}},
		{"analyze_many_chains", func(b *bytes.Buffer) error {
			r := fixture.Report()
			h := &r.HiddenSuppliers[0]
			for i := 0; i < 10; i++ {
				h.Chains = append(h.Chains, []string{fmt.Sprintf("f%02d", i), "core-host", "edr-agent"})
			}
			for i := 0; i < 30; i++ {
				h.Through = append(h.Through, fmt.Sprintf("vendor-%02d", i))
			}
			return Analyze(b, view.NewAnalyze(m, r, view.AnalyzeOptions{}))
		}},
		{"analyze_empty", func(b *bytes.Buffer) error {
			return Analyze(b, view.NewAnalyze(m, fixture.Empty(), view.AnalyzeOptions{}))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.render(&b); err != nil {
				t.Fatalf("render: %v", err)
			}
			golden(t, tt.name, b.Bytes())
			for i, line := range bytes.Split(b.Bytes(), []byte("\n")) {
				if len(line) > 0 && (line[len(line)-1] == ' ' || line[len(line)-1] == '\t') {
					t.Errorf("line %d has trailing space: %q", i+1, line)
				}
			}
		})
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {120000, "120,000"}, {1234567.5, "1,234,567.50"},
		{-4500, "-4,500"}, {0.25, "0.25"},
	}
	for _, tt := range tests {
		if got := number(tt.in); got != tt.want {
			t.Errorf("number(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap([]string{"alpha", "beta", "gamma", "delta"}, "  ", 14)
	want := "alpha, beta,\n  gamma, delta"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("wrap mismatch (-want +got):\n%s", diff)
	}
}
