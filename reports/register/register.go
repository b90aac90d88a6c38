// Package register writes the critical partner register: one row per
// vendor with the functions it supports, its single-point and cut-set
// membership, the time to first breach and modeled loss of its typical
// outage, its liability cap and uncovered exposure, exit plan,
// substitutability, last review and escalation contact, as XLSX (frozen
// header, filters, column widths, number formats) or CSV. It reads the
// plan set's view model (reports/plan) so that the register and the plans
// show the same numbers; it computes nothing.
package register

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/reports/plan"
)

// Kind is how a column's values are typed in a spreadsheet.
type Kind uint8

// The kinds.
const (
	Text  Kind = iota // free text
	Money             // an amount in the map's currency
)

// Column is one column of the register.
type Column struct {
	Title string
	Kind  Kind
	// Width is the column's width in XLSX, in characters.
	Width float64
}

// Value is one cell: Text, or a number when Num is set (Text then holds
// its plain form).
type Value struct {
	Text string
	Num  *float64
}

// Register is the view model of the register: every renderer reads it.
type Register struct {
	Name     string
	Currency string
	// DefaultOutage is the outage assumed for vendors without one.
	DefaultOutage graph.Duration
	Columns       []Column
	// Rows has one row per vendor, in the order of plan.Book.Vendors
	// (critical partners first, most urgent first, then the rest by name);
	// each row has one value per column.
	Rows [][]Value
}

// The columns, in order. Durations are text in the map's form ("2h30m"):
// spreadsheets would read them as times of day.
var columns = []Column{
	{"Vendor", Text, 34},
	{"Vendor ID", Text, 22},
	{"LEI", Text, 23},
	{"Country", Text, 8},
	{"Parent company", Text, 28},
	{"Critical partner", Text, 10},
	{"Functions supported directly", Text, 45},
	{"Functions supported through other vendors", Text, 45},
	{"Single point of failure for", Text, 40},
	{"Order-2 cut sets (core function, with)", Text, 45},
	{"Typical outage", Text, 10},
	{"Time to first breach, no fallbacks", Text, 14},
	{"Time to first breach, with fallbacks", Text, 14},
	{"Function breached first", Text, 30},
	{"Modeled loss, no fallbacks", Money, 16},
	{"Modeled loss, with fallbacks", Money, 16},
	{"Liability cap", Money, 16},
	{"Uncovered exposure", Money, 16},
	{"Contract", Text, 16},
	{"Exit plan", Text, 45},
	{"Substitutability", Text, 12},
	{"Last review", Text, 12},
	{"Review status", Text, 12},
	{"Relationship owner", Text, 28},
	{"Escalation contact", Text, 50},
	{"Plan", Text, 30},
}

func text(s string) Value { return Value{Text: s} }

func money(v float64) Value {
	v = math.Round(v*100) / 100
	return Value{Text: strconv.FormatFloat(v, 'f', -1, 64), Num: &v}
}

func names(rs []plan.Ref) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Short
	}
	return strings.Join(out, "; ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// New builds the register from a plan set's view model.
func New(b *plan.Book) *Register {
	r := &Register{Name: b.Name, Currency: b.Currency, DefaultOutage: b.DefaultOutage, Columns: columns}
	for _, v := range b.Vendors {
		var cuts []string
		for _, c := range v.CutSets {
			cuts = append(cuts, c.Function.Short+" (with "+c.With.Short+")")
		}
		outage := v.Outage.String()
		if !v.OutageGiven {
			outage += " (assumed)"
		}
		breach := func(b *plan.Breach) string {
			if b == nil {
				return "none"
			}
			return b.At.String()
		}
		first := ""
		if v.FirstBreach != nil {
			first = v.FirstBreach.Function.Short
		}
		row := []Value{
			text(v.Name), text(v.ID), text(v.LEI), text(v.Country), text(v.Parent), text(yesNo(v.Plan != nil)),
			text(names(v.Direct)), text(names(v.Through)), text(names(v.SinglePointFor)), text(strings.Join(cuts, "; ")),
			text(outage), text(breach(v.FirstBreach)), text(breach(v.FirstBreachWith)), text(first),
			money(v.Exposure.LossWithout), money(v.Exposure.LossWith),
		}
		c := v.Contract
		switch {
		case c == nil:
			row = append(row, text("no contract"))
		case c.LiabilityCap <= 0:
			row = append(row, text("none"))
		default:
			row = append(row, money(c.LiabilityCap))
		}
		row = append(row, money(v.Exposure.Uncovered))
		if c == nil {
			row = append(row, text(""), text(""), text(""), text(""))
		} else {
			row = append(row, text(c.Ref), text(c.ExitPlan), text(c.Substitutability), text(c.Reviewed))
		}
		review := v.Review
		if review == "" && c != nil && c.Reviewed != "" && b.ReviewsJudged {
			review = "current"
		}
		row = append(row, text(review), text(v.Owner))
		contact := ""
		if len(v.Contacts) > 0 {
			contact = plan.ContactText(v.Contacts[0])
		}
		row = append(row, text(contact))
		file := ""
		if v.Plan != nil {
			file = v.Plan.File
		}
		row = append(row, text(file))
		r.Rows = append(r.Rows, row)
	}
	return r
}

// WriteCSV writes the register as CSV (RFC 4180): a header row, then one
// row per vendor. Amounts are plain numbers in the map's currency, named
// in the header; durations are text.
func (r *Register) WriteCSV(w io.Writer) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	head := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		head[i] = c.Title
		if c.Kind == Money && r.Currency != "" {
			head[i] += " (" + r.Currency + ")"
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, row := range r.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = v.Text
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Write writes the register to path, as XLSX or CSV by the path's
// extension (.xlsx, .csv), whole or not at all.
func Write(path string, r *Register) error {
	var buf bytes.Buffer
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		err = r.WriteXLSX(&buf)
	case ".csv":
		err = r.WriteCSV(&buf)
	default:
		return fmt.Errorf("register: %s: unknown format; name the file .xlsx or .csv", path)
	}
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	return plan.WriteFile(path, buf.Bytes())
}

// Build makes the register of a valid map from the analysis results (see
// assess.Gather) and the workspace settings: every vendor, the plan set's
// critical partners first.
func Build(m *graph.Map, a *assess.Analyses, cfg plan.Config) (*Register, error) {
	cfg.Vendors = nil
	b, err := plan.Build(m, a, cfg)
	if err != nil {
		return nil, err
	}
	return New(b), nil
}
