package table

import (
	"fmt"
	"io"
	"strings"

	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// Validate writes every problem as a compiler-style line
// (file:line:col: severity: message; hint), then a one-line summary.
func Validate(w io.Writer, v *view.Validate) error {
	var p printer
	for _, pr := range v.Problems {
		p.line(pr.Text)
	}
	p.line(validateSummary(v))
	return p.flush(w)
}

func validateSummary(v *view.Validate) string {
	issues := plural(v.Errors, "error") + ", " + plural(v.Warnings, "warning")
	if !v.Valid {
		return "invalid: " + issues
	}
	parts := []string{
		plural(v.Nodes.Functions, "function"),
		plural(v.Nodes.Systems, "system"),
		plural(v.Nodes.Vendors, "vendor"),
		plural(v.Nodes.Fallbacks, "fallback"),
	}
	s := fmt.Sprintf("valid: %s; %s", strings.Join(parts, ", "), issues)
	if v.Cycles > 0 {
		s += "; " + plural(v.Cycles, "cycle")
	}
	return s
}

// Import writes what one source yields: its importer, counts per kind and
// its problems.
func Import(w io.Writer, v *view.Import) error {
	var p printer
	p.f("%s (%s)\n", v.Source, v.Importer)
	p.table("  ", nil, [][]string{
		{"functions", fmt.Sprint(v.Nodes.Functions)},
		{"systems", fmt.Sprint(v.Nodes.Systems)},
		{"vendors", fmt.Sprint(v.Nodes.Vendors)},
		{"fallbacks", fmt.Sprint(v.Nodes.Fallbacks)},
	})
	for _, pr := range v.Problems {
		p.line(pr.Text)
	}
	p.line(plural(v.Errors, "error") + ", " + plural(v.Warnings, "warning"))
	return p.flush(w)
}
