package csv

import (
	"bufio"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Files are the files WriteDir writes, in order.
var Files = []string{"functions.csv", "systems.csv", "vendors.csv", "fallbacks.csv"}

// WriteDir writes m into the folder dir (created when missing) as
// functions.csv, systems.csv, vendors.csv and fallbacks.csv, all four
// always, so that no stale file is left from an earlier write. Each file
// has the columns some row of it uses, in a fixed order, and rows in map
// order; Parse reads them back to an equal map. Every file is written
// whole to a temporary file and renamed into place.
//
// Some values cannot make the trip through CSV cells, and WriteDir refuses
// them with an error before writing anything: text with leading or
// trailing blanks (cells are read trimmed) or carriage returns, tags
// containing ',' or ';' (the list separators) and fallback steps
// containing line breaks (the step separator).
func WriteDir(dir string, m *graph.Map) error {
	if err := checkWritable(m); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var temps []string
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for i, name := range Files {
		f, err := os.CreateTemp(dir, "."+name+".*")
		if err != nil {
			cleanup()
			return err
		}
		temps = append(temps, f.Name())
		var werr error
		if i < 3 {
			werr = WriteNodes(f, m, graph.Kinds[i])
		} else {
			werr = WriteFallbacks(f, m)
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			cleanup()
			return fmt.Errorf("%s: %w", filepath.Join(dir, name), werr)
		}
	}
	for i, t := range temps {
		if err := os.Chmod(t, 0o644); err != nil {
			cleanup()
			return err
		}
		if err := os.Rename(t, filepath.Join(dir, Files[i])); err != nil {
			cleanup()
			return err
		}
	}
	return nil
}

// checkWritable finds the first value that would not read back the same.
func checkWritable(m *graph.Map) error {
	text := func(id, what, s string) error {
		if s != strings.TrimSpace(s) {
			return fmt.Errorf("cannot write %s %q of %s as CSV: cells are read without leading and trailing blanks", what, s, id)
		}
		if strings.ContainsRune(s, '\r') {
			return fmt.Errorf("cannot write %s %q of %s as CSV: CSV readers turn carriage returns in cells into line feeds", what, s, id)
		}
		return nil
	}
	for _, n := range m.Nodes {
		for _, t := range n.Tags {
			if t == "" || strings.ContainsAny(t, ",;") {
				return fmt.Errorf("cannot write tag %q of %s as CSV: tags are separated by ',' or ';' in a cell", t, n.ID)
			}
			if err := text(n.ID, "tag", t); err != nil {
				return err
			}
		}
		for _, c := range nodeColumns {
			if err := text(n.ID, c.name, c.get(n)); err != nil {
				return err
			}
		}
		for k, v := range n.Attrs {
			if err := text(n.ID, "attribute", k); err != nil {
				return err
			}
			if err := text(n.ID, "attribute "+k, v); err != nil {
				return err
			}
			if k == "" {
				return fmt.Errorf("cannot write an attribute without a name of %s as CSV", n.ID)
			}
		}
		for _, c := range n.Contacts {
			for _, s := range []string{c.Role, c.Name, c.Phone, c.Email} {
				if err := text(n.ID, "contact", s); err != nil {
					return err
				}
			}
		}
	}
	for _, f := range m.Fallbacks {
		for _, c := range fallbackColumns {
			if err := text(f.ID, c.name, c.get(f)); err != nil {
				return err
			}
		}
		for _, s := range f.Steps {
			if s == "" || strings.ContainsAny(s, "\r\n") {
				return fmt.Errorf("cannot write step %q of fallback %s as CSV: steps are separated by line breaks in a cell", s, f.ID)
			}
			if err := text(f.ID, "step", s); err != nil {
				return err
			}
		}
	}
	return nil
}

type nodeColumn struct {
	name string
	get  func(n *graph.Node) string
}

func dur(d *graph.Duration) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func num(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func contract(n *graph.Node) *graph.Contract {
	if n.Contract == nil {
		return &graph.Contract{}
	}
	return n.Contract
}

// nodeColumns are the fixed node columns in file order; contacts, tags,
// attributes and requires follow them.
var nodeColumns = []nodeColumn{
	{"id", func(n *graph.Node) string { return n.ID }},
	{"name", func(n *graph.Node) string { return n.Name }},
	{"tier", func(n *graph.Node) string { return n.Tier.String() }},
	{"owner", func(n *graph.Node) string { return n.Owner }},
	{"tolerance", func(n *graph.Node) string { return dur(n.Tolerance) }},
	{"rto", func(n *graph.Node) string { return dur(n.RTO) }},
	{"rpo", func(n *graph.Node) string { return dur(n.RPO) }},
	{"buffer", func(n *graph.Node) string { return dur(n.Buffer) }},
	{"restore", func(n *graph.Node) string { return dur(n.Restore) }},
	{"impact_per_hour", func(n *graph.Node) string { return num(n.ImpactPerHour) }},
	{"regulated", func(n *graph.Node) string {
		if n.Regulated {
			return "true"
		}
		return ""
	}},
	{"responsibility.monitor", func(n *graph.Node) string { return n.Responsibility.Monitor }},
	{"responsibility.respond", func(n *graph.Node) string { return n.Responsibility.Respond }},
	{"responsibility.repair", func(n *graph.Node) string { return n.Responsibility.Repair }},
	{"lei", func(n *graph.Node) string { return n.LEI }},
	{"country", func(n *graph.Node) string { return n.Country }},
	{"parent", func(n *graph.Node) string { return n.Parent }},
	{"aliases", func(n *graph.Node) string { return strings.Join(n.Aliases, ", ") }},
	{"probability", func(n *graph.Node) string {
		if n.Probability == nil {
			return ""
		}
		return strconv.FormatFloat(*n.Probability, 'f', -1, 64)
	}},
	{"outage_duration", func(n *graph.Node) string { return dur(n.OutageDuration) }},
	{"contract.ref", func(n *graph.Node) string { return contract(n).Ref }},
	{"contract.annual_fee", func(n *graph.Node) string { return num(contract(n).AnnualFee) }},
	{"contract.liability_cap", func(n *graph.Node) string { return num(contract(n).LiabilityCap) }},
	{"contract.sla", func(n *graph.Node) string { return contract(n).SLA }},
	{"contract.notice", func(n *graph.Node) string { return contract(n).Notice }},
	{"contract.exit_plan", func(n *graph.Node) string { return contract(n).ExitPlan }},
	{"contract.substitutability", func(n *graph.Node) string { return contract(n).Substitutability }},
	{"contract.reviewed", func(n *graph.Node) string { return contract(n).Reviewed }},
}

// WriteNodes writes the nodes of kind k as one CSV file, as WriteDir
// does for functions.csv, systems.csv and vendors.csv.
func WriteNodes(w io.Writer, m *graph.Map, k graph.Kind) error {
	var nodes []*graph.Node
	for _, n := range m.Nodes {
		if n.Kind == k {
			nodes = append(nodes, n)
		}
	}
	// The columns some row uses; id and name always.
	var cols []nodeColumn
	for i, c := range nodeColumns {
		used := i < 2
		for _, n := range nodes {
			if used {
				break
			}
			used = c.get(n) != ""
		}
		if used {
			cols = append(cols, c)
		}
	}
	contacts, tags, requires := 0, false, false
	attrSet := map[string]bool{}
	for _, n := range nodes {
		nc := 0
		for _, c := range n.Contacts {
			if c != (graph.Contact{}) {
				nc++
			}
		}
		contacts = max(contacts, nc)
		tags = tags || len(n.Tags) > 0
		requires = requires || n.Requires != nil
		for a, v := range n.Attrs {
			if v != "" {
				attrSet[a] = true
			}
		}
	}
	for i := 0; i < contacts; i++ {
		prefix := "contact."
		if i > 0 {
			prefix = fmt.Sprintf("contact%d.", i+1)
		}
		for _, part := range contactParts {
			i, part := i, part
			cols = append(cols, nodeColumn{prefix + part, func(n *graph.Node) string {
				j := 0
				for _, c := range n.Contacts {
					if c == (graph.Contact{}) {
						continue
					}
					if j == i {
						switch part {
						case "role":
							return c.Role
						case "name":
							return c.Name
						case "phone":
							return c.Phone
						}
						return c.Email
					}
					j++
				}
				return ""
			}})
		}
	}
	if tags {
		cols = append(cols, nodeColumn{"tags", func(n *graph.Node) string { return strings.Join(n.Tags, ", ") }})
	}
	attrs := make([]string, 0, len(attrSet))
	for a := range attrSet {
		attrs = append(attrs, a)
	}
	sort.Strings(attrs)
	for _, a := range attrs {
		a := a
		cols = append(cols, nodeColumn{"attrs." + a, func(n *graph.Node) string { return n.Attrs[a] }})
	}
	if requires {
		cols = append(cols, nodeColumn{"requires", func(n *graph.Node) string { return n.Requires.String() }})
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := stdcsv.NewWriter(bw)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, n := range nodes {
		for i, c := range cols {
			rec[i] = c.get(n)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

type fallbackColumn struct {
	name string
	get  func(f *graph.Fallback) string
}

var fallbackColumns = []fallbackColumn{
	{"id", func(f *graph.Fallback) string { return f.ID }},
	{"for", func(f *graph.Fallback) string { return f.For }},
	{"name", func(f *graph.Fallback) string { return f.Name }},
	{"owner", func(f *graph.Fallback) string { return f.Owner }},
	{"activation", func(f *graph.Fallback) string {
		if f.Activation == 0 {
			return ""
		}
		return f.Activation.String()
	}},
	{"endurance", func(f *graph.Fallback) string { return dur(f.Endurance) }},
	{"capacity", func(f *graph.Fallback) string {
		if f.Capacity == 1 {
			return ""
		}
		return strconv.FormatFloat(f.Capacity, 'f', -1, 64)
	}},
	{"steps", func(f *graph.Fallback) string { return strings.Join(f.Steps, "\n") }},
	{"requires", func(f *graph.Fallback) string { return f.Requires.String() }},
}

// WriteFallbacks writes m's fallbacks as one CSV file, as WriteDir does
// for fallbacks.csv.
func WriteFallbacks(w io.Writer, m *graph.Map) error {
	var cols []fallbackColumn
	for i, c := range fallbackColumns {
		used := i < 2
		for _, f := range m.Fallbacks {
			if used {
				break
			}
			used = c.get(f) != ""
		}
		if used {
			cols = append(cols, c)
		}
	}
	bw := bufio.NewWriter(w)
	cw := stdcsv.NewWriter(bw)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, f := range m.Fallbacks {
		for i, c := range cols {
			rec[i] = c.get(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return errors.Join(cw.Error(), bw.Flush())
}
