package plan

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	d "github.com/lifeboat-dev/lifeboat/reports/plan/document"
)

// maxListed is how many names a sentence lists before "and N more".
const maxListed = 6

// listNames joins up to maxListed names, then says how many more.
func listNames(ss []string) string {
	if len(ss) <= maxListed {
		return JoinAnd(ss)
	}
	sep := ", "
	for _, s := range ss[:maxListed] {
		if strings.Contains(s, ",") || strings.Contains(s, " and ") {
			sep = "; "
		}
	}
	return strings.Join(ss[:maxListed], sep) + fmt.Sprintf("%s%d more", sep, len(ss)-maxListed)
}

// sentenceName lower-cases a name's first letter for use inside a
// sentence, unless it starts an acronym or a proper name ("SWIFT").
func sentenceName(s string) string {
	if len(s) < 2 {
		return s
	}
	if s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

func (b *Book) money(v float64) string { return Money(v, b.Currency) }

func (b *Book) crisisLead() string {
	if b.CrisisLead == "" {
		return "the crisis lead (not named: set crisis_lead in lifeboat.yaml)"
	}
	return b.CrisisLead
}

func (b *Book) spokesperson() string {
	if b.Spokesperson == "" {
		return "the spokesperson (not named: set spokesperson in lifeboat.yaml)"
	}
	return b.Spokesperson
}

func (b *Book) kicker(what string) string {
	if b.Name == "" {
		return what
	}
	return what + " · " + b.Name
}

// ScenarioTitle is "Orbis card scheme is down for 3h" or "Paylane
// Processing and Cardwise Europe are down together for 8h".
func ScenarioTitle(s *Scenario) string {
	if len(s.Down) == 1 {
		return s.Down[0].Short + " is down for " + s.Duration.String()
	}
	return JoinAnd(shorts(s.Down)) + " are down together for " + s.Duration.String()
}

// EventText is one event of a time line as a sentence.
func EventText(e Event) d.Text {
	switch e.Kind {
	case PartnerDown:
		return d.Join(d.B(e.Subject.Short), d.T(" goes down"))
	case PartnerBack:
		return d.Join(d.B(e.Subject.Short), d.T(" is back"))
	case FunctionStops:
		t := d.Join(d.B(e.Subject.Short), d.T(" stops"))
		if e.Tolerance != nil {
			t = append(t, d.T(" (tolerance "+e.Tolerance.String()+")")...)
		}
		return t
	case FallbackLive:
		return d.Join(d.T("Fallback live: "), d.B(e.Fallback.Short), d.T(" keeps "+e.Subject.Short+" running at "+Percent(e.Capacity)))
	case FallbackEnds:
		return d.Join(d.T("Fallback ends: "), d.B(e.Fallback.Short), d.T(" can no longer carry "+e.Subject.Short))
	case Breached:
		return d.Join(d.B(e.Subject.Short), d.T(" breaches its "+Hours(e.Tolerance)+" tolerance"))
	case BreachAvoided:
		if e.Fallback.ID != "" {
			return d.Join(d.T(e.Subject.Short+" would breach its "+Hours(e.Tolerance)+" tolerance now without the fallback "), d.B(e.Fallback.Short))
		}
		return d.T(e.Subject.Short + " would breach its " + Hours(e.Tolerance) + " tolerance now without its fallbacks")
	case FunctionStopsAgain:
		return d.Join(d.B(e.Subject.Short), d.T(" stops again"))
	case FunctionBack:
		return d.Join(d.B(e.Subject.Short), d.T(" is back in full"))
	}
	return nil
}

// EventsTable is a scenario's time line as a table.
func EventsTable(s *Scenario) *d.Table {
	t := &d.Table{Columns: []d.Column{{Title: "When", NoWrap: true}, {Title: "What happens"}}}
	for _, e := range s.Events {
		t.Rows = append(t.Rows, []d.Text{d.T(At(e.At)), EventText(e)})
	}
	return t
}

// downSpan is "T+0 – T+1d", or "T+0 – not back" when never restored.
func downSpan(from, to *graph.Duration) string {
	if from == nil {
		return "—"
	}
	if to == nil {
		return At(*from) + " – not back"
	}
	return At(*from) + " – " + At(*to)
}

// withFallbacks describes a function's fate with its fallbacks.
func withFallbacks(f *Impact) string {
	var parts []string
	if len(f.Carried) > 0 {
		c := f.Carried[0]
		parts = append(parts, Percent(c.Capacity)+" from "+At(c.From))
	} else {
		for _, fb := range f.Fallbacks {
			if len(fb.Blocked) > 0 {
				parts = append(parts, "fallback needs "+JoinAnd(shorts(fb.Blocked)))
				break
			}
		}
	}
	switch {
	case f.WithBreach != nil:
		parts = append(parts, "breach "+At(*f.WithBreach))
	case f.Breach != nil:
		parts = append(parts, "no breach")
	}
	if len(parts) == 0 {
		if len(f.Fallbacks) == 0 {
			return "no fallback"
		}
		return "no change"
	}
	return strings.Join(parts, "; ")
}

// FunctionsTable lists the functions a scenario stops, with the numbers
// without and with fallbacks.
func FunctionsTable(s *Scenario, currency string) *d.Table {
	t := &d.Table{Columns: []d.Column{
		{Title: "Function"}, {Title: "Tolerance", NoWrap: true}, {Title: "Down (no fallbacks)"},
		{Title: "Breach (no fallbacks)", NoWrap: true}, {Title: "With fallbacks"},
		{Title: "Loss, no fallbacks", Align: d.Right, NoWrap: true}, {Title: "Loss, with fallbacks", Align: d.Right, NoWrap: true},
	}}
	for _, f := range s.Functions {
		breach := "none"
		if f.Breach != nil {
			breach = At(*f.Breach)
		}
		name := d.T(f.Short)
		if f.Tier == graph.TierCore {
			name = d.Join(d.B(f.Short), d.T(" (core)"))
		}
		t.Rows = append(t.Rows, []d.Text{name, d.T(Hours(f.Tolerance)), d.T(downSpan(f.Halted, f.Restored)), d.T(breach),
			d.T(withFallbacks(f)), d.T(Money(f.Loss, currency)), d.T(Money(f.WithLoss, currency))})
	}
	t.Rows = append(t.Rows, []d.Text{d.B("Total"), nil, nil, nil, nil, d.B(Money(s.LossWithout, currency)), d.B(Money(s.LossWith, currency))})
	return t
}

// RecoveryTable is the order to bring things back in.
func RecoveryTable(s *Scenario) *d.Table {
	restores := false
	for _, r := range s.Recovery {
		restores = restores || r.Restore != nil && *r.Restore > 0
	}
	t := &d.Table{Columns: []d.Column{{Title: "#", Align: d.Right}, {Title: "Bring back"}, {Title: "Kind"},
		{Title: "Back at", NoWrap: true}}}
	if restores {
		t.Columns = append(t.Columns, d.Column{Title: "Restore time", NoWrap: true})
	}
	if s.RecoveryPlanned {
		t.Columns = append(t.Columns, d.Column{Title: "Note"})
	}
	for i, r := range s.Recovery {
		back := "not within " + s.Horizon.String()
		if r.Back != nil {
			back = At(*r.Back)
		}
		restore := ""
		if r.Restore != nil && *r.Restore > 0 {
			restore = r.Restore.String()
		}
		name := d.T(r.Name)
		if r.Kind == graph.KindFunction {
			name = d.B(r.Name)
		}
		row := []d.Text{d.T(fmt.Sprint(i + 1)), name, d.T(r.Kind.String()), d.T(back)}
		if restores {
			row = append(row, d.T(restore))
		}
		if s.RecoveryPlanned {
			note := ""
			switch {
			case r.Critical:
				note = "critical path"
			case r.Later:
				note = "can wait: no stopped function needs it"
			}
			row = append(row, d.T(note))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// GapText is one gap as a sentence; a gap of a joint outage says which.
func GapText(g Gap, currency string) d.Text {
	t := gapText(g, currency)
	if len(g.Down) > 1 && t != nil {
		t = d.Join(d.T("If "+JoinAnd(shorts(g.Down))+" are down together: "), t)
	}
	return t
}

func gapText(g Gap, currency string) d.Text {
	switch g.Kind {
	case NoFallback:
		return d.Join(d.B(g.Function.Short), d.T(" has no fallback: it stays down until what it needs is back."))
	case LateActivation:
		return d.Join(d.B(g.Fallback.Short), d.T(" takes longer to activate than the "+Hours(g.Need)+" tolerance of "+g.Function.Short+"."))
	case ShortEndurance:
		return d.Join(d.B(g.Fallback.Short), d.T(" runs out at "+At(*g.At)+", before "+g.Function.Short+" is back (down "+Hours(g.Need)+" without fallbacks)."))
	case FallbackBlocked:
		return d.Join(d.B(g.Fallback.Short), d.T(" does not work in this outage: it needs "+JoinAnd(shorts(g.Blocked))+", which "+isAre(len(g.Blocked))+" down."))
	case BreachWithFallbacks:
		return d.Join(d.B(g.Function.Short), d.T(" breaches its tolerance at "+At(*g.At)+" even with its fallbacks."))
	case NoExitPlan:
		return d.T("The contract names no exit plan.")
	case NoSubstitute:
		return d.T("No substitute is available on the market (substitutability: none).")
	case Uncovered:
		return d.T("The modeled loss exceeds the liability cap by " + Money(g.Amount, currency) + ".")
	case NoContract:
		return d.T("There is no contract: no SLA, no liability cap, no exit terms.")
	case ReviewDue:
		return d.T("The contract review is " + g.Status + ".")
	case NoOwner:
		return d.T("No internal owner is named for the relationship.")
	case NoContacts:
		return d.T("No escalation contact is recorded for the partner.")
	}
	return nil
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// planLink links to a plan, showing the partner's short name.
func planLink(p *Plan) d.Text { return d.L(p.Vendor.Short, p.File) }

// reasonsText says why a partner is critical, as a sentence.
func reasonsText(rs []Reason) string {
	var single, cut []string
	for _, r := range rs {
		switch r.Kind {
		case SinglePoint:
			single = append(single, r.Function.Short)
		case CutSet:
			cut = append(cut, "with "+r.With.Short+" it stops "+r.Function.Short)
		}
	}
	var parts []string
	if len(single) > 0 {
		parts = append(parts, "stops "+JoinAnd(single)+" alone")
	}
	if len(cut) > 0 {
		parts = append(parts, strings.Join(cut, "; "))
	}
	if len(parts) == 0 {
		return "named for a plan"
	}
	return capitalize(strings.Join(parts, "; "))
}

// ContactText is "role: name, phone, email".
func ContactText(c graph.Contact) string {
	var parts []string
	for _, s := range []string{c.Name, c.Phone, c.Email} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	s := strings.Join(parts, ", ")
	if c.Role != "" {
		s = c.Role + ": " + s
	}
	return s
}
