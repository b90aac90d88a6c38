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

// Write encodes v to w as indented JSON followed by a newline. Nothing is
// written when v cannot be encoded.
func Write(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding json: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
