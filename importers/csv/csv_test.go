package csv

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/importers/importertest"
)

// load imports the folder or file name below dir and builds the map.
func load(t testing.TB, dir, name string) (*graph.Map, graph.Problems) {
	t.Helper()
	src := importers.Source{FS: os.DirFS(dir), Path: name, Name: name, Type: Name}
	batch, err := Importer{}.Import(context.Background(), src)
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	b := graph.NewBuilder()
	b.Add(batch)
	return b.Build()
}

// TestBad checks the problems printed for each folder of bad inputs
// against testdata/bad/<folder>.golden.
func TestBad(t *testing.T) {
	entries, err := os.ReadDir("testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			_, ps := load(t, "testdata/bad", name)
			if len(ps) == 0 {
				t.Errorf("Import(%s): no problems", name)
			}
			for _, p := range ps {
				if p.Pos.File == "" || p.Pos.Line == 0 || p.Pos.Col == 0 {
					t.Errorf("Import(%s): problem not located: %s", name, p)
				}
			}
			importertest.Golden(t, filepath.Join("testdata/bad", name+".golden"), importertest.Problems(ps))
		})
	}
}

func TestGood(t *testing.T) {
	for _, name := range []string{"good", "good-nodes"} {
		m, ps := load(t, "testdata", name)
		if m == nil {
			t.Fatalf("Import(%s): no map:\n%s", name, importertest.Problems(ps))
		}
		importertest.Golden(t, "testdata/"+name+".golden", importertest.Dump(m)+"\nproblems:\n"+importertest.Problems(ps))
	}
}

func TestRoundTrip(t *testing.T) {
	check := func(t *testing.T, what string, m *graph.Map) {
		dir := t.TempDir()
		if err := WriteDir(dir, m); err != nil {
			t.Fatalf("%s: WriteDir: %v", what, err)
		}
		got, ps := load(t, dir, ".")
		if got == nil || ps.HasErrors() {
			t.Fatalf("%s: reading WriteDir's files failed:\n%s", what, importertest.Problems(ps))
		}
		want := importertest.Normalize(m)
		want.Name, want.Currency = "", "" // CSV files carry no map name
		if diff := cmp.Diff(want, got, importertest.MapOptions); diff != "" {
			t.Fatalf("%s: WriteDir and Import mismatch (-want +got):\n%s", what, diff)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != len(Files) {
			t.Errorf("%s: WriteDir left %d files, want %d", what, len(entries), len(Files))
		}
	}
	good, _ := load(t, "testdata", "good")
	check(t, "good", good)
	for seed := uint64(0); seed < 200; seed++ {
		check(t, fmt.Sprintf("Random(seed %d)", seed), importertest.Random(rand.New(rand.NewPCG(seed, 7))))
	}
}

func TestWriteGolden(t *testing.T) {
	m, _ := load(t, "testdata", "good")
	dir := t.TempDir()
	if err := WriteDir(dir, m); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range Files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "-- %s --\n%s", f, data)
	}
	importertest.Golden(t, "testdata/good.written.golden", b.String())
}

func TestWriteRefuses(t *testing.T) {
	for _, n := range []*graph.Node{
		{ID: "a", Kind: graph.KindSystem, Name: " padded"},
		{ID: "a", Kind: graph.KindSystem, Tags: []string{"a,b"}},
		{ID: "a", Kind: graph.KindSystem, Owner: "x\r\ny"},
	} {
		dir := t.TempDir()
		err := WriteDir(dir, graph.NewMap("", []*graph.Node{n}, nil))
		if err == nil {
			t.Errorf("WriteDir(%+v): no error", n)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("WriteDir(%+v) wrote %d files despite the error", n, len(entries))
		}
	}
}

func TestMatch(t *testing.T) {
	fsys := fstest.MapFS{
		"inv/vendors.csv":  {Data: []byte("id,name\nv,V\n")},
		"inv/Systems.CSV":  {Data: []byte("id\ns\n")},
		"inv/nodes.csv":    {Data: []byte("\xef\xbb\xbfKind;ID\nsystem;s\n")},
		"inv/report.csv":   {Data: []byte("id,name\nx,X\n")},
		"inv/vendors.yaml": {Data: []byte("vendors: []\n")},
		"dora/b_05.01.csv": {Data: []byte("c0010,c0020\n")},
	}
	for _, tc := range []struct {
		path, typ string
		want      bool
	}{
		{"inv/vendors.csv", "", true},
		{"inv/Systems.CSV", "", true},
		{"inv/nodes.csv", "", true},
		{"inv/report.csv", "", false},
		{"inv/vendors.yaml", "", false},
		{"dora/b_05.01.csv", "", false},
		{"inv", "", false},
		{"inv", "csv", true},
		{"inv/report.csv", "csv", true},
		{"inv/vendors.csv", "yaml", false},
	} {
		if got := (Importer{}).Match(importers.Source{FS: fsys, Path: tc.path, Type: tc.typ}); got != tc.want {
			t.Errorf("Match(%s, type %q) = %v, want %v", tc.path, tc.typ, got, tc.want)
		}
	}
}

func TestRequiresColumns(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"id,requires\na,\"b, any(c,\"\n", "2:13"},
		{"id,requires\na,b c\n", "2:5"},
		{"id,requires\na,  b c\n", "2:7"},
		{"name,id,requires\nZürich,a,b c\n", "2:12"},
	} {
		b := Parse("systems.csv", []byte(tc.src))
		if len(b.Problems) != 1 {
			t.Errorf("Parse(%q) problems:\n%s", tc.src, importertest.Problems(b.Problems))
			continue
		}
		p := b.Problems[0].Pos
		if got := fmt.Sprintf("%d:%d", p.Line, p.Col); got != tc.want {
			t.Errorf("Parse(%q) error at %s, want %s: %s", tc.src, got, tc.want, b.Problems[0])
		}
	}
}

func TestColumns(t *testing.T) {
	// Every column the writer may produce is one the reader knows.
	known := map[string]bool{}
	for _, c := range Columns() {
		known[c] = true
	}
	for _, c := range nodeColumns {
		if !known[c.name] {
			t.Errorf("writer column %q unknown to the reader", c.name)
		}
	}
	for _, c := range fallbackColumns {
		if !known[c.name] {
			t.Errorf("writer column %q unknown to the reader", c.name)
		}
	}
}

// FuzzCSV checks that no input makes the importer panic, and that every
// map it builds survives WriteDir and Import unchanged.
func FuzzCSV(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.csv")
	more, _ := filepath.Glob("testdata/bad/*/*.csv")
	for _, p := range append(seeds, more...) {
		data, _ := os.ReadFile(p)
		f.Add(filepath.Base(p), data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if name == "" || strings.ContainsAny(name, "/\\\x00") || len(name) > 100 {
			name = "nodes.csv"
		}
		b := graph.NewBuilder()
		b.Add(Parse(name, data))
		m, _ := b.Build()
		if m == nil {
			return
		}
		var out bytes.Buffer
		dir := t.TempDir()
		if err := WriteDir(dir, m); err != nil {
			return // a value CSV cannot carry, refused before writing
		}
		got, ps := load(t, dir, ".")
		if got == nil {
			t.Fatalf("reading WriteDir's files failed:\n%s%s", importertest.Problems(ps), out.String())
		}
		want := importertest.Normalize(m)
		want.Name, want.Currency = "", ""
		if diff := cmp.Diff(want, got, importertest.MapOptions); diff != "" {
			t.Fatalf("WriteDir and Import mismatch (-want +got):\n%s", diff)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	m := importertest.Large(10000, 100000, 1)
	var buf bytes.Buffer
	if err := WriteNodes(&buf, m, graph.KindSystem); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Parse("systems.csv", data)
	}
}
