package diagram_test

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/reports/diagram"
)

// TestNoGraphviz checks that this package does not link Graphviz: a
// program that builds diagrams or writes DOT and Mermaid must not pay for
// starting its WebAssembly engine, which go-graphviz does when a program
// that links it starts.
func TestNoGraphviz(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "go-graphviz") || strings.Contains(dep, "wazero") {
			t.Errorf("reports/diagram depends on %s", dep)
		}
	}
}

// BenchmarkDOTCollapsed100k builds the map view of a 100k-node map
// (1,000 functions, 89,000 systems, 10,000 vendors, about 1M
// requirements), collapsed to the default budget, and writes it as DOT.
func BenchmarkDOTCollapsed100k(b *testing.B) {
	m := gen.Generate(gen.Options{Functions: 1000, Systems: 89000, Vendors: 10000, Seed: 7})
	b.ResetTimer()
	var d *diagram.Diagram
	for b.Loop() {
		d = diagram.MapView(m, diagram.Options{})
		if err := diagram.WriteDOT(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(d.Nodes)), "nodes")
	b.ReportMetric(float64(len(d.Edges)), "edges")
}

// BenchmarkMapViewDOT is what a command that writes DOT or Mermaid pays
// for a map of realistic size (300 nodes): no Graphviz is involved.
func BenchmarkMapViewDOT(b *testing.B) {
	m := gen.Generate(gen.Options{Functions: 20, Systems: 220, Vendors: 60, Seed: 7, EdgesPerNode: 3})
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		d := diagram.MapView(m, diagram.Options{MaxNodes: -1})
		if err := diagram.WriteDOT(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
}
