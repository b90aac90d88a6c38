// Package document is the small document model that lifeboat's fallback
// plans and exercise packs are laid out in, and its three writers: Markdown,
// a single self-contained HTML page with print CSS, and PDF made in-process
// with embedded fonts. Every writer reads the same Document, so the numbers
// in the three formats cannot disagree; the writers compute nothing.
package document

import "strings"

// Document is one printable report: a title, a few key facts and blocks.
type Document struct {
	// Kicker is the short line above the title ("Fallback plan · Northbank").
	Kicker string
	Title  string
	// Blocks are the body, in order.
	Blocks []Block
	// Footer is printed at the foot of every PDF page and at the end of the
	// Markdown and HTML; "" prints none.
	Footer string
	// Lang is the HTML language tag; "" means "en".
	Lang string
}

// Facts are labelled values, one a line: the key facts of a report.
type Facts []Fact

// Fact is one labelled value.
type Fact struct {
	Label string
	Value Text
}

// Block is a part of a document's body: a *Heading, *Para, *List, *Table,
// *Callout or Facts. Other types are ignored by the writers.
type Block interface{ isBlock() }

// Heading starts a section. Level 2 is a section, 3 a subsection; other
// levels are rendered as 3.
type Heading struct {
	Level int
	Text  string
	// Break: the PDF and printed HTML start this heading on a new page.
	Break bool
}

// Para is a paragraph.
type Para struct{ Text Text }

// List is a bulleted or numbered list of one-paragraph items.
type List struct {
	Ordered bool
	Items   []Text
}

// Align is a table column's alignment.
type Align uint8

// The alignments.
const (
	Left Align = iota
	Right
)

// Column is a table column.
type Column struct {
	Title string
	Align Align
	// NoWrap keeps the column's cells on one line in HTML (times, sums).
	NoWrap bool
}

// Table is a table with a header row. Rows shorter than Columns are padded
// with empty cells; longer rows are cut.
type Table struct {
	Columns []Column
	Rows    [][]Text
}

// Tone colours a callout.
type Tone uint8

// The tones.
const (
	Note  Tone = iota // neutral information
	Alert             // something stops or breaches
	Warn              // a gap to close
	Good              // nothing stops
)

func (t Tone) class() string {
	switch t {
	case Alert:
		return "alert"
	case Warn:
		return "warn"
	case Good:
		return "good"
	}
	return "note"
}

// Callout is a highlighted box: the headline of a plan, a list of gaps.
// Its body holds paragraphs and lists; other blocks inside it are ignored.
type Callout struct {
	Tone  Tone
	Title string
	Body  []Block
}

func (*Heading) isBlock() {}
func (*Para) isBlock()    {}
func (*List) isBlock()    {}
func (*Table) isBlock()   {}
func (*Callout) isBlock() {}
func (Facts) isBlock()    {}

// Text is a run of inline spans.
type Text []Span

// Span is a piece of text in one style.
type Span struct {
	Text string
	Bold bool
	// Link names another document of the same set by its file name without
	// extension ("plan-corvex"); each writer adds its own extension. The
	// PDF prints the text only.
	Link string
}

// T is plain text.
func T(s string) Text { return Text{{Text: s}} }

// B is bold text.
func B(s string) Text { return Text{{Text: s, Bold: true}} }

// L is a link to the document named file, showing s.
func L(s, file string) Text { return Text{{Text: s, Link: file}} }

// Join concatenates texts.
func Join(parts ...Text) Text {
	var out Text
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Plain is the text without styles.
func (t Text) Plain() string {
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.Text)
	}
	return b.String()
}

// cell returns row[i], or empty text past its end.
func cell(row []Text, i int) Text {
	if i < len(row) {
		return row[i]
	}
	return nil
}

// oneLine replaces line breaks and tabs by spaces: every span renders on
// one logical line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
