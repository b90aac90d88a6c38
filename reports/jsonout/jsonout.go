// Package jsonout renders lifeboat's view models as JSON: indented two
// spaces, HTML characters left alone, one trailing newline. The contract
// (field names, list order, lists never null) lives in the view models of
// reports/view; this package only encodes them.
package jsonout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Write encodes v to w as indented JSON followed by a newline: the bytes
// of a json.Encoder with SetEscapeHTML(false) and SetIndent("", "  ").
// Nothing is written when v cannot be encoded.
func Write(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding json: %w", err)
	}
	// Encode leaves compact JSON and a newline; indenting it here, in one
	// pass that only tracks strings and nesting, is several times faster
	// than the encoder's own indentation, which rescans every byte with
	// the full JSON state machine (it matters for reports of many
	// megabytes).
	compact := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	out := appendIndent(make([]byte, 0, len(compact)+len(compact)/2), compact)
	out = append(out, '\n')
	_, err := w.Write(out)
	return err
}

// spaces is the indentation appended after a newline, two per level.
var spaces = bytes.Repeat([]byte(" "), 256)

// appendIndent appends to dst the valid compact JSON src indented as
// json.Indent(dst, src, "", "  ") would: a newline and two spaces per
// level after every opening bracket and comma, and before every closing
// bracket; ": " after a key; empty arrays and objects stay "[]" and "{}".
func appendIndent(dst, src []byte) []byte {
	depth := 0
	needIndent := false // after an opening bracket: indent unless it closes
	newline := func() {
		dst = append(dst, '\n')
		for n := 2 * depth; n > 0; n -= len(spaces) {
			dst = append(dst, spaces[:min(n, len(spaces))]...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != ']' && c != '}' {
			needIndent = false
			depth++
			newline()
		}
		switch c {
		case '"':
			// Copy the string whole: up to the quote that no backslash
			// escapes.
			j := i + 1
			for j < len(src) {
				k := bytes.IndexAny(src[j:], `"\`)
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				if src[j] == '\\' {
					j += 2
					continue
				}
				break
			}
			end := min(j+1, len(src))
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				newline()
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
