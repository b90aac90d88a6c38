package cli

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	plans "github.com/lifeboat-dev/lifeboat/reports/plan"
)

// TestPlanFlags checks how plan reads its flags, the environment and the
// workspace config.
func TestPlanFlags(t *testing.T) {
	asOf := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	all := []plans.Format{plans.Markdown, plans.HTML, plans.PDF}
	tests := []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		want   planOptions
		code   int
	}{
		{name: "defaults", args: []string{"-o", "out"}, want: planOptions{Dir: "out", Formats: all, AsOf: asOf}},
		{name: "formats in order, once", args: []string{"-o", "out", "--format", "pdf, MD,pdf"},
			want: planOptions{Dir: "out", Formats: []plans.Format{plans.Markdown, plans.PDF}, AsOf: asOf}},
		{name: "formats from config", config: "format: json\nplan:\n  format: html\n", args: []string{"-o", "out"},
			want: planOptions{Dir: "out", Formats: []plans.Format{plans.HTML}, AsOf: asOf}},
		{name: "formats from env", env: map[string]string{"LIFEBOAT_PLAN_FORMAT": "markdown"}, args: []string{"-o", "out", "--force"},
			want: planOptions{Dir: "out", Formats: []plans.Format{plans.Markdown}, AsOf: asOf, Force: true}},
		{name: "vendors", args: []string{"-o", "out", "--vendor", "a, b", "--vendor", "a", "--format", "all"},
			want: planOptions{Dir: "out", Formats: all, AsOf: asOf, Vendors: []string{"a", "b"}}},
		{name: "exercise", args: []string{"-o", "out", "--exercise", "--down", "a,b", "--duration", "12h"},
			want: planOptions{Dir: "out", Formats: []plans.Format{plans.Markdown, plans.HTML}, AsOf: asOf,
				Exercise: true, Down: []string{"a", "b"}, Duration: 12 * graph.Hour}},
		{name: "no output", code: ExitUsage},
		{name: "bad format", args: []string{"-o", "out", "--format", "docx"}, code: ExitUsage},
		{name: "bad format in config", config: "plan:\n  format: rtf\n", args: []string{"-o", "out"}, code: ExitUsage},
		{name: "down without exercise", args: []string{"-o", "out", "--down", "a"}, code: ExitUsage},
		{name: "exercise without down", args: []string{"-o", "out", "--exercise"}, code: ExitUsage},
		{name: "exercise with vendor", args: []string{"-o", "out", "--exercise", "--down", "a", "--vendor", "a"}, code: ExitUsage},
		{name: "zero duration", args: []string{"-o", "out", "--exercise", "--down", "a", "--duration", "0"}, code: ExitUsage},
		{name: "bad as-of", args: []string{"-o", "out", "--as-of", "June"}, code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workspaceDir(t, "sources: [map/]\n"+tt.config)
			t.Setenv("LIFEBOAT_AS_OF", "2026-06-01")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var got *planOptions
			cmd := newCmdPlan(testDeps(), func(o *planOptions) error { got = o; return nil })
			code, stderr := execute(t, cmd, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if tt.code != 0 {
				return
			}
			opt := cmp.FilterPath(func(p cmp.Path) bool {
				switch p.Last().String() {
				case ".IO", ".Ctx", ".Map":
					return true
				}
				return false
			}, cmp.Ignore())
			if diff := cmp.Diff(tt.want, *got, opt, cmp.AllowUnexported(planOptions{})); diff != "" {
				t.Errorf("plan %v options mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}
