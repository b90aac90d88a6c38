package document

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// The page: A4 portrait, in points.
const (
	pageW   = 595.28
	pageH   = 841.89
	marginL = 48.0
	marginR = 48.0
	marginT = 56.0
	marginB = 60.0
	bodyW   = pageW - marginL - marginR
	bottom  = pageH - marginB
)

// Font names inside the PDF.
const (
	fontRegular = "R"
	fontBold    = "B"
)

// Type sizes and line heights, in points.
const (
	sizeBody    = 9.5
	leadBody    = 13.2
	sizeTable   = 8.3
	leadTable   = 11.0
	sizeSmall   = 7.5
	sizeTitle   = 18.0
	leadTitle   = 22.0
	sizeH2      = 12.5
	sizeH3      = 10.3
	sizeKicker  = 8.0
	cellPadX    = 4.0
	cellPadY    = 3.2
	calloutPadX = 11.0
	calloutPadY = 8.0
	calloutBar  = 4.0
	listIndent  = 14.0
)

// ascent is where gopdf puts a font's baseline below the y it is given,
// per point of type size; it is used to centre text in its line.
const ascent = 0.76

type rgb struct{ r, g, b uint8 }

var (
	colInk    = rgb{0x1d, 0x29, 0x39}
	colMuted  = rgb{0x5d, 0x6b, 0x82}
	colLine   = rgb{0xd0, 0xd5, 0xdd}
	colHead   = rgb{0xee, 0xf1, 0xf5}
	colLink   = rgb{0x1f, 0x5f, 0xbf}
	toneColor = map[Tone][2]rgb{
		Note:  {{0x1f, 0x5f, 0xbf}, {0xef, 0xf6, 0xff}},
		Alert: {{0xb4, 0x23, 0x18}, {0xfe, 0xf3, 0xf2}},
		Warn:  {{0xb5, 0x47, 0x08}, {0xff, 0xfa, 0xeb}},
		Good:  {{0x06, 0x76, 0x47}, {0xec, 0xfd, 0xf3}},
	}
)

type opKind uint8

const (
	opText opKind = iota
	opRect
	opLine
)

// op is one drawing operation on a page. For text, (x, y) is the top of
// the type size's box; for a rectangle, its upper-left corner; for a line,
// its two ends (x, y) and (w, h).
type op struct {
	kind       opKind
	x, y, w, h float64
	font       string
	size       float64
	color      rgb
	s          string
}

// line is a laid-out piece that is placed whole: one line of text, a
// table row, a heading. Its ops have y relative to the line's top.
type line struct {
	h   float64
	ops []op
	// keep: the next lines up to this height must fit on the same page
	// (headings keep with what follows).
	keep float64
}

type pdfWriter struct {
	gp     *gopdf.GoPdf
	pages  [][]op
	y      float64
	widths map[string]float64 // unit widths (size 1) by font + text
}

// PDF writes d as an A4 PDF with the Go fonts embedded (subset), so every
// character the fonts hold prints, arrows and currency signs included. It
// is made in-process; nothing outside the program is run.
func PDF(w io.Writer, d *Document) error {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	if err := gp.AddTTFFontData(fontRegular, goregular.TTF); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := gp.AddTTFFontData(fontBold, gobold.TTF); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	title := oneLine(d.Title)
	gp.SetInfo(gopdf.PdfInfo{Title: title, Subject: d.Kicker, Creator: "lifeboat", Producer: "lifeboat"})
	pw := &pdfWriter{gp: gp, widths: map[string]float64{}}
	if err := pw.layout(d); err != nil {
		return err
	}
	if err := pw.emit(d); err != nil {
		return err
	}
	_, err := gp.WriteTo(w)
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// measure is the width of s in font at size.
func (p *pdfWriter) measure(font string, size float64, s string) float64 {
	if s == "" {
		return 0
	}
	key := font + "\x00" + s
	u, ok := p.widths[key]
	if !ok {
		if err := p.gp.SetFont(font, "", 100); err == nil {
			if w, err := p.gp.MeasureTextWidth(s); err == nil {
				u = w / 100
			}
		}
		p.widths[key] = u
	}
	return u * size
}

func fontOf(bold bool) string {
	if bold {
		return fontBold
	}
	return fontRegular
}

// word is one unbreakable piece of inline text.
type word struct {
	s      string
	font   string
	color  rgb
	space  bool // a space comes before it
	width  float64
	spaceW float64
}

// words splits text into words, remembering the spaces between them.
func (p *pdfWriter) words(t Text, size float64, base rgb, forceBold bool) []word {
	var out []word
	pending := false
	for _, sp := range t {
		font := fontOf(sp.Bold || forceBold)
		col := base
		if sp.Link != "" {
			col = colLink
		}
		s := oneLine(sp.Text)
		start := -1
		flush := func(end int) {
			if start < 0 {
				return
			}
			ws := s[start:end]
			out = append(out, word{s: ws, font: font, color: col, space: pending && len(out) > 0,
				width: p.measure(font, size, ws), spaceW: p.measure(font, size, " ")})
			pending = false
			start = -1
		}
		for i, r := range s {
			if r == ' ' {
				flush(i)
				pending = true
				continue
			}
			if start < 0 {
				start = i
			}
		}
		flush(len(s))
	}
	return out
}

// run is a piece of one laid-out line of text.
type run struct {
	x     float64
	s     string
	font  string
	color rgb
}

// wrap breaks text into lines no wider than width; each line's runs have
// x relative to the line's start. Words wider than a line are cut.
func (p *pdfWriter) wrap(t Text, size, width float64, base rgb, bold bool) ([][]run, []float64) {
	ws := p.words(t, size, base, bold)
	var lines [][]run
	var lineW []float64
	var cur []run
	x := 0.0
	push := func() {
		lines = append(lines, cur)
		lineW = append(lineW, x)
		cur, x = nil, 0
	}
	add := func(w word, withSpace bool) {
		if withSpace {
			x += w.spaceW
		}
		// Merge with the previous run when the style is the same.
		if n := len(cur); n > 0 && cur[n-1].font == w.font && cur[n-1].color == w.color {
			if withSpace {
				cur[n-1].s += " "
			}
			cur[n-1].s += w.s
		} else {
			cur = append(cur, run{x: x, s: w.s, font: w.font, color: w.color})
		}
		x += w.width
	}
	for _, w := range ws {
		need := w.width
		if w.space && len(cur) > 0 {
			need += w.spaceW
		}
		if x+need <= width+0.01 || len(cur) == 0 && w.width <= width+0.01 {
			add(w, w.space && len(cur) > 0)
			continue
		}
		if len(cur) > 0 {
			push()
		}
		if w.width <= width+0.01 {
			add(w, false)
			continue
		}
		// A word wider than the line: cut it by characters.
		rest := w.s
		for rest != "" {
			n := len(rest)
			if p.measure(w.font, size, rest) > width {
				n = 0
				for i, r := range rest {
					end := i + utf8.RuneLen(r)
					if n > 0 && p.measure(w.font, size, rest[:end]) > width {
						break
					}
					n = end
				}
			}
			add(word{s: rest[:n], font: w.font, color: w.color, width: p.measure(w.font, size, rest[:n])}, false)
			rest = rest[n:]
			if rest != "" {
				push()
			}
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		push()
	}
	return lines, lineW
}

// textLines lays out text as lines of the given leading, starting at x.
func (p *pdfWriter) textLines(t Text, x, width, size, lead float64, col rgb, bold bool) []line {
	rs, _ := p.wrap(t, size, width, col, bold)
	out := make([]line, 0, len(rs))
	for _, r := range rs {
		out = append(out, line{h: lead, ops: runOps(r, x, (lead-size)/2, size)})
	}
	return out
}

func runOps(rs []run, x, y, size float64) []op {
	ops := make([]op, 0, len(rs))
	for _, r := range rs {
		ops = append(ops, op{kind: opText, x: x + r.x, y: y, font: r.font, size: size, color: r.color, s: r.s})
	}
	return ops
}

// newPage starts a page.
func (p *pdfWriter) newPage() {
	p.pages = append(p.pages, nil)
	p.y = marginT
}

func (p *pdfWriter) atTop() bool { return p.y <= marginT+0.01 }

// place puts lines on the pages, breaking pages between lines. A line is
// moved to a new page when it does not fit, unless the page is empty.
func (p *pdfWriter) place(ls []line) {
	for i, l := range ls {
		need := l.h
		if l.keep > 0 {
			// Keep with the following lines, up to keep points.
			more := 0.0
			for _, n := range ls[i+1:] {
				if more+n.h > l.keep {
					break
				}
				more += n.h
			}
			need += more
		}
		if p.y+need > bottom && !p.atTop() {
			p.newPage()
		}
		p.put(l)
	}
}

// put draws one line at the current position and advances.
func (p *pdfWriter) put(l line) {
	pg := &p.pages[len(p.pages)-1]
	for _, o := range l.ops {
		o.y += p.y
		if o.kind == opLine {
			o.h += p.y
		}
		*pg = append(*pg, o)
	}
	p.y += l.h
}

// needSpace starts a new page unless h points are left on this one.
func (p *pdfWriter) needSpace(h float64) {
	if p.y+h > bottom && !p.atTop() {
		p.newPage()
	}
}

// space adds vertical space unless at the top of a page.
func (p *pdfWriter) space(h float64) {
	if !p.atTop() {
		p.y += h
	}
}

func (p *pdfWriter) layout(d *Document) error {
	p.newPage()
	if d.Kicker != "" {
		p.place(p.textLines(T(strings.ToUpper(d.Kicker)), marginL, bodyW, sizeKicker, 12, colMuted, true))
	}
	p.place(p.textLines(T(d.Title), marginL, bodyW, sizeTitle, leadTitle, colInk, true))
	p.y += 6
	for _, b := range d.Blocks {
		p.block(b)
	}
	return nil
}

func (p *pdfWriter) facts(fs []Fact) {
	labelW := 0.0
	for _, f := range fs {
		labelW = max(labelW, p.measure(fontBold, sizeBody, f.Label))
	}
	labelW = min(labelW+12, 150)
	for _, f := range fs {
		label := p.textLines(T(f.Label), marginL, labelW-8, sizeBody, leadBody, colMuted, true)
		value := p.textLines(f.Value, marginL+labelW, bodyW-labelW, sizeBody, leadBody, colInk, false)
		// Label and value side by side, as lines of the taller one.
		n := max(len(label), len(value))
		ls := make([]line, n)
		for i := range ls {
			ls[i].h = leadBody
			if i < len(label) {
				ls[i].ops = append(ls[i].ops, label[i].ops...)
			}
			if i < len(value) {
				ls[i].ops = append(ls[i].ops, value[i].ops...)
			}
		}
		ls[len(ls)-1].h += 1.5
		p.place(ls)
	}
}

func (p *pdfWriter) block(b Block) {
	switch x := b.(type) {
	case *Heading:
		if x.Break && !p.atTop() {
			p.newPage()
		}
		if x.Level == 2 {
			p.needSpace(150)
			p.space(12)
			ls := p.textLines(T(x.Text), marginL, bodyW, sizeH2, 16, colInk, true)
			last := &ls[len(ls)-1]
			last.ops = append(last.ops, op{kind: opLine, x: marginL, y: 18, w: marginL + bodyW, h: 18, color: colLine, size: 1.2})
			last.h = 24
			for i := range ls {
				ls[i].keep = 70
			}
			p.place(ls)
			return
		}
		p.needSpace(90)
		p.space(7)
		ls := p.textLines(T(x.Text), marginL, bodyW, sizeH3, 14, colInk, true)
		ls[len(ls)-1].h += 2
		for i := range ls {
			ls[i].keep = 50
		}
		p.place(ls)
	case Facts:
		p.facts(x)
		p.y += 6
	case *Para:
		p.place(p.textLines(x.Text, marginL, bodyW, sizeBody, leadBody, colInk, false))
		p.y += 5
	case *List:
		p.place(p.listLines(x, marginL, bodyW, colInk))
		p.y += 5
	case *Table:
		p.table(x)
		p.y += 8
	case *Callout:
		p.callout(x)
		p.y += 8
	}
}

// listLines lays out a list from x, width wide.
func (p *pdfWriter) listLines(l *List, x, width float64, col rgb) []line {
	var out []line
	for i, it := range l.Items {
		marker := "•"
		if l.Ordered {
			marker = itoa(i+1) + "."
		}
		ls := p.textLines(it, x+listIndent, width-listIndent, sizeBody, leadBody, col, false)
		if len(ls) == 0 {
			continue
		}
		mw := p.measure(fontRegular, sizeBody, marker)
		ls[0].ops = append(ls[0].ops, op{kind: opText, x: x + listIndent - 5 - mw, y: (leadBody - sizeBody) / 2,
			font: fontRegular, size: sizeBody, color: col, s: marker})
		ls[len(ls)-1].h += 2
		out = append(out, ls...)
	}
	return out
}

func (p *pdfWriter) callout(c *Callout) {
	bar, bg := toneColor[c.Tone][0], toneColor[c.Tone][1]
	x := marginL + calloutBar + calloutPadX
	width := bodyW - calloutBar - 2*calloutPadX
	var ls []line
	if c.Title != "" {
		t := p.textLines(T(c.Title), x, width, 11, 15, bar, true)
		t[len(t)-1].h += 3
		ls = append(ls, t...)
	}
	for i, b := range c.Body {
		if i > 0 {
			ls = append(ls, line{h: 4})
		}
		switch y := b.(type) {
		case *Para:
			ls = append(ls, p.textLines(y.Text, x, width, sizeBody, leadBody, colInk, false)...)
		case *List:
			ls = append(ls, p.listLines(y, x, width, colInk)...)
		}
	}
	total := 2 * calloutPadY
	for _, l := range ls {
		total += l.h
	}
	if p.y+total > bottom && !p.atTop() && total <= bottom-marginT {
		p.newPage()
	}
	// Draw page by page: a background for each piece, then its lines.
	i := 0
	for i < len(ls) {
		if p.y+calloutPadY+ls[i].h > bottom && !p.atTop() {
			p.newPage()
		}
		pg := len(p.pages) - 1
		at := len(p.pages[pg])
		top := p.y
		p.y += calloutPadY
		for i < len(ls) && (p.y+ls[i].h+calloutPadY <= bottom || p.y <= top+calloutPadY+0.01) {
			p.put(ls[i])
			i++
		}
		p.y += calloutPadY
		h := p.y - top
		box := []op{
			{kind: opRect, x: marginL, y: top, w: bodyW, h: h, color: bg},
			{kind: opRect, x: marginL, y: top, w: calloutBar, h: h, color: bar},
		}
		p.pages[pg] = append(p.pages[pg][:at], append(box, p.pages[pg][at:]...)...)
		if i < len(ls) {
			p.newPage()
		}
	}
}

// colWidths chooses column widths that fill the body: natural widths when
// they fit, else each column's longest word plus a share of what is left
// in proportion to how much more it would like.
func (p *pdfWriter) colWidths(t *Table) []float64 {
	n := len(t.Columns)
	natural := make([]float64, n)
	minimum := make([]float64, n)
	cellNatural := make([]float64, n)
	measure := func(i int, tx Text, bold bool) {
		w := 0.0
		for _, sp := range tx {
			font := fontOf(sp.Bold || bold)
			s := oneLine(sp.Text)
			w += p.measure(font, sizeTable, s)
			for _, f := range strings.Fields(s) {
				minimum[i] = max(minimum[i], p.measure(font, sizeTable, f)+2*cellPadX)
			}
		}
		natural[i] = max(natural[i], w+2*cellPadX)
		if !bold {
			cellNatural[i] = max(cellNatural[i], w+2*cellPadX)
		}
	}
	for i, c := range t.Columns {
		measure(i, T(c.Title), true)
		for _, r := range t.Rows {
			measure(i, cell(r, i), false)
		}
		if c.NoWrap {
			minimum[i] = max(minimum[i], min(cellNatural[i], bodyW/3))
		}
	}
	sumN, sumM := 0.0, 0.0
	for i := range natural {
		sumN += natural[i]
		sumM += minimum[i]
	}
	out := make([]float64, n)
	switch {
	case sumN <= bodyW:
		for i := range out {
			out[i] = natural[i] + (bodyW-sumN)*natural[i]/sumN
		}
	case sumM >= bodyW:
		for i := range out {
			out[i] = minimum[i] * bodyW / sumM
		}
	default:
		want := sumN - sumM
		for i := range out {
			out[i] = minimum[i] + (bodyW-sumM)*(natural[i]-minimum[i])/want
		}
	}
	return out
}

// row lays out one table row as a single line.
func (p *pdfWriter) row(t *Table, cells []Text, widths []float64, header bool) line {
	var l line
	x := marginL
	h := 0.0
	for i, c := range t.Columns {
		w := widths[i] - 2*cellPadX
		rs, lw := p.wrap(cell(cells, i), sizeTable, w, colInk, header)
		for j, r := range rs {
			off := x + cellPadX
			if c.Align == Right {
				off = x + widths[i] - cellPadX - lw[j]
			}
			l.ops = append(l.ops, runOps(r, off, cellPadY+float64(j)*leadTable+(leadTable-sizeTable)/2, sizeTable)...)
		}
		h = max(h, float64(len(rs))*leadTable)
		x += widths[i]
	}
	l.h = h + 2*cellPadY
	if header {
		l.ops = append([]op{{kind: opRect, x: marginL, y: 0, w: bodyW, h: l.h, color: colHead}}, l.ops...)
	}
	l.ops = append(l.ops, op{kind: opLine, x: marginL, y: l.h, w: marginL + bodyW, h: l.h, color: colLine, size: 0.6})
	return l
}

func (p *pdfWriter) table(t *Table) {
	if len(t.Columns) == 0 {
		return
	}
	widths := p.colWidths(t)
	head := p.row(t, func() []Text {
		hs := make([]Text, len(t.Columns))
		for i, c := range t.Columns {
			hs[i] = T(c.Title)
		}
		return hs
	}(), widths, true)
	first := true
	for _, r := range t.Rows {
		l := p.row(t, r, widths, false)
		if first {
			if p.y+head.h+l.h > bottom && !p.atTop() {
				p.newPage()
			}
			p.put(head)
			first = false
		} else if p.y+l.h > bottom {
			p.newPage()
			p.put(head)
		}
		p.put(l)
	}
	if first {
		p.place([]line{head})
	}
}

// emit draws the laid-out pages with a running header and footer.
func (p *pdfWriter) emit(d *Document) error {
	gp := p.gp
	n := len(p.pages)
	head := oneLine(d.Title)
	if d.Kicker != "" {
		head = d.Kicker + " · " + head
	}
	headOps := p.textLines(T(head), marginL, bodyW, sizeSmall, 10, colMuted, false)
	for i, ops := range p.pages {
		gp.AddPage()
		if i > 0 && len(headOps) > 0 {
			for _, o := range headOps[0].ops {
				o.y += marginT - 26
				ops = append(ops, o)
			}
		}
		num := fmt.Sprintf("Page %d of %d", i+1, n)
		fy := pageH - marginB + 24
		ops = append(ops, op{kind: opLine, x: marginL, y: fy - 5, w: marginL + bodyW, h: fy - 5, color: colLine, size: 0.5})
		if d.Footer != "" {
			foot := p.textLines(T(d.Footer), marginL, bodyW-90, sizeSmall, 10, colMuted, false)
			for k, l := range foot[:min(2, len(foot))] {
				for _, o := range l.ops {
					o.y += fy + float64(k)*10
					ops = append(ops, o)
				}
			}
		}
		ops = append(ops, op{kind: opText, x: marginL + bodyW - p.measure(fontRegular, sizeSmall, num), y: fy + (10-sizeSmall)/2,
			font: fontRegular, size: sizeSmall, color: colMuted, s: num})
		for _, o := range ops {
			if err := p.draw(o); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *pdfWriter) draw(o op) error {
	gp := p.gp
	switch o.kind {
	case opText:
		if o.s == "" {
			return nil
		}
		if err := gp.SetFont(o.font, "", o.size); err != nil {
			return fmt.Errorf("pdf: %w", err)
		}
		gp.SetTextColor(o.color.r, o.color.g, o.color.b)
		// gopdf puts the baseline ascent×size below y; centre the
		// type size's box on the given top.
		gp.SetXY(o.x, o.y+o.size*(0.80-ascent))
		if err := gp.Cell(nil, o.s); err != nil {
			return fmt.Errorf("pdf: %w", err)
		}
	case opRect:
		gp.SetFillColor(o.color.r, o.color.g, o.color.b)
		gp.RectFromUpperLeftWithStyle(o.x, o.y, o.w, o.h, "F")
	case opLine:
		gp.SetStrokeColor(o.color.r, o.color.g, o.color.b)
		gp.SetLineWidth(o.size)
		gp.Line(o.x, o.y, o.w, o.h)
	}
	return nil
}
