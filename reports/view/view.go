// Package view turns analysis results into the view models every lifeboat
// renderer reads: one model per result (Validate, Import, Impact, Analyze).
// The models' JSON encoding is lifeboat's documented JSON contract: field
// names never change, lists are never null, and every list is in a stated,
// deterministic order. Building a view only arranges results; it computes no
// analysis.
package view

import (
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// MapInfo names the map a result is about.
type MapInfo struct {
	Name     string `json:"name"`
	Currency string `json:"currency"`
}

// Counts are a map's sizes by kind.
type Counts struct {
	Functions int `json:"functions"`
	Systems   int `json:"systems"`
	Vendors   int `json:"vendors"`
	Fallbacks int `json:"fallbacks"`
}

// CountMap counts m's nodes by kind and its fallbacks. A nil map counts
// nothing.
func CountMap(m *graph.Map) Counts {
	var c Counts
	if m == nil {
		return c
	}
	for _, n := range m.Nodes {
		c.add(n.Kind)
	}
	c.Fallbacks = len(m.Fallbacks)
	return c
}

// CountBatch counts what one importer read, before merging.
func CountBatch(b *graph.Batch) Counts {
	var c Counts
	if b == nil {
		return c
	}
	for _, n := range b.Nodes {
		c.add(n.Kind)
	}
	c.Fallbacks = len(b.Fallbacks)
	return c
}

func (c *Counts) add(k graph.Kind) {
	switch k {
	case graph.KindFunction:
		c.Functions++
	case graph.KindSystem:
		c.Systems++
	case graph.KindVendor:
		c.Vendors++
	}
}

// Problem is one located problem in the input.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"` // error | warning | info
	Message  string `json:"message"`
	Hint     string `json:"hint"`
	// Text is the compiler-style one-line form, file:line:col: severity: message; hint.
	Text string `json:"-"`
}

// Problems converts problems in the order given.
func Problems(ps graph.Problems) []Problem {
	out := make([]Problem, 0, len(ps))
	for _, p := range ps {
		out = append(out, Problem{
			File: p.Pos.File, Line: p.Pos.Line, Col: p.Pos.Col,
			Severity: p.Severity.String(), Message: p.Msg, Hint: p.Hint,
			Text: p.String(),
		})
	}
	return out
}

// strs returns s, or an empty non-nil slice: JSON lists are never null.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// sortedCopy returns a sorted copy of s, never nil.
func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// label is id's name in m, or id when m does not know it or it has none.
func label(m *graph.Map, id string) string {
	if m == nil {
		return id
	}
	if n := m.Node(id); n != nil {
		return n.Label()
	}
	return id
}

func mapInfo(m *graph.Map) MapInfo {
	if m == nil {
		return MapInfo{}
	}
	return MapInfo{Name: m.Name, Currency: m.Currency}
}
