package plan

import (
	"fmt"
	"strings"

	d "github.com/lifeboat-dev/lifeboat/reports/plan/document"
)

// OverviewDocument lays out the plan for the whole minimum viable company
// that leads the set.
func (b *Book) OverviewDocument() *d.Document {
	ov := &b.Overview
	doc := &d.Document{Kicker: b.kicker("Fallback plans"), Title: "Minimum viable company: fallback plans overview"}
	doc.Blocks = append(doc.Blocks, b.overviewHeadline())

	fs := d.Facts{
		{Label: "Must keep running", Value: d.T(plural(len(ov.Functions), "function") + " (the minimum viable company)")},
		{Label: "Critical partners", Value: d.T(fmt.Sprintf("%d, each with a plan below", len(b.Plans)))},
		{Label: "Decision authority", Value: d.T(b.crisisLead())},
		{Label: "Spokesperson", Value: d.T(b.spokesperson())},
		{Label: "Outage assumed", Value: d.T("each partner's typical outage; " + b.DefaultOutage.String() + " where the map gives none")},
	}
	doc.Blocks = append(doc.Blocks, fs)

	// The functions.
	doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Functions that must keep running"},
		&d.Para{Text: d.T("Shortest tolerance first: these are the first to breach.")})
	ft := &d.Table{Columns: []d.Column{{Title: "Function"}, {Title: "Owner"}, {Title: "Tolerance", NoWrap: true},
		{Title: "Impact per hour", Align: d.Right, NoWrap: true}, {Title: "Fallback"}, {Title: "Stopped alone by"}}}
	for _, f := range ov.Functions {
		var fbs []string
		for _, fb := range f.Fallbacks {
			fbs = append(fbs, fmt.Sprintf("%s (live after %s, %s)", fb.Short, fb.Activation, Percent(fb.Capacity)))
		}
		fbText := strings.Join(fbs, "; ")
		if fbText == "" {
			fbText = "none"
		}
		var by d.Text
		for i, r := range f.StoppedBy {
			if i > 0 {
				by = append(by, d.T(", ")...)
			}
			by = append(by, d.L(r.Short, b.planFile(r.ID))...)
		}
		if len(by) == 0 {
			by = d.T("no single partner")
		}
		name := d.B(f.Short)
		if f.Reason != "" && f.Reason != "core" {
			name = d.Join(name, d.T(" ("+f.Reason+")"))
		}
		ft.Rows = append(ft.Rows, []d.Text{name, d.T(nonEmpty(f.Owner, "not named")), d.T(Hours(f.Tolerance)),
			d.T(b.money(f.ImpactPerHour)), d.T(fbText), by})
	}
	doc.Blocks = append(doc.Blocks, ft)

	// The partners, in three groups.
	var alone, joint, none []*Plan
	for _, p := range b.Plans {
		switch {
		case p.Alone.Stops():
			alone = append(alone, p)
		case p.Main.Stops():
			joint = append(joint, p)
		default:
			none = append(none, p)
		}
	}
	doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Critical partners and their plans"})
	if len(alone) > 0 {
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 3, Text: "Partners that stop functions alone"},
			&d.Para{Text: d.T("Most urgent first. Each is modeled down alone for its typical outage; losses are with the fallbacks working.")})
		pt := &d.Table{Columns: []d.Column{{Title: "Partner"}, {Title: "Outage", NoWrap: true}, {Title: "What stops"},
			{Title: "First breach", NoWrap: true}, {Title: "Loss", Align: d.Right, NoWrap: true},
			{Title: "Liability cap", Align: d.Right, NoWrap: true}, {Title: "Uncovered", Align: d.Right, NoWrap: true}}}
		for _, p := range alone {
			pt.Rows = append(pt.Rows, []d.Text{planLink(p), d.T(p.Outage.String()), d.T(stoppedNames(p.Alone)), d.T(breachCell(p.Alone)),
				d.T(b.money(p.Exposure.LossWith)), d.T(b.capCell(p.Contract)), d.T(b.money(p.Exposure.Uncovered))})
		}
		doc.Blocks = append(doc.Blocks, pt)
	}
	if len(joint) > 0 {
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 3, Text: "Partners that stop a core function together with another"},
			&d.Para{Text: d.T("Alone they stop nothing; with the partner named (an order-2 cut set) they do. Shown for the joint outage that breaches first, both down for the first partner's typical outage.")})
		pt := &d.Table{Columns: []d.Column{{Title: "Partner"}, {Title: "Together with"}, {Title: "Outage", NoWrap: true}, {Title: "What stops"},
			{Title: "First breach", NoWrap: true}, {Title: "Loss", Align: d.Right, NoWrap: true}}}
		for _, p := range joint {
			pt.Rows = append(pt.Rows, []d.Text{planLink(p), d.T(JoinAnd(shortsExcept(p.Main.Down, p.Vendor.ID))), d.T(p.Outage.String()),
				d.T(stoppedNames(p.Main)), d.T(breachCell(p.Main)), d.T(b.money(p.Main.LossWith))})
		}
		doc.Blocks = append(doc.Blocks, pt)
	}
	if len(none) > 0 {
		var t d.Text
		for i, p := range none {
			if i > 0 {
				t = append(t, d.T(", ")...)
			}
			t = append(t, planLink(p)...)
		}
		lead := "In the time line of their typical outage, alone or with their cut-set partner, buffers and redundancy carry every function: "
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 3, Text: "Partners whose typical outage stops nothing"},
			&d.Para{Text: d.Join(d.T(lead), t, d.T("."))})
	}

	// The supply set.
	if s := ov.Supply; s != nil {
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Smallest supply set"})
		how := "the proven minimum"
		if !s.Optimal {
			how = fmt.Sprintf("the best found before the search stopped, at most %s above the minimum", Percent(s.Gap))
		}
		doc.Blocks = append(doc.Blocks, &d.Para{Text: d.T(fmt.Sprintf("%s keep every function above running: %s. Keep these going first in a crisis.",
			capitalize(plural(len(s.Vendors), "supplier")), how))})
		var req, choice []string
		for _, v := range s.Vendors {
			if v.Required {
				req = append(req, v.Short)
			} else {
				choice = append(choice, v.Short)
			}
		}
		l := &d.List{}
		if len(req) > 0 {
			l.Items = append(l.Items, d.Join(d.B("Needed in every case: "), d.T(JoinAnd(req)+".")))
		}
		if len(choice) > 0 {
			alt := "."
			if s.Ties > 0 {
				alt = fmt.Sprintf("; %s of equal size exist.", plural(s.Ties, "alternative"))
			}
			l.Items = append(l.Items, d.Join(d.B("Chosen among redundant suppliers: "), d.T(JoinAnd(choice)+alt)))
		}
		if len(l.Items) > 0 {
			doc.Blocks = append(doc.Blocks, l)
		}
	}
	if sh := ov.Shed; sh != nil && len(sh.Functions)+len(sh.Systems)+len(sh.Vendors) > 0 {
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 3, Text: "What can wait in a crisis"},
			&d.Para{Text: d.T("No function above depends on these; staff and attention can move from them to the plans.")})
		l := &d.List{}
		for _, g := range []struct {
			label string
			refs  []Ref
		}{{"Functions", sh.Functions}, {"Systems", sh.Systems}, {"Suppliers", sh.Vendors}} {
			if len(g.refs) > 0 {
				l.Items = append(l.Items, d.Join(d.B(g.label+": "), d.T(JoinAnd(shorts(g.refs))+".")))
			}
		}
		doc.Blocks = append(doc.Blocks, l)
	}

	// The gaps.
	if g := ov.Gaps; g != nil {
		doc.Blocks = append(doc.Blocks, b.overviewGaps(g)...)
	}

	if len(b.Notes) > 0 {
		l := &d.List{}
		for _, n := range b.Notes {
			l.Items = append(l.Items, d.T(capitalize(n)+"."))
		}
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Notes"}, l)
	}
	doc.Footer = b.footer("Fallback plans overview")
	return doc
}

// stoppedNames lists the functions a scenario stops.
func stoppedNames(s *Scenario) string {
	var out []string
	for _, f := range s.Functions {
		if f.Halted != nil {
			out = append(out, f.Short)
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return listNames(out)
}

func breachCell(s *Scenario) string {
	if s.FirstBreach == nil {
		return "none"
	}
	return At(s.FirstBreach.At)
}

// capCell is a contract's liability cap for a table cell.
func (b *Book) capCell(c *Contract) string {
	switch {
	case c == nil:
		return "no contract"
	case c.LiabilityCap <= 0:
		return "none"
	}
	return b.money(c.LiabilityCap)
}

func shortsExcept(rs []Ref, id string) []string {
	var out []string
	for _, r := range rs {
		if r.ID != id {
			out = append(out, r.Short)
		}
	}
	return out
}

// planFile is the plan file of a vendor, or "" when it has none.
func (b *Book) planFile(id string) string {
	for _, p := range b.Plans {
		if p.Vendor.ID == id {
			return p.File
		}
	}
	return ""
}

func (b *Book) overviewHeadline() *d.Callout {
	ov := &b.Overview
	c := &d.Callout{Tone: d.Alert, Title: "What can stop the company, how soon, and what to do"}
	var core []string
	for _, f := range ov.Functions {
		core = append(core, f.Short)
	}
	c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("Must keep running: "), d.T(listNames(core)+"."))})
	c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("Critical partners: "), d.T(fmt.Sprintf(
		"%s can stop a function alone, %d of them a core function; %d more stop a core function only together with one other partner.",
		capitalize(plural(ov.SinglePoints, "partner")), ov.CoreSinglePoints, ov.CutSetOnly)))})

	// The fastest breach, and the largest uncovered loss.
	var fast *Plan
	for _, p := range b.Plans {
		if p.Alone.FirstBreach != nil && (fast == nil || p.Alone.FirstBreach.At < fast.Alone.FirstBreach.At) {
			fast = p
		}
	}
	if fast != nil {
		fb := fast.Alone.FirstBreach
		c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("Fastest breach: "), d.T(fmt.Sprintf("%s breaches its tolerance at %s if ", fb.Function.Short, At(fb.At))),
			planLink(fast), d.T(" is down; "+fallbackFate(fast.Alone, fb.Function.ID)+"."))})
	}
	var worst *Plan
	for _, p := range b.Plans {
		if p.Exposure.Uncovered > 0 && (worst == nil || p.Exposure.Uncovered > worst.Exposure.Uncovered) {
			worst = p
		}
	}
	if worst != nil {
		why := " (" + b.money(worst.Exposure.LossWith) + " modeled with fallbacks, beyond the liability cap of " + b.money(worst.Exposure.Cap) + ")."
		if worst.Contract == nil {
			why = " (modeled with fallbacks; there is no contract to recover any of it from)."
		}
		c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("Largest uncovered loss: "), d.T(b.money(worst.Exposure.Uncovered)+" for a "+worst.Outage.String()+" outage of "),
			planLink(worst), d.T(why))})
	}
	do := &d.List{Ordered: true, Items: []d.Text{
		d.T("Find the partner that is down in the table below and open its plan: the plan's first box says what stops, how soon and what to do."),
		d.Join(d.B(b.crisisLead()), d.T(" decides on fallbacks and escalation.")),
		d.Join(d.T("Only "), d.B(b.spokesperson()), d.T(" speaks outside, starting from the plan's holding statement.")),
	}}
	c.Body = append(c.Body, &d.Para{Text: d.B("Do now:")}, do)
	return c
}

// fallbackFate says whether a function's fallbacks avoid its breach.
func fallbackFate(s *Scenario, fn string) string {
	for _, f := range s.Functions {
		if f.ID != fn {
			continue
		}
		switch {
		case f.WithBreach != nil:
			return "its fallbacks do not prevent the breach"
		case len(f.Carried) > 0:
			return fmt.Sprintf("its fallback avoids the breach (%s from %s)", Percent(f.Carried[0].Capacity), At(f.Carried[0].From))
		case len(f.Fallbacks) == 0:
			return "it has no fallback"
		}
	}
	return "its fallbacks do not prevent the breach"
}

func (b *Book) overviewGaps(g *Gaps) []d.Block {
	n := len(g.NoExit) + len(g.Responsibility) + len(g.Reviews) + len(g.Recovery)
	out := []d.Block{&d.Heading{Level: 2, Text: "Open gaps"}}
	if n == 0 {
		return append(out, &d.Callout{Tone: d.Good, Body: []d.Block{&d.Para{Text: d.T("No open gaps found in exits, responsibilities, contract reviews or recovery times.")}}})
	}
	if len(g.NoExit) > 0 {
		t := &d.Table{Columns: []d.Column{{Title: "Single point of failure"}, {Title: "Stops"}, {Title: "Missing"}}}
		for _, x := range g.NoExit {
			var miss []string
			if x.NoContract {
				miss = append(miss, "contract")
			}
			if x.NoExitPlan {
				miss = append(miss, "exit plan")
			}
			if x.NoSubstitute {
				miss = append(miss, "substitute")
			}
			name := d.T(x.Vendor.Short)
			if f := b.planFile(x.Vendor.ID); f != "" {
				name = d.L(x.Vendor.Short, f)
			}
			t.Rows = append(t.Rows, []d.Text{name, d.T(JoinAnd(shorts(x.Core))), d.T(JoinAnd(miss))})
		}
		out = append(out, &d.Heading{Level: 3, Text: "Single points of failure without a way out"}, t)
	}
	if len(g.Recovery) > 0 {
		t := &d.Table{Columns: []d.Column{{Title: "Function"}, {Title: "Worst-case recovery", NoWrap: true}, {Title: "Limit", NoWrap: true}, {Title: "Slowest chain"}}}
		for _, r := range g.Recovery {
			t.Rows = append(t.Rows, []d.Text{d.T(r.Function.Short), d.T(r.Recovery.String()), d.T(r.Limit.String() + " (" + r.LimitBy + ")"),
				d.T(strings.Join(shorts(r.Chain), " ← "))})
		}
		out = append(out, &d.Heading{Level: 3, Text: "Recovery slower than the limit"}, t)
	}
	if len(g.Responsibility) > 0 {
		t := &d.Table{Columns: []d.Column{{Title: "On a core path"}, {Title: "Kind"}, {Title: "Nobody named to"}, {Title: "Core functions"}}}
		for _, r := range g.Responsibility {
			t.Rows = append(t.Rows, []d.Text{d.T(r.Node.Short), d.T(r.Node.Kind.String()), d.T(JoinAnd(r.Missing)), d.T(JoinAnd(shorts(r.Core)))})
		}
		out = append(out, &d.Heading{Level: 3, Text: "Responsibilities not assigned"}, t)
	}
	if len(g.Reviews) > 0 {
		t := &d.Table{Columns: []d.Column{{Title: "Contract of"}, {Title: "Last review", NoWrap: true}, {Title: "Status"}}}
		for _, r := range g.Reviews {
			st := r.Status
			if r.Status == "overdue" {
				st = fmt.Sprintf("overdue since %s (%s)", r.Due, plural(r.DaysOverdue, "day"))
			}
			t.Rows = append(t.Rows, []d.Text{d.T(r.Vendor.Short), d.T(nonEmpty(r.Reviewed, "never")), d.T(st)})
		}
		out = append(out, &d.Heading{Level: 3, Text: "Contract reviews due"}, t)
	}
	return out
}
