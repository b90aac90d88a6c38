package openpsa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// maxDepth bounds element nesting, so that hostile input cannot make the
// importer recurse without end.
const maxDepth = 1000

// elem is one XML element with the position of its '<'.
type elem struct {
	name string
	attr []xml.Attr
	kids []*elem
	text string // character data directly inside, trimmed
	pos  graph.Pos
}

// get returns the value of attribute name and whether it is present.
func (e *elem) get(name string) (string, bool) {
	for _, a := range e.attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// parseXML reads data into a tree of elements. Every position names file.
// A syntax error is returned as a located problem and a nil tree.
func parseXML(file string, data []byte) (*elem, *graph.Problem) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	at := func(line, col int) graph.Pos {
		return graph.Pos{File: file, Line: line, Col: col, Importer: "openpsa"}
	}
	var root *elem
	var stack []*elem
	var text [][]byte
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF && len(stack) == 0 {
			break
		}
		if err != nil {
			l, c := d.InputPos()
			var se *xml.SyntaxError
			msg := err.Error()
			if errors.As(err, &se) {
				msg = se.Msg
				if se.Line > l {
					l, c = se.Line, 0
				}
			}
			if (err == io.EOF || msg == "unexpected EOF") && len(stack) > 0 {
				top := stack[len(stack)-1]
				return nil, &graph.Problem{Pos: at(l, c), Severity: graph.Error,
					Msg:  fmt.Sprintf("malformed XML: unexpected end of file: <%s> opened at %d:%d is not closed", top.name, top.pos.Line, top.pos.Col),
					Hint: "the file may be truncated"}
			}
			return nil, &graph.Problem{Pos: at(l, c), Severity: graph.Error,
				Msg: "malformed XML: " + msg}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, &graph.Problem{Pos: at(line, col), Severity: graph.Error,
					Msg: fmt.Sprintf("elements nest more than %d deep", maxDepth)}
			}
			e := &elem{name: t.Name.Local, attr: t.Attr, pos: at(line, col)}
			if len(stack) == 0 {
				if root != nil {
					return nil, &graph.Problem{Pos: e.pos, Severity: graph.Error,
						Msg: fmt.Sprintf("malformed XML: a second root element <%s>", e.name)}
				}
				root = e
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, e)
			}
			stack = append(stack, e)
			text = append(text, nil)
		case xml.EndElement:
			top := stack[len(stack)-1]
			top.text = strings.TrimSpace(string(text[len(text)-1]))
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1] = append(text[len(text)-1], t...)
			}
		}
	}
	if root == nil {
		return nil, &graph.Problem{Pos: at(1, 1), Severity: graph.Error,
			Msg: "no XML element in the file", Hint: "an Open-PSA model starts with <opsa-mef>"}
	}
	return root, nil
}

// charsetReader lets files declared as Latin-1 or ASCII load; UTF-8 needs
// no reader.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii":
		data, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		for _, c := range data {
			b.WriteRune(rune(c))
		}
		return &b, nil
	case "utf8":
		return in, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q; save the file as UTF-8", label)
}
