package plan

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/lifeboat-dev/lifeboat/reports/plan/document"
)

// Format is an output format of the plans.
type Format string

// The formats.
const (
	Markdown Format = "md"
	HTML     Format = "html"
	PDF      Format = "pdf"
)

// Formats lists every format, in the order files are written.
var Formats = []Format{Markdown, HTML, PDF}

// ParseFormat maps "md" (or "markdown"), "html" and "pdf", in any case, to
// a Format.
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "md", "markdown":
		return Markdown, true
	case "html", "htm":
		return HTML, true
	case "pdf":
		return PDF, true
	}
	return "", false
}

// File is one file to write: a name inside the output folder, and its
// content.
type File struct {
	Name string
	Data []byte
}

// Render writes a document in a format.
func Render(doc *document.Document, f Format) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch f {
	case Markdown:
		err = document.Markdown(&buf, doc)
	case HTML:
		err = document.HTML(&buf, doc)
	case PDF:
		err = document.PDF(&buf, doc)
	default:
		err = fmt.Errorf("unknown format %q; use md, html or pdf", string(f))
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Documents lays out the set: the overview first, then each plan in the
// order of b.Plans, each with its file name without extension.
func (b *Book) Documents() ([]string, []*document.Document) {
	names := []string{OverviewFile}
	docs := []*document.Document{b.OverviewDocument()}
	for _, p := range b.Plans {
		names = append(names, p.File)
		docs = append(docs, b.PlanDocument(p))
	}
	return names, docs
}

// Files renders the whole set in each of the formats: for each document,
// one file per format, named after the document with the format's
// extension ("00-overview.md", "plan-corvex-core-saas.pdf"). Documents are
// rendered in parallel; the result is in document order, then format
// order.
func (b *Book) Files(formats ...Format) ([]File, error) {
	names, docs := b.Documents()
	return RenderAll(names, docs, formats)
}

// RenderAll renders each document (named by names, without extension) in
// each format, in parallel, and returns the files in document order, then
// format order.
func RenderAll(names []string, docs []*document.Document, formats []Format) ([]File, error) {
	if len(formats) == 0 {
		formats = Formats
	}
	for _, f := range formats {
		if _, ok := ParseFormat(string(f)); !ok {
			return nil, fmt.Errorf("unknown format %q; use md, html or pdf", string(f))
		}
	}
	out := make([]File, len(docs)*len(formats))
	errs := make([]error, len(out))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, doc := range docs {
		for j, f := range formats {
			k := i*len(formats) + j
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				data, err := Render(doc, f)
				if err != nil {
					errs[k] = fmt.Errorf("%s.%s: %w", names[i], f, err)
					return
				}
				out[k] = File{Name: names[i] + "." + string(f), Data: data}
			}()
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
