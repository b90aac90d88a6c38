// Package csv reads and writes lifeboat maps as CSV files, the form
// inventories and spreadsheets export. It reads the files only; merging
// and validation across files are graph.Builder's.
//
// # Files
//
// A file's name says what its rows are: functions.csv, systems.csv,
// vendors.csv or fallbacks.csv (any case, singular too). Any other CSV file
// needs a kind column (function, system, vendor or fallback per row), as
// in a single nodes.csv. A folder source reads every such file below it.
//
// # Columns
//
// The first line names the columns, in any order. Names are matched
// without regard to case, surrounding blanks, or the choice of space, '-'
// or '_' ("Impact per hour" is impact_per_hour). Cells are read trimmed;
// an empty cell is a value not given. A UTF-8 byte order mark, CRLF line
// ends and ';' or tab as the separator (when the header has no comma) are
// accepted.
//
//	id                  every row (fallbacks may leave it empty)
//	kind                function, system, vendor or fallback; needed when the file name does not say
//	name, owner         text
//	requires            the one-line text form: core-banking, any(swift-a, swift-b), 2of(dc-a, dc-b, dc-c)
//	tags, aliases       lists separated by ',' or ';'
//	tier                core, important or supporting (functions)
//	tolerance           duration such as 4h (functions)
//	impact_per_hour     number (functions)
//	regulated           true or false (functions)
//	rto, rpo, buffer, restore     durations
//	responsibility.monitor, responsibility.respond, responsibility.repair
//	lei, country, parent          text (vendors)
//	probability         share between 0 and 1 (systems, vendors)
//	outage_duration     duration (systems, vendors)
//	contract.ref, contract.annual_fee, contract.liability_cap, contract.sla,
//	contract.notice, contract.exit_plan, contract.substitutability, contract.reviewed   (vendors)
//	contact.role, contact.name, contact.phone, contact.email      the first contact (vendors)
//	contact2.role ... contact2.email, contact3.…                  further contacts
//	for                 the node a fallback keeps up (fallbacks)
//	activation, endurance         durations (fallbacks)
//	capacity            share between 0 and 1, default 1 (fallbacks)
//	steps               one step per line inside the cell (fallbacks)
//	attrs.NAME          the free-form attribute NAME
//
// Any other column is kept as a free-form attribute named after its header
// as written, so that inventory exports load without editing; a column
// whose name is close to a known one ("requries") gets a warning with the
// likely name. Every problem is located at file:line:column of the cell.
package csv

import (
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
)

// Name is the importer's name, as written in a source's type.
const Name = "csv"

// Importer reads map CSV files. The zero value is ready to use.
type Importer struct{}

var _ importers.Importer = Importer{}

// Name returns "csv".
func (Importer) Name() string { return Name }

// Match reports whether src is a map CSV file: a .csv file named for a
// kind (see KindOfFile), or one whose header has id and kind columns.
// Folders are not matched: the registry offers their files one by one;
// Import reads a whole folder when asked to with an explicit type.
func (Importer) Match(src importers.Source) bool {
	if src.Type != "" {
		return src.Type == Name
	}
	base := path.Base(src.Path)
	if !strings.EqualFold(path.Ext(base), ".csv") || importers.IsDir(src.FS, src.Path) {
		return false
	}
	if _, ok := KindOfFile(base); ok {
		return true
	}
	f, err := src.FS.Open(src.Path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	return hasKindColumn(head[:n])
}

// hasKindColumn reports whether the first line of a CSV file names id and
// kind columns.
func hasKindColumn(head []byte) bool {
	head = bytes.TrimPrefix(head, bom)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	r := stdcsv.NewReader(bytes.NewReader(head))
	r.Comma = sniffComma(head)
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err != nil {
		return false
	}
	id, kind := false, false
	for _, h := range rec {
		switch normalize(h) {
		case "id":
			id = true
		case "kind":
			kind = true
		}
	}
	return id && kind
}

// rowKind is what one row is: a node kind or a fallback.
type rowKind uint8

const (
	noKind rowKind = iota
	fnRow
	sysRow
	venRow
	fbRow
)

func (k rowKind) String() string {
	switch k {
	case fnRow:
		return "function"
	case sysRow:
		return "system"
	case venRow:
		return "vendor"
	case fbRow:
		return "fallback"
	}
	return "row"
}

func (k rowKind) plural() string { return k.String() + "s" }

func (k rowKind) node() graph.Kind {
	switch k {
	case fnRow:
		return graph.KindFunction
	case sysRow:
		return graph.KindSystem
	case venRow:
		return graph.KindVendor
	}
	return 0
}

func parseRowKind(s string) (rowKind, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "function", "functions":
		return fnRow, true
	case "system", "systems":
		return sysRow, true
	case "vendor", "vendors":
		return venRow, true
	case "fallback", "fallbacks":
		return fbRow, true
	}
	return noKind, false
}

// KindOfFile returns what the rows of a file with this base name are —
// "function", "system", "vendor" or "fallback" — from names such as
// functions.csv or Vendor.CSV; ok is false for other names.
func KindOfFile(base string) (kind string, ok bool) {
	k, ok := kindOfFile(base)
	return k.String(), ok
}

func kindOfFile(base string) (rowKind, bool) {
	stem := strings.TrimSuffix(base, path.Ext(base))
	return parseRowKind(stem)
}

// Import reads src: one CSV file, or every map CSV file below a folder
// (named for a kind, or with a kind column; other CSV files get a warning)
// in path order, into one batch. The error is for a source that cannot be
// read.
func (Importer) Import(ctx context.Context, src importers.Source) (*graph.Batch, error) {
	batch := &graph.Batch{Source: src.Name, Importer: Name}
	if !importers.IsDir(src.FS, src.Path) {
		data, err := fs.ReadFile(src.FS, src.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		return Parse(src.Name, data), nil
	}
	files, err := importers.Files(src.FS, src.Path, func(name string) bool {
		return strings.EqualFold(path.Ext(name), ".csv")
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	if len(files) == 0 {
		batch.Problems.Add(graph.Problem{Pos: graph.Pos{File: src.Name, Importer: Name}, Severity: graph.Warning,
			Msg: "no .csv files in this folder"})
	}
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := fs.ReadFile(src.FS, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", importers.FileName(src, p), err)
		}
		name := importers.FileName(src, p)
		if _, ok := kindOfFile(path.Base(p)); !ok && !hasKindColumn(data) {
			batch.Problems.Add(graph.Problem{Pos: graph.Pos{File: name, Line: 1, Col: 1, Importer: Name}, Severity: graph.Warning,
				Msg:  "skipped: neither the file name nor a kind column says what its rows are",
				Hint: "name it functions.csv, systems.csv, vendors.csv or fallbacks.csv, or add a kind column"})
			continue
		}
		b := Parse(name, data)
		batch.Nodes = append(batch.Nodes, b.Nodes...)
		batch.Fallbacks = append(batch.Fallbacks, b.Fallbacks...)
		batch.Problems = append(batch.Problems, b.Problems...)
	}
	return batch, nil
}

var bom = []byte("\xEF\xBB\xBF")

// sniffComma picks the separator from the header line: ',' unless the
// line has none and has ';' or tabs.
func sniffComma(data []byte) rune {
	line := data
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if bytes.IndexByte(line, ',') < 0 {
		if bytes.IndexByte(line, ';') >= 0 {
			return ';'
		}
		if bytes.IndexByte(line, '\t') >= 0 {
			return '\t'
		}
	}
	return ','
}

// normalize maps a header to its canonical column name.
func normalize(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, h)
}

// Parse reads the content of one CSV file. file names it in positions
// and messages; its base name says the kind of the rows unless a kind
// column does. Every problem becomes a located problem in the batch;
// whatever is sound still loads. Parse never fails and never panics.
func Parse(file string, data []byte) *graph.Batch {
	b := &graph.Batch{Source: file, Importer: Name}
	d := &decoder{file: file, batch: b}
	if p, ok := importers.CheckText(file, data); !ok {
		b.Problems.Add(p)
		return b
	}
	data = bytes.TrimPrefix(data, bom)
	d.data = data
	if len(bytes.TrimSpace(data)) == 0 {
		b.Problems.Add(graph.Problem{Pos: d.at(1, 1), Severity: graph.Warning,
			Msg:  "empty CSV file",
			Hint: "the first line names the columns, such as id,name,requires"})
		return b
	}
	d.fileKind, _ = kindOfFile(path.Base(file))
	r := stdcsv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	d.r, d.comma = r, r.Comma
	header, err := r.Read()
	if err != nil {
		d.parseError(err)
		return b
	}
	if !d.header(header) {
		return b
	}
	errs := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			d.parseError(err)
			if errs++; errs >= 20 {
				b.Problems.Add(graph.Problem{Pos: d.at(0, 0), Severity: graph.Error, Msg: "too many CSV errors; stopped reading"})
				break
			}
			continue
		}
		d.row(rec)
	}
	return b
}

type decoder struct {
	file       string
	batch      *graph.Batch
	data       []byte
	lineStarts []int // byte offset of each line, computed when first needed
	r          *stdcsv.Reader
	fileKind   rowKind
	comma      rune
	recLen     int // cells in the current record
	cols       []column
	kindCol    int // index of the kind column, or -1
	idCol      int
	ncols      int
	contacts   int // how many contact groups the header has
}

func (d *decoder) at(line, col int) graph.Pos {
	return graph.Pos{File: d.file, Line: line, Col: col, Importer: Name}
}

// cellPos locates field i of the current record, with the column in
// characters.
func (d *decoder) cellPos(i int) graph.Pos {
	if i >= d.recLen {
		// A cell a short row leaves out: the row's start.
		line, _ := d.r.FieldPos(0)
		return d.at(line, 1)
	}
	line, col := d.r.FieldPos(i)
	start := d.lineStart(line)
	if start >= 0 && start+col-1 <= len(d.data) {
		prefix := d.data[start : start+col-1]
		if !ascii(prefix) {
			col = 1 + utf8.RuneCount(prefix)
		}
	}
	return d.at(line, col)
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// lineStart returns the byte offset where the 1-based line starts, or -1.
func (d *decoder) lineStart(line int) int {
	if d.lineStarts == nil {
		d.lineStarts = append(make([]int, 0, 1+bytes.Count(d.data, []byte{'\n'})), 0)
		for i, c := range d.data {
			if c == '\n' {
				d.lineStarts = append(d.lineStarts, i+1)
			}
		}
	}
	if line < 1 || line > len(d.lineStarts) {
		return -1
	}
	return d.lineStarts[line-1]
}

func (d *decoder) parseError(err error) {
	var pe *stdcsv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		hint := ""
		switch {
		case errors.Is(pe.Err, stdcsv.ErrBareQuote):
			msg = `a " inside a cell that is not quoted`
			hint = `quote the whole cell and double the quote: "Card processor ""CP"""`
		case errors.Is(pe.Err, stdcsv.ErrQuote):
			msg = "a quoted cell is not closed"
			hint = `close it with ", and double any " inside it`
		}
		d.batch.Problems.Add(graph.Problem{Pos: d.at(pe.Line, pe.Column), Severity: graph.Error,
			Msg: "invalid CSV: " + msg, Hint: hint})
		return
	}
	d.batch.Problems.Add(graph.Problem{Pos: d.at(1, 1), Severity: graph.Error, Msg: "invalid CSV: " + err.Error()})
}

func (d *decoder) errorf(pos graph.Pos, hint, format string, a ...any) {
	d.batch.Problems.Add(graph.Problem{Pos: pos, Severity: graph.Error, Msg: fmt.Sprintf(format, a...), Hint: hint})
}

func (d *decoder) warnf(pos graph.Pos, hint, format string, a ...any) {
	d.batch.Problems.Add(graph.Problem{Pos: pos, Severity: graph.Warning, Msg: fmt.Sprintf(format, a...), Hint: hint})
}

// column is how one column is read.
type column struct {
	name  string // canonical name, or the header as written for attrs
	attr  string // for free-form columns: the attribute name
	field *field // nil for attrs and ignored columns
	kinds kinds
	skip  bool
	// contact columns: which contact (0-based) and part
	contact int
}

// kinds is a set of row kinds.
type kinds uint8

func kindSet(ks ...rowKind) kinds {
	var s kinds
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

func (s kinds) has(k rowKind) bool { return s&(1<<k) != 0 }

func (s kinds) String() string {
	var names []string
	for _, k := range []rowKind{fnRow, sysRow, venRow, fbRow} {
		if s.has(k) {
			names = append(names, k.plural())
		}
	}
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

var (
	nodesK = kindSet(fnRow, sysRow, venRow)
	allK   = kindSet(fnRow, sysRow, venRow, fbRow)
	fnK    = kindSet(fnRow)
	venK   = kindSet(venRow)
	sysVen = kindSet(sysRow, venRow)
	fbK    = kindSet(fbRow)
)

// row is the value being filled from one CSV row.
type row struct {
	kind rowKind
	n    *graph.Node
	f    *graph.Fallback
}

// field reads one known column.
type field struct {
	kinds kinds
	set   func(d *decoder, r *row, v string, pos graph.Pos)
}

func (r *row) contract() *graph.Contract {
	if r.n.Contract == nil {
		r.n.Contract = &graph.Contract{}
	}
	return r.n.Contract
}

var fields = map[string]*field{
	"name": {allK, func(d *decoder, r *row, v string, _ graph.Pos) {
		if r.f != nil {
			r.f.Name = v
		} else {
			r.n.Name = v
		}
	}},
	"owner": {allK, func(d *decoder, r *row, v string, _ graph.Pos) {
		if r.f != nil {
			r.f.Owner = v
		} else {
			r.n.Owner = v
		}
	}},
	"requires": {allK, func(d *decoder, r *row, v string, pos graph.Pos) {
		e := d.expr(v, pos)
		if r.f != nil {
			r.f.Requires = e
		} else {
			r.n.Requires = e
		}
	}},
	"tags":    {nodesK, func(d *decoder, r *row, v string, _ graph.Pos) { r.n.Tags = split(v) }},
	"aliases": {nodesK, func(d *decoder, r *row, v string, pos graph.Pos) { r.n.Aliases = d.ids("aliases", v, pos) }},
	"tier": {fnK, func(d *decoder, r *row, v string, pos graph.Pos) {
		t, ok := graph.ParseTier(strings.ToLower(v))
		if !ok {
			d.errorf(pos, "", "tier: expected one of %s, found %s", strings.Join(graph.TierNames, ", "), quoteIfSpaced(v))
			return
		}
		r.n.Tier = t
	}},
	"tolerance": {fnK, func(d *decoder, r *row, v string, pos graph.Pos) { r.n.Tolerance = d.duration("tolerance", v, pos) }},
	"impact_per_hour": {fnK, func(d *decoder, r *row, v string, pos graph.Pos) {
		r.n.ImpactPerHour, _ = d.number("impact_per_hour", v, pos, false)
	}},
	"regulated": {fnK, func(d *decoder, r *row, v string, pos graph.Pos) {
		switch strings.ToLower(v) {
		case "true", "yes", "y", "1", "x":
			r.n.Regulated = true
		case "false", "no", "n", "0":
		default:
			d.errorf(pos, "", "regulated: expected true or false, found %s", quoteIfSpaced(v))
		}
	}},
	"rto":                    {nodesK, func(d *decoder, r *row, v string, pos graph.Pos) { r.n.RTO = d.duration("rto", v, pos) }},
	"rpo":                    {nodesK, func(d *decoder, r *row, v string, pos graph.Pos) { r.n.RPO = d.duration("rpo", v, pos) }},
	"buffer":                 {nodesK, func(d *decoder, r *row, v string, pos graph.Pos) { r.n.Buffer = d.duration("buffer", v, pos) }},
	"restore":                {nodesK, func(d *decoder, r *row, v string, pos graph.Pos) { r.n.Restore = d.duration("restore", v, pos) }},
	"responsibility.monitor": {nodesK, func(d *decoder, r *row, v string, _ graph.Pos) { r.n.Responsibility.Monitor = v }},
	"responsibility.respond": {nodesK, func(d *decoder, r *row, v string, _ graph.Pos) { r.n.Responsibility.Respond = v }},
	"responsibility.repair":  {nodesK, func(d *decoder, r *row, v string, _ graph.Pos) { r.n.Responsibility.Repair = v }},
	"lei": {venK, func(d *decoder, r *row, v string, pos graph.Pos) {
		if msg := importers.CheckLEI(v); msg != "" {
			d.warnf(pos, "an LEI is 20 letters and digits, as listed at gleif.org", "lei: %q %s", v, msg)
		}
		r.n.LEI = v
	}},
	"country": {venK, func(d *decoder, r *row, v string, pos graph.Pos) {
		if len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' {
			d.warnf(pos, "use an ISO 3166 two-letter code such as DE, IE or US", "country: %q is not a two-letter country code", v)
		}
		r.n.Country = v
	}},
	"parent": {venK, func(d *decoder, r *row, v string, _ graph.Pos) { r.n.Parent = v }},
	"probability": {sysVen, func(d *decoder, r *row, v string, pos graph.Pos) {
		if f, ok := d.number("probability", v, pos, true); ok {
			r.n.Probability = &f
		}
	}},
	"outage_duration": {sysVen, func(d *decoder, r *row, v string, pos graph.Pos) {
		r.n.OutageDuration = d.duration("outage_duration", v, pos)
	}},
	"contract.ref": {venK, func(d *decoder, r *row, v string, _ graph.Pos) { r.contract().Ref = v }},
	"contract.annual_fee": {venK, func(d *decoder, r *row, v string, pos graph.Pos) {
		if f, ok := d.number("contract.annual_fee", v, pos, false); ok {
			r.contract().AnnualFee = f
		}
	}},
	"contract.liability_cap": {venK, func(d *decoder, r *row, v string, pos graph.Pos) {
		if f, ok := d.number("contract.liability_cap", v, pos, false); ok {
			r.contract().LiabilityCap = f
		}
	}},
	"contract.sla":       {venK, func(d *decoder, r *row, v string, _ graph.Pos) { r.contract().SLA = v }},
	"contract.notice":    {venK, func(d *decoder, r *row, v string, _ graph.Pos) { r.contract().Notice = v }},
	"contract.exit_plan": {venK, func(d *decoder, r *row, v string, _ graph.Pos) { r.contract().ExitPlan = v }},
	"contract.substitutability": {venK, func(d *decoder, r *row, v string, pos graph.Pos) {
		s := strings.ToLower(v)
		if s != "easy" && s != "hard" && s != "none" {
			d.errorf(pos, "", "contract.substitutability: expected one of %s, found %s", strings.Join(graph.SubstitutabilityNames, ", "), quoteIfSpaced(v))
			return
		}
		r.contract().Substitutability = s
	}},
	"contract.reviewed": {venK, func(d *decoder, r *row, v string, pos graph.Pos) {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			d.errorf(pos, "write the date as YYYY-MM-DD", "contract.reviewed: %s is not a date", quoteIfSpaced(v))
			return
		}
		r.contract().Reviewed = v
	}},
	"for": {fbK, func(d *decoder, r *row, v string, _ graph.Pos) { r.f.For = v }},
	"activation": {fbK, func(d *decoder, r *row, v string, pos graph.Pos) {
		if x := d.duration("activation", v, pos); x != nil {
			r.f.Activation = *x
		}
	}},
	"endurance": {fbK, func(d *decoder, r *row, v string, pos graph.Pos) { r.f.Endurance = d.duration("endurance", v, pos) }},
	"capacity": {fbK, func(d *decoder, r *row, v string, pos graph.Pos) {
		if f, ok := d.number("capacity", v, pos, true); ok {
			r.f.Capacity = f
		}
	}},
	"steps": {fbK, func(d *decoder, r *row, v string, _ graph.Pos) {
		for _, s := range strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n") {
			if s = strings.TrimSpace(s); s != "" {
				r.f.Steps = append(r.f.Steps, s)
			}
		}
	}},
}

var contactParts = []string{"role", "name", "phone", "email"}

// Columns returns every column name the importer knows, sorted, with
// contact columns as contact.role and so on and free-form attributes as
// attrs.NAME.
func Columns() []string {
	out := []string{"id", "kind", "attrs.NAME"}
	for k := range fields {
		out = append(out, k)
	}
	for _, p := range contactParts {
		out = append(out, "contact."+p)
	}
	sort.Strings(out)
	return out
}

// knownNames are the column names offered as "did you mean".
var knownNames = func() []string {
	out := []string{"id", "kind"}
	for k := range fields {
		out = append(out, k)
	}
	for _, p := range contactParts {
		out = append(out, "contact."+p)
	}
	sort.Strings(out)
	return out
}()

// contactColumn parses "contact.name", "contact2.phone": the 0-based
// contact index and the part.
func contactColumn(name string) (int, string, bool) {
	head, part, ok := strings.Cut(name, ".")
	if !ok || !strings.HasPrefix(head, "contact") {
		return 0, "", false
	}
	num := strings.TrimPrefix(strings.TrimPrefix(head, "contact"), "s")
	i := 1
	if num != "" {
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > 99 {
			return 0, "", false
		}
		i = n
	}
	for _, p := range contactParts {
		if p == part {
			return i - 1, part, true
		}
	}
	return 0, "", false
}

// header maps the columns; false when rows cannot be read.
func (d *decoder) header(h []string) bool {
	d.recLen = len(h)
	d.kindCol, d.idCol = -1, -1
	d.ncols = len(h)
	d.cols = make([]column, len(h))
	seen := map[string]int{}
	for i, raw := range h {
		pos := d.cellPos(i)
		name := normalize(raw)
		c := &d.cols[i]
		c.name = name
		if name == "" {
			c.skip = true
			d.warnf(pos, "name the column, or remove it", "column %d has no name; its cells are ignored", i+1)
			continue
		}
		key := name
		if strings.HasPrefix(name, "attrs.") {
			key = "attrs." + strings.TrimSpace(raw)[len("attrs."):] // attribute names keep their case
		}
		if j, dup := seen[key]; dup {
			c.skip = true
			d.errorf(pos, "remove one of them, or rename it", "duplicate column %q: also column %d", strings.TrimSpace(raw), j+1)
			continue
		}
		seen[key] = i
		switch {
		case name == "id":
			d.idCol = i
		case name == "kind":
			d.kindCol = i
		case fields[name] != nil:
			c.field = fields[name]
			c.kinds = c.field.kinds
		case strings.HasPrefix(name, "attrs."):
			c.attr = strings.TrimSpace(raw)[len("attrs."):]
			c.kinds = nodesK
		default:
			if k, part, ok := contactColumn(name); ok {
				c.contact = k
				c.name = "contact." + part
				c.kinds = venK
				d.contacts = max(d.contacts, k+1)
				continue
			}
			c.attr = strings.TrimSpace(raw)
			c.kinds = nodesK
			if s := importers.Suggest(name, knownNames); s != "" {
				d.warnf(pos, fmt.Sprintf("did you mean %q? Otherwise rename it attrs.%s", s, c.attr),
					"column %q is not a lifeboat column; its cells are kept as the attribute %q", c.attr, c.attr)
			}
		}
	}
	at := d.at(1, 1)
	if d.idCol < 0 {
		hint := "the header must name an id column"
		for _, raw := range h {
			if s := importers.Suggest(normalize(raw), []string{"id"}); s != "" || strings.Contains(normalize(raw), "id") {
				hint = fmt.Sprintf("rename the column %q to id", strings.TrimSpace(raw))
				break
			}
		}
		d.errorf(at, hint, "no id column")
		return false
	}
	if d.fileKind == noKind && d.kindCol < 0 {
		d.errorf(at, "name the file functions.csv, systems.csv, vendors.csv or fallbacks.csv, or add a kind column",
			"cannot tell what the rows are")
		return false
	}
	if _, ok := seen["for"]; !ok && d.fileKind == fbRow {
		d.errorf(at, "name the node each fallback keeps up in a for column", "no for column")
		return false
	}
	return true
}

// row reads one record.
func (d *decoder) row(rec []string) {
	d.recLen = len(rec)
	empty := true
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			empty = false
			break
		}
	}
	if empty {
		return
	}
	line, _ := d.r.FieldPos(0)
	if len(rec) > d.ncols {
		d.errorf(d.cellPos(d.ncols), "quote cells that contain the separator, or add a name for the column to the header",
			"row has %d cells but the header has %d", len(rec), d.ncols)
		return
	}
	if len(rec) < d.ncols {
		d.warnf(d.at(line, 1), "", "row has %d cells but the header has %d; the missing ones are read as empty", len(rec), d.ncols)
	}
	kind := d.fileKind
	if d.kindCol >= 0 && d.kindCol < len(rec) {
		if v := strings.TrimSpace(rec[d.kindCol]); v != "" {
			k, ok := parseRowKind(v)
			switch {
			case !ok:
				d.errorf(d.cellPos(d.kindCol), "", "kind: expected function, system, vendor or fallback, found %s", quoteIfSpaced(v))
				return
			case d.fileKind != noKind && k != d.fileKind:
				d.errorf(d.cellPos(d.kindCol), "move the row to the file for its kind",
					"kind: %s in a file of %s", v, d.fileKind.plural())
				return
			}
			kind = k
		}
	}
	if kind == noKind {
		d.errorf(d.at(line, 1), "write function, system, vendor or fallback in the kind column", "row has no kind")
		return
	}
	r := row{kind: kind}
	src := d.at(line, 1)
	if kind == fbRow {
		r.f = &graph.Fallback{Capacity: 1, Source: src}
	} else {
		r.n = &graph.Node{Kind: kind.node(), Source: src}
	}
	id := ""
	if d.idCol < len(rec) {
		id = strings.TrimSpace(rec[d.idCol])
	}
	ok := true
	if id != "" && !graph.ValidID(id) {
		d.errorf(d.cellPos(d.idCol), "ids start with a letter or digit and use only letters, digits and . _ : / -", "invalid id %q", id)
		ok = false
	}
	var contacts []graph.Contact
	for i := 0; i < len(rec) && i < d.ncols; i++ {
		c := &d.cols[i]
		if c.skip || i == d.idCol || i == d.kindCol {
			continue
		}
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		if !c.kinds.has(kind) {
			d.errorf(d.cellPos(i), "leave the cell empty, or move the value to the right row", "%s: only %s take this column, not %s", c.display(), c.kinds, kind.plural())
			continue
		}
		switch {
		case c.field != nil:
			c.field.set(d, &r, v, d.cellPos(i))
		case strings.HasPrefix(c.name, "contact."):
			for len(contacts) <= c.contact {
				contacts = append(contacts, graph.Contact{})
			}
			ct := &contacts[c.contact]
			switch strings.TrimPrefix(c.name, "contact.") {
			case "role":
				ct.Role = v
			case "name":
				ct.Name = v
			case "phone":
				ct.Phone = v
			case "email":
				ct.Email = v
				if !strings.Contains(v, "@") {
					d.warnf(d.cellPos(i), "", "contact email %q has no @", v)
				}
			}
		default:
			if r.n.Attrs == nil {
				r.n.Attrs = map[string]string{}
			}
			r.n.Attrs[c.attr] = v
		}
	}
	for _, c := range contacts {
		if c != (graph.Contact{}) {
			r.n.Contacts = append(r.n.Contacts, c)
		}
	}
	if r.f != nil {
		r.f.ID = id
		if r.f.For == "" {
			d.errorf(src, "name the function, system or vendor it keeps up in the for column", "fallback %s has no for", orUnnamed(id))
			return
		}
		if ok {
			d.batch.Fallbacks = append(d.batch.Fallbacks, r.f)
		}
		return
	}
	if id == "" {
		d.errorf(d.cellPos(d.idCol), "give every row an id, a unique name such as core-banking", "%s has no id", kind)
		return
	}
	r.n.ID = id
	if ok {
		d.batch.Nodes = append(d.batch.Nodes, r.n)
	}
}

func (c *column) display() string {
	if c.attr != "" {
		return c.attr
	}
	return c.name
}

func orUnnamed(id string) string {
	if id == "" {
		return "(without id)"
	}
	return strconv.Quote(id)
}

func quoteIfSpaced(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\"'") {
		return s
	}
	return strconv.Quote(s)
}

// split reads a list cell: items separated by ',' or ';'.
func split(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) ids(col, v string, pos graph.Pos) []string {
	var out []string
	for _, s := range split(v) {
		if !graph.ValidID(s) {
			d.errorf(pos, "ids start with a letter or digit and use only letters, digits and . _ : / -", "%s: invalid id %q", col, s)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (d *decoder) duration(col, v string, pos graph.Pos) *graph.Duration {
	x, err := graph.ParseDuration(v)
	if err != nil {
		d.errorf(pos, "", "%s: %v", col, err)
		return nil
	}
	return &x
}

// number reads a decimal number, 0 or more; share limits it to [0, 1].
// Underscores may group digits; in a file separated by ';' (as
// spreadsheets write where the comma is the decimal mark) a decimal comma
// is read too.
func (d *decoder) number(col, v string, pos graph.Pos, share bool) (float64, bool) {
	s := strings.ReplaceAll(v, "_", "")
	if d.comma == ';' && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	var f float64
	var err error
	if s == "" || strings.Trim(s, "0123456789.eE+-") != "" {
		err = strconv.ErrSyntax
	} else {
		f, err = strconv.ParseFloat(s, 64)
		if err == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
			err = strconv.ErrSyntax
		}
	}
	if err != nil {
		d.errorf(pos, "write a plain number such as 120000 or 0.25", "%s: expected a number, found %s", col, quoteIfSpaced(v))
		return 0, false
	}
	switch {
	case f < 0 && !share:
		d.errorf(pos, "", "%s: %s is negative; it must be 0 or more", col, v)
		return 0, false
	case share && (f < 0 || f > 1):
		d.errorf(pos, "", "%s: %s is out of range; it is a share between 0 and 1", col, v)
		return 0, false
	}
	return f, true
}

// expr parses a requires cell, locating errors inside it when the cell's
// text maps onto the file.
func (d *decoder) expr(v string, pos graph.Pos) *graph.Expr {
	base := pos
	exact := false
	if start := d.lineStart(pos.Line); start >= 0 {
		off := start + d.byteCol(pos) - 1
		if off >= 0 && off < len(d.data) {
			raw := d.data[off:]
			quoted := raw[0] == '"'
			if quoted {
				raw = raw[1:]
				base.Col++
			}
			// Leading blanks were trimmed from v.
			lead := 0
			for lead < len(raw) && (raw[lead] == ' ' || raw[lead] == '\t') {
				lead++
			}
			base.Col += lead
			exact = bytes.HasPrefix(raw[lead:], []byte(v))
		}
	}
	e, err := graph.ParseExpr(v, base)
	if err != nil {
		at := pos
		msg := err.Error()
		var xe *graph.ExprError
		if errors.As(err, &xe) {
			msg = xe.Msg
			if exact {
				at = xe.Pos
			}
		}
		d.batch.Problems.Add(graph.Problem{Pos: at, Severity: graph.Error, Msg: "requires: " + msg})
		return nil
	}
	if e != nil && !exact {
		e.Walk(func(x *graph.Expr) { x.Pos = pos })
	}
	return e
}

// byteCol converts pos's character column back to a byte column on its
// line.
func (d *decoder) byteCol(pos graph.Pos) int {
	start := d.lineStart(pos.Line)
	if start < 0 {
		return pos.Col
	}
	b := d.data[start:]
	i, n := 0, 1
	for n < pos.Col && i < len(b) {
		_, w := utf8.DecodeRune(b[i:])
		i += w
		n++
	}
	return i + 1
}
