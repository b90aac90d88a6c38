package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/reports/diagram"
)

// TestRenderFlags checks how render picks its view and reads its flags.
func TestRenderFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want renderOptions
		code int
	}{
		{name: "default map", args: []string{"-o", "m.svg"},
			want: renderOptions{View: viewMap, Out: "m.svg", Format: diagram.FormatSVG, MaxNodes: 300}},
		{name: "map view", args: []string{"map", "-o", "m.MMD", "--cluster", "Owner", "--max-nodes", "0"},
			want: renderOptions{View: viewMap, Out: "m.MMD", Format: diagram.FormatMermaid, Cluster: diagram.ClusterOwner, MaxNodes: -1}},
		{name: "focus picks function", args: []string{"--focus", " pay ", "-o", "f.dot"},
			want: renderOptions{View: viewFunction, Out: "f.dot", Format: diagram.FormatDOT, Focus: "pay", MaxNodes: 300}},
		{name: "down picks blast", args: []string{"--down", "a,b", "-o", "b.png", "--fallbacks"},
			want: renderOptions{View: viewBlast, Out: "b.png", Format: diagram.FormatPNG, Down: []string{"a", "b"}, MaxNodes: 300, Fallbacks: true}},
		{name: "blast time line", args: []string{"blast", "--down", "a=2h,b", "--duration", "8h", "-o", "b.svg"},
			want: renderOptions{View: viewBlast, Out: "b.svg", Format: diagram.FormatSVG, Down: []string{"a", "b"}, MaxNodes: 300,
				Outages: []impact.Outage{{ID: "a", Duration: 2 * graph.Hour}, {ID: "b", Duration: 8 * graph.Hour}}}},
		{name: "mvc", args: []string{"mvc", "-o", "x.gv", "--max-nodes", "50"},
			want: renderOptions{View: viewMVC, Out: "x.gv", Format: diagram.FormatDOT, MaxNodes: 50}},
		{name: "unknown view", args: []string{"mpa", "-o", "x.svg"}, code: ExitUsage},
		{name: "no output", args: []string{"map"}, code: ExitUsage},
		{name: "unknown extension", args: []string{"-o", "x.jpg"}, code: ExitUsage},
		{name: "function without focus", args: []string{"function", "-o", "x.svg"}, code: ExitUsage},
		{name: "focus on map", args: []string{"map", "--focus", "a", "-o", "x.svg"}, code: ExitUsage},
		{name: "blast without down", args: []string{"blast", "-o", "x.svg"}, code: ExitUsage},
		{name: "duration on map", args: []string{"map", "--duration", "2h", "-o", "x.svg"}, code: ExitUsage},
		{name: "bad cluster", args: []string{"-o", "x.svg", "--cluster", "region"}, code: ExitUsage},
		{name: "bad duration", args: []string{"--down", "a", "--duration", "soon", "-o", "x.svg"}, code: ExitUsage},
		{name: "output is a folder", args: []string{"-o", "map.svg"}, code: ExitUsage, want: renderOptions{Out: "dir"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := workspaceDir(t, "sources: [map/]\n")
			if tt.want.Out == "dir" {
				if err := os.Mkdir(filepath.Join(dir, "map.svg"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			var got *renderOptions
			cmd := newCmdRender(testDeps(), func(o *renderOptions) error { got = o; return nil })
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
			if diff := cmp.Diff(tt.want, *got, opt, cmp.AllowUnexported(renderOptions{})); diff != "" {
				t.Errorf("render %v options mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}
