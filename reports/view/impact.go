package view

import (
	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// Impact is the view of `lifeboat impact`: what stops when the scenario's
// nodes are down. JSON contract:
//
//	{"scenario": {"down": [...], "fallbacks": false},
//	 "down": [every down node id, sorted],
//	 "functions": [{"id", "name", "tier", "down", "because"}, ...]}
//
// With outage durations (a time line) each function also has
// "halted_at", "restored_at", "breach_at" (durations like "2h30m", null
// when none), "down_hours" and "loss": see FunctionTime.
type Impact struct {
	Map      MapInfo  `json:"map"`
	Scenario Scenario `json:"scenario"`
	// Down lists every down node id (functions, systems, vendors), sorted.
	Down []string `json:"down"`
	// Functions lists every function of the map, sorted by id.
	Functions []ImpactFunction `json:"functions"`
	// DownSystems and DownVendors split Down by kind, sorted.
	DownSystems []string     `json:"down_systems"`
	DownVendors []string     `json:"down_vendors"`
	Totals      ImpactTotals `json:"totals"`
	// Timeline is the outage time line, present (and the functions'
	// time fields with it) only when the scenario gives durations; see
	// NewImpactTimeline.
	Timeline *ImpactTimeline `json:"timeline,omitempty"`
}

// Scenario is what was assumed down.
type Scenario struct {
	Down      []string `json:"down"` // the failed ids, sorted
	Fallbacks bool     `json:"fallbacks"`
}

// ImpactFunction is one function's state under the scenario.
type ImpactFunction struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Tier          string  `json:"tier"` // core | important | supporting | ""
	Down          bool    `json:"down"`
	ImpactPerHour float64 `json:"impact_per_hour"`
	// Because is the chain of ids from the function to a failed node,
	// the function first; empty when the function is up.
	Because []string `json:"because"`
	// FunctionTime is the function's time line; nil, and left out of
	// the JSON, for a static scenario.
	*FunctionTime
}

// ImpactTotals sums the scenario up.
type ImpactTotals struct {
	Functions     int `json:"functions"`      // functions in the map
	FunctionsDown int `json:"functions_down"` // functions down
	Core          int `json:"core"`           // core functions down
	Important     int `json:"important"`      // important functions down
	Supporting    int `json:"supporting"`     // supporting (or untiered) functions down
	// LossPerHour is the summed impact per hour of the down functions, in
	// the map's currency.
	LossPerHour float64 `json:"loss_per_hour"`
}

// addDown counts one down function of the given tier and impact per hour.
func (t *ImpactTotals) addDown(tier graph.Tier, impactPerHour float64) {
	t.FunctionsDown++
	t.LossPerHour += impactPerHour
	switch tier {
	case graph.TierCore:
		t.Core++
	case graph.TierImportant:
		t.Important++
	default:
		t.Supporting++
	}
}

// NewImpact builds the impact view of r, a result computed on m.
func NewImpact(m *graph.Map, r *impact.Result) *Impact {
	v := &Impact{
		Map:         mapInfo(m),
		Scenario:    Scenario{Down: sortedCopy(r.Failed), Fallbacks: r.Fallbacks},
		Down:        sortedCopy(r.Down),
		Functions:   make([]ImpactFunction, 0, len(r.Functions)),
		DownSystems: []string{},
		DownVendors: []string{},
	}
	for _, id := range v.Down {
		if m == nil {
			continue
		}
		if n := m.Node(id); n != nil {
			switch n.Kind {
			case graph.KindSystem:
				v.DownSystems = append(v.DownSystems, id)
			case graph.KindVendor:
				v.DownVendors = append(v.DownVendors, id)
			}
		}
	}
	for _, f := range r.Functions {
		vf := ImpactFunction{
			ID: f.ID, Name: f.Name, Tier: f.Tier.String(), Down: f.Down,
			ImpactPerHour: f.ImpactPerHour,
			Because:       strs(append([]string(nil), f.Because...)),
		}
		if vf.Name == "" {
			vf.Name = label(m, f.ID)
		}
		v.Functions = append(v.Functions, vf)
		v.Totals.Functions++
		if !f.Down {
			continue
		}
		v.Totals.addDown(f.Tier, f.ImpactPerHour)
	}
	return v
}
