package graph

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
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
// places. Tags, aliases and contacts are united, attrs, contract terms and
// responsibilities merged key by key. Two definitions of one id in the
// same file are an error.
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

// Add adds a batch. Batches are merged in the order added. A nil batch is
// ignored.
func (b *Builder) Add(batch *Batch) {
	if batch != nil {
		b.batches = append(b.batches, batch)
	}
}

// Build merges and validates every batch. It returns every problem found
// (the batches' own and its own), sorted by position; the Map is nil when
// any of them is an error.
//
// A node or fallback without a file in its Source gets the batch's Source
// as file, and the batch's Importer. Build does not modify the batches,
// but the Map may share requirement expressions, slices and maps with
// them: do not change a batch after building from it.
//
// Besides errors, Build reports every dependency cycle as Info and every
// cycle through an any or atleast group, or through a fallback, as a
// Warning ("circular backup", see Map.Cycles).
func (b *Builder) Build() (*Map, Problems) {
	var ps Problems
	m := &Map{Name: b.name, Currency: b.cur}
	total := 0
	for _, batch := range b.batches {
		total += len(batch.Nodes)
	}
	byID := make(map[string]int32, total) // index in order
	order := make([]*Node, 0, total)
	slab := make([]Node, 0, total) // the copies, allocated at once
	// more holds the definitions after the first of ids defined more than
	// once, to find two in one file.
	more := map[string][]Pos{}
	for _, batch := range b.batches {
		ps = append(ps, batch.Problems...)
		if m.Name == "" {
			m.Name = batch.Name
		}
		if m.Currency == "" {
			m.Currency = batch.Currency
		}
		for _, n := range batch.Nodes {
			if n == nil {
				continue
			}
			src := batchPos(n.Source, batch)
			if !ValidID(n.ID) {
				ps.Add(Problem{Pos: src, Severity: Error,
					Msg:  fmt.Sprintf("invalid id %q", n.ID),
					Hint: "ids start with a letter or digit and use only letters, digits and . _ : / -"})
				continue
			}
			if !slices.Contains(Kinds, n.Kind) {
				ps.Add(Problem{Pos: src, Severity: Error,
					Msg:  fmt.Sprintf("%q has no valid kind (%s)", n.ID, n.Kind),
					Hint: "make it a function, system or vendor"})
				continue
			}
			oi, dup := byID[n.ID]
			if !dup {
				slab = append(slab, *n) // within capacity: earlier pointers stay valid
				c := &slab[len(slab)-1]
				c.Source = src
				byID[n.ID] = int32(len(order))
				order = append(order, c)
				continue
			}
			old := order[oi]
			if same, ok := sameFile(src, old.Source, more[n.ID]); ok {
				ps.Add(Problem{Pos: src, Severity: Error,
					Msg:     fmt.Sprintf("duplicate id %q: already defined at %s", n.ID, same),
					Hint:    "give each entry its own id, or merge the two entries",
					Related: []Pos{same}})
				continue
			}
			more[n.ID] = append(more[n.ID], src)
			for _, c := range mergeNode(old, n) {
				ps.Add(Problem{Pos: src, Severity: Error,
					Msg:     fmt.Sprintf("%s %q is defined differently at %s: %s", old.Kind, n.ID, old.Source, c),
					Hint:    "make the definitions agree, or remove one",
					Related: []Pos{old.Source}})
			}
		}
	}
	m.Nodes = order

	// Aliases name the same vendor under other names; references through an
	// alias resolve to the vendor.
	alias := map[string]int32{} // alias → index in order
	for i, n := range order {
		for _, a := range n.Aliases {
			if a == n.ID {
				continue
			}
			if oi, ok := byID[a]; ok {
				other := order[oi]
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg:     fmt.Sprintf("alias %q of %q is also the id of a node defined at %s", a, n.ID, other.Source),
					Hint:    "an alias must not be another node's id; merge the two or drop the alias",
					Related: []Pos{other.Source}})
				continue
			}
			if pi, ok := alias[a]; ok && pi != int32(i) {
				prev := order[pi]
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg:     fmt.Sprintf("alias %q is claimed by both %q (at %s) and %q", a, prev.ID, prev.Source, n.ID),
					Hint:    "an alias names one node only; drop it from one of them",
					Related: []Pos{prev.Source}})
				continue
			}
			alias[a] = int32(i)
		}
	}
	// known returns the index in order of the node id names, directly or
	// (viaAlias) as an alias.
	known := func(id string) (i int32, viaAlias, ok bool) {
		if i, ok := byID[id]; ok {
			return i, false, true
		}
		i, ok = alias[id]
		return i, ok, ok
	}
	sug := &suggester{byID: byID, alias: alias}
	unknownHint := func(id, otherwise string) string {
		if s := sug.suggest(id); s != "" {
			return fmt.Sprintf("did you mean %q?", s)
		}
		return otherwise
	}

	// checkExpr reports what is wrong in e, the requirement of owner (a
	// description for messages) that keeps self up, appends its resolved
	// references to pre.refs and returns e with aliases resolved: e itself
	// when there are none, else a copy.
	pre := &resolved{refs: make([]int32, 0, total*4)}
	checkExpr := func(owner string, self int32, ownerPos Pos, e *Expr) *Expr {
		if e == nil || e.Op == OpAll && len(e.Args) == 0 {
			return nil // an empty list at the top needs nothing
		}
		rewrite := false
		e.Walk(func(x *Expr) {
			pos := x.Pos
			if pos.IsZero() {
				pos = ownerPos
			}
			switch x.Op {
			case OpRef:
				ti, viaAlias, ok := known(x.Ref)
				if !ok {
					pre.refs = append(pre.refs, -1)
					ps.Add(Problem{Pos: pos, Severity: Error,
						Msg:  fmt.Sprintf("%s requires unknown node %q", owner, x.Ref),
						Hint: unknownHint(x.Ref, "define it as a function, system or vendor, or fix the id")})
					return
				}
				pre.refs = append(pre.refs, ti)
				rewrite = rewrite || viaAlias
				if ti == self {
					msg := fmt.Sprintf("%s requires itself", owner)
					if viaAlias {
						msg = fmt.Sprintf("%s requires itself (as %q)", owner, x.Ref)
					}
					ps.Add(Problem{Pos: pos, Severity: Error, Msg: msg,
						Hint: "remove the reference; a node cannot depend on its own state"})
				}
			case OpAll, OpAny, OpAtLeast:
				if len(x.Args) == 0 {
					ps.Add(Problem{Pos: pos, Severity: Error, Msg: fmt.Sprintf("%s has an empty requirement group", owner),
						Hint: "list at least one node id in the group, or remove it"})
					return
				}
				if slices.Contains(x.Args, nil) {
					ps.Add(Problem{Pos: pos, Severity: Error, Msg: fmt.Sprintf("%s has an empty item in a requirement group", owner),
						Hint: "write a node id or a group for every item"})
				}
				if x.Op == OpAtLeast && (x.K < 1 || x.K > len(x.Args)) {
					ps.Add(Problem{Pos: pos, Severity: Error,
						Msg:  fmt.Sprintf("%s requires at least %d of %d", owner, x.K, len(x.Args)),
						Hint: fmt.Sprintf("the count must be between 1 and the number of items (%d)", len(x.Args))})
				}
			default:
				ps.Add(Problem{Pos: pos, Severity: Error, Msg: fmt.Sprintf("%s has a requirement with no operator", owner)})
			}
		})
		if !rewrite {
			return e
		}
		e = cloneExpr(e)
		e.Walk(func(x *Expr) {
			if x.Op == OpRef {
				if t, ok := alias[x.Ref]; ok {
					x.Ref = order[t].ID
				}
			}
		})
		return e
	}
	pre.nodeStart = make([]int32, 0, len(order)+1)
	for i, n := range order {
		pre.nodeStart = append(pre.nodeStart, int32(len(pre.refs)))
		n.Requires = checkExpr(n.ID, int32(i), n.Source, n.Requires)
		checkNode(&ps, n)
	}
	pre.nodeStart = append(pre.nodeStart, int32(len(pre.refs)))

	knownID := func(id string) (string, bool) {
		i, _, ok := known(id)
		if !ok {
			return "", false
		}
		return order[i].ID, true
	}
	m.Fallbacks = b.fallbacks(&ps, knownID, unknownHint)
	pre.fbStart = make([]int32, 0, len(m.Fallbacks)+1)
	for _, f := range m.Fallbacks {
		pre.fbStart = append(pre.fbStart, int32(len(pre.refs)))
		self := int32(-1)
		if i, ok := byID[f.For]; ok {
			self = i
		}
		f.Requires = checkExpr("fallback "+f.ID, self, f.Source, f.Requires)
	}
	pre.fbStart = append(pre.fbStart, int32(len(pre.refs)))

	if ps.HasErrors() {
		ps.Sort()
		return nil, ps
	}
	m.finish(pre)
	for _, cyc := range m.Cycles() {
		ps.Add(cyc.problem(m))
	}
	ps.Sort()
	m.Problems = ps
	return m, ps
}

// fallbacks copies, checks and names the batches' fallbacks.
func (b *Builder) fallbacks(ps *Problems, known func(string) (string, bool), unknownHint func(id, otherwise string) string) []*Fallback {
	var out []*Fallback
	ids := map[string]*Fallback{}
	for _, batch := range b.batches {
		for _, f := range batch.Fallbacks {
			if f == nil {
				continue
			}
			c := *f
			c.Source = batchPos(f.Source, batch)
			if c.ID != "" {
				if !ValidID(c.ID) {
					ps.Add(Problem{Pos: c.Source, Severity: Error,
						Msg:  fmt.Sprintf("invalid fallback id %q", c.ID),
						Hint: "ids start with a letter or digit and use only letters, digits and . _ : / -"})
					continue
				}
				if old, ok := ids[c.ID]; ok {
					ps.Add(Problem{Pos: c.Source, Severity: Error,
						Msg:     fmt.Sprintf("duplicate fallback id %q: already defined at %s", c.ID, old.Source),
						Hint:    "give each fallback its own id",
						Related: []Pos{old.Source}})
					continue
				}
				ids[c.ID] = &c
			}
			out = append(out, &c)
		}
	}
	var unknown []*Fallback
	for _, f := range out {
		if t, ok := known(f.For); ok {
			f.For = t
		} else {
			unknown = append(unknown, f)
		}
	}
	// Unnamed fallbacks are named after their node: x/fallback,
	// x/fallback-2, ...
	for _, f := range out {
		if f.ID != "" {
			continue
		}
		base := f.For + "/fallback"
		id := base
		for k := 2; ids[id] != nil; k++ {
			id = base + "-" + strconv.Itoa(k)
		}
		f.ID = id
		ids[id] = f
	}
	for _, f := range unknown {
		if f.For == "" {
			ps.Add(Problem{Pos: f.Source, Severity: Error,
				Msg:  fmt.Sprintf("fallback %q does not say which node it is for", f.ID),
				Hint: "set for: to the id of the function or system it keeps up"})
			continue
		}
		ps.Add(Problem{Pos: f.Source, Severity: Error,
			Msg:  fmt.Sprintf("fallback %q is for unknown node %q", f.ID, f.For),
			Hint: unknownHint(f.For, "set for: to the id of the function or system it keeps up")})
	}
	for _, f := range out {
		if !(f.Capacity >= 0 && f.Capacity <= 1) {
			ps.Add(Problem{Pos: f.Source, Severity: Error,
				Msg:  fmt.Sprintf("fallback %q has capacity %g", f.ID, f.Capacity),
				Hint: "capacity is a share between 0 and 1 (0.3 = 30% of normal)"})
		}
		checkDurations(ps, f.Source, "fallback "+f.ID, []namedDuration{{"activation", &f.Activation}, {"endurance", f.Endurance}})
	}
	return out
}

// checkNode reports attribute values out of their range.
func checkNode(ps *Problems, n *Node) {
	if p := n.Probability; p != nil && !(*p >= 0 && *p <= 1) {
		ps.Add(Problem{Pos: n.Source, Severity: Error,
			Msg:  fmt.Sprintf("%s has probability %g", n.ID, *p),
			Hint: "probability is a yearly chance between 0 and 1"})
	}
	if !(n.ImpactPerHour >= 0) || math.IsInf(n.ImpactPerHour, 0) {
		ps.Add(Problem{Pos: n.Source, Severity: Error,
			Msg:  fmt.Sprintf("%s has impact per hour %g", n.ID, n.ImpactPerHour),
			Hint: "impact per hour is an amount of money, 0 or more"})
	}
	if c := n.Contract; c != nil {
		if c.Substitutability != "" && !slices.Contains(SubstitutabilityNames, c.Substitutability) {
			ps.Add(Problem{Pos: n.Source, Severity: Error,
				Msg:  fmt.Sprintf("%s has substitutability %q", n.ID, c.Substitutability),
				Hint: "use easy, hard or none"})
		}
		for _, f := range []struct {
			name string
			v    float64
		}{{"annual fee", c.AnnualFee}, {"liability cap", c.LiabilityCap}} {
			if !(f.v >= 0) || math.IsInf(f.v, 0) {
				ps.Add(Problem{Pos: n.Source, Severity: Error,
					Msg:  fmt.Sprintf("%s has contract %s %g", n.ID, f.name, f.v),
					Hint: "amounts of money are 0 or more"})
			}
		}
	}
	if n.Tier != TierNone && n.Tier.String() == "" {
		ps.Add(Problem{Pos: n.Source, Severity: Error,
			Msg:  fmt.Sprintf("%s has tier %d", n.ID, n.Tier),
			Hint: "use core, important or supporting"})
	}
	checkDurations(ps, n.Source, n.ID, []namedDuration{
		{"tolerance", n.Tolerance}, {"rto", n.RTO}, {"rpo", n.RPO}, {"buffer", n.Buffer},
		{"restore", n.Restore}, {"outage_duration", n.OutageDuration}})
}

type namedDuration struct {
	name string
	d    *Duration // nil: not given
}

// checkDurations reports negative durations.
func checkDurations(ps *Problems, pos Pos, owner string, ds []namedDuration) {
	for _, x := range ds {
		if x.d != nil && *x.d < 0 {
			ps.Add(Problem{Pos: pos, Severity: Error,
				Msg:  fmt.Sprintf("%s has %s %s", owner, x.name, x.d),
				Hint: "durations are lengths of time, 0 or more"})
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// batchPos completes a position with what the batch knows.
func batchPos(p Pos, batch *Batch) Pos {
	if p.File == "" {
		p.File = batch.Source
	}
	if p.Importer == "" {
		p.Importer = batch.Importer
	}
	return p
}

// sameFile returns an earlier definition (first, then others) in the file
// of p.
func sameFile(p, first Pos, others []Pos) (Pos, bool) {
	if p.File == "" {
		return Pos{}, false
	}
	if first.File == p.File {
		return first, true
	}
	for _, o := range others {
		if o.File == p.File {
			return o, true
		}
	}
	return Pos{}, false
}

func cloneExpr(e *Expr) *Expr {
	if e == nil {
		return nil
	}
	c := *e
	if e.Args != nil {
		c.Args = make([]*Expr, len(e.Args))
		for i, a := range e.Args {
			c.Args[i] = cloneExpr(a)
		}
	}
	return &c
}

// mergeNode fills old's unset fields from n and returns a description of
// every field where both are set and differ. Old never shares mutable
// state with n that merging would later write into: maps, slices and
// structs behind pointers are copied before they change.
func mergeNode(old, n *Node) []string {
	if old.Kind != n.Kind {
		return []string{fmt.Sprintf("kind %s here, %s there", n.Kind, old.Kind)}
	}
	var conflicts []string
	ov, nv := reflect.ValueOf(old).Elem(), reflect.ValueOf(n).Elem()
	t := ov.Type()
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			continue
		}
		name := t.Field(i).Name
		of, nf := ov.Field(i), nv.Field(i)
		switch name {
		case "ID", "Kind", "Source":
			continue
		case "Requires":
			switch {
			case n.Requires == nil:
			case old.Requires == nil:
				old.Requires = n.Requires
			case !old.Requires.Equal(n.Requires):
				conflicts = append(conflicts, fmt.Sprintf("requires %q here, %q there", n.Requires, old.Requires))
			}
			continue
		case "Tags":
			old.Tags = union(old.Tags, n.Tags)
			continue
		case "Aliases":
			old.Aliases = union(old.Aliases, n.Aliases)
			continue
		case "Contacts":
			old.Contacts = union(old.Contacts, n.Contacts)
			continue
		case "Attrs":
			if len(n.Attrs) == 0 {
				continue
			}
			merged := make(map[string]string, len(old.Attrs)+len(n.Attrs))
			for k, v := range old.Attrs {
				merged[k] = v
			}
			for _, k := range sortedKeys(n.Attrs) {
				v := n.Attrs[k]
				if ov, ok := merged[k]; ok && ov != v {
					conflicts = append(conflicts, fmt.Sprintf("attrs.%s %q here, %q there", k, v, ov))
					continue
				}
				merged[k] = v
			}
			old.Attrs = merged
			continue
		case "Contract":
			switch {
			case n.Contract == nil:
			case old.Contract == nil:
				c := *n.Contract
				old.Contract = &c
			default:
				c := *old.Contract
				conflicts = append(conflicts, mergeFields("contract.", reflect.ValueOf(&c).Elem(), reflect.ValueOf(n.Contract).Elem())...)
				old.Contract = &c
			}
			continue
		}
		if of.Kind() == reflect.Struct {
			conflicts = append(conflicts, mergeFields(snake(name)+".", of, nf)...)
			continue
		}
		conflicts = append(conflicts, mergeField(snake(name), of, nf)...)
	}
	return conflicts
}

// mergeFields merges every field of the struct nf into of.
func mergeFields(prefix string, of, nf reflect.Value) []string {
	var conflicts []string
	t := of.Type()
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			continue
		}
		conflicts = append(conflicts, mergeField(prefix+snake(t.Field(i).Name), of.Field(i), nf.Field(i))...)
	}
	return conflicts
}

// mergeField sets of to nf when of is unset, and describes the conflict
// when both are set and differ.
func mergeField(name string, of, nf reflect.Value) []string {
	switch {
	case nf.IsZero():
	case of.IsZero():
		of.Set(nf)
	case !reflect.DeepEqual(of.Interface(), nf.Interface()):
		return []string{fmt.Sprintf("%s %s here, %s there", name, describe(nf), describe(of))}
	}
	return nil
}

// describe renders a field's value for a message.
func describe(v reflect.Value) string {
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case string:
		return strconv.Quote(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v.Interface())
}

// snake turns a Go field name into the file format's key: ImpactPerHour →
// impact_per_hour, RTO → rto.
func snake(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// union returns a followed by the elements of b not in a, in a new slice
// when anything is added.
func union[T comparable](a, b []T) []T {
	var out []T
	for _, x := range b {
		if slices.Contains(a, x) || slices.Contains(out, x) {
			continue
		}
		if out == nil {
			out = slices.Clone(a)
		}
		out = append(out, x)
	}
	if out == nil {
		return a
	}
	return out
}

// suggester proposes the closest known id or alias to a misspelt id. It
// builds its candidate list on first use and remembers its answers. Its
// total work is bounded so that a map with thousands of unknown ids still
// validates quickly; past the budget it proposes only case-insensitive
// matches.
type suggester struct {
	byID  map[string]int32
	alias map[string]int32

	cands  []string          // sorted
	folded map[string]string // lower-cased candidate → first candidate
	memo   map[string]string
	budget int   // candidate comparisons left
	rows   []int // scratch for boundedLevenshtein
}

// suggestBudget bounds the number of edit-distance comparisons of one
// Build.
const suggestBudget = 5_000_000

func (s *suggester) suggest(id string) string {
	if s.cands == nil {
		s.cands = make([]string, 0, len(s.byID)+len(s.alias))
		for id := range s.byID {
			s.cands = append(s.cands, id)
		}
		for a := range s.alias {
			s.cands = append(s.cands, a)
		}
		slices.Sort(s.cands)
		s.folded = make(map[string]string, len(s.cands))
		for _, c := range s.cands {
			k := strings.ToLower(c)
			if _, ok := s.folded[k]; !ok {
				s.folded[k] = c
			}
		}
		s.memo = map[string]string{}
		s.budget = suggestBudget
	}
	if r, ok := s.memo[id]; ok {
		return r
	}
	r := s.closest(id)
	s.memo[id] = r
	return r
}

func (s *suggester) closest(id string) string {
	if c, ok := s.folded[strings.ToLower(id)]; ok {
		return c
	}
	if s.budget <= 0 {
		return ""
	}
	s.budget -= len(s.cands)
	limit := max(2, len(id)/3)
	best, bestD := "", limit+1
	for _, c := range s.cands {
		if abs(len(c)-len(id)) >= bestD {
			continue
		}
		if d := s.distance(id, c, bestD-1); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distance returns the edit distance (Levenshtein, on bytes) of a and b
// when it is at most limit, and limit+1 otherwise. It fills only the band
// of the table within limit of the diagonal and stops early once every
// cell of a row exceeds limit.
func (s *suggester) distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	inf := limit + 1
	if cap(s.rows) < 2*(len(b)+1) {
		s.rows = make([]int, 2*(len(b)+1))
	}
	prev, cur := s.rows[:len(b)+1], s.rows[len(b)+1:2*(len(b)+1)]
	for j := range prev {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[0] = min(i, inf)
		if lo > 1 {
			cur[lo-1] = inf
		}
		rowMin := cur[0]
		if lo > 1 {
			rowMin = inf
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, inf)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < len(b) {
			cur[hi+1] = inf
		}
		if rowMin > limit {
			return inf
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], inf)
}
