package plan

import (
	"cmp"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
)

// overview builds the plan for the whole minimum viable company.
func (bd *builder) overview(plans []*Plan) Overview {
	m, a := bd.m, bd.a
	var ov Overview
	if a.MVC != nil {
		for _, f := range a.MVC.Functions {
			ov.Functions = append(ov.Functions, bd.mvcFunction(f.ID, f.Reason.String()))
		}
	} else {
		for _, n := range m.OfKind(graph.KindFunction) {
			if n.Tier == graph.TierCore {
				ov.Functions = append(ov.Functions, bd.mvcFunction(n.ID, "core"))
			}
		}
	}
	for _, f := range ov.Functions {
		for _, p := range plans {
			for _, r := range p.Reasons {
				if r.Kind == SinglePoint && r.Function.ID == f.ID {
					f.StoppedBy = append(f.StoppedBy, p.Vendor)
					break
				}
			}
		}
	}
	slices.SortStableFunc(ov.Functions, func(a, b *MVCFunction) int {
		if c := cmpOpt(a.Tolerance, b.Tolerance); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})

	if a.MVC != nil {
		sp := a.MVC.Supply
		s := &Supply{Minimize: sp.Minimize.String(), Optimal: sp.Optimal, Gap: sp.Gap, Cost: sp.Cost,
			Ties: len(sp.Ties), TiesListed: sp.TiesComplete}
		for _, v := range sp.Vendors {
			s.Vendors = append(s.Vendors, SupplyVendor{Ref: bd.ref(v.ID), Cost: v.Cost, Required: v.Required})
		}
		slices.SortStableFunc(s.Vendors, func(a, b SupplyVendor) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
		})
		ov.Supply = s
		ov.Shed = &Shed{Functions: bd.byName(a.MVC.Shed.Functions), Systems: bd.byName(a.MVC.Shed.Systems),
			Vendors: bd.byName(a.MVC.Shed.Vendors)}
	}

	if g := a.Gaps; g != nil {
		gs := &Gaps{}
		for _, s := range g.SinglePoints {
			gs.NoExit = append(gs.NoExit, NoExit{Vendor: bd.ref(s.Vendor), Core: bd.refs(s.Core),
				NoContract: s.NoContract, NoExitPlan: s.NoExitPlan, NoSubstitute: s.NoSubstitute})
		}
		for _, r := range g.Responsibility {
			gs.Responsibility = append(gs.Responsibility, Responsibility{Node: bd.ref(r.ID), Missing: slices.Clone(r.Missing), Core: bd.refs(r.Core)})
		}
		for _, r := range g.Reviews {
			if r.Status == "future" {
				continue
			}
			gs.Reviews = append(gs.Reviews, Review{Vendor: bd.ref(r.Vendor), Reviewed: r.Reviewed, Status: string(r.Status),
				Due: r.Due, DaysOverdue: r.DaysOverdue})
		}
		for _, r := range g.Recovery {
			gs.Recovery = append(gs.Recovery, Recovery{Function: bd.ref(r.Function), Recovery: r.Recovery, Limit: r.Limit,
				LimitBy: r.LimitBy, Chain: bd.refs(r.Chain)})
		}
		ov.Gaps = gs
	}

	for _, p := range plans {
		single, core := false, false
		for _, r := range p.Reasons {
			if r.Kind == SinglePoint {
				single = true
				core = core || bd.tier(r.Function.ID) == graph.TierCore
			}
		}
		switch {
		case single:
			ov.SinglePoints++
			if core {
				ov.CoreSinglePoints++
			}
		case slices.ContainsFunc(p.Reasons, func(r Reason) bool { return r.Kind == CutSet }):
			ov.CutSetOnly++
		}
	}
	return ov
}

// byName names ids, sorted by name.
func (bd *builder) byName(ids []string) []Ref {
	rs := bd.refs(ids)
	slices.SortStableFunc(rs, func(a, b Ref) int { return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID)) })
	return rs
}

func (bd *builder) mvcFunction(id, reason string) *MVCFunction {
	n := bd.m.Node(id)
	f := &MVCFunction{Ref: bd.ref(id), Reason: reason}
	if n == nil {
		return f
	}
	f.Tier, f.Owner, f.Tolerance, f.ImpactPerHour = n.Tier, n.Owner, n.Tolerance, n.ImpactPerHour
	for _, fb := range bd.m.FallbacksOf(id) {
		f.Fallbacks = append(f.Fallbacks, bd.fallbackInfo(fb))
	}
	return f
}

// vendors summarises every vendor: planned ones in plan order, then the
// rest by name.
func (bd *builder) vendors(plans []*Plan) ([]*VendorSummary, error) {
	byID := map[string]*Plan{}
	for _, p := range plans {
		byID[p.Vendor.ID] = p
	}
	var rest []*graph.Node
	var out []*VendorSummary
	for _, p := range plans {
		s, err := bd.vendor(bd.m.Node(p.Vendor.ID), p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, n := range bd.m.OfKind(graph.KindVendor) {
		if byID[n.ID] == nil {
			rest = append(rest, n)
		}
	}
	slices.SortStableFunc(rest, func(a, b *graph.Node) int {
		return cmp.Or(strings.Compare(a.Label(), b.Label()), strings.Compare(a.ID, b.ID))
	})
	for _, n := range rest {
		s, err := bd.vendor(n, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (bd *builder) vendor(n *graph.Node, p *Plan) (*VendorSummary, error) {
	s := &VendorSummary{Ref: bd.ref(n.ID), LEI: n.LEI, Country: n.Country, Parent: n.Parent, Plan: p,
		Outage: assess.TypicalOutage(n, bd.outage), OutageGiven: n.OutageDuration != nil && *n.OutageDuration > 0,
		Contract: contractOf(n), Review: bd.reviews[n.ID], Owner: bd.owner(n), Contacts: contactsOf(n)}
	sup := bd.a.Supports[n.ID]
	s.Direct, s.Through = bd.refs(sup.Direct), bd.refs(sup.Through)
	bd.byTierName(s.Direct)
	bd.byTierName(s.Through)
	s.SinglePointFor = bd.refs(bd.spof[n.ID])
	bd.byTierName(s.SinglePointFor)
	s.CutSets = bd.cutReasons(n.ID)
	var sc *Scenario
	if p != nil {
		sc, s.Exposure = p.Alone, p.Exposure
	} else {
		o, err := bd.outcome([]string{n.ID}, s.Outage)
		if err != nil {
			return nil, err
		}
		sc = bd.scenario(o)
		s.Exposure = exposure(o, sc, s.Contract)
	}
	s.FirstBreach, s.FirstBreachWith = sc.FirstBreach, sc.FirstBreachWith
	return s, nil
}
