package plan

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// NewScenario is the view of one outcome on the map it was computed on:
// what stops and when, the fallbacks and their gaps, the time line of
// events and the recovery order. It arranges the time lines and computes
// nothing else. Errors: a nil map or an outcome without its time lines.
func NewScenario(m *graph.Map, o *assess.Outcome) (*Scenario, error) {
	if m == nil {
		return nil, errors.New("plan: no map")
	}
	if o == nil || o.Without == nil || o.With == nil {
		return nil, errors.New("plan: no time lines")
	}
	bd := newBuilder(m, &assess.Analyses{}, Config{})
	return bd.scenario(o), nil
}

func ptr(d graph.Duration) *graph.Duration { return &d }

// downAt reports whether a node with the given down spans is down at t.
func downAt(spans []impact.Interval, t graph.Duration) bool {
	for _, iv := range spans {
		if iv.From <= t && (iv.To == nil || t < *iv.To) {
			return true
		}
	}
	return false
}

// lastEnd is the end of the last span: nil when it is open.
func lastEnd(spans []impact.Interval) *graph.Duration {
	if len(spans) == 0 {
		return nil
	}
	return spans[len(spans)-1].To
}

func (bd *builder) scenario(o *assess.Outcome) *Scenario {
	m := bd.m
	wo, wi := o.Without, o.With
	s := &Scenario{Duration: o.Duration, Horizon: wo.Horizon}
	for _, id := range o.Down {
		s.Down = append(s.Down, bd.ref(id))
	}
	slices.SortStableFunc(s.Down, func(a, b Ref) int { return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID)) })
	nodesWithout := map[string][]impact.Interval{}
	for _, n := range wo.Nodes {
		nodesWithout[n.ID] = n.Down
	}
	nodesWith := map[string][]impact.Interval{}
	for _, n := range wi.Nodes {
		nodesWith[n.ID] = n.Down
	}
	use := map[string]*impact.FallbackTimeline{}
	for i := range wi.FallbackUse {
		use[wi.FallbackUse[i].ID] = &wi.FallbackUse[i]
	}
	with := map[string]*impact.FunctionTimeline{}
	for i := range wi.Functions {
		with[wi.Functions[i].ID] = &wi.Functions[i]
	}

	for i := range wo.Functions {
		f := &wo.Functions[i]
		w := with[f.ID]
		s.LossWithout += f.Loss
		if w != nil {
			s.LossWith += w.Loss
		}
		if f.HaltedAt == nil && (w == nil || w.HaltedAt == nil && len(w.Degraded) == 0) {
			continue
		}
		n := m.Node(f.ID)
		imp := &Impact{Ref: bd.ref(f.ID), Tier: f.Tier, Tolerance: f.Tolerance, ImpactPerHour: f.ImpactPerHour,
			Halted: f.HaltedAt, Breach: f.BreachAt, Restored: f.RestoredAt, DownTime: f.DownTime, Loss: f.Loss}
		if n != nil {
			imp.Owner = n.Owner
		}
		if w != nil {
			imp.WithHalted, imp.WithBreach, imp.WithRestored = w.HaltedAt, w.BreachAt, w.RestoredAt
			imp.WithDownTime, imp.WithLoss = w.DownTime, w.Loss
			for _, d := range w.Degraded {
				imp.Carried = append(imp.Carried, Carry{From: d.From, To: d.To, Fallback: bd.fallbackRef(d.Fallback), Capacity: d.Capacity})
			}
		}
		for _, fb := range m.FallbacksOf(f.ID) {
			imp.Fallbacks = append(imp.Fallbacks, bd.fallbackStatus(fb, imp, use[fb.ID], nodesWith))
		}
		s.Functions = append(s.Functions, imp)
	}
	slices.SortStableFunc(s.Functions, func(a, b *Impact) int {
		if c := cmpOpt(a.Halted, b.Halted); c != 0 {
			return c
		}
		if c := cmp.Compare(tierRank(a.Tier), tierRank(b.Tier)); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})

	for _, f := range s.Functions {
		if f.Breach != nil && (s.FirstBreach == nil || *f.Breach < s.FirstBreach.At) {
			s.FirstBreach = &Breach{At: *f.Breach, Function: f.Ref}
		}
		if f.WithBreach != nil && (s.FirstBreachWith == nil || *f.WithBreach < s.FirstBreachWith.At) {
			s.FirstBreachWith = &Breach{At: *f.WithBreach, Function: f.Ref}
		}
	}

	forced := map[string]bool{}
	for _, id := range o.Down {
		forced[id] = true
	}
	type downNode struct {
		ref  Ref
		from graph.Duration
	}
	var also []downNode
	for _, n := range wo.Nodes {
		if n.Kind == graph.KindFunction || forced[n.ID] || len(n.Down) == 0 {
			continue
		}
		also = append(also, downNode{bd.ref(n.ID), n.Down[0].From})
	}
	slices.SortStableFunc(also, func(a, b downNode) int {
		return cmp.Or(cmp.Compare(a.from, b.from), strings.Compare(a.ref.Name, b.ref.Name), strings.Compare(a.ref.ID, b.ref.ID))
	})
	for _, d := range also {
		s.AlsoDown = append(s.AlsoDown, d.ref)
	}

	s.Events = bd.events(o, s, nodesWithout)
	if o.Recovery != nil {
		s.Recovery, s.RecoveryPlanned = bd.plannedRecovery(o), true
	} else {
		s.Recovery = bd.recovery(wo)
	}
	s.Gaps = scenarioGaps(s)
	for i := range s.Gaps {
		s.Gaps[i].Down = s.Down
	}
	return s
}

// cmpOpt orders optional moments, nil last.
func cmpOpt(a, b *graph.Duration) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

func (bd *builder) fallbackRef(id string) Ref {
	for _, f := range bd.m.Fallbacks {
		if f.ID == id {
			return Ref{ID: f.ID, Name: f.Label(), Short: short(f.Label())}
		}
	}
	return Ref{ID: id, Name: id, Short: id}
}

// fallbackInfo is a fallback's declared terms, outside any scenario.
func (bd *builder) fallbackInfo(fb *graph.Fallback) *Fallback {
	out := &Fallback{Ref: Ref{ID: fb.ID, Name: fb.Label(), Short: short(fb.Label())}, Owner: fb.Owner,
		Activation: fb.Activation, Endurance: fb.Endurance, Capacity: fb.Capacity, Steps: slices.Clone(fb.Steps)}
	seen := map[string]bool{}
	fb.Requires.Walk(func(x *graph.Expr) {
		if x.Op == graph.OpRef && !seen[x.Ref] {
			seen[x.Ref] = true
			out.Requires = append(out.Requires, bd.ref(x.Ref))
		}
	})
	return out
}

// fallbackStatus is how fallback fb of a function fares in a scenario.
func (bd *builder) fallbackStatus(fb *graph.Fallback, imp *Impact, u *impact.FallbackTimeline, nodesWith map[string][]impact.Interval) *Fallback {
	out := bd.fallbackInfo(fb)
	if imp.Halted != nil && imp.Tolerance != nil {
		out.DecideBy = ptr(max(0, *imp.Halted+*imp.Tolerance-fb.Activation))
	}
	if u == nil || len(u.Active) == 0 {
		return out
	}
	out.Activated = true
	if len(u.Holding) > 0 {
		out.Live = ptr(u.Holding[0].From)
		out.Ends = lastEnd(u.Holding)
	}
	// Blocked: active without holding at the start of its first activity.
	t := u.Active[0].From
	if len(u.Holding) == 0 || u.Holding[0].From > t {
		for _, r := range out.Requires {
			if downAt(nodesWith[r.ID], t) {
				out.Blocked = append(out.Blocked, r)
			}
		}
	}
	return out
}

// scenarioGaps lists what the fallbacks of a scenario cannot do.
func scenarioGaps(s *Scenario) []Gap {
	var out []Gap
	for _, f := range s.Functions {
		if f.Halted == nil {
			continue
		}
		if len(f.Fallbacks) == 0 {
			out = append(out, Gap{Kind: NoFallback, Function: f.Ref})
		}
		for _, fb := range f.Fallbacks {
			if f.Tolerance != nil && fb.Activation > *f.Tolerance {
				out = append(out, Gap{Kind: LateActivation, Function: f.Ref, Fallback: fb.Ref, Need: ptr(*f.Tolerance)})
			}
			if fb.Activated && len(fb.Blocked) > 0 {
				out = append(out, Gap{Kind: FallbackBlocked, Function: f.Ref, Fallback: fb.Ref, Blocked: fb.Blocked})
			}
			if fb.Live != nil && fb.Endurance != nil && fb.Activation+*fb.Endurance < f.DownTime &&
				fb.Ends != nil && (f.Restored == nil || *fb.Ends < *f.Restored) {
				out = append(out, Gap{Kind: ShortEndurance, Function: f.Ref, Fallback: fb.Ref, At: fb.Ends, Need: ptr(f.DownTime)})
			}
		}
		if f.WithBreach != nil {
			out = append(out, Gap{Kind: BreachWithFallbacks, Function: f.Ref, At: f.WithBreach})
		}
	}
	return out
}

// events is the time line of a scenario: without fallbacks for what stops
// and comes back, with them for what the fallbacks achieve.
func (bd *builder) events(o *assess.Outcome, s *Scenario, nodesWithout map[string][]impact.Interval) []Event {
	var ev []Event
	for _, d := range s.Down {
		ev = append(ev, Event{At: 0, Kind: PartnerDown, Subject: d})
		if end := lastEnd(nodesWithout[d.ID]); end != nil {
			ev = append(ev, Event{At: *end, Kind: PartnerBack, Subject: d})
		}
	}
	for _, f := range s.Functions {
		if f.Halted != nil {
			ev = append(ev, Event{At: *f.Halted, Kind: FunctionStops, Subject: f.Ref, Tolerance: f.Tolerance})
		}
		var last Ref
		for i, c := range f.Carried {
			if i == 0 || c.Fallback.ID != last.ID {
				ev = append(ev, Event{At: c.From, Kind: FallbackLive, Subject: f.Ref, Fallback: c.Fallback, Capacity: c.Capacity})
			}
			last = c.Fallback
			// The fallback ends before the function is back.
			if c.To != nil && (i+1 == len(f.Carried) || f.Carried[i+1].From != *c.To) &&
				(f.Restored == nil || *c.To < *f.Restored) {
				ev = append(ev, Event{At: *c.To, Kind: FallbackEnds, Subject: f.Ref, Fallback: c.Fallback})
			}
		}
		switch {
		case f.WithBreach != nil:
			ev = append(ev, Event{At: *f.WithBreach, Kind: Breached, Subject: f.Ref, Tolerance: f.Tolerance})
		case f.Breach != nil:
			e := Event{At: *f.Breach, Kind: BreachAvoided, Subject: f.Ref, Tolerance: f.Tolerance}
			if len(f.Carried) > 0 {
				e.Fallback = f.Carried[0].Fallback
			}
			ev = append(ev, e)
		}
		if f.Restored != nil {
			ev = append(ev, Event{At: *f.Restored, Kind: FunctionBack, Subject: f.Ref})
		}
	}
	slices.SortStableFunc(ev, func(a, b Event) int {
		return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Kind, b.Kind),
			strings.Compare(a.Subject.Name, b.Subject.Name), strings.Compare(a.Fallback.Name, b.Fallback.Name))
	})
	return ev
}

// recovery lists every node down without fallbacks in the order it comes
// back.
func (bd *builder) recovery(wo *impact.TimelineResult) []RecoveryStep {
	var out []RecoveryStep
	for _, n := range wo.Nodes {
		if len(n.Down) == 0 {
			continue
		}
		st := RecoveryStep{Ref: bd.ref(n.ID), Back: lastEnd(n.Down)}
		if node := bd.m.Node(n.ID); node != nil {
			st.Restore = node.Restore
		}
		out = append(out, st)
	}
	slices.SortStableFunc(out, func(a, b RecoveryStep) int {
		if c := cmpOpt(a.Back, b.Back); c != 0 {
			return c
		}
		// Functions last: nothing but functions needs them.
		if c := cmp.Compare(b2i(a.Kind == graph.KindFunction), b2i(b.Kind == graph.KindFunction)); c != 0 {
			return c
		}
		if c := cmp.Compare(bd.depthOf(a.ID), bd.depthOf(b.ID)); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return out
}

// plannedRecovery is the recovery analysis's order: its steps (the
// functions among them), then any function not among them as it comes
// back, then what no function waits for.
func (bd *builder) plannedRecovery(o *assess.Outcome) []RecoveryStep {
	rec := o.Recovery
	var out []RecoveryStep
	seen := map[string]bool{}
	for _, st := range rec.Steps {
		seen[st.ID] = true
		r := RecoveryStep{Ref: bd.ref(st.ID), Back: st.UpAt, Critical: st.Critical}
		if st.Restore > 0 {
			r.Restore = ptr(st.Restore)
		}
		out = append(out, r)
	}
	fs := slices.Clone(rec.Functions)
	slices.SortStableFunc(fs, func(a, b mvc.RecoveredFunction) int {
		return cmp.Or(cmpOpt(a.RestoredAt, b.RestoredAt), strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	for _, f := range fs {
		if seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		r := RecoveryStep{Ref: bd.ref(f.ID), Back: f.RestoredAt}
		if n := bd.m.Node(f.ID); n != nil && n.Restore != nil && *n.Restore > 0 {
			r.Restore = n.Restore
		}
		out = append(out, r)
	}
	last := map[string]*graph.Duration{}
	for _, n := range o.Without.Nodes {
		last[n.ID] = lastEnd(n.Down)
	}
	later := bd.refs(rec.Later)
	var steps []RecoveryStep
	for _, r := range later {
		if seen[r.ID] {
			continue
		}
		st := RecoveryStep{Ref: r, Back: last[r.ID], Later: true}
		if n := bd.m.Node(r.ID); n != nil && n.Restore != nil && *n.Restore > 0 {
			st.Restore = n.Restore
		}
		steps = append(steps, st)
	}
	slices.SortStableFunc(steps, func(a, b RecoveryStep) int {
		return cmp.Or(cmpOpt(a.Back, b.Back), b2i(a.Kind == graph.KindFunction)-b2i(b.Kind == graph.KindFunction),
			cmp.Compare(bd.depthOf(a.ID), bd.depthOf(b.ID)), strings.Compare(a.Name, b.Name))
	})
	return append(out, steps...)
}

// depthOf is how many nodes deep a node sits above the map's sources.
func (bd *builder) depthOf(id string) int {
	if i := bd.m.Index(id); i >= 0 {
		return bd.depth[i]
	}
	return len(bd.depth)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
