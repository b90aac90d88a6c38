package importers

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestSuggest(t *testing.T) {
	keys := []string{"requires", "restore", "rto", "rpo", "tier", "tolerance", "name"}
	for _, tc := range []struct{ in, want string }{
		{"requries", "requires"},
		{"Requires", "requires"},
		{"tolerence", "tolerance"},
		{"nmae", "name"},
		{"rtp", "rto"},
		{"colour", ""},
		{"x", ""},
	} {
		if got := Suggest(tc.in, keys); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct {
		src  Source
		p    string
		want string
	}{
		{Source{Path: "payments.yaml", Name: "map/payments.yaml"}, "payments.yaml", "map/payments.yaml"},
		{Source{Path: ".", Name: "map/"}, "sub/a.yaml", "map/sub/a.yaml"},
		{Source{Path: ".", Name: "."}, "a.yaml", "a.yaml"},
		{Source{Path: "ws", Name: "../ws"}, "ws/map/a.yaml", "../ws/map/a.yaml"},
	} {
		if got := FileName(tc.src, tc.p); got != tc.want {
			t.Errorf("FileName(%+v, %q) = %q, want %q", tc.src, tc.p, got, tc.want)
		}
	}
}

func TestFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"map/b.yaml":       {},
		"map/a.yaml":       {},
		"map/sub/c.yaml":   {},
		"map/.hidden.yaml": {},
		"map/.git/x.yaml":  {},
		"map/notes.txt":    {},
		"other/z.yaml":     {},
	}
	got, err := Files(fsys, "map", func(name string) bool { return name != "notes.txt" })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"map/a.yaml", "map/b.yaml", "map/sub/c.yaml"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Files mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		data string
		ok   bool
		pos  string
	}{
		{"functions:\n  - id: a\n", true, ""},
		{"", true, ""},
		{"a: Zürich\n", true, ""},
		{"ab\ncd\x00", false, "f:2:3"},
		{"ab\nZü\xff", false, "f:2:3"},
		{"\xff\xfea\x00", false, "f:1:1"},
	} {
		p, ok := CheckText("f", []byte(tc.data))
		if ok != tc.ok || !ok && p.Pos.String() != tc.pos {
			t.Errorf("CheckText(%q) = %v at %s, want %v at %s", tc.data, ok, p.Pos, tc.ok, tc.pos)
		}
	}
}

func TestCheckLEI(t *testing.T) {
	for _, tc := range []struct{ lei, want string }{
		{"5493001KJTIIGC8Y1R12", ""},
		{"5493001KJTIIGC8Y1R13", "fails its check digits"},
		{"ABC", "has 3 characters, not 20"},
		{"5493001kjtiigc8y1r12", "has characters other than capital letters and digits"},
	} {
		if got := CheckLEI(tc.lei); got != tc.want {
			t.Errorf("CheckLEI(%q) = %q, want %q", tc.lei, got, tc.want)
		}
	}
}
