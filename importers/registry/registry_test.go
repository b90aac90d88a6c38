package registry

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers/csv"
	"github.com/lifeboat-dev/lifeboat/importers/importertest"
	"github.com/lifeboat-dev/lifeboat/importers/yaml"
)

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var workspace = map[string]string{
	"lifeboat.yaml":           "name: Example\nsources: [.]\n",
	"map/payments.yaml":       "functions:\n  - id: payments\n    tier: core\n    requires: [core-banking, \"any(cloud, card-processor)\"]\n",
	"map/systems.yml":         "systems:\n  - id: core-banking\n    requires: [cloud]\n",
	"inventory/vendors.csv":   "id,name,requires\ncloud,Example Cloud,dns\ncard-processor,,dns\ndns,,\n",
	"inventory/fallbacks.csv": "id,for,requires\nmanual,payments,\n",
	"inventory/report.csv":    "a,b\n1,2\n",
	"catalog/component.yaml":  "apiVersion: backstage.io/v1alpha1\nkind: Component\n",
	"notes.txt":               "not data",
	"export.json":             "{}",
	".git/config.yaml":        "functions: [broken",
	"map/.draft.yaml":         "functions: [broken",
}

func TestLoadWorkspace(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, workspace)
	t.Chdir(dir)
	m, ps, err := Load(context.Background(), []Spec{{Path: "."}})
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		t.Fatalf("Load: no map:\n%s", importertest.Problems(ps))
	}
	importertest.Golden(t, filepath.Join(testdataDir, "workspace.golden"), importertest.Dump(m)+"\nproblems:\n"+importertest.Problems(ps))
}

var testdataDir = func() string { d, _ := filepath.Abs("testdata"); return d }()

func TestLoadBase(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, workspace)
	t.Chdir(dir)
	m, ps, err := Load(context.Background(), []Spec{
		{Path: "map", Base: "."},
		{Path: "vendors.csv", Base: "inventory"},
		{Path: "inventory/report.csv", Type: "CSV"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// report.csv has no id column: an error, so no map.
	if m != nil {
		t.Errorf("Load: map despite errors")
	}
	var files []string
	for _, p := range ps {
		files = append(files, p.String())
	}
	want := []string{"inventory/report.csv:1:1: error: no id column; the header must name an id column"}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("Load problems mismatch (-want +got):\n%s", diff)
	}
	batches, err := Batches(context.Background(), []Spec{{Path: "vendors.csv", Base: "inventory"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := batches[0].Nodes[0].Source.File; got != "inventory/vendors.csv" {
		t.Errorf("node source file = %q, want inventory/vendors.csv", got)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, workspace)
	t.Chdir(dir)
	for _, tc := range []struct {
		specs []Spec
		is    error
		msg   string
	}{
		{[]Spec{{Path: "nope"}}, ErrNotFound, `source "nope": no such file or folder`},
		{[]Spec{{Path: "map.yaml", Base: "ws"}}, ErrNotFound, `source "ws/map.yaml": no such file or folder`},
		{[]Spec{{Path: "map", Type: "xlsx"}}, ErrUnknownType, `source "map": unknown source type "xlsx"; known types: csv, openpsa, yaml`},
		{[]Spec{{Path: "notes.txt"}}, ErrNoImporter, `source "notes.txt": no importer reads this file; give it a type (csv, openpsa, yaml)`},
		{nil, nil, "no sources to load"},
	} {
		m, ps, err := Load(context.Background(), tc.specs)
		if err == nil || m != nil || ps != nil {
			t.Errorf("Load(%+v) = %v, %v, %v; want an error", tc.specs, m, ps, err)
			continue
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("Load(%+v) error %v is not %v", tc.specs, err, tc.is)
		}
		if err.Error() != tc.msg {
			t.Errorf("Load(%+v) error %q, want %q", tc.specs, err, tc.msg)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Load(ctx, []Spec{{Path: "map"}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: %v", err)
	}
}

func TestLookup(t *testing.T) {
	if diff := cmp.Diff([]string{"csv", "openpsa", "yaml"}, Names()); diff != "" {
		t.Errorf("Names mismatch (-want +got):\n%s", diff)
	}
	for _, n := range []string{"yaml", "YAML", "csv", "openpsa", "OpenPSA"} {
		if imp := Lookup(n); imp == nil || !strings.EqualFold(imp.Name(), n) {
			t.Errorf("Lookup(%q) = %v", n, imp)
		}
	}
	if imp := Lookup("xlsx"); imp != nil {
		t.Errorf("Lookup(xlsx) = %v, want nil", imp)
	}
}

// The large map of the performance target: 100k nodes, about 1M
// requirement edges.
var large = sync.OnceValue(func() *graph.Map { return importertest.Large(100_000, 1_000_000, 7) })

func edges(m *graph.Map) int {
	n := 0
	for _, nd := range m.Nodes {
		n += len(nd.Requires.RefIDs())
	}
	return n
}

// BenchmarkLoad loads the large map written as native YAML and as CSV:
// reading, parsing, merging and validation, as lifeboat validate does.
// With LIFEBOAT_BENCH_MAP set it loads that source instead, so that peak
// memory can be measured without the generated map in the process.
func BenchmarkLoad(b *testing.B) {
	if p := os.Getenv("LIFEBOAT_BENCH_MAP"); p != "" {
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			got, ps, err := Load(context.Background(), []Spec{{Path: p}})
			if err != nil || got == nil {
				b.Fatalf("Load: %v\n%s", err, importertest.Problems(ps))
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		return
	}
	m := large()
	for _, format := range []string{"yaml", "csv"} {
		b.Run(format, func(b *testing.B) {
			dir := b.TempDir()
			switch format {
			case "yaml":
				f, err := os.Create(filepath.Join(dir, "map.yaml"))
				if err != nil {
					b.Fatal(err)
				}
				if err := yaml.Write(f, m); err != nil {
					b.Fatal(err)
				}
				f.Close()
			case "csv":
				if err := csv.WriteDir(dir, m); err != nil {
					b.Fatal(err)
				}
			}
			size := int64(0)
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				fi, _ := e.Info()
				size += fi.Size()
			}
			b.SetBytes(size)
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				got, ps, err := Load(context.Background(), []Spec{{Path: dir}})
				if err != nil || got == nil {
					b.Fatalf("Load: %v\n%s", err, importertest.Problems(ps))
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(len(m.Nodes)), "nodes")
			b.ReportMetric(float64(edges(m)), "edges")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system, in
// nanoseconds: on a shared machine a steadier figure than wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
