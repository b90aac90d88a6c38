package yaml

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/importers/importertest"
)

// load imports name below dir with the YAML importer and builds the map.
func load(t testing.TB, dir, name string) (*graph.Map, graph.Problems) {
	t.Helper()
	src := importers.Source{FS: os.DirFS(dir), Path: name, Name: name}
	batch, err := Importer{}.Import(context.Background(), src)
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	b := graph.NewBuilder()
	b.Add(batch)
	return b.Build()
}

// TestBad checks the problems printed for each bad input against
// testdata/bad/<name>.golden.
func TestBad(t *testing.T) {
	entries, err := os.ReadDir("testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".golden") {
			continue
		}
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
			golden := filepath.Join("testdata/bad", strings.TrimSuffix(name, filepath.Ext(name))+".golden")
			importertest.Golden(t, golden, importertest.Problems(ps))
		})
	}
}

// TestGood checks the map read from testdata/good against good.golden.
func TestGood(t *testing.T) {
	m, ps := load(t, "testdata", "good")
	if m == nil {
		t.Fatalf("Import(good): no map:\n%s", importertest.Problems(ps))
	}
	importertest.Golden(t, "testdata/good.golden", importertest.Dump(m)+"\nproblems:\n"+importertest.Problems(ps))
}

func writeMap(t testing.TB, m *graph.Map) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, m); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func reread(t testing.TB, data []byte) (*graph.Map, graph.Problems) {
	t.Helper()
	b := graph.NewBuilder()
	b.Add(Parse("written.yaml", data))
	return b.Build()
}

func TestWriteGolden(t *testing.T) {
	m, _ := load(t, "testdata", "good")
	importertest.Golden(t, "testdata/good.written.golden", string(writeMap(t, m)))
}

func TestRoundTrip(t *testing.T) {
	check := func(t *testing.T, what string, m *graph.Map) {
		data := writeMap(t, m)
		got, ps := reread(t, data)
		if got == nil || ps.HasErrors() {
			t.Fatalf("%s: Parse(Write(m)) failed:\n%s\n%s", what, importertest.Problems(ps), data)
		}
		if diff := cmp.Diff(importertest.Normalize(m), got, importertest.MapOptions); diff != "" {
			t.Fatalf("%s: Parse(Write(m)) mismatch (-want +got):\n%s\n%s", what, diff, data)
		}
		if again := writeMap(t, got); !bytes.Equal(again, data) {
			t.Fatalf("%s: Write is not stable:\n%s\n---\n%s", what, data, again)
		}
	}
	good, _ := load(t, "testdata", "good")
	check(t, "good", good)
	for seed := uint64(0); seed < 300; seed++ {
		m := importertest.Random(rand.New(rand.NewPCG(seed, 7)))
		check(t, fmt.Sprintf("Random(seed %d)", seed), m)
	}
}

func TestQuoting(t *testing.T) {
	for _, s := range []string{" lead", "trail ", "", "null", "a: b", "x #y", "- z", "new\nline", "\u2028", "é"} {
		m := graph.NewMap("", []*graph.Node{{ID: "a", Kind: graph.KindSystem, Name: s, Owner: "o"}}, nil)
		got, ps := reread(t, writeMap(t, m))
		if got == nil {
			t.Fatalf("name %q: %s", s, importertest.Problems(ps))
		}
		if got.Nodes[0].Name != s {
			t.Errorf("name %q came back as %q", s, got.Nodes[0].Name)
		}
	}
}

func TestMatch(t *testing.T) {
	fsys := fstest.MapFS{
		"map/payments.yaml":     {Data: []byte("functions:\n  - id: a\n")},
		"map/typo.yml":          {Data: []byte("fucntions:\n  - id: a\n")},
		"map/empty.yaml":        {Data: nil},
		"lifeboat.yaml":         {Data: []byte("name: x\nsources: [map/]\n")},
		"catalog/system.yaml":   {Data: []byte("apiVersion: backstage.io/v1alpha1\nkind: System\n")},
		"catalog/multi.yaml":    {Data: []byte("# c\n---\napiVersion: v1\n")},
		"inventory/vendors.csv": {Data: []byte("id\nv\n")},
	}
	for _, tc := range []struct {
		path, typ string
		want      bool
	}{
		{"map/payments.yaml", "", true},
		{"map/typo.yml", "", true},
		{"map/empty.yaml", "", true},
		{"lifeboat.yaml", "", false},
		{"catalog/system.yaml", "", false},
		{"catalog/multi.yaml", "", false},
		{"inventory/vendors.csv", "", false},
		{"map", "", false},
		{"map", "yaml", true},
		{"map/payments.yaml", "csv", false},
	} {
		got := Importer{}.Match(importers.Source{FS: fsys, Path: tc.path, Type: tc.typ})
		if got != tc.want {
			t.Errorf("Match(%s, type %q) = %v, want %v", tc.path, tc.typ, got, tc.want)
		}
	}
	for _, p := range seedFiles(t) {
		if !strings.Contains(p, "realdata") {
			continue
		}
		src := importers.Source{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p)}
		if (Importer{}).Match(src) {
			t.Errorf("Match(%s) = true for a Backstage file", p)
		}
	}
}

func TestImportFolder(t *testing.T) {
	fsys := fstest.MapFS{
		"ws/lifeboat.yaml":        {Data: []byte("sources: [.]\n")},
		"ws/map/b.yaml":           {Data: []byte("systems:\n  - id: b\n")},
		"ws/map/a.yml":            {Data: []byte("systems:\n  - id: a\n    requires: [b]\n")},
		"ws/map/.hidden.yaml":     {Data: []byte("systems:\n  - id: hidden\n")},
		"ws/.git/x.yaml":          {Data: []byte("systems:\n  - id: git\n")},
		"ws/map/notes.txt":        {Data: []byte("not yaml")},
		"ws/map/sub/c.yaml":       {Data: []byte("vendors:\n  - id: c\n")},
		"ws/map/sub/lifeboat.yml": {Data: []byte("sources: []\n")},
	}
	batch, err := Importer{}.Import(context.Background(), importers.Source{FS: fsys, Path: "ws", Name: "ws", Type: "yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range batch.Nodes {
		got = append(got, n.ID+"@"+n.Source.String())
	}
	want := []string{"a@ws/map/a.yml:2:5", "b@ws/map/b.yaml:2:5", "c@ws/map/sub/c.yaml:2:5"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Import(ws) nodes mismatch (-want +got):\n%s", diff)
	}
	if len(batch.Problems) != 0 {
		t.Errorf("Import(ws) problems:\n%s", importertest.Problems(batch.Problems))
	}
	if _, err := (Importer{}).Import(context.Background(), importers.Source{FS: fsys, Path: "missing.yaml", Name: "missing.yaml"}); err == nil {
		t.Errorf("Import(missing.yaml): no error")
	}
}

// TestRequiresColumns checks that errors inside a text-form requirement
// point at the offending character.
func TestRequiresColumns(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string // line:col
	}{
		{"systems:\n  - id: a\n    requires: b, any(c,\n", "3:24"},
		{"systems:\n  - id: a\n    requires: \"b, any(c,\"\n", "3:25"},
		{"systems:\n  - id: a\n    requires: 'b, c d'\n", "3:21"},
		{"systems:\n  - id: a\n    requires:\n      - any(c d)\n", "4:15"},
	} {
		b := Parse("f.yaml", []byte(tc.src))
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

// TestSchemaKeys checks that the schema names exactly the keys the
// importer takes.
func TestSchemaKeys(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	defs := s["$defs"].(map[string]any)
	props := func(def map[string]any) []string {
		var out []string
		for k := range def["properties"].(map[string]any) {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	def := func(name string) map[string]any { return defs[name].(map[string]any) }
	for _, k := range graph.Kinds {
		if diff := cmp.Diff(NodeKeys(k), props(def(k.String()))); diff != "" {
			t.Errorf("schema %s keys mismatch (-importer +schema):\n%s", k, diff)
		}
	}
	sorted := func(ss []string) []string { c := append([]string(nil), ss...); sort.Strings(c); return c }
	for _, tc := range []struct {
		def  string
		keys []string
	}{
		{"fallback", fallbackKeys},
		{"contract", contractKeys},
		{"contact", contactKeys},
		{"responsibility", responsibilityKeys},
	} {
		if diff := cmp.Diff(sorted(tc.keys), props(def(tc.def))); diff != "" {
			t.Errorf("schema %s keys mismatch (-importer +schema):\n%s", tc.def, diff)
		}
	}
	if diff := cmp.Diff(sorted(topKeys), props(s)); diff != "" {
		t.Errorf("schema top-level keys mismatch (-importer +schema):\n%s", diff)
	}
}

// TestSchemaValidates checks the good files against the schema with a
// small validator (the keywords the schema uses), and that bad files fail
// it where the importer reports an error.
func TestSchemaValidates(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	v := &validator{root: s}
	files, _ := filepath.Glob("testdata/good/*.yaml")
	if ex, _ := filepath.Glob("../../examples/*/map/*.yaml"); len(ex) > 0 {
		files = append(files, ex...)
	}
	for _, f := range files {
		if errs := v.file(t, f); len(errs) > 0 {
			t.Errorf("%s does not match the schema:\n%s", f, strings.Join(errs, "\n"))
		}
	}
	for _, f := range []string{"wrong-type.yaml", "unknown-key.yaml", "durations.yaml", "wrong-kind.yaml", "top-list.yaml"} {
		if errs := v.file(t, filepath.Join("testdata/bad", f)); len(errs) == 0 {
			t.Errorf("%s matches the schema", f)
		}
	}
}

type validator struct{ root map[string]any }

func (v *validator) file(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yamlv3.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	doc = jsonish(doc)
	return v.check(v.root, doc, "$")
}

// jsonish turns decoded YAML into the JSON data model (string keys;
// dates as strings).
func jsonish(x any) any {
	switch x := x.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonish(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonish(e)
		}
		return x
	case int:
		return float64(x)
	case fmt.Stringer:
		return x.String()[:10] // time.Time: a date
	}
	return x
}

func (v *validator) check(s map[string]any, x any, at string) []string {
	if ref, ok := s["$ref"].(string); ok {
		def := v.root["$defs"].(map[string]any)[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		if errs := v.check(def, x, at); len(errs) > 0 {
			return errs
		}
	}
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, a...)) }
	if t, ok := s["type"]; ok && !typeOK(t, x) {
		fail("type %v, found %T", t, x)
		return errs
	}
	if c, ok := s["const"]; ok && c != x {
		fail("not %v", c)
	}
	if e, ok := s["enum"].([]any); ok {
		found := false
		for _, o := range e {
			found = found || o == x
		}
		if !found {
			fail("%v not in %v", x, e)
		}
	}
	if p, ok := s["pattern"].(string); ok {
		if str, isStr := x.(string); isStr && !regexp.MustCompile(p).MatchString(str) {
			fail("%q does not match %s", str, p)
		}
	}
	if f, ok := x.(float64); ok {
		if lo, ok := s["minimum"].(float64); ok && f < lo {
			fail("%g below %g", f, lo)
		}
		if hi, ok := s["maximum"].(float64); ok && f > hi {
			fail("%g above %g", f, hi)
		}
	}
	for _, kw := range []string{"anyOf", "oneOf"} {
		if alts, ok := s[kw].([]any); ok {
			n := 0
			for _, a := range alts {
				if len(v.check(a.(map[string]any), x, at)) == 0 {
					n++
				}
			}
			if n == 0 || kw == "oneOf" && n > 1 {
				fail("%s: %d alternatives match", kw, n)
			}
		}
	}
	if obj, ok := x.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				fail("missing %s", r)
			}
		}
		for k, val := range obj {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, v.check(ps, val, at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("unknown key %q", k)
				}
			case map[string]any:
				errs = append(errs, v.check(ap, val, at+"."+k)...)
			}
		}
	}
	if arr, ok := x.([]any); ok {
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range arr {
				errs = append(errs, v.check(items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func asList(x any) []any {
	l, _ := x.([]any)
	return l
}

func typeOK(t any, x any) bool {
	for _, name := range asList(t) {
		if typeOK(name, x) {
			return true
		}
	}
	switch t {
	case "object":
		_, ok := x.(map[string]any)
		return ok
	case "array":
		_, ok := x.([]any)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	case "number":
		_, ok := x.(float64)
		return ok
	case "integer":
		f, ok := x.(float64)
		return ok && f == float64(int64(f))
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "null":
		return x == nil
	}
	return false
}

// FuzzYAML checks that no input makes the importer panic, that streaming
// entries changes nothing, and that every map it builds survives Write and
// Parse unchanged.
func FuzzYAML(f *testing.F) {
	for _, p := range seedFiles(f) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, p := range bad {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		streamed, whole := parse("fuzz.yaml", data, true), parse("fuzz.yaml", data, false)
		streamed.Problems.Sort()
		whole.Problems.Sort()
		if diff := cmp.Diff(whole, streamed); diff != "" {
			t.Fatalf("streamed batch mismatch (-whole +streamed):\n%s", diff)
		}
		b := graph.NewBuilder()
		b.Add(streamed)
		m, _ := b.Build()
		if m == nil {
			return
		}
		out := writeMap(t, m)
		got, ps := reread(t, out)
		if got == nil {
			t.Fatalf("Parse(Write(m)) failed:\n%s\n%s", importertest.Problems(ps), out)
		}
		if diff := cmp.Diff(importertest.Normalize(m), got, importertest.MapOptions); diff != "" {
			t.Fatalf("Parse(Write(m)) mismatch (-want +got):\n%s", diff)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	m := importertest.Large(10000, 100000, 1)
	var buf bytes.Buffer
	if err := Write(&buf, m); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Parse("large.yaml", data)
	}
}

func BenchmarkWrite(b *testing.B) {
	m := importertest.Large(10000, 100000, 1)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io_Discard{}, m); err != nil {
			b.Fatal(err)
		}
	}
}

type io_Discard struct{}

func (io_Discard) Write(p []byte) (int, error) { return len(p), nil }

func TestSyntaxErrorPositions(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"a: b\nc: d: e\n", "2:5"},
		{"a: b\nc:\n  - x\n   y: 2\n", "4:5"},
		{"a: b\nc:\n\t- x\n", "3:1"},
		{"a:\n  b: 1\n c: 2\n", "3:2"},
		{"a: [x, y\nb: 2\n", "1:4"},
		{"a: \"unterminated\nb: 2\n", "1:4"},
		{"a: b\n- x\n", "2:1"},
		{"functions:\n  - id: a\n    requires: [b\n  - id: c\n", "3:15"},
		{"a: b\nc: @x\n", "2:4"},
		{"a: b\nc: *nope\n", "2:4"},
		{"a: b\n  c: d\n", "2:4"},
	} {
		b := Parse("f.yaml", []byte(tc.src))
		if len(b.Problems) == 0 {
			t.Errorf("Parse(%q): no problem", tc.src)
			continue
		}
		p := b.Problems[0]
		if got := fmt.Sprintf("%d:%d", p.Pos.Line, p.Pos.Col); got != tc.want {
			t.Errorf("Parse(%q) error at %s, want %s: %s", tc.src, got, tc.want, p)
		}
	}
}

// TestStreaming checks that reading entries as the fast parser streams
// them yields what reading the whole tree does.
func TestStreaming(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.yaml")
	files = append(files, "testdata/bad/dup-across/a.yaml")
	var inputs [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	inputs = append(inputs, []byte("systems:\n  - id: a\nsystems:\n  - id: b\n"), writeMap(t, importertest.Large(300, 3000, 1)))
	for i, data := range inputs {
		streamed, whole := parse("f.yaml", data, true), parse("f.yaml", data, false)
		streamed.Problems.Sort()
		whole.Problems.Sort()
		if diff := cmp.Diff(whole, streamed); diff != "" {
			t.Errorf("input %d: streamed batch mismatch (-whole +streamed):\n%s", i, diff)
		}
	}
}
