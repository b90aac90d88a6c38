package diagram_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/reports/diagram"
)

var update = flag.Bool("update", os.Getenv("UPDATE_GOLDEN") == "1", "rewrite golden files")

// golden compares got with testdata/name, or rewrites it with
// UPDATE_GOLDEN=1.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
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

func views(t *testing.T) map[string]*diagram.Diagram {
	t.Helper()
	m := fixtureMap()
	out := map[string]*diagram.Diagram{
		"map":       diagram.MapView(m, diagram.Options{}),
		"map-owner": diagram.MapView(m, diagram.Options{Cluster: diagram.ClusterOwner}),
		"map-small": diagram.MapView(m, diagram.Options{MaxNodes: 12}),
	}
	must := func(d *diagram.Diagram, err error) *diagram.Diagram {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	out["function"] = must(diagram.FunctionView(m, "cards", diagram.Options{}))
	out["blast-static"] = must(diagram.BlastView(m, fixtureStatic(), nil, diagram.Options{}))
	out["blast-timeline"] = must(diagram.BlastView(m, fixtureStatic(), fixtureTimeline(), diagram.Options{}))
	out["blast-breach"] = must(diagram.BlastView(m, nil, fixtureBreach(), diagram.Options{Cluster: diagram.ClusterCountry}))
	out["mvc"] = must(diagram.MVCView(m, fixtureMVC(), diagram.Options{}))
	return out
}

func TestGolden(t *testing.T) {
	for name, d := range views(t) {
		t.Run(name, func(t *testing.T) {
			var dot, mmd bytes.Buffer
			if err := diagram.WriteDOT(&dot, d); err != nil {
				t.Fatal(err)
			}
			if err := diagram.WriteMermaid(&mmd, d); err != nil {
				t.Fatal(err)
			}
			golden(t, name+".dot", dot.Bytes())
			golden(t, name+".mmd", mmd.Bytes())
		})
	}
}

// TestDeterministic builds every view twice from fresh maps and results
// and compares the output byte for byte.
func TestDeterministic(t *testing.T) {
	a, b := views(t), views(t)
	for name := range a {
		for _, w := range []struct {
			format string
			write  func(*bytes.Buffer, *diagram.Diagram) error
		}{
			{"dot", func(buf *bytes.Buffer, d *diagram.Diagram) error { return diagram.WriteDOT(buf, d) }},
			{"mermaid", func(buf *bytes.Buffer, d *diagram.Diagram) error { return diagram.WriteMermaid(buf, d) }},
		} {
			var x, y bytes.Buffer
			if err := w.write(&x, a[name]); err != nil {
				t.Fatal(err)
			}
			if err := w.write(&y, b[name]); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(x.Bytes(), y.Bytes()) {
				t.Errorf("%s as %s differs between two runs", name, w.format)
			}
		}
	}
}

// checkWellFormed checks what every writer relies on: unique node ids,
// edges between drawn nodes, clusters that exist, a title and a legend.
func checkWellFormed(t *testing.T, name string, d *diagram.Diagram) {
	t.Helper()
	ids := map[string]bool{}
	for _, n := range d.Nodes {
		if ids[n.ID] {
			t.Errorf("%s: node %q twice", name, n.ID)
		}
		ids[n.ID] = true
		if n.Label == "" {
			t.Errorf("%s: node %q has no label", name, n.ID)
		}
	}
	clusters := map[string]bool{}
	for _, c := range d.Clusters {
		clusters[c.ID] = true
	}
	for _, n := range d.Nodes {
		if n.Cluster != "" && !clusters[n.Cluster] {
			t.Errorf("%s: node %q in unknown cluster %q", name, n.ID, n.Cluster)
		}
	}
	for _, e := range d.Edges {
		if !ids[e.From] || !ids[e.To] {
			t.Errorf("%s: edge %s -> %s names a node not drawn", name, e.From, e.To)
		}
	}
	if d.Title == "" || len(d.Legend) == 0 {
		t.Errorf("%s: title %q, %d legend entries; want both", name, d.Title, len(d.Legend))
	}
}

func TestWellFormed(t *testing.T) {
	for name, d := range views(t) {
		checkWellFormed(t, name, d)
	}
}

func TestMapViewShowsTheStructure(t *testing.T) {
	d := diagram.MapView(fixtureMap(), diagram.Options{})
	node := map[string]diagram.Node{}
	for _, n := range d.Nodes {
		node[n.ID] = n
	}
	if got := node["edr"].Role; got != diagram.RoleFourthParty {
		t.Errorf("edr role = %v, want fourth party", got)
	}
	if got := node["proc-b"].Role; got != diagram.RoleVendor {
		t.Errorf("proc-b role = %v, want vendor", got)
	}
	var in []string
	for _, e := range d.Edges {
		if e.To == "edr" {
			in = append(in, e.From)
		}
	}
	if diff := cmp.Diff([]string{"bureau-a", "bureau-b", "proc-a"}, in); diff != "" {
		t.Errorf("suppliers sharing edr mismatch (-want +got):\n%s", diff)
	}
	labels := map[string]int{}
	for _, n := range d.Nodes {
		if n.Role == diagram.RoleJunction {
			labels[n.Label]++
		}
	}
	if diff := cmp.Diff(map[string]int{"any": 3, "all": 1, "2 of 3": 1}, labels); diff != "" {
		t.Errorf("junctions mismatch (-want +got):\n%s", diff)
	}
	var fallback bool
	for _, e := range d.Edges {
		if e.From == "pay" && e.To == "fallback#manual-pay" {
			fallback = e.Fallback
		}
	}
	if !fallback {
		t.Errorf("no fallback edge pay -> fallback#manual-pay")
	}
}

func TestCollapse(t *testing.T) {
	m := gen.Generate(gen.Options{Functions: 40, Systems: 1500, Vendors: 460, Seed: 3})
	if len(m.Nodes) != 2000 {
		t.Fatalf("generated %d nodes, want 2000", len(m.Nodes))
	}
	for _, budget := range []int{0, 100, 10} {
		d := diagram.MapView(m, diagram.Options{MaxNodes: budget})
		want := budget
		if want == 0 {
			want = diagram.DefaultMaxNodes
		}
		if len(d.Nodes) > want {
			t.Errorf("MapView(MaxNodes: %d): %d nodes, want at most %d", budget, len(d.Nodes), want)
		}
		if len(d.Edges) > 3*len(d.Nodes) {
			t.Errorf("MapView(MaxNodes: %d): %d edges for %d nodes, want at most 3 per node", budget, len(d.Edges), len(d.Nodes))
		}
		if len(d.Notes) == 0 || !strings.HasPrefix(d.Notes[0], "Collapsed to stay within") {
			t.Errorf("MapView(MaxNodes: %d): notes %q do not say the map was collapsed", budget, d.Notes)
		}
		checkWellFormed(t, "collapsed", d)
		var dot bytes.Buffer
		if err := diagram.WriteDOT(&dot, d); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(dot.String(), "Collapsed to stay within") {
			t.Errorf("MapView(MaxNodes: %d): the DOT's title does not say the map was collapsed", budget)
		}
	}
	// A function's supply chain collapses around the function, which
	// stays itself.
	d, err := diagram.FunctionView(m, m.OfKind(graph.KindFunction)[0].ID, diagram.Options{MaxNodes: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Nodes) > 50 {
		t.Errorf("FunctionView(MaxNodes: 50): %d nodes", len(d.Nodes))
	}
	found := false
	for _, n := range d.Nodes {
		found = found || n.ID == m.OfKind(graph.KindFunction)[0].ID
	}
	if !found {
		t.Errorf("FunctionView: the focus is not drawn as itself")
	}
}

func TestBlastTrimsAboveBudget(t *testing.T) {
	m := fixtureMap()
	d, err := diagram.BlastView(m, fixtureStatic(), nil, diagram.Options{MaxNodes: 12, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	checkWellFormed(t, "blast trimmed", d)
	drawn := map[string]bool{}
	for _, n := range d.Nodes {
		drawn[n.ID] = true
	}
	for _, id := range append(fixtureStatic().Down, "pay", "cards", "intranet") {
		if !drawn[id] {
			t.Errorf("BlastView(MaxNodes: 12) left out %q", id)
		}
	}
	if !strings.Contains(strings.Join(d.Notes, " "), "left out") {
		t.Errorf("notes %q do not say nodes were left out", d.Notes)
	}
}

func TestBlastStates(t *testing.T) {
	d, err := diagram.BlastView(fixtureMap(), nil, fixtureBreach(), diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type st struct {
		State    diagram.State
		Band     diagram.Band
		Breached bool
	}
	got := map[string]st{}
	for _, n := range d.Nodes {
		got[n.ID] = st{n.State, n.Band, n.Breached}
	}
	want := map[string]st{
		"edr":                 {diagram.StateFailed, diagram.BandNone, false},
		"bureau-a":            {diagram.StateDown, diagram.Band1h, false},
		"swift-a":             {diagram.StateDown, diagram.Band4h, false},
		"swift-b":             {diagram.StateDown, diagram.Band24h, false},
		"pay":                 {diagram.StateDown, diagram.Band24h, true},
		"cards":               {diagram.StateFaded, diagram.BandNone, false},
		"fallback#manual-pay": {diagram.StateHolding, diagram.BandNone, false},
		"pay#1":               {diagram.StateDown, diagram.Band24h, false},
		"cards#1":             {diagram.StateFaded, diagram.BandNone, false},
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("BlastView: %s = %+v, want %+v", id, got[id], w)
		}
	}
}

func TestErrors(t *testing.T) {
	m := fixtureMap()
	if _, err := diagram.FunctionView(m, "nope", diagram.Options{}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("FunctionView(nope) error = %v", err)
	}
	if _, err := diagram.FunctionView(nil, "pay", diagram.Options{}); err == nil {
		t.Errorf("FunctionView(nil map) gave no error")
	}
	if _, err := diagram.BlastView(m, nil, nil, diagram.Options{}); err == nil {
		t.Errorf("BlastView without results gave no error")
	}
	if _, err := diagram.MVCView(m, nil, diagram.Options{}); err == nil {
		t.Errorf("MVCView without result gave no error")
	}
	d := diagram.MapView(nil, diagram.Options{})
	var buf bytes.Buffer
	if err := diagram.WriteDOT(&buf, d); err != nil || !strings.HasPrefix(buf.String(), "digraph") {
		t.Errorf("WriteDOT(empty view) = %q, %v", buf.String(), err)
	}
	if err := diagram.WriteDOT(failingWriter{}, d); err == nil {
		t.Errorf("WriteDOT to a failing writer gave no error")
	}
	if err := diagram.WriteMermaid(failingWriter{}, d); err == nil {
		t.Errorf("WriteMermaid to a failing writer gave no error")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestParseClusterBy(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want diagram.ClusterBy
		ok   bool
	}{
		{"", diagram.ClusterKind, true},
		{"kind", diagram.ClusterKind, true},
		{"Owner", diagram.ClusterOwner, true},
		{"tier", diagram.ClusterTier, true},
		{"country", diagram.ClusterCountry, true},
		{"none", diagram.ClusterNone, true},
		{"colour", 0, false},
	} {
		got, ok := diagram.ParseClusterBy(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseClusterBy(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBandOf(t *testing.T) {
	d := graph.MustDuration
	for _, tc := range []struct {
		at   string
		want diagram.Band
	}{
		{"0", diagram.Band1h}, {"59m", diagram.Band1h}, {"1h", diagram.Band4h}, {"3h59m", diagram.Band4h},
		{"4h", diagram.Band24h}, {"23h", diagram.Band24h}, {"1d", diagram.BandLater}, {"3w", diagram.BandLater},
	} {
		if got := diagram.BandOf(d(tc.at)); got != tc.want {
			t.Errorf("BandOf(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

// TestMermaidIDs checks that ids Mermaid would misread are rewritten and
// stay unique.
func TestMermaidIDs(t *testing.T) {
	d := &diagram.Diagram{Title: "ids: a test", Nodes: []diagram.Node{
		{ID: "end", Role: diagram.RoleSystem, Label: "End"},
		{ID: "a.b", Role: diagram.RoleSystem, Label: "a.b"},
		{ID: "a/b", Role: diagram.RoleSystem, Label: `say "hi" #1 <b>`},
		{ID: "9lives", Role: diagram.RoleVendor, Label: "Nine"},
	}, Edges: []diagram.Edge{{From: "end", To: "a.b"}, {From: "a/b", To: "9lives", Fallback: true}}}
	var buf bytes.Buffer
	if err := diagram.WriteMermaid(&buf, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"title: \"ids: a test\"", "end_2[\"End\"]", "a_b[\"a.b\"]", "a_b_2[\"say #quot;hi#quot; #35;1 #lt;b#gt;\"]",
		"n_9lives[(\"Nine\")]", "end_2 --> a_b", "a_b_2 -.-> n_9lives",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteMermaid output lacks %q:\n%s", want, out)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		path string
		want diagram.Format
		err  string
	}{
		{"out/map.dot", diagram.FormatDOT, ""},
		{"map.GV", diagram.FormatDOT, ""},
		{"map.svg", diagram.FormatSVG, ""},
		{"map.png", diagram.FormatPNG, ""},
		{"map.mmd", diagram.FormatMermaid, ""},
		{"map.mermaid", diagram.FormatMermaid, ""},
		{"map.pdf", 0, `unknown diagram format ".pdf"`},
		{"map", 0, "no file extension"},
	} {
		got, err := diagram.FormatOf(tc.path)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("FormatOf(%q) = %v, %v; want %v, %q", tc.path, got, err, tc.want, tc.err)
		}
	}
}

func TestBlastRadius(t *testing.T) {
	m := fixtureMap()
	ids := func(d *diagram.Diagram) map[string]bool {
		out := map[string]bool{}
		for _, n := range d.Nodes {
			out[n.ID] = true
		}
		return out
	}
	d, err := diagram.BlastView(m, fixtureStatic(), fixtureTimeline(), diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkWellFormed(t, "blast radius", d)
	got := ids(d)
	// Affected, the fallback, what held cards (proc-b), the direct inputs
	// of pay and of its fallback.
	for _, id := range []string{"edr", "bureau-a", "bureau-b", "proc-a", "swift-a", "swift-b", "pay",
		"fallback#manual-pay", "cards", "proc-b", "core", "office"} {
		if !got[id] {
			t.Errorf("blast radius left out %q", id)
		}
	}
	for _, id := range []string{"intranet", "card-host", "net", "cloud", "telco", "dc-a", "dc-b", "dc-c"} {
		if got[id] {
			t.Errorf("blast radius draws %q, which the outage does not reach", id)
		}
	}
	if notes := strings.Join(d.Notes, " "); !strings.Contains(notes, "8 unaffected nodes are left out") {
		t.Errorf("notes %q do not say 8 nodes were left out", notes)
	}
	full, err := diagram.BlastView(m, fixtureStatic(), fixtureTimeline(), diagram.Options{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	got = ids(full)
	for _, n := range m.Nodes {
		if !got[n.ID] {
			t.Errorf("BlastView(Full) left out %q", n.ID)
		}
	}
	if notes := strings.Join(full.Notes, " "); strings.Contains(notes, "left out") {
		t.Errorf("BlastView(Full) notes %q say nodes were left out", notes)
	}
}

// TestDenseViewSplines checks that a dense view draws its edges as
// polylines, for time, and a sparse one as splines.
func TestDenseViewSplines(t *testing.T) {
	tests := []struct {
		name  string
		opt   gen.Options
		want  string
		edges func(int) bool
	}{
		{"sparse", gen.Options{Functions: 5, Systems: 40, Vendors: 15, Seed: 1, EdgesPerNode: 2}, "splines=true,", func(n int) bool { return n <= 800 }},
		{"dense", gen.Options{Functions: 20, Systems: 220, Vendors: 60, Seed: 7, EdgesPerNode: 3}, "splines=polyline,", func(n int) bool { return n > 800 }},
	}
	for _, tt := range tests {
		d := diagram.MapView(gen.Generate(tt.opt), diagram.Options{MaxNodes: -1})
		if !tt.edges(len(d.Edges)) {
			t.Fatalf("%s: view of %d edges, the test wants the other side of the threshold", tt.name, len(d.Edges))
		}
		var buf bytes.Buffer
		if err := diagram.WriteDOT(&buf, d); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("%s (%d edges): DOT has no %q", tt.name, len(d.Edges), tt.want)
		}
	}
}
