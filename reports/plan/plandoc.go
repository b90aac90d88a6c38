package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	d "github.com/lifeboat-dev/lifeboat/reports/plan/document"
)

// PlanDocument lays out the plan of one partner.
func (b *Book) PlanDocument(p *Plan) *d.Document {
	doc := &d.Document{Kicker: b.kicker("Fallback plan"), Title: p.Vendor.Name}
	doc.Blocks = append(doc.Blocks, b.headline(p))
	doc.Blocks = append(doc.Blocks, b.planFacts(p))

	for _, s := range append([]*Scenario{p.Alone}, p.Joint...) {
		doc.Blocks = append(doc.Blocks, b.scenarioBlocks(s)...)
	}
	doc.Blocks = append(doc.Blocks, b.fallbackBlocks(p)...)

	doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Gaps"})
	if len(p.Gaps) == 0 {
		doc.Blocks = append(doc.Blocks, &d.Callout{Tone: d.Good, Body: []d.Block{&d.Para{Text: d.T("No gaps found: every function that stops has a fallback that works in time, and the contract has an exit plan.")}}})
	} else {
		l := &d.List{}
		for _, g := range p.Gaps {
			l.Items = append(l.Items, GapText(g, b.Currency))
		}
		doc.Blocks = append(doc.Blocks, &d.Callout{Tone: d.Warn, Title: plural(len(p.Gaps), "gap") + " to close", Body: []d.Block{l}})
	}

	doc.Blocks = append(doc.Blocks, b.whoBlocks(p)...)
	doc.Blocks = append(doc.Blocks, b.contractBlocks(p)...)
	doc.Footer = b.footer("Fallback plan for " + p.Vendor.Short)
	return doc
}

func (b *Book) footer(what string) string {
	s := what + " · times from the start of the outage (T+0) · lifeboat"
	if b.Name != "" {
		s = b.Name + " · " + s
	}
	return s
}

// headline is the plan's first block: what stops, how soon, what to do.
func (b *Book) headline(p *Plan) *d.Callout {
	s := p.Main
	if !s.Stops() {
		return &d.Callout{Tone: d.Good, Title: "If " + ScenarioTitle(s) + ": nothing stops", Body: []d.Block{
			&d.Para{Text: d.T("No function stops in this outage: its redundancy and fallbacks carry every function that needs it.")},
			&d.Para{Text: d.Join(d.B("Do now: "), d.T("confirm with the partner how long it will be down, and watch for a second failure; "+b.crisisLead()+" decides whether to escalate."))},
		}}
	}
	c := &d.Callout{Tone: d.Alert, Title: "If " + ScenarioTitle(s)}
	if s != p.Alone {
		c.Tone = d.Warn
		c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("Alone: "), d.T("an outage of "+p.Vendor.Short+" stops nothing; "+redundancyText(p, s)))})
	}

	// What stops, grouped by the moment.
	c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("What stops: "), d.T(stopsText(s)+"."))})

	// How soon.
	var soon string
	switch fb, fw := s.FirstBreach, s.FirstBreachWith; {
	case fb == nil:
		soon = "no impact tolerance is breached within the outage."
	case fw == nil:
		soon = fmt.Sprintf("without fallbacks %s breaches its tolerance at %s; with the fallbacks below no tolerance is breached.", fb.Function.Short, At(fb.At))
	case fw.Function.ID == fb.Function.ID && fw.At == fb.At:
		soon = fmt.Sprintf("%s breaches its tolerance at %s: no fallback prevents it.", fb.Function.Short, At(fb.At))
	default:
		soon = fmt.Sprintf("without fallbacks %s breaches its tolerance at %s; even with the fallbacks below, %s breaches at %s.",
			fb.Function.Short, At(fb.At), fw.Function.Short, At(fw.At))
	}
	c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("How soon: "), d.T(capitalize(soon)))})

	// What it costs.
	cost := fmt.Sprintf("%s with the fallbacks (%s without) for the %s outage.", b.money(s.LossWith), b.money(s.LossWithout), s.Duration)
	if s == p.Alone {
		cost += " " + capText(p, b.Currency)
	}
	c.Body = append(c.Body, &d.Para{Text: d.Join(d.B("Cost: "), d.T(cost))})

	// What to do: start the fallbacks that work, most pressing first.
	do := &d.List{Ordered: true}
	do.Items = append(do.Items, d.Join(d.B(b.crisisLead()), d.T(" decides: declare the incident and convene the crisis team now.")))
	type start struct {
		fb *Fallback
		f  *Impact
	}
	var starts []start
	var stuck []string
	for _, f := range s.Functions {
		if f.Halted == nil {
			continue
		}
		n := len(starts)
		for _, fb := range f.Fallbacks {
			if fb.Live != nil {
				starts = append(starts, start{fb, f})
			}
		}
		if len(starts) == n {
			stuck = append(stuck, f.Short)
		}
	}
	slices.SortStableFunc(starts, func(a, b start) int { return cmpOpt(a.fb.DecideBy, b.fb.DecideBy) })
	for _, st := range starts {
		fb := st.fb
		t := d.Join(d.T("Start "), d.B(fb.Short), d.T(" for "+st.f.Short))
		if fb.Owner != "" {
			t = append(t, d.T(" ("+fb.Owner+")")...)
		}
		t = append(t, d.T(": live "+fb.Activation.String()+" after it starts, "+Percent(fb.Capacity)+" of normal volume")...)
		if fb.DecideBy != nil {
			t = append(t, d.T("; decide by "+At(*fb.DecideBy))...)
		}
		t = append(t, d.T(".")...)
		do.Items = append(do.Items, t)
	}
	if len(stuck) > 0 {
		do.Items = append(do.Items, d.Join(d.T("No fallback works for "), d.B(JoinAnd(stuck)), d.T(": "+itThey(len(stuck))+" until what "+itThey2(len(stuck))+" back; follow the recovery order below.")))
	}
	do.Items = append(do.Items, escalateText(p, s))
	do.Items = append(do.Items, d.Join(d.T("Only "), d.B(b.spokesperson()), d.T(" speaks to customers, press and regulators: adapt the holding statement below.")))
	c.Body = append(c.Body, &d.Para{Text: d.B("Do now:")}, do)
	return c
}

// stopsText lists the functions a scenario stops, grouped by the moment
// they stop: "Card payments and Treasury at once (T+0); Payments at T+2h".
func stopsText(s *Scenario) string {
	var groups []string
	var cur []string
	var at graph.Duration
	flush := func() {
		if len(cur) == 0 {
			return
		}
		when := "at " + At(at)
		if at == 0 {
			when = "at once (T+0)"
		}
		groups = append(groups, JoinAnd(cur)+" "+when)
		cur = nil
	}
	for _, f := range s.Functions {
		if f.Halted == nil {
			continue
		}
		if len(cur) > 0 && *f.Halted != at {
			flush()
		}
		at = *f.Halted
		cur = append(cur, f.Short)
	}
	flush()
	return strings.Join(groups, "; ")
}

// redundancyText says what keeps functions up when the partner alone
// fails, and what together with it stops them.
func redundancyText(p *Plan, main *Scenario) string {
	var others []string
	for _, r := range p.Reasons {
		if r.Kind == CutSet && !slices.Contains(others, r.With.Short) {
			others = append(others, r.With.Short)
		}
	}
	if len(others) == 0 {
		return "its redundancy carries every function."
	}
	if len(others) == 1 {
		return "a second supplier carries its functions. The risk is a joint outage with " + others[0] + "."
	}
	return "a second supplier carries its functions. The risk is a joint outage with " + strings.Join(others, " or ") + "; this box covers the one that breaches first, and each is detailed below."
}

// escalateText says whom to call at the partner.
func escalateText(p *Plan, s *Scenario) d.Text {
	if len(p.Contacts) > 0 {
		c := p.Contacts[0]
		return d.Join(d.T("Call "), d.B(p.Vendor.Short), d.T(": "+ContactText(c)+"."))
	}
	if len(p.Through) > 0 {
		var vs []string
		for _, t := range p.Through {
			vs = append(vs, t.Vendor.Short)
		}
		return d.Join(d.T("No direct line to "+p.Vendor.Short+": escalate through "), d.B(listNames(vs)), d.T(" (contacts below)."))
	}
	return d.T("No escalation contact is recorded for " + p.Vendor.Short + ": find one now (see Gaps).")
}

// capText compares the modeled loss of the typical outage alone with the
// liability cap.
func capText(p *Plan, currency string) string {
	e := p.Exposure
	switch {
	case p.Contract == nil:
		return "There is no contract: nothing of it is recoverable from the partner."
	case e.Cap <= 0:
		return "The contract has no liability cap recorded: treat " + Money(e.LossWith, currency) + " as uncovered."
	case e.Uncovered > 0:
		return fmt.Sprintf("The liability cap of %s leaves %s uncovered.", Money(e.Cap, currency), Money(e.Uncovered, currency))
	}
	return fmt.Sprintf("The liability cap of %s covers it.", Money(e.Cap, currency))
}

func itThey(n int) string {
	if n == 1 {
		return "it stays down"
	}
	return "they stay down"
}

func itThey2(n int) string {
	if n == 1 {
		return "it needs is"
	}
	return "they need is"
}

func (b *Book) planFacts(p *Plan) d.Facts {
	var fs d.Facts
	partner := p.Vendor.Name
	if p.Fourth {
		partner += " — a fourth party: no contract, reached through other suppliers"
	}
	fs = append(fs, d.Fact{Label: "Partner", Value: d.T(partner)})
	if p.Service != "" {
		fs = append(fs, d.Fact{Label: "Service", Value: d.T(p.Service)})
	}
	fs = append(fs, d.Fact{Label: "Why critical", Value: d.T(reasonsText(p.Reasons) + ".")})
	out := p.Outage.String()
	if !p.OutageGiven {
		out += " (assumed: the map gives no typical outage)"
	}
	fs = append(fs, d.Fact{Label: "Typical outage", Value: d.T(out)})
	owner := p.Owner
	if owner == "" {
		owner = "not named"
	}
	fs = append(fs, d.Fact{Label: "Internal owner", Value: d.T(owner)})
	fs = append(fs, d.Fact{Label: "Decision authority", Value: d.T(b.crisisLead())})
	fs = append(fs, d.Fact{Label: "Spokesperson", Value: d.T(b.spokesperson())})
	return fs
}

func (b *Book) scenarioBlocks(s *Scenario) []d.Block {
	out := []d.Block{&d.Heading{Level: 2, Text: "If " + ScenarioTitle(s)}}
	if !s.Stops() {
		out = append(out, &d.Para{Text: d.T("No function stops: redundancy carries every function that depends on it.")})
		if len(s.AlsoDown) > 0 {
			out = append(out, &d.Para{Text: d.Join(d.B("Also down: "), d.T(listNames(shorts(s.AlsoDown))+"."))})
		}
		return out
	}
	out = append(out, &d.Heading{Level: 3, Text: "Time line"}, EventsTable(s))
	out = append(out, &d.Heading{Level: 3, Text: "Functions that stop"}, FunctionsTable(s, b.Currency))
	if len(s.AlsoDown) > 0 {
		out = append(out, &d.Para{Text: d.Join(d.B("Systems and suppliers down with it: "), d.T(JoinAnd(shorts(s.AlsoDown))+"."))})
	}
	if len(s.Recovery) > 0 {
		intro := "Bring things back in this order, suppliers before what needs them; the times are when the map expects each to be back once the outage ends."
		if s.RecoveryPlanned {
			intro = "Bring things back in this order: each after what it waits for, the critical path first, so that the stopped functions are back soonest. The times are when the map expects each to be back."
		}
		out = append(out, &d.Heading{Level: 3, Text: "Recovery order"}, &d.Para{Text: d.T(intro)}, RecoveryTable(s))
	}
	return out
}

// fallbackBlocks describe the fallbacks of every function the plan's
// scenarios stop, with how each fares in the first scenario that stops
// the function.
func (b *Book) fallbackBlocks(p *Plan) []d.Block {
	out := []d.Block{&d.Heading{Level: 2, Text: "Fallbacks"}}
	seen := map[string]bool{}
	any := false
	for _, s := range append([]*Scenario{p.Alone}, p.Joint...) {
		for _, f := range s.Functions {
			if seen[f.ID] || f.Halted == nil {
				continue
			}
			seen[f.ID] = true
			any = true
			out = append(out, &d.Heading{Level: 3, Text: f.Name})
			intro := "Owner: " + nonEmpty(f.Owner, "not named") + " · tolerance " + Hours(f.Tolerance) + " · " + Money(f.ImpactPerHour, b.Currency) + " per hour down"
			out = append(out, &d.Para{Text: d.T(intro)})
			if len(f.Fallbacks) == 0 {
				out = append(out, &d.Para{Text: d.B("No fallback is recorded: the function waits for recovery.")})
				continue
			}
			for _, fb := range f.Fallbacks {
				out = append(out, b.fallbackDetail(fb, f, s, len(p.Joint) > 0)...)
			}
		}
	}
	if !any {
		out = append(out, &d.Para{Text: d.T("No function stops in these outages, so no fallback is needed.")})
	}
	return out
}

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func (b *Book) fallbackDetail(fb *Fallback, f *Impact, s *Scenario, named bool) []d.Block {
	terms := []string{"owner " + nonEmpty(fb.Owner, "not named"), "live " + fb.Activation.String() + " after it starts"}
	if fb.Endurance != nil {
		terms = append(terms, "lasts "+fb.Endurance.String())
	} else {
		terms = append(terms, "no time limit")
	}
	terms = append(terms, Percent(fb.Capacity)+" of normal volume")
	if len(fb.Requires) > 0 {
		terms = append(terms, "needs "+JoinAnd(shorts(fb.Requires)))
	}
	out := []d.Block{&d.Para{Text: d.Join(d.B(fb.Name), d.T(" — "+strings.Join(terms, "; ")+"."))}}
	where := "In this outage"
	if named {
		where = "If " + ScenarioTitle(s) + ","
	}
	var status string
	switch {
	case fb.Live != nil && fb.Ends != nil:
		status = fmt.Sprintf("%s it is live from %s to %s.", where, At(*fb.Live), At(*fb.Ends))
	case fb.Live != nil:
		status = fmt.Sprintf("%s it is live from %s until the function is back.", where, At(*fb.Live))
	case len(fb.Blocked) > 0:
		status = fmt.Sprintf("%s it does not work: it needs %s, which %s down.", where, JoinAnd(shorts(fb.Blocked)), isAre(len(fb.Blocked)))
	case fb.Activated:
		status = where + " it is started but cannot carry the function."
	default:
		status = where + " it is not started: the function is back before it would be live."
	}
	if fb.DecideBy != nil && fb.Live != nil {
		status += " Decide by " + At(*fb.DecideBy) + " to have it live before the tolerance runs out."
	}
	out = append(out, &d.Para{Text: d.T(status)})
	if len(fb.Steps) > 0 {
		l := &d.List{Ordered: true}
		for _, st := range fb.Steps {
			l.Items = append(l.Items, d.T(st))
		}
		out = append(out, l)
	}
	return out
}

func (b *Book) whoBlocks(p *Plan) []d.Block {
	out := []d.Block{&d.Heading{Level: 2, Text: "Who"}}
	t := &d.Table{Columns: []d.Column{{Title: "Role"}, {Title: "Who"}, {Title: "How to reach"}}}
	t.Rows = append(t.Rows,
		[]d.Text{d.B("Decision authority"), d.T(b.crisisLead()), d.T("Chairs the crisis team; decides on fallbacks and escalation")},
		[]d.Text{d.B("Spokesperson"), d.T(b.spokesperson()), d.T("The single voice to customers, press and regulators")},
		[]d.Text{d.B("Relationship owner"), d.T(nonEmpty(p.Owner, "not named")), d.T("Owns the partner relationship and the contract")},
	)
	for _, c := range p.Contacts {
		t.Rows = append(t.Rows, []d.Text{d.B("Partner escalation"), d.T(nonEmpty(c.Role, "contact") + " — " + nonEmpty(c.Name, "unnamed")), d.T(reach(c))})
	}
	for _, th := range p.Through {
		for _, c := range th.Contacts {
			t.Rows = append(t.Rows, []d.Text{d.B("Via " + th.Vendor.Short), d.T(nonEmpty(c.Role, "contact") + " — " + nonEmpty(c.Name, "unnamed")), d.T(reach(c))})
		}
	}
	seen := map[string]bool{}
	for _, s := range append([]*Scenario{p.Alone}, p.Joint...) {
		for _, f := range s.Functions {
			if f.Halted == nil || seen["f"+f.ID] {
				continue
			}
			seen["f"+f.ID] = true
			t.Rows = append(t.Rows, []d.Text{d.B("Function owner"), d.T(nonEmpty(f.Owner, "not named")), d.T(f.Short)})
			for _, fb := range f.Fallbacks {
				if seen["b"+fb.ID] {
					continue
				}
				seen["b"+fb.ID] = true
				t.Rows = append(t.Rows, []d.Text{d.B("Fallback owner"), d.T(nonEmpty(fb.Owner, "not named")), d.T(fb.Short)})
			}
		}
	}
	out = append(out, t)
	out = append(out, &d.Heading{Level: 3, Text: "Holding statement (adapt before use)"},
		&d.Callout{Tone: d.Note, Body: []d.Block{&d.Para{Text: d.T(b.holdingStatement(p.Main))}}},
		&d.Para{Text: d.T("Text in [brackets] is to be filled in or confirmed by " + b.spokesperson() + " before release; name the supplier only once " + b.crisisLead() + " agrees.")})
	return out
}

func reach(c graph.Contact) string {
	var parts []string
	for _, s := range []string{c.Phone, c.Email} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "no phone or e-mail recorded"
	}
	return strings.Join(parts, " · ")
}

// holdingStatement is a first public statement for a scenario.
func (b *Book) holdingStatement(s *Scenario) string {
	var fs []string
	working := false
	for _, f := range s.Functions {
		if f.Halted != nil && f.Tier != graph.TierSupporting {
			fs = append(fs, sentenceName(f.Short))
		}
		if len(f.Carried) > 0 {
			working = true
		}
	}
	if len(fs) == 0 {
		for _, f := range s.Functions {
			fs = append(fs, sentenceName(f.Short))
		}
	}
	who := "We"
	if b.Name != "" {
		who = b.Name
	}
	st := fmt.Sprintf("%s is aware of a disruption to %s, caused by an outage at one of our service providers.", who, listNames(fs))
	if who == "We" {
		st = fmt.Sprintf("We are aware of a disruption to %s, caused by an outage at one of our service providers.", listNames(fs))
	}
	if working {
		st += " Our contingency arrangements are in place: [describe what customers can still do, and any limits]."
	} else {
		st += " [Describe what customers can do in the meantime.]"
	}
	st += " Your money and data are safe [confirm before release]. We are working with the provider to restore full service and will give our next update by [time]."
	return st
}

func (b *Book) contractBlocks(p *Plan) []d.Block {
	out := []d.Block{&d.Heading{Level: 2, Text: "Exit plan and contract"}}
	c := p.Contract
	var fs d.Facts
	if c == nil {
		fs = append(fs, d.Fact{Label: "Contract", Value: d.T("none")})
	} else {
		fs = append(fs, d.Fact{Label: "Contract", Value: d.T(nonEmpty(c.Ref, "no reference"))})
		if c.SLA != "" {
			fs = append(fs, d.Fact{Label: "Service level", Value: d.T(c.SLA)})
		}
		if c.Notice != "" {
			fs = append(fs, d.Fact{Label: "Notice period", Value: d.T(c.Notice)})
		}
		fs = append(fs, d.Fact{Label: "Exit plan", Value: d.T(nonEmpty(c.ExitPlan, "none recorded"))})
		fs = append(fs, d.Fact{Label: "Substitutability", Value: d.T(substitutability(c.Substitutability))})
		rev := nonEmpty(c.Reviewed, "never")
		if p.Review != "" && p.Review != "future" {
			rev += " (" + p.Review + ")"
		}
		fs = append(fs, d.Fact{Label: "Last review", Value: d.T(rev)})
		if c.AnnualFee > 0 {
			fs = append(fs, d.Fact{Label: "Annual fee", Value: d.T(b.money(c.AnnualFee))})
		}
	}
	if p.Parent != "" {
		fs = append(fs, d.Fact{Label: "Parent company", Value: d.T(p.Parent)})
	}
	if p.Country != "" || p.LEI != "" {
		fs = append(fs, d.Fact{Label: "Country · LEI", Value: d.T(nonEmpty(p.Country, "—") + " · " + nonEmpty(p.LEI, "—"))})
	}
	out = append(out, fs)

	e := p.Exposure
	out = append(out, &d.Heading{Level: 3, Text: "Liability cap against the modeled loss"})
	t := &d.Table{Columns: []d.Column{{Title: "For a " + e.Outage.String() + " outage of " + p.Vendor.Short + " alone"}, {Title: "Without fallbacks", Align: d.Right, NoWrap: true}, {Title: "With fallbacks", Align: d.Right, NoWrap: true}}}
	capCell := b.capCell(c)
	t.Rows = append(t.Rows,
		[]d.Text{d.T("Modeled loss"), d.T(b.money(e.LossWithout)), d.T(b.money(e.LossWith))},
		[]d.Text{d.T("Liability cap"), d.T(capCell), d.T(capCell)},
		[]d.Text{d.B("Uncovered"), d.B(b.money(e.UncoveredWithout)), d.B(b.money(e.Uncovered))},
	)
	out = append(out, t)
	return out
}

func substitutability(s string) string {
	switch strings.ToLower(s) {
	case "easy":
		return "easy: another supplier can take over quickly"
	case "hard":
		return "hard: replacing the partner takes months"
	case "none":
		return "none: no substitute on the market"
	case "":
		return "not assessed"
	}
	return s
}
