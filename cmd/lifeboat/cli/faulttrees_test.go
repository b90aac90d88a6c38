package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// faultTrees are public benchmark fault trees with reference figures
// from SCRAM (see the README's benchmark table). They are not part of the
// repository; the test skips when they are absent.
const faultTrees = "../../../../shared/realdata/faulttrees"

// TestFaultTreeReference runs `lifeboat cutsets FILE --format json` in
// process on Aralia benchmark trees and compares the cut set counts and
// the exact top-event probability with the reference figures.
func TestFaultTreeReference(t *testing.T) {
	if _, err := os.Stat(faultTrees); err != nil {
		t.Skipf("reference fault trees not available: %v", err)
	}
	tests := []struct {
		file   string
		counts [3]int64 // orders 1, 2, 3
		all    int64    // every order; 0: not checked
		p      string   // P(top) as the reference prints it
	}{
		{file: "chinese.xml", counts: [3]int64{0, 12, 0}, all: 392, p: "0.00117058"},
		{file: "baobab2.xml", counts: [3]int64{0, 6, 121}, all: 4805, p: "0.000713018"},
		{file: "das9201.xml", counts: [3]int64{0, 82, 9740}, all: 14217, p: "0.0134237"},
		{file: "das9206.xml", counts: [3]int64{25, 96, 627}, p: "0.229687"},
		{file: "edf9205.xml", counts: [3]int64{15, 1089, 4247}, p: "0.209351"},
		{file: "ftr10.xml", counts: [3]int64{57, 243, 5}, all: 305, p: "0.448677"},
		{file: "isp9606.xml", counts: [3]int64{4, 163, 936}, all: 1776, p: "0.0543174"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(faultTrees, "aralia", tt.file)
			got := cutsetsJSON(t, path, "--max-order", "3", "--count-only")
			want := map[string]int64{"1": tt.counts[0], "2": tt.counts[1], "3": tt.counts[2]}
			if len(got.Counts) != 3 {
				t.Errorf("cutsets %s: counts %v, want orders 1 to 3", tt.file, got.Counts)
			}
			for k, n := range want {
				if got.Counts[k] != n {
					t.Errorf("cutsets %s: order %s count %d, want %d", tt.file, k, got.Counts[k], n)
				}
			}
			if got.Probability == nil || !printedAs(*got.Probability, tt.p) {
				t.Errorf("cutsets %s: probability %v, want %s", tt.file, got.Probability, tt.p)
			}
			if tt.all == 0 {
				return
			}
			all := cutsetsJSON(t, path, "--max-order", "0")
			if all.Total != tt.all || int64(len(all.CutSets)) != tt.all {
				t.Errorf("cutsets %s --max-order 0: total %d, %d listed; want %d", tt.file, all.Total, len(all.CutSets), tt.all)
			}
		})
	}
}

type cutsetsTarget struct {
	Counts      map[string]int64
	Total       int64
	CutSets     [][]string
	Probability *float64
}

// cutsetsJSON runs lifeboat cutsets on one fault tree and returns its one
// target.
func cutsetsJSON(t *testing.T, path string, args ...string) cutsetsTarget {
	t.Helper()
	var stdout, stderr bytes.Buffer
	argv := append([]string{"cutsets", path, "--format", "json"}, args...)
	if code := Main(context.Background(), argv, &stdout, &stderr); code != ExitOK {
		t.Fatalf("lifeboat %v: exit %d: %s", argv, code, stderr.String())
	}
	var out struct{ Targets []cutsetsTarget }
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Targets) != 1 {
		t.Fatalf("lifeboat %v: %d targets, want 1", argv, len(out.Targets))
	}
	return out.Targets[0]
}

// printedAs reports whether got rounds to the figure want as printed
// (within half a unit of its last digit).
func printedAs(got float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		return false
	}
	digits := 0
	if i := bytes.IndexByte([]byte(want), '.'); i >= 0 {
		digits = len(want) - i - 1
	}
	return math.Abs(got-w) <= math.Pow(10, -float64(digits))/2*(1+1e-9)
}
