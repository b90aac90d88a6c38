package diagram

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// BlastView draws what an outage brings down: the failed nodes, every node
// they bring down coloured by its time-to-halt band, functions that
// breach their tolerance marked, fallbacks that hold shown as such. It
// renders results and computes no outage: res is the static result
// (impact.Static), tl the time line (impact.Timeline) of the same
// scenario; either may be nil, not both. With a time line, nodes are
// coloured by when they first go down and the failed nodes and fallbacks
// are taken from it; without one, down nodes are drawn as down with no
// band. A junction is drawn as down when its group fails given the nodes
// that were ever down.
//
// By default it draws the blast radius alone: the affected nodes (failed,
// brought down, or up only thanks to a fallback) with their fallbacks
// when fallbacks count; the nodes that need a down node yet stay up, with
// the other members of the requirement that kept them up; and, faded,
// the direct inputs of the affected nodes and of those fallbacks that stay
// up. Everything else is left out and the Notes say how many nodes. With
// Options.Full it draws the whole map, the unaffected nodes faded.
//
// Affected nodes are always drawn; above the node budget the other nodes
// are left out, the context first, and the Notes say so.
func BlastView(m *graph.Map, res *impact.Result, tl *impact.TimelineResult, opt Options) (*Diagram, error) {
	if m == nil {
		return nil, errors.New("diagram: no map")
	}
	if res == nil && tl == nil {
		return nil, errors.New("diagram: no outage result to draw")
	}
	s := newScenario(m, res, tl)
	b := newBuilder(m, opt)
	b.d.Title = s.title()
	b.d.Notes = s.notes(m)
	if opt.Full {
		keep, left := s.selection(b, opt.budget())
		b.addFull(func(i int) bool { return keep[i] }, true)
		if left > 0 {
			b.d.Notes = append(b.d.Notes, thousands(left)+" unaffected nodes are left out to stay within "+
				strconv.Itoa(opt.budget())+" nodes.")
		}
	} else {
		keep, fb, left, cut := s.radius(b, opt.budget())
		b.addSome(func(i int) bool { return keep[i] }, func(i int) bool { return fb[i] })
		if left > 0 {
			note := "Blast radius only: " + thousands(left) + " unaffected " + plural1(left, "node is", "nodes are") +
				" left out"
			if cut > 0 {
				note += ", " + thousands(cut) + " of them next to the outage, to stay within " +
					strconv.Itoa(opt.budget()) + " nodes"
			}
			b.d.Notes = append(b.d.Notes, note+".")
		}
	}
	s.paint(b)
	b.finishClusters()
	b.d.Legend = legend(b.d, "not affected", true)
	return b.d, nil
}

// plural1 picks one or many by n.
func plural1(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// radius picks the map nodes of the blast radius, and those whose
// fallbacks are drawn: every affected node (failed, down or degraded),
// forced; then, as long as the budget lasts, the nodes that name a down
// node in their requirement yet stay up, the other members of each
// top-level clause of theirs that names one (what kept them up), and the
// direct inputs of the affected nodes and of their fallbacks. left is how
// many map nodes are not drawn; cut how many of them the budget left out.
func (s *scenario) radius(b *builder, budget int) (keep, fb []bool, left, cut int) {
	m := s.m
	keep = make([]bool, len(m.Nodes))
	fb = make([]bool, len(m.Nodes))
	affected := make([]bool, len(m.Nodes))
	for i, n := range m.Nodes {
		affected[i] = s.down[n.ID] || s.degraded(n)
		fb[i] = affected[i] && s.fallbacks
	}
	used := 0
	wanted := make([]bool, len(m.Nodes))
	take := func(i int, force bool) {
		if keep[i] {
			return
		}
		wanted[i] = true
		c := b.someSize(func(j int) bool { return j == i }, func(j int) bool { return fb[j] })
		if !force && used+c > budget {
			return
		}
		keep[i] = true
		used += c
	}
	refs := func(x *graph.Expr, fn func(j int)) {
		x.Walk(func(e *graph.Expr) {
			if e.Op == graph.OpRef {
				if j := m.Index(e.Ref); j >= 0 {
					fn(j)
				}
			}
		})
	}
	namesDown := func(x *graph.Expr) bool {
		down := false
		refs(x, func(j int) { down = down || s.down[m.Nodes[j].ID] })
		return down
	}
	for i := range m.Nodes {
		if affected[i] {
			take(i, true)
		}
	}
	// The nodes the outage reached that held, then what held them.
	var held []*graph.Expr
	for i, n := range m.Nodes {
		if affected[i] || n.Requires == nil || !namesDown(n.Requires) {
			continue
		}
		take(i, false)
		if !keep[i] {
			continue
		}
		clauses := []*graph.Expr{n.Requires}
		if n.Requires.Op == graph.OpAll {
			clauses = n.Requires.Args
		}
		for _, c := range clauses {
			if namesDown(c) {
				held = append(held, c)
			}
		}
	}
	for _, c := range held {
		refs(c, func(j int) { take(j, false) })
	}
	// The direct inputs of the affected nodes and of their fallbacks.
	for i, n := range m.Nodes {
		if !affected[i] {
			continue
		}
		refs(n.Requires, func(j int) { take(j, false) })
		if fb[i] {
			for _, f := range m.FallbacksOf(n.ID) {
				refs(f.Requires, func(j int) { take(j, false) })
			}
		}
	}
	for i := range m.Nodes {
		if !keep[i] {
			left++
			if wanted[i] {
				cut++
			}
		}
	}
	return keep, fb, left, cut
}

// scenario is what the results say about each node.
type scenario struct {
	m         *graph.Map
	timed     bool
	fallbacks bool
	failed    map[string]impact.Outage // by id; Duration 0 for static
	downAt    map[string]*graph.Duration
	down      map[string]bool // ever down, failed included
	restored  map[string]*graph.Duration
	funcs     map[string]*impact.FunctionTimeline
	fbUse     map[string]*impact.FallbackTimeline
	order     []string                   // failed ids in the scenario's order
	fbByID    map[string]*graph.Fallback // by diagram id, built on first use
}

func newScenario(m *graph.Map, res *impact.Result, tl *impact.TimelineResult) *scenario {
	s := &scenario{m: m, failed: map[string]impact.Outage{}, downAt: map[string]*graph.Duration{},
		down: map[string]bool{}, restored: map[string]*graph.Duration{},
		funcs: map[string]*impact.FunctionTimeline{}, fbUse: map[string]*impact.FallbackTimeline{}}
	if tl != nil {
		s.timed, s.fallbacks = true, tl.Fallbacks
		for _, o := range tl.Outages {
			if _, ok := s.failed[o.ID]; !ok {
				s.order = append(s.order, o.ID)
				s.failed[o.ID] = o
			}
		}
		for i := range tl.Nodes {
			n := &tl.Nodes[i]
			if len(n.Down) == 0 {
				continue
			}
			s.down[n.ID] = true
			at := n.Down[0].From
			s.downAt[n.ID] = &at
			s.restored[n.ID] = n.Down[len(n.Down)-1].To
		}
		for i := range tl.Functions {
			s.funcs[tl.Functions[i].ID] = &tl.Functions[i]
		}
		for i := range tl.FallbackUse {
			s.fbUse[tl.FallbackUse[i].ID] = &tl.FallbackUse[i]
		}
		return s
	}
	s.fallbacks = res.Fallbacks
	for _, id := range res.Failed {
		if _, ok := s.failed[id]; !ok {
			s.order = append(s.order, id)
			s.failed[id] = impact.Outage{ID: id, Forever: true}
		}
	}
	for _, id := range res.Down {
		s.down[id] = true
	}
	for id := range s.failed {
		s.down[id] = true
	}
	return s
}

func (s *scenario) up(id string) bool { return !s.down[id] }

// selection picks the map nodes to draw: all of them within the budget;
// else the failed and down nodes and every function, then the fallbacks'
// and down nodes' direct suppliers, then the rest in id order, as long as
// the budget lasts. left is how many were left out.
func (s *scenario) selection(b *builder, budget int) (keep []bool, left int) {
	m := s.m
	keep = make([]bool, len(m.Nodes))
	all := func(int) bool { return true }
	if b.fullSize(all, true) <= budget {
		for i := range keep {
			keep[i] = true
		}
		return keep, 0
	}
	used := 0
	cost := func(i int) int { // the node, its fallbacks and junctions
		one := func(j int) bool { return j == i }
		return b.fullSize(one, true)
	}
	take := func(i int, force bool) {
		if keep[i] {
			return
		}
		c := cost(i)
		if !force && used+c > budget {
			return
		}
		keep[i] = true
		used += c
	}
	for i, n := range m.Nodes {
		if s.down[n.ID] || n.Kind == graph.KindFunction {
			take(i, true)
		}
	}
	near := func(x *graph.Expr) {
		x.Walk(func(e *graph.Expr) {
			if e.Op == graph.OpRef {
				if j := m.Index(e.Ref); j >= 0 {
					take(j, false)
				}
			}
		})
	}
	for _, n := range m.Nodes {
		if !s.down[n.ID] && !s.degraded(n) {
			continue
		}
		near(n.Requires)
		for _, f := range m.FallbacksOf(n.ID) {
			near(f.Requires)
		}
	}
	for i := range m.Nodes {
		take(i, false)
	}
	for _, k := range keep {
		if !k {
			left++
		}
	}
	return keep, left
}

// degraded reports whether n is up only thanks to a fallback: from the
// time line for a function; without one, when n is up, has a fallback and
// its own requirement fails given the down nodes.
func (s *scenario) degraded(n *graph.Node) bool {
	if s.timed {
		f := s.funcs[n.ID]
		return f != nil && len(f.Degraded) > 0
	}
	return s.fallbacks && !s.down[n.ID] && len(s.m.FallbacksOf(n.ID)) > 0 && !n.Requires.Eval(s.up)
}

// holds reports whether a fallback kept its node up at some moment. Without
// a time line it holds when its node is up, the node's own requirement
// fails and the fallback's holds, given the down nodes.
func (s *scenario) holds(f *graph.Fallback) (holds, needed bool) {
	if s.timed {
		u := s.fbUse[f.ID]
		if u == nil {
			return false, s.down[f.For]
		}
		return len(u.Holding) > 0, true
	}
	if !s.fallbacks {
		return false, false
	}
	n := s.m.Node(f.For)
	if n == nil || n.Requires.Eval(s.up) {
		return false, false
	}
	return s.up(f.For) && f.Requires.Eval(s.up), true
}

// paint sets the state of every node and edge drawn.
func (s *scenario) paint(b *builder) {
	d := b.d
	state := map[string]*Node{}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		state[n.ID] = n
		n.State = StateFaded
		switch n.Role {
		case RoleJunction:
			if at, down := s.junction(b.junctions[n.ID]); down {
				n.State, n.Band = StateDown, s.band(at)
			}
			continue
		case RoleFallback:
			s.paintFallback(n)
			continue
		}
		if o, ok := s.failed[n.ID]; ok {
			n.State = StateFailed
			n.Lines = append(n.Lines, s.outageLine(o))
			continue
		}
		if f := s.funcs[n.ID]; f != nil && n.Role == RoleFunction {
			s.paintFunction(n, f)
			continue
		}
		if s.down[n.ID] {
			n.State, n.Band = StateDown, s.band(s.downAt[n.ID])
			if line := s.downLine(n.ID); line != "" {
				n.Lines = append(n.Lines, line)
			}
		} else if mn := s.m.Node(n.ID); mn != nil && s.degraded(mn) {
			n.State = StateDegraded
			n.Lines = append(n.Lines, "on fallback")
		}
	}
	for i := range d.Edges {
		e := &d.Edges[i]
		from, to := state[e.From], state[e.To]
		switch {
		case e.Fallback && (from.State == StateHolding || to.State == StateHolding):
			e.State = StateHolding
		case isDown(from) && isDown(to):
			e.State = StateDown
		default:
			e.State = StateFaded
		}
	}
}

func isDown(n *Node) bool { return n.State == StateFailed || n.State == StateDown }

func (s *scenario) band(at *graph.Duration) Band {
	if !s.timed || at == nil {
		return BandUnknown
	}
	return BandOf(*at)
}

func (s *scenario) paintFallback(n *Node) {
	if s.fbByID == nil {
		s.fbByID = map[string]*graph.Fallback{}
		for _, f := range s.m.Fallbacks {
			s.fbByID[fallbackID(f.ID)] = f
		}
	}
	f := s.fbByID[n.ID]
	if f == nil {
		return
	}
	holds, needed := s.holds(f)
	switch {
	case holds:
		n.State = StateHolding
		line := "holds"
		if u := s.fbUse[f.ID]; u != nil && len(u.Holding) > 0 {
			line += " " + spanText(u.Holding[0])
		}
		n.Lines = append(n.Lines, line)
	case needed:
		n.Lines = append(n.Lines, "does not hold")
	}
}

func (s *scenario) paintFunction(n *Node, f *impact.FunctionTimeline) {
	switch {
	case f.HaltedAt != nil:
		n.State, n.Band = StateDown, BandOf(*f.HaltedAt)
		line := "halted at " + at(*f.HaltedAt)
		if f.RestoredAt != nil {
			line += " · up at " + at(*f.RestoredAt)
		} else {
			line += " · not restored"
		}
		n.Lines = append(n.Lines, line)
		if f.BreachAt != nil {
			n.Breached = true
			tol := ""
			if f.Tolerance != nil {
				tol = " " + f.Tolerance.String()
			}
			n.Lines = append(n.Lines, "tolerance"+tol+" breached at "+at(*f.BreachAt))
		}
	case len(f.Degraded) > 0:
		n.State = StateDegraded
		dg := f.Degraded[0]
		line := "on fallback " + spanText(dg.Interval)
		if dg.Capacity < 1 {
			line += " · " + strconv.FormatFloat(dg.Capacity*100, 'f', -1, 64) + "%"
		}
		n.Lines = append(n.Lines, line)
	}
}

func spanText(iv impact.Interval) string {
	if iv.To == nil {
		return "from " + at(iv.From)
	}
	return at(iv.From) + "–" + at(*iv.To)
}

// at renders a moment of a time line: "0h", "90m", "1d2h".
func at(d graph.Duration) string {
	if d == 0 {
		return "0h"
	}
	return d.String()
}

func (s *scenario) outageLine(o impact.Outage) string {
	switch {
	case !s.timed:
		return "failed"
	case o.Forever:
		return "failed at " + at(o.Start) + " for good"
	case o.Start == 0:
		return "failed for " + o.Duration.String()
	}
	return "failed at " + at(o.Start) + " for " + o.Duration.String()
}

func (s *scenario) downLine(id string) string {
	if !s.timed {
		return ""
	}
	t := s.downAt[id]
	if t == nil {
		return ""
	}
	line := "down at " + at(*t)
	if r := s.restored[id]; r != nil {
		line += " · up at " + at(*r)
	}
	return line
}

// junction reports whether a group fails given the nodes ever down, and
// from when: the moment enough of its members are down, ignoring
// restores.
func (s *scenario) junction(x *graph.Expr) (*graph.Duration, bool) {
	if x == nil {
		return nil, false
	}
	if x.Op == graph.OpRef {
		return s.downAt[x.Ref], s.down[x.Ref]
	}
	var times []graph.Duration
	known := true
	downs := 0
	for _, a := range x.Args {
		at, down := s.junction(a)
		if !down {
			continue
		}
		downs++
		if at == nil {
			known = false
		} else {
			times = append(times, *at)
		}
	}
	need := len(x.Args) - x.Threshold() + 1 // members down that fail the group
	if downs < need {
		return nil, false
	}
	if !known || !s.timed {
		return nil, true
	}
	slices.Sort(times)
	t := times[need-1]
	return &t, true
}

func (s *scenario) title() string {
	var names []string
	for _, id := range s.order {
		if n := s.m.Node(id); n != nil {
			names = append(names, n.Label())
		} else {
			names = append(names, id)
		}
	}
	if len(names) > 3 {
		names = append(names[:3], plural(len(names)-3, "more", "more"))
	}
	return "Blast radius: " + joinAnd(names) + " down"
}

func (s *scenario) notes(m *graph.Map) []string {
	var out []string
	var b strings.Builder
	if s.timed {
		var spans []string
		for _, id := range s.order {
			o := s.failed[id]
			name := id
			if n := s.m.Node(id); n != nil {
				name = n.Label()
			}
			if o.Start > 0 {
				name += " from " + at(o.Start)
			}
			switch {
			case o.Forever:
				spans = append(spans, name+" for good")
			default:
				spans = append(spans, name+" for "+o.Duration.String())
			}
		}
		b.WriteString("Outage: " + strings.Join(spans, ", ") + ".")
	} else {
		b.WriteString("Static: the outage never ends; without a time line, colours show down or up only.")
	}
	if s.fallbacks {
		b.WriteString(" Fallbacks on.")
	} else {
		b.WriteString(" Fallbacks off.")
	}
	out = append(out, b.String())
	halted, core, breached, total := 0, 0, 0, 0
	for _, n := range m.Nodes {
		if n.Kind != graph.KindFunction {
			continue
		}
		total++
		if s.down[n.ID] {
			halted++
			if n.Tier == graph.TierCore {
				core++
			}
		}
		if f := s.funcs[n.ID]; f != nil && f.BreachAt != nil {
			breached++
		}
	}
	line := "Halts " + strconv.Itoa(halted) + " of " + plural(total, "function", "functions") +
		" (" + strconv.Itoa(core) + " core)"
	if s.timed {
		switch breached {
		case 0:
			line += "; none breaches its tolerance"
		case 1:
			line += "; 1 breaches its tolerance"
		default:
			line += "; " + strconv.Itoa(breached) + " breach their tolerance"
		}
	}
	out = append(out, line+".")
	return out
}
