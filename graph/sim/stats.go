package sim

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
)

// reduce turns the blocks' outcomes into a Result (the tail left for
// later) and returns the total loss of every year, in year order.
func (p *plan) reduce(out *outcome) (*Result, []float64) {
	o := p.opt
	m := p.m
	r := &Result{
		Years: o.Years, Seed: o.Seed, Fallbacks: o.Fallbacks, AlignStarts: o.AlignStarts,
		Sigma: o.Sigma, DefaultDuration: o.DefaultDuration, Horizon: o.Horizon,
		Vendors:   make([]Vendor, len(p.vendors)),
		Functions: make([]Function, len(p.funcs)),
		TimeLines: out.lines,
	}
	for i, v := range p.vendors {
		n := m.Nodes[v.node]
		r.Vendors[i] = Vendor{ID: n.ID, Name: n.Label(), Probability: v.p, Median: o.DefaultDuration,
			Default: n.OutageDuration == nil, Failures: out.failures[i]}
		if n.OutageDuration != nil {
			r.Vendors[i].Median = *n.OutageDuration
		}
	}

	totals := make([]float64, 0, o.Years)
	var nonzero []float64
	losses := make([][]float64, len(p.funcs)) // non-zero losses per function, in year order
	for _, c := range out.chunks {
		totals = append(totals, c.total...)
		r.YearsWithOutage += c.outage
		r.Unrestored += c.unrest
		for _, e := range c.entries {
			if e.loss != 0 {
				losses[e.f] = append(losses[e.f], e.loss)
			}
			if e.flags&flagHalt != 0 {
				r.Functions[e.f].HaltYears++
			}
			if e.flags&flagBreach != 0 {
				r.Functions[e.f].BreachYears++
			}
		}
	}
	for _, t := range totals {
		if t != 0 {
			nonzero = append(nonzero, t)
		}
	}
	r.YearsWithLoss = len(nonzero)
	r.Total = summarize(nonzero, o.Years)
	years := float64(o.Years)
	for i, v := range p.funcs {
		n := m.Nodes[v]
		f := &r.Functions[i]
		f.ID, f.Name, f.Tier, f.ImpactPerHour, f.Tolerance = n.ID, n.Label(), n.Tier, n.ImpactPerHour, n.Tolerance
		f.Loss = summarize(losses[i], o.Years)
		f.HaltFrequency = float64(f.HaltYears) / years
		f.BreachFrequency = float64(f.BreachYears) / years
	}
	return r, totals
}

// summarize describes n yearly losses given the non-zero ones in year
// order (the others are 0). It sorts nonzero.
func summarize(nonzero []float64, n int) Loss {
	var l Loss
	if n == 0 {
		return l
	}
	mean := sum(nonzero, func(x float64) float64 { return x }) / float64(n)
	zeros := n - len(nonzero)
	if n > 1 {
		ss := sum(nonzero, func(x float64) float64 { return (x - mean) * (x - mean) })
		ss += float64(zeros) * mean * mean
		l.StdErr = math.Sqrt(ss / float64(n-1) / float64(n))
	}
	l.Mean = mean
	slices.Sort(nonzero)
	l.P50 = quantile(nonzero, n, 0.50)
	l.P95 = quantile(nonzero, n, 0.95)
	l.P99 = quantile(nonzero, n, 0.99)
	if len(nonzero) > 0 {
		l.Max = nonzero[len(nonzero)-1]
	}
	if zeros > 0 {
		l.Max = max(l.Max, 0)
	}
	return l
}

// sum is Σ f(x) over xs in order, compensated (Neumaier) so that the
// order of a long sum costs no precision.
func sum(xs []float64, f func(float64) float64) float64 {
	s, c := 0.0, 0.0
	for _, x := range xs {
		y := f(x)
		t := s + y
		if math.Abs(s) >= math.Abs(y) {
			c += (s - t) + y
		} else {
			c += (y - t) + s
		}
		s = t
	}
	return s + c
}

// rank is the nearest rank of quantile q among n values: ⌈q·n⌉, within
// [1, n], with q·n that is a whole number up to rounding taken as one.
func rank(q float64, n int) int {
	x := q * float64(n)
	k := int(math.Round(x))
	if math.Abs(x-float64(k)) > 1e-9*max(1, x) {
		k = int(math.Ceil(x))
	}
	return min(max(k, 1), n)
}

// quantile is the nearest-rank q quantile of n values: the sorted
// non-zero ones and n − len(sorted) zeros.
func quantile(sorted []float64, n int, q float64) float64 {
	k := rank(q, n) // 1-based rank among all n
	neg, _ := slices.BinarySearch(sorted, 0)
	zeros := n - len(sorted)
	switch {
	case k <= neg:
		return sorted[k-1]
	case k <= neg+zeros:
		return 0
	}
	return sorted[k-zeros-1]
}

// tailBlock is the number of tail years a worker takes at a time.
const tailBlock = 64

// tail fills r.Tail from the years' totals, simulating the tail years
// again to learn their scenarios.
func (p *plan) tail(ctx context.Context, r *Result, totals []float64) error {
	o := p.opt
	nonzero := make([]float64, 0, r.YearsWithLoss)
	for _, t := range totals {
		if t != 0 {
			nonzero = append(nonzero, t)
		}
	}
	slices.Sort(nonzero)
	t := &r.Tail
	t.Quantile = o.TailQuantile
	t.Threshold = quantile(nonzero, o.Years, o.TailQuantile)
	t.Scenarios = []Scenario{}
	var years []int
	var loss []float64
	for y, x := range totals {
		if x > 0 && x >= t.Threshold {
			years = append(years, y)
			loss = append(loss, x)
		}
	}
	t.Years = len(years)
	t.Loss = sum(loss, func(x float64) float64 { return x })
	if len(years) == 0 {
		return nil
	}

	perYear := make([][]cluster, len(years))
	n := (len(years) + tailBlock - 1) / tailBlock
	err := p.parallel(ctx, n, func(w *worker, b int) error {
		w.collect = true
		for i := b * tailBlock; i < min(len(years), (b+1)*tailBlock); i++ {
			w.drawYear(years[i])
			if err := w.year(); err != nil {
				return err
			}
			for _, f := range w.touched {
				w.loss[f], w.flags[f] = 0, 0
			}
			w.touched = w.touched[:0]
			perYear[i] = slices.Clone(w.clusters)
		}
		return nil
	}, nil, nil)
	if err != nil {
		return err
	}

	// Group in year order, then cluster order, so that every sum is
	// taken in that order.
	type group struct {
		vendors []int32
		years   int
		last    int // the last tail year counted
		losses  []float64
	}
	var groups []*group
	byKey := map[string]*group{}
	var key strings.Builder
	for i, cs := range perYear {
		for _, c := range cs {
			key.Reset()
			for _, v := range c.vendors {
				key.WriteString(p.vendors[v].id)
				key.WriteByte(0)
			}
			g := byKey[key.String()]
			if g == nil {
				g = &group{vendors: c.vendors, last: -1}
				byKey[key.String()] = g
				groups = append(groups, g)
			}
			if g.last != i {
				g.years++
				g.last = i
			}
			g.losses = append(g.losses, c.loss)
		}
	}
	out := make([]Scenario, len(groups))
	for i, g := range groups {
		s := Scenario{Years: g.years, Loss: sum(g.losses, func(x float64) float64 { return x })}
		for _, v := range g.vendors {
			s.Vendors = append(s.Vendors, p.vendors[v].id)
		}
		if t.Loss > 0 {
			s.Share = s.Loss / t.Loss
		}
		out[i] = s
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Loss != b.Loss {
			return a.Loss > b.Loss
		}
		if a.Years != b.Years {
			return a.Years > b.Years
		}
		return slices.Compare(a.Vendors, b.Vendors) < 0
	})
	t.Groups = len(out)
	if o.TailScenarios > 0 && len(out) > o.TailScenarios {
		out = out[:o.TailScenarios]
	}
	t.Scenarios = out
	return nil
}
