package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Kind is what a node stands for.
type Kind uint8

// The node kinds of design.md.
const (
	KindFunction Kind = iota + 1 // a business function or service
	KindSystem                   // an application, platform, site, team or any internal asset
	KindVendor                   // a third party; its requirements name its own suppliers
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindFunction, KindSystem, KindVendor}

func (k Kind) String() string {
	switch k {
	case KindFunction:
		return "function"
	case KindSystem:
		return "system"
	case KindVendor:
		return "vendor"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Plural is the kind's plural as used for top-level keys ("functions").
func (k Kind) Plural() string { return k.String() + "s" }

// ParseKind maps "function", "system", "vendor" and their plurals, in any
// mix of upper and lower case, to a Kind; ok is false otherwise.
func ParseKind(s string) (Kind, bool) {
	switch strings.ToLower(s) {
	case "function", "functions":
		return KindFunction, true
	case "system", "systems":
		return KindSystem, true
	case "vendor", "vendors":
		return KindVendor, true
	}
	return 0, false
}

// Tier ranks a function's importance.
type Tier uint8

// The tiers, most important first. TierNone is an unset tier.
const (
	TierNone Tier = iota
	TierCore
	TierImportant
	TierSupporting
)

func (t Tier) String() string {
	switch t {
	case TierCore:
		return "core"
	case TierImportant:
		return "important"
	case TierSupporting:
		return "supporting"
	}
	return ""
}

// ParseTier maps "core", "important", "supporting" (or "") to a Tier.
func ParseTier(s string) (Tier, bool) {
	switch s {
	case "":
		return TierNone, true
	case "core":
		return TierCore, true
	case "important":
		return TierImportant, true
	case "supporting":
		return TierSupporting, true
	}
	return TierNone, false
}

// TierNames lists the valid tier spellings, for error hints.
var TierNames = []string{"core", "important", "supporting"}

// Pos locates something in a source file. Line and Col are 1-based; zero
// means unknown.
type Pos struct {
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Importer string `json:"importer,omitempty"`
}

// String renders the position as file:line:col, leaving out unknown parts.
func (p Pos) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprint(p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	return s
}

// IsZero reports whether nothing is known of the position.
func (p Pos) IsZero() bool { return p.File == "" && p.Line == 0 }

// Responsibility names who monitors, responds to and repairs a system or
// vendor service. An empty or "TBD" party is a gap.
type Responsibility struct {
	Monitor string `json:"monitor,omitempty"`
	Respond string `json:"respond,omitempty"`
	Repair  string `json:"repair,omitempty"`
}

// Contract is a vendor's contract terms.
type Contract struct {
	Ref              string  `json:"ref,omitempty"`
	AnnualFee        float64 `json:"annual_fee,omitempty"`
	LiabilityCap     float64 `json:"liability_cap,omitempty"`
	SLA              string  `json:"sla,omitempty"`
	Notice           string  `json:"notice,omitempty"`
	ExitPlan         string  `json:"exit_plan,omitempty"`
	Substitutability string  `json:"substitutability,omitempty"` // easy | hard | none
	Reviewed         string  `json:"reviewed,omitempty"`         // a date, YYYY-MM-DD
}

// SubstitutabilityNames lists the valid substitutability values.
var SubstitutabilityNames = []string{"easy", "hard", "none"}

// Contact is an escalation contact.
type Contact struct {
	Role  string `json:"role,omitempty"`
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Node is a function, system or vendor. Attributes that a kind does not use
// stay at their zero value. Durations are nil when not given, so that "not
// given" and "zero" stay apart.
type Node struct {
	ID       string
	Kind     Kind
	Name     string // defaults to ID when empty; see Label
	Tags     []string
	Attrs    map[string]string // free-form, sorted on output
	Requires *Expr             // nil: needs nothing

	// functions
	Tier          Tier
	Tolerance     *Duration
	ImpactPerHour float64
	Regulated     bool

	// functions and systems
	Owner          string
	RTO, RPO       *Duration
	Buffer         *Duration
	Restore        *Duration
	Responsibility Responsibility

	// vendors
	LEI            string
	Country        string
	Parent         string // ultimate parent company, for concentration
	Aliases        []string
	Contract       *Contract
	Contacts       []Contact
	Probability    *float64 // yearly chance of a major outage
	OutageDuration *Duration

	// Source is where the node was defined.
	Source Pos
}

// Label is the node's name, or its id when it has none.
func (n *Node) Label() string {
	if n.Name != "" {
		return n.Name
	}
	return n.ID
}

// Fallback is an alternative way for a node to keep working (a manual
// process, a second route) with its own requirement.
type Fallback struct {
	// ID is unique among fallbacks. Build names a fallback without one
	// after its node: "<for>/fallback", then "<for>/fallback-2", ...
	ID         string
	For        string // the node it keeps up
	Name       string
	Requires   *Expr // nil: needs nothing
	Activation Duration
	Endurance  *Duration // nil: unlimited
	Capacity   float64   // 0–1; 1 when not given
	Owner      string
	Steps      []string
	Source     Pos
}

// Label is the fallback's name, or its id when it has none.
func (f *Fallback) Label() string {
	if f.Name != "" {
		return f.Name
	}
	return f.ID
}

// Map is a validated dependency map: every reference resolves, ids are
// unique. Nodes are sorted by id. A Map is read-only once built: Compile
// and Cycles use the references as they were resolved when it was built,
// so neither the Map nor its nodes and fallbacks may change afterwards.
type Map struct {
	Name     string
	Currency string
	Nodes    []*Node
	// Fallbacks sorted by the node they serve, then id.
	Fallbacks []*Fallback
	// Problems found while building that did not prevent it: warnings and
	// information, sorted by position.
	Problems []Problem

	index      map[string]int
	fallbackOf map[string][]*Fallback
	// refs[reqStart[r]:reqStart[r+1]] are the node indices (-1: unknown)
	// of the references of requirement r, in Walk order. Requirement
	// i < len(Nodes) is Nodes[i].Requires; len(Nodes)+j is
	// Fallbacks[j].Requires.
	refs     []int32
	reqStart []int32
	// Fallbacks[fbSpan[2i]:fbSpan[2i+1]] are the fallbacks of Nodes[i].
	fbSpan []int32
}

// Node returns the node with the given id, or nil.
func (m *Map) Node(id string) *Node {
	i, ok := m.index[id]
	if !ok {
		return nil
	}
	return m.Nodes[i]
}

// Index returns the position of id in Nodes, or -1.
func (m *Map) Index(id string) int {
	i, ok := m.index[id]
	if !ok {
		return -1
	}
	return i
}

// FallbacksOf returns the fallbacks of the node with the given id, sorted
// by id.
func (m *Map) FallbacksOf(id string) []*Fallback { return m.fallbackOf[id] }

// OfKind returns the nodes of kind k, sorted by id.
func (m *Map) OfKind(k Kind) []*Node {
	var out []*Node
	for _, n := range m.Nodes {
		if n.Kind == k {
			out = append(out, n)
		}
	}
	return out
}

// NewMap builds a Map from nodes and fallbacks without validation; it is
// for tests and generators that construct correct maps directly. Nodes and
// fallbacks are sorted; the slices are taken over, and the nodes and
// fallbacks must not change afterwards.
func NewMap(name string, nodes []*Node, fallbacks []*Fallback) *Map {
	m := &Map{Name: name, Nodes: nodes, Fallbacks: fallbacks}
	m.finish(nil)
	return m
}

// resolved is what Build already knows of the references, in the order it
// met nodes and fallbacks: refs[nodeStart[i]:nodeStart[i+1]] are the
// references of its i-th node, as indices in that same order, and
// refs[fbStart[j]:fbStart[j+1]] those of its j-th fallback.
type resolved struct {
	refs               []int32
	nodeStart, fbStart []int32
}

// finish sorts the nodes and fallbacks and builds the indices. pre, when
// not nil, holds the references resolved against the unsorted nodes.
func (m *Map) finish(pre *resolved) {
	nodeOrder := sortedOrder(len(m.Nodes), func(i, j int) int { return strings.Compare(m.Nodes[i].ID, m.Nodes[j].ID) })
	fbOrder := sortedOrder(len(m.Fallbacks), func(i, j int) int {
		a, b := m.Fallbacks[i], m.Fallbacks[j]
		if c := strings.Compare(a.For, b.For); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	m.Nodes = permute(m.Nodes, nodeOrder)
	m.Fallbacks = permute(m.Fallbacks, fbOrder)

	m.index = make(map[string]int, len(m.Nodes))
	for i, n := range m.Nodes {
		m.index[n.ID] = i
	}
	// Both lists are sorted by node id, so one merge pass finds each
	// node's fallbacks.
	m.fallbackOf = make(map[string][]*Fallback)
	m.fbSpan = make([]int32, 2*len(m.Nodes))
	j := 0
	for i, n := range m.Nodes {
		for j < len(m.Fallbacks) && m.Fallbacks[j].For < n.ID {
			j++ // a fallback for no node: only in maps from NewMap
		}
		k := j
		for k < len(m.Fallbacks) && m.Fallbacks[k].For == n.ID {
			k++
		}
		if k > j {
			m.fallbackOf[n.ID] = m.Fallbacks[j:k:k]
		}
		m.fbSpan[2*i], m.fbSpan[2*i+1] = int32(j), int32(k)
		j = k
	}
	for _, f := range m.Fallbacks {
		if _, ok := m.index[f.For]; !ok {
			m.fallbackOf[f.For] = append(m.fallbackOf[f.For], f)
		}
	}

	nr := len(m.Nodes) + len(m.Fallbacks)
	m.reqStart = make([]int32, 0, nr+1)
	if pre != nil {
		rank := make([]int32, len(nodeOrder))
		for to, from := range nodeOrder {
			rank[from] = int32(to)
		}
		m.refs = make([]int32, 0, len(pre.refs))
		add := func(refs []int32) {
			m.reqStart = append(m.reqStart, int32(len(m.refs)))
			for _, r := range refs {
				if r >= 0 {
					r = rank[r]
				}
				m.refs = append(m.refs, r)
			}
		}
		for _, from := range nodeOrder {
			add(pre.refs[pre.nodeStart[from]:pre.nodeStart[from+1]])
		}
		for _, from := range fbOrder {
			add(pre.refs[pre.fbStart[from]:pre.fbStart[from+1]])
		}
	} else {
		add := func(e *Expr) {
			m.reqStart = append(m.reqStart, int32(len(m.refs)))
			e.Walk(func(x *Expr) {
				if x.Op == OpRef {
					m.refs = append(m.refs, int32(m.Index(x.Ref)))
				}
			})
		}
		for _, n := range m.Nodes {
			add(n.Requires)
		}
		for _, f := range m.Fallbacks {
			add(f.Requires)
		}
	}
	m.reqStart = append(m.reqStart, int32(len(m.refs)))
}

// nodeRefs returns the resolved references of Nodes[i].Requires.
func (m *Map) nodeRefs(i int) []int32 { return m.refs[m.reqStart[i]:m.reqStart[i+1]] }

// fallbackRefs returns the resolved references of Fallbacks[j].Requires.
func (m *Map) fallbackRefs(j int) []int32 {
	r := len(m.Nodes) + j
	return m.refs[m.reqStart[r]:m.reqStart[r+1]]
}

// sortedOrder returns the indices 0..n-1 sorted by cmp, stably.
func sortedOrder(n int, cmp func(i, j int) int) []int32 {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp(int(a), int(b)) })
	return order
}

// permute returns s reordered so that element i is s[order[i]], in place
// of s.
func permute[T any](s []T, order []int32) []T {
	tmp := slices.Clone(s)
	for i, from := range order {
		s[i] = tmp[from]
	}
	return s
}
