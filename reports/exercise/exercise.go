// Package exercise writes a tabletop exercise pack for an outage scenario:
// injects on a time line (the partner goes down, each function stops, each
// tolerance runs out, each fallback is due), the decision each role must
// make at each inject, the questions a facilitator asks, and what the map
// expects, so that the exercise tests the fallback plans against the map.
// The times come from the outage time lines (graph/assess.Outcome); the
// package arranges them and computes nothing.
package exercise

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/reports/plan"
	d "github.com/lifeboat-dev/lifeboat/reports/plan/document"
)

// Pack is the view model of an exercise pack.
type Pack struct {
	Name, Currency           string
	CrisisLead, Spokesperson string
	// Scenario is the outage, its time lines arranged (see plan.Scenario).
	Scenario *plan.Scenario
	// Partners are the vendors (or other nodes) down, with their owners
	// and escalation contacts.
	Partners []Partner
	// Roles are the people the exercise needs, in the order of the
	// decisions.
	Roles []Role
	// Injects are the moments the facilitator announces, in time order.
	Injects []*Inject
}

// Partner is a node down in the scenario.
type Partner struct {
	plan.Ref
	Owner    string
	Contacts []graph.Contact
}

// Role is one part played in the exercise.
type Role struct {
	Title string // "Crisis lead", "Function owner: Card payments"
	Who   string // the person or post, "" when not named
}

// Inject is one moment of the exercise.
type Inject struct {
	At graph.Duration
	// Headline is what the facilitator announces.
	Headline string
	// Expected is what the map says happens now.
	Expected []string
	// Decisions are the decisions due now, by role.
	Decisions []Decision
	// Questions are what the facilitator asks.
	Questions []string
}

// Decision is one role's decision at an inject.
type Decision struct {
	Role, Who, Decision string
}

// Build makes the exercise pack of an outcome on the map it was computed
// on. cfg gives the names (Name, Currency, CrisisLead, Spokesperson);
// its Vendors are ignored.
func Build(m *graph.Map, o *assess.Outcome, cfg plan.Config) (*Pack, error) {
	s, err := plan.NewScenario(m, o)
	if err != nil {
		return nil, err
	}
	p := &Pack{Name: cmp.Or(cfg.Name, m.Name), Currency: cmp.Or(cfg.Currency, m.Currency),
		CrisisLead: strings.TrimSpace(cfg.CrisisLead), Spokesperson: strings.TrimSpace(cfg.Spokesperson), Scenario: s}
	for _, r := range s.Down {
		n := m.Node(r.ID)
		pt := Partner{Ref: r}
		if n != nil {
			pt.Owner = n.Owner
			if pt.Owner == "" {
				pt.Owner = strings.TrimSpace(n.Attrs["relationship_owner"])
			}
			pt.Contacts = slices.Clone(n.Contacts)
		}
		p.Partners = append(p.Partners, pt)
	}
	p.roles()
	p.injects()
	return p, nil
}

func (p *Pack) lead() string  { return nonEmpty(p.CrisisLead, "crisis lead (not named)") }
func (p *Pack) voice() string { return nonEmpty(p.Spokesperson, "spokesperson (not named)") }

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func (p *Pack) roles() {
	add := func(title, who string) {
		for _, r := range p.Roles {
			if r.Title == title {
				return
			}
		}
		p.Roles = append(p.Roles, Role{Title: title, Who: who})
	}
	add("Facilitator", "")
	add("Crisis lead (decides)", p.CrisisLead)
	add("Spokesperson", p.Spokesperson)
	for _, pt := range p.Partners {
		add("Relationship owner: "+pt.Short, pt.Owner)
		if len(pt.Contacts) > 0 {
			c := pt.Contacts[0]
			add("Partner representative: "+pt.Short, strings.TrimSpace(c.Name+" ("+c.Role+")"))
		}
	}
	for _, f := range p.Scenario.Functions {
		if f.Halted == nil {
			continue
		}
		add("Function owner: "+f.Short, f.Owner)
		for _, fb := range f.Fallbacks {
			add("Fallback owner: "+fb.Short, fb.Owner)
		}
	}
}

// stopMoment groups the functions that stop at one moment.
type stopMoment struct {
	at    graph.Duration
	funcs []*plan.Impact
}

func (p *Pack) injects() {
	s := p.Scenario
	add := func(in *Inject) { p.Injects = append(p.Injects, in) }

	// T+0: the partners go down.
	var downNames []string
	for _, pt := range p.Partners {
		downNames = append(downNames, pt.Short)
	}
	first := &Inject{At: 0, Headline: plan.JoinAnd(downNames) + " " + reports(len(downNames)) + " a major outage. Nobody yet knows for how long (the exercise assumes " + s.Duration.String() + ")."}
	also := fmt.Sprintf("%d systems and suppliers go", len(s.AlsoDown))
	if len(s.AlsoDown) == 1 {
		also = "1 system or supplier goes"
	}
	first.Expected = append(first.Expected, fmt.Sprintf("%s, and %s down with %s.",
		capitalize(plural(countStops(s), "function")+" "+stopVerb(countStops(s))), also, itThem(len(downNames))))
	first.Decisions = append(first.Decisions,
		Decision{"Crisis lead", p.lead(), "Declare an incident and convene the crisis team, or wait for more news?"},
	)
	for _, pt := range p.Partners {
		c := "Reach the partner's escalation contact"
		if len(pt.Contacts) > 0 {
			c += " (" + contactText(pt.Contacts[0]) + ")"
		} else {
			c += " (none recorded: who do you call?)"
		}
		first.Decisions = append(first.Decisions, Decision{"Relationship owner: " + pt.Short, nonEmpty(pt.Owner, "not named"), c + " and get an estimate of the outage."})
	}
	first.Decisions = append(first.Decisions, Decision{"Spokesperson", p.voice(), "Prepare the holding statement; publish now or wait for the first customer impact?"})
	first.Questions = []string{
		"How do we learn of this outage: the partner, our monitoring, or our customers?",
		"Who is told first, and how long does it take to reach the crisis lead at 3 a.m.?",
		"Which of our functions depend on " + plan.JoinAnd(downNames) + "? Can the team say so without this pack?",
	}
	add(first)

	// Functions stopping, grouped by moment.
	var moments []*stopMoment
	for _, f := range s.Functions {
		if f.Halted == nil {
			continue
		}
		if n := len(moments); n > 0 && moments[n-1].at == *f.Halted {
			moments[n-1].funcs = append(moments[n-1].funcs, f)
			continue
		}
		moments = append(moments, &stopMoment{at: *f.Halted, funcs: []*plan.Impact{f}})
	}
	for _, mo := range moments {
		var ns []string
		for _, f := range mo.funcs {
			ns = append(ns, f.Short)
		}
		in := &Inject{At: mo.at, Headline: plan.JoinAnd(ns) + " " + stopVerb(len(ns)) + "."}
		for _, f := range mo.funcs {
			exp := f.Short + ": tolerance " + plan.Hours(f.Tolerance)
			if f.Breach != nil {
				exp += ", breached at " + plan.At(*f.Breach) + " without fallbacks"
			} else {
				exp += ", not breached in this outage"
			}
			in.Expected = append(in.Expected, exp+".")
			working := false
			for _, fb := range f.Fallbacks {
				dec := "Start " + fb.Short + "? It is live " + fb.Activation.String() + " after it starts, at " + plan.Percent(fb.Capacity) + " of normal volume"
				if fb.DecideBy != nil {
					dec += "; decide by " + plan.At(*fb.DecideBy)
				}
				in.Decisions = append(in.Decisions, Decision{"Function owner: " + f.Short, nonEmpty(f.Owner, "not named"), dec + "."})
				working = working || fb.Live != nil
			}
			if len(f.Fallbacks) == 0 {
				in.Decisions = append(in.Decisions, Decision{"Function owner: " + f.Short, nonEmpty(f.Owner, "not named"),
					"There is no fallback: what do you tell customers and staff, and what can be done by hand?"})
			} else if !working {
				in.Expected = append(in.Expected, "No fallback of "+f.Short+" works in this outage.")
			}
		}
		in.Decisions = append(in.Decisions, Decision{"Crisis lead", p.lead(), "Approve the fallbacks proposed; which function comes first if people or systems are short?"})
		in.Questions = []string{
			"How do we know it has stopped: which alert or call tells us, and how fast?",
			"What does a customer notice first, and where will they complain?",
		}
		if mo.at == 0 {
			// Merge with the first inject: the same moment.
			first.Headline += " " + in.Headline
			first.Expected = append(first.Expected, in.Expected...)
			first.Decisions = append(first.Decisions[:1], append(in.Decisions[:len(in.Decisions)-1], first.Decisions[1:]...)...)
			first.Questions = append(first.Questions, in.Questions...)
			continue
		}
		add(in)
	}

	// Fallbacks due live, blocked or ending; tolerances breached.
	for _, f := range s.Functions {
		if f.Halted == nil {
			continue
		}
		for _, fb := range f.Fallbacks {
			switch {
			case fb.Live != nil:
				in := &Inject{At: *fb.Live, Headline: fb.Short + " is due to be live for " + f.Short + "."}
				in.Expected = append(in.Expected, fmt.Sprintf("%s runs at %s from now.", f.Short, plan.Percent(fb.Capacity)))
				if fb.Ends != nil {
					in.Expected = append(in.Expected, "It can carry the function until "+plan.At(*fb.Ends)+".")
				}
				in.Decisions = append(in.Decisions,
					Decision{"Fallback owner: " + fb.Short, nonEmpty(fb.Owner, "not named"), "Confirm it is working: volume, limits, staff on hand, and how long it can last."},
					Decision{"Crisis lead", p.lead(), "Keep it running, widen it, or stop it for risk reasons?"})
				in.Questions = []string{
					"Who has actually done these steps before, and when was it last rehearsed?",
					"What does it cost to run, and what has to be reconciled afterwards?",
				}
				if len(fb.Steps) > 0 {
					in.Questions = append(in.Questions, "Walk through the first step: "+strings.TrimSuffix(fb.Steps[0], ".")+". Who does it, with what?")
				}
				add(in)
			case fb.Activated:
				t := *f.Halted + fb.Activation
				in := &Inject{At: t, Headline: fb.Short + " was due now, but it cannot carry " + f.Short + "."}
				if len(fb.Blocked) > 0 {
					in.Expected = append(in.Expected, "It needs "+plan.JoinAnd(shortsOf(fb.Blocked))+", which "+isAre(len(fb.Blocked))+" down in this outage.")
				}
				in.Decisions = append(in.Decisions,
					Decision{"Fallback owner: " + fb.Short, nonEmpty(fb.Owner, "not named"), "Is there any other way to serve the most important customers?"},
					Decision{"Crisis lead", p.lead(), "Accept the outage of " + f.Short + " until recovery, or improvise?"})
				in.Questions = []string{"Did the plan know this fallback depends on what is down?"}
				add(in)
			}
		}
		if f.Breach != nil {
			in := &Inject{At: *f.Breach, Headline: "The " + plan.Hours(f.Tolerance) + " impact tolerance of " + f.Short + " runs out now."}
			if f.WithBreach != nil {
				in.Expected = append(in.Expected, "A breach even with the fallbacks: "+f.Short+" is still down.")
			} else {
				in.Expected = append(in.Expected, "With its fallback running there is no breach; without it, this is a breach.")
			}
			in.Decisions = append(in.Decisions,
				Decision{"Crisis lead", p.lead(), "Is the tolerance breached? Notify the regulator and the board now?"},
				Decision{"Spokesperson", p.voice(), "Update the public statement: what has changed for customers?"})
			in.Questions = []string{"Who decides that a tolerance is breached, and on what evidence?", "What do we owe customers who were harmed, and who approves it?"}
			add(in)
		}
	}

	// Recovery.
	var backs, partnerBack *Inject
	for _, e := range s.Events {
		switch e.Kind {
		case plan.PartnerBack:
			if partnerBack != nil && partnerBack.At == e.At {
				partnerBack.Headline = strings.TrimSuffix(strings.TrimSuffix(partnerBack.Headline, " reports its service restored."), " report their service restored.") +
					" and " + e.Subject.Short + " report their service restored."
				partnerBack.Decisions = append(partnerBack.Decisions, Decision{"Relationship owner: " + e.Subject.Short, "", "Ask for the partner's incident report and root cause, and when."})
				continue
			}
			in := &Inject{At: e.At, Headline: e.Subject.Short + " reports its service restored."}
			var order []string
			for i, r := range s.Recovery {
				if i == 6 {
					order = append(order, "…")
					break
				}
				order = append(order, r.Short)
			}
			if len(order) > 0 {
				in.Expected = append(in.Expected, "Recovery order: "+strings.Join(order, " → ")+".")
			}
			in.Decisions = append(in.Decisions,
				Decision{"Crisis lead", p.lead(), "Confirm the recovery order and when to stand the fallbacks down."},
				Decision{"Relationship owner: " + e.Subject.Short, "", "Ask for the partner's incident report and root cause, and when."})
			in.Questions = []string{"How do we check that the partner is really back before we switch over?", "What must be reconciled, and who owns it?"}
			partnerBack = in
			add(in)
		case plan.FunctionBack:
			dec := Decision{"Function owner: " + e.Subject.Short, "", "Stand the fallback down and reconcile what it handled."}
			if backs != nil && backs.At == e.At {
				backs.Headline = strings.TrimSuffix(backs.Headline, " is back in full.") + "; " + e.Subject.Short + " are back in full."
				backs.Headline = strings.Replace(backs.Headline, " are back in full.; ", "; ", 1)
				backs.Decisions = append(backs.Decisions[:len(backs.Decisions)-1], dec, backs.Decisions[len(backs.Decisions)-1])
				continue
			}
			backs = &Inject{At: e.At, Headline: e.Subject.Short + " is back in full."}
			backs.Decisions = append(backs.Decisions, dec, Decision{"Spokesperson", p.voice(), "Announce the recovery."})
			add(backs)
		case plan.FallbackEnds:
			in := &Inject{At: e.At, Headline: e.Fallback.Short + " can no longer carry " + e.Subject.Short + "."}
			in.Expected = append(in.Expected, "Its endurance has run out before the function is back.")
			in.Decisions = append(in.Decisions, Decision{"Crisis lead", p.lead(), "What now: extend it at higher risk, or accept the outage?"})
			add(in)
		}
	}
	// Fill in the owners of relationship and function roles named above.
	for _, in := range p.Injects {
		for i := range in.Decisions {
			if in.Decisions[i].Who == "" {
				in.Decisions[i].Who = p.roleWho(in.Decisions[i].Role)
			}
		}
	}
	slices.SortStableFunc(p.Injects, func(a, b *Inject) int { return cmp.Compare(a.At, b.At) })
}

func (p *Pack) roleWho(title string) string {
	for _, r := range p.Roles {
		if r.Title == title {
			return nonEmpty(r.Who, "not named")
		}
	}
	return "not named"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func countStops(s *plan.Scenario) int {
	n := 0
	for _, f := range s.Functions {
		if f.Halted != nil {
			n++
		}
	}
	return n
}

func shortsOf(rs []plan.Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Short
	}
	return out
}

func reports(n int) string {
	if n == 1 {
		return "reports"
	}
	return "report"
}

func stopVerb(n int) string {
	if n == 1 {
		return "stops"
	}
	return "stop"
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func contactText(c graph.Contact) string {
	var parts []string
	for _, s := range []string{c.Name, c.Phone, c.Email} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// File is the pack's file name without extension: "exercise-" and the
// ids down.
func (p *Pack) File() string {
	var ids []string
	for _, r := range p.Scenario.Down {
		ids = append(ids, r.ID)
	}
	var b strings.Builder
	for _, r := range strings.Join(ids, "+") {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-', r == '+':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return "exercise-" + b.String() + "-" + p.Scenario.Duration.String()
}

// Document lays out the pack.
func (p *Pack) Document() *d.Document {
	s := p.Scenario
	kicker := "Tabletop exercise"
	if p.Name != "" {
		kicker += " · " + p.Name
	}
	doc := &d.Document{Kicker: kicker, Title: plan.ScenarioTitle(s)}
	// The headline: what the map expects.
	var stops []string
	for _, f := range s.Functions {
		if f.Halted != nil {
			stops = append(stops, f.Short)
		}
	}
	exp := &d.Callout{Tone: d.Alert, Title: "What the map expects"}
	if len(stops) == 0 {
		exp.Tone = d.Good
		exp.Body = append(exp.Body, &d.Para{Text: d.T("No function stops in this outage. Use the exercise to test detection, escalation and communication.")})
	} else {
		exp.Body = append(exp.Body, &d.Para{Text: d.Join(d.B("What stops: "), d.T(plan.JoinAnd(stops)+"."))})
		soon := "no impact tolerance is breached."
		if fb := s.FirstBreach; fb != nil {
			soon = fmt.Sprintf("%s breaches its tolerance at %s without fallbacks", fb.Function.Short, plan.At(fb.At))
			if fw := s.FirstBreachWith; fw != nil {
				soon += fmt.Sprintf("; with them, %s breaches at %s.", fw.Function.Short, plan.At(fw.At))
			} else {
				soon += "; with the fallbacks working, nothing is breached."
			}
		}
		exp.Body = append(exp.Body, &d.Para{Text: d.Join(d.B("How soon: "), d.T(soon))})
		exp.Body = append(exp.Body, &d.Para{Text: d.Join(d.B("Cost: "), d.T(plan.Money(s.LossWith, p.Currency)+" with the fallbacks ("+plan.Money(s.LossWithout, p.Currency)+" without)."))})
	}
	exp.Body = append(exp.Body, &d.Para{Text: d.T("The injects below follow the map's time line. A decision the team cannot make, or a breach it did not foresee, is a gap in the plan: note it for the debrief.")})
	doc.Blocks = append(doc.Blocks, exp)

	doc.Blocks = append(doc.Blocks, d.Facts{
		{Label: "Scenario", Value: d.T(plan.ScenarioTitle(s) + ", from T+0")},
		{Label: "Injects", Value: d.T(fmt.Sprintf("%d, from T+0 to %s", len(p.Injects), plan.At(p.Injects[len(p.Injects)-1].At)))},
		{Label: "Decision authority", Value: d.T(p.lead())},
		{Label: "Spokesperson", Value: d.T(p.voice())},
		{Label: "Running it", Value: d.T("Read each inject aloud; give each role a few minutes to decide; the facilitator asks the questions and notes the answers.")},
	})

	rt := &d.Table{Columns: []d.Column{{Title: "Role"}, {Title: "Who"}}}
	for _, r := range p.Roles {
		rt.Rows = append(rt.Rows, []d.Text{d.B(r.Title), d.T(nonEmpty(r.Who, "to be named"))})
	}
	doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Roles"}, rt)

	doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Injects"})
	for i, in := range p.Injects {
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 3, Text: fmt.Sprintf("Inject %d · %s", i+1, plan.At(in.At))},
			&d.Para{Text: d.Join(d.B("Facilitator: "), d.T(in.Headline))})
		if len(in.Expected) > 0 {
			doc.Blocks = append(doc.Blocks, &d.Para{Text: d.Join(d.B("The map expects: "), d.T(strings.Join(in.Expected, " ")))})
		}
		if len(in.Decisions) > 0 {
			t := &d.Table{Columns: []d.Column{{Title: "Role"}, {Title: "Who"}, {Title: "Decision due now"}}}
			for _, dc := range in.Decisions {
				t.Rows = append(t.Rows, []d.Text{d.B(dc.Role), d.T(dc.Who), d.T(dc.Decision)})
			}
			doc.Blocks = append(doc.Blocks, t)
		}
		if len(in.Questions) > 0 {
			l := &d.List{}
			for _, q := range in.Questions {
				l.Items = append(l.Items, d.T(q))
			}
			doc.Blocks = append(doc.Blocks, &d.Para{Text: d.B("Facilitator asks:")}, l)
		}
	}

	if s.Stops() {
		doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Answer key: the map's time line"},
			&d.Para{Text: d.T("For the facilitator: compare the team's answers with what the map expects.")},
			plan.EventsTable(s), plan.FunctionsTable(s, p.Currency))
	}
	doc.Blocks = append(doc.Blocks, &d.Heading{Level: 2, Text: "Debrief"}, &d.List{Ordered: true, Items: []d.Text{
		d.T("Which decisions took longest, and what information was missing?"),
		d.T("Did any fallback depend on something that was down? Did the plan say so?"),
		d.T("Were the tolerances the right ones? Would customers agree?"),
		d.T("Did " + p.voice() + " have what was needed to speak for the company, and when?"),
		d.T("What changes to the map, the plans or the contracts follow from today? Who owns each, by when?"),
	}})
	doc.Footer = nonEmpty(p.Name, "lifeboat") + " · tabletop exercise · times from the start of the outage (T+0) · lifeboat"
	return doc
}

// Files renders the pack in each format (Markdown and HTML when none are
// given), named after File.
func (p *Pack) Files(formats ...plan.Format) ([]plan.File, error) {
	if len(formats) == 0 {
		formats = []plan.Format{plan.Markdown, plan.HTML}
	}
	return plan.RenderAll([]string{p.File()}, []*d.Document{p.Document()}, formats)
}
