package jsonout

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
	"github.com/lifeboat-dev/lifeboat/reports/internal/fixture"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

var update = flag.Bool("update", os.Getenv("UPDATE_GOLDEN") == "1", "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestGolden(t *testing.T) {
	m := fixture.Map()
	tests := []struct {
		name string
		v    any
	}{
		{"validate_valid", view.NewValidate(m, nil, []string{"map/"})},
		{"validate_invalid", view.NewValidate(nil, fixture.Problems(), []string{"map/"})},
		{"import", view.NewImport("map/a.yaml", &graph.Batch{Importer: "yaml", Nodes: m.Nodes[:4]})},
		{"impact", view.NewImpact(m, fixture.Impact())},
		{"impact_none", view.NewImpact(m, fixture.NoImpact())},
		{"analyze", view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{})},
		{"analyze_empty", view.NewAnalyze(m, fixture.Empty(), view.AnalyzeOptions{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.v); err != nil {
				t.Fatalf("Write: %v", err)
			}
			golden(t, tt.name, b.Bytes())
			if bytes.Contains(b.Bytes(), []byte("null")) && tt.name != "analyze" {
				t.Errorf("output has null:\n%s", b.Bytes())
			}
		})
	}
}

// TestContract checks the field names the JSON contract promises, by
// decoding into plain maps: a renamed field fails here even when the
// golden file is rewritten.
func TestContract(t *testing.T) {
	m := fixture.Map()
	decode := func(v any) map[string]any {
		var b bytes.Buffer
		if err := Write(&b, v); err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		if err := json.Unmarshal(b.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	has := func(what string, obj any, keys ...string) {
		t.Helper()
		o, ok := obj.(map[string]any)
		if !ok {
			t.Fatalf("%s: not an object: %v", what, obj)
		}
		for _, k := range keys {
			if _, ok := o[k]; !ok {
				t.Errorf("%s: missing field %q", what, k)
			}
		}
	}
	first := func(obj any, key string) any {
		t.Helper()
		a, ok := obj.(map[string]any)[key].([]any)
		if !ok || len(a) == 0 {
			t.Fatalf("%s: not a non-empty array", key)
		}
		return a[0]
	}

	im := decode(view.NewImpact(m, fixture.Impact()))
	has("impact", im, "scenario", "down", "functions")
	has("impact.scenario", im["scenario"], "down", "fallbacks")
	has("impact.functions[0]", first(im, "functions"), "id", "name", "tier", "down", "because")

	an := decode(view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{}))
	has("analyze", an, "single_points_of_failure", "critical_partners", "hidden_suppliers")
	has("analyze.single_points_of_failure[0]", first(an, "single_points_of_failure"), "function", "tier", "vendors")
	has("analyze.critical_partners[0]", first(an, "critical_partners"), "vendor", "halts", "core", "impact_per_hour", "via")
	has("analyze.hidden_suppliers[0]", first(an, "hidden_suppliers"), "vendor", "through", "halts")

	va := decode(view.NewValidate(nil, fixture.Problems(), nil))
	has("validate", va, "problems", "nodes", "valid")
	has("validate.problems[0]", first(va, "problems"), "file", "line", "col", "severity", "message", "hint")
}

// TestEmptyListsAreArrays: results with nothing in them still encode every
// list as [], never null.
func TestEmptyListsAreArrays(t *testing.T) {
	for _, v := range []any{
		view.NewImpact(nil, &impact.Result{}),
		view.NewAnalyze(nil, &partners.Report{}, view.AnalyzeOptions{}),
		view.NewValidate(nil, nil, nil),
		view.NewImport("x", nil),
	} {
		var b bytes.Buffer
		if err := Write(&b, v); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b.Bytes(), []byte("null")) {
			t.Errorf("%T: output has null:\n%s", v, b.Bytes())
		}
	}
}

// indentSamples are compact JSON texts with the shapes that indentation
// must get right: nesting, empty containers, escapes next to quotes.
var indentSamples = []string{
	`{}`, `[]`, `""`, `0`, `null`, `[[]]`, `[{}]`, `{"a":[]}`, `{"a":{}}`,
	`{"a":1,"b":[1,2,{"c":null,"d":[]}],"e":"x"}`,
	`["a\"b","c\\","\\\"",":,[]{}","\u00e9 \n"]`,
	`[[[[1]]],[[],{}],{"":{"":[true,false]}}]`,
	`{"k":"v\\\\","l":-1.5e+10}`,
}

// TestIndenter compares the indenter with encoding/json's, fed whole and
// in pieces cut anywhere.
func TestIndenter(t *testing.T) {
	for _, s := range indentSamples {
		checkIndent(t, []byte(s))
	}
	// Deeper than the run of spaces kept for indentation.
	deep := bytes.Repeat([]byte("["), 200)
	deep = append(deep, '1')
	deep = append(deep, bytes.Repeat([]byte("]"), 200)...)
	checkIndent(t, deep)
	// Longer than one flush.
	var long bytes.Buffer
	long.WriteString(`{"ids":[`)
	for i := 0; i < 20000; i++ {
		if i > 0 {
			long.WriteByte(',')
		}
		fmt.Fprintf(&long, `"id-%05d\\\"x"`, i)
	}
	long.WriteString(`]}`)
	checkIndent(t, long.Bytes())
}

func checkIndent(t *testing.T, src []byte) {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, src); err != nil {
		return // not valid JSON: Write never indents such input
	}
	var want bytes.Buffer
	if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	c := compact.Bytes()
	for _, piece := range []int{len(c) + 1, 1, 2, 3, 7, 64} {
		var got bytes.Buffer
		in := &indenter{w: &got}
		for i := 0; i < len(c); i += piece {
			if _, err := in.Write(c[i:min(i+piece, len(c))]); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("indenter(%.200q) in pieces of %d mismatch (-want +got):\n%s", c, piece, cmp.Diff(want.String(), got.String()))
		}
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWriteErrors: an unencodable value writes nothing; a failing writer's
// error comes back as is.
func TestWriteErrors(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, map[string]any{"x": func() {}}); err == nil || b.Len() > 0 {
		t.Errorf("Write(func) = %v, wrote %q; want an error and nothing written", err, b.Bytes())
	}
	big := make([]string, 50000)
	for i := range big {
		big[i] = fmt.Sprintf("id-%d", i)
	}
	for _, n := range []int{0, 10, flushAt + 10} {
		if err := Write(&failWriter{n: n}, big); err == nil || err.Error() != "disk full" {
			t.Errorf("Write to a writer failing after %d bytes = %v, want disk full", n, err)
		}
	}
}

// TestWriteMatchesEncoder: Write gives the bytes of an indenting
// json.Encoder for every view.
func TestWriteMatchesEncoder(t *testing.T) {
	m := fixture.Map()
	for _, v := range []any{
		view.NewValidate(nil, fixture.Problems(), []string{"map/"}),
		view.NewImpact(m, fixture.Impact()),
		view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{}),
		map[string]any{"html": "<a href=\"x\">&</a>", "n": []int{}, "f": 1.5},
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := Write(&got, v); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("Write(%T) mismatch (-encoder +got):\n%s", v, diff)
		}
	}
}

func FuzzIndenter(f *testing.F) {
	for _, s := range indentSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkIndent(t, src)
	})
}

// BenchmarkWrite encodes a view shaped like the analysis of a large map:
// long lists of short ids.
func BenchmarkWrite(b *testing.B) {
	type partner struct {
		Vendor string   `json:"vendor"`
		Halts  []string `json:"halts"`
		Core   int      `json:"core"`
	}
	var v struct {
		Partners []partner `json:"critical_partners"`
	}
	for i := 0; i < 2000; i++ {
		p := partner{Vendor: fmt.Sprintf("ven-%05d", i), Core: i % 7}
		for j := 0; j < 200; j++ {
			p.Halts = append(p.Halts, fmt.Sprintf("fn-%04d", (i+j)%1000))
		}
		v.Partners = append(v.Partners, p)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, v); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
