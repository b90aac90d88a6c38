package cutsets_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/importers/openpsa"
)

// faultTrees holds public benchmark fault trees with reference results
// from SCRAM. They are not part of the repository (their licences are
// share-alike); tests that need them skip when the folder is absent.
const faultTrees = "../../../shared/realdata/faulttrees"

// loadTree imports Open-PSA files (one model split over several files
// merges in the builder) and compiles the map.
func loadTree(tb testing.TB, files ...string) *graph.Circuit {
	tb.Helper()
	if _, err := os.Stat(faultTrees); err != nil {
		tb.Skipf("reference fault trees not available: %v", err)
	}
	b := graph.NewBuilder()
	for _, f := range files {
		p := filepath.Join(faultTrees, f)
		src := importers.Source{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p), Name: f}
		batch, err := openpsa.Importer{}.Import(context.Background(), src)
		if err != nil {
			tb.Fatal(err)
		}
		b.Add(batch)
	}
	m, ps := b.Build()
	if m == nil {
		tb.Fatalf("Build(%v): %v", files, ps)
	}
	return graph.Compile(m, graph.CompileOptions{})
}

// printed reports whether got rounds to the figure want as printed: it
// is within half a unit of want's last digit.
func printed(got float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		panic(err)
	}
	mant, exp, _ := strings.Cut(strings.ToLower(want), "e")
	e, _ := strconv.Atoi(exp)
	if _, frac, ok := strings.Cut(mant, "."); ok {
		e -= len(frac)
	}
	half := math.Pow(10, float64(e)) / 2
	return math.Abs(got-w) <= half*(1+1e-9)
}

// relNear reports whether got matches a figure printed to six
// significant digits.
func relNear(got, want float64) bool {
	return math.Abs(got-want) <= 1e-5*math.Abs(want)
}

func analyzeTop(tb testing.TB, c *graph.Circuit, opt cutsets.Options) cutsets.Target {
	tb.Helper()
	targets := cutsets.DefaultTargets(c)
	if len(targets) != 1 {
		tb.Fatalf("want one top event, got %d", len(targets))
	}
	res, err := cutsets.Analyze(context.Background(), c, targets, opt)
	if err != nil {
		tb.Fatalf("Analyze(%+v): %v", opt, err)
	}
	return res.Targets[0]
}

// aralia is the Aralia benchmark set with SCRAM's figures: minimal cut
// sets of order 1, 2 and 3, of every order, and the exact top-event
// probability (every basic event has probability 0.01).
var aralia = []struct {
	file  string
	o123  [3]int64
	total int64
	p     string
}{
	{"baobab1.xml", [3]int64{0, 1, 1}, 46188, "0.000101708"},
	{"baobab2.xml", [3]int64{0, 6, 121}, 4805, "0.000713018"},
	{"chinese.xml", [3]int64{0, 12, 0}, 392, "0.00117058"},
	{"das9201.xml", [3]int64{0, 82, 9740}, 14217, "0.0134237"},
	{"das9202.xml", [3]int64{1, 1, 16}, 27778, "0.0101154"},
	{"das9203.xml", [3]int64{0, 7, 728}, 16200, "0.0013488"},
	{"das9206.xml", [3]int64{25, 96, 627}, 19518, "0.229687"},
	{"das9208.xml", [3]int64{0, 134, 888}, 8060, "0.0130179"},
	{"edf9201.xml", [3]int64{25, 1667, 36604}, 579720, "0.324591"},
	{"edf9205.xml", [3]int64{15, 1089, 4247}, 21308, "0.209351"},
	{"edfpa14p.xml", [3]int64{6, 257, 1516}, 415500, "0.0807059"},
	{"elf9601.xml", [3]int64{10, 10, 112}, 151348, "0.0966291"},
	{"ftr10.xml", [3]int64{57, 243, 5}, 305, "0.448677"},
	{"isp9603.xml", [3]int64{0, 22, 1320}, 3434, "0.00323326"},
	{"isp9606.xml", [3]int64{4, 163, 936}, 1776, "0.0543174"},
}

func TestAralia(t *testing.T) {
	for _, tc := range aralia {
		t.Run(tc.file, func(t *testing.T) {
			c := loadTree(t, "aralia/"+tc.file)
			for _, method := range []cutsets.Method{cutsets.Auto, cutsets.BDD, cutsets.CutOff} {
				low := analyzeTop(t, c, cutsets.Options{MaxOrder: 3, Method: method})
				want := map[int]int64{1: tc.o123[0], 2: tc.o123[1], 3: tc.o123[2]}
				if diff := cmp.Diff(want, low.Counts); diff != "" {
					t.Errorf("%s: counts of order ≤ 3 mismatch (-want +got):\n%s", method, diff)
				}
				if int64(len(low.CutSets)) != low.Total {
					t.Errorf("%s: %d cut sets listed, %d counted", method, len(low.CutSets), low.Total)
				}
				if low.Probability == nil || !printed(*low.Probability, tc.p) {
					t.Errorf("%s: P(top) = %v, want %s", method, deref(low.Probability), tc.p)
				}
			}
			// Every order: the cut-off method has no cut-off to help it, so
			// only the BDD method runs here on the large sets.
			all := analyzeTop(t, c, cutsets.Options{CountOnly: true})
			if all.Total != tc.total {
				t.Errorf("minimal cut sets of every order: %d, want %d", all.Total, tc.total)
			}
			if all.Probability == nil || !printed(*all.Probability, tc.p) {
				t.Errorf("P(top) = %v, want %s", deref(all.Probability), tc.p)
			}
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// scram are SCRAM's own test trees with their expected results.
var scram = []struct {
	name      string
	files     []string
	byOrder   []int64 // counts of order 1, 2, ...
	sets      [][]string
	p         string
	rareEvent string
	csv       string
}{
	{name: "BSCU", files: []string{"scram/BSCU/BSCU.xml"}, byOrder: []int64{2, 8},
		p: "0.1124087", rareEvent: "0.135372", csv: "scram/scram_importance_bscu.csv"},
	{name: "HIPPS", files: []string{"scram/HIPPS/HIPPS.xml"}, byOrder: []int64{6, 3},
		p: "0.0016209", rareEvent: "0.00162188", csv: "scram/scram_importance_hipps.csv"},
	{name: "ne574", files: []string{"scram/ne574/ne574.xml"}, byOrder: []int64{1, 3, 3},
		sets: [][]string{{"C"}, {"B", "D"}, {"D", "F"}, {"D", "G"}, {"B", "H", "I"}, {"F", "H", "I"}, {"G", "H", "I"}},
		p:    "0.662208"},
	// SCRAM's unit test expects 0.0045691 within 1e-5, from a three-term
	// inclusion–exclusion; the exact value, from SCRAM 0.16.2's BDD, heads
	// its importance table.
	{name: "Chinese", files: []string{"scram/Chinese/chinese.xml", "scram/Chinese/chinese-basic-events.xml"},
		byOrder: []int64{0, 12, 0, 24, 188, 168}, p: "0.00456932", rareEvent: "0.004804", csv: "scram/scram_importance_chinese.csv"},
	{name: "Theatre", files: []string{"scram/Theatre/theatre.xml"}, byOrder: []int64{0, 2},
		sets: [][]string{{"Gen_Fail", "Mains_Fail"}, {"Mains_Fail", "Relay_Fail"}}, p: "0.00207"},
	{name: "SmallTree", files: []string{"scram/SmallTree/SmallTree.xml"}, byOrder: []int64{0, 2},
		sets: [][]string{{"e1", "e2"}, {"e3", "e4"}}, p: "0.0267768"},
	{name: "ThreeMotor", files: []string{"scram/ThreeMotor/three_motor.xml"}, byOrder: []int64{1, 3, 0, 8}, p: "0.0211538"},
	{name: "Lift", files: []string{"scram/Lift/lift.xml"}, byOrder: []int64{12}, p: "1.19999e-5"},
}

func TestSCRAM(t *testing.T) {
	for _, tc := range scram {
		t.Run(tc.name, func(t *testing.T) {
			c := loadTree(t, tc.files...)
			for _, method := range []cutsets.Method{cutsets.BDD, cutsets.CutOff} {
				tr := analyzeTop(t, c, cutsets.Options{Method: method, Importance: true})
				want := map[int]int64{}
				for i, n := range tc.byOrder {
					want[i+1] = n
				}
				if diff := cmp.Diff(want, tr.Counts); diff != "" {
					t.Errorf("%s: counts mismatch (-want +got):\n%s", method, diff)
				}
				if tc.sets != nil {
					if diff := cmp.Diff(tc.sets, tr.CutSets); diff != "" {
						t.Errorf("%s: cut sets mismatch (-want +got):\n%s", method, diff)
					}
				}
				if tr.Probability == nil || !printed(*tr.Probability, tc.p) {
					t.Errorf("%s: P(top) = %v, want %s", method, deref(tr.Probability), tc.p)
				}
				if tc.rareEvent != "" && !printed(*tr.RareEvent, tc.rareEvent) {
					t.Errorf("%s: rare-event approximation %g, want %s", method, *tr.RareEvent, tc.rareEvent)
				}
				if tc.csv != "" {
					checkImportance(t, tr, tc.csv)
				}
			}
		})
	}
}

// TestChineseFolder reads the two-file Chinese model as one folder
// source: the basic events defined in the second file resolve inside the
// importer.
func TestChineseFolder(t *testing.T) {
	if _, err := os.Stat(faultTrees); err != nil {
		t.Skipf("reference fault trees not available: %v", err)
	}
	dir := filepath.Join(faultTrees, "scram/Chinese")
	batch, err := openpsa.Importer{}.Import(context.Background(), importers.Source{FS: os.DirFS(dir), Path: ".", Name: "Chinese"})
	if err != nil {
		t.Fatal(err)
	}
	b := graph.NewBuilder()
	b.Add(batch)
	m, ps := b.Build()
	if m == nil {
		t.Fatalf("Build: %v", ps)
	}
	tr := analyzeTop(t, graph.Compile(m, graph.CompileOptions{}), cutsets.Options{CountOnly: true})
	if tr.Total != 392 || !printed(*tr.Probability, "0.00456932") {
		t.Errorf("Chinese folder: %d cut sets, P %v; want 392, 0.00456932", tr.Total, deref(tr.Probability))
	}
}

// checkImportance compares the importance measures with a table written
// by SCRAM: name, occurrence (cut sets containing the event),
// probability, MIF (Birnbaum), CIF (criticality: Fussell–Vesely as
// 1 − P0/P), DIF (diagnosis), RAW, RRW.
func checkImportance(t *testing.T, tr cutsets.Target, file string) {
	t.Helper()
	f, err := os.Open(filepath.Join(faultTrees, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]cutsets.Importance{}
	for _, im := range tr.Importance {
		got[im.Event] = im
	}
	occurs := map[string]int{}
	for _, s := range tr.CutSets {
		for _, id := range s {
			occurs[id]++
		}
	}
	if len(rows)-1 != len(got) {
		t.Errorf("%s: %d events, want %d", file, len(got), len(rows)-1)
	}
	for _, row := range rows[1:] {
		name := row[0]
		im, ok := got[name]
		if !ok {
			t.Errorf("%s: no importance for %s", file, name)
			continue
		}
		if n, _ := strconv.Atoi(row[1]); n != occurs[name] {
			t.Errorf("%s: %s occurs in %d cut sets, want %d", file, name, occurs[name], n)
		}
		for i, v := range []float64{im.Probability, im.Birnbaum, im.FussellVesely, im.Diagnosis, im.RAW, im.RRW} {
			want, err := strconv.ParseFloat(strings.TrimSpace(row[i+2]), 64)
			if err != nil {
				t.Fatal(err)
			}
			if !relNear(v, want) {
				t.Errorf("%s: %s %s = %.6g, want %g", file, name, rows[0][i+2], v, want)
			}
		}
	}
}
