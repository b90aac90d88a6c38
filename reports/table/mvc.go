package table

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// listWidth is the width lists of names are wrapped to.
const listWidth = 100

// maxShed is how many names of each kind the list of what can be shed
// shows in text.
const maxShed = 40

// count renders "1 system", "5,761 systems".
func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return number(float64(n)) + " " + word + "s"
}

// MVC writes the minimum viable company: the functions that must keep
// running and why each is in; the smallest supply set with its cost and
// whether it is proven optimal (else its gap), the sets that tie with it;
// then what can be shed, counted and listed by name.
func MVC(w io.Writer, v *view.MVC) error {
	var p printer
	title := "Minimum viable company"
	if v.Map.Name != "" {
		title = v.Map.Name + ": minimum viable company"
	}
	p.f("%s (fallbacks %s)\n", title, onOff(v.Fallbacks))
	p.blank()
	mvcFunctions(&p, v)
	p.blank()
	mvcSupply(&p, v)
	p.blank()
	mvcShed(&p, v)
	return p.flush(w)
}

var reasonRank = map[string]int{"core": 0, "required": 1, "alternative": 2}

func mvcFunctions(p *printer, v *view.MVC) {
	var core, required, alt int
	for _, f := range v.Functions {
		switch f.Reason {
		case "core":
			core++
		case "required":
			required++
		case "alternative":
			alt++
		}
	}
	if len(v.Functions) == 0 {
		p.line("No function must keep running: the map has no core function; name some with --function.")
		return
	}
	p.f("MUST KEEP RUNNING: %s (%d core, %d required by them, %s).\n",
		plural(len(v.Functions), "function"), core, required, plural(alt, "alternative"))
	fs := append([]view.MVCFunction(nil), v.Functions...)
	sort.SliceStable(fs, func(i, j int) bool { return reasonRank[fs[i].Reason] < reasonRank[fs[j].Reason] })
	rows := make([][]string, 0, len(fs))
	for _, f := range fs {
		var why string
		switch f.Reason {
		case "core":
			why = "core function"
			if f.Tier != "core" {
				why = "chosen to keep running"
			}
		case "required":
			why = "its failure halts " + chain(f.Via)
		case "alternative":
			why = "one of several ways to keep up " + chain(f.Via)
		default:
			why = f.Reason
		}
		rows = append(rows, []string{tierOr(f.Tier), short(plainName(f.Name)), f.ID, why})
	}
	p.table("", []string{"TIER", "FUNCTION", "ID", "WHY"}, rows)
}

func mvcSupply(p *printer, v *view.MVC) {
	s := &v.Supply
	costWord := "annual fee"
	if s.CostAttr != "annual_fee" {
		costWord = s.CostAttr
	}
	by := "fewest vendors"
	if s.Minimize == "cost" {
		by = "lowest " + costWord
	}
	p.f("SMALLEST SUPPLY SET (%s)\n", by)
	if s.Size == 0 {
		p.line("No vendor is needed: nothing that must keep running depends on a vendor.")
		return
	}
	proof := "proven optimal"
	if !s.Optimal {
		proof = fmt.Sprintf("not proven optimal: the search stopped at its %s", strings.ReplaceAll(s.Search.Stopped, "_", " "))
		if s.Search.Stopped == "time_limit" && s.Search.TimeLimit != "" {
			proof += " (" + s.Search.TimeLimit + ")"
		}
		if s.Minimize == "cost" {
			proof += fmt.Sprintf("; no set costs less than %s", money(v.Map.Currency, s.LowerBound))
		} else {
			proof += fmt.Sprintf("; no set has fewer than %s", plural(int(s.LowerBound), "vendor"))
		}
		proof += fmt.Sprintf(", a gap of %s", gapPercent(s.Gap))
	}
	p.f("%s keep every function above running, %s. Total %s: %s.\n",
		plural(s.Size, "vendor"), proof, costWord, money(v.Map.Currency, s.Cost))
	vs := append([]view.MVCVendor(nil), s.Vendors...)
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Required && !vs[j].Required })
	rows := make([][]string, 0, len(vs))
	for _, x := range vs {
		cost := "-"
		if x.Priced {
			cost = number(x.Cost)
		}
		note := ""
		if x.Required {
			note = "in every set: halts a function alone"
		}
		rows = append(rows, []string{short(plainName(x.Name)), x.ID, cost, note})
	}
	p.table("", []string{"VENDOR", "ID", strings.ToUpper(costWord), ""}, rows)
	if len(s.Unpriced) > 0 {
		lead := fmt.Sprintf("No %s in the map, counted as 0: ", costWord)
		p.f("%s%s.\n", lead, wrapNames(nameList(v.Name, s.Unpriced, false), "  ", listWidth-len(lead)))
	}
	if len(s.Ties) == 0 {
		if s.Optimal && s.TiesComplete {
			if s.Minimize == "cost" {
				p.line("No other set costs as little: this one is the only choice.")
			} else {
				p.line("No other set is as small: this one is the only choice.")
			}
		}
		return
	}
	p.blank()
	more := ""
	if !s.TiesComplete {
		more = "; there may be more"
	}
	same := "just as small"
	if s.Minimize == "cost" {
		same = "that cost as little"
	}
	p.f("TIES: other sets %s (each line swaps vendors in one group; lines of different groups combine%s):\n", same, more)
	rows = rows[:0]
	for _, t := range s.Ties {
		rows = append(rows, []string{"  group " + strconv.Itoa(t.Group),
			"swap " + strings.Join(nameList(v.Name, t.Out, false), " + ") + " for " + strings.Join(nameList(v.Name, t.In, false), " + ")})
	}
	p.table("", nil, rows)
}

func mvcShed(p *printer, v *view.MVC) {
	sh := &v.Shed
	if len(sh.Functions)+len(sh.Systems)+len(sh.Vendors) == 0 {
		p.line("CAN BE SHED: nothing; everything is on a supply path of the MVC.")
		return
	}
	p.f("CAN BE SHED in a crisis: %s, %s and %s, outside every supply path of the MVC.\n",
		count(len(sh.Functions), "function"), count(len(sh.Systems), "system"), count(len(sh.Vendors), "vendor"))
	for _, l := range []struct {
		word string
		ids  []string
	}{{"functions", sh.Functions}, {"systems", sh.Systems}, {"vendors", sh.Vendors}} {
		if len(l.ids) == 0 {
			continue
		}
		ns := nameList(v.Name, l.ids, true)
		more := ""
		if len(ns) > maxShed {
			more = fmt.Sprintf("\n             … and %s more; --format json lists all", number(float64(len(ns)-maxShed)))
			ns = ns[:maxShed]
		}
		p.f("  %-9s  %s%s\n", l.word, wrapNames(ns, "             ", listWidth-13), more)
	}
}

// nameList returns the plain names of ids (see plainName), sorted by
// name when sorted is set.
func nameList(name func(string) string, ids []string, sorted bool) []string {
	ns := make([]string, len(ids))
	for i, id := range ids {
		ns[i] = plainName(name(id))
	}
	if sorted {
		sort.Strings(ns)
	}
	return ns
}

// wrapNames renders names separated by "; " (names may hold commas) in
// lines of at most width characters, each line but the first starting
// with indent.
func wrapNames(names []string, indent string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range names {
		item := w
		if i < len(names)-1 {
			item += ";"
		}
		l := utf8.RuneCountInString(item)
		if n > 0 && n+1+l > width {
			b.WriteString("\n")
			b.WriteString(indent)
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(item)
		n += l
	}
	return b.String()
}

// gapPercent renders an optimality gap as a percentage with one decimal.
func gapPercent(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

// MVCRecovery writes the recovery order after an outage: a heading with
// the outages, when the MVC is whole again, the functions that halt with
// when each comes back, then the steps in order (the critical path
// marked), the critical path, and what can come back later.
func MVCRecovery(w io.Writer, v *view.MVCRecovery) error {
	var p printer
	title := "Recovery"
	if v.Map.Name != "" {
		title = v.Map.Name + ": recovery"
	}
	var outs []string
	for _, o := range v.Outages {
		s := o.ID + " down "
		if o.Duration == nil {
			s += "for good"
		} else {
			s += *o.Duration
		}
		if o.Start != "0" {
			s += " from " + o.Start
		}
		outs = append(outs, s)
	}
	p.f("%s from %s (fallbacks %s)\n", title, strings.Join(outs, ", "), onOff(v.Fallbacks))
	p.blank()
	if !v.Halted {
		p.f("No function of the MVC halts (of %s): nothing to recover.\n", plural(len(v.Targets), "function"))
		if len(v.Later) > 0 {
			p.blank()
			p.line("Down at some moment, but no function of the MVC waits for them:")
			p.f("  %s\n", wrap(v.Later, "  ", listWidth-2))
		}
		return p.flush(w)
	}
	whole := "is not whole again by the end of the time line (" + v.Horizon + ")"
	if v.RestoredAt != nil {
		whole = "is whole again at " + *v.RestoredAt
	}
	verb := "halt"
	if len(v.Functions) == 1 {
		verb = "halts"
	}
	p.f("%d of %s %s; the MVC %s.\n", len(v.Functions), plural(len(v.Targets), "function"), verb, whole)
	rows := make([][]string, 0, len(v.Functions))
	for _, f := range v.Functions {
		rows = append(rows, []string{short(plainName(f.Name)), f.ID, f.HaltedAt, orNever(f.RestoredAt)})
	}
	p.table("", []string{"FUNCTION", "ID", "HALTED", "RESTORED"}, rows)
	p.blank()
	p.line("RECOVERY ORDER (* on the critical path; times from the start of the outage)")
	rows = rows[:0]
	for _, s := range v.Steps {
		n := strconv.Itoa(s.Order)
		if s.Critical {
			n += "*"
		}
		id := s.ID
		if s.Failed {
			id += " (failed)"
		}
		restore := "-"
		if s.Restore != "0" {
			restore = s.Restore
		}
		rows = append(rows, []string{n, shortTo(plainName(s.Name), 30), id, s.Kind, s.DownAt, orNever(s.ReadyAt), restore, orNever(s.UpAt), list(s.After)})
	}
	p.table("", []string{"#", "BRING BACK", "ID", "KIND", "DOWN", "READY", "RESTORE", "UP", "AFTER"}, rows)
	p.blank()
	if len(v.CriticalPath) > 0 {
		p.f("Critical path: %s.\n", strings.Join(v.CriticalPath, " → "))
	}
	if len(v.Later) > 0 {
		p.line("Later: down at some moment, but no function of the MVC waits for them:")
		p.f("  %s\n", wrap(v.Later, "  ", listWidth-2))
	}
	return p.flush(w)
}

func orNever(s *string) string {
	if s == nil {
		return "not yet"
	}
	return *s
}
