package document

import (
	"bytes"
	"html"
	"io"
	"strings"
)

// css is the whole style sheet: the page needs no other file. The print
// rules lay it out on A4, keep table rows and callouts whole and repeat
// table headers on each page.
const css = `:root{--ink:#1d2939;--muted:#5d6b82;--line:#d0d5dd;--head:#eef1f5;--alert:#b42318;--alert-bg:#fef3f2;--warn:#b54708;--warn-bg:#fffaeb;--note:#1f5fbf;--note-bg:#eff6ff;--good:#067647;--good-bg:#ecfdf3}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:62rem;margin:0 auto;padding:2rem 1.5rem 3rem}
.kicker{margin:0;color:var(--muted);font-size:.8rem;font-weight:600;letter-spacing:.06em;text-transform:uppercase}
h1{margin:.25rem 0 1rem;font-size:1.75rem;line-height:1.25}
h2{margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--line);font-size:1.25rem;line-height:1.3}
h3{margin:1.4rem 0 .4rem;font-size:1.05rem}
p{margin:.5rem 0}
ul,ol{margin:.4rem 0 .8rem;padding-left:1.5rem}
li{margin:.15rem 0}
a{color:var(--note)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1.2rem;margin:0 0 1.2rem;font-size:.92rem}
dl.facts dt{color:var(--muted);font-weight:600}
dl.facts dd{margin:0}
table{width:100%;margin:.5rem 0 1.1rem;border-collapse:collapse;font-size:.88rem}
th,td{padding:.35rem .55rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600}
.r{text-align:right;font-variant-numeric:tabular-nums}
td.nw{white-space:nowrap}
.callout{margin:1rem 0;padding:.75rem 1.1rem;border-left:6px solid var(--note);border-radius:4px;background:var(--note-bg)}
.callout>p:first-child{margin-top:0}
.callout .title{font-size:1.05rem;font-weight:700}
.callout.alert{border-color:var(--alert);background:var(--alert-bg)}
.callout.alert .title{color:var(--alert)}
.callout.warn{border-color:var(--warn);background:var(--warn-bg)}
.callout.warn .title{color:var(--warn)}
.callout.good{border-color:var(--good);background:var(--good-bg)}
.callout.good .title{color:var(--good)}
footer{margin-top:2.5rem;padding-top:.5rem;border-top:1px solid var(--line);color:var(--muted);font-size:.8rem}
@media print{
@page{size:A4;margin:15mm 14mm 16mm}
body{font-size:9.5pt}
main{max-width:none;padding:0}
h1{font-size:17pt}
h2{font-size:12.5pt;break-after:avoid}
h3{break-after:avoid}
.pb{break-before:page}
table{font-size:8.5pt}
thead{display:table-header-group}
tr,.callout,li{break-inside:avoid}
a{color:inherit;text-decoration:none}
.callout,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`

// HTML writes d as one self-contained HTML page: the style sheet is
// inline, nothing is loaded from elsewhere, and print CSS lays it out on
// A4. Links get the extension ".html".
func HTML(w io.Writer, d *Document) error {
	var b bytes.Buffer
	lang := d.Lang
	if lang == "" {
		lang = "en"
	}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + html.EscapeString(lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<meta name=\"generator\" content=\"lifeboat\">\n")
	title := oneLine(d.Title)
	if d.Kicker != "" {
		title += " · " + d.Kicker
	}
	b.WriteString("<title>" + html.EscapeString(title) + "</title>\n<style>\n" + css + "</style>\n</head>\n<body>\n<main>\n")
	if d.Kicker != "" {
		b.WriteString("<p class=\"kicker\">" + html.EscapeString(d.Kicker) + "</p>\n")
	}
	b.WriteString("<h1>" + html.EscapeString(oneLine(d.Title)) + "</h1>\n")
	for _, bl := range d.Blocks {
		htmlBlock(&b, bl)
	}
	if d.Footer != "" {
		b.WriteString("<footer>" + html.EscapeString(d.Footer) + "</footer>\n")
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func htmlBlock(b *bytes.Buffer, bl Block) {
	switch x := bl.(type) {
	case *Heading:
		tag := "h3"
		if x.Level == 2 {
			tag = "h2"
		}
		open := "<" + tag
		if x.Break {
			open += ` class="pb"`
		}
		b.WriteString(open + ">" + html.EscapeString(oneLine(x.Text)) + "</" + tag + ">\n")
	case Facts:
		if len(x) == 0 {
			return
		}
		b.WriteString("<dl class=\"facts\">\n")
		for _, f := range x {
			b.WriteString("<dt>" + html.EscapeString(f.Label) + "</dt><dd>" + htmlText(f.Value) + "</dd>\n")
		}
		b.WriteString("</dl>\n")
	case *Para:
		b.WriteString("<p>" + htmlText(x.Text) + "</p>\n")
	case *List:
		tag := "ul"
		if x.Ordered {
			tag = "ol"
		}
		b.WriteString("<" + tag + ">\n")
		for _, it := range x.Items {
			b.WriteString("<li>" + htmlText(it) + "</li>\n")
		}
		b.WriteString("</" + tag + ">\n")
	case *Table:
		if len(x.Columns) == 0 {
			return
		}
		b.WriteString("<table>\n<thead><tr>")
		for _, c := range x.Columns {
			b.WriteString("<th" + htmlClass(c) + ">" + html.EscapeString(c.Title) + "</th>")
		}
		b.WriteString("</tr></thead>\n<tbody>\n")
		for _, r := range x.Rows {
			b.WriteString("<tr>")
			for i, c := range x.Columns {
				b.WriteString("<td" + htmlClass(c) + ">" + htmlText(cell(r, i)) + "</td>")
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</tbody>\n</table>\n")
	case *Callout:
		b.WriteString("<div class=\"callout " + x.Tone.class() + "\">\n")
		if x.Title != "" {
			b.WriteString("<p class=\"title\">" + html.EscapeString(x.Title) + "</p>\n")
		}
		for _, in := range x.Body {
			switch in.(type) {
			case *Para, *List, *Table:
				htmlBlock(b, in)
			}
		}
		b.WriteString("</div>\n")
	}
}

func htmlClass(c Column) string {
	var cls []string
	if c.Align == Right {
		cls = append(cls, "r")
	}
	if c.NoWrap {
		cls = append(cls, "nw")
	}
	if len(cls) == 0 {
		return ""
	}
	return ` class="` + strings.Join(cls, " ") + `"`
}

func htmlText(t Text) string {
	var b strings.Builder
	for _, s := range t {
		txt := html.EscapeString(oneLine(s.Text))
		if s.Link != "" {
			txt = `<a href="` + html.EscapeString(s.Link) + `.html">` + txt + "</a>"
		}
		if s.Bold {
			txt = "<strong>" + txt + "</strong>"
		}
		b.WriteString(txt)
	}
	return b.String()
}
