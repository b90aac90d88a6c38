package document

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/reports/plan/internal/pdftext"
)

// sample exercises every block, escaping and a table long enough to span
// pages.
func sample() *Document {
	t := &Table{Columns: []Column{{Title: "When", NoWrap: true}, {Title: "What | happens"}, {Title: "Loss", Align: Right, NoWrap: true}}}
	for i := range 90 {
		t.Rows = append(t.Rows, []Text{T(fmt.Sprintf("T+%dh", i)), Join(B("Card payments"), T(" ← Paylane stops; *not* a_link <b>")), T(fmt.Sprintf("€%d,000", i))})
	}
	t.Rows = append(t.Rows, []Text{T("short row")})
	return &Document{
		Kicker: "Fallback plan · Test & Co",
		Title:  "Card <processor> plan",
		Blocks: []Block{
			&Callout{Tone: Alert, Title: "If CardCo is down for 4h", Body: []Block{
				&Para{Text: Join(B("What stops: "), T("Card payments at once (T+0)."))},
				&List{Ordered: true, Items: []Text{T("Decide."), Join(T("Open "), L("the overview", "00-overview"), T("."))}},
			}},
			Facts{{Label: "Partner", Value: T("CardCo [primary]")}, {Label: "Owner", Value: T("Head of Cards")}},
			&Heading{Level: 2, Text: "# Time line"},
			t,
			&Heading{Level: 3, Text: "Steps", Break: true},
			&List{Items: []Text{T("one"), T("a verylongwordthatcannotbebrokenanywhereatallandmustbecutbycharactersbecauseitisfarwiderthananypossiblecolumnorlineonthepage")}},
			&Callout{Tone: Good, Body: []Block{&Para{Text: T("Nothing else.")}}},
		},
		Footer: "Test & Co · lifeboat",
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with UPDATE_GOLDEN=1 to accept", name)
	}
}

func TestMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Markdown(&b, sample()); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.md", b.Bytes())
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.TrimRight(line, " ") != line {
			t.Errorf("trailing space in %q", line)
		}
	}
	if !strings.Contains(b.String(), `What \| happens`) || !strings.Contains(b.String(), "[the overview](00-overview.md)") {
		t.Error("Markdown: table pipes not escaped or link without .md")
	}
}

func TestHTMLGolden(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, sample()); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.html", b.Bytes())
	s := b.String()
	for _, bad := range []string{"<processor>", "<b>", "http://", "https://", "<link", "<script"} {
		if strings.Contains(s, bad) {
			t.Errorf("HTML contains %q: not escaped or not self-contained", bad)
		}
	}
	if !strings.Contains(s, "@media print") || !strings.Contains(s, `href="00-overview.html"`) {
		t.Error("HTML: no print CSS or link without .html")
	}
}

func TestPDF(t *testing.T) {
	var b bytes.Buffer
	if err := PDF(&b, sample()); err != nil {
		t.Fatal(err)
	}
	pages, err := pdftext.Pages(b.Bytes())
	if err != nil {
		t.Fatalf("reading the PDF back: %v", err)
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages, want the long table to span at least 3", len(pages))
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Card <processor> plan", "€89,000", "←", "If CardCo is down for 4h", "Page 1 of", "T+0"} {
		if !strings.Contains(all, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if strings.ContainsRune(all, '\uFFFD') {
		t.Error("PDF has glyphs without a character")
	}
	// The table header is repeated on every page the table spans.
	for i, p := range pages[1 : len(pages)-1] {
		if !strings.Contains(p, "What | happens") {
			t.Errorf("page %d: table header not repeated", i+2)
		}
	}
	// Every cut piece of the long word is there, in order.
	joined := strings.ReplaceAll(all, "\n", "")
	if !strings.Contains(joined, "verylongwordthatcannotbebrokenanywhereatallandmustbecutbycharacters") {
		t.Error("the long word was lost when cut")
	}
}

func TestPDFEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := PDF(&b, &Document{}); err != nil {
		t.Fatal(err)
	}
	pages, err := pdftext.Pages(b.Bytes())
	if err != nil || len(pages) != 1 {
		t.Errorf("empty document: %d pages, %v; want 1", len(pages), err)
	}
}
