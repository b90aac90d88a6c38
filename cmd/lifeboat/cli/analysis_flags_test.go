package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// ignoreDeps leaves out of option comparisons what tests cannot build.
var ignoreDeps = cmp.FilterPath(func(p cmp.Path) bool {
	switch p.Last().String() {
	case ".IO", ".Ctx", ".Map":
		return true
	}
	return false
}, cmp.Ignore())

func TestCutsetsFlags(t *testing.T) {
	tests := []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		want   cutsetsOptions
		code   int
	}{
		{name: "defaults", want: cutsetsOptions{MaxOrder: 3, Events: cutsets.Vendors, Format: formatText}},
		{
			name: "flags",
			args: []string{"--target", "a,b", "-t", " a ", "--max-order", "0", "--events", "Systems", "--fallbacks",
				"--count-only", "--top", "5", "--no-probability", "--format", "json"},
			want: cutsetsOptions{Targets: []string{"a", "b"}, MaxOrder: 0, Events: cutsets.Systems, Fallbacks: true,
				CountOnly: true, Top: 5, NoProbability: true, Format: formatJSON},
		},
		{
			name:   "config and env",
			config: "sources: [map/]\ncutsets:\n  max_order: 2\n  events: all\n",
			env:    map[string]string{"LIFEBOAT_CUTSETS_TOP": "3"},
			want:   cutsetsOptions{MaxOrder: 2, Events: cutsets.AllNodes, Top: 3, Format: formatText},
		},
		{name: "negative order", args: []string{"--max-order", "-1"}, code: ExitUsage},
		{name: "order not a number", args: []string{"--max-order", "three"}, code: ExitUsage},
		{name: "bad order in env", env: map[string]string{"LIFEBOAT_CUTSETS_MAX_ORDER": "x"}, code: ExitUsage},
		{name: "unknown events", args: []string{"--events", "suppliers"}, code: ExitUsage},
		{name: "negative top", args: []string{"--top", "-2"}, code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config := tt.config
			if config == "" {
				config = "sources: [map/]\n"
			}
			workspaceDir(t, config)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var got *cutsetsOptions
			cmd := newCmdCutsets(testDeps(), func(o *cutsetsOptions) error { got = o; return nil })
			code, stderr := execute(t, cmd, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if code != 0 {
				if !strings.HasPrefix(stderr, "lifeboat: ") || strings.Count(stderr, "\n") != 1 {
					t.Errorf("stderr is not one 'lifeboat: ' line: %q", stderr)
				}
				return
			}
			if diff := cmp.Diff(tt.want, *got, ignoreDeps); diff != "" {
				t.Errorf("cutsets %v options mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestImpactTimelineFlags(t *testing.T) {
	h := graph.Hour
	tests := []struct {
		name    string
		args    []string
		down    []string
		outages []impact.Outage
		horizon graph.Duration
		code    int
	}{
		{name: "static", args: []string{"--down", "a,b"}, down: []string{"a", "b"}},
		{
			name: "one duration", args: []string{"--down", "a,b", "--duration", "8h"}, down: []string{"a", "b"},
			outages: []impact.Outage{{ID: "a", Duration: 8 * h}, {ID: "b", Duration: 8 * h}},
		},
		{
			name: "start and horizon", args: []string{"--down", "a", "--duration", "90m", "--start", "2h", "--horizon", "3d"}, down: []string{"a"},
			outages: []impact.Outage{{ID: "a", Start: 2 * h, Duration: 90 * graph.Minute}}, horizon: 3 * graph.Day,
		},
		{
			name: "per node", args: []string{"--down", "a=8h,b=2d@4h", "-d", "c"}, down: []string{"a", "b", "c"},
			outages: []impact.Outage{{ID: "a", Duration: 8 * h}, {ID: "b", Start: 4 * h, Duration: 2 * graph.Day}, {ID: "c", Forever: true}},
		},
		{
			name: "per node over --duration", args: []string{"--down", "a=forever,b", "--duration", "1h"}, down: []string{"a", "b"},
			outages: []impact.Outage{{ID: "a", Forever: true}, {ID: "b", Duration: h}},
		},
		{
			name: "horizon alone", args: []string{"--down", "a", "--horizon", "1d"}, down: []string{"a"},
			outages: []impact.Outage{{ID: "a", Forever: true}}, horizon: graph.Day,
		},
		{
			name: "same node twice", args: []string{"--down", "a=1h,a=1h@3h"}, down: []string{"a"},
			outages: []impact.Outage{{ID: "a", Duration: h}, {ID: "a", Start: 3 * h, Duration: h}},
		},
		{name: "bad per-node duration", args: []string{"--down", "a=soon"}, code: ExitUsage},
		{name: "bad start", args: []string{"--down", "a=1h@noon"}, code: ExitUsage},
		{name: "bad --duration", args: []string{"--down", "a", "--duration", "-1h"}, code: ExitUsage},
		{name: "bad --start", args: []string{"--down", "a", "--start", "later"}, code: ExitUsage},
		{name: "bad --horizon", args: []string{"--down", "a", "--horizon", "3"}, code: ExitUsage},
		{name: "zero --horizon", args: []string{"--down", "a", "--horizon", "0"}, code: ExitUsage},
		{name: "no id", args: []string{"--down", "=8h"}, code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workspaceDir(t, "sources: [map/]\n")
			var got *impactOptions
			cmd := newCmdImpact(testDeps(), func(o *impactOptions) error { got = o; return nil })
			code, stderr := execute(t, cmd, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if code != 0 {
				if !strings.HasPrefix(stderr, "lifeboat: ") || strings.Count(stderr, "\n") != 1 {
					t.Errorf("stderr is not one 'lifeboat: ' line: %q", stderr)
				}
				return
			}
			if diff := cmp.Diff(tt.down, got.Down); diff != "" {
				t.Errorf("impact %v: Down mismatch (-want +got):\n%s", tt.args, diff)
			}
			if diff := cmp.Diff(tt.outages, got.Outages); diff != "" {
				t.Errorf("impact %v: Outages mismatch (-want +got):\n%s", tt.args, diff)
			}
			if got.Horizon != tt.horizon {
				t.Errorf("impact %v: Horizon = %v, want %v", tt.args, got.Horizon, tt.horizon)
			}
		})
	}
}

func TestSimulateFlags(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want simulateOptions
		code int
	}{
		{name: "defaults", want: simulateOptions{Years: 100_000, Seed: 1, Scenarios: 10, Format: formatText}},
		{
			name: "flags",
			args: []string{"--years", "500", "--seed", "7", "--fallbacks", "--sigma", "0.8", "--scenarios", "0", "--format", "json"},
			want: simulateOptions{Years: 500, Seed: 7, Fallbacks: true, Sigma: 0.8, Scenarios: 0, Format: formatJSON},
		},
		{name: "fixed lengths", args: []string{"--sigma", "0"}, want: simulateOptions{Years: 100_000, Seed: 1, FixedDurations: true, Scenarios: 10, Format: formatText}},
		{name: "env", env: map[string]string{"LIFEBOAT_SIMULATE_YEARS": "20"}, want: simulateOptions{Years: 20, Seed: 1, Scenarios: 10, Format: formatText}},
		{name: "zero years", args: []string{"--years", "0"}, code: ExitUsage},
		{name: "negative sigma", args: []string{"--sigma", "-1"}, code: ExitUsage},
		{name: "sigma not a number", args: []string{"--sigma", "wide"}, code: ExitUsage},
		{name: "negative scenarios", args: []string{"--scenarios", "-1"}, code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workspaceDir(t, "sources: [map/]\n")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var got *simulateOptions
			cmd := newCmdSimulate(testDeps(), func(o *simulateOptions) error { got = o; return nil })
			code, stderr := execute(t, cmd, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if code != 0 {
				return
			}
			if diff := cmp.Diff(tt.want, *got, ignoreDeps); diff != "" {
				t.Errorf("simulate %v options mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

// TestProgressBar: nothing is drawn during the first second; after it the
// bar is redrawn in place and cleared at the end.
func TestProgressBar(t *testing.T) {
	var b strings.Builder
	bar := &progressBar{w: &b, start: time.Now(), label: "simulating"}
	bar.update(10, 100)
	bar.done()
	if b.Len() != 0 {
		t.Errorf("bar drawn before a second passed: %q", b.String())
	}
	bar = &progressBar{w: &b, start: time.Now().Add(-2 * time.Second), label: "simulating"}
	bar.update(50, 100)
	bar.update(100, 100)
	bar.done()
	want := "\rsimulating [███████████████░░░░░░░░░░░░░░░]  50%  50/100" +
		"\rsimulating [██████████████████████████████] 100%  100/100" + "\r\033[K"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("progress bar mismatch (-want +got):\n%s", diff)
	}
	var nilBar *progressBar
	nilBar.done() // no bar: nothing to clear, no panic
	if isTerminal(&b) {
		t.Error("isTerminal(strings.Builder) = true")
	}
}

func TestAnalyzeDepthFlags(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want analyzeOptions
		code int
	}{
		{name: "defaults", want: analyzeOptions{Format: formatText}},
		{name: "sections off", args: []string{"--no-risk", "--no-gaps"}, want: analyzeOptions{Format: formatText, NoRisk: true, NoGaps: true}},
		{name: "as of flag", args: []string{"--as-of", "2026-01-31"}, want: analyzeOptions{Format: formatText, AsOf: "2026-01-31"}},
		{name: "as of env", env: map[string]string{"LIFEBOAT_AS_OF": "2025-12-01"}, want: analyzeOptions{Format: formatText, AsOf: "2025-12-01"}},
		{name: "flag over env", env: map[string]string{"LIFEBOAT_AS_OF": "2025-12-01"}, args: []string{"--as-of", "2024-02-29"}, want: analyzeOptions{Format: formatText, AsOf: "2024-02-29"}},
		{name: "bad date", args: []string{"--as-of", "2026-02-30"}, code: ExitUsage},
		{name: "bad date in env", env: map[string]string{"LIFEBOAT_AS_OF": "yesterday"}, code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workspaceDir(t, "sources: [map/]\n")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var got *analyzeOptions
			cmd := newCmdAnalyze(testDeps(), func(o *analyzeOptions) error { got = o; return nil })
			code, stderr := execute(t, cmd, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if code != 0 {
				return
			}
			if diff := cmp.Diff(tt.want, *got, ignoreDeps); diff != "" {
				t.Errorf("analyze %v options mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}
