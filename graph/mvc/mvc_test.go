package mvc_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// parse builds a map from lines "kind id [attr=value...]: requires", with
// requires in the one-line text form. Attributes: tier, fee (annual fee),
// restore and buffer (durations), fallback (the requirement of a
// fallback, "-" for none), and any other key as a free-form attribute.
func parse(t testing.TB, text string) *graph.Map {
	t.Helper()
	var nodes []*graph.Node
	var fbs []*graph.Fallback
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		head, req, _ := strings.Cut(line, ":")
		f := strings.Fields(head)
		k, ok := graph.ParseKind(f[0])
		if !ok {
			t.Fatalf("bad kind in %q", line)
		}
		n := &graph.Node{ID: f[1], Kind: k}
		e, err := graph.ParseExpr(req, graph.Pos{})
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		n.Requires = e
		for _, kv := range f[2:] {
			key, val, _ := strings.Cut(kv, "=")
			switch key {
			case "tier":
				n.Tier, _ = graph.ParseTier(val)
			case "fee":
				fee, err := strconv.ParseFloat(val, 64)
				if err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				n.Contract = &graph.Contract{AnnualFee: fee}
			case "restore", "buffer":
				d, err := graph.ParseDuration(val)
				if err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				if key == "restore" {
					n.Restore = &d
				} else {
					n.Buffer = &d
				}
			case "fallback":
				fb := &graph.Fallback{ID: n.ID + "/fallback", For: n.ID, Capacity: 1}
				if val != "-" {
					if fb.Requires, err = graph.ParseExpr(strings.ReplaceAll(val, ";", ","), graph.Pos{}); err != nil {
						t.Fatalf("%q: %v", line, err)
					}
				}
				fbs = append(fbs, fb)
			default:
				if n.Attrs == nil {
					n.Attrs = map[string]string{}
				}
				n.Attrs[key] = val
			}
		}
		nodes = append(nodes, n)
	}
	return graph.NewMap("test", nodes, fbs)
}

// supplyView is what the worked examples check of a supply set.
type supplyView struct {
	Vendors  []string
	Required []string
	Value    float64
	Optimal  bool
	Ties     []mvc.Tie
}

func view(s mvc.Supply) supplyView {
	v := supplyView{Vendors: []string{}, Required: []string{}, Value: s.Value, Optimal: s.Optimal && s.Canonical && s.TiesComplete, Ties: s.Ties}
	for _, x := range s.Vendors {
		v.Vendors = append(v.Vendors, x.ID)
		if x.Required {
			v.Required = append(v.Required, x.ID)
		}
	}
	return v
}

func TestSupply(t *testing.T) {
	tie := func(g int, out, in string) mvc.Tie {
		return mvc.Tie{Group: g, Out: strings.Fields(out), In: strings.Fields(in)}
	}
	for _, tc := range []struct {
		name string
		m    string
		opt  mvc.Options
		want supplyView
	}{{
		name: "list",
		m: `function pay tier=core: core-banking, cloud
system core-banking: cloud, dns
vendor cloud: dns
vendor dns:
vendor unused:`,
		want: supplyView{Vendors: []string{"cloud", "dns"}, Required: []string{"cloud", "dns"}, Value: 2, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "any group, fewest vendors: the cheapest, the other ties",
		m: `function pay tier=core: any(swift-b, swift-a)
vendor swift-a fee=5000:
vendor swift-b fee=3000:`,
		want: supplyView{Vendors: []string{"swift-b"}, Required: []string{}, Value: 1, Optimal: true, Ties: []mvc.Tie{tie(1, "swift-b", "swift-a")}},
	}, {
		name: "any group, fewest vendors, equal costs: the first by id",
		m: `function pay tier=core: any(swift-b, swift-a, swift-c)
vendor swift-a fee=3000:
vendor swift-b fee=3000:
vendor swift-c:`,
		want: supplyView{Vendors: []string{"swift-c"}, Required: []string{}, Value: 1, Optimal: true, Ties: []mvc.Tie{tie(1, "swift-c", "swift-a"), tie(1, "swift-c", "swift-b")}},
	}, {
		name: "any group, fewest vendors, costs by attribute",
		m: `function pay tier=core: any(swift-b, swift-a)
vendor swift-a fee=3000 cost=2:
vendor swift-b fee=5000 cost=1:`,
		opt:  mvc.Options{CostAttr: "cost"},
		want: supplyView{Vendors: []string{"swift-b"}, Required: []string{}, Value: 1, Optimal: true, Ties: []mvc.Tie{tie(1, "swift-b", "swift-a")}},
	}, {
		name: "any group, lowest cost",
		m: `function pay tier=core: any(swift-b, swift-a)
vendor swift-a fee=5000:
vendor swift-b fee=3000:`,
		opt:  mvc.Options{Minimize: mvc.MinCost},
		want: supplyView{Vendors: []string{"swift-b"}, Required: []string{}, Value: 3000, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "cost attribute",
		m: `function pay tier=core: any(swift-b, swift-a)
vendor swift-a fee=5000 cost=1:
vendor swift-b fee=3000 cost=2:`,
		opt:  mvc.Options{Minimize: mvc.MinCost, CostAttr: "cost"},
		want: supplyView{Vendors: []string{"swift-a"}, Required: []string{}, Value: 1, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "2 of 3 data centres, each with its own power supplier",
		m: `function pay tier=core: core
system core: 2of(dc-a, dc-b, dc-c)
system dc-a: power-a
system dc-b: power-b
system dc-c: power-c
vendor power-a:
vendor power-b:
vendor power-c:`,
		want: supplyView{Vendors: []string{"power-a", "power-b"}, Required: []string{}, Value: 2, Optimal: true,
			Ties: []mvc.Tie{tie(1, "power-b", "power-c"), tie(1, "power-a", "power-c")}},
	}, {
		name: "2 of 3 with a shared supplier: one vendor serves two sites",
		m: `function pay tier=core: 2of(dc-a, dc-b, dc-c)
system dc-a: grid
system dc-b: grid
system dc-c: solar
vendor grid:
vendor solar:`,
		want: supplyView{Vendors: []string{"grid"}, Required: []string{"grid"}, Value: 1, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "fourth-party chain: the shorter supply chain wins, the shared fourth party is required",
		m: `function cards tier=core: any(processor-b, processor-a)
vendor processor-a: edr
vendor processor-b: edr, dns
vendor edr:
vendor dns:`,
		want: supplyView{Vendors: []string{"edr", "processor-a"}, Required: []string{"edr"}, Value: 2, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "circular backup keeps itself up: no vendor needed (least fixpoint)",
		m: `function pay tier=core: app-a
system app-a: any(ven-a, app-b)
system app-b: any(ven-b, app-a)
vendor ven-a:
vendor ven-b:`,
		want: supplyView{Vendors: []string{}, Required: []string{}, Value: 0, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "plain cycle with outside support",
		m: `function pay tier=core: app-a
system app-a: app-b, any(ven-a, ven-b)
system app-b: app-a, ven-c
vendor ven-a:
vendor ven-b:
vendor ven-c:`,
		want: supplyView{Vendors: []string{"ven-a", "ven-c"}, Required: []string{"ven-c"}, Value: 2, Optimal: true, Ties: []mvc.Tie{tie(1, "ven-a", "ven-b")}},
	}, {
		name: "independent choices are separate groups that combine",
		m: `function pay tier=core: any(a1, a2), any(b1, b2)
vendor a1:
vendor a2:
vendor b1:
vendor b2:`,
		want: supplyView{Vendors: []string{"a1", "b1"}, Required: []string{}, Value: 2, Optimal: true,
			Ties: []mvc.Tie{tie(1, "a1", "a2"), tie(2, "b1", "b2")}},
	}, {
		name: "fallback counts only when asked",
		m: `function pay tier=core fallback=manual: card-processor
system manual: call-centre
vendor card-processor fee=900:
vendor call-centre fee=100:`,
		opt:  mvc.Options{Fallbacks: true, Minimize: mvc.MinCost},
		want: supplyView{Vendors: []string{"call-centre"}, Required: []string{}, Value: 100, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "fallback left out",
		m: `function pay tier=core fallback=manual: card-processor
system manual: call-centre
vendor card-processor fee=900:
vendor call-centre fee=100:`,
		opt:  mvc.Options{Minimize: mvc.MinCost},
		want: supplyView{Vendors: []string{"card-processor"}, Required: []string{"card-processor"}, Value: 900, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "zero-cost vendors are taken only when needed",
		m: `function pay tier=core: any(free-a, paid), any(free-b, free-c)
vendor free-a:
vendor free-b:
vendor free-c:
vendor paid fee=10:`,
		opt: mvc.Options{Minimize: mvc.MinCost},
		want: supplyView{Vendors: []string{"free-a", "free-b"}, Required: []string{}, Value: 0, Optimal: true,
			Ties: []mvc.Tie{tie(1, "free-b", "free-c")}},
	}, {
		name: "targets named explicitly",
		m: `function pay tier=core: a
function report: b
vendor a:
vendor b:`,
		opt:  mvc.Options{Functions: []string{"report"}},
		want: supplyView{Vendors: []string{"b"}, Required: []string{"b"}, Value: 1, Optimal: true, Ties: []mvc.Tie{}},
	}, {
		name: "ties beyond MaxTies are cut",
		m: `function pay tier=core: any(a, b, c)
vendor a:
vendor b:
vendor c:`,
		opt:  mvc.Options{MaxTies: 1},
		want: supplyView{Vendors: []string{"a"}, Required: []string{}, Value: 1, Optimal: false, Ties: []mvc.Tie{tie(1, "a", "b")}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := mvc.Analyze(context.Background(), parse(t, tc.m), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, view(res.Supply)); diff != "" {
				t.Errorf("Analyze(%s) supply mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

func TestFunctionsAndShed(t *testing.T) {
	m := parse(t, `function pay tier=core: core-banking, settle
function settle tier=important: any(rtgs, manual-settle)
function manual-settle tier=supporting: phone
function marketing tier=supporting: crm
system core-banking: cloud
system crm: cloud
system phone:
vendor cloud:
vendor rtgs:
vendor crm-saas:`)
	res, err := mvc.Analyze(context.Background(), m, mvc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &mvc.Result{
		Targets: []string{"pay"},
		Functions: []mvc.Function{
			{ID: "manual-settle", Name: "manual-settle", Tier: graph.TierSupporting, Reason: mvc.Alternative, Via: []string{"pay", "settle", "manual-settle"}},
			{ID: "pay", Name: "pay", Tier: graph.TierCore, Reason: mvc.Core, Via: []string{"pay"}},
			{ID: "settle", Name: "settle", Tier: graph.TierImportant, Reason: mvc.Required, Via: []string{"pay", "settle"}},
		},
		Shed: mvc.Shed{Functions: []string{"marketing"}, Systems: []string{"crm"}, Vendors: []string{"crm-saas"}},
	}
	res.Supply = mvc.Supply{}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Analyze functions and shed mismatch (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	m := parse(t, `function pay tier=core: any(a, b)
vendor a cost=abc:
vendor b cost=-1:`)
	ctx := context.Background()
	if _, err := mvc.Analyze(ctx, nil, mvc.Options{}); err == nil {
		t.Error("Analyze(nil map): no error")
	}
	var unknown *impact.UnknownNodeError
	if _, err := mvc.Analyze(ctx, m, mvc.Options{Functions: []string{"paj"}}); !errors.As(err, &unknown) || unknown.Suggestions["paj"] != "pay" {
		t.Errorf("Analyze(unknown target) = %v, want an UnknownNodeError suggesting pay", err)
	}
	var notFn *mvc.NotFunctionError
	if _, err := mvc.Analyze(ctx, m, mvc.Options{Functions: []string{"a"}}); !errors.As(err, &notFn) || notFn.Kind != graph.KindVendor {
		t.Errorf("Analyze(vendor target) = %v, want a NotFunctionError", err)
	}
	var costErr *mvc.CostError
	_, err := mvc.Analyze(ctx, m, mvc.Options{Minimize: mvc.MinCost, CostAttr: "cost"})
	if !errors.As(err, &costErr) || costErr.Vendor != "a" || costErr.Value != "abc" {
		t.Errorf("Analyze(bad cost) = %v, want a CostError for a", err)
	} else if got, want := err.Error(), `vendor "a": cost "abc" is not a cost; write a number, 0 or more`; got != want {
		t.Errorf("CostError = %q, want %q", got, want)
	}
	// Counting vendors, bad costs are only unpriced.
	res, err := mvc.Analyze(ctx, m, mvc.Options{CostAttr: "cost"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, res.Supply.Unpriced); diff != "" {
		t.Errorf("Analyze unpriced mismatch (-want +got):\n%s", diff)
	}
}

func TestCanceled(t *testing.T) {
	m := parse(t, `function pay tier=core: any(a, b), any(c, d)
vendor a:
vendor b:
vendor c:
vendor d:`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := mvc.Analyze(ctx, m, mvc.Options{TimeLimit: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Supply
	if s.Optimal || s.Stats.Stopped != mvc.Canceled || len(s.Vendors) < 2 || s.LowerBound > 2 {
		t.Errorf("Analyze(canceled) = optimal %v, stopped %s, vendors %v, bound %v; want a feasible set, not optimal, stopped by cancel",
			s.Optimal, s.Stats.Stopped, ids(s.Vendors), s.LowerBound)
	}
}

func TestParseObjective(t *testing.T) {
	for _, o := range []mvc.Objective{mvc.MinVendors, mvc.MinCost} {
		if got, ok := mvc.ParseObjective(strings.ToUpper(o.String())); !ok || got != o {
			t.Errorf("ParseObjective(%q) = %v, %v", o, got, ok)
		}
	}
	if _, ok := mvc.ParseObjective("price"); ok {
		t.Error(`ParseObjective("price") ok`)
	}
}

func TestNoTargets(t *testing.T) {
	m := parse(t, `function report tier=important: a
vendor a:`)
	res, err := mvc.Analyze(context.Background(), m, mvc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := supplyView{Vendors: []string{}, Required: []string{}, Value: 0, Optimal: true, Ties: []mvc.Tie{}}
	if diff := cmp.Diff(want, view(res.Supply)); diff != "" {
		t.Errorf("Analyze(no core function) supply mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(mvc.Shed{Functions: []string{"report"}, Systems: []string{}, Vendors: []string{"a"}}, res.Shed); diff != "" {
		t.Errorf("Analyze(no core function) shed mismatch (-want +got):\n%s", diff)
	}
	rec, err := mvc.Recover(m, []impact.Outage{{ID: "a", Duration: graph.Hour}}, mvc.RecoveryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Halted || len(rec.Steps) != 0 || !slices.Equal(rec.Later, []string{"a", "report"}) {
		t.Errorf("Recover(no core function) = halted %v, steps %v, later %v", rec.Halted, rec.Steps, rec.Later)
	}
}

func TestUnsatisfiable(t *testing.T) {
	m := graph.NewMap("invalid", []*graph.Node{
		{ID: "pay", Kind: graph.KindFunction, Tier: graph.TierCore, Requires: graph.All(graph.Ref("dc"))},
		{ID: "dc", Kind: graph.KindSystem, Requires: graph.All(graph.Ref("a"), graph.AtLeast(3, graph.Ref("a"), graph.Ref("b")))},
		{ID: "a", Kind: graph.KindVendor},
		{ID: "b", Kind: graph.KindVendor},
	}, nil)
	_, err := mvc.Analyze(context.Background(), m, mvc.Options{})
	if !errors.Is(err, mvc.ErrUnsatisfiable) || !strings.Contains(err.Error(), `"dc"`) {
		t.Errorf("Analyze(3 of 2) = %v, want ErrUnsatisfiable naming dc", err)
	}
}
