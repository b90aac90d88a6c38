// Package jsonout renders lifeboat's view models as JSON: indented two
// spaces, HTML characters left alone, one trailing newline. The contract
// (field names, list order, lists never null) lives in the view models of
// reports/view; this package only encodes them.
package jsonout

import (
	"encoding/json"
	"fmt"
	"io"
)

// Write encodes v to w as indented JSON followed by a newline: the bytes
// of a json.Encoder with SetEscapeHTML(false) and SetIndent("", "  ").
// Nothing is written when v cannot be encoded.
//
// The encoder writes compact JSON, which is indented on its way to w in
// one pass that only tracks strings and nesting: several times faster
// than the encoder's own indentation, which rescans every byte with the
// full JSON state machine, and without a second copy of the whole text
// (reports of large maps run to tens of megabytes).
func Write(w io.Writer, v any) error {
	in := &indenter{w: w}
	enc := json.NewEncoder(in)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		if in.wrote {
			return err // writing failed, not encoding
		}
		return fmt.Errorf("encoding json: %w", err)
	}
	return nil
}

// spaces is the indentation appended after a newline, two per level.
var spaces = []byte("                                                                ")

// flushAt is the size at which indented output is passed on.
const flushAt = 64 << 10

// indenter is an io.Writer that receives valid compact JSON, in pieces
// cut anywhere, and passes it on to w indented as json.Indent(dst, src,
// "", "  ") would: a newline and two spaces per level after every opening
// bracket and comma and before every closing bracket, ": " after a key,
// empty arrays and objects kept as "[]" and "{}". Other bytes, the
// encoder's final newline included, pass unchanged.
type indenter struct {
	w     io.Writer
	wrote bool // Write was called
	buf   []byte
	depth int
	// needIndent: after an opening bracket, indent unless it closes.
	needIndent bool
	inString   bool
	escaped    bool // in a string, after a backslash
}

func (d *indenter) Write(p []byte) (int, error) {
	d.wrote = true
	dst, err := d.indent(d.buf[:0], p)
	if err == nil {
		_, err = d.w.Write(dst)
	}
	d.buf = dst[:0]
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// indent appends p indented to dst, writing dst out to d.w whenever it
// grows past flushAt; it returns what is left to write.
func (d *indenter) indent(dst, p []byte) ([]byte, error) {
	for i := 0; i < len(p); {
		if len(dst) >= flushAt {
			if _, err := d.w.Write(dst); err != nil {
				return dst, err
			}
			dst = dst[:0]
		}
		if d.inString {
			// Copy up to and including the quote no backslash escapes.
			j := i
			for j < len(p) {
				c := p[j]
				j++
				if d.escaped {
					d.escaped = false
				} else if c == '\\' {
					d.escaped = true
				} else if c == '"' {
					d.inString = false
					break
				}
			}
			dst = append(dst, p[i:j]...)
			i = j
			continue
		}
		c := p[i]
		i++
		if d.needIndent && c != ']' && c != '}' {
			d.needIndent = false
			d.depth++
			dst = d.newline(dst)
		}
		switch c {
		case '"':
			d.inString = true
			dst = append(dst, c)
		case '{', '[':
			d.needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = d.newline(dst)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if d.needIndent {
				d.needIndent = false
			} else {
				d.depth--
				dst = d.newline(dst)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

func (d *indenter) newline(dst []byte) []byte {
	dst = append(dst, '\n')
	for n := 2 * d.depth; n > 0; n -= len(spaces) {
		dst = append(dst, spaces[:min(n, len(spaces))]...)
	}
	return dst
}
