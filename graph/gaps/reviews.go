package gaps

import (
	"sort"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// ReviewStatus says what is wrong with a contract's review date.
type ReviewStatus string

// The review statuses, in the order Report.Reviews lists them.
const (
	// ReviewOverdue: the last review is older than the review period.
	ReviewOverdue ReviewStatus = "overdue"
	// ReviewMissing: the contract gives no review date.
	ReviewMissing ReviewStatus = "missing"
	// ReviewUnparseable: the review date is not a date (YYYY-MM-DD, or an
	// RFC 3339 time whose date is taken).
	ReviewUnparseable ReviewStatus = "unparseable"
	// ReviewFuture: the review date is after Options.AsOf.
	ReviewFuture ReviewStatus = "future"
)

var reviewRank = map[ReviewStatus]int{ReviewOverdue: 0, ReviewMissing: 1, ReviewUnparseable: 2, ReviewFuture: 3}

// ReviewGap is a vendor contract whose review is overdue, missing,
// unreadable or dated after Options.AsOf. Only vendors with contract
// terms are checked.
//
// A review done on a date stays current for Options.ReviewMonths months:
// up to and including the same day of the month that many months later,
// or that month's last day when the day does not exist in it (a review on
// 2024-02-29 is due on 2025-02-28). It is overdue when AsOf is after that
// due date; with a zero AsOf nothing is overdue or in the future.
//
// Report.Reviews lists overdue reviews first, then missing, unparseable
// and future dates; within each, oldest review date first, then by vendor
// id.
type ReviewGap struct {
	Vendor string
	Name   string // the vendor's label
	Ref    string // the contract's reference
	// Reviewed is the review date as written ("" when missing).
	Reviewed string
	Status   ReviewStatus
	// Due is the date the next review was due (YYYY-MM-DD), for an
	// overdue review; DaysOverdue is how many days AsOf is after it.
	Due         string
	DaysOverdue int
}

// parseDate reads a review date: YYYY-MM-DD, or an RFC 3339 time (its
// date as written).
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// addMonths moves a date (at midnight UTC) by n months, clamping the day
// to the last of the target month.
func addMonths(t time.Time, n int) time.Time {
	y, mo, d := t.Date()
	first := time.Date(y, mo+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
}

func reviewGaps(m *graph.Map, asOf time.Time, months int) []ReviewGap {
	var today time.Time
	if !asOf.IsZero() {
		y, mo, d := asOf.Date()
		today = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	}
	type entry struct {
		g    ReviewGap
		date time.Time
	}
	var es []entry
	for _, n := range m.Nodes {
		if n.Kind != graph.KindVendor || n.Contract == nil {
			continue
		}
		g := ReviewGap{Vendor: n.ID, Name: n.Label(), Ref: n.Contract.Ref, Reviewed: n.Contract.Reviewed}
		if strings.TrimSpace(g.Reviewed) == "" {
			g.Status = ReviewMissing
			es = append(es, entry{g: g})
			continue
		}
		d, ok := parseDate(g.Reviewed)
		switch {
		case !ok:
			g.Status = ReviewUnparseable
		case today.IsZero():
			continue
		case d.After(today):
			g.Status = ReviewFuture
		default:
			due := addMonths(d, months)
			if !today.After(due) {
				continue
			}
			g.Status = ReviewOverdue
			g.Due = due.Format(time.DateOnly)
			g.DaysOverdue = int(today.Sub(due).Hours()+12) / 24
		}
		es = append(es, entry{g, d})
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if ra, rb := reviewRank[a.g.Status], reviewRank[b.g.Status]; ra != rb {
			return ra < rb
		}
		return a.date.Before(b.date)
	})
	var out []ReviewGap
	for _, e := range es {
		out = append(out, e.g)
	}
	return out
}
