// Package importertest holds what importer tests share: a stable text dump
// of a map, golden files rewritten with UPDATE_GOLDEN=1, and generated maps
// (large ones for benchmarks, small random ones with awkward values for
// writer round trips). It is for tests only.
package importertest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Update reports whether golden files are to be rewritten (UPDATE_GOLDEN=1).
func Update() bool { return os.Getenv("UPDATE_GOLDEN") != "" }

// Golden compares got with the file at path, or writes got there when
// Update is on.
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if Update() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// Problems renders problems one per line, as lifeboat prints them.
func Problems(ps graph.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Dump renders a map as text, one line per node and fallback with its
// kind, id, requirement, every attribute that is set and its source
// position, in map order.
func Dump(m *graph.Map) string {
	var b strings.Builder
	if m.Name != "" || m.Currency != "" {
		fmt.Fprintf(&b, "map %q currency %q\n", m.Name, m.Currency)
	}
	for _, n := range m.Nodes {
		fmt.Fprintf(&b, "%s %s", n.Kind, n.ID)
		attr := func(k, v string) {
			if v != "" {
				fmt.Fprintf(&b, " %s=%s", k, strconv.Quote(v))
			}
		}
		dur := func(k string, d *graph.Duration) {
			if d != nil {
				fmt.Fprintf(&b, " %s=%s", k, d)
			}
		}
		num := func(k string, f float64) {
			if f != 0 {
				fmt.Fprintf(&b, " %s=%g", k, f)
			}
		}
		attr("name", n.Name)
		if n.Tier != graph.TierNone {
			attr("tier", n.Tier.String())
		}
		attr("owner", n.Owner)
		dur("tolerance", n.Tolerance)
		dur("rto", n.RTO)
		dur("rpo", n.RPO)
		dur("buffer", n.Buffer)
		dur("restore", n.Restore)
		num("impact_per_hour", n.ImpactPerHour)
		if n.Regulated {
			b.WriteString(" regulated")
		}
		r := n.Responsibility
		attr("monitor", r.Monitor)
		attr("respond", r.Respond)
		attr("repair", r.Repair)
		attr("lei", n.LEI)
		attr("country", n.Country)
		attr("parent", n.Parent)
		if len(n.Aliases) > 0 {
			attr("aliases", strings.Join(n.Aliases, ","))
		}
		if n.Probability != nil {
			fmt.Fprintf(&b, " probability=%g", *n.Probability)
		}
		dur("outage_duration", n.OutageDuration)
		if c := n.Contract; c != nil {
			attr("contract.ref", c.Ref)
			num("contract.annual_fee", c.AnnualFee)
			num("contract.liability_cap", c.LiabilityCap)
			attr("contract.sla", c.SLA)
			attr("contract.notice", c.Notice)
			attr("contract.exit_plan", c.ExitPlan)
			attr("contract.substitutability", c.Substitutability)
			attr("contract.reviewed", c.Reviewed)
		}
		for i, c := range n.Contacts {
			attr(fmt.Sprintf("contact%d", i+1), strings.Join([]string{c.Role, c.Name, c.Phone, c.Email}, "|"))
		}
		if len(n.Tags) > 0 {
			attr("tags", strings.Join(n.Tags, ","))
		}
		keys := make([]string, 0, len(n.Attrs))
		for k := range n.Attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " attrs.%s=%q", k, n.Attrs[k])
		}
		if n.Requires != nil {
			fmt.Fprintf(&b, " requires=%q", n.Requires.String())
		}
		fmt.Fprintf(&b, " @%s\n", n.Source)
	}
	for _, f := range m.Fallbacks {
		fmt.Fprintf(&b, "fallback %s for=%s", f.ID, f.For)
		if f.Name != "" {
			fmt.Fprintf(&b, " name=%q", f.Name)
		}
		if f.Owner != "" {
			fmt.Fprintf(&b, " owner=%q", f.Owner)
		}
		fmt.Fprintf(&b, " activation=%s", f.Activation)
		if f.Endurance != nil {
			fmt.Fprintf(&b, " endurance=%s", *f.Endurance)
		}
		fmt.Fprintf(&b, " capacity=%g", f.Capacity)
		if len(f.Steps) > 0 {
			fmt.Fprintf(&b, " steps=%q", f.Steps)
		}
		if f.Requires != nil {
			fmt.Fprintf(&b, " requires=%q", f.Requires.String())
		}
		fmt.Fprintf(&b, " @%s\n", f.Source)
	}
	return b.String()
}

// MapOptions compare maps by content: positions, problems and internal
// indexes are ignored, and empty slices and maps equal nil ones.
var MapOptions = cmp.Options{
	cmpopts.IgnoreUnexported(graph.Map{}),
	cmpopts.IgnoreFields(graph.Map{}, "Problems"),
	cmpopts.IgnoreFields(graph.Node{}, "Source"),
	cmpopts.IgnoreFields(graph.Fallback{}, "Source"),
	cmpopts.IgnoreFields(graph.Expr{}, "Pos"),
	cmpopts.EquateEmpty(),
}

// Normalize returns a copy of m's nodes and fallbacks with every
// requirement a list at the top (as importers produce them), for
// comparing a written and re-read map with the original.
func Normalize(m *graph.Map) *graph.Map {
	nodes := make([]*graph.Node, len(m.Nodes))
	for i, n := range m.Nodes {
		c := *n
		c.Requires = top(c.Requires)
		nodes[i] = &c
	}
	fbs := make([]*graph.Fallback, len(m.Fallbacks))
	for i, f := range m.Fallbacks {
		c := *f
		c.Requires = top(c.Requires)
		fbs[i] = &c
	}
	out := graph.NewMap(m.Name, nodes, fbs)
	out.Currency = m.Currency
	return out
}

func top(e *graph.Expr) *graph.Expr {
	switch {
	case e == nil:
		return nil
	case e.Op != graph.OpAll:
		return graph.All(e)
	case len(e.Args) == 0:
		return nil
	}
	return e
}
