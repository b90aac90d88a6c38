package graph

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// at parses "file:line:col" (line and col optional) into a Pos.
func at(s string) Pos {
	parts := strings.Split(s, ":")
	p := Pos{File: parts[0]}
	if len(parts) > 1 {
		p.Line, _ = strconv.Atoi(parts[1])
	}
	if len(parts) > 2 {
		p.Col, _ = strconv.Atoi(parts[2])
	}
	return p
}

// req parses a requirement written at pos.
func req(s, pos string) *Expr {
	e, err := ParseExpr(s, at(pos))
	if err != nil {
		panic(err)
	}
	return e
}

func mk(kind Kind, id, pos string, opts ...func(*Node)) *Node {
	n := &Node{ID: id, Kind: kind, Source: at(pos)}
	for _, o := range opts {
		o(n)
	}
	return n
}

func fn(id, pos string, opts ...func(*Node)) *Node  { return mk(KindFunction, id, pos, opts...) }
func sys(id, pos string, opts ...func(*Node)) *Node { return mk(KindSystem, id, pos, opts...) }
func ven(id, pos string, opts ...func(*Node)) *Node { return mk(KindVendor, id, pos, opts...) }

// requires sets a node's requirement, written at the node's position
// moved 10 columns right.
func requires(s string) func(*Node) {
	return func(n *Node) {
		p := n.Source
		p.Col += 10
		if p.Line == 0 {
			p.Line = 1
		}
		n.Requires = req(s, p.String())
	}
}

func named(name string) func(*Node) { return func(n *Node) { n.Name = name } }

func fb(id, forID, pos, requires string) *Fallback {
	f := &Fallback{ID: id, For: forID, Source: at(pos), Capacity: 1}
	if requires != "" {
		f.Requires = req(requires, pos)
	}
	return f
}

func with(f *Fallback, change func(*Fallback)) *Fallback {
	change(f)
	return f
}

func batch(file string, nodes []*Node, fbs ...*Fallback) *Batch {
	return &Batch{Source: file, Importer: "test", Nodes: nodes, Fallbacks: fbs}
}

func build(batches ...*Batch) (*Map, Problems) {
	b := NewBuilder()
	for _, x := range batches {
		b.Add(x)
	}
	return b.Build()
}

func strs(ps Problems) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestBuildProblems(t *testing.T) {
	tests := []struct {
		name    string
		batches []*Batch
		want    []string // Problem.String() of every problem, in order
	}{
		{
			name: "clean",
			batches: []*Batch{batch("a.yaml", []*Node{
				fn("pay", "a.yaml:2:3", requires("core, any(swift-a, swift-b)")),
				sys("core", "a.yaml:5:3", requires("cloud")),
				ven("swift-a", "a.yaml:8:3"), ven("swift-b", "a.yaml:9:3"), ven("cloud", "a.yaml:10:3"),
			})},
		},
		{
			name: "conflicting field",
			batches: []*Batch{
				batch("a.yaml", []*Node{sys("core", "a.yaml:2:3", named("Core"))}),
				batch("b.csv", []*Node{sys("core", "b.csv:5:1", named("Core banking"))}),
			},
			want: []string{`b.csv:5:1: error: system "core" is defined differently at a.yaml:2:3: name "Core banking" here, "Core" there; make the definitions agree, or remove one`},
		},
		{
			name: "conflicting kind and requirement",
			batches: []*Batch{
				batch("a.yaml", []*Node{sys("core", "a.yaml:2:3", requires("x")), sys("db", "a.yaml:4:3", requires("x")), ven("x", "a.yaml:6:3"), ven("y", "a.yaml:7:3")}),
				batch("b.csv", []*Node{ven("core", "b.csv:5:1"), sys("db", "b.csv:6:1", requires("x, y"))}),
			},
			want: []string{
				`b.csv:5:1: error: system "core" is defined differently at a.yaml:2:3: kind vendor here, system there; make the definitions agree, or remove one`,
				`b.csv:6:1: error: system "db" is defined differently at a.yaml:4:3: requires "x, y" here, "x" there; make the definitions agree, or remove one`,
			},
		},
		{
			name: "same id twice in one file",
			batches: []*Batch{batch("a.yaml", []*Node{
				sys("core", "a.yaml:2:3"), sys("core", "a.yaml:9:3"),
			})},
			want: []string{`a.yaml:9:3: error: duplicate id "core": already defined at a.yaml:2:3; give each entry its own id, or merge the two entries`},
		},
		{
			name: "same id twice in the second file",
			batches: []*Batch{
				batch("a.yaml", []*Node{sys("core", "a.yaml:2:3")}),
				batch("b.yaml", []*Node{sys("core", "b.yaml:4:3"), sys("core", "b.yaml:8:3")}),
			},
			want: []string{`b.yaml:8:3: error: duplicate id "core": already defined at b.yaml:4:3; give each entry its own id, or merge the two entries`},
		},
		{
			name: "same id twice without positions in the nodes",
			batches: []*Batch{
				{Source: "c.csv", Nodes: []*Node{{ID: "x", Kind: KindSystem}, {ID: "x", Kind: KindSystem}}},
			},
			want: []string{`c.csv: error: duplicate id "x": already defined at c.csv; give each entry its own id, or merge the two entries`},
		},
		{
			name: "invalid ids and kinds",
			batches: []*Batch{batch("a.yaml", []*Node{
				sys("-bad", "a.yaml:2:3"), sys("a b", "a.yaml:3:3"), sys("", "a.yaml:4:3"),
				mk(0, "nokind", "a.yaml:5:3"), mk(9, "badkind", "a.yaml:6:3"),
			})},
			want: []string{
				`a.yaml:2:3: error: invalid id "-bad"; ids start with a letter or digit and use only letters, digits and . _ : / -`,
				`a.yaml:3:3: error: invalid id "a b"; ids start with a letter or digit and use only letters, digits and . _ : / -`,
				`a.yaml:4:3: error: invalid id ""; ids start with a letter or digit and use only letters, digits and . _ : / -`,
				`a.yaml:5:3: error: "nokind" has no valid kind (kind(0)); make it a function, system or vendor`,
				`a.yaml:6:3: error: "badkind" has no valid kind (kind(9)); make it a function, system or vendor`,
			},
		},
		{
			name: "unknown reference",
			batches: []*Batch{batch("a.yaml", []*Node{
				sys("core-banking", "a.yaml:2:3"),
				fn("pay", "a.yaml:4:3", requires("core-bankng, zzzzzzzz")),
				fn("pay2", "a.yaml:5:3", requires("Core-Banking")),
			})},
			want: []string{
				`a.yaml:4:13: error: pay requires unknown node "core-bankng"; did you mean "core-banking"?`,
				`a.yaml:4:26: error: pay requires unknown node "zzzzzzzz"; define it as a function, system or vendor, or fix the id`,
				`a.yaml:5:13: error: pay2 requires unknown node "Core-Banking"; did you mean "core-banking"?`,
			},
		},
		{
			name: "atleast counts",
			batches: []*Batch{batch("a.yaml", []*Node{
				ven("a", "a.yaml:1:1"), ven("b", "a.yaml:2:1"), ven("c", "a.yaml:3:1"),
				fn("f", "a.yaml:5:1", requires("4of(a, b, c)")),
				fn("g", "a.yaml:6:1", requires("a, 0of(b, c)")),
				fn("h", "a.yaml:7:1", requires("3of(a, b, c)")),
			})},
			want: []string{
				`a.yaml:5:11: error: f requires at least 4 of 3; the count must be between 1 and the number of items (3)`,
				`a.yaml:6:14: error: g requires at least 0 of 2; the count must be between 1 and the number of items (2)`,
			},
		},
		{
			name: "empty groups, nil items and self reference",
			batches: []*Batch{batch("a.yaml", []*Node{
				fn("f", "a.yaml:1:1", func(n *Node) { n.Requires = All(Any()) }),
				fn("g", "a.yaml:2:1", func(n *Node) { n.Requires = All(Ref("f"), nil) }),
				fn("h", "a.yaml:3:1", requires("f, any(g, h)")),
				fn("k", "a.yaml:4:1", func(n *Node) { n.Requires = All() }), // an empty list is no requirement
				fn("m", "a.yaml:5:1", func(n *Node) { n.Requires = &Expr{Ref: "f"} }),
			})},
			want: []string{
				`a.yaml:1:1: error: f has an empty requirement group; list at least one node id in the group, or remove it`,
				`a.yaml:2:1: error: g has an empty item in a requirement group; write a node id or a group for every item`,
				`a.yaml:3:21: error: h requires itself; remove the reference; a node cannot depend on its own state`,
				`a.yaml:5:1: error: m has a requirement with no operator`,
			},
		},
		{
			name: "fallbacks",
			batches: []*Batch{batch("a.yaml",
				[]*Node{fn("payments", "a.yaml:1:1", requires("core")), sys("core", "a.yaml:2:1"), sys("phones", "a.yaml:3:1")},
				fb("manual", "paymnts", "a.yaml:10:1", "phones"),
				fb("", "", "a.yaml:11:1", ""),
				with(fb("cap", "payments", "a.yaml:12:1", "phones"), func(f *Fallback) { f.Capacity = 1.5 }),
				with(fb("nan", "payments", "a.yaml:13:1", "phones"), func(f *Fallback) { f.Capacity = math.NaN() }),
				with(fb("neg", "payments", "a.yaml:14:1", "phones"), func(f *Fallback) { f.Capacity = -0.1; f.Activation = -Hour }),
				fb("self", "payments", "a.yaml:15:1", "payments"),
				fb("bad id", "payments", "a.yaml:16:1", ""),
				fb("manual", "payments", "a.yaml:17:1", ""),
				fb("unknown-req", "payments", "a.yaml:18:1", "telex"),
			)},
			want: []string{
				`a.yaml:10:1: error: fallback "manual" is for unknown node "paymnts"; did you mean "payments"?`,
				`a.yaml:11:1: error: fallback "/fallback" does not say which node it is for; set for: to the id of the function or system it keeps up`,
				`a.yaml:12:1: error: fallback "cap" has capacity 1.5; capacity is a share between 0 and 1 (0.3 = 30% of normal)`,
				`a.yaml:13:1: error: fallback "nan" has capacity NaN; capacity is a share between 0 and 1 (0.3 = 30% of normal)`,
				`a.yaml:14:1: error: fallback "neg" has capacity -0.1; capacity is a share between 0 and 1 (0.3 = 30% of normal)`,
				`a.yaml:14:1: error: fallback neg has activation -1h; durations are lengths of time, 0 or more`,
				`a.yaml:15:1: error: fallback self requires itself; remove the reference; a node cannot depend on its own state`,
				`a.yaml:16:1: error: invalid fallback id "bad id"; ids start with a letter or digit and use only letters, digits and . _ : / -`,
				`a.yaml:17:1: error: duplicate fallback id "manual": already defined at a.yaml:10:1; give each fallback its own id`,
				`a.yaml:18:1: error: fallback unknown-req requires unknown node "telex"; define it as a function, system or vendor, or fix the id`,
			},
		},
		{
			name: "attribute ranges",
			batches: []*Batch{batch("a.yaml", []*Node{
				ven("v1", "a.yaml:1:1", func(n *Node) { p := 2.0; n.Probability = &p }),
				ven("v2", "a.yaml:2:1", func(n *Node) { p := math.NaN(); n.Probability = &p }),
				ven("v3", "a.yaml:3:1", func(n *Node) { n.Contract = &Contract{Substitutability: "maybe", AnnualFee: -1} }),
				ven("v4", "a.yaml:4:1", func(n *Node) { p := 0.0; n.Probability = &p; n.Contract = &Contract{Substitutability: "hard"} }),
				fn("f1", "a.yaml:5:1", func(n *Node) { n.ImpactPerHour = -5; n.Tier = 7; n.Tolerance = (-Hour).Ptr() }),
			})},
			want: []string{
				`a.yaml:1:1: error: v1 has probability 2; probability is a yearly chance between 0 and 1`,
				`a.yaml:2:1: error: v2 has probability NaN; probability is a yearly chance between 0 and 1`,
				`a.yaml:3:1: error: v3 has contract annual fee -1; amounts of money are 0 or more`,
				`a.yaml:3:1: error: v3 has substitutability "maybe"; use easy, hard or none`,
				`a.yaml:5:1: error: f1 has impact per hour -5; impact per hour is an amount of money, 0 or more`,
				`a.yaml:5:1: error: f1 has tier 7; use core, important or supporting`,
				`a.yaml:5:1: error: f1 has tolerance -1h; durations are lengths of time, 0 or more`,
			},
		},
		{
			name: "aliases",
			batches: []*Batch{batch("a.yaml", []*Node{
				ven("crowdstrike", "a.yaml:1:1", func(n *Node) { n.Aliases = []string{"CrowdStrike Inc.", "cs", "crowdstrike"} }),
				ven("dns", "a.yaml:2:1", func(n *Node) { n.Aliases = []string{"crowdstrike-dup", "cs"} }),
				ven("other", "a.yaml:3:1", func(n *Node) { n.Aliases = []string{"dns"} }),
				sys("edr", "a.yaml:4:1", requires("cs")),
			})},
			want: []string{
				`a.yaml:2:1: error: alias "cs" is claimed by both "crowdstrike" (at a.yaml:1:1) and "dns"; an alias names one node only; drop it from one of them`,
				`a.yaml:3:1: error: alias "dns" of "other" is also the id of a node defined at a.yaml:2:1; an alias must not be another node's id; merge the two or drop the alias`,
			},
		},
		{
			name: "self reference through an alias",
			batches: []*Batch{batch("a.yaml", []*Node{
				ven("cs", "a.yaml:1:1", func(n *Node) { n.Aliases = []string{"crowdstrike"} }, requires("crowdstrike")),
			})},
			want: []string{`a.yaml:1:11: error: cs requires itself (as "crowdstrike"); remove the reference; a node cannot depend on its own state`},
		},
		{
			name: "cycles",
			batches: []*Batch{batch("a.yaml", []*Node{
				sys("a", "a.yaml:1:1", requires("b")),
				sys("b", "a.yaml:2:1", requires("a")),
				sys("p", "a.yaml:3:1", requires("any(vp, q)")),
				sys("q", "a.yaml:4:1", requires("any(vq, p)")),
				ven("vp", "a.yaml:5:1"), ven("vq", "a.yaml:6:1"),
			})},
			want: []string{
				`a.yaml:1:1: info: cycle: a → b → a`,
				`a.yaml:3:1: warning: circular backup: p → q → p; nodes in this cycle back each other up through any/atleast groups or fallbacks; when their own suppliers all fail they still count each other as up (the optimistic least-fixpoint reading)`,
			},
		},
		{
			name: "batch problems pass through and errors come together, sorted",
			batches: []*Batch{
				{Source: "b.yaml", Problems: Problems{{Pos: at("b.yaml:7:2"), Severity: Error, Msg: "tier: unknown tier \"gold\"", Hint: "use core, important or supporting"}}},
				batch("a.yaml", []*Node{
					fn("f", "a.yaml:3:1", requires("nope")),
					fn("g", "a.yaml:1:1", requires("2of(f)")),
					sys("f", "a.yaml:9:1"),
				}),
			},
			want: []string{
				`a.yaml:1:11: error: g requires at least 2 of 1; the count must be between 1 and the number of items (1)`,
				`a.yaml:3:11: error: f requires unknown node "nope"; define it as a function, system or vendor, or fix the id`,
				`a.yaml:9:1: error: duplicate id "f": already defined at a.yaml:3:1; give each entry its own id, or merge the two entries`,
				`b.yaml:7:2: error: tier: unknown tier "gold"; use core, important or supporting`,
			},
		},
	}
	for _, tt := range tests {
		m, ps := build(tt.batches...)
		if diff := cmp.Diff(tt.want, strs(ps)); diff != "" {
			t.Errorf("%s: Build() problems mismatch (-want +got):\n%s", tt.name, diff)
		}
		if got, want := m != nil, !ps.HasErrors(); got != want {
			t.Errorf("%s: Build() map returned = %v, want %v", tt.name, got, want)
		}
		if m != nil && fmt.Sprint(m.Problems) != fmt.Sprint(ps) {
			t.Errorf("%s: Map.Problems = %v, want %v", tt.name, m.Problems, ps)
		}
	}
}

func TestBuildMerge(t *testing.T) {
	prob := 0.05
	a := batch("a.yaml", []*Node{
		sys("core", "a.yaml:2:3", named("Core"), requires("db"), func(n *Node) {
			n.Tags = []string{"tier1", "eu"}
			n.Attrs = map[string]string{"team": "payments"}
			n.Responsibility = Responsibility{Monitor: "noc"}
		}),
		ven("db", "a.yaml:8:3", func(n *Node) { n.Contract = &Contract{Ref: "C-1"} }),
	})
	b := batch("b.csv", []*Node{
		sys("core", "b.csv:4:1", func(n *Node) {
			n.Owner = "ops"
			n.RTO = (4 * Hour).Ptr()
			n.Tags = []string{"eu", "pci"}
			n.Attrs = map[string]string{"cost-centre": "42", "team": "payments"}
			n.Responsibility = Responsibility{Repair: "vendor"}
		}, requires("db")),
		ven("db", "b.csv:5:1", func(n *Node) {
			n.Contract = &Contract{AnnualFee: 1000, Ref: "C-1"}
			n.Probability = &prob
			n.Aliases = []string{"database-inc"}
		}),
	})
	bNodesBefore := fmt.Sprintf("%+v %+v", *b.Nodes[0], *b.Nodes[1].Contract)
	m, ps := build(a, b)
	if len(ps) != 0 {
		t.Fatalf("Build() problems: %v", ps)
	}
	want := []*Node{
		{ID: "core", Kind: KindSystem, Name: "Core", Owner: "ops", RTO: (4 * Hour).Ptr(),
			Tags: []string{"tier1", "eu", "pci"}, Attrs: map[string]string{"team": "payments", "cost-centre": "42"},
			Responsibility: Responsibility{Monitor: "noc", Repair: "vendor"},
			Requires:       req("db", "a.yaml:2:13"), Source: Pos{File: "a.yaml", Line: 2, Col: 3, Importer: "test"}},
		{ID: "db", Kind: KindVendor, Contract: &Contract{Ref: "C-1", AnnualFee: 1000}, Probability: &prob,
			Aliases: []string{"database-inc"}, Source: Pos{File: "a.yaml", Line: 8, Col: 3, Importer: "test"}},
	}
	if diff := cmp.Diff(want, m.Nodes); diff != "" {
		t.Errorf("Build() merged nodes mismatch (-want +got):\n%s", diff)
	}
	// The batches are left as they were.
	if got := fmt.Sprintf("%+v %+v", *b.Nodes[0], *b.Nodes[1].Contract); got != bNodesBefore {
		t.Errorf("Build() changed a batch:\n%s\n%s", bNodesBefore, got)
	}
	if a.Nodes[1].Contract.AnnualFee != 0 || len(a.Nodes[0].Tags) != 2 || len(a.Nodes[0].Attrs) != 1 {
		t.Errorf("Build() changed batch a: %+v %+v", a.Nodes[0], a.Nodes[1].Contract)
	}

	// Conflicts inside merged structs and maps are named by key.
	_, ps = build(
		batch("a.yaml", []*Node{ven("v", "a.yaml:1:1", func(n *Node) {
			n.Contract = &Contract{AnnualFee: 1, SLA: "99.9"}
			n.Attrs = map[string]string{"k": "1"}
			n.OutageDuration = Hour.Ptr()
			n.Responsibility.Monitor = "noc"
		})}),
		batch("b.yaml", []*Node{ven("v", "b.yaml:1:1", func(n *Node) {
			n.Contract = &Contract{AnnualFee: 2, SLA: "99.9", LiabilityCap: 5}
			n.Attrs = map[string]string{"k": "2"}
			n.OutageDuration = (2 * Hour).Ptr()
			n.Responsibility.Monitor = "soc"
		})}),
	)
	wantPs := []string{
		`b.yaml:1:1: error: vendor "v" is defined differently at a.yaml:1:1: attrs.k "2" here, "1" there; make the definitions agree, or remove one`,
		`b.yaml:1:1: error: vendor "v" is defined differently at a.yaml:1:1: contract.annual_fee 2 here, 1 there; make the definitions agree, or remove one`,
		`b.yaml:1:1: error: vendor "v" is defined differently at a.yaml:1:1: outage_duration 2h here, 1h there; make the definitions agree, or remove one`,
		`b.yaml:1:1: error: vendor "v" is defined differently at a.yaml:1:1: responsibility.monitor "soc" here, "noc" there; make the definitions agree, or remove one`,
	}
	if diff := cmp.Diff(wantPs, strs(ps)); diff != "" {
		t.Errorf("Build() merge conflicts mismatch (-want +got):\n%s", diff)
	}
	for _, p := range ps {
		if diff := cmp.Diff([]Pos{{File: "a.yaml", Line: 1, Col: 1, Importer: "test"}}, p.Related); diff != "" {
			t.Errorf("conflict Related mismatch (-want +got):\n%s", diff)
		}
	}
}

func TestBuildAliasesAndFallbacks(t *testing.T) {
	m, ps := build(batch("a.yaml", []*Node{
		ven("crowdstrike", "a.yaml:1:1", func(n *Node) { n.Aliases = []string{"CrowdStrike Inc.", "cs"} }),
		sys("edr", "a.yaml:2:1", requires("cs")),
		fn("pay", "a.yaml:3:1", requires("edr")),
		sys("phones", "a.yaml:4:1"),
	},
		fb("", "pay", "a.yaml:10:1", "phones"),
		fb("", "pay", "a.yaml:11:1", ""),
		fb("pay/fallback-2", "pay", "a.yaml:12:1", ""),
		fb("by-alias", "cs", "a.yaml:13:1", ""),
	))
	if ps.HasErrors() {
		t.Fatalf("Build(): %v", ps)
	}
	checkResolved(t, m)
	if got := m.Node("edr").Requires.String(); got != "crowdstrike" {
		t.Errorf("edr requires %q, want the alias resolved to crowdstrike", got)
	}
	var got []string
	for _, f := range m.Fallbacks {
		got = append(got, f.For+" "+f.ID)
	}
	want := []string{"crowdstrike by-alias", "pay pay/fallback", "pay pay/fallback-2", "pay pay/fallback-3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() fallbacks mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"pay/fallback", "pay/fallback-2", "pay/fallback-3"}, fallbackIDs(m.FallbacksOf("pay"))); diff != "" {
		t.Errorf("FallbacksOf(pay) mismatch (-want +got):\n%s", diff)
	}
	if m.Index("edr") != 1 || m.Index("nope") != -1 || m.Node("nope") != nil {
		t.Errorf("Index/Node lookups wrong")
	}
	if got := len(m.OfKind(KindSystem)); got != 2 {
		t.Errorf("OfKind(system) has %d nodes, want 2", got)
	}
}

func fallbackIDs(fs []*Fallback) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

func TestBuildMeta(t *testing.T) {
	b := NewBuilder()
	b.Add(nil)
	b.Add(&Batch{Name: "From batch", Currency: "USD"})
	m, _ := b.Build()
	if m.Name != "From batch" || m.Currency != "USD" {
		t.Errorf("Build() meta = %q %q", m.Name, m.Currency)
	}
	b.SetMeta("Bank", "EUR")
	m, _ = b.Build()
	if m.Name != "Bank" || m.Currency != "EUR" {
		t.Errorf("Build() meta after SetMeta = %q %q", m.Name, m.Currency)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Pos: at("a.yaml:3:7"), Severity: Error, Msg: "unknown node", Hint: "fix it"}, "a.yaml:3:7: error: unknown node; fix it"},
		{Problem{Pos: at("a.yaml:3"), Severity: Warning, Msg: "odd"}, "a.yaml:3: warning: odd"},
		{Problem{Pos: at("a.yaml"), Severity: Info, Msg: "note"}, "a.yaml: info: note"},
		{Problem{Severity: Error, Msg: "no place"}, "error: no place"},
		{Problem{Pos: Pos{Line: 4, Col: 2}, Severity: 9, Msg: "m"}, "4:2: unknown: m"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("Problem.String() = %q, want %q", got, tt.want)
		}
	}
}

func TestProblems(t *testing.T) {
	var ps Problems
	ps.Warnf(at("b:1:1"), "w %d", 1)
	ps.Errorf(at("a:2:1"), "e %d", 2)
	ps.Add(Problem{Pos: at("a:2:1"), Severity: Info, Msg: "i"})
	ps.Errorf(at("a:1:5"), "e %d", 1)
	ps.Sort()
	want := []string{"a:1:5: error: e 1", "a:2:1: error: e 2", "a:2:1: info: i", "b:1:1: warning: w 1"}
	if diff := cmp.Diff(want, strs(ps)); diff != "" {
		t.Errorf("Sort mismatch (-want +got):\n%s", diff)
	}
	if !ps.HasErrors() || ps.Count(Error) != 2 || ps.Count(Warning) != 1 {
		t.Errorf("HasErrors/Count wrong")
	}
	err := &InvalidError{Problems: ps}
	if got, want := err.Error(), "invalid map: 2 errors, the first: a:1:5: error: e 1"; got != want {
		t.Errorf("InvalidError = %q, want %q", got, want)
	}
	err = &InvalidError{Problems: ps[1:]}
	if got, want := err.Error(), "invalid map: a:2:1: error: e 2"; got != want {
		t.Errorf("InvalidError = %q, want %q", got, want)
	}
}

func TestModelStrings(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{KindFunction.String(), "function"}, {KindVendor.Plural(), "vendors"}, {Kind(7).String(), "kind(7)"},
		{TierCore.String(), "core"}, {TierNone.String(), ""},
		{Pos{File: "f", Line: 2, Col: 3}.String(), "f:2:3"}, {Pos{File: "f", Col: 3}.String(), "f"}, {Pos{}.String(), ""},
		{(&Node{ID: "x"}).Label(), "x"}, {(&Node{ID: "x", Name: "X"}).Label(), "X"},
		{(&Fallback{ID: "x"}).Label(), "x"}, {(&Fallback{ID: "x", Name: "X"}).Label(), "X"},
		{Severity(0).String(), "unknown"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for _, s := range []string{"function", "Functions", "SYSTEM", "vendors"} {
		if _, ok := ParseKind(s); !ok {
			t.Errorf("ParseKind(%q) failed", s)
		}
	}
	if _, ok := ParseKind("team"); ok {
		t.Error("ParseKind(team) succeeded")
	}
	for _, s := range append([]string{""}, TierNames...) {
		if tier, ok := ParseTier(s); !ok || tier.String() != s {
			t.Errorf("ParseTier(%q) = %v, %v", s, tier, ok)
		}
	}
	if _, ok := ParseTier("gold"); ok {
		t.Error("ParseTier(gold) succeeded")
	}
}

func TestSuggest(t *testing.T) {
	nodes := map[string]int32{}
	for i, id := range []string{"core-banking", "core-banking-dr", "swift-a", "swift-b", "dns", "Cloud"} {
		nodes[id] = int32(i)
	}
	s := &suggester{byID: nodes, alias: map[string]int32{"edr-agent": nodes["dns"]}}
	for _, tt := range []struct{ in, want string }{
		{"core-bankng", "core-banking"},
		{"swift-c", "swift-a"},
		{"cloud", "Cloud"},
		{"edr-agnt", "edr-agent"},
		{"dnx", "dns"},
		{"zzzzzzzzzz", ""},
		{"core", ""},
	} {
		if got := s.suggest(tt.in); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", 5, 3}, {"kitten", "sitting", 2, 3}, {"", "abc", 5, 3}, {"abc", "", 1, 2},
		{"abc", "abc", 0, 0}, {"flaw", "lawn", 3, 2}, {"abcdefgh", "hgfedcba", 3, 4},
	} {
		if got := s.distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
