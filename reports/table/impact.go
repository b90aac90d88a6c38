package table

import (
	"io"
	"sort"

	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// Impact writes what stops in a scenario: a heading, the counts, a table
// of the functions down (tier, name, id, impact per hour, the chain that
// brought each down), then the systems and vendors down.
//
// With a time line (v.Timeline set) the table of functions is a chart
// instead: see impactTimeline.
func Impact(w io.Writer, v *view.Impact) error {
	var p printer
	if v.Timeline != nil {
		impactTimeline(&p, v)
		p.blank()
		p.f("Down at some moment: %s, %s.\n", plural(len(v.DownSystems), "system"), plural(len(v.DownVendors), "vendor"))
		downLists(&p, v)
		return p.flush(w)
	}
	title := "Impact"
	if v.Map.Name != "" {
		title = v.Map.Name + ": impact"
	}
	p.f("%s of %s down (fallbacks %s)\n", title, list(v.Scenario.Down), onOff(v.Scenario.Fallbacks))
	p.blank()
	t := v.Totals
	if t.FunctionsDown == 0 {
		p.f("No function stops (of %s).\n", plural(t.Functions, "function"))
	} else {
		p.f("%d of %s stop: %d core, %d important, %d supporting. Loss: %s per hour.\n",
			t.FunctionsDown, plural(t.Functions, "function"), t.Core, t.Important, t.Supporting,
			money(v.Map.Currency, t.LossPerHour))
		p.blank()
		var rows [][]string
		for _, f := range v.Functions {
			if !f.Down {
				continue
			}
			rows = append(rows, []string{tierOr(f.Tier), short(f.Name), f.ID, number(f.ImpactPerHour), chain(f.Because)})
		}
		sortByTier(rows)
		p.table("", []string{"TIER", "FUNCTION", "ID", "IMPACT/H", "CHAIN"}, rows)
	}
	p.blank()
	p.f("Down: %s, %s.\n", plural(len(v.DownSystems), "system"), plural(len(v.DownVendors), "vendor"))
	downLists(&p, v)
	return p.flush(w)
}

// downLists writes the systems and vendors down, wrapped.
func downLists(p *printer, v *view.Impact) {
	if len(v.DownSystems) > 0 {
		p.f("  systems  %s\n", wrap(v.DownSystems, "           ", 100-11))
	}
	if len(v.DownVendors) > 0 {
		p.f("  vendors  %s\n", wrap(v.DownVendors, "           ", 100-11))
	}
}

// sortByTier orders rows whose first cell is a tier: core, important,
// supporting, then none; stable, so rows keep their id order inside a tier.
func sortByTier(rows [][]string) {
	rank := map[string]int{"core": 0, "important": 1, "supporting": 2}
	r := func(s string) int {
		if x, ok := rank[s]; ok {
			return x
		}
		return 3
	}
	sort.SliceStable(rows, func(i, j int) bool { return r(rows[i][0]) < r(rows[j][0]) })
}
