package impact

import (
	"fmt"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Outage forces one node down for a while in a time line scenario: the
// node is down on [Start, Start+Duration) whatever else holds, and after
// that follows the time semantics like any other node.
type Outage struct {
	// ID names the node, or a vendor by one of its aliases.
	ID string
	// Start is when the outage begins, counted from the start of the time
	// line (0).
	Start graph.Duration
	// Duration is how long the node is forced down. An outage of length 0
	// forces nothing.
	Duration graph.Duration
	// Forever: the node is forced down from Start on and never comes back
	// (the static scenario of design.md); Duration is ignored.
	Forever bool
}

// TimelineOptions choose how a time line is computed.
type TimelineOptions struct {
	// Fallbacks: fallbacks take part (activation, endurance, capacity and
	// their own requirements). Without, fallbacks are ignored.
	Fallbacks bool
	// Horizon is the end of the time line: states are computed on
	// [0, Horizon). 0 chooses DefaultHorizon or longer, far enough to
	// hold every change the scenario causes (see TimelineResult.Horizon).
	Horizon graph.Duration
}

// DefaultHorizon is the shortest horizon of a time line computed without
// TimelineOptions.Horizon.
const DefaultHorizon = 7 * graph.Day

// Interval is the half-open span of time [From, To) on a time line,
// counted from the start of the time line. To is nil when the span is
// still going on at the horizon.
type Interval struct {
	From graph.Duration
	To   *graph.Duration
}

// String renders the interval as "[2h, 9h)", or "[2h, …)" when open.
func (iv Interval) String() string {
	if iv.To == nil {
		return fmt.Sprintf("[%s, …)", iv.From)
	}
	return fmt.Sprintf("[%s, %s)", iv.From, *iv.To)
}

// end is the interval's end on a time line ending at horizon.
func (iv Interval) end(horizon graph.Duration) graph.Duration {
	if iv.To == nil {
		return horizon
	}
	return *iv.To
}

// TimelineResult is the time line of one outage scenario.
type TimelineResult struct {
	// Outages are the scenario's outages, ids resolved (aliases replaced
	// by the vendor's id), sorted by start, then id, then duration;
	// outages of length 0 are left out.
	Outages   []Outage
	Fallbacks bool
	// Horizon is the end of the time line. Without
	// TimelineOptions.Horizon it is the smallest whole number of days, at
	// least DefaultHorizon, after the last change (LastChange) and after
	// every breach of a function that is never restored.
	Horizon graph.Duration
	// Settled: no change was pending when the time line ended, so a span
	// still open at the horizon lasts for ever (a node never restored,
	// not one cut short by the horizon). False when a change may still
	// come at or after the horizon.
	Settled bool
	// LastChange is the last moment before the horizon at which a node
	// went down or up, or a fallback or a degraded function changed; nil
	// when nothing changed.
	LastChange *graph.Duration
	// Nodes lists every node that is down at some moment of the time line
	// (functions included), sorted by id.
	Nodes []NodeTimeline
	// Functions lists every function of the map, sorted by id.
	Functions []FunctionTimeline
	// FallbackUse lists every fallback that was active at some moment,
	// sorted by the node it serves, then id. Empty without fallbacks.
	FallbackUse []FallbackTimeline
}

// NodeTimeline is when one node is down.
type NodeTimeline struct {
	ID   string
	Kind graph.Kind
	// Down are the node's down spans in time order; they neither overlap
	// nor touch.
	Down []Interval
}

// FunctionTimeline is one function's time line and what it costs.
type FunctionTimeline struct {
	ID            string
	Name          string // the function's label: its name, else its id
	Tier          graph.Tier
	ImpactPerHour float64
	Tolerance     *graph.Duration // nil: none given
	// Down are the function's down spans, as in NodeTimeline.
	Down []Interval
	// Degraded are the spans in which the function is up only thanks to
	// one of its own fallbacks: its own requirement fails, and a fallback
	// is active and its requirement holds. Consecutive spans touch when
	// the fallback carrying the function changes. A function riding out
	// a failure on its buffer is neither down nor degraded: the buffer
	// (queues, caches, stock) keeps it working in full.
	Degraded []DegradedInterval
	// HaltedAt is the first moment the function is down; nil when it
	// never is.
	HaltedAt *graph.Duration
	// RestoredAt is the moment the function is up again after its last
	// down span, possibly degraded; nil when it is never down or still
	// down at the horizon.
	RestoredAt *graph.Duration
	// BreachAt is the first moment at which the function has been down
	// without interruption for longer than its tolerance: From+Tolerance
	// of the first down span that is still going on at that moment. A
	// down span of exactly the tolerance is no breach (the function is up
	// again at the moment the tolerance runs out). Nil without tolerance,
	// without such a span, or when that moment is at or after the
	// horizon.
	BreachAt *graph.Duration
	// DownTime is the total length of the down spans within the horizon;
	// DownHours is the same in hours.
	DownTime  graph.Duration
	DownHours float64
	// DegradedTime is the total length of the degraded spans within the
	// horizon; DegradedHours is the same in hours.
	DegradedTime  graph.Duration
	DegradedHours float64
	// Loss is ImpactPerHour × DownHours, plus ImpactPerHour × (1 −
	// capacity) × hours of each degraded span.
	Loss float64
}

// DegradedInterval is a span in which a function runs on a fallback.
type DegradedInterval struct {
	Interval
	// Fallback is the id of the fallback that carries the function: of
	// those active whose requirement holds, the one with the largest
	// capacity (the first by id on a tie).
	Fallback string
	Capacity float64
}

// FallbackTimeline is when one fallback was in use.
type FallbackTimeline struct {
	ID  string
	For string // the node it serves
	// Active are the spans in which the fallback is active: its node's
	// own requirement fails and the time since that failure began is in
	// [activation, activation+endurance).
	Active []Interval
	// Holding are the parts of Active in which the fallback's own
	// requirement also holds, so that it keeps its node's requirement
	// satisfied.
	Holding []Interval
}

// Timeline computes the time line of an outage scenario on m: exact down
// spans for every node, per function when it halts, is restored and
// breaches its tolerance and what that costs, and when each fallback is
// in use. It compiles m first; to compute several time lines on one map,
// make a TimelineEngine once and call its Run.
//
// # Time semantics
//
// This is design.md's "Time semantics", made exact. Time is continuous,
// counted from 0; every state is constant on half-open spans [a, b).
// Before 0 every node has been up, with its requirement holding, for
// ever. For a node n and a moment t:
//
//   - n is forced at t when an outage of n covers t.
//   - O_n(t), n's own requirement, holds when its expression holds given
//     the states at t of the nodes it names.
//   - A fallback f of n is active at t when O_n(t) fails and t−t0 lies in
//     [activation, activation+endurance), where t0 is when the current
//     failure of O_n began (O_n has failed throughout [t0, t] and held
//     just before t0). It stops as soon as O_n holds again; the next
//     failure starts it afresh. An endurance of 0 never activates; no
//     endurance never runs out. f holds at t when it is active and its
//     own requirement holds at t (a fallback without requirement always
//     does).
//   - E_n(t) holds when O_n(t) holds or (with fallbacks) some fallback of
//     n holds at t.
//
// The state of n at t is down when n is forced at t. Otherwise, if n was
// up just before t, n is down at t when E_n has failed throughout
// [t−buffer, t]; if n was down just before t, n is up at t when E_n has
// held throughout [t−restore, t]. Both windows are closed: the threshold
// is met only if E_n still has the same value at the moment the buffer or
// restore runs out. So with buffer = restore = 0, n is down exactly while
// E_n fails; an outage lasting exactly a node's buffer does not bring it
// down; a restore whose requirement fails again at the very moment it
// would complete does not complete. A forced outage that ends at s+d
// leaves n down and ruled as above: its restore counts from when E_n last
// began to hold, which may be during the outage, so a vendor whose own
// suppliers never failed is up again exactly at s+d.
//
// # Timers and the least fixpoint
//
// Since E_n(t) depends on the states at the same moment t, the states at
// t are a fixpoint, and cycles admit several. The rule above fixes, at
// each moment t, a mode for every node that depends only on what happened
// before t:
//
//   - held down: n is forced at t, or n was down just before t and its
//     restore has not run out at t (restore > 0, and E_n failed just
//     before t or has held for less than restore);
//   - held up: n was up just before t and its buffer has not run out at t
//     (buffer > 0, and E_n held just before t or has failed for less than
//     buffer);
//   - free: otherwise; then n is up at t exactly when E_n(t) holds.
//
// Held nodes keep their state whatever E_n(t) is. Among the free nodes,
// the down set at t is the least fixpoint given the held ones, exactly as
// in the static semantics: start with every free node up, and take down
// every free node whose E_n fails, until nothing changes. E_n(t) of every
// node, held or free, is then evaluated on that fixpoint and starts or
// stops its buffer, restore and fallback timers. Consequences:
//
//   - A cycle of free nodes with no failing support is up: circular
//     backup (A needs any(vA, B), B needs any(vB, A)) keeps A and B up when
//     vA and vB fail, and a cycle whose outside support comes back is up
//     again at that moment when none of its nodes has a restore time.
//   - A node held down by its restore is down for its dependents while it
//     restores. So a cycle in which each node needs the next, and one of
//     them has a restore time, cannot restart once it is down (recovery
//     deadlock): its restore never starts because its requirement
//     includes the rest of the cycle, which waits for it. Its nodes stay
//     down for ever and are reported as never restored.
//
// # Computation
//
// The time line is exact, not sampled: states change only at sums of the
// given durations, and the engine jumps from one such moment to the next
// (a priority queue of outage ends and timers), updating at each only
// what depends on the nodes whose mode changed. A time line that settles
// (every one known) is computed to its end. As safeguards against one
// that would not, a computation without a horizon stops 100 years after
// the last outage begins or ends, and any computation after 64 instants
// per node, fallback and outage, with Settled false.
//
// # Results
//
// A function's loss counts ImpactPerHour for each hour down, and
// ImpactPerHour × (1 − capacity) for each hour degraded (its own
// requirement fails and one of its own fallbacks holds; see
// FunctionTimeline). A fallback of a system keeps that system up in full:
// capacity scales the loss of the function whose fallback it is only.
//
// Unknown ids give an *UnknownNodeError; negative starts, durations or
// horizons, and maps that are not valid (see NewTimelineEngine), an error.
func Timeline(m *graph.Map, outages []Outage, opt TimelineOptions) (*TimelineResult, error) {
	if m == nil {
		return nil, errNilMap
	}
	e, err := NewTimelineEngine(m)
	if err != nil {
		return nil, err
	}
	return e.Run(outages, opt)
}
