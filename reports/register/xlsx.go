package register

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// SheetName is the name of the register's worksheet; AboutSheet explains
// it.
const (
	SheetName  = "Register"
	AboutSheet = "About"
)

// currencyFormats are the number formats of amounts in currencies with a
// sign; other currencies are written after the amount.
var currencyFormats = map[string]string{"EUR": `"€"#,##0`, "USD": `"$"#,##0`, "GBP": `"£"#,##0`, "JPY": `"¥"#,##0`}

// moneyFormat is the number format of amounts in the register's currency.
func (r *Register) moneyFormat() string {
	cur := strings.ToUpper(strings.TrimSpace(r.Currency))
	if f, ok := currencyFormats[cur]; ok {
		return f
	}
	if cur == "" {
		return "#,##0"
	}
	return `#,##0 "` + strings.ReplaceAll(cur, `"`, "") + `"`
}

// WriteXLSX writes the register as an XLSX workbook: the register sheet
// with a frozen header row and first column, a filter on every column,
// column widths, amounts as numbers in the currency's format and
// durations as text; and a sheet that explains the columns.
func (r *Register) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "1D2939"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E9F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Border:    []excelize.Border{{Type: "bottom", Color: "98A2B3", Style: 1}},
	})
	if err != nil {
		return err
	}
	top, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	nf := r.moneyFormat()
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &nf, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}

	last, err := excelize.ColumnNumberToName(len(r.Columns))
	if err != nil {
		return err
	}
	heads := make([]any, len(r.Columns))
	for i, c := range r.Columns {
		heads[i] = c.Title
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetName, name, name, c.Width); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(SheetName, "A1", &heads); err != nil {
		return err
	}
	if err := f.SetRowHeight(SheetName, 1, 45); err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetName, "A1", last+"1", head); err != nil {
		return err
	}
	for i, row := range r.Rows {
		vals := make([]any, len(row))
		for j, v := range row {
			if v.Num != nil {
				vals[j] = *v.Num
			} else {
				vals[j] = v.Text
			}
		}
		cell := fmt.Sprintf("A%d", i+2)
		if err := f.SetSheetRow(SheetName, cell, &vals); err != nil {
			return err
		}
	}
	if n := len(r.Rows); n > 0 {
		if err := f.SetCellStyle(SheetName, "A2", fmt.Sprintf("%s%d", last, n+1), top); err != nil {
			return err
		}
		for j, c := range r.Columns {
			if c.Kind != Money {
				continue
			}
			name, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetCellStyle(SheetName, name+"2", fmt.Sprintf("%s%d", name, n+1), moneyStyle); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}}}); err != nil {
		return err
	}
	if err := f.AutoFilter(SheetName, fmt.Sprintf("A1:%s%d", last, len(r.Rows)+1), nil); err != nil {
		return err
	}
	if err := r.about(f); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Critical partner register", Subject: r.Name, Creator: "lifeboat"}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// about writes the sheet that says what the register holds.
func (r *Register) about(f *excelize.File) error {
	if _, err := f.NewSheet(AboutSheet); err != nil {
		return err
	}
	cur := r.Currency
	if cur == "" {
		cur = "the map's currency"
	}
	lines := [][]any{
		{"Critical partner register"},
		{"Company", r.Name},
		{"Currency", cur},
		{"Made by", "lifeboat, from the dependency map"},
		{},
		{"Column", "Meaning"},
		{"Critical partner", "yes: the vendor has a fallback plan: it stops a function alone, or is in an order-2 cut set of a core function"},
		{"Functions supported directly", "functions whose own requirements reach the vendor without passing through another vendor"},
		{"Functions supported through other vendors", "functions that reach it only through other vendors: it is their fourth party"},
		{"Single point of failure for", "functions its outage alone stops"},
		{"Order-2 cut sets", "core functions it stops together with one other vendor, and that vendor"},
		{"Typical outage", "the vendor's outage_duration; " + r.DefaultOutage.String() + " (assumed) where the map gives none"},
		{"Time to first breach", "from the start of the typical outage to the first impact tolerance breached, without and with fallbacks; none: no breach"},
		{"Modeled loss", "impact per hour × hours down, plus the capacity shortfall while a fallback runs, over the typical outage"},
		{"Uncovered exposure", "modeled loss with fallbacks beyond the liability cap"},
		{"Review status", "current, overdue, missing or unparseable"},
	}
	for i, l := range lines {
		if err := f.SetSheetRow(AboutSheet, fmt.Sprintf("A%d", i+1), &l); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for _, c := range []string{"A1", "A6", "B6"} {
		if err := f.SetCellStyle(AboutSheet, c, c, bold); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(AboutSheet, "A", "A", 38); err != nil {
		return err
	}
	return f.SetColWidth(AboutSheet, "B", "B", 110)
}
