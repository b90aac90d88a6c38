package gaps

import (
	"sort"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// The responsibility roles of design.md, in the order they are listed.
const (
	RoleMonitor = "monitor"
	RoleRespond = "respond"
	RoleRepair  = "repair"
)

// ResponsibilityGap is a system or vendor on a core path with nobody named
// for some of monitoring, responding to and repairing it.
//
// A node is on a core path when some core function depends on it: the
// function's requirement names it, or names something whose requirement
// does, and so on (with Options.Fallbacks, fallbacks' requirements count
// too). Every such system is checked. A vendor is checked only when it
// carries a responsibility at all (some role is named): third parties
// usually answer through their contract and contacts instead. A role is
// missing when its party is empty or "TBD" (any case, surrounding blanks
// ignored).
type ResponsibilityGap struct {
	ID   string
	Name string // the node's label
	Kind graph.Kind
	// Missing are the roles nobody is named for, in the order monitor,
	// respond, repair.
	Missing []string
	// Core are the core functions that depend on the node, sorted.
	Core []string
}

// missingParty reports whether a responsibility party names nobody.
func missingParty(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.EqualFold(s, "TBD")
}

// missingRoles lists the roles of r that name nobody.
func missingRoles(r graph.Responsibility) []string {
	var out []string
	for _, x := range []struct{ role, party string }{{RoleMonitor, r.Monitor}, {RoleRespond, r.Respond}, {RoleRepair, r.Repair}} {
		if missingParty(x.party) {
			out = append(out, x.role)
		}
	}
	return out
}

func responsibilityGaps(sw *impact.Sweeper) []ResponsibilityGap {
	c := sw.Circuit()
	m := c.Map
	var core []int32
	for v := 0; v < c.NumNodes; v++ {
		if n := m.Nodes[v]; n.Kind == graph.KindFunction && n.Tier == graph.TierCore {
			core = append(core, int32(v))
		}
	}
	if len(core) == 0 {
		return nil
	}
	var dep *impact.Dependents
	var out []ResponsibilityGap
	for v := 0; v < c.NumNodes; v++ {
		n := m.Nodes[v]
		switch n.Kind {
		case graph.KindSystem:
		case graph.KindVendor:
			if n.Responsibility == (graph.Responsibility{}) {
				continue
			}
		default:
			continue
		}
		miss := missingRoles(n.Responsibility)
		if len(miss) == 0 {
			continue
		}
		if dep == nil {
			dep = sw.Dependents(core, nil)
		}
		of := dep.Of(int32(v))
		if of.IsEmpty() {
			continue
		}
		g := ResponsibilityGap{ID: n.ID, Name: n.Label(), Kind: n.Kind, Missing: miss}
		of.Each(func(i int) { g.Core = append(g.Core, m.Nodes[core[i]].ID) })
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Core) > len(out[j].Core) })
	return out
}

// SinglePointGap is a vendor that halts a core function alone (a single
// point of failure, hidden suppliers included) and has no way out: no
// exit plan, or no substitute on the market.
type SinglePointGap struct {
	Vendor string
	Name   string // the vendor's label
	// Hidden: the vendor halts some function only through other vendors
	// (see partners.Partner.Hidden).
	Hidden bool
	// Core are the core functions the vendor halts alone, sorted.
	Core []string
	// NoContract: the vendor has no contract terms at all.
	NoContract bool
	// NoExitPlan: the contract names no exit plan (or none is recorded
	// because there is no contract). An exit plan that is empty or "TBD"
	// counts as none.
	NoExitPlan bool
	// NoSubstitute: the contract's substitutability is "none".
	NoSubstitute bool
}

func singlePointGaps(m *graph.Map, p *partners.Report) []SinglePointGap {
	var out []SinglePointGap
	for _, pt := range p.CriticalPartners {
		if pt.Core == 0 {
			continue
		}
		n := m.Node(pt.Vendor)
		g := SinglePointGap{Vendor: pt.Vendor, Name: pt.Name, Hidden: pt.Hidden}
		if ct := n.Contract; ct == nil {
			g.NoContract, g.NoExitPlan = true, true
		} else {
			g.NoExitPlan = missingParty(ct.ExitPlan)
			g.NoSubstitute = strings.EqualFold(strings.TrimSpace(ct.Substitutability), "none")
		}
		if !g.NoExitPlan && !g.NoSubstitute {
			continue
		}
		for _, f := range pt.Halts {
			if m.Node(f).Tier == graph.TierCore {
				g.Core = append(g.Core, f)
			}
		}
		out = append(out, g)
	}
	return out
}
