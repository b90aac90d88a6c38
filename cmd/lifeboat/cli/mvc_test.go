package cli

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// TestMVCFlags checks how mvc turns flags, environment and the workspace
// config into options.
func TestMVCFlags(t *testing.T) {
	tests := []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		want   mvcOptions
		code   int
	}{
		{name: "defaults", want: mvcOptions{Format: formatText, TimeLimit: 30 * time.Second}},
		{
			name:   "config and env",
			config: "mvc:\n  minimize: cost\n  cost_attr: run_cost\n  time_limit: 2m\n",
			env:    map[string]string{"LIFEBOAT_MVC_NODE_LIMIT": "500"},
			want:   mvcOptions{Format: formatText, Minimize: mvc.MinCost, CostAttr: "run_cost", TimeLimit: 2 * time.Minute, NodeLimit: 500},
		},
		{
			name:   "flags over config",
			config: "mvc:\n  minimize: cost\n",
			args:   []string{"--minimize", "vendors", "--time-limit", "0", "--function", "a,b", "--function", " a ", "--fallbacks"},
			want:   mvcOptions{Format: formatText, Functions: []string{"a", "b"}, Fallbacks: true},
		},
		{
			name: "recover",
			args: []string{"--recover", "--down", "a,b=2h@1h,c=forever", "--horizon", "3d"},
			want: mvcOptions{Format: formatText, Recover: true, Horizon: 3 * graph.Day, Outages: []recoveryOutage{
				{Outage: impact.Outage{ID: "a", Forever: true}, Default: true},
				{Outage: impact.Outage{ID: "b", Start: graph.Hour, Duration: 2 * graph.Hour}},
				{Outage: impact.Outage{ID: "c", Forever: true}},
			}},
		},
		{
			name: "recover with duration",
			args: []string{"--recover", "--down", "a", "--duration", "5h"},
			want: mvcOptions{Format: formatText, Recover: true, Outages: []recoveryOutage{{Outage: impact.Outage{ID: "a", Duration: 5 * graph.Hour}}}},
		},
		{name: "bad minimize", args: []string{"--minimize", "speed"}, code: ExitUsage},
		{name: "bad minimize in env", env: map[string]string{"LIFEBOAT_MVC_MINIMIZE": "fast"}, code: ExitUsage},
		{name: "bad time limit", args: []string{"--time-limit", "soon"}, code: ExitUsage},
		{name: "negative node limit", args: []string{"--node-limit", "-3"}, code: ExitUsage},
		{name: "down without recover", args: []string{"--down", "a"}, code: ExitUsage},
		{name: "duration without recover", args: []string{"--duration", "2h"}, code: ExitUsage},
		{name: "recover without down", args: []string{"--recover"}, code: ExitUsage},
		{name: "recover with minimize", args: []string{"--recover", "--down", "a", "--minimize", "cost"}, code: ExitUsage},
		{name: "recover zero horizon", args: []string{"--recover", "--down", "a", "--horizon", "0"}, code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workspaceDir(t, "sources: [map/]\n"+tt.config)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var got *mvcOptions
			cmd := newCmdMVC(testDeps(), func(o *mvcOptions) error { got = o; return nil })
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
			if diff := cmp.Diff(tt.want, *got, opt, cmp.AllowUnexported(mvcOptions{})); diff != "" {
				t.Errorf("mvc %v options mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}
