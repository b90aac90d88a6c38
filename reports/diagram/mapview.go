package diagram

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// MapView draws the whole map: functions, systems and vendors left to
// right, fourth parties beyond them, with every redundancy group as a
// junction and every fallback as a dashed note, clustered as opt says.
// When that would exceed the node budget, nodes are collapsed into groups
// (see collapse) and the Notes say so. A nil map gives an empty diagram.
func MapView(m *graph.Map, opt Options) *Diagram {
	if m == nil {
		return &Diagram{Title: "Dependency map", Notes: []string{"The map is empty."}}
	}
	b := newBuilder(m, opt)
	all := func(int) bool { return true }
	b.d.Title = mapTitle(m, "dependency map")
	if b.fullSize(all, true) <= opt.budget() {
		b.addFull(all, true)
	} else {
		b.collapse(all, nil)
	}
	b.finishClusters()
	b.d.Legend = legend(b.d, "", false)
	return b.d
}

func mapTitle(m *graph.Map, what string) string {
	if m.Name == "" {
		return strings.ToUpper(what[:1]) + what[1:]
	}
	return m.Name + ": " + what
}

// grouping assigns kept map nodes to groups.
type grouping struct {
	of     []int32 // group of each map node; -1: not kept
	groups []*group
}

type group struct {
	role    Role
	key     string // what the members share: "owner:…", "parent:…", "id:…"
	label   string
	members []int32 // map node indices, ascending
}

// Collapse levels, finest first. Each level groups more.
const (
	levelOwnerParent = iota // systems per owner, vendors per ultimate parent
	levelCountry            // and vendors without parent per country
	levelTier               // and functions per tier
	numLevels
)

// groupKey is the group of m.Nodes[i] at a level, and its label.
func (b *builder) groupKey(i int, level int) (key, label string) {
	n := b.m.Nodes[i]
	switch b.roleOf(i) {
	case RoleFunction:
		if level >= levelTier {
			return "tier:" + n.Tier.String(), tierTitle(n.Tier)
		}
	case RoleSystem:
		if n.Owner == "" {
			return "owner:", "Systems without owner"
		}
		return "owner:" + n.Owner, n.Owner
	case RoleVendor, RoleFourthParty:
		if n.Parent != "" {
			return "parent:" + n.Parent, n.Parent
		}
		if level >= levelCountry {
			if n.Country == "" {
				return "country:", "No country given"
			}
			return "country:" + n.Country, "Based in " + n.Country
		}
	}
	return "id:" + n.ID, n.Label()
}

// groupAt groups the kept nodes at a level; pinned nodes stay alone.
func (b *builder) groupAt(keep func(int) bool, pinned map[int]bool, level int) *grouping {
	g := &grouping{of: make([]int32, len(b.m.Nodes))}
	byKey := map[string]int32{}
	for i := range b.m.Nodes {
		if !keep(i) {
			g.of[i] = -1
			continue
		}
		role := b.roleOf(i)
		key, label := "id:"+b.m.Nodes[i].ID, b.m.Nodes[i].Label()
		if !pinned[i] {
			key, label = b.groupKey(i, level)
		}
		full := strconv.Itoa(int(role)) + "\x00" + key
		k, ok := byKey[full]
		if !ok {
			k = int32(len(g.groups))
			byKey[full] = k
			g.groups = append(g.groups, &group{role: role, key: key, label: label})
		}
		g.of[i] = k
		g.groups[k].members = append(g.groups[k].members, int32(i))
	}
	return g
}

// capGroups merges the smallest groups of each role into one "other"
// group per role until at most budget groups remain. Roles with few
// groups keep them all and the others share the rest of the budget
// evenly; pinned nodes are never merged.
func (b *builder) capGroups(g *grouping, pinned map[int]bool, budget int) {
	if len(g.groups) <= budget {
		return
	}
	byRole := map[Role][]int32{}
	var roles []Role
	for k, gr := range g.groups {
		if _, ok := byRole[gr.role]; !ok {
			roles = append(roles, gr.role)
		}
		byRole[gr.role] = append(byRole[gr.role], int32(k))
	}
	// Share the budget out: roles with few groups keep them all, the
	// rest split what remains evenly.
	quota := map[Role]int{}
	bySize := slices.Clone(roles)
	slices.SortStableFunc(bySize, func(x, y Role) int { return cmp.Compare(len(byRole[x]), len(byRole[y])) })
	rem := budget
	for k, r := range bySize {
		q := rem / (len(bySize) - k)
		quota[r] = max(2, min(len(byRole[r]), q))
		rem -= quota[r]
	}
	slices.SortFunc(roles, func(x, y Role) int { return roleRank(x) - roleRank(y) })
	isPinned := func(gr *group) bool { return len(gr.members) == 1 && pinned[int(gr.members[0])] }
	var out []*group
	remap := make([]int32, len(g.groups))
	for _, r := range roles {
		ks := byRole[r]
		quota := quota[r]
		slices.SortStableFunc(ks, func(x, y int32) int {
			gx, gy := g.groups[x], g.groups[y]
			if px, py := isPinned(gx), isPinned(gy); px != py {
				if px {
					return -1
				}
				return 1
			}
			if c := cmp.Compare(len(gy.members), len(gx.members)); c != 0 {
				return c
			}
			return strings.Compare(gx.key, gy.key)
		})
		if len(ks) <= quota {
			for _, k := range ks {
				remap[k] = int32(len(out))
				out = append(out, g.groups[k])
			}
			continue
		}
		for _, k := range ks[:quota-1] {
			remap[k] = int32(len(out))
			out = append(out, g.groups[k])
		}
		other := &group{role: r, key: "other", label: "Other " + rolePlural(r)}
		for _, k := range ks[quota-1:] {
			remap[k] = int32(len(out))
			other.members = append(other.members, g.groups[k].members...)
		}
		slices.Sort(other.members)
		out = append(out, other)
	}
	for i, k := range g.of {
		if k >= 0 {
			g.of[i] = remap[k]
		}
	}
	g.groups = out
}

func rolePlural(r Role) string {
	switch r {
	case RoleFunction:
		return "functions"
	case RoleSystem:
		return "systems"
	case RoleFourthParty:
		return "fourth parties"
	}
	return "vendors"
}

func roleSingular(r Role) string {
	if r == RoleFourthParty {
		return "fourth party"
	}
	return r.String()
}

// collapse draws the kept map nodes in groups: systems per owner and
// vendors per ultimate parent; if that is still above the budget, vendors
// without a parent per country; then functions per tier; then the
// smallest groups of each kind merged into one "other" group. Pinned nodes
// stay alone. A group of one is drawn as its node. Edges between groups
// stand for all the requirements between their members (fallbacks'
// included), except those between nodes of the same kind, which in an
// overview only tangle it; junctions and fallback notes are not drawn.
// Above two
// edges per node, the lightest edges are left out, except a node's
// heaviest when it would have none.
func (b *builder) collapse(keep func(int) bool, pinned map[int]bool) {
	budget := b.opt.budget()
	kept := 0
	for i := range b.m.Nodes {
		if keep(i) {
			kept++
		}
	}
	var g *grouping
	level := 0
	for ; level < numLevels; level++ {
		g = b.groupAt(keep, pinned, level)
		if len(g.groups) <= budget {
			break
		}
	}
	b.capGroups(g, pinned, budget)

	ids := make([]string, len(g.groups))
	for k, gr := range g.groups {
		if len(gr.members) == 1 {
			n := b.mapNode(int(gr.members[0]))
			ids[k] = n.ID
			b.add(n)
			continue
		}
		ids[k] = "group#" + strconv.Itoa(k)
		n := Node{ID: ids[k], Role: gr.role, Label: gr.label, Count: len(gr.members),
			Lines: []string{plural(len(gr.members), roleSingular(gr.role), rolePlural(gr.role))}}
		n.Tooltip = groupTip(b.m, gr)
		first := b.m.Nodes[gr.members[0]]
		n.Cluster = b.cluster(first, gr.role)
		for _, i := range gr.members[1:] {
			if c := b.cluster(b.m.Nodes[i], gr.role); c != n.Cluster {
				n.Cluster, _ = kindCluster(gr.role)
				b.clusters[n.Cluster] = kindClusterLabel(gr.role)
				break
			}
		}
		if gr.role == RoleFunction {
			n.Tier = first.Tier
			for _, i := range gr.members {
				if t := b.m.Nodes[i].Tier; t != graph.TierNone && (n.Tier == graph.TierNone || t < n.Tier) {
					n.Tier = t
				}
			}
		}
		b.add(n)
	}

	// Edges between groups, weighted by the requirements they stand for.
	type pair struct{ from, to int32 }
	type weight struct{ plain, fallback int }
	w := map[pair]*weight{}
	var order []pair
	sameKind := 0
	link := func(from int32, x *graph.Expr, fallback bool) {
		x.Walk(func(e *graph.Expr) {
			if e.Op != graph.OpRef {
				return
			}
			j := b.m.Index(e.Ref)
			if j < 0 || g.of[j] < 0 || g.of[j] == from {
				return
			}
			if g.groups[g.of[j]].role == g.groups[from].role {
				sameKind++
				return
			}
			p := pair{from, g.of[j]}
			c := w[p]
			if c == nil {
				c = &weight{}
				w[p] = c
				order = append(order, p)
			}
			if fallback {
				c.fallback++
			} else {
				c.plain++
			}
		})
	}
	for i, n := range b.m.Nodes {
		from := g.of[i]
		if from < 0 {
			continue
		}
		link(from, n.Requires, false)
		for _, f := range b.m.FallbacksOf(n.ID) {
			link(from, f.Requires, true)
		}
	}
	// At most three edges per node: the heaviest 2n, then for every node
	// left without an edge its heaviest one.
	keepEdge := make([]bool, len(order))
	if maxEdges := 2 * len(g.groups); len(order) <= maxEdges {
		for i := range keepEdge {
			keepEdge[i] = true
		}
	} else {
		total := func(p pair) int { return w[p].plain + w[p].fallback }
		byWeight := make([]int, len(order))
		for i := range byWeight {
			byWeight[i] = i
		}
		slices.SortStableFunc(byWeight, func(x, y int) int { return cmp.Compare(total(order[y]), total(order[x])) })
		linked := make([]bool, len(g.groups))
		for _, i := range byWeight[:maxEdges] {
			keepEdge[i] = true
			linked[order[i].from], linked[order[i].to] = true, true
		}
		for _, i := range byWeight[maxEdges:] {
			if p := order[i]; !linked[p.from] || !linked[p.to] {
				keepEdge[i] = true
				linked[p.from], linked[p.to] = true, true
			}
		}
	}
	dropped := 0
	for i, p := range order {
		if !keepEdge[i] {
			dropped++
			continue
		}
		c := w[p]
		b.edge(Edge{From: ids[p.from], To: ids[p.to], Fallback: c.plain == 0, Weight: c.plain + c.fallback})
	}

	how := "systems per owner, vendors per parent company"
	switch {
	case level >= levelTier:
		how += ", vendors without one per country, functions per tier"
	case level >= levelCountry:
		how += ", vendors without one per country"
	}
	note := "Collapsed to stay within " + strconv.Itoa(budget) + " nodes: " + thousands(kept) + " nodes shown as " +
		thousands(len(g.groups)) + " (" + how + ")."
	b.d.Notes = append(b.d.Notes, note, "Redundancy groups and fallbacks are not drawn; a thicker line stands for more requirements.")
	if sameKind > 0 {
		b.d.Notes = append(b.d.Notes, "Requirements between nodes of the same kind (systems on systems) are not drawn.")
	}
	if dropped > 0 {
		b.d.Notes = append(b.d.Notes, thousands(dropped)+" lighter links between groups are left out.")
	}
}

func kindClusterLabel(r Role) string {
	_, l := kindCluster(r)
	return l
}

// groupTip lists a group's members for its tooltip.
func groupTip(m *graph.Map, gr *group) string {
	const show = 12
	var b strings.Builder
	b.WriteString(plural(len(gr.members), roleSingular(gr.role), rolePlural(gr.role)))
	b.WriteString(":")
	for k, i := range gr.members {
		if k == show {
			b.WriteString("\n… and " + thousands(len(gr.members)-show) + " more")
			break
		}
		b.WriteString("\n" + m.Nodes[i].ID)
	}
	return b.String()
}

// thousands renders n with thousands separators: 100000 → "100,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
