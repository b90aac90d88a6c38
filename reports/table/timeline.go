package table

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// The time line chart's glyphs.
const (
	glyphDown     = "▇"
	glyphDegraded = "░"
	glyphUp       = "·"
	glyphBreach   = "!"
)

// chartWidth is the width the time line chart fits in.
const chartWidth = 100

// niceSpans are the lengths a chart's time axis may take when the time
// line settles well before its horizon.
var niceSpans = []graph.Duration{
	graph.Hour, 2 * graph.Hour, 3 * graph.Hour, 4 * graph.Hour, 6 * graph.Hour, 8 * graph.Hour,
	12 * graph.Hour, 16 * graph.Hour, graph.Day, 36 * graph.Hour, 2 * graph.Day, 3 * graph.Day,
	4 * graph.Day, 5 * graph.Day, graph.Week, 10 * graph.Day, 2 * graph.Week, 3 * graph.Week,
	30 * graph.Day, 60 * graph.Day, 90 * graph.Day, 180 * graph.Day, 365 * graph.Day,
}

// timelineRow is one row of the chart.
type timelineRow struct {
	id       string
	tier     int
	first    graph.Duration // when it first went down, for the order
	down     []view.Span
	degraded []view.Span
	breach   *graph.Duration
	cells    []string // halted, restored, breach, loss
}

// impactTimeline writes the time line of an outage scenario: a heading,
// the counts, a chart with one row per outage and per affected function
// (a bar over the time axis, then when it halted, was restored and
// breached its tolerance, and its loss), a legend, and the nodes down.
func impactTimeline(p *printer, v *view.Impact) {
	t := v.Timeline
	title := "Time line"
	if v.Map.Name != "" {
		title = v.Map.Name + ": time line"
	}
	var outs []string
	for _, o := range t.Outages {
		s := o.ID + " down "
		if o.Duration == nil {
			s += "for good"
		} else {
			s += *o.Duration
		}
		if o.StartD > 0 {
			s += " from " + o.Start
		}
		outs = append(outs, s)
	}
	if len(outs) == 0 {
		outs = []string{"no outage"}
	}
	p.f("%s of %s (fallbacks %s)\n", title, strings.Join(outs, ", "), onOff(v.Scenario.Fallbacks))
	p.blank()
	tot := v.Totals
	breaches := ""
	if t.Breaches > 0 {
		breaches = fmt.Sprintf("; %s their tolerance", plural(t.Breaches, "breaches", "breach"))
		if t.Breaches == 1 {
			breaches = "; 1 breaches its tolerance"
		}
	}
	if tot.FunctionsDown == 0 {
		p.f("No function stops (of %s).\n", plural(tot.Functions, "function"))
	} else {
		p.f("%d of %s stop: %d core, %d important, %d supporting%s.\n",
			tot.FunctionsDown, plural(tot.Functions, "function"), tot.Core, tot.Important, tot.Supporting, breaches)
	}
	p.f("Loss: %s over the time line (%s), %s hours down in all.\n", money(v.Map.Currency, math.Round(t.Loss)), t.Horizon, number(math.Round(t.DownHours*100)/100))

	var outRows, fnRows []timelineRow
	for _, o := range t.Outages {
		r := timelineRow{id: o.ID, down: o.Down}
		restored := "-"
		if n := len(o.Down); n > 0 {
			restored = upAgain(o.Down[n-1], t.Settled)
		}
		r.cells = []string{o.Start, restored, "-", "-"}
		outRows = append(outRows, r)
	}
	for _, f := range v.Functions {
		ft := f.FunctionTime
		if ft == nil || (ft.HaltedAt == nil && len(ft.DegradedSpans) == 0) {
			continue
		}
		r := timelineRow{id: f.ID, tier: tierRank(f.Tier), down: ft.DownSpans, degraded: ft.DegradedSpans, breach: ft.BreachAtD}
		r.first = t.HorizonD
		if ft.HaltedAtD != nil {
			r.first = *ft.HaltedAtD
		} else if len(ft.DegradedSpans) > 0 {
			r.first = ft.DegradedSpans[0].FromD
		}
		halted, restored := "-", "-"
		if ft.HaltedAt != nil {
			halted = *ft.HaltedAt
			restored = upAgain(ft.DownSpans[len(ft.DownSpans)-1], t.Settled)
		}
		breach := "-"
		if ft.BreachAt != nil {
			breach = *ft.BreachAt
		}
		r.cells = []string{halted, restored, breach, number(math.Round(ft.Loss))}
		fnRows = append(fnRows, r)
	}
	sort.SliceStable(fnRows, func(i, j int) bool {
		a, b := fnRows[i], fnRows[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.first != b.first {
			return a.first < b.first
		}
		return a.id < b.id
	})

	span := chartSpan(t, append(append([]timelineRow(nil), outRows...), fnRows...))
	lossHead := "LOSS"
	if v.Map.Currency != "" {
		lossHead += " (" + v.Map.Currency + ")"
	}
	heads := []string{"HALTED", "RESTORED", "BREACH", lossHead}
	widths := make([]int, len(heads))
	idW := len("FUNCTION")
	for i, h := range heads {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, rows := range [][]timelineRow{outRows, fnRows} {
		for _, r := range rows {
			idW = max(idW, utf8.RuneCountInString(r.id))
			for i, c := range r.cells {
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	idW = min(idW, 24)
	rest := 0
	for _, w := range widths {
		rest += 2 + w
	}
	maxW := max(24, min(60, chartWidth-idW-2-rest))
	cell := cellSize(span, maxW)
	barW := int((span + cell - 1) / cell)
	barW += barW % 2 // an even width puts the middle tick between halves
	span = cell * graph.Duration(barW)

	line := func(id, bar string, cells []string) {
		var b strings.Builder
		b.WriteString(pad(shortTo(id, idW), idW))
		b.WriteString("  ")
		b.WriteString(pad(bar, barW))
		for i, c := range cells {
			b.WriteString("  ")
			if i == len(cells)-1 {
				b.WriteString(padLeft(c, widths[i]))
			} else {
				b.WriteString(pad(c, widths[i]))
			}
		}
		p.line(b.String())
	}
	p.blank()
	line("", axisLabels(span, barW), make([]string, len(heads)))
	line("OUTAGE", axisTicks(barW), heads)
	for _, r := range outRows {
		line(r.id, bar(r, span, barW), r.cells)
	}
	if len(fnRows) > 0 {
		p.blank()
		line("FUNCTION", "", nil)
		for _, r := range fnRows {
			line(r.id, bar(r, span, barW), r.cells)
		}
	}
	p.blank()
	p.f("%s down  %s on a fallback  %s up  %s tolerance breached. One column is %s; the time line runs to %s.\n",
		glyphDown, glyphDegraded, glyphUp, glyphBreach, cell.String(), t.Horizon)
}

// upAgain renders when a node is up again after its last down span:
// the span's end, "never" when it lasts for ever, or "> horizon" when
// the time line ended before it could.
func upAgain(last view.Span, settled bool) string {
	if last.To != nil {
		return *last.To
	}
	if settled {
		return "never"
	}
	return "open"
}

func tierRank(t string) int {
	switch t {
	case "core":
		return 0
	case "important":
		return 1
	case "supporting":
		return 2
	}
	return 3
}

// niceCells are the lengths of time one column of a chart may stand for.
var niceCells = []graph.Duration{
	graph.Minute, 2 * graph.Minute, 5 * graph.Minute, 10 * graph.Minute, 15 * graph.Minute, 20 * graph.Minute,
	30 * graph.Minute, graph.Hour, 2 * graph.Hour, 3 * graph.Hour, 4 * graph.Hour, 6 * graph.Hour, 8 * graph.Hour,
	12 * graph.Hour, graph.Day, 2 * graph.Day, 5 * graph.Day, 10 * graph.Day, 15 * graph.Day, 30 * graph.Day,
	60 * graph.Day, 90 * graph.Day, 180 * graph.Day, 365 * graph.Day,
}

// cellSize is the shortest of niceCells that draws span in at most
// maxW columns; the longest when none does.
func cellSize(span graph.Duration, maxW int) graph.Duration {
	for _, c := range niceCells {
		if (span+c-1)/c <= graph.Duration(maxW) {
			return c
		}
	}
	return niceCells[len(niceCells)-1]
}

// chartSpan is the length of the chart's time axis: the horizon when a
// row is still down or degraded at the horizon, else the shortest of
// niceSpans that holds every span and breach of the rows with a little
// room after, at most the horizon.
func chartSpan(t *view.ImpactTimeline, rows []timelineRow) graph.Duration {
	h := t.HorizonD
	var need graph.Duration
	for _, r := range rows {
		for _, ss := range [][]view.Span{r.down, r.degraded} {
			for _, s := range ss {
				if s.ToD == nil {
					return h
				}
				need = max(need, *s.ToD)
			}
		}
		if r.breach != nil {
			need = max(need, *r.breach)
		}
	}
	if need == 0 {
		return h
	}
	need += need / 8
	for _, s := range niceSpans {
		if s >= need {
			return min(s, h)
		}
	}
	return h
}

// bar draws a row over [0, span) in width cells: down where a down span
// touches the cell, else on a fallback where a degraded span does, else
// up; the cell holding the breach is marked.
func bar(r timelineRow, span graph.Duration, width int) string {
	cells := make([]string, width)
	for i := range cells {
		cells[i] = glyphUp
	}
	paint := func(ss []view.Span, glyph string) {
		for _, s := range ss {
			from := cellOf(s.FromD, span, width)
			to := width - 1
			if s.ToD != nil {
				if *s.ToD <= s.FromD {
					continue
				}
				to = cellOf(*s.ToD-1, span, width)
			}
			for i := from; i <= to && i < width; i++ {
				if cells[i] != glyphDown {
					cells[i] = glyph
				}
			}
		}
	}
	paint(r.down, glyphDown)
	paint(r.degraded, glyphDegraded)
	if r.breach != nil && *r.breach < span {
		cells[cellOf(*r.breach, span, width)] = glyphBreach
	}
	return strings.Join(cells, "")
}

// cellOf is the cell holding moment d on an axis of span in width
// cells; moments at or past the end fall in the last cell.
func cellOf(d, span graph.Duration, width int) int {
	if d <= 0 || span <= 0 {
		return 0
	}
	if d >= span {
		return width
	}
	return int(float64(d) / float64(span) * float64(width))
}

// axisLabels writes "0", the middle and the end of the axis above the
// ticks.
func axisLabels(span graph.Duration, width int) string {
	b := []rune(strings.Repeat(" ", width+1))
	put := func(at int, s string) {
		for i, c := range []rune(s) {
			if at+i >= 0 && at+i < len(b) {
				b[at+i] = c
			}
		}
	}
	end := span.String()
	mid := (span / 2).String()
	put(0, "0")
	put(width/2-len(mid)/2, mid)
	put(width-len(end), end)
	return strings.TrimRight(string(b), " ")
}

// axisTicks draws the axis: a tick at the start, the middle and the end.
func axisTicks(width int) string {
	b := []rune(strings.Repeat("─", width))
	b[0], b[width/2], b[width-1] = '├', '┼', '┤'
	return string(b)
}

func pad(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func padLeft(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}
