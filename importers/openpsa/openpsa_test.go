package openpsa_test

import (
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/importers/importertest"
	"github.com/lifeboat-dev/lifeboat/importers/openpsa"
)

// faultTrees holds public benchmark fault trees (share-alike and GPL
// licences, so not in the repository); tests that need them skip when the
// folder is absent.
const faultTrees = "../../../shared/realdata/faulttrees"

func needTrees(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(faultTrees); err != nil {
		tb.Skipf("reference fault trees not available: %v", err)
	}
}

// load imports the named files of fsys (each a source of its own) and
// builds the map.
func load(t *testing.T, fsys fs.FS, names ...string) (*graph.Map, graph.Problems) {
	t.Helper()
	b := graph.NewBuilder()
	for _, name := range names {
		batch, err := openpsa.Importer{}.Import(context.Background(), importers.Source{FS: fsys, Path: name, Name: name})
		if err != nil {
			t.Fatalf("Import(%s): %v", name, err)
		}
		b.Add(batch)
	}
	return b.Build()
}

// TestRealFiles imports every reference fault tree; a model split over
// two files loads as two sources merged by the builder.
func TestRealFiles(t *testing.T) {
	needTrees(t)
	var files []string
	err := filepath.WalkDir(faultTrees, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xml") && !strings.Contains(p, "Chinese") {
			files = append(files, strings.TrimPrefix(filepath.ToSlash(p), faultTrees+"/"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d fault trees", len(files))
	}
	fsys := os.DirFS(faultTrees)
	for _, f := range files {
		m, ps := load(t, fsys, f)
		if m == nil || ps.HasErrors() {
			t.Errorf("%s: %s", f, importertest.Problems(ps))
			continue
		}
		if len(m.OfKind(graph.KindFunction)) != 1 {
			t.Errorf("%s: %d top events, want 1", f, len(m.OfKind(graph.KindFunction)))
		}
	}
	m, ps := load(t, fsys, "scram/Chinese/chinese.xml", "scram/Chinese/chinese-basic-events.xml")
	if m == nil {
		t.Fatalf("Chinese: %s", importertest.Problems(ps))
	}
	if n := len(m.OfKind(graph.KindVendor)); n != 25 {
		t.Errorf("Chinese: %d basic events, want 25", n)
	}
	// Alone, the tree's file leaves its basic events unresolved, and the
	// builder says so.
	if m, ps := load(t, fsys, "scram/Chinese/chinese.xml"); m != nil || !strings.Contains(importertest.Problems(ps), `requires unknown node "e1"`) {
		t.Errorf("chinese.xml alone: %s", importertest.Problems(ps))
	}
}

// TestGolden dumps the map of a real tree and of lifeboat's own feature
// model.
func TestGolden(t *testing.T) {
	t.Run("ne574", func(t *testing.T) {
		needTrees(t)
		m, ps := load(t, os.DirFS(filepath.Join(faultTrees, "scram/ne574")), "ne574.xml")
		if m == nil {
			t.Fatal(importertest.Problems(ps))
		}
		importertest.Golden(t, "testdata/ne574.golden", importertest.Dump(m)+importertest.Problems(ps))
	})
	t.Run("plant", func(t *testing.T) {
		m, ps := load(t, os.DirFS("testdata"), "plant.xml")
		if m == nil {
			t.Fatal(importertest.Problems(ps))
		}
		importertest.Golden(t, "testdata/plant.golden", importertest.Dump(m)+importertest.Problems(ps))
	})
}

// TestProbabilities checks the expression values of the feature model by
// hand, with the default mission time of 8760 hours.
func TestProbabilities(t *testing.T) {
	m, ps := load(t, os.DirFS("testdata"), "plant.xml")
	if m == nil {
		t.Fatal(importertest.Problems(ps))
	}
	const T = 8760.0
	want := map[string]float64{
		"p1":      0.01,
		"p2":      1 - math.Exp(-2e-5*T),
		"p3":      (1e-5 - (1e-5-0.001*0.10001)*math.Exp(-0.10001*T)) / 0.10001,
		"p4":      1 - math.Exp(-1e-5*120), // 8760 = 12·720 + 120
		"grid":    1 - math.Exp(-math.Pow(T/50000, 1.5)),
		"valve-a": 0.002, // the mean of the deviate
		"valve-b": 0.005,
	}
	for id, p := range want {
		n := m.Node(id)
		if n == nil || n.Probability == nil || math.Abs(*n.Probability-p) > 1e-12 {
			t.Errorf("%s: probability %v, want %g", id, n, p)
		}
	}
	if p := m.Node("sensor").Probability; p != nil {
		t.Errorf("sensor: probability %g, want none (histograms are not evaluated)", *p)
	}
	// Another mission time.
	b, err := openpsa.Importer{MissionTime: 1000}.Import(context.Background(), importers.Source{FS: os.DirFS("testdata"), Path: "plant.xml"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range b.Nodes {
		if n.ID == "p2" && math.Abs(*n.Probability-(1-math.Exp(-2e-5*1000))) > 1e-12 {
			t.Errorf("MissionTime 1000: p2 = %g", *n.Probability)
		}
	}
}

// TestProblems checks located errors and warnings on small models.
func TestProblems(t *testing.T) {
	tree := func(body string) string {
		return "<?xml version=\"1.0\"?>\n<opsa-mef>\n<define-fault-tree name=\"ft\">\n" + body + "</define-fault-tree>\n</opsa-mef>\n"
	}
	gate := func(formula string) string {
		return tree("<define-gate name=\"top\">\n  " + formula + "\n</define-gate>\n<define-basic-event name=\"a\"/>\n<define-basic-event name=\"b\"/>\n")
	}
	tests := []struct {
		name, data string
		want       string // the first error or warning, rendered
	}{
		{"not", gate(`<not><basic-event name="a"/></not>`),
			`t.xml:5:3: error: unsupported formula "not": lifeboat models monotone failure logic only`},
		{"nested xor", gate(`<or><basic-event name="a"/><xor><event name="a"/><event name="b"/></xor></or>`),
			`t.xml:5:30: error: unsupported formula "xor": lifeboat models monotone failure logic only`},
		{"cardinality", gate(`<cardinality min="1" max="2"><event name="a"/><event name="b"/></cardinality>`),
			`t.xml:5:3: error: unsupported formula "cardinality": lifeboat models monotone failure logic only`},
		{"atleast without min", gate(`<atleast><event name="a"/><event name="b"/></atleast>`),
			`t.xml:5:3: error: <atleast> without a min attribute; write <atleast min="2">`},
		{"atleast min too large", gate(`<atleast min="3"><event name="a"/><event name="b"/></atleast>`),
			`t.xml:5:3: error: <atleast> with min="3"; min must be a whole number from 1 to the number of arguments (2)`},
		{"empty or", gate(`<or/>`),
			`t.xml:5:3: error: <or> without arguments; list the gates and events it combines`},
		{"unknown formula element", gate(`<either><event name="a"/></either>`),
			`t.xml:5:3: error: unknown element <either> in the formula of gate "top"; use or, and, atleast, or a gate, basic-event, house-event or event reference`},
		{"unknown element", tree(`<define-thing name="x"/>` + "\n"),
			`t.xml:4:1: error: unknown element <define-thing> in <define-fault-tree>`},
		{"malformed XML", "<opsa-mef>\n<define-fault-tree name=\"ft\">\n<define-gate name=\"g\">\n<or>\n</define-gate>\n",
			`t.xml:5:15: error: malformed XML: element <or> closed by </define-gate>`},
		{"truncated", "<opsa-mef>\n<define-fault-tree name=\"ft\">\n",
			`t.xml:3:1: error: malformed XML: unexpected end of file: <define-fault-tree> opened at 2:1 is not closed; the file may be truncated`},
		{"empty file", "",
			`t.xml:1:1: error: no XML element in the file; an Open-PSA model starts with <opsa-mef>`},
		{"wrong root", "<html></html>",
			`t.xml:1:1: error: root element is <html>, not <opsa-mef>; an Open-PSA model file starts with <opsa-mef>`},
		{"gate without name", tree("<define-gate><or><event name=\"a\"/></or></define-gate>\n"),
			`t.xml:4:1: error: <define-gate> without a name; write <define-gate name="...">`},
		{"duplicate", gate(`<event name="a"/>`) + "",
			""},
		{"gate names an event", gate(`<or><gate name="a"/><event name="b"/></or>`),
			`t.xml:5:7: error: <gate name="a"> names a basic event (defined at t.xml:7:1); write <basic-event name="a"/> or <event name="a"/>`},
		{"no formula", tree("<define-gate name=\"top\"><label>x</label></define-gate>\n"),
			`t.xml:4:1: error: gate "top" has no formula; put <or>, <and>, <atleast> or a single reference inside`},
		{"two formulas", tree("<define-gate name=\"top\"><or><event name=\"a\"/></or><or><event name=\"a\"/></or></define-gate>\n<define-basic-event name=\"a\"/>\n"),
			`t.xml:4:51: error: gate "top" has more than one formula`},
		{"certain top", tree("<define-gate name=\"top\"><or><house-event name=\"h\"/><event name=\"a\"/></or></define-gate>\n<define-house-event name=\"h\"><constant value=\"true\"/></define-house-event>\n<define-basic-event name=\"a\"/>\n"),
			`t.xml:4:1: error: top gate "top" always fails: house events make it true, and lifeboat cannot model a certain failure; set its house events to false, or remove them`},
		{"common cause", tree("<define-CCF-group name=\"pumps\" model=\"beta-factor\"/>\n"),
			`t.xml:4:1: error: unsupported element <define-CCF-group>: common-cause groups are not supported; expand the common-cause group into explicit basic events and gates`},
		{"bad constant", gate(`<or><constant value="maybe"/><event name="a"/></or>`),
			`t.xml:5:7: error: <constant> with value "maybe"; write value="true" or value="false"`},
		{"unsupported expression", tree("<define-gate name=\"top\"><event name=\"a\"/></define-gate>\n<define-basic-event name=\"a\"><ite/></define-basic-event>\n"),
			`t.xml:5:30: warning: basic event "a" has no probability: unsupported expression <ite>; give it a <float value="..."/>`},
		{"unknown parameter", tree("<define-gate name=\"top\"><event name=\"a\"/></define-gate>\n<define-basic-event name=\"a\"><parameter name=\"q\"/></define-basic-event>\n"),
			`t.xml:5:30: warning: basic event "a" has no probability: unknown parameter "q"; give it a <float value="..."/>`},
		{"parameter cycle", tree("<define-gate name=\"top\"><event name=\"a\"/></define-gate>\n<define-basic-event name=\"a\"><parameter name=\"q\"/></define-basic-event>\n<define-parameter name=\"q\"><parameter name=\"q\"/></define-parameter>\n"),
			`t.xml:6:1: warning: basic event "a" has no probability: parameter "q" is defined in terms of itself; give it a <float value="..."/>`},
		{"event trees", "<opsa-mef><define-event-tree name=\"et\"/></opsa-mef>",
			`t.xml:1:11: warning: <define-event-tree> ignored; lifeboat reads the fault trees of a model only`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if tc.name == "duplicate" {
				data = strings.Replace(data, "<define-basic-event name=\"b\"/>", "<define-basic-event name=\"a\"/>", 1)
				tc.want = `t.xml:8:1: error: basic event "a" is already defined as a basic event at t.xml:7:1; names of gates and events must be unique in a model`
			}
			fsys := fstest.MapFS{"t.xml": {Data: []byte(data)}}
			b, err := openpsa.Importer{}.Import(context.Background(), importers.Source{FS: fsys, Path: "t.xml", Name: "t.xml"})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			var got string
			for _, p := range b.Problems {
				if p.Severity != graph.Info {
					got = p.String()
					break
				}
			}
			if got != tc.want {
				t.Errorf("first problem:\n got %s\nwant %s\nall:\n%s", got, tc.want, importertest.Problems(b.Problems))
			}
		})
	}
}

func TestMatch(t *testing.T) {
	fsys := fstest.MapFS{
		"tree.xml":       {Data: []byte("<?xml version=\"1.0\"?>\n<!-- a comment -->\n<opsa-mef>\n</opsa-mef>")},
		"TREE.XML":       {Data: []byte("<opsa-mef/>")},
		"pom.xml":        {Data: []byte("<project/>")},
		"tree.yaml":      {Data: []byte("<opsa-mef/>")},
		"folder.xml/a":   {Data: []byte("x")},
		"late.xml":       {Data: []byte(strings.Repeat(" ", 9000) + "<opsa-mef/>")},
		"trees/one.xml":  {Data: []byte("<opsa-mef/>")},
		"trees/notes.md": {Data: []byte("<opsa-mef/>")},
	}
	for name, want := range map[string]bool{
		"tree.xml": true, "TREE.XML": true, "pom.xml": false, "tree.yaml": false,
		"folder.xml": false, "late.xml": false, "missing.xml": false, "trees": false,
	} {
		if got := (openpsa.Importer{}).Match(importers.Source{FS: fsys, Path: name}); got != want {
			t.Errorf("Match(%s) = %v, want %v", name, got, want)
		}
	}
	if n := (openpsa.Importer{}).Name(); n != "openpsa" {
		t.Errorf("Name() = %q", n)
	}
}

// TestFolder reads a folder of MEF files as one model, so that house
// events and basic events defined in one file serve the gates of another.
func TestFolder(t *testing.T) {
	fsys := fstest.MapFS{
		"m/tree.xml": {Data: []byte(`<opsa-mef><define-fault-tree name="t">
<define-gate name="top"><or><event name="a"/><event name="h"/><and><event name="a"/><event name="b"/></and></or></define-gate>
</define-fault-tree></opsa-mef>`)},
		"m/data.xml": {Data: []byte(`<opsa-mef><model-data>
<define-basic-event name="a"><float value="0.1"/></define-basic-event>
<define-basic-event name="b"><float value="0.2"/></define-basic-event>
<define-house-event name="h"><constant value="false"/></define-house-event>
</model-data></opsa-mef>`)},
		"m/readme.txt": {Data: []byte("not a model")},
		"empty/x.txt":  {Data: []byte("x")},
	}
	m, ps := load(t, fsys, "m")
	if m == nil {
		t.Fatal(importertest.Problems(ps))
	}
	if got := m.Node("top").Requires.String(); got != "a, any(a, b)" {
		t.Errorf("top requires %q, want %q", got, "a, any(a, b)")
	}
	if m.Node("a").Source.File != "m/data.xml" {
		t.Errorf("a defined at %s", m.Node("a").Source)
	}
	if _, err := (openpsa.Importer{}).Import(context.Background(), importers.Source{FS: fsys, Path: "empty", Name: "empty"}); err == nil {
		t.Error("Import(empty folder) succeeded")
	}
	if _, err := (openpsa.Importer{}).Import(context.Background(), importers.Source{FS: fsys, Path: "nowhere.xml", Name: "nowhere.xml"}); err == nil {
		t.Error("Import(missing file) succeeded")
	}
}

// FuzzOpenPSA feeds arbitrary bytes to the importer and the builder: no
// input may make either panic. The seeds are the reference trees (read at
// test time, when present) and the feature model.
func FuzzOpenPSA(f *testing.F) {
	for _, p := range []string{
		faultTrees + "/scram/ne574/ne574.xml",
		faultTrees + "/scram/ThreeMotor/three_motor.xml",
		faultTrees + "/scram/BSCU/BSCU.xml",
		faultTrees + "/scram/HIPPS/HIPPS.xml",
		faultTrees + "/aralia/chinese.xml",
		"testdata/plant.xml",
	} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<opsa-mef><define-gate name="g"><atleast min="2"><event name="a"/><gate name="g"/></atleast></define-gate></opsa-mef>`))
	f.Add([]byte(`<opsa-mef><define-fault-tree name="x"><define-component name="c" role="private"><define-gate name="g"><event name="c.g"/></define-gate></define-component></define-fault-tree></opsa-mef>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"f.xml": {Data: data}}
		batch, err := openpsa.Importer{}.Import(context.Background(), importers.Source{FS: fsys, Path: "f.xml"})
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		b := graph.NewBuilder()
		b.Add(batch)
		if m, _ := b.Build(); m != nil {
			graph.Compile(m, graph.CompileOptions{})
		}
	})
}
