package graph

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Batch is what one importer read from one source: nodes and fallbacks with
// their positions, and the problems met on the way (bad records become
// problems; the rest still loads).
type Batch struct {
	Source   string // the path read, for messages
	Importer string // the importer's name
	// Name and Currency, when the source states them (a workspace config).
	Name, Currency string
	Nodes          []*Node
	Fallbacks      []*Fallback
	Problems       Problems
}

// Builder merges batches into one Map. A node defined in several sources is
// merged field by field: a field given in one source fills the gap in the
// other; two different values for the same field are an error naming both
// places. Two definitions of one id in the same file are an error.
type Builder struct {
	batches []*Batch
	name    string
	cur     string
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder { return &Builder{} }

// SetMeta sets the map's name and currency (the workspace's), overriding
// what batches say.
func (b *Builder) SetMeta(name, currency string) { b.name, b.cur = name, currency }

// Add adds a batch. Batches are merged in the order added.
func (b *Builder) Add(batch *Batch) { b.batches = append(b.batches, batch) }

// Build merges and validates every batch. It returns every problem found,
// sorted by position; the Map is nil when any of them is an error.
func (b *Builder) Build() (*Map, Problems) {
	var ps Problems
	m := &Map{Name: b.name, Currency: b.cur}
	byID := map[string]*Node{}
	var order []*Node
	for _, batch := range b.batches {
		ps = append(ps, batch.Problems...)
		if m.Name == "" {
			m.Name = batch.Name
		}
		if m.Currency == "" {
			m.Currency = batch.Currency
		}
		for _, n := range batch.Nodes {
			if !ValidID(n.ID) {
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg:  fmt.Sprintf("invalid id %q", n.ID),
					Hint: "ids start with a letter or digit and use only letters, digits and . _ : / -"})
				continue
			}
			old, dup := byID[n.ID]
			if !dup {
				c := *n
				byID[n.ID] = &c
				order = append(order, &c)
				continue
			}
			if old.Source.File != "" && old.Source.File == n.Source.File {
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg:     fmt.Sprintf("duplicate id %q: already defined at %s", n.ID, old.Source),
					Hint:    "give each entry its own id, or merge the two entries",
					Related: []Pos{old.Source}})
				continue
			}
			for _, c := range mergeNode(old, n) {
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg:     fmt.Sprintf("%s %q is defined differently at %s: %s", old.Kind, n.ID, old.Source, c),
					Hint:    "make the definitions agree, or remove one",
					Related: []Pos{old.Source}})
			}
		}
	}
	m.Nodes = order

	// Aliases name the same vendor under other names; references through an
	// alias resolve to the vendor.
	alias := map[string]string{}
	for _, n := range order {
		for _, a := range n.Aliases {
			if other, ok := byID[a]; ok && other != n {
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg:  fmt.Sprintf("alias %q of %q is also the id of a node defined at %s", a, n.ID, other.Source),
					Hint: "an alias must not be another node's id; merge the two or drop the alias"})
				continue
			}
			if prev, ok := alias[a]; ok && prev != n.ID {
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg: fmt.Sprintf("alias %q is claimed by both %q and %q", a, prev, n.ID)})
				continue
			}
			alias[a] = n.ID
		}
	}

	fbIDs := map[string]*Fallback{}
	for _, batch := range b.batches {
		for _, f := range batch.Fallbacks {
			if f.ID == "" {
				f.ID = f.For + "/fallback"
			}
			if old, ok := fbIDs[f.ID]; ok {
				ps.Add(Problem{Pos: f.Source, Severity: Error,
					Msg:     fmt.Sprintf("duplicate fallback id %q: already defined at %s", f.ID, old.Source),
					Related: []Pos{old.Source}})
				continue
			}
			c := *f
			fbIDs[f.ID] = &c
			m.Fallbacks = append(m.Fallbacks, &c)
		}
	}

	known := func(id string) (string, bool) {
		if _, ok := byID[id]; ok {
			return id, true
		}
		if t, ok := alias[id]; ok {
			return t, true
		}
		return "", false
	}
	candidates := make([]string, 0, len(byID)+len(alias))
	for id := range byID {
		candidates = append(candidates, id)
	}
	for a := range alias {
		candidates = append(candidates, a)
	}
	sort.Strings(candidates)
	suggest := newSuggester(candidates)

	checkExpr := func(owner string, ownerPos Pos, e *Expr) *Expr {
		if e == nil {
			return nil
		}
		e = cloneExpr(e)
		e.Walk(func(x *Expr) {
			pos := x.Pos
			if pos.IsZero() {
				pos = ownerPos
			}
			switch x.Op {
			case OpRef:
				t, ok := known(x.Ref)
				if !ok {
					p := Problem{Pos: pos, Severity: Error, Msg: fmt.Sprintf("%s requires unknown node %q", owner, x.Ref)}
					if s := suggest(x.Ref); s != "" {
						p.Hint = fmt.Sprintf("did you mean %q?", s)
					} else {
						p.Hint = "define it as a function, system or vendor, or fix the id"
					}
					ps.Add(p)
					return
				}
				x.Ref = t
				if t == owner {
					ps.Add(Problem{Pos: pos, Severity: Error, Msg: fmt.Sprintf("%s requires itself", owner),
						Hint: "remove the reference; a node cannot depend on its own state"})
				}
			case OpAll, OpAny, OpAtLeast:
				if len(x.Args) == 0 {
					ps.Add(Problem{Pos: pos, Severity: Error, Msg: fmt.Sprintf("%s has an empty requirement group", owner),
						Hint: "list at least one node id in the group, or remove it"})
				}
				if x.Op == OpAtLeast && (x.K < 1 || x.K > len(x.Args)) {
					ps.Add(Problem{Pos: pos, Severity: Error,
						Msg:  fmt.Sprintf("%s requires at least %d of %d", owner, x.K, len(x.Args)),
						Hint: fmt.Sprintf("the count must be between 1 and the number of items (%d)", len(x.Args))})
				}
			}
		})
		return e
	}
	for _, n := range order {
		n.Requires = checkExpr(n.ID, n.Source, n.Requires)
	}
	for _, f := range m.Fallbacks {
		if t, ok := known(f.For); ok {
			f.For = t
		} else {
			p := Problem{Pos: f.Source, Severity: Error, Msg: fmt.Sprintf("fallback %q is for unknown node %q", f.ID, f.For)}
			if s := suggest(f.For); s != "" {
				p.Hint = fmt.Sprintf("did you mean %q?", s)
			}
			ps.Add(p)
		}
		f.Requires = checkExpr("fallback "+f.ID, f.Source, f.Requires)
		if f.Capacity < 0 || f.Capacity > 1 {
			ps.Add(Problem{Pos: f.Source, Severity: Error,
				Msg:  fmt.Sprintf("fallback %q has capacity %g", f.ID, f.Capacity),
				Hint: "capacity is a share between 0 and 1 (0.3 = 30% of normal)"})
		}
	}
	for _, n := range order {
		if n.Probability != nil && (*n.Probability < 0 || *n.Probability > 1) {
			ps.Add(Problem{Pos: n.Source, Severity: Error,
				Msg:  fmt.Sprintf("%s has probability %g", n.ID, *n.Probability),
				Hint: "probability is a yearly chance between 0 and 1"})
		}
		if n.Contract != nil && n.Contract.Substitutability != "" && !contains(SubstitutabilityNames, n.Contract.Substitutability) {
			ps.Add(Problem{Pos: n.Source, Severity: Error,
				Msg:  fmt.Sprintf("%s has substitutability %q", n.ID, n.Contract.Substitutability),
				Hint: "use easy, hard or none"})
		}
	}

	if ps.HasErrors() {
		ps.Sort()
		return nil, ps
	}
	m.finish()
	for _, cyc := range m.Cycles() {
		p := Problem{Pos: m.Node(cyc.Nodes[0]).Source, Severity: Info,
			Msg: fmt.Sprintf("cycle: %s", strings.Join(append(cyc.Nodes, cyc.Nodes[0]), " → "))}
		if cyc.Redundant {
			p.Severity = Warning
			p.Msg = "circular backup: " + strings.TrimPrefix(p.Msg, "cycle: ")
			p.Hint = "nodes in this cycle back each other up through any/atleast groups; when their own suppliers all fail they still count each other as up (the optimistic least-fixpoint reading)"
		}
		ps.Add(p)
	}
	ps.Sort()
	m.Problems = ps
	return m, ps
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cloneExpr(e *Expr) *Expr {
	if e == nil {
		return nil
	}
	c := *e
	c.Args = make([]*Expr, len(e.Args))
	for i, a := range e.Args {
		c.Args[i] = cloneExpr(a)
	}
	return &c
}

// mergeNode fills old's zero fields from n and returns a description of
// every field where both are set and differ.
func mergeNode(old, n *Node) []string {
	var conflicts []string
	if old.Kind != n.Kind {
		return []string{fmt.Sprintf("kind %s here, %s there", n.Kind, old.Kind)}
	}
	ov, nv := reflect.ValueOf(old).Elem(), reflect.ValueOf(n).Elem()
	t := ov.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Name
		if name == "ID" || name == "Kind" || name == "Source" {
			continue
		}
		of, nf := ov.Field(i), nv.Field(i)
		if nf.IsZero() {
			continue
		}
		if of.IsZero() {
			of.Set(nf)
			continue
		}
		if name == "Requires" {
			if !old.Requires.Equal(n.Requires) {
				conflicts = append(conflicts, fmt.Sprintf("requires %q here, %q there", n.Requires, old.Requires))
			}
			continue
		}
		if !reflect.DeepEqual(of.Interface(), nf.Interface()) {
			conflicts = append(conflicts, fmt.Sprintf("%s differs", strings.ToLower(name)))
		}
	}
	return conflicts
}

// newSuggester returns a function proposing the closest candidate to a
// misspelt id, or "" when none is close.
func newSuggester(candidates []string) func(string) string {
	return func(s string) string {
		best, bestD := "", 1<<30
		limit := max(2, len(s)/3)
		for _, c := range candidates {
			if abs(len(c)-len(s)) > limit {
				continue
			}
			if strings.EqualFold(c, s) {
				return c
			}
			d := levenshtein(s, c)
			if d < bestD {
				best, bestD = c, d
			}
		}
		if bestD <= limit {
			return best
		}
		return ""
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
