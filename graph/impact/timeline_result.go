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
	for _, v := range e.touchedN { // a node down now was listed for settling
		if n := e.m.Nodes[v]; e.v[v].down && n.Kind == graph.KindFunction && n.Tolerance != nil {
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

// result builds the time line from the log of changes. Its cost is in
// proportion to the nodes the run touched, but for copying the time line
// of every function untouched.
func (e *TimelineEngine) result(horizon int64, settled bool) *TimelineResult {
	m := e.m
	r := &TimelineResult{
		Horizon:     graph.Duration(horizon),
		Settled:     settled,
		Nodes:       []NodeTimeline{},
		FallbackUse: []FallbackTimeline{},
	}
	var ar tlArena
	if e.last >= 0 {
		r.LastChange = ar.ptr(e.last)
	}
	// Every node that changed was listed for settling. Group the log by
	// node, in node order; it is in time order, and so stays each node's
	// part of it.
	touched := e.touchedN
	slices.Sort(touched)
	for i, v := range touched {
		e.ns[v].slot = int32(i)
	}
	nt := len(touched)
	if cap(e.logStart) < nt+2 {
		e.logStart = make([]int32, nt+2, max(nt+2, 2*cap(e.logStart)))
	}
	start := e.logStart[:nt+2] // slot i's changes: byNode[start[i+1]:start[i+2]] while filling, then [start[i]:start[i+1]]
	clear(start)
	for _, ch := range e.log {
		start[e.ns[ch.n].slot+2]++
	}
	count := 0
	for i := 2; i <= nt+1; i++ {
		if start[i] > 0 {
			count++
		}
		start[i] += start[i-1]
	}
	e.byNode = append(e.byNode[:0], e.log...)
	byNode := e.byNode
	for _, ch := range e.log {
		s := e.ns[ch.n].slot
		byNode[start[s+1]] = ch
		start[s+1]++
	}
	ivs := make([]Interval, 0, (len(e.log)+count)/2)
	r.Nodes = make([]NodeTimeline, 0, count)
	for i, v := range touched {
		chs := byNode[start[i]:start[i+1]]
		if len(chs) == 0 {
			continue
		}
		first := len(ivs)
		for i := 0; i < len(chs); i += 2 {
			iv := Interval{From: graph.Duration(chs[i].t)}
			if i+1 < len(chs) {
				iv.To = ar.ptr(chs[i+1].t)
			}
			ivs = append(ivs, iv)
		}
		r.Nodes = append(r.Nodes, NodeTimeline{ID: m.Nodes[v].ID, Kind: m.Nodes[v].Kind, Down: ivs[first:len(ivs):len(ivs)]})
	}

	r.Functions = slices.Clone(e.funcTmpl)
	for i, v := range touched {
		if m.Nodes[v].Kind != graph.KindFunction {
			continue
		}
		var down []Interval
		if start[i] < start[i+1] {
			// the same spans as in Nodes, in a slice of their own
			down = slices.Clone(r.Nodes[tlFind(r.Nodes, m.Nodes[v].ID)].Down)
		}
		k, _ := slices.BinarySearch(e.funcs, v)
		r.Functions[k] = e.funcTimeline(v, down, horizon, &ar)
	}

	for _, v := range touched {
		for i := e.fbStart[v]; i < e.fbStart[v+1]; i++ {
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
	}
	return r
}

// funcTimeline is the time line of function v up to horizon, given its
// down spans and what carried it in the run.
func (e *TimelineEngine) funcTimeline(v int32, down []Interval, horizon int64, ar *tlArena) FunctionTimeline {
	n := e.m.Nodes[v]
	h := graph.Duration(horizon)
	ft := FunctionTimeline{ID: n.ID, Name: n.Label(), Tier: n.Tier, ImpactPerHour: n.ImpactPerHour,
		Tolerance: n.Tolerance, Down: down}
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
	return ft
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
