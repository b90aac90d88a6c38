package sim

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// worker simulates years one at a time with its own engine and scratch
// space.
type worker struct {
	p   *plan
	e   *impact.TimelineEngine
	src rand.PCG

	draws   []draw
	outs    []impact.Outage
	loss    []float64 // per function, this year
	flags   []uint8   // per function, this year
	touched []int32   // functions with flagSeen this year

	failures []int // per vendor: years failed
	lines    int   // time lines computed
	unrest   bool  // this year: a time line ended with a node down

	// collect: record the clusters with a loss in clusters.
	collect  bool
	clusters []cluster
}

// cluster is one cluster of a year with a loss.
type cluster struct {
	vendors []int32 // indices into plan.vendors, ascending
	loss    float64
}

// draw is one vendor's outage in a year.
type draw struct {
	v          int32 // index into plan.vendors
	start, dur int64 // nanoseconds
}

// flagSeen marks a function listed in worker.touched.
const flagSeen uint8 = 1 << 7

func (p *plan) newWorker() (*worker, error) {
	e, err := p.engine()
	if err != nil {
		return nil, err
	}
	return &worker{
		p:        p,
		e:        e,
		loss:     make([]float64, len(p.funcs)),
		flags:    make([]uint8, len(p.funcs)),
		failures: make([]int, len(p.vendors)),
	}, nil
}

// mix is the SplitMix64 finaliser: a bijection that spreads nearby
// inputs over the whole range.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// seed starts year's own random stream.
func (w *worker) seed(year int) {
	s := mix(w.p.opt.Seed)
	w.src.Seed(s, mix(s^uint64(year)))
}

// uniform returns a number in [0, 1) with 53 random bits.
func (w *worker) uniform() float64 {
	return float64(w.src.Uint64()>>11) * 0x1p-53
}

// below returns a uniform integer in [0, n), n > 0 (Lemire's method).
func (w *worker) below(n uint64) uint64 {
	hi, lo := bits.Mul64(w.src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(w.src.Uint64(), n)
		}
	}
	return hi
}

// normal returns a standard normal number (Box–Muller, one of the pair).
func (w *worker) normal() float64 {
	u1 := 1 - w.uniform() // (0, 1]
	u2 := w.uniform()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// drawYear draws year's outages into w.draws, sorted by start, then
// vendor.
func (w *worker) drawYear(year int) {
	p := w.p
	w.seed(year)
	w.draws = w.draws[:0]
	for i := range p.vendors {
		if w.uniform() < p.vendors[i].p {
			w.draws = append(w.draws, draw{v: int32(i)})
		}
	}
	for k := range w.draws {
		d := &w.draws[k]
		start := int64(w.below(uint64(YearLength)))
		z := w.normal()
		if !p.opt.AlignStarts {
			d.start = start
		}
		med := p.vendors[d.v].median
		if med == 0 {
			continue
		}
		ns := math.Round(med * math.Exp(p.opt.Sigma*z))
		d.dur = int64(min(max(ns, 1), float64(graph.MaxDuration)))
	}
	// Insertion sort: few outages a year, already in vendor order.
	ds := w.draws
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].start < ds[j-1].start; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// block simulates years [from, to).
func (w *worker) block(ctx context.Context, from, to int) (*chunk, error) {
	c := &chunk{total: make([]float64, to-from)}
	for y := from; y < to; y++ {
		if (y-from)%64 == 63 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		w.drawYear(y)
		if len(w.draws) == 0 {
			continue
		}
		c.outage++
		for _, d := range w.draws {
			w.failures[d.v]++
		}
		if err := w.year(); err != nil {
			return nil, err
		}
		if w.unrest {
			c.unrest++
		}
		// The year's outcome, by function.
		ts := w.touched
		for i := 1; i < len(ts); i++ {
			for j := i; j > 0 && ts[j] < ts[j-1]; j-- {
				ts[j], ts[j-1] = ts[j-1], ts[j]
			}
		}
		total := 0.0
		for _, f := range ts {
			total += w.loss[f]
			c.entries = append(c.entries, entry{f: f, flags: w.flags[f] &^ flagSeen, loss: w.loss[f]})
			w.loss[f], w.flags[f] = 0, 0
		}
		w.touched = ts[:0]
		c.total[y-from] = total
	}
	return c, nil
}

// year computes the time lines of the outages in w.draws, cluster by
// cluster (see Run), adding each function's loss, halts and breaches to
// w.loss, w.flags and w.touched.
func (w *worker) year() error {
	w.unrest = false
	w.clusters = w.clusters[:0]
	ds := w.draws
	for i := 0; i < len(ds); {
		j := i + 1
		for {
			r, err := w.run(ds[i:j])
			if err != nil {
				return err
			}
			quiet := quiescent(r)
			end := ds[i].start
			if r.LastChange != nil {
				end += int64(*r.LastChange)
			}
			k := j
			for k < len(ds) && (!quiet || ds[k].start <= end) {
				k++
			}
			if k > j {
				j = k
				continue
			}
			if !quiet {
				w.unrest = true
			}
			w.add(r, ds[i:j])
			break
		}
		i = j
	}
	return nil
}

// run computes the time line of one cluster, timed from its first
// outage.
func (w *worker) run(ds []draw) (*impact.TimelineResult, error) {
	p := w.p
	base := ds[0].start
	w.outs = w.outs[:0]
	for _, d := range ds {
		w.outs = append(w.outs, impact.Outage{ID: p.vendors[d.v].id, Start: graph.Duration(d.start - base),
			Duration: graph.Duration(d.dur)})
	}
	w.lines++
	h := graph.Duration(ds[len(ds)-1].start-base) + p.opt.Horizon
	return w.e.Run(w.outs, impact.TimelineOptions{Fallbacks: p.opt.Fallbacks, Horizon: h})
}

// quiescent reports whether every node is up again, for good, at the end
// of r.
func quiescent(r *impact.TimelineResult) bool {
	if !r.Settled {
		return false
	}
	for i := range r.Nodes {
		d := r.Nodes[i].Down
		if len(d) > 0 && d[len(d)-1].To == nil {
			return false
		}
	}
	return true
}

// add adds a cluster's time line to the year.
func (w *worker) add(r *impact.TimelineResult, ds []draw) {
	loss := 0.0
	for f := range r.Functions {
		ft := &r.Functions[f]
		if ft.Loss == 0 && ft.HaltedAt == nil && ft.BreachAt == nil {
			continue
		}
		if w.flags[f]&flagSeen == 0 {
			w.flags[f] |= flagSeen
			w.touched = append(w.touched, int32(f))
		}
		w.loss[f] += ft.Loss
		loss += ft.Loss
		if ft.HaltedAt != nil {
			w.flags[f] |= flagHalt
		}
		if ft.BreachAt != nil {
			w.flags[f] |= flagBreach
		}
	}
	if w.collect && loss != 0 {
		c := cluster{vendors: make([]int32, len(ds)), loss: loss}
		for i, d := range ds {
			c.vendors[i] = d.v
		}
		slices.Sort(c.vendors)
		w.clusters = append(w.clusters, c)
	}
}
