package gaps

import (
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// Options choose how the gaps are found.
type Options struct {
	// AsOf is the date contract reviews are judged against (its year,
	// month and day in its own location; the time of day is ignored). The
	// zero time judges no review as overdue; missing and unparseable
	// review dates are still reported.
	AsOf time.Time
	// ReviewMonths is how many months a contract review stays current.
	// 0 means 12.
	ReviewMonths int
	// Fallbacks: fallbacks count as keeping their node up when finding
	// core paths, single-point vendors and outage losses. The recovery
	// roll-up always ignores them (see RecoveryGap).
	Fallbacks bool
	// DefaultOutage is the outage length assumed for a vendor without
	// outage_duration. 0 means DefaultOutage (24h).
	DefaultOutage graph.Duration
	// MaxTimelines bounds how many vendors' exposures are modeled with a
	// full outage time line: the first MaxTimelines critical partners in
	// partners' ranking. The rest get the static stand-in and are marked
	// Static. 0 means DefaultMaxTimelines; a negative value means no bound.
	MaxTimelines int
	// Partners, when not nil, is partners' report of the same map with
	// the same Fallbacks setting, reused instead of computed again.
	Partners *partners.Report
}

// DefaultMaxTimelines is the number of vendors whose exposure is modeled
// with a time line unless Options.MaxTimelines says otherwise. The
// top-ranked partners of an enterprise map take most of it down, and their
// time lines cost tens of milliseconds each (100k nodes: about 50 ms), so
// the bound keeps analyze interactive there while covering every critical
// partner of a typical map (the shipped example has 20).
const DefaultMaxTimelines = 64

// DefaultOutage is the typical outage assumed for a vendor that does not
// declare outage_duration.
const DefaultOutage = 24 * graph.Hour

// DefaultReviewMonths is how long a contract review stays current unless
// Options.ReviewMonths says otherwise.
const DefaultReviewMonths = 12

// Report is the outcome of Analyze. Every list is in a documented,
// deterministic order and is nil when empty.
type Report struct {
	// Recovery lists the functions whose rolled-up recovery time exceeds
	// their rto or tolerance: core first, then important, supporting and
	// untiered, then by how far over (most first), then id.
	Recovery []RecoveryGap
	// Responsibility lists the systems and vendors on a core path with a
	// monitor, respond or repair party that is empty or TBD: most core
	// functions affected first, then id.
	Responsibility []ResponsibilityGap
	// SinglePoints lists the vendors that halt a core function alone and
	// have no exit plan or no substitute, in the order of
	// partners.Report.CriticalPartners.
	SinglePoints []SinglePointGap
	// Reviews lists the contracts whose review is overdue, missing,
	// unreadable or in the future; see ReviewGap for the order.
	Reviews []ReviewGap
	// Exposure lists every vendor that halts at least one function alone,
	// with the modeled loss of its typical outage against its liability
	// cap: most uncovered first, then largest loss, then id.
	Exposure []Exposure
}

// Analyze finds the gaps of m (see Report). It compiles m once without
// fallbacks for the recovery roll-up and, with opt.Fallbacks, once with.
// Most of its time goes to Exposure: one outage time line per vendor that
// halts a function alone, spread over all CPUs (the result does not
// depend on how many). It never reads the clock: reviews are judged
// against opt.AsOf. A nil map gives an empty report.
func Analyze(m *graph.Map, opt Options) *Report {
	rep := &Report{}
	if m == nil {
		return rep
	}
	if opt.DefaultOutage <= 0 {
		opt.DefaultOutage = DefaultOutage
	}
	if opt.MaxTimelines == 0 {
		opt.MaxTimelines = DefaultMaxTimelines
	}
	if opt.ReviewMonths <= 0 {
		opt.ReviewMonths = DefaultReviewMonths
	}
	plain := graph.Compile(m, graph.CompileOptions{})
	c := plain
	if opt.Fallbacks {
		c = graph.Compile(m, graph.CompileOptions{Fallbacks: true})
	}
	rep.Recovery = recoveryGaps(plain)
	rep.Responsibility = responsibilityGaps(impact.NewSweeper(c))
	p := opt.Partners
	if p == nil {
		p = partners.AnalyzeCircuit(c)
	}
	rep.SinglePoints = singlePointGaps(m, p)
	rep.Reviews = reviewGaps(m, opt.AsOf, opt.ReviewMonths)
	rep.Exposure = exposures(m, p, opt)
	return rep
}

// tierRank orders tiers core, important, supporting, then untiered.
func tierRank(t graph.Tier) int {
	if t == graph.TierNone {
		return 4
	}
	return int(t)
}
