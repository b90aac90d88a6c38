package impact

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// spec is a node in the one-line form the tests write maps in.
type spec struct {
	id, kind, req string
	tier          graph.Tier
	parent        string
	aliases       []string
}

type fbSpec struct{ id, forID, req string }

// build validates a map written as specs through the builder.
func build(t testing.TB, nodes []spec, fbs ...fbSpec) *graph.Map {
	t.Helper()
	batch := &graph.Batch{Source: "test.yaml", Importer: "test"}
	for i, s := range nodes {
		k, ok := graph.ParseKind(s.kind)
		if !ok {
			t.Fatalf("bad kind %q", s.kind)
		}
		e, err := graph.ParseExpr(s.req, graph.Pos{File: "test.yaml", Line: i + 1})
		if err != nil {
			t.Fatalf("%s: %v", s.id, err)
		}
		batch.Nodes = append(batch.Nodes, &graph.Node{ID: s.id, Kind: k, Requires: e, Tier: s.tier,
			Parent: s.parent, Aliases: s.aliases, Source: graph.Pos{File: "test.yaml", Line: i + 1}})
	}
	for i, f := range fbs {
		e, err := graph.ParseExpr(f.req, graph.Pos{})
		if err != nil {
			t.Fatalf("%s: %v", f.id, err)
		}
		batch.Fallbacks = append(batch.Fallbacks, &graph.Fallback{ID: f.id, For: f.forID, Requires: e, Capacity: 1,
			Source: graph.Pos{File: "test.yaml", Line: 100 + i}})
	}
	b := graph.NewBuilder()
	b.Add(batch)
	m, ps := b.Build()
	if m == nil {
		t.Fatalf("invalid test map: %v", ps)
	}
	return m
}

func bank(t testing.TB) *graph.Map {
	return build(t, []spec{
		{id: "retail-payments", kind: "function", tier: graph.TierCore,
			req: "core-banking, any(swift-primary, swift-dr), 2of(dc-a, dc-b, dc-c)"},
		{id: "branch-services", kind: "function", tier: graph.TierSupporting, req: "call-centre"},
		{id: "core-banking", kind: "system", req: "cloud-eu-west"},
		{id: "swift-primary", kind: "system"},
		{id: "swift-dr", kind: "system"},
		{id: "dc-a", kind: "system"},
		{id: "dc-b", kind: "system"},
		{id: "dc-c", kind: "system"},
		{id: "call-centre", kind: "system"},
		{id: "cloud-eu-west", kind: "vendor", req: "dns-provider"},
		{id: "dns-provider", kind: "vendor", aliases: []string{"dns"}},
	}, fbSpec{id: "manual-payments", forID: "retail-payments", req: "call-centre"})
}

func hiddenEDR(t testing.TB) *graph.Map {
	return build(t, []spec{
		{id: "payments", kind: "function", tier: graph.TierCore, req: "any(vendor-a, vendor-b)"},
		{id: "vendor-a", kind: "vendor", req: "edr-agent"},
		{id: "vendor-b", kind: "vendor", req: "edr-agent"},
		{id: "edr-agent", kind: "vendor"},
	})
}

// fn is a FunctionResult in the short form the table uses.
func fn(id string, tier graph.Tier, because ...string) FunctionResult {
	return FunctionResult{ID: id, Name: id, Tier: tier, Down: len(because) > 0, Because: because}
}

func TestStatic(t *testing.T) {
	core, sup := graph.TierCore, graph.TierSupporting
	tests := []struct {
		name   string
		m      *graph.Map
		failed []string
		opt    Options
		want   *Result
	}{
		{
			name: "nothing fails", m: bank(t), failed: nil,
			want: &Result{Failed: []string{}, Down: []string{},
				Functions: []FunctionResult{fn("branch-services", sup), fn("retail-payments", core)}},
		},
		{
			name: "dns takes the cloud and core banking with it", m: bank(t), failed: []string{"dns-provider"},
			want: &Result{Failed: []string{"dns-provider"},
				Down: []string{"cloud-eu-west", "core-banking", "dns-provider", "retail-payments"},
				Functions: []FunctionResult{fn("branch-services", sup),
					fn("retail-payments", core, "retail-payments", "core-banking", "cloud-eu-west", "dns-provider")}},
		},
		{
			name: "by alias", m: bank(t), failed: []string{"dns"},
			want: &Result{Failed: []string{"dns-provider"},
				Down: []string{"cloud-eu-west", "core-banking", "dns-provider", "retail-payments"},
				Functions: []FunctionResult{fn("branch-services", sup),
					fn("retail-payments", core, "retail-payments", "core-banking", "cloud-eu-west", "dns-provider")}},
		},
		{
			name: "one swift route is redundancy", m: bank(t), failed: []string{"swift-primary"},
			want: &Result{Failed: []string{"swift-primary"}, Down: []string{"swift-primary"},
				Functions: []FunctionResult{fn("branch-services", sup), fn("retail-payments", core)}},
		},
		{
			name: "both swift routes: the last to fail is the cause", m: bank(t), failed: []string{"swift-primary", "swift-dr"},
			want: &Result{Failed: []string{"swift-dr", "swift-primary"},
				Down: []string{"retail-payments", "swift-dr", "swift-primary"},
				Functions: []FunctionResult{fn("branch-services", sup),
					fn("retail-payments", core, "retail-payments", "swift-primary")}},
		},
		{
			name: "one data centre of three", m: bank(t), failed: []string{"dc-b"},
			want: &Result{Failed: []string{"dc-b"}, Down: []string{"dc-b"},
				Functions: []FunctionResult{fn("branch-services", sup), fn("retail-payments", core)}},
		},
		{
			name: "two data centres of three", m: bank(t), failed: []string{"dc-c", "dc-a", "dc-c"},
			want: &Result{Failed: []string{"dc-a", "dc-c"}, Down: []string{"dc-a", "dc-c", "retail-payments"},
				Functions: []FunctionResult{fn("branch-services", sup),
					fn("retail-payments", core, "retail-payments", "dc-c")}},
		},
		{
			name: "fallback keeps payments up", m: bank(t), failed: []string{"dns-provider"}, opt: Options{Fallbacks: true},
			want: &Result{Failed: []string{"dns-provider"}, Fallbacks: true,
				Down:      []string{"cloud-eu-west", "core-banking", "dns-provider"},
				Functions: []FunctionResult{fn("branch-services", sup), fn("retail-payments", core)}},
		},
		{
			name: "fallback lost too", m: bank(t), failed: []string{"dns-provider", "call-centre"}, opt: Options{Fallbacks: true},
			want: &Result{Failed: []string{"call-centre", "dns-provider"}, Fallbacks: true,
				Down: []string{"branch-services", "call-centre", "cloud-eu-west", "core-banking", "dns-provider", "retail-payments"},
				Functions: []FunctionResult{fn("branch-services", sup, "branch-services", "call-centre"),
					fn("retail-payments", core, "retail-payments", "core-banking", "cloud-eu-west", "dns-provider")}},
		},
		{
			name: "a failed function explains itself", m: bank(t), failed: []string{"retail-payments"},
			want: &Result{Failed: []string{"retail-payments"}, Down: []string{"retail-payments"},
				Functions: []FunctionResult{fn("branch-services", sup), fn("retail-payments", core, "retail-payments")}},
		},
		{
			name: "shared supplier under two redundant vendors", m: hiddenEDR(t), failed: []string{"edr-agent"},
			want: &Result{Failed: []string{"edr-agent"}, Down: []string{"edr-agent", "payments", "vendor-a", "vendor-b"},
				Functions: []FunctionResult{fn("payments", core, "payments", "vendor-b", "edr-agent")}},
		},
		{
			name: "one of the redundant vendors", m: hiddenEDR(t), failed: []string{"vendor-a"},
			want: &Result{Failed: []string{"vendor-a"}, Down: []string{"vendor-a"},
				Functions: []FunctionResult{fn("payments", core)}},
		},
		{
			name: "circular backup stays up (least fixpoint)", m: circular(t), failed: []string{"va", "vb"},
			want: &Result{Failed: []string{"va", "vb"}, Down: []string{"va", "vb"},
				Functions: []FunctionResult{fn("f", core), fn("g", core)}},
		},
		{
			name: "a plain cycle falls together", m: circular(t), failed: []string{"vc"},
			want: &Result{Failed: []string{"vc"}, Down: []string{"c", "d", "g", "vc"},
				Functions: []FunctionResult{fn("f", core), fn("g", core, "g", "d", "c", "vc")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Static(tt.m, tt.failed, tt.opt)
			if err != nil {
				t.Fatalf("Static(%v): %v", tt.failed, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Static(%v) mismatch (-want +got):\n%s", tt.failed, diff)
			}
		})
	}
}

// circular has a circular backup (a, b) and a plain cycle (c, d).
func circular(t testing.TB) *graph.Map {
	return build(t, []spec{
		{id: "f", kind: "function", tier: graph.TierCore, req: "a"},
		{id: "g", kind: "function", tier: graph.TierCore, req: "d"},
		{id: "a", kind: "system", req: "any(va, b)"},
		{id: "b", kind: "system", req: "any(vb, a)"},
		{id: "c", kind: "system", req: "vc, d"},
		{id: "d", kind: "system", req: "c"},
		{id: "va", kind: "vendor"},
		{id: "vb", kind: "vendor"},
		{id: "vc", kind: "vendor"},
	})
}

func TestStaticUnknown(t *testing.T) {
	m := bank(t)
	tests := []struct {
		failed []string
		want   *UnknownNodeError
		msg    string
	}{
		{
			failed: []string{"dns-provder"},
			want:   &UnknownNodeError{IDs: []string{"dns-provder"}, Suggestions: map[string]string{"dns-provder": "dns-provider"}},
			msg:    `unknown node "dns-provder" (did you mean "dns-provider"?)`,
		},
		{
			failed: []string{"zzzzzzzzzzzz", "core-banking", "Core-Banking", "zzzzzzzzzzzz"},
			want:   &UnknownNodeError{IDs: []string{"Core-Banking", "zzzzzzzzzzzz"}, Suggestions: map[string]string{"Core-Banking": "core-banking"}},
			msg:    `unknown nodes "Core-Banking" (did you mean "core-banking"?), "zzzzzzzzzzzz"`,
		},
	}
	for _, tt := range tests {
		_, err := Static(m, tt.failed, Options{})
		var got *UnknownNodeError
		if !errors.As(err, &got) {
			t.Fatalf("Static(%v) error = %v, want *UnknownNodeError", tt.failed, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Static(%v) error mismatch (-want +got):\n%s", tt.failed, diff)
		}
		if err.Error() != tt.msg {
			t.Errorf("Static(%v) error = %q, want %q", tt.failed, err.Error(), tt.msg)
		}
	}
	if _, err := Static(nil, nil, Options{}); err == nil {
		t.Error("Static(nil map) = nil error, want one")
	}
	if _, err := StaticCircuit(nil, nil); err == nil {
		t.Error("StaticCircuit(nil) = nil error, want one")
	}
}

func TestEvaluatorReuse(t *testing.T) {
	m := bank(t)
	ev := NewEvaluator(graph.Compile(m, graph.CompileOptions{}))
	for _, failed := range [][]string{{"dns-provider"}, {"swift-dr"}, {"dns-provider"}, nil} {
		got, err := ev.Static(failed)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Static(m, failed, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Evaluator.Static(%v) after other scenarios mismatch (-want +got):\n%s", failed, diff)
		}
	}
	if got := ev.Because(-1); got != nil {
		t.Errorf("Because(-1) = %v, want nil", got)
	}
}
