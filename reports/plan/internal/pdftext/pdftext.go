// Package pdftext reads back the pages and text of the PDFs lifeboat
// writes, for tests: it inflates the streams, maps the embedded fonts'
// glyph ids to text through their ToUnicode maps and returns each page's
// text, one line per text object. It reads the subset of PDF that
// reports/plan/document writes, not PDF in general.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

var (
	reKids     = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	reRef      = regexp.MustCompile(`(\d+) 0 R`)
	reContents = regexp.MustCompile(`/Contents\s+(\d+) 0 R`)
	reFontRes  = regexp.MustCompile(`/(F\d+)\s+(\d+) 0 R`)
	reToUni    = regexp.MustCompile(`/ToUnicode\s+(\d+) 0 R`)
	reRange    = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	reChar     = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	reToken    = regexp.MustCompile(`/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b`)
)

type object struct {
	dict, stream []byte
}

// Pages returns the text of every page, in page order.
func Pages(pdf []byte) ([]string, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("pdftext: no %PDF- header")
	}
	if !bytes.Contains(pdf[max(0, len(pdf)-64):], []byte("%%EOF")) {
		return nil, errors.New("pdftext: no %%EOF trailer")
	}
	objs, err := objects(pdf)
	if err != nil {
		return nil, err
	}
	// Fonts by resource name, each with its glyph map.
	fonts := map[string]map[uint16]string{}
	for _, o := range objs {
		if !bytes.Contains(o.dict, []byte("/Font")) {
			continue
		}
		for _, m := range reFontRes.FindAllSubmatch(o.dict, -1) {
			fnum, _ := strconv.Atoi(string(m[2]))
			f := objs[fnum]
			if f == nil {
				continue
			}
			tu := reToUni.FindSubmatch(f.dict)
			if tu == nil {
				continue
			}
			cnum, _ := strconv.Atoi(string(tu[1]))
			if c := objs[cnum]; c != nil {
				fonts[string(m[1])] = cmap(c.stream)
			}
		}
	}
	// Pages in the order of the page tree's kids.
	var kids []int
	for _, o := range objs {
		if bytes.Contains(o.dict, []byte("/Type /Pages")) {
			if k := reKids.FindSubmatch(o.dict); k != nil {
				for _, r := range reRef.FindAllSubmatch(k[1], -1) {
					n, _ := strconv.Atoi(string(r[1]))
					kids = append(kids, n)
				}
			}
		}
	}
	if len(kids) == 0 {
		return nil, errors.New("pdftext: no pages")
	}
	var pages []string
	for _, k := range kids {
		p := objs[k]
		if p == nil {
			return nil, fmt.Errorf("pdftext: page object %d missing", k)
		}
		var text strings.Builder
		for _, c := range reContents.FindAllSubmatch(p.dict, -1) {
			n, _ := strconv.Atoi(string(c[1]))
			if o := objs[n]; o != nil {
				decode(&text, o.stream, fonts)
			}
		}
		pages = append(pages, text.String())
	}
	return pages, nil
}

// Text is the text of every page, pages separated by form feeds.
func Text(pdf []byte) (string, error) {
	ps, err := Pages(pdf)
	return strings.Join(ps, "\f"), err
}

var (
	reObjStart = regexp.MustCompile(`(\d+) 0 obj\b`)
	reLength   = regexp.MustCompile(`/Length\s+(\d+)\b`)
)

// objects reads every object, taking each stream's length from its
// dictionary, since compressed data may hold any bytes.
func objects(pdf []byte) (map[int]*object, error) {
	objs := map[int]*object{}
	pos := 0
	for {
		loc := reObjStart.FindSubmatchIndex(pdf[pos:])
		if loc == nil {
			break
		}
		num, _ := strconv.Atoi(string(pdf[pos+loc[2] : pos+loc[3]]))
		at := pos + loc[1]
		end := bytes.Index(pdf[at:], []byte("endobj"))
		si := bytes.Index(pdf[at:], []byte("stream"))
		o := &object{}
		if si >= 0 && (end < 0 || si < end) {
			o.dict = pdf[at : at+si]
			lm := reLength.FindSubmatch(o.dict)
			if lm == nil {
				return nil, fmt.Errorf("pdftext: object %d: stream without a direct /Length", num)
			}
			n, _ := strconv.Atoi(string(lm[1]))
			ds := at + si + len("stream")
			if ds < len(pdf) && pdf[ds] == '\r' {
				ds++
			}
			if ds < len(pdf) && pdf[ds] == '\n' {
				ds++
			}
			if ds+n > len(pdf) {
				return nil, fmt.Errorf("pdftext: object %d: stream runs past the end of the file", num)
			}
			data := pdf[ds : ds+n]
			if bytes.Contains(o.dict, []byte("FlateDecode")) {
				r, err := zlib.NewReader(bytes.NewReader(data))
				if err != nil {
					return nil, fmt.Errorf("pdftext: object %d: %w", num, err)
				}
				if data, err = io.ReadAll(r); err != nil {
					return nil, fmt.Errorf("pdftext: object %d: %w", num, err)
				}
			}
			o.stream = data
			after := bytes.Index(pdf[ds+n:], []byte("endobj"))
			if after < 0 {
				return nil, fmt.Errorf("pdftext: object %d: no endobj", num)
			}
			pos = ds + n + after + len("endobj")
		} else {
			if end < 0 {
				return nil, fmt.Errorf("pdftext: object %d: no endobj", num)
			}
			o.dict = pdf[at : at+end]
			pos = at + end + len("endobj")
		}
		objs[num] = o
	}
	return objs, nil
}

func cmap(data []byte) map[uint16]string {
	out := map[uint16]string{}
	hex := func(b []byte) uint64 { v, _ := strconv.ParseUint(string(b), 16, 32); return v }
	for _, sec := range bytes.Split(data, []byte("beginbfrange"))[1:] {
		sec, _, _ = bytes.Cut(sec, []byte("endbfrange"))
		for _, m := range reRange.FindAllSubmatch(sec, -1) {
			lo, hi, u := hex(m[1]), hex(m[2]), hex(m[3])
			for g := lo; g <= hi && g-lo < 1<<16; g++ {
				out[uint16(g)] = string(rune(u + g - lo))
			}
		}
	}
	for _, sec := range bytes.Split(data, []byte("beginbfchar"))[1:] {
		sec, _, _ = bytes.Cut(sec, []byte("endbfchar"))
		for _, m := range reChar.FindAllSubmatch(sec, -1) {
			out[uint16(hex(m[1]))] = string(rune(hex(m[2])))
		}
	}
	return out
}

func decode(b *strings.Builder, content []byte, fonts map[string]map[uint16]string) {
	var cur map[uint16]string
	for _, m := range reToken.FindAllSubmatch(content, -1) {
		switch {
		case m[1] != nil:
			cur = fonts[string(m[1])]
		case bytes.Equal(m[0], []byte("ET")):
			b.WriteByte('\n')
		default:
			h := m[2]
			for i := 0; i+4 <= len(h); i += 4 {
				g, _ := strconv.ParseUint(string(h[i:i+4]), 16, 16)
				if s, ok := cur[uint16(g)]; ok {
					b.WriteString(s)
				} else {
					b.WriteRune('\uFFFD')
				}
			}
		}
	}
}
