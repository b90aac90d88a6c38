package graph

import (
	"fmt"
	"sort"
	"strings"
)

// Severity grades a problem.
type Severity uint8

// Severities, gravest first.
const (
	Error   Severity = iota + 1 // the map is wrong; analyses refuse it
	Warning                     // probably wrong, or results need care
	Info                        // worth knowing (cycles, merged duplicates)
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "unknown"
}

// Problem is something wrong or notable in the input, with its location.
type Problem struct {
	Pos      Pos
	Severity Severity
	Msg      string // what is wrong, lower case
	Hint     string // how to fix it, when one helps
	// Related are other positions involved (the first definition of a
	// duplicate, say).
	Related []Pos
}

// String renders the problem like a compiler message:
// "file:line:col: error: what; hint", leaving out the unknown parts of
// the position (and its ": " when nothing is known) and the hint when
// there is none.
func (p Problem) String() string {
	var b strings.Builder
	if s := p.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(p.Severity.String())
	b.WriteString(": ")
	b.WriteString(p.Msg)
	if p.Hint != "" {
		b.WriteString("; ")
		b.WriteString(p.Hint)
	}
	return b.String()
}

// Problems is a list of problems.
type Problems []Problem

// Errorf appends an error at pos.
func (ps *Problems) Errorf(pos Pos, format string, a ...any) {
	*ps = append(*ps, Problem{Pos: pos, Severity: Error, Msg: fmt.Sprintf(format, a...)})
}

// Warnf appends a warning at pos.
func (ps *Problems) Warnf(pos Pos, format string, a ...any) {
	*ps = append(*ps, Problem{Pos: pos, Severity: Warning, Msg: fmt.Sprintf(format, a...)})
}

// Add appends p.
func (ps *Problems) Add(p Problem) { *ps = append(*ps, p) }

// HasErrors reports whether any problem is an error.
func (ps Problems) HasErrors() bool { return ps.Count(Error) > 0 }

// Count returns how many problems have severity s.
func (ps Problems) Count(s Severity) int {
	n := 0
	for _, p := range ps {
		if p.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders problems by file, line, column, then severity and message.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Msg < b.Msg
	})
}

// InvalidError is returned when a map has errors; it carries every problem
// found, errors and the rest.
type InvalidError struct {
	Problems Problems
}

func (e *InvalidError) Error() string {
	n := e.Problems.Count(Error)
	first := ""
	for _, p := range e.Problems {
		if p.Severity == Error {
			first = p.String()
			break
		}
	}
	if n == 1 {
		return "invalid map: " + first
	}
	return fmt.Sprintf("invalid map: %d errors, the first: %s", n, first)
}
