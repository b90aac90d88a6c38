package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Circuit is the compiled, index-based form of a Map that the analyses run
// on: a threshold circuit. Vertices 0..NumNodes-1 are the map's nodes in
// Map.Nodes order; the rest are gates for nested requirement groups (and,
// with fallbacks, for a node's own requirement and each fallback's).
//
// A vertex v is up when it is not failed and at least K[v] of its inputs
// are up. A list needs all its inputs (K = number of inputs), any needs 1,
// atleast k needs k; a node without requirement has K = 0. An input listed
// twice counts twice. Adjacency is stored in flat CSR slices.
type Circuit struct {
	Map       *Map
	Fallbacks bool // whether fallbacks were compiled in
	NumNodes  int  // vertices below NumNodes are nodes
	K         []int32
	InStart   []int32 // inputs of v: In[InStart[v]:InStart[v+1]]
	In        []int32
	OutStart  []int32 // vertices that have v as input: Out[OutStart[v]:OutStart[v+1]]
	Out       []int32
	// Owner is, for each vertex, the node whose requirement it belongs to
	// (itself for a node).
	Owner []int32
	// Kind is each node's kind (vertices below NumNodes).
	Kind []Kind
}

// N is the number of vertices, nodes and gates.
func (c *Circuit) N() int { return len(c.K) }

// Inputs returns v's inputs.
func (c *Circuit) Inputs(v int32) []int32 { return c.In[c.InStart[v]:c.InStart[v+1]] }

// Outputs returns the vertices that take v as input.
func (c *Circuit) Outputs(v int32) []int32 { return c.Out[c.OutStart[v]:c.OutStart[v+1]] }

// IsGate reports whether v is a gate rather than a node.
func (c *Circuit) IsGate(v int32) bool { return int(v) >= c.NumNodes }

// CompileOptions choose how a map compiles.
type CompileOptions struct {
	// Fallbacks: a node with fallbacks is up when its own requirement or
	// any fallback's requirement holds.
	Fallbacks bool
}

// Compile builds the circuit of m. It never fails on a Map from Build;
// on a Map from NewMap every reference must name a node of the map.
//
// A group with one item is the item itself; a list nested in a list is
// flattened into it. Each remaining nested group becomes a gate. With
// opt.Fallbacks, a node that has a requirement and fallbacks gets K = 1
// over a gate for its own requirement and one gate per fallback (K = 0
// when a fallback needs nothing); without, fallbacks are left out.
func Compile(m *Map, opt CompileOptions) *Circuit {
	c := compile(m, opt, false)
	if c == nil {
		// A requirement changed after the map was built: resolve every
		// reference again.
		c = compile(m, opt, true)
	}
	return c
}

// compile builds the circuit, with the references resolved when the map
// was built, or looked up when lookup is set. It returns nil when the
// resolved references do not fit the requirements.
func compile(m *Map, opt CompileOptions, lookup bool) *Circuit {
	nn := len(m.Nodes)
	cc := &compiler{m: m, lookup: lookup}
	cc.k = make([]int32, nn, nn+nn/2)
	cc.owner = make([]int32, nn, nn+nn/2)
	for i := range cc.owner {
		cc.owner[i] = int32(i)
	}
	edges := len(m.refs) + len(m.refs)/8
	cc.ev = make([]int32, 0, edges)
	cc.eu = make([]int32, 0, edges)
	for i, n := range m.Nodes {
		v := int32(i)
		fbs := m.Fallbacks[m.fbSpan[2*i]:m.fbSpan[2*i+1]]
		if !opt.Fallbacks || len(fbs) == 0 || n.Requires == nil {
			cc.requirement(v, v, n.Requires, m.nodeRefs(i))
			continue
		}
		always := false
		for _, f := range fbs {
			if f.Requires == nil {
				always = true
			}
		}
		if always {
			continue // K = 0
		}
		own := cc.gate(v)
		cc.requirement(own, v, n.Requires, m.nodeRefs(i))
		cc.edge(v, own)
		for j, f := range fbs {
			g := cc.gate(v)
			cc.requirement(g, v, f.Requires, m.fallbackRefs(int(m.fbSpan[2*i])+j))
			cc.edge(v, g)
		}
		cc.k[v] = 1
	}
	if cc.stale {
		return nil
	}

	c := &Circuit{Map: m, Fallbacks: opt.Fallbacks, NumNodes: nn, K: cc.k, Owner: cc.owner}
	c.Kind = make([]Kind, nn)
	for i, nd := range m.Nodes {
		c.Kind[i] = nd.Kind
	}
	// Counting sorts of the edge list, stable so that each vertex keeps
	// its inputs in the order written.
	n := len(c.K)
	c.InStart = make([]int32, n+1)
	c.OutStart = make([]int32, n+1)
	for i := range cc.ev {
		c.InStart[cc.ev[i]+1]++
		c.OutStart[cc.eu[i]+1]++
	}
	for v := 1; v <= n; v++ {
		c.InStart[v] += c.InStart[v-1]
		c.OutStart[v] += c.OutStart[v-1]
	}
	total := len(cc.ev)
	c.In = make([]int32, total)
	c.Out = make([]int32, total)
	at := make([]int32, n)
	copy(at, c.InStart[:n])
	for i, v := range cc.ev {
		c.In[at[v]] = cc.eu[i]
		at[v]++
	}
	copy(at, c.OutStart[:n])
	for v := int32(0); v < int32(n); v++ {
		for _, u := range c.In[c.InStart[v]:c.InStart[v+1]] {
			c.Out[at[u]] = v
			at[u]++
		}
	}
	return c
}

// compiler accumulates the circuit's vertices and its edges, as a flat
// list of (vertex, input) pairs.
type compiler struct {
	m        *Map
	k, owner []int32
	ev, eu   []int32 // edge i: vertex ev[i] has input eu[i]
	// refs are the resolved references of the requirement being compiled;
	// next is the one the next reference met takes. stale is set when
	// they do not fit; lookup ignores them.
	refs   []int32
	next   int
	stale  bool
	lookup bool
}

// requirement compiles e into v, with refs its resolved references.
func (cc *compiler) requirement(v, owner int32, e *Expr, refs []int32) {
	cc.refs, cc.next = refs, 0
	cc.fill(v, owner, e)
	if !cc.lookup && cc.next != len(refs) {
		cc.stale = true
	}
}

// ref returns the vertex of the next reference, which names id.
func (cc *compiler) ref(id string) int32 {
	if cc.lookup {
		return int32(cc.m.index[id])
	}
	v := int32(-1)
	if cc.next < len(cc.refs) {
		v = cc.refs[cc.next]
	}
	cc.next++
	if v < 0 {
		cc.stale = true
		return 0
	}
	return v
}

func (cc *compiler) edge(v, u int32) {
	cc.ev = append(cc.ev, v)
	cc.eu = append(cc.eu, u)
}

func (cc *compiler) gate(owner int32) int32 {
	cc.k = append(cc.k, 0)
	cc.owner = append(cc.owner, owner)
	return int32(len(cc.k) - 1)
}

// fill compiles e into vertex v: its inputs and threshold.
func (cc *compiler) fill(v, owner int32, e *Expr) {
	switch {
	case e == nil:
		cc.k[v] = 0
	case e.Op == OpRef:
		cc.edge(v, cc.ref(e.Ref))
		cc.k[v] = 1
	case e.Op == OpAll:
		cc.k[v] = int32(cc.args(v, owner, e, true))
	default:
		cc.args(v, owner, e, false)
		cc.k[v] = int32(e.Threshold())
	}
}

// args adds e's arguments as v's inputs, flattening nested lists when
// flat, and returns how many it added.
func (cc *compiler) args(v, owner int32, e *Expr, flat bool) int {
	n := 0
	for _, a := range e.Args {
		if flat && a.Op == OpAll {
			n += cc.args(v, owner, a, true)
			continue
		}
		cc.edge(v, cc.input(owner, a))
		n++
	}
	return n
}

// input returns the vertex standing for e: a node, or a new gate.
func (cc *compiler) input(owner int32, e *Expr) int32 {
	if e.Op == OpRef {
		return cc.ref(e.Ref)
	}
	if len(e.Args) == 1 && e.Threshold() >= 1 {
		return cc.input(owner, e.Args[0])
	}
	g := cc.gate(owner)
	cc.fill(g, owner, e)
	return g
}

// State holds the scratch space of one propagation; reuse it across
// scenarios on the same circuit to avoid allocation.
type State struct {
	c       *Circuit
	Down    []bool  // Down[v]: v is down
	Cause   []int32 // for a down vertex: the input whose failure tipped it, or -1 when failed by the scenario
	downCnt []int32
	queue   []int32
	touched []int32
}

// NewState returns a state with every vertex up.
func (c *Circuit) NewState() *State {
	n := c.N()
	s := &State{c: c, Down: make([]bool, n), Cause: make([]int32, n), downCnt: make([]int32, n)}
	return s
}

// Reset brings every vertex back up, in time proportional to what the last
// propagation touched.
func (s *State) Reset() {
	for _, v := range s.touched {
		s.Down[v] = false
		s.downCnt[v] = 0
	}
	s.touched = s.touched[:0]
}

// Propagate fails the given vertices and everything whose requirement
// then fails, up to the least fixpoint of design.md (a cycle with no
// failing support stays up). It adds to the current state; call Reset
// first for a fresh scenario. It returns the number of vertices down.
func (s *State) Propagate(failed []int32) int {
	c := s.c
	q := s.queue[:0]
	for _, v := range failed {
		if !s.Down[v] {
			if s.downCnt[v] == 0 { // else touched already
				s.touched = append(s.touched, v)
			}
			s.Down[v] = true
			s.Cause[v] = -1
			q = append(q, v)
		}
	}
	for h := 0; h < len(q); h++ {
		u := q[h]
		for _, w := range c.Out[c.OutStart[u]:c.OutStart[u+1]] {
			if s.downCnt[w] == 0 && !s.Down[w] {
				s.touched = append(s.touched, w)
			}
			s.downCnt[w]++
			if !s.Down[w] && s.downCnt[w] > c.InStart[w+1]-c.InStart[w]-c.K[w] {
				s.Down[w] = true
				s.Cause[w] = u
				q = append(q, w)
			}
		}
	}
	s.queue = q
	n := 0
	for _, v := range s.touched {
		if s.Down[v] {
			n++
		}
	}
	return n
}

// SCCs returns the strongly connected components of the circuit's
// dependency graph (v → each input), in an order where every component
// comes after all components it depends on: suppliers first. Vertices in a
// component are in ascending order. It is Tarjan's algorithm, iterative;
// the components share one backing array.
func (c *Circuit) SCCs() [][]int32 { return tarjan(c.InStart, c.In) }

// tarjan returns the strongly connected components of the graph with
// edges v → adj[start[v]:start[v+1]], each sorted, every component after
// those it reaches.
func tarjan(start, adj []int32) [][]int32 {
	n := len(start) - 1
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	type frame struct {
		v    int32
		next int32 // the next edge to follow, an index into adj
	}
	var call []frame
	flat := make([]int32, 0, n) // the components, one after the other
	var ends []int32            // component i is flat[ends[i-1]:ends[i]]
	next := int32(0)
	visit := func(v int32) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		call = append(call, frame{v: v, next: start[v]})
	}
	for root := int32(0); root < int32(n); root++ {
		if index[root] >= 0 {
			continue
		}
		visit(root)
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.next < start[v+1] {
				w := adj[f.next]
				f.next++
				if index[w] < 0 {
					visit(w)
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				from := len(flat)
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					flat = append(flat, w)
					if w == v {
						break
					}
				}
				slices.Sort(flat[from:])
				ends = append(ends, int32(len(flat)))
			}
		}
	}
	out := make([][]int32, len(ends))
	from := int32(0)
	for i, end := range ends {
		out[i] = flat[from:end:end]
		from = end
	}
	return out
}

// Cycle is a set of nodes that depend on each other in a circle: a
// strongly connected set of the graph where each node points to the nodes
// its requirement names and, when it has a requirement of its own, to
// those its fallbacks' requirements name.
type Cycle struct {
	Nodes []string // sorted ids
	// Path is one circle through Nodes[0], in requirement order: Path[0]
	// requires Path[1], ..., and the last requires Path[0]. It is a
	// shortest such circle; when Nodes is larger, the others hang on it.
	Path []string
	// Redundant: some dependency inside the cycle passes only through an
	// any or atleast group (one that needs fewer than all its items) or a
	// fallback, so the optimistic least-fixpoint reading may keep the
	// cycle up when its outside support fails ("circular backup").
	Redundant bool
}

// Cycles returns the map's dependency cycles (strongly connected sets of
// more than one node), sorted by their first id. References to ids not in
// the map are ignored.
func (m *Map) Cycles() []Cycle {
	n := len(m.Nodes)
	// The dependency graph in CSR form, from the resolved references.
	start := make([]int32, n+1)
	succ := make([]int32, 0, len(m.refs))
	for i, nd := range m.Nodes {
		start[i] = int32(len(succ))
		succ = appendKnown(succ, m.nodeRefs(i))
		if nd.Requires != nil {
			for j := m.fbSpan[2*i]; j < m.fbSpan[2*i+1]; j++ {
				succ = appendKnown(succ, m.fallbackRefs(int(j)))
			}
		}
	}
	start[n] = int32(len(succ))
	edges := func(v int32) []int32 { return succ[start[v]:start[v+1]] }

	// redundant reports whether some edge from v into its component (comp
	// marks) passes only through groups that need fewer than all their
	// items, or fallbacks.
	var comp []int32 // comp[v]: 1 + the index of v's component among the cycles, 0 if none
	redundant := func(v, id int32) bool {
		var mandatory, optional []int32
		refs, next := m.nodeRefs(int(v)), 0
		var walk func(e *Expr, red bool)
		walk = func(e *Expr, red bool) {
			if e == nil {
				return
			}
			if e.Op == OpRef {
				t := int32(-1)
				if next < len(refs) { // else the requirement changed after building
					t = refs[next]
				}
				next++
				if t >= 0 && comp[t] == id {
					if red {
						optional = append(optional, t)
					} else {
						mandatory = append(mandatory, t)
					}
				}
				return
			}
			r := red || e.Threshold() < len(e.Args)
			for _, a := range e.Args {
				walk(a, r)
			}
		}
		walk(m.Nodes[v].Requires, false)
		if m.Nodes[v].Requires != nil {
			for j := m.fbSpan[2*v]; j < m.fbSpan[2*v+1]; j++ {
				for _, t := range m.fallbackRefs(int(j)) {
					if t >= 0 && comp[t] == id {
						optional = append(optional, t)
					}
				}
			}
		}
		for _, t := range optional {
			if !slices.Contains(mandatory, t) {
				return true
			}
		}
		return false
	}

	var out []Cycle
	var parent []int32 // BFS scratch
	for _, c := range tarjan(start, succ) {
		if len(c) < 2 {
			continue
		}
		if comp == nil {
			comp = make([]int32, n)
			parent = make([]int32, n)
			for i := range parent {
				parent[i] = -1
			}
		}
		id := int32(len(out) + 1)
		for _, v := range c {
			comp[v] = id
		}
		cyc := Cycle{Nodes: make([]string, len(c))}
		for i, v := range c {
			cyc.Nodes[i] = m.Nodes[v].ID
		}
		for _, v := range c {
			if redundant(v, id) {
				cyc.Redundant = true
				break
			}
		}
		// A shortest circle through c[0], breadth first.
		s := c[0]
		queue := []int32{s}
		seen := []int32{s}
		parent[s] = s
		last := int32(-1)
		for h := 0; h < len(queue) && last < 0; h++ {
			u := queue[h]
			for _, t := range edges(u) {
				if comp[t] != id {
					continue
				}
				if t == s {
					last = u
					break
				}
				if parent[t] < 0 {
					parent[t] = u
					seen = append(seen, t)
					queue = append(queue, t)
				}
			}
		}
		var path []string
		for v := last; v != s; v = parent[v] {
			path = append(path, m.Nodes[v].ID)
		}
		path = append(path, m.Nodes[s].ID)
		slices.Reverse(path)
		cyc.Path = path
		for _, v := range seen {
			parent[v] = -1
		}
		out = append(out, cyc)
	}
	slices.SortFunc(out, func(a, b Cycle) int { return strings.Compare(a.Nodes[0], b.Nodes[0]) })
	return out
}

// appendKnown appends the references that name nodes.
func appendKnown(dst, refs []int32) []int32 {
	for _, r := range refs {
		if r >= 0 {
			dst = append(dst, r)
		}
	}
	return dst
}

// maxListed is how many ids a cycle message lists.
const maxListed = 10

// problem reports the cycle: Info for a plain cycle, a Warning for a
// circular backup.
func (cyc Cycle) problem(m *Map) Problem {
	msg := strings.Join(append(slices.Clip(cyc.Path), cyc.Path[0]), " → ")
	if len(cyc.Nodes) > len(cyc.Path) {
		ids := cyc.Nodes
		more := ""
		if len(ids) > maxListed {
			ids, more = ids[:maxListed], fmt.Sprintf(" and %d more", len(cyc.Nodes)-maxListed)
		}
		msg += fmt.Sprintf(" (one of the circles among %d nodes: %s%s)", len(cyc.Nodes), strings.Join(ids, ", "), more)
	}
	p := Problem{Pos: m.Node(cyc.Path[0]).Source, Severity: Info, Msg: "cycle: " + msg}
	for _, id := range cyc.Path[1:] {
		p.Related = append(p.Related, m.Node(id).Source)
	}
	if cyc.Redundant {
		p.Severity = Warning
		p.Msg = "circular backup: " + msg
		p.Hint = "nodes in this cycle back each other up through any/atleast groups or fallbacks; " +
			"when their own suppliers all fail they still count each other as up (the optimistic least-fixpoint reading)"
	}
	return p
}
