// Package table renders lifeboat's view models as plain terminal text:
// headings, aligned columns (text/tabwriter), no colour, no trailing
// spaces, the same bytes for the same input. It reads reports/view models
// only and computes nothing.
package table

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// arrow joins a dependency chain, the dependent first.
const arrow = " ← "

// chain renders ids as "a ← b ← c".
func chain(ids []string) string { return strings.Join(ids, arrow) }

// printer collects output and flushes it with trailing spaces removed.
type printer struct {
	buf bytes.Buffer
}

func (p *printer) f(format string, a ...any) { fmt.Fprintf(&p.buf, format, a...) }
func (p *printer) line(s string)             { p.buf.WriteString(s); p.buf.WriteByte('\n') }
func (p *printer) blank()                    { p.buf.WriteByte('\n') }

// table writes rows aligned in columns, two spaces apart; an indent
// prefixes every line.
func (p *printer) table(indent string, header []string, rows [][]string) {
	tw := tabwriter.NewWriter(&p.buf, 0, 0, 2, ' ', 0)
	write := func(cells []string) {
		fmt.Fprintln(tw, indent+strings.Join(cells, "\t"))
	}
	if header != nil {
		write(header)
	}
	for _, r := range rows {
		write(r)
	}
	tw.Flush()
}

// flush writes the collected text to w, each line right-trimmed.
func (p *printer) flush(w io.Writer) error {
	out := bufio.NewWriter(w)
	for _, l := range strings.SplitAfter(p.buf.String(), "\n") {
		nl := strings.HasSuffix(l, "\n")
		out.WriteString(strings.TrimRight(l, " \t\n"))
		if nl {
			out.WriteByte('\n')
		}
	}
	return out.Flush()
}

// plural renders "1 error", "2 errors"; word is the singular, and the
// plural adds "s" unless given.
func plural(n int, word string, pl ...string) string {
	if n == 1 {
		return "1 " + word
	}
	if len(pl) > 0 {
		return strconv.Itoa(n) + " " + pl[0]
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// money renders an amount with thousands separators, whole units when the
// amount is whole, else two decimals; the currency code first when known.
func money(currency string, x float64) string {
	s := number(x)
	if currency != "" {
		return currency + " " + s
	}
	return s
}

func number(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	neg := x < 0
	if neg {
		x = -x
	}
	var s string
	if x == math.Trunc(x) && x < 1e18 {
		s = strconv.FormatFloat(x, 'f', 0, 64)
	} else {
		s = strconv.FormatFloat(x, 'f', 2, 64)
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteString(frac)
	return b.String()
}

// list renders ids comma-separated, or "-" when empty.
func list(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, ", ")
}

// wrap renders words comma-separated in lines of at most width
// characters, each line but the first starting with indent.
func wrap(words []string, indent string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range words {
		item := w
		if i < len(words)-1 {
			item += ","
		}
		if n > 0 && n+1+len(item) > width {
			b.WriteString("\n")
			b.WriteString(indent)
			n = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(item)
		n += len(item)
	}
	return b.String()
}

// maxName is the width at which names are cut in table cells.
const maxName = 40

// short cuts a name to maxName characters, marking the cut with "…".
func short(s string) string {
	r := []rune(s)
	if len(r) <= maxName {
		return s
	}
	return strings.TrimSpace(string(r[:maxName-1])) + "…"
}

func tierOr(t string) string {
	if t == "" {
		return "-"
	}
	return t
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
