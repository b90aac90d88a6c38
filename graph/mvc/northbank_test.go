package mvc_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/importers/importertest"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
)

// northbank loads the shipped example workspace's map.
func northbank(tb testing.TB) *graph.Map {
	tb.Helper()
	m, ps, err := registry.Load(context.Background(), []registry.Spec{{Path: "map", Base: "../../examples/northbank"}})
	if err != nil {
		tb.Fatalf("Load(northbank): %v", err)
	}
	if m == nil {
		tb.Fatalf("Load(northbank): no map: %v", ps)
	}
	return m
}

// keepsUp reports whether failing every vendor outside keep leaves every
// target up, by the impact package's static evaluation.
func keepsUp(t *testing.T, m *graph.Map, targets, keep []string, fallbacks bool) bool {
	t.Helper()
	var failed []string
	for _, v := range m.OfKind(graph.KindVendor) {
		if !slices.Contains(keep, v.ID) {
			failed = append(failed, v.ID)
		}
	}
	r, err := impact.Static(m, failed, impact.Options{Fallbacks: fallbacks})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Functions {
		if f.Down && slices.Contains(targets, f.ID) {
			return false
		}
	}
	return true
}

// TestNorthbank solves the shipped example: the supply set is optimal,
// keeps every core function up and is minimal, every tie keeps them up
// with the same value, the hidden shared supplier (the endpoint-security
// agent) is required when fallbacks are left out, and the whole result matches its golden file.
func TestNorthbank(t *testing.T) {
	m := northbank(t)
	var out strings.Builder
	for _, opt := range []mvc.Options{
		{},
		{Minimize: mvc.MinCost, Fallbacks: true},
	} {
		res, err := mvc.Analyze(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		s := res.Supply
		name := fmt.Sprintf("Analyze(northbank, %s, fallbacks %v)", opt.Minimize, opt.Fallbacks)
		if !s.Optimal || !s.Canonical {
			t.Errorf("%s: optimal %v, canonical %v", name, s.Optimal, s.Canonical)
		}
		chosen := ids(s.Vendors)
		if !keepsUp(t, m, res.Targets, chosen, opt.Fallbacks) {
			t.Errorf("%s: %v does not keep the core functions up", name, chosen)
		}
		for _, v := range s.Vendors {
			fewer := slices.DeleteFunc(slices.Clone(chosen), func(id string) bool { return id == v.ID })
			if keepsUp(t, m, res.Targets, fewer, opt.Fallbacks) {
				t.Errorf("%s: %v is not minimal: %s is not needed", name, chosen, v.ID)
			}
		}
		for _, tie := range s.Ties {
			alt := slices.DeleteFunc(slices.Clone(chosen), func(id string) bool { return slices.Contains(tie.Out, id) })
			alt = append(alt, tie.In...)
			if !keepsUp(t, m, res.Targets, alt, opt.Fallbacks) || len(tie.In) != len(tie.Out) && opt.Minimize == mvc.MinVendors {
				t.Errorf("%s: tie %+v does not give another optimal set", name, tie)
			}
		}
		// Without fallbacks, that is: with them, manual processes cover it.
		if i := slices.IndexFunc(s.Vendors, func(v mvc.Vendor) bool { return v.ID == "sentinel-shield-edr" }); !opt.Fallbacks && (i < 0 || !s.Vendors[i].Required) {
			t.Errorf("%s: the endpoint-security agent is not a required vendor", name)
		}
		fmt.Fprintf(&out, "== minimize %s, fallbacks %v\n", opt.Minimize, opt.Fallbacks)
		describe(&out, res)
	}

	rec, err := mvc.Recover(m, []impact.Outage{{ID: "sentinel-shield-edr", Duration: 6 * graph.Hour}}, mvc.RecoveryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&out, "== recovery from a 6h outage of sentinel-shield-edr\n")
	describeRecovery(&out, rec)
	importertest.Golden(t, "testdata/northbank.golden", out.String())
}

// describe renders a result as text for golden files.
func describe(b *strings.Builder, r *mvc.Result) {
	fmt.Fprintf(b, "targets: %s\n", strings.Join(r.Targets, ", "))
	b.WriteString("functions:\n")
	for _, f := range r.Functions {
		fmt.Fprintf(b, "  %s (%s): %s via %s\n", f.ID, f.Tier, f.Reason, strings.Join(f.Via, " → "))
	}
	s := r.Supply
	fmt.Fprintf(b, "supply: %d vendors, value %v, cost %v, optimal %v, canonical %v, lower bound %v, gap %v\n",
		len(s.Vendors), s.Value, s.Cost, s.Optimal, s.Canonical, s.LowerBound, s.Gap)
	for _, v := range s.Vendors {
		req := ""
		if v.Required {
			req = ", required"
		}
		fmt.Fprintf(b, "  %s (cost %v%s)\n", v.ID, v.Cost, req)
	}
	fmt.Fprintf(b, "ties (complete %v):\n", s.TiesComplete)
	for _, t := range s.Ties {
		fmt.Fprintf(b, "  group %d: -%s +%s\n", t.Group, strings.Join(t.Out, " -"), strings.Join(t.In, " +"))
	}
	fmt.Fprintf(b, "unpriced: %s\n", strings.Join(s.Unpriced, ", "))
	fmt.Fprintf(b, "search: %d candidates, %d forced, %d groups, %d open, %s\n",
		s.Stats.Candidates, s.Stats.Forced, s.Stats.Groups, s.Stats.Open, s.Stats.Stopped)
	fmt.Fprintf(b, "shed functions: %s\n", strings.Join(r.Shed.Functions, ", "))
	fmt.Fprintf(b, "shed systems: %s\n", strings.Join(r.Shed.Systems, ", "))
	fmt.Fprintf(b, "shed vendors: %s\n", strings.Join(r.Shed.Vendors, ", "))
}

// describeRecovery renders a recovery plan as text for golden files.
func describeRecovery(b *strings.Builder, r *mvc.Recovery) {
	at := func(d *graph.Duration) string {
		if d == nil {
			return "never"
		}
		return d.String()
	}
	fmt.Fprintf(b, "halted %v, restored at %s\n", r.Halted, at(r.RestoredAt))
	for _, f := range r.Functions {
		fmt.Fprintf(b, "  %s: down %s, back %s\n", f.ID, f.HaltedAt, at(f.RestoredAt))
	}
	b.WriteString("steps:\n")
	for i, s := range r.Steps {
		mark := " "
		if s.Critical {
			mark = "*"
		}
		fmt.Fprintf(b, "%s %2d. %s (%s) down %s, ready %s, up %s, restore %s, after [%s]\n",
			mark, i+1, s.ID, s.Kind, s.DownAt, at(s.ReadyAt), at(s.UpAt), s.Restore, strings.Join(s.After, ", "))
	}
	fmt.Fprintf(b, "critical path: %s\n", strings.Join(r.CriticalPath, " → "))
	fmt.Fprintf(b, "later: %s\n", strings.Join(r.Later, ", "))
}
