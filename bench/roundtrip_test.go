package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
	lcsv "github.com/lifeboat-dev/lifeboat/importers/csv"
	lyaml "github.com/lifeboat-dev/lifeboat/importers/yaml"
)

// mapOpts compare maps by content: provenance and expression positions
// left out, nil and empty alike.
var mapOpts = cmp.Options{
	cmpopts.IgnoreFields(graph.Node{}, "Source"),
	cmpopts.IgnoreFields(graph.Fallback{}, "Source"),
	cmp.Comparer(func(a, b *graph.Expr) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

func buildBatches(t *testing.T, batches ...*graph.Batch) *graph.Map {
	t.Helper()
	b := graph.NewBuilder()
	for _, batch := range batches {
		b.Add(batch)
	}
	m, ps := b.Build()
	if m == nil || ps.HasErrors() {
		t.Fatalf("the written map does not load back:\n%v", ps)
	}
	return m
}

var roundTripOptions = []gen.Options{
	{Functions: 3, Systems: 12, Vendors: 5, Seed: 1},
	{Functions: 40, Systems: 900, Vendors: 150, Seed: 7},
	{Functions: 10, Systems: 200, Vendors: 30, Seed: 3, Redundancy: 0.5, Cycles: 6},
}

// TestGenYAMLRoundTrip: a generated map written as native YAML reads back
// to the same map, so `lifeboat gen` output is what the generator built.
func TestGenYAMLRoundTrip(t *testing.T) {
	for _, o := range roundTripOptions {
		want := gen.Generate(o)
		var buf bytes.Buffer
		if err := lyaml.Write(&buf, want); err != nil {
			t.Fatalf("yaml.Write(gen %+v): %v", o, err)
		}
		got := buildBatches(t, lyaml.Parse("map.yaml", buf.Bytes()))
		if diff := cmp.Diff(want.Nodes, got.Nodes, mapOpts); diff != "" {
			t.Errorf("YAML round trip of gen %+v: nodes mismatch (-want +got):\n%s", o, diff)
		}
		if diff := cmp.Diff(want.Fallbacks, got.Fallbacks, mapOpts); diff != "" {
			t.Errorf("YAML round trip of gen %+v: fallbacks mismatch (-want +got):\n%s", o, diff)
		}
	}
}

// TestGenCSVRoundTrip: the same through the CSV files that run.sh and the
// networkx script use.
func TestGenCSVRoundTrip(t *testing.T) {
	for _, o := range roundTripOptions {
		want := gen.Generate(o)
		dir := t.TempDir()
		if err := lcsv.WriteDir(dir, want); err != nil {
			t.Fatalf("csv.WriteDir(gen %+v): %v", o, err)
		}
		var batches []*graph.Batch
		for _, name := range lcsv.Files {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			batches = append(batches, lcsv.Parse(name, data))
		}
		got := buildBatches(t, batches...)
		if diff := cmp.Diff(want.Nodes, got.Nodes, mapOpts); diff != "" {
			t.Errorf("CSV round trip of gen %+v: nodes mismatch (-want +got):\n%s", o, diff)
		}
		if diff := cmp.Diff(want.Fallbacks, got.Fallbacks, mapOpts); diff != "" {
			t.Errorf("CSV round trip of gen %+v: fallbacks mismatch (-want +got):\n%s", o, diff)
		}
	}
}
