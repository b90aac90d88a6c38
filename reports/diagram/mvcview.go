package diagram

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// MVCView draws the minimum viable company of res (mvc.Analyze): its
// functions and the systems they need in the colours of their kind, the
// vendors of the smallest supply set, and faded out what can be shed and
// the vendors the supply set does without. Above the node budget what is
// faded is left out first, and the Notes say so. It computes nothing but
// the drawing.
func MVCView(m *graph.Map, res *mvc.Result, opt Options) (*Diagram, error) {
	if m == nil {
		return nil, errors.New("diagram: no map")
	}
	if res == nil {
		return nil, errors.New("diagram: no MVC result to draw")
	}
	role := map[string]string{} // the line a kept node gets
	kept := map[string]bool{}
	for _, f := range res.Functions {
		kept[f.ID] = true
		role[f.ID] = f.Reason.String()
	}
	for _, v := range res.Supply.Vendors {
		kept[v.ID] = true
		if v.Required {
			role[v.ID] = "in every supply set"
		} else {
			role[v.ID] = "in the supply set"
		}
	}
	shed := map[string]bool{}
	for _, l := range [][]string{res.Shed.Functions, res.Shed.Systems, res.Shed.Vendors} {
		for _, id := range l {
			shed[id] = true
		}
	}
	for _, n := range m.Nodes {
		if n.Kind == graph.KindSystem && !shed[n.ID] {
			kept[n.ID] = true
		}
	}

	b := newBuilder(m, opt)
	keep := make([]bool, len(m.Nodes))
	all := func(int) bool { return true }
	left := 0
	if b.fullSize(all, true) <= opt.budget() {
		for i := range keep {
			keep[i] = true
		}
	} else {
		used, budget := 0, opt.budget()
		for pass := 0; pass < 2; pass++ {
			for i, n := range m.Nodes {
				if keep[i] || pass == 0 && !kept[n.ID] {
					continue
				}
				one := func(j int) bool { return j == i }
				c := b.fullSize(one, true)
				if pass == 1 && used+c > budget {
					continue
				}
				keep[i] = true
				used += c
			}
		}
		for _, k := range keep {
			if !k {
				left++
			}
		}
	}
	b.addFull(func(i int) bool { return keep[i] }, true)

	// Owners come before their junctions and fallbacks in d.Nodes, so one
	// pass in order settles every node.
	fbFor := map[string]string{}
	for _, f := range m.Fallbacks {
		fbFor[fallbackID(f.ID)] = f.For
	}
	state := map[string]State{}
	for i := range b.d.Nodes {
		n := &b.d.Nodes[i]
		switch n.Role {
		case RoleJunction:
			n.State = state[n.ID[:strings.LastIndexByte(n.ID, '#')]]
		case RoleFallback:
			if !kept[fbFor[n.ID]] {
				n.State = StateFaded
			}
		default:
			if !kept[n.ID] {
				n.State = StateFaded
			} else if r := role[n.ID]; r != "" {
				n.Lines = append(n.Lines, r)
			}
		}
		state[n.ID] = n.State
	}
	for i := range b.d.Edges {
		e := &b.d.Edges[i]
		if state[e.From] == StateFaded || state[e.To] == StateFaded {
			e.State = StateFaded
		}
	}

	b.d.Title = mapTitle(m, "minimum viable company")
	b.d.Notes = mvcNotes(res)
	if left > 0 {
		b.d.Notes = append(b.d.Notes, thousands(left)+" nodes that can be shed are left out to stay within "+
			strconv.Itoa(opt.budget())+" nodes.")
	}
	b.finishClusters()
	b.d.Legend = legend(b.d, "can be shed, or not in the supply set", false)
	return b.d, nil
}

func mvcNotes(res *mvc.Result) []string {
	s := &res.Supply
	line := plural(len(res.Functions), "function", "functions") + " must keep running; the smallest supply set has " +
		plural(len(s.Vendors), "vendor", "vendors")
	switch {
	case s.Optimal:
		line += " (optimal)."
	default:
		line += " (best found; within " + strconv.FormatFloat(s.Gap*100, 'f', 1, 64) + "% of optimal)."
	}
	shed := []string{}
	if n := len(res.Shed.Functions); n > 0 {
		shed = append(shed, plural(n, "function", "functions"))
	}
	if n := len(res.Shed.Systems); n > 0 {
		shed = append(shed, plural(n, "system", "systems"))
	}
	if n := len(res.Shed.Vendors); n > 0 {
		shed = append(shed, plural(n, "vendor", "vendors"))
	}
	out := []string{line}
	if len(shed) > 0 {
		out = append(out, "Can be shed: "+joinAnd(shed)+".")
	}
	return out
}
