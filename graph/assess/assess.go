// Package assess runs, once, every analysis that the plans, the register
// and the exercise pack read — critical partners, order-2 cut sets, gaps,
// the minimum viable company, and the outage time lines of every scenario
// they show — and bundles the plain results. It renders nothing.
package assess

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/gaps"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// DefaultOutage is the outage a plan assumes for a vendor that declares no
// outage_duration.
const DefaultOutage = 24 * graph.Hour

// Analyses are the analysis results a plan set is built from. Build only
// reads them. Gather runs every analysis they hold; callers that already
// have some results may fill the fields themselves.
type Analyses struct {
	// Partners is the critical partner analysis, without fallbacks.
	// Required.
	Partners *partners.Report
	// CutSets holds the minimal cut sets of order 2 (or more) of the core
	// functions, over vendors, without fallbacks. Nil: the plan set covers
	// the single points of failure only, and says so.
	CutSets *cutsets.Result
	// Gaps feeds the overview's open gaps and the contracts' review
	// status. Nil leaves them out.
	Gaps *gaps.Report
	// MVC is the minimum viable company. Nil: the overview takes the core
	// functions as the MVC and leaves out the supply set.
	MVC *mvc.Result
	// Supports gives, per vendor id, the functions that depend on it.
	Supports map[string]Support
	// Outcomes are the time lines of the outage scenarios the plans and
	// the register show: every vendor alone for its typical outage, and
	// every order-2 cut set's pair together for the typical outage of
	// each of the two. Look one up with Outcome.
	Outcomes []*Outcome
	// Notes say which analyses could not be run, and why.
	Notes []string
	// ReviewsAsOf is the date Gaps judged contract reviews against; zero
	// when none was given, and then no review is known to be current.
	ReviewsAsOf time.Time
}

// Support lists the functions that depend on a vendor, by function id,
// sorted: Direct ones reach it through their own requirements and
// internal systems only; Through ones reach it only through other vendors
// (the vendor is their fourth party).
type Support struct {
	Direct, Through []string
}

// Outcome is one outage scenario computed twice: without fallbacks (what
// happens when nothing is done) and with them (what the plan achieves).
type Outcome struct {
	// Down are the ids of the nodes forced down from time 0, sorted.
	Down []string
	// Duration is how long each of them is forced down.
	Duration graph.Duration
	// Without and With are the time lines without and with fallbacks.
	Without, With *impact.TimelineResult
	// Recovery is the order to bring nodes back so that the functions the
	// outage stops (without fallbacks) are up again soonest; nil when
	// nothing stops, or when the caller did not compute it (the plans then
	// order the recovery by the time line alone).
	Recovery *mvc.Recovery
}

// Outcome returns the outcome whose Down equals down (in any order) and
// whose Duration equals d, or nil.
func (a *Analyses) Outcome(down []string, d graph.Duration) *Outcome {
	if a == nil {
		return nil
	}
	key := slices.Sorted(slices.Values(down))
	for _, o := range a.Outcomes {
		if o.Duration == d && slices.Equal(o.Down, key) {
			return o
		}
	}
	return nil
}

// RunOutcome computes the outcome of the nodes down (ids or vendor
// aliases) being forced down together from time 0 for d, on a time line
// engine made once per map: both time lines, and the recovery order of
// the functions that stop (mvc.Recover). Unknown ids give an
// *impact.UnknownNodeError.
func RunOutcome(e *impact.TimelineEngine, down []string, d graph.Duration) (*Outcome, error) {
	if e == nil {
		return nil, errors.New("assess: no time line engine")
	}
	outs := make([]impact.Outage, len(down))
	for i, id := range down {
		outs[i] = impact.Outage{ID: id, Duration: d}
	}
	without, err := e.Run(outs, impact.TimelineOptions{})
	if err != nil {
		return nil, err
	}
	with, err := e.Run(outs, impact.TimelineOptions{Fallbacks: true})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(without.Outages))
	for _, o := range without.Outages {
		ids = append(ids, o.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 { // a zero duration forces nothing
		ids = slices.Sorted(slices.Values(down))
	}
	o := &Outcome{Down: ids, Duration: d, Without: without, With: with}
	var stopped []string
	for _, f := range without.Functions {
		if f.HaltedAt != nil {
			stopped = append(stopped, f.ID)
		}
	}
	if len(stopped) > 0 {
		if o.Recovery, err = mvc.Recover(e.Map(), outs, mvc.RecoveryOptions{Functions: stopped}); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// GatherOptions choose how Gather runs the analyses.
type GatherOptions struct {
	// DefaultOutage is the outage assumed for a vendor without
	// outage_duration; 0 means DefaultOutage (24h).
	DefaultOutage graph.Duration
	// AsOf is the date contract reviews are judged against; the zero time
	// judges none overdue.
	AsOf time.Time
	// ReviewMonths is how long a contract review stays current; 0 means
	// gaps.DefaultReviewMonths.
	ReviewMonths int
	// MVC are the options of the minimum viable company analysis. A zero
	// TimeLimit and MaxNodes get a time limit of MVCTimeLimit.
	MVC mvc.Options
}

// MVCTimeLimit bounds the supply set search that Gather runs when the
// caller sets no limit: a plan set must not wait on a proof of
// optimality; a search stopped early reports its gap.
const MVCTimeLimit = 3 * time.Second

// Gather runs every analysis a plan set and the register read, on a valid
// map: critical partners, order-2 cut sets of the core functions, gaps,
// the minimum viable company, the functions each vendor supports, and the
// outage time lines of every vendor alone and of every order-2 cut set's
// pair. An analysis that fails for a reason of its own (a cut set diagram
// too large, a supply search without a solution) is left out with a note;
// the error is for a nil or invalid map and ctx being done.
func Gather(ctx context.Context, m *graph.Map, opt GatherOptions) (*Analyses, error) {
	if m == nil {
		return nil, errors.New("assess: no map")
	}
	outage := opt.DefaultOutage
	if outage <= 0 {
		outage = DefaultOutage
	}
	c := graph.Compile(m, graph.CompileOptions{})
	a := &Analyses{Partners: partners.AnalyzeCircuit(c)}

	targets := cutsets.DefaultTargets(c)
	if len(targets) > 0 {
		cs, err := cutsets.Analyze(ctx, c, targets, cutsets.Options{MaxOrder: 2, Events: cutsets.Vendors, NoProbability: true})
		switch {
		case err == nil:
			a.CutSets = cs
		case ctx.Err() != nil:
			return nil, ctx.Err()
		default:
			a.Notes = append(a.Notes, fmt.Sprintf("cut sets not computed (%v): critical partners are the single points of failure only", err))
		}
	}

	a.Gaps = gaps.Analyze(m, gaps.Options{AsOf: opt.AsOf, ReviewMonths: opt.ReviewMonths, DefaultOutage: outage})
	a.ReviewsAsOf = opt.AsOf

	mo := opt.MVC
	if mo.TimeLimit == 0 && mo.MaxNodes == 0 {
		mo.TimeLimit = MVCTimeLimit
	}
	if r, err := mvc.Analyze(ctx, m, mo); err == nil {
		a.MVC = r
	} else if ctx.Err() != nil {
		return nil, ctx.Err()
	} else {
		a.Notes = append(a.Notes, fmt.Sprintf("minimum viable company not computed: %v", err))
	}

	a.Supports = supports(c)

	e, err := impact.NewTimelineEngine(m)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	seen := map[string]bool{}
	run := func(down []string, d graph.Duration) error {
		key := strings.Join(slices.Sorted(slices.Values(down)), "\x00") + "\x00" + d.String()
		if seen[key] {
			return nil
		}
		seen[key] = true
		o, err := RunOutcome(e, down, d)
		if err != nil {
			return fmt.Errorf("assess: time line of %s: %w", strings.Join(down, ", "), err)
		}
		a.Outcomes = append(a.Outcomes, o)
		return nil
	}
	for _, v := range m.OfKind(graph.KindVendor) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := run([]string{v.ID}, TypicalOutage(v, outage)); err != nil {
			return nil, err
		}
	}
	for _, pair := range pairs(a.CutSets) {
		for _, id := range pair {
			if err := run(pair, TypicalOutage(m.Node(id), outage)); err != nil {
				return nil, err
			}
		}
	}
	return a, nil
}

// TypicalOutage is a vendor's outage_duration when it declares one longer
// than 0, else def.
func TypicalOutage(n *graph.Node, def graph.Duration) graph.Duration {
	if n != nil && n.OutageDuration != nil && *n.OutageDuration > 0 {
		return *n.OutageDuration
	}
	return def
}

// pairs lists the distinct order-2 cut sets of every target, each sorted,
// in order of first appearance.
func pairs(cs *cutsets.Result) [][]string {
	if cs == nil {
		return nil
	}
	var out [][]string
	seen := map[[2]string]bool{}
	for _, t := range cs.Targets {
		for _, s := range t.CutSets {
			if len(s) != 2 {
				continue
			}
			k := [2]string{min(s[0], s[1]), max(s[0], s[1])}
			if !seen[k] {
				seen[k] = true
				out = append(out, k[:])
			}
		}
	}
	return out
}

// supports finds, for every vendor, the functions that depend on it
// directly and only through other vendors.
func supports(c *graph.Circuit) map[string]Support {
	m := c.Map
	var funcs []int32
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] == graph.KindFunction {
			funcs = append(funcs, int32(v))
		}
	}
	out := map[string]Support{}
	if len(funcs) == 0 {
		return out
	}
	sw := impact.NewSweeper(c)
	all := sw.Dependents(funcs, nil)
	direct := sw.Dependents(funcs, func(v int32) bool { return int(v) < c.NumNodes && c.Kind[v] == graph.KindVendor })
	for v := 0; v < c.NumNodes; v++ {
		if c.Kind[v] != graph.KindVendor {
			continue
		}
		var s Support
		d := direct.Of(int32(v))
		all.Of(int32(v)).Each(func(i int) {
			id := m.Nodes[funcs[i]].ID
			if d.Has(i) {
				s.Direct = append(s.Direct, id)
			} else {
				s.Through = append(s.Through, id)
			}
		})
		out[m.Nodes[v].ID] = s
	}
	return out
}

// Scenario computes the outcome of an exercise scenario: the nodes down (ids
// or vendor aliases) from T+0 for d, without and with fallbacks.
func Scenario(m *graph.Map, down []string, dur graph.Duration) (*Outcome, error) {
	if m == nil {
		return nil, errors.New("assess: no map")
	}
	if len(down) == 0 {
		return nil, errors.New("assess: no node down; name at least one")
	}
	if dur <= 0 {
		return nil, errors.New("assess: the outage needs a duration longer than 0")
	}
	e, err := impact.NewTimelineEngine(m)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	return RunOutcome(e, down, dur)
}
