package register

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
	"github.com/lifeboat-dev/lifeboat/reports/plan"
)

func northbank(t *testing.T) (*Register, *plan.Book) {
	t.Helper()
	ctx := context.Background()
	m, ps, err := registry.Load(ctx, []registry.Spec{{Path: "../../examples/northbank/map"}})
	if err != nil || m == nil || ps.HasErrors() {
		t.Fatalf("loading examples/northbank: %v %v", err, ps)
	}
	a, err := assess.Gather(ctx, m, assess.GatherOptions{MVC: mvc.Options{MaxNodes: 1 << 22}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := plan.Build(m, a, plan.Config{Name: "Northbank", Currency: "EUR",
		CrisisLead: "Chief Operating Officer", Spokesperson: "Head of Corporate Communications"})
	if err != nil {
		t.Fatal(err)
	}
	return New(b), b
}

func col(r *Register, title string) int {
	for i, c := range r.Columns {
		if c.Title == title {
			return i
		}
	}
	return -1
}

func TestCSVGolden(t *testing.T) {
	r, _ := northbank(t)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "northbank.csv")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("northbank.csv differs from the golden file; run with UPDATE_GOLDEN=1 to accept")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v", err)
	}
	if len(recs) != len(r.Rows)+1 || recs[0][0] != "Vendor" || !strings.HasSuffix(recs[0][col(r, "Liability cap")], "(EUR)") {
		t.Errorf("CSV: %d records, header %q", len(recs), recs[0])
	}
}

func TestXLSX(t *testing.T) {
	r, b := northbank(t)
	path := filepath.Join(t.TempDir(), "register.xlsx")
	if err := Write(path, r); err != nil {
		t.Fatalf("Write: %v", err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("reading the XLSX back: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != SheetName || got[1] != AboutSheet {
		t.Errorf("sheets = %v", got)
	}
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(b.Vendors)+1 {
		t.Fatalf("%d rows, want a header and one per vendor (%d)", len(rows), len(b.Vendors))
	}
	for i, c := range r.Columns {
		if rows[0][i] != c.Title {
			t.Errorf("header %d = %q, want %q", i, rows[0][i], c.Title)
		}
	}
	panes, err := f.GetPanes(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 1 || panes.TopLeftCell != "B2" {
		t.Errorf("panes = %+v, want the header row and first column frozen", panes)
	}
	dn := f.GetDefinedName()
	filtered := false
	for _, d := range dn {
		filtered = filtered || d.Name == "_xlnm._FilterDatabase" && strings.Contains(d.RefersTo, "$A$1:$Z$")
	}
	if !filtered {
		t.Errorf("no autofilter over the register: defined names %+v", dn)
	}
	if w, err := f.GetColWidth(SheetName, "A"); err != nil || w != r.Columns[0].Width {
		t.Errorf("column A width = %v, %v; want %v", w, err, r.Columns[0].Width)
	}

	// The first row is the most urgent partner, the hidden EDR supplier:
	// its values are the plan's.
	p := b.Plans[0]
	row := rows[1]
	if row[0] != p.Vendor.Name || row[col(r, "Vendor ID")] != "sentinel-shield-edr" || row[col(r, "Critical partner")] != "yes" {
		t.Errorf("row 2 = %q", row[:6])
	}
	if got := row[col(r, "Time to first breach, no fallbacks")]; got != "2h" {
		t.Errorf("time to first breach = %q, want 2h (text)", got)
	}
	if got := row[col(r, "Functions supported through other vendors")]; !strings.Contains(got, "Debit and credit card payments") {
		t.Errorf("functions through other vendors = %q", got)
	}
	// Amounts are numbers, shown in euros.
	lossCol, _ := excelize.ColumnNumberToName(col(r, "Modeled loss, with fallbacks") + 1)
	v, err := f.GetCellValue(SheetName, lossCol+"2", excelize.Options{RawCellValue: true})
	if err != nil || v != "2310500" {
		t.Errorf("loss cell raw value = %q, %v; want 2310500", v, err)
	}
	shown, _ := f.GetCellValue(SheetName, lossCol+"2")
	if shown != plan.Money(p.Exposure.LossWith, "EUR") {
		t.Errorf("loss cell shows %q, want %q", shown, plan.Money(p.Exposure.LossWith, "EUR"))
	}
	cap := rows[1][col(r, "Liability cap")]
	if cap != "no contract" {
		t.Errorf("liability cap of a fourth party = %q", cap)
	}
}

func TestWriteBadExtension(t *testing.T) {
	if err := Write(filepath.Join(t.TempDir(), "register.ods"), &Register{Columns: columns}); err == nil || !strings.Contains(err.Error(), ".xlsx or .csv") {
		t.Errorf("Write(.ods) error = %v", err)
	}
}

func TestMoneyFormat(t *testing.T) {
	for cur, want := range map[string]string{"EUR": `"€"#,##0`, "chf": `#,##0 "CHF"`, "": "#,##0"} {
		if got := (&Register{Currency: cur}).moneyFormat(); got != want {
			t.Errorf("moneyFormat(%q) = %q, want %q", cur, got, want)
		}
	}
}
