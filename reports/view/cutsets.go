package view

import (
	"math"
	"sort"
	"strconv"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
)

// Cutsets is the view of `lifeboat cutsets`: the minimal cut sets of each
// target, their counts by order and, when the events carry probabilities,
// the probability that each target fails. JSON contract:
//
//	{"events": "vendors", "fallbacks": false,
//	 "targets": [{"id", "max_order", "counts": {"1": 0, "2": 4},
//	              "cutsets": [["a"], ["b", "c"]], "probability": null}]}
//
// plus the fields documented below.
type Cutsets struct {
	Map       MapInfo `json:"map"`
	Events    string  `json:"events"` // vendors | systems | all
	Fallbacks bool    `json:"fallbacks"`
	// MaxOrder is the largest order asked for; 0 means every order.
	MaxOrder int `json:"max_order"`
	// CountOnly: the sets were counted, not listed (every cutsets list is
	// empty).
	CountOnly bool `json:"count_only"`
	// Top: when positive, each target lists at most its Top most probable
	// sets (the first Top sets without probabilities).
	Top     int             `json:"top"`
	Targets []CutsetsTarget `json:"targets"`
	// Names maps every event id that appears in a listed cut set to its
	// name (the id when it has none).
	Names map[string]string `json:"names"`
}

// CutsetsTarget is the analysis of one target.
type CutsetsTarget struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"` // function | system | vendor
	Tier     string `json:"tier"` // a function's tier, else ""
	MaxOrder int    `json:"max_order"`
	// Counts maps each order, written in decimal, to the number of
	// minimal cut sets of that order: every order from 1 to MaxOrder
	// (to the largest present when MaxOrder is 0), zeros included; "0"
	// only when the target fails with no event at all.
	Counts map[string]int64 `json:"counts"`
	Total  int64            `json:"total"` // the sum of Counts
	// CutSets: by order, then lexicographically by ids (most probable
	// first with a top limit); ids inside a set sorted.
	CutSets [][]string `json:"cutsets"`
	// SetProbabilities[i] is the probability of CutSets[i] (the product
	// of its events' probabilities); empty without probabilities.
	SetProbabilities []float64 `json:"set_probabilities"`
	// Truncated: a top limit left sets out of CutSets (Counts and Total
	// still count them all).
	Truncated bool `json:"truncated"`
	// Probability is the exact yearly probability that the target fails;
	// null unless every event it depends on has a probability.
	Probability *float64 `json:"probability"`
	// RareEvent is the rare-event approximation of Probability: the sum
	// of the probabilities of the cut sets counted; null likewise.
	RareEvent *float64 `json:"rare_event"`
	// Importance of every event the target depends on when Probability
	// is known, sorted by id; empty otherwise.
	Importance []EventImportance `json:"importance"`
	// Notes say what could not be computed, and why.
	Notes []string `json:"notes"`
}

// EventImportance is the importance of one basic event for one target,
// from exact probabilities: P = P(target fails), P1 and P0 the same given
// that the event does or does not occur.
type EventImportance struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Probability float64 `json:"probability"`
	// Birnbaum is P1 − P0.
	Birnbaum float64 `json:"birnbaum"`
	// FussellVesely is 1 − P0/P: the share of the risk that needs the
	// event.
	FussellVesely float64 `json:"fussell_vesely"`
	// RAW, risk achievement worth, is P1/P.
	RAW float64 `json:"raw"`
	// RRW, risk reduction worth, is P/P0; null when infinite (without
	// the event the target cannot fail).
	RRW *float64 `json:"rrw"`
}

// CutsetsOptions shape the cut sets view.
type CutsetsOptions struct {
	CountOnly bool
	Top       int
}

// NewCutsets builds the cut sets view of r, computed on m.
func NewCutsets(m *graph.Map, r *cutsets.Result, opt CutsetsOptions) *Cutsets {
	v := &Cutsets{
		Map:       mapInfo(m),
		Events:    r.Events.String(),
		Fallbacks: r.Fallbacks,
		MaxOrder:  r.MaxOrder,
		CountOnly: opt.CountOnly,
		Top:       opt.Top,
		Targets:   make([]CutsetsTarget, 0, len(r.Targets)),
		Names:     map[string]string{},
	}
	for _, t := range r.Targets {
		vt := CutsetsTarget{
			ID: t.ID, Name: label(m, t.ID), MaxOrder: t.MaxOrder,
			Counts: make(map[string]int64, len(t.Counts)), Total: t.Total,
			CutSets:          make([][]string, 0, len(t.CutSets)),
			SetProbabilities: []float64{},
			Truncated:        t.Truncated,
			Probability:      t.Probability, RareEvent: t.RareEvent,
			Importance: []EventImportance{},
			Notes:      strs(append([]string(nil), t.Notes...)),
		}
		if m != nil {
			if n := m.Node(t.ID); n != nil {
				vt.Kind = n.Kind.String()
				vt.Tier = n.Tier.String()
			}
		}
		for order, n := range t.Counts {
			vt.Counts[strconv.Itoa(order)] = n
		}
		for _, s := range t.CutSets {
			set := sortedCopy(s)
			for _, id := range set {
				if _, ok := v.Names[id]; !ok {
					v.Names[id] = label(m, id)
				}
			}
			vt.CutSets = append(vt.CutSets, set)
		}
		vt.SetProbabilities = append(vt.SetProbabilities, t.SetProbabilities...)
		for _, im := range t.Importance {
			vt.Importance = append(vt.Importance, newEventImportance(m, im))
		}
		sort.Slice(vt.Importance, func(i, j int) bool { return vt.Importance[i].ID < vt.Importance[j].ID })
		v.Targets = append(v.Targets, vt)
	}
	return v
}

func newEventImportance(m *graph.Map, im cutsets.Importance) EventImportance {
	e := EventImportance{
		ID: im.Event, Name: label(m, im.Event), Probability: im.Probability,
		Birnbaum: im.Birnbaum, FussellVesely: im.FussellVesely, RAW: im.RAW,
	}
	if !math.IsInf(im.RRW, 0) && !math.IsNaN(im.RRW) {
		rrw := im.RRW
		e.RRW = &rrw
	}
	return e
}

// Orders returns the orders of t's counts in ascending order.
func (t *CutsetsTarget) Orders() []int {
	out := make([]int, 0, len(t.Counts))
	for k := range t.Counts {
		if n, err := strconv.Atoi(k); err == nil {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}
