package document

import (
	"bytes"
	"io"
	"strings"
)

// Markdown writes d as GitHub-flavoured Markdown. Links get the extension
// ".md". The output ends with one newline and has no trailing spaces.
func Markdown(w io.Writer, d *Document) error {
	var b bytes.Buffer
	if d.Kicker != "" {
		b.WriteString("*" + mdEscape(d.Kicker) + "*\n\n")
	}
	b.WriteString("# " + mdEscape(oneLine(d.Title)) + "\n")
	for _, bl := range d.Blocks {
		b.WriteString("\n")
		mdBlock(&b, bl, "")
	}
	if d.Footer != "" {
		b.WriteString("\n---\n\n*" + mdEscape(d.Footer) + "*\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func mdBlock(b *bytes.Buffer, bl Block, prefix string) {
	line := func(s string) {
		if s == "" {
			b.WriteString(strings.TrimRight(prefix, " ") + "\n")
			return
		}
		b.WriteString(prefix + s + "\n")
	}
	switch x := bl.(type) {
	case *Heading:
		level := x.Level
		if level != 2 {
			level = 3
		}
		line(strings.Repeat("#", level) + " " + mdEscape(oneLine(x.Text)))
	case Facts:
		for _, f := range x {
			line("- **" + mdEscape(f.Label) + ":** " + mdText(f.Value))
		}
	case *Para:
		line(mdText(x.Text))
	case *List:
		for i, it := range x.Items {
			marker := "- "
			if x.Ordered {
				marker = itoa(i+1) + ". "
			}
			line(marker + mdText(it))
		}
	case *Table:
		if len(x.Columns) == 0 {
			return
		}
		var h, sep []string
		for _, c := range x.Columns {
			h = append(h, mdCell(T(c.Title)))
			if c.Align == Right {
				sep = append(sep, "---:")
			} else {
				sep = append(sep, "---")
			}
		}
		line("| " + strings.Join(h, " | ") + " |")
		line("| " + strings.Join(sep, " | ") + " |")
		for _, r := range x.Rows {
			cells := make([]string, len(x.Columns))
			for i := range x.Columns {
				cells[i] = mdCell(cell(r, i))
			}
			line("| " + strings.Join(cells, " | ") + " |")
		}
	case *Callout:
		p := prefix + "> "
		if x.Title != "" {
			b.WriteString(p + "**" + mdEscape(x.Title) + "**\n")
		}
		for i, in := range x.Body {
			if i > 0 || x.Title != "" {
				b.WriteString(strings.TrimRight(p, " ") + "\n")
			}
			if _, ok := in.(*Callout); ok {
				continue
			}
			if _, ok := in.(*Heading); ok {
				continue
			}
			mdBlock(b, in, p)
		}
	}
}

// mdCell renders text for a table cell: one line, pipes escaped, and an
// empty cell as a dash-free blank.
func mdCell(t Text) string {
	return strings.ReplaceAll(mdText(t), "|", `\|`)
}

func mdText(t Text) string {
	var b strings.Builder
	for _, s := range t {
		txt := mdEscape(oneLine(s.Text))
		if txt == "" {
			continue
		}
		if s.Link != "" {
			txt = "[" + txt + "](" + s.Link + ".md)"
		}
		if s.Bold {
			// Keep the emphasis markers next to the words: CommonMark
			// does not open emphasis before a space.
			lead := len(txt) - len(strings.TrimLeft(txt, " "))
			trail := len(txt) - len(strings.TrimRight(txt, " "))
			core := strings.TrimSpace(txt)
			if core != "" {
				txt = txt[:lead] + "**" + core + "**" + txt[len(txt)-trail:]
			}
		}
		b.WriteString(txt)
	}
	return b.String()
}

// mdEscape escapes the characters that would start Markdown syntax inside
// running text.
func mdEscape(s string) string {
	if !strings.ContainsAny(s, "\\*_[]<>`|#") {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '*', '_', '[', ']', '<', '>', '`':
			b.WriteByte('\\')
		case '#':
			if i == 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
