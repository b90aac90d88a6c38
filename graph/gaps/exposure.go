package gaps

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// Exposure is what one vendor's typical outage costs against what its
// contract lets the firm recover: the uncovered part is what insurance or
// the firm itself carries.
//
// The loss is modeled with the outage time line of design.md
// (impact.Timeline): the vendor alone is down for its outage_duration
// (Options.DefaultOutage when it has none) from time 0, everything else
// follows, with fallbacks when Options.Fallbacks is set, and the losses of
// every function are added up. A function never restored within the time
// line's horizon counts its loss up to the horizon only and is listed in
// NotRestored. Only vendors that halt at least one function alone (in the
// static sense of partners.Analyze) are listed.
type Exposure struct {
	Vendor string
	Name   string // the vendor's label
	// Outage is the outage modeled; OutageGiven is false when it is
	// Options.DefaultOutage because the vendor declares none.
	Outage      graph.Duration
	OutageGiven bool
	// Loss is the modeled loss of the outage, in the map's currency.
	Loss float64
	// LiabilityCap is the contract's liability cap; a vendor without a
	// contract or without a cap covers nothing (0).
	LiabilityCap float64
	// Uncovered is max(0, Loss − LiabilityCap).
	Uncovered float64
	// Functions are the functions with a loss: largest first, then by
	// id.
	Functions []FunctionLoss
	// NotRestored lists the functions still down at the end of the time
	// line, sorted; their loss is counted up to then only.
	NotRestored []string
	// Static: Loss is the static stand-in — for every function the vendor
	// halts alone, impact_per_hour × the outage in hours — because the
	// vendor ranks beyond Options.MaxTimelines, or the time line could not
	// be computed (a map Build would not have built, or a negative outage).
	Static bool
}

// FunctionLoss is one function's share of a vendor outage's loss.
type FunctionLoss struct {
	Function  string
	DownHours float64
	// DegradedHours are the hours the function ran on one of its own
	// fallbacks, at reduced capacity (see impact.FunctionTimeline).
	DegradedHours float64
	Loss          float64
}

// outageLoss models the loss of one outage of vendor v lasting d.
type outageLoss func(v *graph.Node, halts []string, d graph.Duration) (fl []FunctionLoss, notRestored []string, static bool)

// timelineLoss models losses with the outage time line.
// It falls back to static for an outage it cannot run.
func timelineLoss(e *impact.TimelineEngine, fallbacks bool, static outageLoss) outageLoss {
	return func(v *graph.Node, halts []string, d graph.Duration) ([]FunctionLoss, []string, bool) {
		tl, err := e.Run([]impact.Outage{{ID: v.ID, Duration: d}}, impact.TimelineOptions{Fallbacks: fallbacks})
		if err != nil {
			return static(v, halts, d)
		}
		var fl []FunctionLoss
		var nr []string
		for _, f := range tl.Functions {
			if f.Loss > 0 {
				fl = append(fl, FunctionLoss{Function: f.ID, DownHours: f.DownHours, DegradedHours: f.DegradedHours, Loss: f.Loss})
			}
			if len(f.Down) > 0 && f.RestoredAt == nil {
				nr = append(nr, f.ID)
			}
		}
		return fl, nr, false
	}
}

// staticLoss is the stand-in when no time line can be computed: every
// function the vendor halts alone is down for the whole outage.
func staticLoss(m *graph.Map) outageLoss {
	return func(_ *graph.Node, halts []string, d graph.Duration) ([]FunctionLoss, []string, bool) {
		var fl []FunctionLoss
		h := max(d, 0).Hours()
		for _, id := range halts {
			if f := m.Node(id); f != nil && f.ImpactPerHour*h > 0 {
				fl = append(fl, FunctionLoss{Function: id, DownHours: h, Loss: f.ImpactPerHour * h})
			}
		}
		return fl, nil, true
	}
}

func exposures(m *graph.Map, p *partners.Report, opt Options) []Exposure {
	n := len(p.CriticalPartners)
	if n == 0 {
		return nil
	}
	out := make([]Exposure, n)
	// One time line per vendor, spread over the CPUs, each worker with an
	// engine of its own; results go to their vendor's slot, so the order
	// does not depend on scheduling.
	workers := min(runtime.GOMAXPROCS(0), n/8+1)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loss := staticLoss(m)
			if e, err := impact.NewTimelineEngine(m); err == nil {
				loss = timelineLoss(e, opt.Fallbacks, loss)
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if opt.MaxTimelines >= 0 && i >= opt.MaxTimelines {
					out[i] = exposure(m, p.CriticalPartners[i], opt, staticLoss(m))
					continue
				}
				out[i] = exposure(m, p.CriticalPartners[i], opt, loss)
			}
		}()
	}
	wg.Wait()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Uncovered != b.Uncovered {
			return a.Uncovered > b.Uncovered
		}
		if a.Loss != b.Loss {
			return a.Loss > b.Loss
		}
		return a.Vendor < b.Vendor
	})
	return out
}

// exposure is one vendor's Exposure, its loss modeled by loss.
func exposure(m *graph.Map, pt partners.Partner, opt Options, loss outageLoss) Exposure {
	n := m.Node(pt.Vendor)
	x := Exposure{Vendor: n.ID, Name: n.Label(), Outage: opt.DefaultOutage}
	if n.OutageDuration != nil {
		x.Outage, x.OutageGiven = *n.OutageDuration, true
	}
	if n.Contract != nil {
		x.LiabilityCap = max(n.Contract.LiabilityCap, 0)
	}
	x.Functions, x.NotRestored, x.Static = loss(n, pt.Halts, x.Outage)
	sort.SliceStable(x.Functions, func(i, j int) bool { return x.Functions[i].Loss > x.Functions[j].Loss })
	for _, f := range x.Functions {
		x.Loss += f.Loss
	}
	x.Uncovered = max(0, x.Loss-x.LiabilityCap)
	return x
}
