package render_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
	"github.com/lifeboat-dev/lifeboat/reports/diagram"
	"github.com/lifeboat-dev/lifeboat/reports/diagram/render"
)

func registryLoad() (*graph.Map, graph.Problems, error) {
	return registry.Load(context.Background(), []registry.Spec{{Path: "../../../examples/northbank/map"}})
}

// loadNorthbank loads the shipped example map (only the tests read
// importers).
func loadNorthbank(t *testing.T) *graph.Map {
	t.Helper()
	m, ps, err := registryLoad()
	if err != nil || m == nil {
		t.Fatalf("loading examples/northbank: %v %v", err, ps)
	}
	return m
}

// northbankViews are every view of the example, for the scenario of its
// README: Sentinel Shield EDR, the hidden shared supplier, down for 8h.
func northbankViews(t *testing.T) map[string]*diagram.Diagram {
	m := loadNorthbank(t)
	views := map[string]*diagram.Diagram{"map": diagram.MapView(m, diagram.Options{})}
	var err error
	if views["function"], err = diagram.FunctionView(m, "card-payments", diagram.Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := impact.Static(m, []string{"sentinel-shield-edr"}, impact.Options{Fallbacks: true})
	if err != nil {
		t.Fatal(err)
	}
	tl, err := impact.Timeline(m, []impact.Outage{{ID: "sentinel-shield-edr", Duration: 8 * graph.Hour}},
		impact.TimelineOptions{Fallbacks: true})
	if err != nil {
		t.Fatal(err)
	}
	if views["blast"], err = diagram.BlastView(m, res, tl, diagram.Options{}); err != nil {
		t.Fatal(err)
	}
	if views["blast-static"], err = diagram.BlastView(m, res, nil, diagram.Options{}); err != nil {
		t.Fatal(err)
	}
	mr, err := mvc.Analyze(context.Background(), m, mvc.Options{MaxNodes: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if views["mvc"], err = diagram.MVCView(m, mr, diagram.Options{}); err != nil {
		t.Fatal(err)
	}
	return views
}

// TestNorthbankViews draws every view of the example in every format and
// checks the results. With LIFEBOAT_DIAGRAM_OUT set to a folder it writes
// them there, to look at.
func TestNorthbankViews(t *testing.T) {
	out := os.Getenv("LIFEBOAT_DIAGRAM_OUT")
	ctx := context.Background()
	for name, d := range northbankViews(t) {
		files := map[string][]byte{}
		for _, f := range []diagram.Format{diagram.FormatDOT, diagram.FormatMermaid, diagram.FormatSVG, diagram.FormatPNG} {
			var b []byte
			var err error
			if f == diagram.FormatPNG && out == "" {
				b, err = render.PNG(ctx, d, render.PNGOptions{Scale: 1}) // smaller and quicker
			} else {
				b, err = render.Encode(ctx, d, f)
			}
			if err != nil {
				t.Fatalf("%s as %v: %v", name, f, err)
			}
			files[f.String()] = b
		}
		if !bytes.HasPrefix(files["dot"], []byte("digraph lifeboat {")) {
			t.Errorf("%s: DOT starts %q", name, files["dot"][:min(40, len(files["dot"]))])
		}
		if !bytes.HasPrefix(files["mermaid"], []byte("---\ntitle: ")) || !bytes.Contains(files["mermaid"], []byte("\nflowchart LR\n")) {
			t.Errorf("%s: Mermaid starts %q", name, files["mermaid"][:min(40, len(files["mermaid"]))])
		}
		checkSVG(t, name, files["svg"], "sentinel-shield-edr")
		checkPNG(t, name, files["png"])
		if out != "" {
			for ext, f := range map[string]string{".dot": "dot", ".mmd": "mermaid", ".svg": "svg", ".png": "png"} {
				if err := os.WriteFile(filepath.Join(out, "northbank-"+name+ext), files[f], 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestCollapsedPNG draws the collapsed map view of a generated map of
// 2,000 nodes.
func TestCollapsedPNG(t *testing.T) {
	m := gen.Generate(gen.Options{Functions: 40, Systems: 1500, Vendors: 460, Seed: 3})
	d := diagram.MapView(m, diagram.Options{})
	png, err := render.PNG(context.Background(), d, render.PNGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, "collapsed", png)
	if out := os.Getenv("LIFEBOAT_DIAGRAM_OUT"); out != "" {
		if err := os.WriteFile(filepath.Join(out, "gen2000-map.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
