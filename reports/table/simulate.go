package table

import (
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// Simulate writes the Monte Carlo result: the set-up, the expected annual
// loss and its quantiles in total, a table of the functions that halted
// in some year (expected loss, P50/P95/P99, how often they halt and
// breach), and the vendor combinations behind the worst years.
func Simulate(w io.Writer, v *view.Simulate) error {
	var p printer
	title := "Simulation"
	if v.Map.Name != "" {
		title = v.Map.Name + ": simulation"
	}
	spread := "fixed outage lengths"
	if v.Sigma > 0 {
		spread = "lognormal outage lengths, σ " + strconv.FormatFloat(v.Sigma, 'g', -1, 64)
	}
	p.f("%s of %s years (seed %d, fallbacks %s, %s)\n", title, number(float64(v.Years)), v.Seed, onOff(v.Fallbacks), spread)
	p.blank()
	cur := v.Map.Currency
	t := v.Total
	p.f("Expected annual loss: %s (± %s).\n", money(cur, whole(t.Mean)), number(whole(t.StdErr)))
	unit := ""
	if cur != "" {
		unit = " (" + cur + ")"
	}
	p.f("Annual loss%s: P50 %s, P95 %s, P99 %s; the worst year %s.\n", unit, number(whole(t.P50)), number(whole(t.P95)), number(whole(t.P99)), number(whole(t.Max)))
	p.f("%s of %s years had a vendor outage, %s a loss (%s vendors can fail).\n",
		number(float64(v.YearsWithOutage)), number(float64(v.Years)), number(float64(v.YearsWithLoss)), number(float64(len(v.Vendors))))
	if v.Unrestored > 0 {
		p.f("In %s years some node was never restored within %s (a recovery deadlock or an outage longer than that); its loss counts up to then.\n",
			number(float64(v.Unrestored)), v.Horizon)
	}

	fns := make([]view.SimFunction, 0, len(v.Functions))
	for _, f := range v.Functions {
		if f.HaltYears > 0 || f.Loss.Mean > 0 {
			fns = append(fns, f)
		}
	}
	sort.SliceStable(fns, func(i, j int) bool {
		if fns[i].Loss.Mean != fns[j].Loss.Mean {
			return fns[i].Loss.Mean > fns[j].Loss.Mean
		}
		return fns[i].ID < fns[j].ID
	})
	p.blank()
	if len(fns) == 0 {
		p.line("No function halted in any simulated year.")
	} else {
		p.f("Annual loss per function%s; how often it halts and breaches its tolerance, per year:\n", unit)
		rows := make([][]string, 0, len(fns)+1)
		for _, f := range fns {
			breach := "-"
			if f.Tolerance != nil {
				breach = percent(f.BreachFrequency)
			}
			rows = append(rows, []string{shortTo(f.ID, 24), number(whole(f.Loss.Mean)), number(whole(f.Loss.P50)),
				number(whole(f.Loss.P95)), number(whole(f.Loss.P99)), percent(f.HaltFrequency), breach})
		}
		rows = append(rows, []string{"all functions", number(whole(t.Mean)), number(whole(t.P50)), number(whole(t.P95)), number(whole(t.P99)), "", ""})
		p.table("", []string{"FUNCTION", "EXPECTED", "P50", "P95", "P99", "HALTS", "BREACHES"}, rows)
		if n := len(v.Functions) - len(fns); n > 0 {
			p.f("(%s never halted; --format json lists every function.)\n", plural(n, "function"))
		}
	}

	tail := v.Tail
	p.blank()
	if tail.Years == 0 || len(tail.Scenarios) == 0 {
		p.line("WORST YEARS")
		p.line("No year had a loss.")
		return p.flush(w)
	}
	p.line("WORST YEARS")
	p.f("The %s of years, %s with a loss of %s or more, lose %s in all; the outages behind them:\n",
		topPercent(tail.Quantile), number(float64(tail.Years)), number(whole(tail.Threshold)), money(cur, whole(tail.Loss)))
	rows := make([][]string, 0, len(tail.Scenarios))
	for _, s := range tail.Scenarios {
		names := make([]string, len(s.Names))
		for i, n := range s.Names {
			names[i] = shortTo(plainName(n), 32)
		}
		rows = append(rows, []string{percent(s.Share), number(float64(s.Years)), number(whole(s.Loss)), strings.Join(names, " + ")})
	}
	p.table("", []string{"SHARE", "YEARS", "LOSS", "VENDORS DOWN TOGETHER"}, rows)
	if tail.Groups > len(tail.Scenarios) {
		p.f("(%d of %d combinations; --scenarios 0 lists all.)\n", len(tail.Scenarios), tail.Groups)
	}
	return p.flush(w)
}

// whole rounds money to whole units for the text view.
func whole(x float64) float64 { return math.Round(x) }

// percent renders a fraction as a percentage with two decimals, "0" for
// none and "<0.01%" for less than shows.
func percent(x float64) string {
	switch {
	case x == 0:
		return "0"
	case x < 0.00005:
		return "<0.01%"
	}
	return strconv.FormatFloat(x*100, 'f', 2, 64) + "%"
}

// topPercent renders the tail quantile q as the share of years above
// it: 0.99 is "top 1%".
func topPercent(q float64) string {
	return "top " + strconv.FormatFloat(math.Round((1-q)*10000)/100, 'g', -1, 64) + "%"
}
