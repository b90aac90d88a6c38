package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// Defaults of Options.
const (
	// DefaultYears is the number of years simulated when Options.Years
	// is 0.
	DefaultYears = 100_000
	// DefaultSigma is the spread of outage durations when Options.Sigma
	// is 0: the standard deviation of the logarithm of a duration. With
	// 0.5, the middle 90% of outages last between 0.44 and 2.28 times the
	// median (exp(±1.645 × 0.5)), and the mean is exp(0.125) ≈ 1.13 times
	// the median.
	DefaultSigma = 0.5
	// DefaultDuration is the median outage of a vendor without
	// outage_duration when Options.DefaultDuration is 0.
	DefaultDuration = 24 * graph.Hour
	// DefaultHorizon is how long the consequences of an outage are
	// followed when Options.Horizon is 0.
	DefaultHorizon = 365 * graph.Day
	// DefaultTailQuantile is Options.TailQuantile when it is 0.
	DefaultTailQuantile = 0.99
	// DefaultTailScenarios is Options.TailScenarios when it is 0.
	DefaultTailScenarios = 10
)

// YearLength is the length of a simulated year: outages start uniformly
// in [0, YearLength).
const YearLength = 365 * graph.Day

// Options choose how Run simulates. The zero value simulates
// DefaultYears years with seed 0 on every core, without fallbacks.
type Options struct {
	// Years is the number of years simulated; 0 means DefaultYears.
	Years int
	// Seed chooses the random outages. The same seed and options give
	// the same Result, whatever Workers.
	Seed uint64
	// Workers is the number of goroutines that simulate years; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Fallbacks: fallbacks take part in the time lines (see
	// impact.TimelineOptions).
	Fallbacks bool
	// Sigma is the spread of outage durations around their median, the
	// standard deviation of the logarithm; 0 means DefaultSigma.
	Sigma float64
	// FixedDurations: every outage lasts exactly its vendor's median
	// (Sigma is ignored).
	FixedDurations bool
	// DefaultDuration is the median outage of a vendor without
	// outage_duration; 0 means DefaultDuration.
	DefaultDuration graph.Duration
	// AlignStarts: every outage of a year starts at the beginning of the
	// year instead of at a uniformly random moment, so the vendors that
	// fail in a year are down together. The failures and durations drawn
	// are the same as without it, for the same seed. It makes the time
	// lines follow the static failure semantics when no node has a buffer
	// and fallbacks are off: a function halts in a year exactly when the
	// vendors that fail that year bring it down together.
	AlignStarts bool
	// Horizon is how long the consequences of each outage are followed
	// after it begins, at most graph.MaxDuration; 0 means DefaultHorizon
	// (a year). It matters only for nodes never restored (see
	// impact.Timeline: a recovery deadlock), which count as down until
	// the horizon, and for outages longer than it.
	Horizon graph.Duration
	// TailQuantile chooses the tail years whose scenarios Result.Tail
	// ranks: those whose total loss is positive and at least the
	// TailQuantile quantile of the total annual loss; 0 means
	// DefaultTailQuantile. It must lie in (0, 1).
	TailQuantile float64
	// TailScenarios is the number of tail scenarios listed; 0 means
	// DefaultTailScenarios, a negative number every one.
	TailScenarios int
	// Progress, when not nil, is told how many of the years are done. It
	// is called from the goroutine that called Run, never concurrently,
	// at most about ten times a second with done increasing, and once
	// with done == total when the years are all simulated (before the
	// tail scenarios are computed).
	Progress func(done, total int)
}

// Result is the outcome of a simulation. Money is in the map's currency,
// per year.
type Result struct {
	// The options used, defaults filled in. Sigma is 0 with
	// FixedDurations.
	Years           int
	Seed            uint64
	Fallbacks       bool
	AlignStarts     bool
	Sigma           float64
	DefaultDuration graph.Duration
	Horizon         graph.Duration

	// Vendors lists every vendor that can fail (probability above 0),
	// sorted by id.
	Vendors []Vendor
	// Total is the annual loss of all functions together.
	Total Loss
	// Functions lists every function of the map, sorted by id.
	Functions []Function

	// YearsWithOutage is the number of years in which some vendor
	// failed; YearsWithLoss, in which the total loss is not 0.
	YearsWithOutage, YearsWithLoss int
	// Unrestored is the number of years in which some node was still
	// down at the end of a time line: never restored (a recovery
	// deadlock), or cut short by the horizon.
	Unrestored int
	// TimeLines is the number of time lines computed for the years
	// (those recomputed for the tail not counted).
	TimeLines int

	// Tail holds the scenarios that dominate the worst years.
	Tail Tail
}

// Vendor is one vendor that can fail.
type Vendor struct {
	ID          string
	Name        string // the vendor's label: its name, else its id
	Probability float64
	// Median is the median length of its outages: its outage_duration,
	// or Options.DefaultDuration when it has none (then Default is set).
	Median  graph.Duration
	Default bool
	// Failures is the number of simulated years in which it failed.
	Failures int
}

// Loss summarises a loss over the simulated years. Quantiles are exact
// order statistics of the per-year losses, years without loss included,
// by the nearest-rank rule: Pq is the smallest loss that at least a
// fraction q of the years do not exceed.
type Loss struct {
	// Mean is the expected annual loss: the mean over the years.
	Mean float64
	// StdErr is the standard error of Mean: the sample standard
	// deviation over the years divided by √Years. 0 for a single year.
	StdErr        float64
	P50, P95, P99 float64
	Max           float64
}

// Function is one function's simulated losses and disruptions.
type Function struct {
	ID            string
	Name          string // the function's label: its name, else its id
	Tier          graph.Tier
	ImpactPerHour float64
	Tolerance     *graph.Duration // nil: none given
	// Loss is the function's annual loss.
	Loss Loss
	// HaltYears is the number of years in which the function is down at
	// some moment; HaltFrequency is HaltYears / Years.
	HaltYears     int
	HaltFrequency float64
	// BreachYears is the number of years with at least one breach of the
	// function's tolerance; BreachFrequency is BreachYears / Years. Both
	// 0 without tolerance.
	BreachYears     int
	BreachFrequency float64
}

// Tail is what drives the worst years: the years whose total loss is
// positive and at least Threshold, and the scenarios that cost them the
// most.
type Tail struct {
	// Quantile is Options.TailQuantile; Threshold the total annual loss
	// at that quantile (Total.P99 for the default quantile).
	Quantile  float64
	Threshold float64
	// Years is the number of tail years; Loss their total loss.
	Years int
	Loss  float64
	// Scenarios are the tail years' scenarios, by Loss (descending), then
	// Years (descending), then vendor ids; at most Options.TailScenarios
	// of them. Groups is the number of scenarios before that cut. The
	// Loss of every scenario adds up to the tail's Loss.
	Scenarios []Scenario
	Groups    int
}

// Scenario is a set of vendors whose outages, in some tail years, formed
// one cluster with a loss (see Run): a single vendor's outage, or the
// outages of several vendors close enough in time to act together. A
// year's loss is the sum of its clusters' losses, so a tail year with two
// unrelated outages months apart counts towards two scenarios.
type Scenario struct {
	Vendors []string // sorted ids
	// Years is the number of tail years with such a cluster; Loss the
	// total loss of those clusters; Share the fraction of the tail's loss
	// that is theirs.
	Years int
	Loss  float64
	Share float64
}

// errNilMap is returned for a nil map.
var errNilMap = errors.New("simulate: nil map")

// Run simulates opt.Years years of outages on m and returns the losses
// they cause.
//
// # Model
//
// Each year lasts YearLength (365 days) and is independent of the
// others. Every vendor with a probability p > 0 (design.md: the yearly
// chance of a major outage) fails in a year with probability p,
// independently of the other vendors. A vendor has at most one major
// outage a year: the probability is read as the chance of one, not as
// a rate of several.
//
// A failing vendor's outage starts at a moment drawn uniformly in the
// year (at 0 with Options.AlignStarts) and lasts a lognormal time whose
// median is the vendor's outage_duration (Options.DefaultDuration
// without one): median × exp(σ·Z) with Z standard normal and σ =
// Options.Sigma, rounded to the nanosecond and kept between 1ns and
// graph.MaxDuration; its mean is median × exp(σ²/2). A vendor whose
// outage_duration is 0 fails without effect.
//
// A year in which nothing fails costs nothing and computes nothing. The
// outages of a year are grouped into clusters, and each cluster gets one
// exact time line (impact.TimelineEngine) starting at its first outage:
// taking the outages in order of start, an outage joins the current
// cluster when it starts at or before the cluster's last change (the
// last moment a node goes down or up, or a fallback changes), or when
// the cluster's time line ends with a node still down. Otherwise every
// node is up again, with every requirement holding, before it starts,
// and nothing of the cluster's history can affect what follows: the
// clusters' time lines are then exactly the time line of all the year's
// outages together, cut into parts. Each time line is followed for
// Options.Horizon after the last outage of its cluster begins; a
// function still down at its end (never restored) counts as down until
// then, and the year is counted in Result.Unrestored. The consequences
// of an outage are counted in the year it begins, even when they run
// into the next.
//
// A year's loss per function is the sum of its clusters' losses
// (impact.FunctionTimeline.Loss); the function halts in the year when
// it is down at some moment of a cluster, and breaches when a cluster
// breaches its tolerance.
//
// # Reproducibility
//
// Year i (from 0) draws from its own PCG-DXSM generator (math/rand/v2),
// seeded with a pair derived from (Seed, i): first one uniform number
// per vendor with a probability, in id order, deciding whether it
// fails, then for each failing vendor, in id order, the start and the
// two uniform numbers of a Box–Muller normal for its duration. Years
// are handed to the workers in blocks, and every sum is taken over the
// years in year order, so the Result for a seed is the same, bit for
// bit, whatever the number of workers (on one kind of processor: the
// last bit of math.Exp, Log and Cos may differ between architectures).
// The tail years are simulated again from their own streams to find
// their clusters, which gives the same draws.
//
// # Cost
//
// One time line per cluster, which on most maps is one per failing
// vendor; a cluster that grows is computed again with the outages that
// joined it. Run keeps every year's total loss (8 bytes a year) and every
// function's outcome in the years it halts or loses something (16 bytes
// each) until the quantiles are taken.
//
// Run stops with ctx's error when ctx is cancelled. Invalid options, a
// nil map, a map that impact.NewTimelineEngine refuses or a probability
// outside [0, 1] give an error.
func Run(ctx context.Context, m *graph.Map, opt Options) (*Result, error) {
	if m == nil {
		return nil, errNilMap
	}
	o, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	p, err := newPlan(m, o)
	if err != nil {
		return nil, err
	}
	out, err := p.simulate(ctx)
	if err != nil {
		return nil, err
	}
	r, totals := p.reduce(out)
	if err := p.tail(ctx, r, totals); err != nil {
		return nil, err
	}
	return r, nil
}

// withDefaults checks the options and fills in the defaults.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Years < 0:
		return o, fmt.Errorf("simulate: negative number of years %d", o.Years)
	case o.Workers < 0:
		return o, fmt.Errorf("simulate: negative number of workers %d", o.Workers)
	case !(o.Sigma >= 0) || math.IsInf(o.Sigma, 0):
		return o, fmt.Errorf("simulate: duration spread %v: give a finite number, 0 or more", o.Sigma)
	case o.DefaultDuration < 0:
		return o, fmt.Errorf("simulate: negative default duration %s", o.DefaultDuration)
	case o.Horizon < 0 || o.Horizon > graph.MaxDuration:
		return o, fmt.Errorf("simulate: horizon %s: give a duration between 0 and 100 years", o.Horizon)
	case o.TailQuantile != 0 && !(o.TailQuantile > 0 && o.TailQuantile < 1):
		return o, fmt.Errorf("simulate: tail quantile %v: give a number between 0 and 1, like 0.99", o.TailQuantile)
	}
	if o.Years == 0 {
		o.Years = DefaultYears
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Sigma == 0 {
		o.Sigma = DefaultSigma
	}
	if o.FixedDurations {
		o.Sigma = 0
	}
	if o.DefaultDuration == 0 {
		o.DefaultDuration = DefaultDuration
	}
	if o.Horizon == 0 {
		o.Horizon = DefaultHorizon
	}
	if o.TailQuantile == 0 {
		o.TailQuantile = DefaultTailQuantile
	}
	if o.TailScenarios == 0 {
		o.TailScenarios = DefaultTailScenarios
	}
	return o, nil
}

// blockYears is the number of years a worker takes at a time. Results do
// not depend on it.
const blockYears = 512

// plan is a simulation ready to run.
type plan struct {
	m       *graph.Map
	opt     Options
	vendors []vendor
	funcs   []int32 // node indices of the functions, in id order
	engines chan *impact.TimelineEngine
}

// vendor is a vendor that can fail.
type vendor struct {
	node   int32
	id     string
	p      float64
	median float64 // nanoseconds
}

func newPlan(m *graph.Map, opt Options) (*plan, error) {
	p := &plan{m: m, opt: opt}
	for i, n := range m.Nodes {
		switch n.Kind {
		case graph.KindFunction:
			p.funcs = append(p.funcs, int32(i))
		case graph.KindVendor:
			if n.Probability == nil {
				continue
			}
			pr := *n.Probability
			if !(pr >= 0 && pr <= 1) {
				return nil, fmt.Errorf("simulate: vendor %s: probability %v is not between 0 and 1", n.ID, pr)
			}
			if pr == 0 {
				continue
			}
			d := opt.DefaultDuration
			if n.OutageDuration != nil {
				d = *n.OutageDuration
			}
			p.vendors = append(p.vendors, vendor{node: int32(i), id: n.ID, p: pr, median: float64(d)})
		}
	}
	// Check the map once; workers make their own engines.
	e, err := impact.NewTimelineEngine(m)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	p.engines = make(chan *impact.TimelineEngine, opt.Workers)
	p.engines <- e
	return p, nil
}

// engine returns a time-line engine for one worker's use: one made
// before, or a new one. Give it back with release.
func (p *plan) engine() (*impact.TimelineEngine, error) {
	select {
	case e := <-p.engines:
		return e, nil
	default:
	}
	e, err := impact.NewTimelineEngine(p.m)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	return e, nil
}

func (p *plan) release(e *impact.TimelineEngine) {
	select {
	case p.engines <- e:
	default:
	}
}

// chunk is what one block of years yields.
type chunk struct {
	total []float64 // per year of the block, in order
	// per year, in order, and within a year by function: the functions
	// with a loss, a halt or a breach
	entries []entry
	// per vendor: years it failed
	failures []int32
	outage   int // years with an outage
	unrest   int // years with a node never restored
	lines    int // time lines computed
}

// entry is one function's outcome in one year.
type entry struct {
	f     int32
	flags uint8
	loss  float64
}

const (
	flagHalt uint8 = 1 << iota
	flagBreach
)

// parallel runs fn(w, i) for every block i in [0, n) on the workers,
// calls done (when not nil) after each block, and finish (when not nil)
// with each worker when it stops, never concurrently. It stops at the
// first error or when ctx is done.
func (p *plan) parallel(ctx context.Context, n int, fn func(w *worker, i int) error, done func(int), finish func(*worker)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := min(p.opt.Workers, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	var mu sync.Mutex
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel() })
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := p.newWorker()
			if err != nil {
				fail(err)
				return
			}
			defer p.release(w.e)
			if finish != nil {
				defer func() {
					mu.Lock()
					finish(w)
					mu.Unlock()
				}()
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				if err := fn(w, i); err != nil {
					fail(err)
					return
				}
				if done != nil {
					done(i)
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// outcome is what the simulation of all years yields, before reduction.
type outcome struct {
	chunks   []*chunk // in year order
	failures []int    // per vendor
	lines    int
}

// simulate simulates every year, block by block.
func (p *plan) simulate(ctx context.Context) (*outcome, error) {
	years := p.opt.Years
	n := (years + blockYears - 1) / blockYears
	out := &outcome{chunks: make([]*chunk, n), failures: make([]int, len(p.vendors))}
	var doneYears atomic.Int64
	finished := make(chan error, 1)
	go func() {
		finished <- p.parallel(ctx, n, func(w *worker, i int) error {
			c, err := w.block(ctx, i*blockYears, min(years, (i+1)*blockYears))
			out.chunks[i] = c
			return err
		}, func(i int) {
			doneYears.Add(int64(min(years, (i+1)*blockYears) - i*blockYears))
		}, func(w *worker) {
			for v, k := range w.failures {
				out.failures[v] += k
			}
			out.lines += w.lines
		})
	}()
	var tick <-chan time.Time
	if p.opt.Progress != nil {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		tick = t.C
	}
	last := 0
	for {
		select {
		case err := <-finished:
			if err != nil {
				return nil, err
			}
			if p.opt.Progress != nil {
				p.opt.Progress(years, years)
			}
			return out, nil
		case <-tick:
			if d := int(doneYears.Load()); d > last && d < years {
				last = d
				p.opt.Progress(d, years)
			}
		}
	}
}
