package diagram

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// DefaultMaxNodes is the node budget of a view when Options.MaxNodes is 0.
const DefaultMaxNodes = 300

// Options choose what a view shows.
type Options struct {
	// Cluster is how map nodes are grouped in boxes. Default: by kind.
	Cluster ClusterBy
	// MaxNodes is the node budget, junctions and fallbacks included.
	// Above it MapView and FunctionView collapse nodes into groups and
	// BlastView leaves unaffected nodes out, and the diagram's Notes say
	// so. 0 means DefaultMaxNodes; a negative value means no limit.
	MaxNodes int
	// Full makes BlastView draw the whole map, unaffected nodes faded,
	// instead of the blast radius alone. Other views ignore it.
	Full bool
}

func (o Options) budget() int {
	switch {
	case o.MaxNodes == 0:
		return DefaultMaxNodes
	case o.MaxNodes < 0:
		return int(^uint(0) >> 1)
	}
	return max(o.MaxNodes, minBudget)
}

// minBudget is the smallest budget a collapse can meet: one group per
// role, plus room to spare.
const minBudget = 10

// ClusterBy is how a view groups map nodes in boxes.
type ClusterBy uint8

// The clusterings. Nodes that the chosen attribute does not apply to
// (vendors have no owner, systems no country) are clustered by kind.
const (
	ClusterKind    ClusterBy = iota // functions, systems, vendors, fourth parties
	ClusterOwner                    // functions and systems by owner
	ClusterTier                     // functions by tier
	ClusterCountry                  // vendors by country
	ClusterNone                     // no boxes
)

var clusterNames = []string{"kind", "owner", "tier", "country", "none"}

// String is the clustering's name as ParseClusterBy reads it.
func (c ClusterBy) String() string {
	if int(c) < len(clusterNames) {
		return clusterNames[c]
	}
	return "cluster?"
}

// ClusterNames lists the spellings ParseClusterBy accepts.
func ClusterNames() []string { return slices.Clone(clusterNames) }

// ParseClusterBy maps "kind", "owner", "tier", "country" or "none" (or ""
// for kind) to a ClusterBy; ok is false otherwise.
func ParseClusterBy(s string) (c ClusterBy, ok bool) {
	if s == "" {
		return ClusterKind, true
	}
	i := slices.Index(clusterNames, strings.ToLower(s))
	if i < 0 {
		return 0, false
	}
	return ClusterBy(i), true
}

// builder assembles a diagram from a map.
type builder struct {
	m     *graph.Map
	opt   Options
	d     *Diagram
	index map[string]int // diagram node id → position in d.Nodes
	edges map[edgeKey]int
	// fourth[i]: m.Nodes[i] is a vendor that only other vendors require.
	fourth   []bool
	clusters map[string]string // cluster id → label
	// junctions maps each junction drawn to its group.
	junctions map[string]*graph.Expr
}

type edgeKey struct {
	from, to string
	fallback bool
}

func newBuilder(m *graph.Map, opt Options) *builder {
	return &builder{
		m: m, opt: opt, d: &Diagram{},
		index:     map[string]int{},
		edges:     map[edgeKey]int{},
		fourth:    fourthParties(m),
		clusters:  map[string]string{},
		junctions: map[string]*graph.Expr{},
	}
}

// fourthParties marks the vendors that are required by vendors only: the
// suppliers of suppliers. A vendor nothing requires is not one.
func fourthParties(m *graph.Map) []bool {
	const byVendor, byOther = 1, 2
	seen := make([]uint8, len(m.Nodes))
	mark := func(x *graph.Expr, how uint8) {
		x.Walk(func(e *graph.Expr) {
			if e.Op == graph.OpRef {
				if j := m.Index(e.Ref); j >= 0 {
					seen[j] |= how
				}
			}
		})
	}
	for _, n := range m.Nodes {
		how := uint8(byOther)
		if n.Kind == graph.KindVendor {
			how = byVendor
		}
		mark(n.Requires, how)
	}
	for _, f := range m.Fallbacks {
		mark(f.Requires, byOther)
	}
	out := make([]bool, len(m.Nodes))
	for i, n := range m.Nodes {
		out[i] = n.Kind == graph.KindVendor && seen[i] == byVendor
	}
	return out
}

// roleOf is the role of m.Nodes[i].
func (b *builder) roleOf(i int) Role {
	switch b.m.Nodes[i].Kind {
	case graph.KindFunction:
		return RoleFunction
	case graph.KindSystem:
		return RoleSystem
	}
	if b.fourth[i] {
		return RoleFourthParty
	}
	return RoleVendor
}

// add appends n unless a node with its id is there; it returns the
// node's position.
func (b *builder) add(n Node) int {
	if i, ok := b.index[n.ID]; ok {
		return i
	}
	b.index[n.ID] = len(b.d.Nodes)
	b.d.Nodes = append(b.d.Nodes, n)
	return len(b.d.Nodes) - 1
}

// node returns the diagram node with the given id, or nil.
func (b *builder) node(id string) *Node {
	if i, ok := b.index[id]; ok {
		return &b.d.Nodes[i]
	}
	return nil
}

// edge appends e unless an equal edge is there; weights add up.
func (b *builder) edge(e Edge) {
	k := edgeKey{e.From, e.To, e.Fallback}
	if i, ok := b.edges[k]; ok {
		b.d.Edges[i].Weight += e.Weight
		return
	}
	b.edges[k] = len(b.d.Edges)
	b.d.Edges = append(b.d.Edges, e)
}

// mapNode is the diagram node of m.Nodes[i].
func (b *builder) mapNode(i int) Node {
	n := b.m.Nodes[i]
	role := b.roleOf(i)
	d := Node{ID: n.ID, Role: role, Label: n.Label(), Tier: n.Tier}
	tip := []string{n.ID + " (" + role.String() + ")"}
	switch role {
	case RoleFunction:
		var parts []string
		if t := n.Tier.String(); t != "" {
			parts = append(parts, t)
		}
		if n.Tolerance != nil {
			parts = append(parts, "tolerance "+n.Tolerance.String())
		}
		if len(parts) > 0 {
			d.Lines = []string{strings.Join(parts, " · ")}
		}
	case RoleFourthParty:
		d.Lines = []string{"4th party"}
	}
	if n.Owner != "" {
		tip = append(tip, "owner: "+n.Owner)
	}
	if n.Parent != "" {
		tip = append(tip, "parent: "+n.Parent)
	}
	if n.Country != "" {
		tip = append(tip, "country: "+n.Country)
	}
	if n.Requires != nil {
		tip = append(tip, "requires: "+n.Requires.String())
	}
	d.Tooltip = strings.Join(tip, "\n")
	d.Cluster = b.cluster(n, role)
	return d
}

// cluster returns the id of the cluster of a map node with the given
// role, registering it, or "" for none.
func (b *builder) cluster(n *graph.Node, role Role) string {
	var id, label string
	switch {
	case b.opt.Cluster == ClusterNone:
		return ""
	case b.opt.Cluster == ClusterOwner && (role == RoleFunction || role == RoleSystem) && n.Owner != "":
		id, label = "owner:"+n.Owner, n.Owner
	case b.opt.Cluster == ClusterTier && role == RoleFunction && n.Tier != graph.TierNone:
		id, label = "tier:"+n.Tier.String(), tierTitle(n.Tier)
	case b.opt.Cluster == ClusterCountry && (role == RoleVendor || role == RoleFourthParty) && n.Country != "":
		id, label = "country:"+n.Country, "Vendors in "+n.Country
	case b.opt.Cluster == ClusterKind && role == RoleSystem:
		// Functions, vendors and fourth parties each fill a column of
		// their own and are boxed; the systems are what lies between.
		// A box around them would have to hold every junction and
		// fallback too, and cost the layout more than it shows.
		return ""
	default:
		id, label = kindCluster(role)
	}
	b.clusters[id] = label
	return id
}

func tierTitle(t graph.Tier) string {
	switch t {
	case graph.TierCore:
		return "Core functions"
	case graph.TierImportant:
		return "Important functions"
	case graph.TierSupporting:
		return "Supporting functions"
	}
	return "Functions"
}

// kindCluster is the cluster of a role when clustering by kind.
func kindCluster(r Role) (id, label string) {
	switch r {
	case RoleFunction:
		return "kind:function", "Business functions"
	case RoleSystem:
		return "kind:system", "Systems"
	case RoleFourthParty:
		return "kind:fourth", "Fourth parties"
	}
	return "kind:vendor", "Vendors"
}

// finishClusters fills d.Clusters with the clusters in use: functions
// first, then systems, vendors and fourth parties, each by label.
func (b *builder) finishClusters() {
	used := map[string]Role{}
	for i := range b.d.Nodes {
		n := &b.d.Nodes[i]
		if n.Cluster == "" {
			continue
		}
		if r, ok := used[n.Cluster]; !ok || roleRank(n.Role) < roleRank(r) {
			used[n.Cluster] = n.Role
		}
	}
	b.d.Clusters = b.d.Clusters[:0]
	for id := range used {
		b.d.Clusters = append(b.d.Clusters, Cluster{ID: id, Label: b.clusters[id]})
	}
	slices.SortFunc(b.d.Clusters, func(x, y Cluster) int {
		if c := roleRank(used[x.ID]) - roleRank(used[y.ID]); c != 0 {
			return c
		}
		if x.Label != y.Label {
			return strings.Compare(x.Label, y.Label)
		}
		return strings.Compare(x.ID, y.ID)
	})
}

func roleRank(r Role) int {
	switch r {
	case RoleFunction:
		return 0
	case RoleSystem:
		return 1
	case RoleVendor:
		return 2
	case RoleFourthParty:
		return 3
	}
	return 4
}

// auxCluster is the cluster of a junction or fallback drawn for the node
// owner: its owner's, except when clustering by kind, where it has none.
func (b *builder) auxCluster(owner string) string {
	o := b.node(owner)
	if o == nil || b.opt.Cluster == ClusterKind {
		return ""
	}
	return o.Cluster
}

// requires draws the requirement x of the node drawn as from: an edge to
// every node it names that keep accepts, through a junction for every
// redundancy group and every list nested in one. A group none of whose
// members is kept is left out.
func (b *builder) requires(from string, x *graph.Expr, fallback bool, keep func(int) bool) {
	if x == nil {
		return
	}
	seq := 0
	var has func(x *graph.Expr) bool
	has = func(x *graph.Expr) bool {
		if x.Op == graph.OpRef {
			i := b.m.Index(x.Ref)
			return i >= 0 && keep(i)
		}
		return slices.ContainsFunc(x.Args, has)
	}
	var walk func(from string, x *graph.Expr, top bool)
	walk = func(from string, x *graph.Expr, top bool) {
		if x.Op == graph.OpRef {
			if i := b.m.Index(x.Ref); i >= 0 && keep(i) {
				b.edge(Edge{From: from, To: x.Ref, Fallback: fallback, Weight: 1})
			}
			return
		}
		if top && x.Op == graph.OpAll || len(x.Args) == 1 && x.Threshold() == 1 {
			for _, a := range x.Args {
				walk(from, a, top)
			}
			return
		}
		if !has(x) {
			return
		}
		seq++
		j := Node{ID: from + "#" + strconv.Itoa(seq), Role: RoleJunction, Label: junctionLabel(x),
			Tooltip: junctionTip(x)}
		j.Cluster = b.auxCluster(from)
		b.add(j)
		b.junctions[j.ID] = x
		b.edge(Edge{From: from, To: j.ID, Fallback: fallback, Weight: 1})
		for _, a := range x.Args {
			walk(j.ID, a, false)
		}
	}
	walk(from, x, true)
}

func junctionLabel(x *graph.Expr) string {
	k, n := x.Threshold(), len(x.Args)
	switch {
	case k >= n:
		return "all"
	case k == 1:
		return "any"
	}
	return fmt.Sprintf("%d of %d", k, n)
}

func junctionTip(x *graph.Expr) string {
	k, n := x.Threshold(), len(x.Args)
	var what string
	switch {
	case k >= n:
		what = "all of them must be up"
	case k == 1:
		what = "any one of them suffices"
	default:
		what = fmt.Sprintf("any %d of the %d suffice", k, n)
	}
	return x.String() + "\n" + what
}

// fallbackNode is the diagram node of a fallback.
func fallbackNode(f *graph.Fallback) Node {
	n := Node{ID: fallbackID(f.ID), Role: RoleFallback, Label: f.Label()}
	var parts []string
	if f.Activation > 0 {
		parts = append(parts, "after "+f.Activation.String())
	}
	if f.Endurance != nil {
		parts = append(parts, "for "+f.Endurance.String())
	}
	if f.Capacity > 0 && f.Capacity < 1 {
		parts = append(parts, strconv.FormatFloat(f.Capacity*100, 'f', -1, 64)+"%")
	}
	if len(parts) > 0 {
		n.Lines = []string{strings.Join(parts, " · ")}
	}
	tip := []string{f.ID + " (fallback for " + f.For + ")"}
	if f.Owner != "" {
		tip = append(tip, "owner: "+f.Owner)
	}
	if f.Requires != nil {
		tip = append(tip, "requires: "+f.Requires.String())
	}
	n.Tooltip = strings.Join(tip, "\n")
	return n
}

func fallbackID(id string) string { return "fallback#" + id }

// addFull draws the map nodes keep accepts, their requirements among
// them and, with fallbacks, the fallbacks of those nodes.
func (b *builder) addFull(keep func(int) bool, fallbacks bool) {
	b.addSome(keep, func(int) bool { return fallbacks })
}

// addSome draws the map nodes keep accepts, their requirements among them
// and the fallbacks of those of them fb accepts.
func (b *builder) addSome(keep, fb func(int) bool) {
	for i := range b.m.Nodes {
		if keep(i) {
			b.add(b.mapNode(i))
		}
	}
	for i, n := range b.m.Nodes {
		if !keep(i) {
			continue
		}
		b.requires(n.ID, n.Requires, false, keep)
		if !fb(i) {
			continue
		}
		for _, f := range b.m.FallbacksOf(n.ID) {
			fb := fallbackNode(f)
			fb.Cluster = b.auxCluster(n.ID)
			b.add(fb)
			b.edge(Edge{From: n.ID, To: fb.ID, Fallback: true, Weight: 1})
			b.requires(fb.ID, f.Requires, true, keep)
		}
	}
}

// fullSize is how many diagram nodes addFull would draw: the kept nodes,
// their fallbacks and the junctions of both.
func (b *builder) fullSize(keep func(int) bool, fallbacks bool) int {
	return b.someSize(keep, func(int) bool { return fallbacks })
}

// someSize is how many diagram nodes addSome would draw, at most: the
// kept nodes, the fallbacks fb accepts and the junctions of both.
func (b *builder) someSize(keep, fb func(int) bool) int {
	n := 0
	count := func(x *graph.Expr) {
		if x != nil && x.Op == graph.OpAll {
			n-- // the top-level list is no junction
		}
		x.Walk(func(e *graph.Expr) {
			if e.Op != graph.OpRef {
				n++
			}
		})
	}
	for i, nd := range b.m.Nodes {
		if !keep(i) {
			continue
		}
		n++
		count(nd.Requires)
		if fb(i) {
			for _, f := range b.m.FallbacksOf(nd.ID) {
				n++
				count(f.Requires)
			}
		}
	}
	return n
}

// plural renders "1 system", "3 systems".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
