package graph

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

// Compile builds the circuit of m. It never fails on a Map from Build.
func Compile(m *Map, opt CompileOptions) *Circuit {
	nn := len(m.Nodes)
	c := &Circuit{Map: m, Fallbacks: opt.Fallbacks, NumNodes: nn}
	c.K = make([]int32, nn, nn+nn/4)
	c.Owner = make([]int32, nn, nn+nn/4)
	c.Kind = make([]Kind, nn)
	// Inputs are gathered per vertex first, then flattened.
	ins := make([][]int32, nn, nn+nn/4)
	for i := range c.Owner {
		c.Owner[i] = int32(i)
		c.Kind[i] = m.Nodes[i].Kind
	}
	newGate := func(owner int32) int32 {
		c.K = append(c.K, 0)
		c.Owner = append(c.Owner, owner)
		ins = append(ins, nil)
		return int32(len(c.K) - 1)
	}
	// fill compiles e into vertex v (its inputs and threshold).
	var fill func(v, owner int32, e *Expr)
	var input func(owner int32, e *Expr) int32
	input = func(owner int32, e *Expr) int32 {
		if e.Op == OpRef {
			return int32(m.index[e.Ref])
		}
		if len(e.Args) == 1 && e.Threshold() >= 1 {
			return input(owner, e.Args[0])
		}
		g := newGate(owner)
		fill(g, owner, e)
		return g
	}
	fill = func(v, owner int32, e *Expr) {
		if e == nil {
			c.K[v] = 0
			return
		}
		if e.Op == OpRef {
			ins[v] = append(ins[v], int32(m.index[e.Ref]))
			c.K[v] = 1
			return
		}
		var list []int32
		var flatAll func(x *Expr)
		flatAll = func(x *Expr) {
			for _, a := range x.Args {
				if e.Op == OpAll && a.Op == OpAll {
					flatAll(a)
					continue
				}
				list = append(list, input(owner, a))
			}
		}
		flatAll(e)
		ins[v] = append(ins[v], list...)
		if e.Op == OpAll {
			c.K[v] = int32(len(list))
		} else {
			c.K[v] = int32(e.Threshold())
		}
	}
	for i, n := range m.Nodes {
		v := int32(i)
		fbs := m.fallbackOf[n.ID]
		if !opt.Fallbacks || len(fbs) == 0 || n.Requires == nil {
			fill(v, v, n.Requires)
			continue
		}
		always := false
		for _, f := range fbs {
			if f.Requires == nil {
				always = true
			}
		}
		if always {
			c.K[v] = 0
			continue
		}
		own := newGate(v)
		fill(own, v, n.Requires)
		alts := []int32{own}
		for _, f := range fbs {
			g := newGate(v)
			fill(g, v, f.Requires)
			alts = append(alts, g)
		}
		ins[v] = alts
		c.K[v] = 1
	}
	n := len(c.K)
	c.InStart = make([]int32, n+1)
	total := 0
	for v := 0; v < n; v++ {
		c.InStart[v] = int32(total)
		total += len(ins[v])
	}
	c.InStart[n] = int32(total)
	c.In = make([]int32, 0, total)
	outDeg := make([]int32, n+1)
	for v := 0; v < n; v++ {
		c.In = append(c.In, ins[v]...)
		for _, u := range ins[v] {
			outDeg[u+1]++
		}
	}
	c.OutStart = make([]int32, n+1)
	for v := 1; v <= n; v++ {
		c.OutStart[v] = c.OutStart[v-1] + outDeg[v]
	}
	c.Out = make([]int32, total)
	fillAt := make([]int32, n)
	copy(fillAt, c.OutStart[:n])
	for v := 0; v < n; v++ {
		for _, u := range c.In[c.InStart[v]:c.InStart[v+1]] {
			c.Out[fillAt[u]] = int32(v)
			fillAt[u]++
		}
	}
	return c
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
			s.Down[v] = true
			s.Cause[v] = -1
			s.touched = append(s.touched, v)
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
// component are in ascending order. It is Tarjan's algorithm, iterative.
func (c *Circuit) SCCs() [][]int32 {
	return tarjan(c.N(), func(v int32) []int32 { return c.Inputs(v) })
}

func tarjan(n int, succ func(int32) []int32) [][]int32 {
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	type frame struct {
		v    int32
		next int32
	}
	var call []frame
	var out [][]int32
	next := int32(0)
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		call = append(call, frame{v: int32(root)})
		index[root], low[root] = next, next
		next++
		stack = append(stack, int32(root))
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			ss := succ(f.v)
			if int(f.next) < len(ss) {
				w := ss[f.next]
				f.next++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{v: w})
				} else if onStack[w] && index[w] < low[f.v] {
					low[f.v] = index[w]
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				if low[v] < low[p] {
					low[p] = low[v]
				}
			}
			if low[v] == index[v] {
				var comp []int32
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				sortInt32(comp)
				out = append(out, comp)
			}
		}
	}
	return out
}

func sortInt32(a []int32) {
	// insertion sort for the common tiny case, else a simple quicksort via sort.Slice
	if len(a) < 16 {
		for i := 1; i < len(a); i++ {
			for j := i; j > 0 && a[j] < a[j-1]; j-- {
				a[j], a[j-1] = a[j-1], a[j]
			}
		}
		return
	}
	sortSlice(a)
}

// Cycle is a set of nodes that depend on each other in a circle.
type Cycle struct {
	Nodes []string // sorted ids
	// Redundant: some dependency inside the cycle passes through an any or
	// atleast group, so the optimistic least-fixpoint reading may keep the
	// cycle up when its outside support fails ("circular backup").
	Redundant bool
}

// Cycles returns the map's dependency cycles (strongly connected sets of
// more than one node), sorted by their first id.
func (m *Map) Cycles() []Cycle {
	idx := m.index
	succ := make([][]int32, len(m.Nodes))
	redundantEdge := make([]map[int32]bool, len(m.Nodes))
	for i, n := range m.Nodes {
		var walk func(e *Expr, redundant bool)
		walk = func(e *Expr, redundant bool) {
			if e == nil {
				return
			}
			if e.Op == OpRef {
				t := int32(idx[e.Ref])
				succ[i] = append(succ[i], t)
				if redundant {
					if redundantEdge[i] == nil {
						redundantEdge[i] = map[int32]bool{}
					}
					redundantEdge[i][t] = true
				}
				return
			}
			r := redundant || e.Threshold() < len(e.Args)
			for _, a := range e.Args {
				walk(a, r)
			}
		}
		walk(n.Requires, false)
	}
	var out []Cycle
	for _, comp := range tarjan(len(m.Nodes), func(v int32) []int32 { return succ[v] }) {
		if len(comp) < 2 {
			continue
		}
		in := map[int32]bool{}
		for _, v := range comp {
			in[v] = true
		}
		cyc := Cycle{}
		for _, v := range comp {
			cyc.Nodes = append(cyc.Nodes, m.Nodes[v].ID)
			for t := range redundantEdge[v] {
				if in[t] {
					cyc.Redundant = true
				}
			}
		}
		out = append(out, cyc)
	}
	sortCycles(out)
	return out
}
