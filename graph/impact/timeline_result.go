package impact

import (
	"slices"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// defaultHorizon is the horizon of a settled time line computed without
// one: see TimelineResult.Horizon.
func (e *TimelineEngine) defaultHorizon() int64 {
	need := e.last // every change must lie before the horizon
	// A function never restored breaches within the horizon.
	open := map[int32]int64{}
	for _, v := range e.funcs {
		if e.v[v].down && e.m.Nodes[v].Tolerance != nil {
			open[v] = -1
		}
	}
	if len(open) > 0 {
		for _, ch := range e.log {
			if _, ok := open[ch.n]; ok && ch.down {
				open[ch.n] = ch.t
			}
		}
		for v, from := range open {
			need = max(need, tlAdd(from, int64(*e.m.Nodes[v].Tolerance)))
		}
	}
	day := int64(graph.Day)
	h := int64(DefaultHorizon)
	if need >= h {
		if need > tlNever-day {
			return tlNever
		}
		h = (need/day + 1) * day
	}
	return h
}

// tlArena hands out stable pointers to durations without one allocation
// each.
type tlArena struct{ buf []graph.Duration }

func (a *tlArena) ptr(d int64) *graph.Duration {
	if len(a.buf) == cap(a.buf) {
		// Chunks grow from small, so that a short time line (the common
		// case in simulation) does not pay for a large block.
		a.buf = make([]graph.Duration, 0, min(max(2*cap(a.buf), 16), 1024))
	}
	a.buf = append(a.buf, graph.Duration(d))
	return &a.buf[len(a.buf)-1]
}

// result builds the time line from the log of changes.
func (e *TimelineEngine) result(horizon int64, settled bool) *TimelineResult {
	m := e.m
	r := &TimelineResult{
		Horizon:     graph.Duration(horizon),
		Settled:     settled,
		Nodes:       []NodeTimeline{},
		Functions:   make([]FunctionTimeline, 0, len(e.funcs)),
		FallbackUse: []FallbackTimeline{},
	}
	var ar tlArena
	if e.last >= 0 {
		r.LastChange = ar.ptr(e.last)
	}
	// Group the log by node; it is in time order, and so stays each
	// node's part of it.
	nn := int(e.nn)
	if e.logStart == nil {
		e.logStart = make([]int32, nn+2)
	}
	start := e.logStart // node v's changes: byNode[start[v+1]:start[v+2]] while filling, then [start[v]:start[v+1]]
	clear(start)
	for _, ch := range e.log {
		start[ch.n+2]++
	}
	count := 0
	for v := 2; v <= nn+1; v++ {
		if start[v] > 0 {
			count++
		}
		start[v] += start[v-1]
	}
	e.byNode = append(e.byNode[:0], e.log...)
	byNode := e.byNode
	for _, ch := range e.log {
		byNode[start[ch.n+1]] = ch
		start[ch.n+1]++
	}
	ivs := make([]Interval, 0, (len(e.log)+count)/2)
	r.Nodes = make([]NodeTimeline, 0, count)
	down := func(v int32) []Interval {
		chs := byNode[start[v]:start[v+1]]
		if len(chs) == 0 {
			return nil
		}
		first := len(ivs)
		for i := 0; i < len(chs); i += 2 {
			iv := Interval{From: graph.Duration(chs[i].t)}
			if i+1 < len(chs) {
				iv.To = ar.ptr(chs[i+1].t)
			}
			ivs = append(ivs, iv)
		}
		return ivs[first:len(ivs):len(ivs)]
	}
	for v := int32(0); v < int32(nn); v++ {
		if start[v] < start[v+1] {
			r.Nodes = append(r.Nodes, NodeTimeline{ID: m.Nodes[v].ID, Kind: m.Nodes[v].Kind, Down: down(v)})
		}
	}

	h := graph.Duration(horizon)
	for _, v := range e.funcs {
		n := m.Nodes[v]
		ft := FunctionTimeline{ID: n.ID, Name: n.Label(), Tier: n.Tier, ImpactPerHour: n.ImpactPerHour,
			Tolerance: n.Tolerance}
		if start[v] < start[v+1] {
			// the same spans as in Nodes, in a slice of their own
			ft.Down = slices.Clone(r.Nodes[tlFind(r.Nodes, n.ID)].Down)
		}
		for _, iv := range ft.Down {
			ft.DownTime += iv.end(h) - iv.From
			if n.Tolerance != nil && ft.BreachAt == nil {
				b := tlAdd(int64(iv.From), int64(*n.Tolerance))
				if b < horizon && (iv.To == nil || int64(*iv.To) > b) {
					ft.BreachAt = ar.ptr(b)
				}
			}
		}
		if len(ft.Down) > 0 {
			ft.HaltedAt = ar.ptr(int64(ft.Down[0].From))
			ft.RestoredAt = ft.Down[len(ft.Down)-1].To
		}
		ft.DownHours = ft.DownTime.Hours()
		ft.Loss = n.ImpactPerHour * ft.DownHours
		if ci := e.carryOf[v]; ci >= 0 {
			c := &e.carry[ci]
			add := func(from int64, to *graph.Duration, fb int32) {
				f := &e.fbs[fb]
				di := DegradedInterval{Interval: Interval{From: graph.Duration(from), To: to}, Fallback: f.src.ID, Capacity: f.cap}
				d := di.end(h) - di.From
				ft.DegradedTime += d
				ft.Loss += n.ImpactPerHour * (1 - f.cap) * d.Hours()
				ft.Degraded = append(ft.Degraded, di)
			}
			for _, s := range c.spans {
				add(s.from, ar.ptr(s.to), s.fb)
			}
			if c.fb >= 0 {
				add(c.since, nil, c.fb)
			}
			ft.DegradedHours = ft.DegradedTime.Hours()
		}
		r.Functions = append(r.Functions, ft)
	}

	for i := range e.fbs {
		s := &e.fbState[i]
		if len(s.activeLog) == 0 && !s.active {
			continue
		}
		spans := func(log []tlSpan, open bool, since int64) []Interval {
			var out []Interval
			for _, sp := range log {
				out = append(out, Interval{From: graph.Duration(sp.from), To: ar.ptr(sp.to)})
			}
			if open {
				out = append(out, Interval{From: graph.Duration(since)})
			}
			return out
		}
		f := e.fbs[i].src
		r.FallbackUse = append(r.FallbackUse, FallbackTimeline{ID: f.ID, For: f.For,
			Active:  spans(s.activeLog, s.active, s.activeSince),
			Holding: spans(s.holdingLog, s.holding, s.holdingSince)})
	}
	return r
}

// tlFind returns the index of the node timeline with the given id in
// nodes, sorted by id.
func tlFind(nodes []NodeTimeline, id string) int {
	i, _ := slices.BinarySearchFunc(nodes, id, func(n NodeTimeline, id string) int {
		switch {
		case n.ID < id:
			return -1
		case n.ID > id:
			return 1
		}
		return 0
	})
	return i
}
