package view

import (
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// ImpactTimeline is the time line part of the impact view, present when
// the scenario gives outage durations. JSON:
//
//	{"horizon": "7d", "settled": true, "last_change": "10h",
//	 "outages": [{"id", "name", "start", "duration", "down"}],
//	 "loss": 612000, "breaches": 1, "fallbacks": [...]}
//
// Durations are written like "2h30m" (see graph.Duration.String).
type ImpactTimeline struct {
	// Horizon is the end of the time line: every span is cut there.
	Horizon  string         `json:"horizon"`
	HorizonD graph.Duration `json:"-"`
	// Settled: nothing was still changing at the horizon, so a span open
	// there never ends.
	Settled bool `json:"settled"`
	// LastChange is the last moment something went down or up; null
	// when nothing changed.
	LastChange  *string         `json:"last_change"`
	LastChangeD *graph.Duration `json:"-"`
	// Outages are the scenario's outages, sorted by start, then id.
	Outages []TimelineOutage `json:"outages"`
	// Loss is the summed loss of every function over the time line, in
	// the map's currency.
	Loss float64 `json:"loss"`
	// DownHours is the summed down time of every function, in hours.
	DownHours float64 `json:"down_hours"`
	// Breaches counts the functions that breach their tolerance.
	Breaches int `json:"breaches"`
	// Fallbacks lists every fallback that was active, sorted by the node
	// it serves, then id; empty without --fallbacks.
	Fallbacks []TimelineFallback `json:"fallbacks"`
}

// TimelineOutage is one node forced down.
type TimelineOutage struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Start string `json:"start"`
	// Duration is how long it is forced down; null for an outage that
	// never ends.
	Duration *string `json:"duration"`
	// Down are the node's down spans: the forced outage and any restore
	// time after it.
	Down []Span `json:"down"`

	StartD    graph.Duration  `json:"-"`
	DurationD *graph.Duration `json:"-"`
}

// TimelineFallback is when one fallback was in use.
type TimelineFallback struct {
	ID  string `json:"id"`
	For string `json:"for"`
	// Active: the fallback was switched on; Holding: it was on and its
	// own requirement held, so it carried its node.
	Active  []Span `json:"active"`
	Holding []Span `json:"holding"`
}

// Span is the half-open span [from, to) of a time line; To is null when
// the span is still going on at the horizon.
type Span struct {
	From string  `json:"from"`
	To   *string `json:"to"`
	// Fallback and Capacity name the fallback that carries a function in
	// a degraded span; empty otherwise.
	Fallback string  `json:"fallback,omitempty"`
	Capacity float64 `json:"capacity,omitempty"`

	FromD graph.Duration  `json:"-"`
	ToD   *graph.Duration `json:"-"`
}

// FunctionTime is one function's time line, part of ImpactFunction when
// the scenario gives outage durations.
type FunctionTime struct {
	// HaltedAt is the first moment the function is down; null when it
	// never is.
	HaltedAt *string `json:"halted_at"`
	// RestoredAt is when it is up again after its last down span; null
	// when it is never down or still down at the horizon.
	RestoredAt *string `json:"restored_at"`
	// BreachAt is the first moment a continuous down span exceeds the
	// function's tolerance; null when none does.
	BreachAt *string `json:"breach_at"`
	// Tolerance is the function's tolerance; null when it has none.
	Tolerance *string `json:"tolerance"`
	// DownHours is the time down within the horizon, in hours.
	DownHours float64 `json:"down_hours"`
	// DegradedHours is the time kept up only by a fallback, in hours.
	DegradedHours float64 `json:"degraded_hours"`
	// Loss is impact_per_hour × down_hours, plus impact_per_hour × (1 −
	// capacity) × the hours carried by a fallback of that capacity.
	Loss float64 `json:"loss"`
	// DownSpans are the function's down spans in time order;
	// DegradedSpans the spans in which a fallback carries it.
	DownSpans     []Span `json:"down_spans"`
	DegradedSpans []Span `json:"degraded_spans"`

	HaltedAtD, RestoredAtD, BreachAtD *graph.Duration `json:"-"`
}

// NewImpactTimeline builds the impact view of a time line tl computed
// on m. A function is down when it is down at some moment of the time
// line. Its chain is taken from the static results chains, candidate
// explanations (each outage alone, all of them together, with and
// without fallbacks, say): from the first in which the function is down
// and every node of whose chain is down in the time line at the moment
// the function halts; failing that, from the first in which it is down;
// it is empty when none has it down. Down, DownSystems and DownVendors
// list the nodes down at some moment.
func NewImpactTimeline(m *graph.Map, tl *impact.TimelineResult, chains ...*impact.Result) *Impact {
	failed := make([]string, 0, len(tl.Outages))
	for _, o := range tl.Outages {
		if !contains(failed, o.ID) {
			failed = append(failed, o.ID)
		}
	}
	v := &Impact{
		Map:         mapInfo(m),
		Scenario:    Scenario{Down: sortedCopy(failed), Fallbacks: tl.Fallbacks},
		Down:        make([]string, 0, len(tl.Nodes)),
		Functions:   make([]ImpactFunction, 0, len(tl.Functions)),
		DownSystems: []string{},
		DownVendors: []string{},
	}
	nodeDown := make(map[string][]impact.Interval, len(tl.Nodes))
	for _, n := range tl.Nodes {
		v.Down = append(v.Down, n.ID)
		nodeDown[n.ID] = n.Down
		switch n.Kind {
		case graph.KindSystem:
			v.DownSystems = append(v.DownSystems, n.ID)
		case graph.KindVendor:
			v.DownVendors = append(v.DownVendors, n.ID)
		}
	}
	sort.Strings(v.Down)
	sort.Strings(v.DownSystems)
	sort.Strings(v.DownVendors)
	t := &ImpactTimeline{
		Horizon: tl.Horizon.String(), HorizonD: tl.Horizon, Settled: tl.Settled,
		LastChange: durStr(tl.LastChange), LastChangeD: tl.LastChange,
		Outages:   make([]TimelineOutage, 0, len(tl.Outages)),
		Fallbacks: make([]TimelineFallback, 0, len(tl.FallbackUse)),
	}
	v.Timeline = t
	for _, o := range tl.Outages {
		vo := TimelineOutage{
			ID: o.ID, Name: label(m, o.ID), Start: o.Start.String(), StartD: o.Start,
			Down: spans(nodeDown[o.ID]),
		}
		if !o.Forever {
			d := o.Duration
			vo.DurationD = &d
			vo.Duration = durStr(&d)
		}
		t.Outages = append(t.Outages, vo)
	}
	for _, f := range tl.FallbackUse {
		t.Fallbacks = append(t.Fallbacks, TimelineFallback{ID: f.ID, For: f.For, Active: spans(f.Active), Holding: spans(f.Holding)})
	}
	for _, f := range tl.Functions {
		vf := ImpactFunction{
			ID: f.ID, Name: f.Name, Tier: f.Tier.String(), Down: f.HaltedAt != nil,
			ImpactPerHour: f.ImpactPerHour, Because: []string{},
		}
		if vf.Name == "" {
			vf.Name = label(m, f.ID)
		}
		ft := &FunctionTime{
			HaltedAt: durStr(f.HaltedAt), RestoredAt: durStr(f.RestoredAt), BreachAt: durStr(f.BreachAt),
			Tolerance: durStr(f.Tolerance),
			DownHours: f.DownHours, DegradedHours: f.DegradedHours, Loss: f.Loss,
			DownSpans: spans(f.Down), DegradedSpans: make([]Span, 0, len(f.Degraded)),
			HaltedAtD: f.HaltedAt, RestoredAtD: f.RestoredAt, BreachAtD: f.BreachAt,
		}
		for _, d := range f.Degraded {
			s := span(d.Interval)
			s.Fallback, s.Capacity = d.Fallback, d.Capacity
			ft.DegradedSpans = append(ft.DegradedSpans, s)
		}
		vf.FunctionTime = ft
		if vf.Down {
			var fallback []string
			for _, r := range chains {
				b := because(r, f.ID)
				if len(b) == 0 {
					continue
				}
				if fallback == nil {
					fallback = b
				}
				if allDownAt(b, *f.HaltedAt, nodeDown) {
					fallback = b
					break
				}
			}
			vf.Because = append(vf.Because, fallback...)
		}
		v.Functions = append(v.Functions, vf)
		v.Totals.Functions++
		t.Loss += f.Loss
		t.DownHours += f.DownHours
		if f.BreachAt != nil {
			t.Breaches++
		}
		if !vf.Down {
			continue
		}
		v.Totals.addDown(f.Tier, f.ImpactPerHour)
	}
	return v
}

// because returns the chain of function id in r, nil when r is nil or
// the function is up there.
func because(r *impact.Result, id string) []string {
	if r == nil {
		return nil
	}
	for i := range r.Functions {
		if r.Functions[i].ID == id {
			if r.Functions[i].Down {
				return r.Functions[i].Because
			}
			return nil
		}
	}
	return nil
}

// allDownAt reports whether every node of ids is down at moment t by
// its down spans.
func allDownAt(ids []string, t graph.Duration, down map[string][]impact.Interval) bool {
	for _, id := range ids {
		in := false
		for _, iv := range down[id] {
			if iv.From <= t && (iv.To == nil || t < *iv.To) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

func durStr(d *graph.Duration) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

func span(iv impact.Interval) Span {
	return Span{From: iv.From.String(), To: durStr(iv.To), FromD: iv.From, ToD: iv.To}
}

func spans(ivs []impact.Interval) []Span {
	out := make([]Span, 0, len(ivs))
	for _, iv := range ivs {
		out = append(out, span(iv))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
