package table

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// maxImportance is how many events the importance table of a target
// shows in text.
const maxImportance = 5

// Cutsets writes the minimal cut sets: a heading, then per target its
// name, the probability that it fails when known, the counts per order,
// the sets with the events' names (and each set's probability when
// known), and its most important events.
func Cutsets(w io.Writer, v *view.Cutsets) error {
	var p printer
	title := "Minimal cut sets"
	if v.Map.Name != "" {
		title = v.Map.Name + ": minimal cut sets"
	}
	order := "every order"
	if v.MaxOrder > 0 {
		order = fmt.Sprintf("order ≤ %d", v.MaxOrder)
	}
	p.f("%s (events: %s, fallbacks %s, %s)\n", title, v.Events, onOff(v.Fallbacks), order)
	if len(v.Targets) == 0 {
		p.blank()
		p.line("No targets: the map has no functions; name one with --target.")
	}
	for i := range v.Targets {
		t := &v.Targets[i]
		p.blank()
		head := t.ID
		if t.Name != "" && t.Name != t.ID {
			head += "  " + t.Name
		}
		if t.Tier != "" {
			head += " (" + t.Tier + ")"
		}
		p.line(head)
		if t.Probability != nil {
			s := fmt.Sprintf("  probability of failure %s (exact)", prob(*t.Probability))
			if t.RareEvent != nil {
				s += fmt.Sprintf("; rare-event approximation %s", prob(*t.RareEvent))
			}
			p.line(s)
		}
		var counts []string
		for _, o := range t.Orders() {
			counts = append(counts, fmt.Sprintf("order %d: %s", o, number(float64(t.Counts[strconv.Itoa(o)]))))
		}
		p.f("  %s; total %s\n", strings.Join(counts, ", "), number(float64(t.Total)))
		for _, n := range t.Notes {
			p.f("  note: %s\n", n)
		}
		switch {
		case v.CountOnly:
		case t.Total == 0:
			p.f("  No cut set: no combination of %s halts it%s.\n", eventsWord(v.Events), orderSuffix(v.MaxOrder))
		default:
			header := []string{"ORDER", "CUT SET"}
			probs := len(t.SetProbabilities) == len(t.CutSets)
			if probs {
				header = []string{"ORDER", "P", "CUT SET"}
			}
			rows := make([][]string, 0, len(t.CutSets))
			for j, set := range t.CutSets {
				names := make([]string, len(set))
				for k, id := range set {
					names[k] = shortTo(plainName(v.Names[id]), 32)
					if names[k] == "" {
						names[k] = id
					}
				}
				row := []string{strconv.Itoa(len(set))}
				if probs {
					row = append(row, setProb(t.SetProbabilities[j]))
				}
				rows = append(rows, append(row, strings.Join(names, " + ")))
			}
			p.table("  ", header, rows)
			if t.Truncated {
				p.f("  (top %d of %s; --top 0 lists all)\n", len(t.CutSets), number(float64(t.Total)))
			}
		}
		if len(t.Importance) > 0 {
			p.blank()
			imp := append([]view.EventImportance(nil), t.Importance...)
			// Rank by the figures as printed, so that values equal but for
			// rounding noise tie and keep their id order.
			sort.SliceStable(imp, func(a, b int) bool {
				fa, fb := sig6(imp[a].FussellVesely), sig6(imp[b].FussellVesely)
				if fa != fb {
					return fa > fb
				}
				return sig6(imp[a].Birnbaum) > sig6(imp[b].Birnbaum)
			})
			n := min(len(imp), maxImportance)
			p.f("  Importance, by Fussell-Vesely%s:\n", topOf(n, len(imp)))
			rows := make([][]string, 0, n)
			for _, e := range imp[:n] {
				rows = append(rows, []string{e.ID, prob(e.Probability), prob(e.Birnbaum), prob(e.FussellVesely), ratio(e.RAW), ratioPtr(e.RRW)})
			}
			p.table("  ", []string{"EVENT", "P", "BIRNBAUM", "FUSSELL-VESELY", "RAW", "RRW"}, rows)
		}
	}
	return p.flush(w)
}

func topOf(n, of int) string {
	if n == of {
		return ""
	}
	return fmt.Sprintf(" (top %d of %d; --format json lists all)", n, of)
}

// plainName is a name without a trailing qualifier in parentheses
// ("Orbis card scheme (debit and credit)" is "Orbis card scheme"), so
// that sets of several names stay readable; the JSON keeps full names.
func plainName(s string) string {
	if i := strings.Index(s, " ("); i >= 3 {
		return s[:i]
	}
	return s
}

func eventsWord(events string) string {
	switch events {
	case "systems":
		return "systems"
	case "all":
		return "nodes"
	}
	return "vendors"
}

func orderSuffix(maxOrder int) string {
	if maxOrder <= 0 {
		return ""
	}
	if maxOrder == 1 {
		return " alone"
	}
	return fmt.Sprintf(" up to %d at a time", maxOrder)
}

// prob renders a probability or importance measure to six significant
// digits.
func prob(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// sig6 rounds x to six significant digits, as prob prints it.
func sig6(x float64) float64 {
	y, _ := strconv.ParseFloat(prob(x), 64)
	return y
}

// setProb renders a cut set's probability to three significant digits.
func setProb(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }

// ratio renders RAW or RRW to four significant digits.
func ratio(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

func ratioPtr(x *float64) string {
	if x == nil {
		return "∞"
	}
	return ratio(*x)
}

// shortTo cuts s to n characters, marking the cut with "…".
func shortTo(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
