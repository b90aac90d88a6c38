package impact

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// names turns Halts' vertices into ids.
func names(m *graph.Map, vs []int32) []string {
	var out []string
	for _, v := range vs {
		out = append(out, m.Nodes[v].ID)
	}
	return out
}

func TestSweepExamples(t *testing.T) {
	tests := []struct {
		name string
		m    *graph.Map
		fb   bool
		want map[string][]string // vendor → functions it halts alone
	}{
		{name: "bank", m: bank(t), want: map[string][]string{
			"cloud-eu-west": {"retail-payments"}, "dns-provider": {"retail-payments"}}},
		{name: "bank with fallbacks", m: bank(t), fb: true, want: map[string][]string{}},
		{name: "shared supplier", m: hiddenEDR(t), want: map[string][]string{"edr-agent": {"payments"}}},
		{name: "cycles", m: circular(t), want: map[string][]string{"vc": {"g"}}},
	}
	for _, tt := range tests {
		c := graph.Compile(tt.m, graph.CompileOptions{Fallbacks: tt.fb})
		ev := VendorEvents(c)
		b := Sweep(c, ev)
		got := map[string][]string{}
		for e := range ev.Names {
			if h := b.Halts(e); h != nil {
				got[ev.Names[e]] = names(tt.m, h)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Sweep(%s) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestSweepEdges(t *testing.T) {
	c := graph.Compile(bank(t), graph.CompileOptions{})
	b := Sweep(c, Events{})
	if b.Down(0) != nil || b.Halts(0) != nil {
		t.Error("a sweep without events reports something down")
	}
	b = Sweep(c, VendorEvents(c))
	if b.Down(-1) != nil || b.Down(int32(c.N())) != nil || b.Halts(-1) != nil || b.Halts(99) != nil {
		t.Error("out-of-range queries return sets")
	}
	// Members out of range are ignored.
	b = Sweep(c, Events{Names: []string{"x"}, Members: [][]int32{{-1, int32(c.N()) + 5}}})
	if b.Halts(0) != nil {
		t.Errorf("Halts of an event without valid members = %v", b.Halts(0))
	}
	if ds := NewSweeper(c).Downs(Events{}); len(ds) != 0 {
		t.Errorf("Downs without events = %v", ds)
	}
	d := NewSweeper(c).Dependents(nil, nil)
	if d.Of(0) != nil {
		t.Error("Dependents without targets reports some")
	}
}

func TestParentEvents(t *testing.T) {
	m := build(t, []spec{
		{id: "f", kind: "function", req: "a, b, c"},
		{id: "a", kind: "vendor", parent: "acme"},
		{id: "b", kind: "vendor", parent: "acme"},
		{id: "acme", kind: "vendor"},
		{id: "c", kind: "vendor"},
	})
	c := graph.Compile(m, graph.CompileOptions{})
	ev := ParentEvents(c)
	got := map[string][]string{}
	for i, n := range ev.Names {
		got[n] = names(m, ev.Members[i])
	}
	want := map[string][]string{"acme": {"a", "acme", "b"}, "c": {"c"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParentEvents mismatch (-want +got):\n%s", diff)
	}
	if !cmp.Equal(ev.Names, []string{"acme", "c"}) {
		t.Errorf("ParentEvents names = %v, want sorted", ev.Names)
	}
}

func TestBitset(t *testing.T) {
	b := NewBitset(130)
	for _, i := range []int{0, 63, 64, 129, 192, -1} {
		b.Add(i)
	}
	if got, want := b.Elems(), []int{0, 63, 64, 129}; !cmp.Equal(got, want) {
		t.Errorf("Elems = %v, want %v", got, want)
	}
	if b.Len() != 4 || b.IsEmpty() || !b.Has(64) || b.Has(65) || b.Has(-3) || b.Has(1000) {
		t.Errorf("Len/IsEmpty/Has wrong on %v", b.Elems())
	}
	o := NewBitset(130)
	o.Add(5)
	if b.Intersects(o) {
		t.Error("disjoint sets intersect")
	}
	o.Or(b)
	if !o.Intersects(b) || o.Len() != 5 {
		t.Errorf("Or gave %v", o.Elems())
	}
	if !Bitset(nil).IsEmpty() || Bitset(nil).Len() != 0 {
		t.Error("nil set not empty")
	}
}

func TestTranspose64(t *testing.T) {
	var a, orig [64]uint64
	x := uint64(0x9E3779B97F4A7C15)
	for i := range a {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		a[i] = x
	}
	orig = a
	transpose64(&a)
	for i := 0; i < 64; i++ {
		for j := 0; j < 64; j++ {
			if got, want := a[i]>>uint(j)&1, orig[j]>>uint(i)&1; got != want {
				t.Fatalf("transpose64: bit %d of word %d = %d, want bit %d of word %d = %d", j, i, got, i, j, want)
			}
		}
	}
}
