package diagram

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is a file format a diagram can be written in.
type Format uint8

// The formats. DOT and Mermaid are written by this package; SVG and PNG
// need a layout, and the render package draws them.
const (
	FormatDOT     Format = iota + 1 // Graphviz DOT: .dot, .gv
	FormatSVG                       // .svg
	FormatPNG                       // .png
	FormatMermaid                   // Mermaid flowchart: .mmd, .mermaid
)

var formatNames = map[Format]string{FormatDOT: "dot", FormatSVG: "svg", FormatPNG: "png", FormatMermaid: "mermaid"}

// String names the format: "dot", "svg", "png" or "mermaid".
func (f Format) String() string {
	if s, ok := formatNames[f]; ok {
		return s
	}
	return fmt.Sprintf("format(%d)", uint8(f))
}

// Extensions lists the file extensions FormatOf knows, in a fixed order.
var Extensions = []string{".dot", ".gv", ".svg", ".png", ".mmd", ".mermaid"}

// FormatOf picks the format from a file name's extension, in any case.
// An unknown or missing extension is an error that lists the known ones.
func FormatOf(path string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".dot", ".gv":
		return FormatDOT, nil
	case ".svg":
		return FormatSVG, nil
	case ".png":
		return FormatPNG, nil
	case ".mmd", ".mermaid":
		return FormatMermaid, nil
	case "":
		return 0, fmt.Errorf("%s: no file extension to choose the format by; use one of %s", path, strings.Join(Extensions, ", "))
	default:
		return 0, fmt.Errorf("%s: unknown diagram format %q; use one of %s", path, ext, strings.Join(Extensions, ", "))
	}
}
