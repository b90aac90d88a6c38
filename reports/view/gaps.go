package view

import (
	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gaps"
)

// Gaps is the gaps part of the analyze view: what the map says is
// missing or too weak. Every list keeps the order of graph/gaps and is
// empty, not null, when there is nothing to report. Durations are written
// like "2h30m". JSON:
//
//	{"checked": true, "as_of": "2026-11-24", "review_months": 12,
//	 "recovery": [{"function", "tier", "recovery", "limit", "limit_by", "over", "chain", "steps"}],
//	 "responsibility": [{"id", "kind", "missing", "core"}],
//	 "single_points": [{"vendor", "core", "no_exit_plan", "no_substitute"}],
//	 "reviews": [{"vendor", "reviewed", "status", "due", "days_overdue"}],
//	 "exposure": [{"vendor", "outage", "loss", "liability_cap", "uncovered", "functions"}]}
type Gaps struct {
	// Checked: the gaps were looked for; when false every list is empty
	// because nobody looked, not because there is nothing.
	Checked bool `json:"checked"`
	// AsOf is the date contract reviews were judged against
	// (YYYY-MM-DD); ReviewMonths how long a review stays current.
	AsOf         string `json:"as_of"`
	ReviewMonths int    `json:"review_months"`
	// Recovery: functions whose worst-case recovery, rolled up through
	// their dependencies, exceeds their rto or tolerance; core first,
	// then by how far over.
	Recovery []RecoveryGap `json:"recovery"`
	// Responsibility: systems and vendors on a core path with nobody
	// named to monitor, respond or repair.
	Responsibility []ResponsibilityGap `json:"responsibility"`
	// SinglePoints: vendors that halt a core function alone and have no
	// exit plan or no substitute.
	SinglePoints []SinglePointGap `json:"single_points"`
	// Reviews: contracts whose review is overdue, missing, unreadable or
	// dated in the future; overdue first, oldest first.
	Reviews []ReviewGap `json:"reviews"`
	// Exposure: for every vendor that halts a function alone, the
	// modeled loss of its typical outage against its liability cap; most
	// uncovered first.
	Exposure []ExposureGap `json:"exposure"`
}

// RecoveryGap is a function that cannot be recovered in time.
type RecoveryGap struct {
	Function  string  `json:"function"`
	Name      string  `json:"name"`
	Tier      string  `json:"tier"`
	Recovery  string  `json:"recovery"`  // the rolled-up worst-case recovery time
	Tolerance *string `json:"tolerance"` // null when none given
	RTO       *string `json:"rto"`       // null when none given
	Limit     string  `json:"limit"`     // the smaller of tolerance and rto
	LimitBy   string  `json:"limit_by"`  // "rto" or "tolerance"
	Over      string  `json:"over"`      // recovery − limit
	// Chain is the critical chain that sets the recovery time, the
	// function first; Steps say what each of its nodes adds.
	Chain []string       `json:"chain"`
	Steps []RecoveryStep `json:"steps"`
	// ColdStart: the chain passes through a recovery deadlock brought up
	// by hand, so Recovery is an upper bound.
	ColdStart bool `json:"cold_start"`
}

// RecoveryStep is one node of a critical recovery chain.
type RecoveryStep struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Time string `json:"time"` // what it adds
	// Basis says where Time comes from: "restore", "rto", or "" (none).
	Basis     string `json:"basis"`
	ColdStart bool   `json:"cold_start"`
}

// ResponsibilityGap is a node on a core path with roles nobody holds.
type ResponsibilityGap struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Missing []string `json:"missing"` // monitor, respond, repair, in that order
	Core    []string `json:"core"`    // the core functions depending on it, sorted
}

// SinglePointGap is a vendor that halts a core function alone with no way
// out.
type SinglePointGap struct {
	Vendor       string   `json:"vendor"`
	Name         string   `json:"name"`
	Hidden       bool     `json:"hidden"`
	Core         []string `json:"core"` // the core functions it halts alone, sorted
	NoContract   bool     `json:"no_contract"`
	NoExitPlan   bool     `json:"no_exit_plan"`
	NoSubstitute bool     `json:"no_substitute"`
}

// ReviewGap is a contract whose review is not current.
type ReviewGap struct {
	Vendor   string `json:"vendor"`
	Name     string `json:"name"`
	Ref      string `json:"ref"`
	Reviewed string `json:"reviewed"` // as written; "" when missing
	// Status is overdue, missing, unparseable or future.
	Status      string `json:"status"`
	Due         string `json:"due"` // for an overdue review, YYYY-MM-DD
	DaysOverdue int    `json:"days_overdue"`
}

// ExposureGap is what one vendor's typical outage costs against what its
// contract lets the firm recover.
type ExposureGap struct {
	Vendor string `json:"vendor"`
	Name   string `json:"name"`
	// Outage is the outage modeled: the vendor's outage_duration, or the
	// default when OutageGiven is false.
	Outage       string  `json:"outage"`
	OutageGiven  bool    `json:"outage_given"`
	Loss         float64 `json:"loss"`
	LiabilityCap float64 `json:"liability_cap"` // 0 when none
	// Uncovered is max(0, loss − liability cap): what insurance or the
	// firm carries.
	Uncovered float64 `json:"uncovered"`
	// Functions are the functions with a loss, largest first, at most
	// MaxExposureFunctions of them; FunctionsTotal counts them all.
	Functions      []FunctionLoss `json:"functions"`
	FunctionsTotal int            `json:"functions_total"`
	// NotRestored lists functions still down at the end of the time
	// line; Static says the loss is the static stand-in.
	NotRestored []string `json:"not_restored"`
	Static      bool     `json:"static"`
}

// MaxExposureFunctions bounds the functions listed per exposure: the
// largest losses say where the money goes, and on enterprise maps a
// partner's outage reaches thousands of functions.
const MaxExposureFunctions = 20

// FunctionLoss is one function's share of an outage's loss.
type FunctionLoss struct {
	Function  string  `json:"function"`
	DownHours float64 `json:"down_hours"`
	Loss      float64 `json:"loss"`
}

// GapsOptions say how the gaps were judged.
type GapsOptions struct {
	AsOf         string // YYYY-MM-DD, "" when reviews were not judged by date
	ReviewMonths int
}

// NewGaps builds the gaps view of r, a report computed on m. A nil r
// gives empty lists.
func NewGaps(m *graph.Map, r *gaps.Report, opt GapsOptions) Gaps {
	v := Gaps{
		AsOf: opt.AsOf, ReviewMonths: opt.ReviewMonths,
		Recovery: []RecoveryGap{}, Responsibility: []ResponsibilityGap{}, SinglePoints: []SinglePointGap{},
		Reviews: []ReviewGap{}, Exposure: []ExposureGap{},
	}
	if r == nil {
		return v
	}
	v.Checked = true
	for _, g := range r.Recovery {
		rg := RecoveryGap{
			Function: g.Function, Name: g.Name, Tier: g.Tier.String(), Recovery: g.Recovery.String(),
			Tolerance: durStr(g.Tolerance), RTO: durStr(g.RTO), Limit: g.Limit.String(), LimitBy: g.LimitBy,
			Over: g.Over.String(), Chain: strs(append([]string(nil), g.Chain...)),
			Steps: make([]RecoveryStep, 0, len(g.Steps)), ColdStart: g.ColdStart,
		}
		if rg.Name == "" {
			rg.Name = label(m, g.Function)
		}
		for _, s := range g.Steps {
			rg.Steps = append(rg.Steps, RecoveryStep{ID: s.ID, Kind: s.Kind.String(), Time: s.Time.String(), Basis: s.Basis, ColdStart: s.ColdStart})
		}
		v.Recovery = append(v.Recovery, rg)
	}
	for _, g := range r.Responsibility {
		v.Responsibility = append(v.Responsibility, ResponsibilityGap{
			ID: g.ID, Name: orLabel(m, g.Name, g.ID), Kind: g.Kind.String(),
			Missing: strs(append([]string(nil), g.Missing...)), Core: sortedCopy(g.Core),
		})
	}
	for _, g := range r.SinglePoints {
		v.SinglePoints = append(v.SinglePoints, SinglePointGap{
			Vendor: g.Vendor, Name: orLabel(m, g.Name, g.Vendor), Hidden: g.Hidden, Core: sortedCopy(g.Core),
			NoContract: g.NoContract, NoExitPlan: g.NoExitPlan, NoSubstitute: g.NoSubstitute,
		})
	}
	for _, g := range r.Reviews {
		v.Reviews = append(v.Reviews, ReviewGap{
			Vendor: g.Vendor, Name: orLabel(m, g.Name, g.Vendor), Ref: g.Ref, Reviewed: g.Reviewed,
			Status: string(g.Status), Due: g.Due, DaysOverdue: g.DaysOverdue,
		})
	}
	for _, g := range r.Exposure {
		e := ExposureGap{
			Vendor: g.Vendor, Name: orLabel(m, g.Name, g.Vendor), Outage: g.Outage.String(), OutageGiven: g.OutageGiven,
			Loss: g.Loss, LiabilityCap: g.LiabilityCap, Uncovered: g.Uncovered,
			Functions:   make([]FunctionLoss, 0, min(len(g.Functions), MaxExposureFunctions)),
			NotRestored: sortedCopy(g.NotRestored), Static: g.Static,
			FunctionsTotal: len(g.Functions),
		}
		for _, f := range g.Functions[:min(len(g.Functions), MaxExposureFunctions)] {
			e.Functions = append(e.Functions, FunctionLoss{Function: f.Function, DownHours: f.DownHours, Loss: f.Loss})
		}
		v.Exposure = append(v.Exposure, e)
	}
	return v
}

// orLabel is name, or id's label in m when name is empty.
func orLabel(m *graph.Map, name, id string) string {
	if name != "" {
		return name
	}
	return label(m, id)
}
