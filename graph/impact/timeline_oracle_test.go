package impact

import (
	"fmt"
	"math/rand"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// tlOracle is the time line of outages on m computed minute by minute
// straight from design.md's time semantics, for maps whose durations are
// whole minutes: at each minute every node's state follows from its
// requirement at that minute and from the minutes before, and the states
// of one minute are the fixpoint reached from "all up" (the least down
// set). It knows nothing of events, timers or the compiled circuit.
type tlOracle struct {
	m         *graph.Map
	fallbacks bool
	h         int // minutes computed: 0..h-1

	down    map[string][]bool // per node, per minute
	active  [][]bool          // per fallback (m.Fallbacks order), per minute
	holding [][]bool
	carry   map[string][]int // per function with fallbacks, per minute: the carrying fallback, or -1
}

func tlMinutes(d graph.Duration) int { return int(d / graph.Minute) }

func runTLOracle(m *graph.Map, outs []Outage, fallbacks bool, h int) *tlOracle {
	const past = -1 << 40
	o := &tlOracle{m: m, fallbacks: fallbacks, h: h, down: map[string][]bool{}, carry: map[string][]int{}}
	nodes := m.Nodes
	idx := func(id string) int { return m.Index(id) }
	o.active = make([][]bool, len(m.Fallbacks))
	o.holding = make([][]bool, len(m.Fallbacks))
	for i := range m.Fallbacks {
		o.active[i] = make([]bool, h)
		o.holding[i] = make([]bool, h)
	}
	for _, n := range nodes {
		o.down[n.ID] = make([]bool, h)
		if n.Kind == graph.KindFunction && len(m.FallbacksOf(n.ID)) > 0 {
			o.carry[n.ID] = make([]int, h)
		}
	}
	fbIndex := map[*graph.Fallback]int{}
	for i, f := range m.Fallbacks {
		fbIndex[f] = i
	}
	dur := func(d *graph.Duration) int {
		if d == nil {
			return 0
		}
		return tlMinutes(*d)
	}

	// History: state, E and O just before the current minute, and the
	// minute their current run began.
	prevDown := make([]bool, len(nodes))
	prevE := make([]bool, len(nodes))
	prevO := make([]bool, len(nodes))
	eStart := make([]int, len(nodes))
	oStart := make([]int, len(nodes))
	for i := range nodes {
		prevE[i], prevO[i] = true, true
		eStart[i], oStart[i] = past, past
	}

	for t := 0; t < h; t++ {
		forced := make([]bool, len(nodes))
		for _, out := range outs {
			s, d := tlMinutes(out.Start), tlMinutes(out.Duration)
			if t >= s && (out.Forever || t < s+d) {
				forced[idx(out.ID)] = true
			}
		}
		cur := make([]bool, len(nodes)) // down; start from all up
		up := func(id string) bool { return !cur[idx(id)] }
		// window reports whether fallback f of node i is active at t,
		// given that i's own requirement fails at t.
		window := func(i int, f *graph.Fallback) bool {
			t0 := t
			if !prevO[i] {
				t0 = oStart[i]
			}
			el := t - t0
			if el < tlMinutes(f.Activation) {
				return false
			}
			return f.Endurance == nil || el < tlMinutes(f.Activation)+tlMinutes(*f.Endurance)
		}
		eval := func(i int) (own, eff bool) {
			n := nodes[i]
			own = n.Requires.Eval(up)
			eff = own
			if !own && fallbacks {
				for _, f := range m.FallbacksOf(n.ID) {
					if window(i, f) && f.Requires.Eval(up) {
						eff = true
					}
				}
			}
			return own, eff
		}
		for {
			changed := false
			for i, n := range nodes {
				var d bool
				if forced[i] {
					d = true
				} else {
					_, e := eval(i)
					if !prevDown[i] {
						// up → down when E has been false for buffer
						from := t
						if !prevE[i] {
							from = eStart[i]
						}
						d = !e && t-from >= dur(n.Buffer)
					} else {
						// down → up when E has been true for restore
						from := t
						if prevE[i] {
							from = eStart[i]
						}
						d = !(e && t-from >= dur(n.Restore))
					}
				}
				if d != cur[i] {
					cur[i] = d
					changed = true
				}
			}
			if !changed {
				break
			}
		}
		for i, n := range nodes {
			own, eff := eval(i)
			o.down[n.ID][t] = cur[i]
			best := -1
			if fallbacks {
				for _, f := range m.FallbacksOf(n.ID) {
					k := fbIndex[f]
					o.active[k][t] = !own && window(i, f)
					o.holding[k][t] = o.active[k][t] && f.Requires.Eval(up)
					if o.holding[k][t] && (best < 0 || f.Capacity > m.Fallbacks[best].Capacity) {
						best = k
					}
				}
			}
			if c, ok := o.carry[n.ID]; ok {
				if cur[i] || !fallbacks {
					best = -1
				}
				c[t] = best
			}
			if eff != prevE[i] {
				prevE[i], eStart[i] = eff, t
			}
			if own != prevO[i] {
				prevO[i], oStart[i] = own, t
			}
			prevDown[i] = cur[i]
		}
	}
	return o
}

// runs turns a per-minute flag into intervals.
func tlRuns(flag []bool) []Interval {
	var out []Interval
	for t := 0; t < len(flag); t++ {
		if !flag[t] {
			continue
		}
		s := t
		for t < len(flag) && flag[t] {
			t++
		}
		iv := Interval{From: graph.Duration(s) * graph.Minute}
		if t < len(flag) {
			iv.To = (graph.Duration(t) * graph.Minute).Ptr()
		}
		out = append(out, iv)
	}
	return out
}

// result renders the oracle's minutes as a TimelineResult, computing the
// per-function figures from the minutes directly.
func (o *tlOracle) result() *TimelineResult {
	r := &TimelineResult{Nodes: []NodeTimeline{}, Functions: []FunctionTimeline{}, FallbackUse: []FallbackTimeline{}}
	for _, n := range o.m.Nodes {
		if d := tlRuns(o.down[n.ID]); d != nil {
			r.Nodes = append(r.Nodes, NodeTimeline{ID: n.ID, Kind: n.Kind, Down: d})
		}
		if n.Kind != graph.KindFunction {
			continue
		}
		f := FunctionTimeline{ID: n.ID, Name: n.Label(), Tier: n.Tier, ImpactPerHour: n.ImpactPerHour, Tolerance: n.Tolerance}
		f.Down = tlRuns(o.down[n.ID])
		downMin, run := 0, 0
		for t, d := range o.down[n.ID] {
			if !d {
				run = 0
				continue
			}
			if f.HaltedAt == nil {
				f.HaltedAt = (graph.Duration(t) * graph.Minute).Ptr()
			}
			downMin++
			// down at t and down for the run so far: breach when the
			// run has lasted longer than the tolerance
			if n.Tolerance != nil && f.BreachAt == nil && run >= tlMinutes(*n.Tolerance) {
				f.BreachAt = (graph.Duration(t) * graph.Minute).Ptr()
			}
			run++
		}
		if len(f.Down) > 0 {
			f.RestoredAt = f.Down[len(f.Down)-1].To
		}
		f.DownTime = graph.Duration(downMin) * graph.Minute
		f.DownHours = f.DownTime.Hours()
		f.Loss = n.ImpactPerHour * float64(downMin) / 60
		if c, ok := o.carry[n.ID]; ok {
			for t := 0; t < len(c); t++ {
				if c[t] < 0 {
					continue
				}
				s, k := t, c[t]
				for t < len(c) && c[t] == k {
					t++
				}
				fb := o.m.Fallbacks[k]
				di := DegradedInterval{Interval: Interval{From: graph.Duration(s) * graph.Minute}, Fallback: fb.ID, Capacity: fb.Capacity}
				if t < len(c) {
					di.To = (graph.Duration(t) * graph.Minute).Ptr()
				}
				f.Degraded = append(f.Degraded, di)
				f.DegradedTime += graph.Duration(t-s) * graph.Minute
				f.Loss += n.ImpactPerHour * (1 - fb.Capacity) * float64(t-s) / 60
				t--
			}
			f.DegradedHours = f.DegradedTime.Hours()
		}
		r.Functions = append(r.Functions, f)
	}
	for k, fb := range o.m.Fallbacks {
		act := tlRuns(o.active[k])
		if act == nil {
			continue
		}
		r.FallbackUse = append(r.FallbackUse, FallbackTimeline{ID: fb.ID, For: fb.For, Active: act, Holding: tlRuns(o.holding[k])})
	}
	return r
}

// tlRandomMap is a small random map with whole-minute durations: any
// kinds, requirements with nested groups and cycles, buffers, restores,
// tolerances and fallbacks.
func tlRandomMap(rng *rand.Rand) *graph.Map {
	nn := 3 + rng.Intn(7)
	ids := make([]string, nn)
	for i := range ids {
		ids[i] = fmt.Sprintf("n%d", i)
	}
	ref := func() *graph.Expr { return graph.Ref(ids[rng.Intn(nn)]) }
	var group func(depth int) *graph.Expr
	group = func(depth int) *graph.Expr {
		k := 2 + rng.Intn(2)
		args := make([]*graph.Expr, k)
		for i := range args {
			if depth < 1 && rng.Intn(4) == 0 {
				args[i] = group(depth + 1)
			} else {
				args[i] = ref()
			}
		}
		switch rng.Intn(3) {
		case 0:
			return graph.Any(args...)
		case 1:
			return graph.AtLeast(1+rng.Intn(k), args...)
		}
		return graph.All(args...)
	}
	expr := func() *graph.Expr {
		if rng.Intn(5) == 0 {
			return nil
		}
		e := graph.All()
		for i := 1 + rng.Intn(3); i > 0; i-- {
			if rng.Intn(3) == 0 {
				e.Args = append(e.Args, group(0))
			} else {
				e.Args = append(e.Args, ref())
			}
		}
		return e
	}
	minutes := func(p, most int) *graph.Duration {
		if rng.Intn(100) >= p {
			return nil
		}
		return (graph.Duration(rng.Intn(most+1)) * graph.Minute).Ptr()
	}
	var nodes []*graph.Node
	for _, id := range ids {
		n := &graph.Node{ID: id, Kind: graph.Kinds[rng.Intn(3)], Requires: expr()}
		n.Buffer = minutes(35, 6)
		n.Restore = minutes(35, 6)
		if n.Kind == graph.KindFunction {
			n.Tolerance = minutes(70, 8)
			n.ImpactPerHour = float64(60 * (1 + rng.Intn(20)))
		}
		nodes = append(nodes, n)
	}
	var fbs []*graph.Fallback
	for _, n := range nodes {
		if rng.Intn(3) != 0 {
			continue
		}
		for j := rng.Intn(2); j >= 0; j-- {
			f := &graph.Fallback{ID: fmt.Sprintf("%s/fb%d", n.ID, j), For: n.ID,
				Activation: graph.Duration(rng.Intn(5)) * graph.Minute,
				Endurance:  minutes(70, 8),
				Capacity:   []float64{0, 0.25, 0.5, 1}[rng.Intn(4)]}
			if rng.Intn(3) != 0 {
				f.Requires = expr()
			}
			fbs = append(fbs, f)
		}
	}
	return graph.NewMap("random", nodes, fbs)
}

func tlRandomOutages(rng *rand.Rand, m *graph.Map) []Outage {
	var outs []Outage
	for i := 1 + rng.Intn(3); i > 0; i-- {
		o := Outage{ID: m.Nodes[rng.Intn(len(m.Nodes))].ID,
			Start:    graph.Duration(rng.Intn(12)) * graph.Minute,
			Duration: graph.Duration(rng.Intn(13)) * graph.Minute}
		if rng.Intn(10) == 0 {
			o.Forever = true
		}
		outs = append(outs, o)
	}
	// Often also an outage of one of a node's suppliers, and then of the
	// node itself, to meet buffers and restores half way.
	if rng.Intn(2) == 0 {
		n := m.Nodes[rng.Intn(len(m.Nodes))]
		if refs := n.Requires.RefIDs(); len(refs) > 0 {
			s, d := rng.Intn(6), 1+rng.Intn(6)
			outs = append(outs,
				Outage{ID: refs[rng.Intn(len(refs))], Start: graph.Duration(s) * graph.Minute, Duration: graph.Duration(d) * graph.Minute},
				Outage{ID: n.ID, Start: graph.Duration(s+d+rng.Intn(5)) * graph.Minute, Duration: graph.Duration(1+rng.Intn(6)) * graph.Minute})
		}
	}
	return outs
}

// tlCmpOpts compare results built differently: losses up to rounding.
var tlCmpOpts = []cmp.Option{cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty()}

// TestTimelineOracle checks the event-driven engine against the
// minute-by-minute oracle on random small maps: every node's down spans,
// every function's figures and every fallback's use, with and without
// fallbacks.
func TestTimelineOracle(t *testing.T) {
	maps := int64(400)
	if s := os.Getenv("LIFEBOAT_TIMELINE_MAPS"); s != "" {
		// a deeper run on demand: LIFEBOAT_TIMELINE_MAPS=20000
		fmt.Sscan(s, &maps)
	}
	const horizon = 90 // minutes
	for seed := int64(1); seed <= maps; seed++ {
		rng := rand.New(rand.NewSource(seed))
		m := tlRandomMap(rng)
		outs := tlRandomOutages(rng, m)
		eng, err := NewTimelineEngine(m)
		if err != nil {
			t.Fatalf("seed %d: NewTimelineEngine: %v", seed, err)
		}
		for _, fb := range []bool{false, true} {
			got, err := eng.Run(outs, TimelineOptions{Fallbacks: fb, Horizon: horizon * graph.Minute})
			if err != nil {
				t.Fatalf("seed %d: Run: %v", seed, err)
			}
			want := runTLOracle(m, outs, fb, horizon).result()
			if diff := cmp.Diff(want.Nodes, got.Nodes, tlCmpOpts...); diff != "" {
				t.Errorf("seed %d fallbacks=%v: Timeline(%v) nodes mismatch (-oracle +engine):\n%s\n%s", seed, fb, outs, diff, tlDescribe(m))
				continue
			}
			if diff := cmp.Diff(want.Functions, got.Functions, tlCmpOpts...); diff != "" {
				t.Errorf("seed %d fallbacks=%v: Timeline(%v) functions mismatch (-oracle +engine):\n%s\n%s", seed, fb, outs, diff, tlDescribe(m))
				continue
			}
			if diff := cmp.Diff(want.FallbackUse, got.FallbackUse, tlCmpOpts...); diff != "" {
				t.Errorf("seed %d fallbacks=%v: Timeline(%v) fallbacks mismatch (-oracle +engine):\n%s\n%s", seed, fb, outs, diff, tlDescribe(m))
			}
		}
	}
}

// tlDescribe prints a map for a failing test.
func tlDescribe(m *graph.Map) string {
	s := ""
	d := func(p *graph.Duration) string {
		if p == nil {
			return "-"
		}
		return p.String()
	}
	for _, n := range m.Nodes {
		s += fmt.Sprintf("  %s %s requires [%s] buffer %s restore %s tolerance %s\n", n.ID, n.Kind, n.Requires, d(n.Buffer), d(n.Restore), d(n.Tolerance))
	}
	for _, f := range m.Fallbacks {
		s += fmt.Sprintf("  fallback %s for %s requires [%s] activation %s endurance %s capacity %g\n", f.ID, f.For, f.Requires, f.Activation, d(f.Endurance), f.Capacity)
	}
	return s
}
