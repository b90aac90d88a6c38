package table

import (
	"fmt"
	"math"
	"strings"

	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// maxRiskVendors is how many ranked vendors the text shows.
const maxRiskVendors = 15

// riskSection writes the probability of failure of each analysed
// function and the vendors ranked by importance. It writes nothing when
// the map has no probabilities.
func riskSection(p *printer, r view.Risk) {
	if len(r.Functions) == 0 {
		return
	}
	known := false
	for _, f := range r.Functions {
		known = known || f.Probability != nil
	}
	if !known && len(r.Vendors) == 0 {
		return
	}
	p.blank()
	p.line("RISK")
	p.line("Exact probability that each core function fails within a year, from the vendors' yearly probabilities:")
	rows := make([][]string, 0, len(r.Functions))
	for _, f := range r.Functions {
		pr := "-"
		if f.Probability != nil {
			pr = prob(*f.Probability)
		}
		note := ""
		if len(f.Notes) > 0 {
			note = f.Notes[0]
		}
		rows = append(rows, []string{tierOr(f.Tier), f.ID, pr, note})
	}
	p.table("", []string{"TIER", "FUNCTION", "P(FAILS)", ""}, rows)
	if len(r.Vendors) == 0 {
		return
	}
	p.blank()
	p.line("Vendors ranked by importance (each measure the largest over those functions):")
	n := len(r.Vendors)
	if n == r.VendorsTotal { // no --top: keep the text short
		n = min(n, maxRiskVendors)
	}
	rows = make([][]string, 0, n)
	for _, v := range r.Vendors[:n] {
		rows = append(rows, []string{fmt.Sprint(v.Rank), v.Vendor, prob(v.Probability), prob(v.Birnbaum),
			prob(v.FussellVesely), ratio(v.RAW), ratioPtr(v.RRW), v.Function})
	}
	p.table("", []string{"#", "VENDOR", "P", "BIRNBAUM", "FUSSELL-VESELY", "RAW", "RRW", "MOST FOR"}, rows)
	switch {
	case n < r.VendorsTotal && n == len(r.Vendors):
		p.f("(top %d of %d; --top 0 lists all)\n", n, r.VendorsTotal)
	case n < len(r.Vendors):
		p.f("… and %d more (--format json lists every vendor)\n", len(r.Vendors)-n)
	}
	p.line("Birnbaum: how much P(fails) rises if the vendor fails; Fussell-Vesely: the share of the risk that")
	p.line("needs the vendor; RAW, RRW: the factor by which the risk grows when the vendor is down, and")
	p.line("shrinks when it never fails.")
}

// gapsSection writes the gaps: recovery times over tolerance, missing
// responsibilities, single-point vendors without a way out, contract
// reviews, and uncovered exposure.
func gapsSection(p *printer, cur string, g view.Gaps) {
	p.blank()
	p.line("RECOVERY-TIME GAPS")
	if len(g.Recovery) == 0 {
		p.line("None: every function can be recovered within its rto and tolerance.")
	} else {
		p.line("Functions whose worst-case recovery, rolled up through their dependencies, exceeds their limit:")
		rows := make([][]string, 0, len(g.Recovery))
		for _, r := range g.Recovery {
			rows = append(rows, []string{tierOr(r.Tier), r.Function, r.Recovery, r.LimitBy + " " + r.Limit, "+" + r.Over})
		}
		p.table("", []string{"TIER", "FUNCTION", "RECOVERY", "LIMIT", "OVER"}, rows)
		p.line("The critical chains, with what each step adds:")
		for _, r := range g.Recovery {
			steps := make([]string, 0, len(r.Steps))
			for _, s := range r.Steps {
				st := s.ID
				if s.Basis != "" && s.Time != "0" {
					st += " (" + s.Basis + " " + s.Time + ")"
				}
				if s.ColdStart {
					st += "*"
				}
				steps = append(steps, st)
			}
			p.f("  %s\n", wrapChain(steps, "      ", 100))
		}
		for _, r := range g.Recovery {
			if r.ColdStart {
				p.line("* a recovery deadlock (nodes that wait for each other), brought up by hand: an upper bound.")
				break
			}
		}
	}

	p.blank()
	p.line("RESPONSIBILITY GAPS")
	if len(g.Responsibility) == 0 {
		p.line("None: every system on a core path has someone to monitor, respond and repair.")
	} else {
		p.line("On core paths, with nobody (or TBD) named for a role:")
		rows := make([][]string, 0, len(g.Responsibility))
		for _, r := range g.Responsibility {
			rows = append(rows, []string{r.Kind, r.ID, strings.Join(r.Missing, ", "), list(r.Core)})
		}
		p.table("", []string{"KIND", "ID", "MISSING", "CORE FUNCTIONS"}, rows)
	}

	p.blank()
	p.line("SINGLE POINTS WITHOUT A WAY OUT")
	if len(g.SinglePoints) == 0 {
		p.line("None: every vendor that halts a core function alone has an exit plan and a substitute.")
	} else {
		p.line("Vendors that halt a core function alone, with no exit plan or no substitute:")
		rows := make([][]string, 0, len(g.SinglePoints))
		for _, s := range g.SinglePoints {
			exit, sub := "yes", "yes"
			if s.NoExitPlan {
				exit = "none"
			}
			if s.NoSubstitute {
				sub = "none"
			}
			if s.NoContract {
				exit, sub = "no contract", "-"
			}
			hidden := "-"
			if s.Hidden {
				hidden = "yes"
			}
			rows = append(rows, []string{s.Vendor, exit, sub, hidden, list(s.Core)})
		}
		p.table("", []string{"VENDOR", "EXIT PLAN", "SUBSTITUTE", "HIDDEN", "CORE FUNCTIONS"}, rows)
	}

	p.blank()
	p.line("CONTRACT REVIEWS")
	period := fmt.Sprintf("%d months", g.ReviewMonths)
	if g.ReviewMonths == 1 {
		period = "1 month"
	}
	asOf := ""
	if g.AsOf != "" {
		asOf = " as of " + g.AsOf
	}
	if len(g.Reviews) == 0 {
		p.f("None due: every contract was reviewed within %s%s.\n", period, asOf)
	} else {
		p.f("Contracts not reviewed within %s%s:\n", period, asOf)
		rows := make([][]string, 0, len(g.Reviews))
		for _, r := range g.Reviews {
			status := r.Status
			if r.Status == "overdue" {
				status = fmt.Sprintf("overdue %s (due %s)", plural(r.DaysOverdue, "day"), r.Due)
			}
			reviewed := r.Reviewed
			if reviewed == "" {
				reviewed = "-"
			}
			rows = append(rows, []string{r.Vendor, orDash(r.Ref), reviewed, status})
		}
		p.table("", []string{"VENDOR", "CONTRACT", "REVIEWED", "STATUS"}, rows)
	}

	p.blank()
	p.line("UNCOVERED EXPOSURE")
	if len(g.Exposure) == 0 {
		p.line("None: no vendor halts a function alone.")
		return
	}
	unit := ""
	if cur != "" {
		unit = " (" + cur + ")"
	}
	p.f("Modeled loss of each vendor's typical outage against its contract's liability cap%s:\n", unit)
	rows := make([][]string, 0, len(g.Exposure))
	var total float64
	for _, e := range g.Exposure {
		outage := e.Outage
		if !e.OutageGiven {
			outage += "*"
		}
		worst := "-"
		if len(e.Functions) > 0 {
			worst = e.Functions[0].Function
		}
		rows = append(rows, []string{e.Vendor, outage, number(math.Round(e.Loss)), number(math.Round(e.LiabilityCap)),
			number(math.Round(e.Uncovered)), worst})
		total += e.Uncovered
	}
	p.table("", []string{"VENDOR", "OUTAGE", "LOSS", "CAP", "UNCOVERED", "COSTLIEST FUNCTION"}, rows)
	p.f("Uncovered in all: %s, carried by insurance or the firm.", money(cur, math.Round(total)))
	for _, e := range g.Exposure {
		if !e.OutageGiven {
			p.f(" * no outage_duration: %s assumed.", e.Outage)
			break
		}
	}
	p.blank()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// wrapChain joins steps with arrows in lines of at most width characters
// (the first line taken as starting two columns in), each line but the
// first starting with indent and an arrow.
func wrapChain(steps []string, indent string, width int) string {
	var b strings.Builder
	n := 2
	for i, s := range steps {
		if i > 0 {
			if n+len(arrow)+len([]rune(s)) > width {
				b.WriteString("\n" + indent + "← ")
				n = len(indent) + 2
			} else {
				b.WriteString(arrow)
				n += len([]rune(arrow))
			}
		}
		b.WriteString(s)
		n += len([]rune(s))
	}
	return b.String()
}
