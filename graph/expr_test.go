package graph

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseExpr(t *testing.T) {
	tests := []struct {
		in   string
		want *Expr
	}{
		{"", nil},
		{"  \t ", nil},
		{"a", All(Ref("a"))},
		{"core-banking, any(swift-a, swift-b), 2of(dc-a, dc-b, dc-c)",
			All(Ref("core-banking"), Any(Ref("swift-a"), Ref("swift-b")), AtLeast(2, Ref("dc-a"), Ref("dc-b"), Ref("dc-c")))},
		{"any(a, all(b, c), 2of(d, any(e, f), g))",
			All(Any(Ref("a"), All(Ref("b"), Ref("c")), AtLeast(2, Ref("d"), Any(Ref("e"), Ref("f")), Ref("g"))))},
		{"2 of (a,b)", All(AtLeast(2, Ref("a"), Ref("b")))},
		{"2 of(a,b)", All(AtLeast(2, Ref("a"), Ref("b")))},
		{"2of (a,b)", All(AtLeast(2, Ref("a"), Ref("b")))},
		{"10of(a)", All(AtLeast(10, Ref("a")))},
		{"0of(a)", All(AtLeast(0, Ref("a")))}, // the builder rejects the count
		{"ANY(a), All(b), 2OF(c, d), 3 Of (e)", All(Any(Ref("a")), All(Ref("b")), AtLeast(2, Ref("c"), Ref("d")), AtLeast(3, Ref("e")))},
		{"any (a)", All(Any(Ref("a")))},
		{"all(a, b)", All(All(Ref("a"), Ref("b")))},
		{"a.b_c:d/e-f, x/y:z", All(Ref("a.b_c:d/e-f"), Ref("x/y:z"))},
		{"9lives, 0, 2, 2of", All(Ref("9lives"), Ref("0"), Ref("2"), Ref("2of"))},
		{"any", All(Ref("any"))},
		{"any, all, of", All(Ref("any"), Ref("all"), Ref("of"))},
		{"any(any, all)", All(Any(Ref("any"), Ref("all")))},
		{"  a ,\tb  ", All(Ref("a"), Ref("b"))},
		{"a, a", All(Ref("a"), Ref("a"))},
	}
	for _, tt := range tests {
		got, err := ParseExpr(tt.in, Pos{})
		if err != nil {
			t.Errorf("ParseExpr(%q): unexpected error %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want.String(), got.String()); diff != "" || !got.Equal(tt.want) {
			t.Errorf("ParseExpr(%q) mismatch (-want +got):\n%s%#v", tt.in, diff, got)
		}
	}
}

func TestParseExprErrors(t *testing.T) {
	deep := strings.Repeat("any(", MaxExprDepth+1) + "a" + strings.Repeat(")", MaxExprDepth+1)
	tests := []struct {
		in   string
		col  int
		want string // a fragment of the message
	}{
		{"any(a,", 7, "found the end; remove the trailing comma"},
		{"any()", 5, "empty group"},
		{"any(  )", 7, "empty group"},
		{"a,,b", 3, "empty item"},
		{",a", 1, "empty item"},
		{"a)", 2, "unexpected ')': no group is open here"},
		{")", 1, "found ')'"},
		{"foo(a)", 1, `unknown group "foo("`},
		{"a, b(c)", 4, `unknown group "b("`},
		{"a,", 3, "found the end"},
		{"a, ", 4, "found the end"},
		{"any(a, )", 8, "remove the trailing comma"},
		{"any(a", 6, `missing ')' to close "any("`},
		{"2 of (a", 8, `missing ')' to close "2 of ("`},
		{"any(any(a)", 11, "missing ')'"},
		{"any(a))", 7, "no group is open"},
		{"a b", 3, "separate items with commas"},
		{"any(a b)", 7, "separate items with commas"},
		{"(a)", 1, `unexpected '('`},
		{"-a", 1, `unexpected '-'`},
		{"a, é", 4, `unexpected 'é'`},
		{"a\nb", 2, `unexpected '\n'`},
		{"a; b", 2, `unexpected ';'`},
		{"99999999999of(a)", 1, "count 99999999999 is too large"},
		{"99999999999 of (a)", 1, "count 99999999999 is too large"},
		{deep, 4*MaxExprDepth + 1, "nested more than"},
	}
	for _, tt := range tests {
		got, err := ParseExpr(tt.in, Pos{})
		if err == nil {
			t.Errorf("ParseExpr(%q) = %q, want an error", tt.in, got)
			continue
		}
		var ee *ExprError
		if !errors.As(err, &ee) {
			t.Errorf("ParseExpr(%q) error %T, want *ExprError", tt.in, err)
			continue
		}
		if ee.Offset+1 != tt.col || !strings.Contains(ee.Msg, tt.want) {
			t.Errorf("ParseExpr(%q) error at column %d: %q; want column %d with %q", tt.in, ee.Offset+1, ee.Msg, tt.col, tt.want)
		}
		if !strings.HasPrefix(err.Error(), "column ") {
			t.Errorf("ParseExpr(%q) error %q does not start with its column", tt.in, err)
		}
		if !ee.Pos.IsZero() {
			t.Errorf("ParseExpr(%q) error Pos = %v without a pos given", tt.in, ee.Pos)
		}
	}
	// Nesting up to the limit is fine.
	ok := strings.Repeat("any(", MaxExprDepth) + "a" + strings.Repeat(")", MaxExprDepth)
	if _, err := ParseExpr(ok, Pos{}); err != nil {
		t.Errorf("ParseExpr(%d deep): %v", MaxExprDepth, err)
	}
}

func TestParseExprPositions(t *testing.T) {
	pos := Pos{File: "f.csv", Line: 3, Col: 10}
	in := "core-banking, any(swift-a,  swift-b), 2 of (dc-a, dc-b)"
	e, err := ParseExpr(in, pos)
	if err != nil {
		t.Fatal(err)
	}
	// Every sub-expression sits at pos.Col plus its offset in the text.
	type at struct {
		What string
		Pos  Pos
	}
	var got, want []at
	e.Walk(func(x *Expr) { got = append(got, at{x.String(), x.Pos}) })
	for _, w := range []struct{ what, find string }{
		{in, "core-banking"}, // the whole list starts at the text
		{"core-banking", "core-banking"},
		{"any(swift-a, swift-b)", "any("},
		{"swift-a", "swift-a"},
		{"swift-b", "swift-b"},
		{"2of(dc-a, dc-b)", "2 of"},
		{"dc-a", "dc-a"},
		{"dc-b", "dc-b"},
	} {
		p := pos
		p.Col += strings.Index(in, w.find)
		want = append(want, at{w.what, p})
	}
	want[0].What = e.String()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseExpr(%q, %v) positions mismatch (-want +got):\n%s", in, pos, diff)
	}

	// An unknown column counts from 1.
	e, _ = ParseExpr("a, b", Pos{File: "f", Line: 2})
	if got, want := e.Args[1].Pos, (Pos{File: "f", Line: 2, Col: 4}); got != want {
		t.Errorf("ParseExpr without column: b at %v, want %v", got, want)
	}
	// Without a line, positions are left as given.
	e, _ = ParseExpr("a, b", Pos{File: "f"})
	if got, want := e.Args[1].Pos, (Pos{File: "f"}); got != want {
		t.Errorf("ParseExpr without line: b at %v, want %v", got, want)
	}

	// Errors carry the file position too.
	_, err = ParseExpr("any(a,", pos)
	var ee *ExprError
	if !errors.As(err, &ee) {
		t.Fatalf("ParseExpr(any(a,) error %v", err)
	}
	if want := (Pos{File: "f.csv", Line: 3, Col: 16}); ee.Pos != want {
		t.Errorf("ParseExpr(any(a,) error Pos = %v, want %v", ee.Pos, want)
	}
}

func TestExprString(t *testing.T) {
	tests := []struct {
		e    *Expr
		want string
	}{
		{nil, ""},
		{Ref("a"), "a"},
		{Refs("a", "b"), "a, b"},
		{All(Ref("a"), Any(Ref("b"), Ref("c")), AtLeast(2, Ref("d"), Ref("e"), Ref("f"))), "a, any(b, c), 2of(d, e, f)"},
		{All(All(Ref("a"), Ref("b"))), "all(a, b)"},
		{Any(Ref("a"), Ref("b")), "any(a, b)"},
		{AtLeast(1, All(Ref("a"), Ref("b")), Ref("c")), "1of(all(a, b), c)"},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestExprRoundTrip(t *testing.T) {
	for _, in := range []string{
		"core-banking, any(swift-a, swift-b), 2of(dc-a, dc-b, dc-c)",
		"2 of (a,b)",
		"any(a, all(b, c), 2of(d, any(e, f), g))",
		"all(a)",
		"any, all(any), 2of(2of, of)",
		"a.b_c:d/e-f",
	} {
		e, err := ParseExpr(in, Pos{})
		if err != nil {
			t.Fatalf("ParseExpr(%q): %v", in, err)
		}
		back, err := ParseExpr(e.String(), Pos{})
		if err != nil || !back.Equal(e) {
			t.Errorf("ParseExpr(%q).String() = %q parses to %q, %v", in, e, back, err)
		}
	}
	// Random expressions: String of a top-level list parses back Equal.
	r := rand.New(rand.NewPCG(1, 2))
	ids := []string{"a", "b", "any", "all", "2of", "9", "x.y", "p/q:r-s_t"}
	var gen func(depth int) *Expr
	gen = func(depth int) *Expr {
		if depth == 0 || r.IntN(3) == 0 {
			return Ref(ids[r.IntN(len(ids))])
		}
		args := make([]*Expr, 1+r.IntN(3))
		for i := range args {
			args[i] = gen(depth - 1)
		}
		switch r.IntN(3) {
		case 0:
			return All(args...)
		case 1:
			return Any(args...)
		}
		return AtLeast(r.IntN(len(args)+2), args...)
	}
	for i := 0; i < 2000; i++ {
		e := All(gen(4), gen(3))
		back, err := ParseExpr(e.String(), Pos{})
		if err != nil || !back.Equal(e) {
			t.Fatalf("%q parses to %q, %v", e, back, err)
		}
	}
}

func TestExprMethods(t *testing.T) {
	e := All(Ref("a"), Any(Ref("b"), Ref("a")), AtLeast(2, Ref("c"), Ref("d"), Ref("e")))
	if diff := cmp.Diff([]string{"a", "b", "a", "c", "d", "e"}, e.RefIDs()); diff != "" {
		t.Errorf("RefIDs mismatch (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		e    *Expr
		want int
	}{{Ref("a"), 0}, {e, 3}, {e.Args[1], 1}, {e.Args[2], 2}} {
		if got := tt.e.Threshold(); got != tt.want {
			t.Errorf("(%s).Threshold() = %d, want %d", tt.e, got, tt.want)
		}
	}
	n := 0
	(*Expr)(nil).Walk(func(*Expr) { n++ })
	if n != 0 {
		t.Errorf("nil Walk visited %d", n)
	}
	for _, tt := range []struct {
		down []string
		want bool
	}{
		{nil, true},
		{[]string{"b"}, true},
		{[]string{"a"}, false},
		{[]string{"c"}, true},
		{[]string{"c", "d"}, false},
		{[]string{"b", "c"}, true},
	} {
		up := func(id string) bool { return !contains(tt.down, id) }
		if got := e.Eval(up); got != tt.want {
			t.Errorf("Eval(down %v) = %v, want %v", tt.down, got, tt.want)
		}
	}
	if !(*Expr)(nil).Eval(func(string) bool { return false }) {
		t.Error("nil Eval = false, want true")
	}
	if !(*Expr)(nil).Equal(nil) || (*Expr)(nil).Equal(Ref("a")) || Ref("a").Equal(nil) {
		t.Error("Equal with nil is wrong")
	}
	withPos := Ref("a")
	withPos.Pos = Pos{File: "f", Line: 1}
	if !withPos.Equal(Ref("a")) || Ref("a").Equal(Ref("b")) || AtLeast(1, Ref("a")).Equal(AtLeast(2, Ref("a"))) ||
		All(Ref("a")).Equal(Any(Ref("a"))) || All(Ref("a")).Equal(All(Ref("a"), Ref("a"))) {
		t.Error("Equal is wrong")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestValidID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		want bool
	}{
		{"a", true}, {"9", true}, {"core-banking", true}, {"a.b_c:d/e-f", true}, {"ABC", true},
		{"", false}, {"-a", false}, {".a", false}, {"_a", false}, {"a b", false}, {"a,b", false},
		{"a(b)", false}, {"é", false}, {"a\n", false},
	} {
		if got := ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{
		"core-banking, any(swift-a, swift-b), 2of(dc-a, dc-b, dc-c)",
		"2 of (a,b)", "any", "any(a,", "any()", "a,,b", "a)", "foo(a)", "a,",
		"all(any(a, 2of(b, c, d)), e)", "9lives, x/y:z", "99999999999of(a)", "a, é",
		"", " ", "any(any(any(a)))", "3 OF (a, b, c)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpr(s, Pos{File: "f", Line: 1, Col: 5})
		if err != nil {
			var ee *ExprError
			if !errors.As(err, &ee) || ee.Offset < 0 || ee.Offset > len(s) {
				t.Fatalf("ParseExpr(%q): bad error %#v", s, err)
			}
			return
		}
		if e == nil {
			if strings.Trim(s, " \t") != "" {
				t.Fatalf("ParseExpr(%q) = nil", s)
			}
			return
		}
		for _, id := range e.RefIDs() {
			if !ValidID(id) {
				t.Fatalf("ParseExpr(%q) yields invalid id %q", s, id)
			}
		}
		back, err := ParseExpr(e.String(), Pos{})
		if err != nil || !back.Equal(e) {
			t.Fatalf("ParseExpr(%q) = %q, which parses to %q, %v", s, e, back, err)
		}
	})
}
