package sim

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestSummarize checks the statistics on hand examples, zero years given
// implicitly as in a simulation.
func TestSummarize(t *testing.T) {
	tests := []struct {
		name    string
		nonzero []float64
		n       int
		want    Loss
	}{{
		name:    "none",
		nonzero: nil, n: 5,
		want: Loss{},
	}, {
		// 1 2 3 4: ranks ⌈0.5·4⌉ = 2, ⌈0.95·4⌉ = ⌈0.99·4⌉ = 4; sample
		// variance 5/3.
		name:    "dense",
		nonzero: []float64{4, 1, 3, 2}, n: 4,
		want: Loss{Mean: 2.5, StdErr: math.Sqrt(5.0 / 3 / 4), P50: 2, P95: 4, P99: 4, Max: 4},
	}, {
		// 0 ×7, 1, 3, 5: P50 is the 5th (0), P95 and P99 the 10th (5).
		// Mean 0.9; Σ(x−0.9)² = 7·0.81 + 0.01 + 4.41 + 16.81 = 26.9.
		name:    "sparse",
		nonzero: []float64{5, 1, 3}, n: 10,
		want: Loss{Mean: 0.9, StdErr: math.Sqrt(26.9 / 9 / 10), P50: 0, P95: 5, P99: 5, Max: 5},
	}, {
		// 100 years, 5 with losses 10..50: P95 is the 95th value (0),
		// P99 the 99th (40).
		name:    "tail",
		nonzero: []float64{50, 10, 40, 20, 30}, n: 100,
		want: Loss{Mean: 1.5, StdErr: se(append(make([]float64, 95), 10, 20, 30, 40, 50)), P50: 0, P95: 0, P99: 40, Max: 50},
	}, {
		// −2 0 0 3: a negative value sorts before the zeros.
		name:    "negative",
		nonzero: []float64{3, -2}, n: 4,
		want: Loss{Mean: 0.25, StdErr: se([]float64{-2, 0, 0, 3}), P50: 0, P95: 3, P99: 3, Max: 3},
	}, {
		name:    "all negative",
		nonzero: []float64{-1, -3}, n: 2,
		want: Loss{Mean: -2, StdErr: 1, P50: -3, P95: -1, P99: -1, Max: -1},
	}, {
		name:    "one year",
		nonzero: []float64{7}, n: 1,
		want: Loss{Mean: 7, P50: 7, P95: 7, P99: 7, Max: 7},
	}}
	for _, tt := range tests {
		got := summarize(append([]float64(nil), tt.nonzero...), tt.n)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("summarize(%s) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// se is the standard error of the mean of xs, straight from the
// definition.
func se(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return math.Sqrt(v / float64(len(xs)-1) / float64(len(xs)))
}

// TestRank checks the nearest rank where q·n is a whole number only up to
// rounding.
func TestRank(t *testing.T) {
	tests := []struct {
		q    float64
		n    int
		want int
	}{
		{0.99, 100_000, 99_000},
		{0.95, 100_000, 95_000},
		{0.5, 100_000, 50_000},
		{0.99, 100, 99},
		{0.99, 101, 100},
		{0.5, 3, 2},
		{0.01, 10, 1},
		{0.001, 10, 1},
		{0.999999, 10, 10},
		{0.7, 10, 7},
		{0.29, 100, 29},
	}
	for _, tt := range tests {
		if got := rank(tt.q, tt.n); got != tt.want {
			t.Errorf("rank(%v, %d) = %d, want %d", tt.q, tt.n, got, tt.want)
		}
	}
}

// TestQuantileAgainstSort compares quantile on sparse losses with the
// order statistic of the full, sorted list.
func TestQuantileAgainstSort(t *testing.T) {
	w := &worker{}
	for trial := range 200 {
		w.src.Seed(uint64(trial), 1)
		n := 1 + int(w.below(60))
		var all, nonzero []float64
		for range n {
			x := 0.0
			switch w.below(3) {
			case 1:
				x = float64(w.below(20)) - 5
			case 2:
				x = w.uniform() * 100
			}
			all = append(all, x)
			if x != 0 {
				nonzero = append(nonzero, x)
			}
		}
		sorted := append([]float64(nil), all...)
		sortFloats(sorted)
		nz := append([]float64(nil), nonzero...)
		sortFloats(nz)
		for _, q := range []float64{0.01, 0.25, 0.5, 0.9, 0.95, 0.99} {
			k := int(math.Ceil(q*float64(n) - 1e-9))
			k = min(max(k, 1), n)
			if got, want := quantile(nz, n, q), sorted[k-1]; got != want {
				t.Fatalf("quantile(%v, n=%d, q=%v) = %v, want %v (all %v)", nonzero, n, q, got, want, all)
			}
		}
	}
}

func sortFloats(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// TestDraws checks the random numbers a year draws from: uniform in
// [0, 1), bounded integers in range, normals with mean 0 and variance 1.
func TestDraws(t *testing.T) {
	w := &worker{p: &plan{opt: Options{Seed: 7}}}
	w.seed(3)
	const n = 200_000
	var su, sz, szz float64
	for range n {
		u := w.uniform()
		if u < 0 || u >= 1 {
			t.Fatalf("uniform() = %v, outside [0, 1)", u)
		}
		su += u
		if b := w.below(7); b >= 7 {
			t.Fatalf("below(7) = %d", b)
		}
		z := w.normal()
		sz += z
		szz += z * z
	}
	// Means within about 5 standard errors.
	if m := su / n; math.Abs(m-0.5) > 5*math.Sqrt(1.0/12/n) {
		t.Errorf("mean of uniform() = %v, want 0.5", m)
	}
	if m := sz / n; math.Abs(m) > 5/math.Sqrt(n) {
		t.Errorf("mean of normal() = %v, want 0", m)
	}
	if v := szz / n; math.Abs(v-1) > 5*math.Sqrt(2.0/n) {
		t.Errorf("variance of normal() = %v, want 1", v)
	}
	// The same year gives the same stream; another year another.
	w.seed(3)
	a := w.src.Uint64()
	w.seed(3)
	b := w.src.Uint64()
	w.seed(4)
	c := w.src.Uint64()
	if a != b || a == c {
		t.Errorf("year streams: seed(3) gives %x then %x, seed(4) %x", a, b, c)
	}
}
