package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// workspaceDir makes a temporary workspace with the given lifeboat.yaml
// and an empty map/ folder, changes into it for the test and returns it.
func workspaceDir(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "map"), 0o755); err != nil {
		t.Fatal(err)
	}
	if config != "" {
		if err := os.WriteFile(filepath.Join(dir, configName), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// execute runs cmd with args the way Main does and returns the exit code
// and stderr.
func execute(t *testing.T, cmd *cobra.Command, args ...string) (int, string) {
	t.Helper()
	var stderr bytes.Buffer
	markFailures(cmd)
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&stderr)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	code := report(&stderr, cmd.ExecuteContext(context.Background()))
	return code, stderr.String()
}

func testDeps() *Deps { return &Deps{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}} }

// TestAnalyzeFlags checks how analyze turns flags, environment and the
// workspace config into options, highest precedence first.
func TestAnalyzeFlags(t *testing.T) {
	tests := []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		want   analyzeOptions
		code   int
	}{
		{
			name:   "defaults",
			config: "sources: [map/]\n",
			want:   analyzeOptions{Format: formatText},
		},
		{
			name:   "config",
			config: "sources: [map/]\nformat: json\nfallbacks: true\nanalyze:\n  top: 5\n  fail_on: spof\n",
			want:   analyzeOptions{Format: formatJSON, Fallbacks: true, Top: 5, FailOn: []string{"spof"}},
		},
		{
			name:   "env over config",
			config: "sources: [map/]\nformat: json\nanalyze:\n  top: 5\n",
			env:    map[string]string{"LIFEBOAT_FORMAT": "text", "LIFEBOAT_ANALYZE_TOP": "7", "LIFEBOAT_FALLBACKS": "true"},
			want:   analyzeOptions{Format: formatText, Top: 7, Fallbacks: true},
		},
		{
			name:   "flags over env",
			config: "sources: [map/]\nformat: text\n",
			env:    map[string]string{"LIFEBOAT_FORMAT": "text", "LIFEBOAT_ANALYZE_TOP": "7", "LIFEBOAT_FALLBACKS": "true"},
			args:   []string{"--format", "json", "--top", "3", "--fallbacks=false", "--fail-on", "hidden,spof,spof"},
			want:   analyzeOptions{Format: formatJSON, Top: 3, FailOn: []string{"hidden", "spof"}},
		},
		{name: "bad format flag", config: "sources: [map/]\n", args: []string{"--format", "xml"}, code: ExitUsage},
		{name: "bad format in config", config: "sources: [map/]\nformat: yaml\n", code: ExitUsage},
		{name: "bad bool in env", config: "sources: [map/]\n", env: map[string]string{"LIFEBOAT_FALLBACKS": "maybe"}, code: ExitUsage},
		{name: "bad fail-on", config: "sources: [map/]\n", args: []string{"--fail-on", "spofs"}, code: ExitUsage},
		{name: "negative top", config: "sources: [map/]\n", args: []string{"--top", "-1"}, code: ExitUsage},
		{name: "bad top in env", config: "sources: [map/]\n", env: map[string]string{"LIFEBOAT_ANALYZE_TOP": "ten"}, code: ExitUsage},
		{name: "unknown flag", config: "sources: [map/]\n", args: []string{"--bogus"}, code: ExitUsage},
		{name: "no workspace", code: ExitUsage},
		{name: "source missing", config: "sources: [nowhere/]\n", code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workspaceDir(t, tt.config)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var got *analyzeOptions
			cmd := newCmdAnalyze(testDeps(), func(o *analyzeOptions) error { got = o; return nil })
			code, stderr := execute(t, cmd, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if tt.code != 0 {
				if !strings.HasPrefix(stderr, "lifeboat: ") || strings.Count(stderr, "\n") != 1 {
					t.Errorf("stderr is not one 'lifeboat: ' line: %q", stderr)
				}
				return
			}
			opt := cmp.FilterPath(func(p cmp.Path) bool {
				switch p.Last().String() {
				case ".IO", ".Ctx", ".Map":
					return true
				}
				return false
			}, cmp.Ignore())
			if diff := cmp.Diff(tt.want, *got, opt, cmp.AllowUnexported(analyzeOptions{})); diff != "" {
				t.Errorf("analyze %v options mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestImpactFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		down []string
		code int
	}{
		{name: "comma list", args: []string{"--down", "a,b"}, down: []string{"a", "b"}},
		{name: "repeated", args: []string{"--down", "a", "-d", " b ", "--down", ","}, down: []string{"a", "b"}},
		{name: "missing", code: ExitUsage},
		{name: "empty", args: []string{"--down", " , "}, code: ExitUsage},
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
				return
			}
			if diff := cmp.Diff(tt.down, got.Down); diff != "" {
				t.Errorf("impact %v: Down mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

// TestResolvePlan checks where sources come from.
func TestResolvePlan(t *testing.T) {
	dir := workspaceDir(t, "name: Test\nsources:\n  - map/\n  - type: csv\n    path: inv/\n")
	if err := os.MkdirAll(filepath.Join(dir, "inv"), 0o755); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other")
	if err := os.MkdirAll(filepath.Join(other, "m"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, configName), []byte("name: Other\nsources: [m]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("functions: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		workspace string
		want      []sourceSpec
		wantName  string
	}{
		{name: "current workspace", want: []sourceSpec{
			{Path: "map", At: "lifeboat.yaml:3:5"}, {Path: "inv", Type: "csv", At: "lifeboat.yaml:4:5"}}, wantName: "Test"},
		{name: "file arg keeps workspace settings", args: []string{"x.yaml"}, want: []sourceSpec{{Path: "x.yaml"}}, wantName: "Test"},
		{name: "workspace arg", args: []string{"other"}, want: []sourceSpec{{Path: filepath.Join("other", "m"), At: "other/lifeboat.yaml:2:11"}}, wantName: "Other"},
		{name: "workspace flag", workspace: "other", want: []sourceSpec{{Path: filepath.Join("other", "m"), At: "other/lifeboat.yaml:2:11"}}, wantName: "Other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := &cobra.Command{Use: "x"}
			s := newSettings(cmd)
			s.addWorkspace()
			if tt.workspace != "" {
				if err := cmd.Flags().Set("workspace", tt.workspace); err != nil {
					t.Fatal(err)
				}
			}
			o, err := s.mapOptions(tt.args, &bytes.Buffer{})
			if err != nil {
				t.Fatalf("mapOptions(%v): %v", tt.args, err)
			}
			if diff := cmp.Diff(tt.want, o.Plan.Sources); diff != "" {
				t.Errorf("mapOptions(%v) sources mismatch (-want +got):\n%s", tt.args, diff)
			}
			if o.Name != tt.wantName {
				t.Errorf("mapOptions(%v) name = %q, want %q", tt.args, o.Name, tt.wantName)
			}
		})
	}
}

// TestWorkspaceSettings: the workspace keys are read through viper, the
// environment overriding lifeboat.yaml.
func TestWorkspaceSettings(t *testing.T) {
	workspaceDir(t, "name: Bank\ncurrency: EUR\ncrisis_lead: COO\nspokesperson: Head of Comms\nsources: [map/]\nneo4j:\n  uri: neo4j://localhost:7687\n")
	t.Setenv("LIFEBOAT_NEO4J_URI", "neo4j://graph.example:7687")
	t.Setenv("LIFEBOAT_CURRENCY", "CHF")
	cmd := &cobra.Command{Use: "x"}
	s := newSettings(cmd)
	s.addWorkspace()
	o, err := s.mapOptions(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	o.Plan = nil
	want := mapOptions{Name: "Bank", Currency: "CHF", CrisisLead: "COO", Spokesperson: "Head of Comms", Neo4jURI: "neo4j://graph.example:7687"}
	if diff := cmp.Diff(want, o, cmp.AllowUnexported(mapOptions{})); diff != "" {
		t.Errorf("mapOptions mismatch (-want +got):\n%s", diff)
	}
}

func TestWorkspaceWarnings(t *testing.T) {
	workspaceDir(t, "name: X\nsouces: [map/]\nsources: [map/]\n")
	cmd := &cobra.Command{Use: "x"}
	s := newSettings(cmd)
	s.addWorkspace()
	var stderr bytes.Buffer
	if _, err := s.mapOptions(nil, &stderr); err != nil {
		t.Fatal(err)
	}
	want := "lifeboat.yaml:2:1: warning: unknown key \"souces\"; did you mean \"sources\"?\n"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
}

func TestTidyCobraMessage(t *testing.T) {
	got := tidyCobraMessage("unknown command \"valdate\" for \"lifeboat\"\n\nDid you mean this?\n\tvalidate\n")
	want := `unknown command "valdate" for "lifeboat"; did you mean "validate"?`
	if got != want {
		t.Errorf("tidyCobraMessage = %q, want %q", got, want)
	}
}

func TestParseFailOn(t *testing.T) {
	got, err := parseFailOn(" SPOF , hidden,,none")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"hidden", "spof"}, got); diff != "" {
		t.Errorf("parseFailOn mismatch (-want +got):\n%s", diff)
	}
	if _, err := parseFailOn("spof,cycles"); err == nil {
		t.Error("parseFailOn(spof,cycles): no error")
	}
}

// TestEveryCommandHasExamples: --help shows examples for every command.
func TestEveryCommandHasExamples(t *testing.T) {
	root := newCmdRoot(testDeps())
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		if c.Example == "" {
			t.Errorf("%s has no examples", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func TestYAMLString(t *testing.T) {
	for in, want := range map[string]string{
		"Northbank":     "Northbank",
		"Example Bank":  "Example Bank",
		"yes":           `"yes"`,
		"123":           `"123"`,
		"a: b":          `"a: b"`,
		"Bank #1":       `"Bank #1"`,
		"":              `""`,
		"Crédit Mutuel": `"Crédit Mutuel"`,
	} {
		if got := yamlString(in); got != want {
			t.Errorf("yamlString(%q) = %s, want %s", in, got, want)
		}
	}
}
