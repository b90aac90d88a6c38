package diagram

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// FunctionView draws everything the node id needs, transitively: its
// requirements, theirs, and the fallbacks of every node on the way with
// what those need, redundancy groups drawn as "any" and "k of n"
// junctions so that a reader sees where one path suffices. id is usually
// a function's, but any node's works. Above the node budget the nodes
// other than id collapse into groups as in MapView. An unknown id is an
// error.
func FunctionView(m *graph.Map, id string, opt Options) (*Diagram, error) {
	if m == nil {
		return nil, fmt.Errorf("diagram: no map")
	}
	focus := m.Index(id)
	if focus < 0 {
		return nil, fmt.Errorf("diagram: unknown node %q", id)
	}
	reach := supply(m, focus)
	keep := func(i int) bool { return reach[i] }
	b := newBuilder(m, opt)
	n := m.Nodes[focus]
	b.d.Title = "What " + n.Label() + " needs"
	if b.fullSize(keep, true) <= opt.budget() {
		b.addFull(keep, true)
	} else {
		b.collapse(keep, map[int]bool{focus: true})
	}
	b.d.Notes = append([]string{supplyNote(b, reach, focus)}, b.d.Notes...)
	b.finishClusters()
	b.d.Legend = legend(b.d, "", false)
	return b.d, nil
}

// supply marks the nodes that m.Nodes[from] needs, transitively, through
// requirements and fallbacks, itself included.
func supply(m *graph.Map, from int) []bool {
	seen := make([]bool, len(m.Nodes))
	seen[from] = true
	stack := []int{from}
	visit := func(x *graph.Expr) {
		x.Walk(func(e *graph.Expr) {
			if e.Op != graph.OpRef {
				return
			}
			if j := m.Index(e.Ref); j >= 0 && !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		})
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := m.Nodes[i]
		visit(n.Requires)
		for _, f := range m.FallbacksOf(n.ID) {
			visit(f.Requires)
		}
	}
	return seen
}

// supplyNote counts what a supply chain holds: "Needs 12 systems, 9
// vendors and 2 fourth parties, directly or through others."
func supplyNote(b *builder, reach []bool, focus int) string {
	count := map[Role]int{}
	for i, ok := range reach {
		if ok && i != focus {
			count[b.roleOf(i)]++
		}
	}
	var parts []string
	for _, r := range []Role{RoleFunction, RoleSystem, RoleVendor, RoleFourthParty} {
		if c := count[r]; c > 0 {
			parts = append(parts, plural(c, roleSingular(r), rolePlural(r)))
		}
	}
	if len(parts) == 0 {
		return "Needs nothing."
	}
	return "Needs " + joinAnd(parts) + ", directly or through others."
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
