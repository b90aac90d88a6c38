// Package impact computes what fails when given nodes fail: the static down
// set of a scenario (least fixpoint, design.md) with the chain that brought
// each function down, and the blast radius of every single event at once.
// It reads the model and returns plain values; it prints nothing.
package impact

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Options choose how a scenario is evaluated.
type Options struct {
	// Fallbacks: a node with fallbacks stays up while a fallback's own
	// requirement holds.
	Fallbacks bool
}

// Result is the static outcome of one scenario.
type Result struct {
	Failed    []string // the scenario's failed ids, sorted
	Fallbacks bool
	Down      []string         // every down node id (not gates), sorted
	Functions []FunctionResult // every function of the map, sorted by id
}

// FunctionResult is one function's state under a scenario.
type FunctionResult struct {
	ID            string
	Name          string // the function's label: its name, else its id
	Tier          graph.Tier
	ImpactPerHour float64
	Down          bool
	// Because is the chain from the function to a failed node, the
	// function first: ["retail-payments", "core-banking", "cloud-eu-west"].
	// Empty when the function is up.
	Because []string
}

// UnknownNodeError is returned when a scenario names ids not in the map.
type UnknownNodeError struct {
	IDs         []string // sorted
	Suggestions map[string]string
}

// Error renders the unknown ids with their suggestions:
// `unknown node "x" (did you mean "y"?)`.
func (e *UnknownNodeError) Error() string {
	var b strings.Builder
	b.WriteString("unknown node")
	if len(e.IDs) > 1 {
		b.WriteString("s")
	}
	for i, id := range e.IDs {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %q", id)
		if s := e.Suggestions[id]; s != "" {
			fmt.Fprintf(&b, " (did you mean %q?)", s)
		}
	}
	return b.String()
}

// errNilMap is returned for a nil map or circuit.
var errNilMap = errors.New("impact: no map")

// Static evaluates one scenario on m: the nodes named by failed are down,
// and so is everything whose requirement then fails, up to the least
// fixpoint of design.md. Every down function comes with the chain that
// brought it down (see Evaluator.Because): for a list, the first item to
// fail; for an any or atleast group, the member whose failure tipped it,
// the last to fail. Ids may also be vendor aliases. It compiles m
// first; to evaluate several scenarios on one map, compile once and use an
// Evaluator. Unknown ids give an *UnknownNodeError and no result.
func Static(m *graph.Map, failed []string, opt Options) (*Result, error) {
	if m == nil {
		return nil, errNilMap
	}
	// Check the ids before paying for a compilation.
	if _, err := resolve(m, nil, failed); err != nil {
		return nil, err
	}
	return NewEvaluator(graph.Compile(m, graph.CompileOptions{Fallbacks: opt.Fallbacks})).Static(failed)
}

// StaticCircuit is Static on an already compiled map; fallbacks count as
// they were compiled into c.
func StaticCircuit(c *graph.Circuit, failed []string) (*Result, error) {
	if c == nil || c.Map == nil {
		return nil, errNilMap
	}
	return NewEvaluator(c).Static(failed)
}

// Evaluator evaluates scenarios on one compiled map, reusing its scratch
// space between them. It is not safe for concurrent use; make one per
// goroutine.
type Evaluator struct {
	c     *graph.Circuit
	st    *graph.State
	funcs []int32 // function vertices, ascending (= by id)
	alias map[string]int32
}

// NewEvaluator returns an evaluator for c.
func NewEvaluator(c *graph.Circuit) *Evaluator {
	e := &Evaluator{c: c, st: c.NewState()}
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] == graph.KindFunction {
			e.funcs = append(e.funcs, int32(v))
		}
	}
	return e
}

// Circuit returns the circuit the evaluator runs on.
func (e *Evaluator) Circuit() *graph.Circuit { return e.c }

// State returns the propagation state of the last scenario evaluated; it
// is valid until the next call and must not be modified.
func (e *Evaluator) State() *graph.State { return e.st }

// Resolve maps ids (or vendor aliases) to node vertices, in the order
// given. Unknown ids give an *UnknownNodeError.
func (e *Evaluator) Resolve(ids []string) ([]int32, error) {
	if e.alias == nil {
		e.alias = aliases(e.c.Map)
	}
	return resolve(e.c.Map, e.alias, ids)
}

// Static evaluates one scenario: see the package function Static.
func (e *Evaluator) Static(failed []string) (*Result, error) {
	vs, err := e.Resolve(failed)
	if err != nil {
		return nil, err
	}
	c, st, m := e.c, e.st, e.c.Map
	// Fail in id order, so the explanation does not depend on the order
	// the scenario was written in.
	slices.Sort(vs)
	vs = slices.Compact(vs)
	st.Reset()
	st.Propagate(vs)

	r := &Result{Fallbacks: c.Fallbacks, Failed: make([]string, len(vs))}
	for i, v := range vs {
		r.Failed[i] = m.Nodes[v].ID
	}
	r.Down = []string{}
	for v := 0; v < c.NumNodes; v++ {
		if st.Down[v] {
			r.Down = append(r.Down, m.Nodes[v].ID)
		}
	}
	r.Functions = make([]FunctionResult, len(e.funcs))
	for i, v := range e.funcs {
		n := m.Nodes[v]
		fr := FunctionResult{ID: n.ID, Name: n.Label(), Tier: n.Tier, ImpactPerHour: n.ImpactPerHour, Down: st.Down[v]}
		if fr.Down {
			fr.Because = e.Because(v)
		}
		r.Functions[i] = fr
	}
	return r, nil
}

// Because returns, for a vertex down in the last scenario, the chain of
// node ids from it to a failed node of the scenario, following the input
// whose failure tipped each vertex and leaving out gates. It is nil for a
// vertex that is up. The chain never repeats a node: every step goes to a
// vertex that failed earlier in the propagation.
func (e *Evaluator) Because(v int32) []string {
	c, st := e.c, e.st
	if v < 0 || int(v) >= c.N() || !st.Down[v] {
		return nil
	}
	var out []string
	for steps := 0; steps <= c.N(); steps++ {
		if !c.IsGate(v) {
			out = append(out, c.Map.Nodes[v].ID)
		}
		next := st.Cause[v]
		if next < 0 {
			break
		}
		v = next
	}
	return out
}

// aliases maps every vendor alias to its vendor's vertex.
func aliases(m *graph.Map) map[string]int32 {
	a := map[string]int32{}
	for i, n := range m.Nodes {
		for _, s := range n.Aliases {
			a[s] = int32(i)
		}
	}
	return a
}

// resolve maps ids to node indices; alias, when nil, is built only if an
// id is not a node id.
func resolve(m *graph.Map, alias map[string]int32, ids []string) ([]int32, error) {
	out := make([]int32, 0, len(ids))
	var unknown []string
	for _, id := range ids {
		if i := m.Index(id); i >= 0 {
			out = append(out, int32(i))
			continue
		}
		if alias == nil {
			alias = aliases(m)
		}
		if i, ok := alias[id]; ok {
			out = append(out, i)
			continue
		}
		unknown = append(unknown, id)
	}
	if len(unknown) == 0 {
		return out, nil
	}
	sort.Strings(unknown)
	unknown = dedup(unknown)
	err := &UnknownNodeError{IDs: unknown, Suggestions: map[string]string{}}
	for _, id := range unknown {
		if s := suggest(m, alias, id); s != "" {
			err.Suggestions[id] = s
		}
	}
	return nil, err
}

func dedup(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// suggest proposes the closest node id or alias to a misspelt id, or ""
// when none is close.
func suggest(m *graph.Map, alias map[string]int32, s string) string {
	best, bestD := "", 1<<30
	limit := max(2, len(s)/3)
	try := func(c string) bool {
		if abs(len(c)-len(s)) > limit {
			return false
		}
		if strings.EqualFold(c, s) {
			best, bestD = c, 0
			return true
		}
		if d := levenshtein(s, c); d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
		return false
	}
	for _, n := range m.Nodes {
		if try(n.ID) {
			return best
		}
	}
	names := make([]string, 0, len(alias))
	for a := range alias {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		if try(a) {
			return best
		}
	}
	if bestD <= limit {
		return best
	}
	return ""
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
