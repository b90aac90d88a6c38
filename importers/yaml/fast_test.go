package yaml

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dumpTree renders a tree for comparison.
func dumpTree(n *node, ind string, b *strings.Builder) {
	if n == nil {
		b.WriteString(ind + "<none>\n")
		return
	}
	fmt.Fprintf(b, "%s%d:%d %s null=%v %q\n", ind, n.line, n.col, n.kind, n.null, n.value)
	for _, c := range n.content {
		dumpTree(c, ind+"  ", b)
	}
}

// checkFast compares the fast parser with go.yaml.in/yaml/v3 on src.
func checkFast(t *testing.T, src string) bool {
	t.Helper()
	fast, ok := parseFast(src, nil)
	if !ok {
		return false
	}
	slow, err := parseSlow(src)
	if err != nil {
		t.Fatalf("fast parser accepted what yaml/v3 rejects (%v):\n%s", err, src)
	}
	var want *node
	if len(slow) > 1 {
		t.Fatalf("fast parser accepted %d documents:\n%s", len(slow), src)
	}
	if len(slow) == 1 && !(slow[0].kind == scalarNode && slow[0].null) {
		want = slow[0]
	}
	if fast != nil && fast.kind == scalarNode && fast.null {
		fast = nil
	}
	var a, b strings.Builder
	dumpTree(want, "", &a)
	dumpTree(fast, "", &b)
	if a.String() != b.String() {
		t.Fatalf("parsers disagree on:\n%s\n--- yaml/v3:\n%s--- fast:\n%s", src, a.String(), b.String())
	}
	return true
}

var fastSeeds = []string{
	"",
	"# only a comment\n",
	"---\nfunctions: []\n",
	"functions:\n  - id: a\n    owner:\n    x: ~\n    requires: [a, 'b', \"c\"]\n    y:\n    - q\n  -\n    id: b\n  - - x\n",
	"a: b\n  c\n",
	"a:\n  b\n  c\n",
	"a: x #c\nb: 'it''s'\n",
	"é: x\nb: Zürich\n",
	"a: {any: [x, y], atleast: 2, of: [p, q, r]}\n",
	"a:\n- x\n- y\nb: 1\n",
	"- a: 1\n  b: 2\n- c: 3\n",
	"a: \"x\\u00e9\\\"y\"\n",
	"a:   \n  # comment\n  b: 1\n",
	"a: [x, y,]\n",
	"a: b: c\n",
	"a: -4h\nb: - x\n",
	"key with spaces: v\n\"quoted key\": 1\n",
	"a: [\n  x]\n",
	"a: 'x\n  y'\n",
	"- \n-\n- x\n",
	"a:\r\n  b: c\r\n",
	"a: x\n...\n",
	"a: x\n---\nb: y\n",
	"  a: 1\n  b: 2\n",
	"a:\n    - x\n  - y\n",
	"a: [x, [y, z], {p: q}]\n",
	"a: 'x' # c\nb: \"y\"#c\n",
	"a: x:y\nb: http://example.com/a#b\n",
	"a: null\nb: Null\nc: ~\nd: 'null'\n",
}

func TestFastParser(t *testing.T) {
	accepted := 0
	for _, s := range fastSeeds {
		if checkFast(t, s) {
			accepted++
		}
	}
	for _, f := range seedFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkFast(t, string(data)) {
			accepted++
		}
	}
	if accepted < 10 {
		t.Errorf("fast parser accepted only %d inputs", accepted)
	}
}

func seedFiles(t testing.TB) []string {
	var out []string
	for _, pat := range []string{"testdata/*.yaml", "testdata/*/*.yaml", "testdata/*.yml", "../../../shared/realdata/backstage-examples/*.yaml", "../../../shared/realdata/swcat-flights/*.yaml"} {
		m, _ := filepath.Glob(pat)
		out = append(out, m...)
	}
	return out
}

// FuzzFastParser checks that the fast parser, whenever it accepts an
// input, reads it exactly as go.yaml.in/yaml/v3 does.
func FuzzFastParser(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add(s)
	}
	for _, p := range seedFiles(f) {
		if data, err := os.ReadFile(p); err == nil && len(data) < 1<<16 {
			f.Add(string(data))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkFast(t, src)
	})
}
