package view

import (
	"slices"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/gaps"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// Analyze is the view of `lifeboat analyze`: critical partners, single
// points of failure, hidden shared suppliers and concentration. JSON
// contract:
//
//	{"single_points_of_failure": [{"function", "tier", "vendors"}],
//	 "critical_partners": [{"vendor", "halts", "core", "impact_per_hour", "via"}],
//	 "hidden_suppliers": [{"vendor", "through", "halts"}]}
//
// plus the fields documented below, among them "risk" (the exact
// probability that each core function fails and the vendors ranked by
// importance, when vendors carry probabilities; see Risk) and "gaps"
// (see Gaps).
type Analyze struct {
	Map       MapInfo `json:"map"`
	Fallbacks bool    `json:"fallbacks"`
	// SinglePointsOfFailure: functions with at least one vendor whose
	// outage alone halts them, core first, then by id.
	SinglePointsOfFailure []SPOF `json:"single_points_of_failure"`
	// CriticalPartners: vendors that halt a function alone, ranked (core
	// halted, important halted, impact per hour, all descending; then id).
	// With a top limit only the first ones are listed; Summary still counts
	// all.
	CriticalPartners []Partner `json:"critical_partners"`
	// HiddenSuppliers: vendors that halt functions alone only through other
	// vendors' own requirements (fourth parties), ranked like partners;
	// with a top limit, only the first ones.
	HiddenSuppliers []Hidden `json:"hidden_suppliers"`
	// Concentration: ultimate suppliers with the core functions hanging on
	// them, most first; with a top limit, only the first ones.
	Concentration []Concentration `json:"concentration"`
	Summary       AnalyzeSummary  `json:"summary"`
	// Risk ranks vendors by their importance for the core functions,
	// from exact probabilities; empty lists when no vendor has a
	// probability. Set with SetRisk.
	Risk Risk `json:"risk"`
	// Gaps are what the map says is missing or too weak; Gaps.Checked is
	// false when they were not looked for. Set with SetGaps.
	Gaps Gaps `json:"gaps"`

	top int // the top limit of AnalyzeOptions
}

// SPOF is one function's single points of failure.
type SPOF struct {
	Function string   `json:"function"`
	Name     string   `json:"name"`
	Tier     string   `json:"tier"`
	Vendors  []string `json:"vendors"` // sorted ids
}

// Partner is one vendor whose outage alone halts functions.
type Partner struct {
	Rank          int      `json:"rank"` // 1-based
	Vendor        string   `json:"vendor"`
	Name          string   `json:"name"`
	Halts         []string `json:"halts"` // function ids, sorted
	Core          int      `json:"core"`
	Important     int      `json:"important"`
	Supporting    int      `json:"supporting"`
	ImpactPerHour float64  `json:"impact_per_hour"`
	Hidden        bool     `json:"hidden"`
	// Via: for a hidden supplier, the vendors between the function and
	// it on the chain shown, direct vendor first; empty otherwise.
	Via         []string `json:"via"`
	Probability *float64 `json:"probability"` // yearly; null when unknown
}

// Hidden is a shared supplier reached only through other vendors.
type Hidden struct {
	Vendor  string   `json:"vendor"`
	Name    string   `json:"name"`
	Through []string `json:"through"` // direct vendors that depend on it, sorted
	Halts   []string `json:"halts"`   // functions it halts, sorted
	// Core, Important and Supporting count the functions it halts per
	// tier, and ImpactPerHour sums theirs: its critical-partner figures.
	Core          int     `json:"core"`
	Important     int     `json:"important"`
	Supporting    int     `json:"supporting"`
	ImpactPerHour float64 `json:"impact_per_hour"`
	// Chains: one shortest supply chain from a halted function to the
	// vendor for each of the first halted functions, in the order of
	// Halts (at most partners.MaxChains of them): ["payments",
	// "card-processor", "edr-agent"].
	Chains [][]string `json:"chains"`
	// ChainsTotal: how many halted functions have a chain, listed or
	// not (all of them); more than len(Chains) when the list is cut.
	ChainsTotal int `json:"chains_total"`
}

// Concentration is the exposure to one ultimate supplier.
type Concentration struct {
	Parent        string   `json:"parent"`
	Vendors       []string `json:"vendors"`
	CoreDependent []string `json:"core_dependent"`
	CoreHalted    []string `json:"core_halted"`
}

// AnalyzeSummary counts the headline numbers.
type AnalyzeSummary struct {
	Functions     int `json:"functions"`
	CoreFunctions int `json:"core_functions"`
	Vendors       int `json:"vendors"`
	// CoreWithSPOF: core functions with at least one single point of
	// failure.
	CoreWithSPOF     int `json:"core_with_spof"`
	CriticalPartners int `json:"critical_partners"` // all of them, before any top limit
	HiddenSuppliers  int `json:"hidden_suppliers"`
}

// AnalyzeOptions shape the analyze view.
type AnalyzeOptions struct {
	Fallbacks bool // whether the report was computed with fallbacks
	// Top limits the critical partners, hidden suppliers and concentration
	// entries listed; 0 lists all.
	Top int
}

// NewAnalyze builds the analyze view of r, a report computed on m. Lists
// already in order are shared with r, not copied: neither is to be
// modified afterwards.
func NewAnalyze(m *graph.Map, r *partners.Report, opt AnalyzeOptions) *Analyze {
	v := &Analyze{
		Map:                   mapInfo(m),
		Fallbacks:             opt.Fallbacks,
		SinglePointsOfFailure: make([]SPOF, 0, len(r.SinglePointsOfFailure)),
		CriticalPartners:      make([]Partner, 0, len(r.CriticalPartners)),
		HiddenSuppliers:       make([]Hidden, 0, len(r.HiddenSuppliers)),
		Concentration:         make([]Concentration, 0, len(r.Concentration)),
		Risk:                  NewRisk(m, nil),
		Gaps:                  NewGaps(m, nil, GapsOptions{}),
		top:                   opt.Top,
	}
	if m != nil {
		for _, n := range m.Nodes {
			switch n.Kind {
			case graph.KindFunction:
				v.Summary.Functions++
				if n.Tier == graph.TierCore {
					v.Summary.CoreFunctions++
				}
			case graph.KindVendor:
				v.Summary.Vendors++
			}
		}
	}
	for _, s := range r.SinglePointsOfFailure {
		name := s.Name
		if name == "" {
			name = label(m, s.Function)
		}
		v.SinglePointsOfFailure = append(v.SinglePointsOfFailure, SPOF{
			Function: s.Function, Name: name, Tier: s.Tier.String(), Vendors: sorted(s.Vendors),
		})
		if s.Tier == graph.TierCore && len(s.Vendors) > 0 {
			v.Summary.CoreWithSPOF++
		}
	}
	v.Summary.CriticalPartners = len(r.CriticalPartners)
	for i, p := range r.CriticalPartners {
		if opt.Top > 0 && i >= opt.Top {
			break
		}
		name := p.Name
		if name == "" {
			name = label(m, p.Vendor)
		}
		v.CriticalPartners = append(v.CriticalPartners, Partner{
			Rank: i + 1, Vendor: p.Vendor, Name: name, Halts: sorted(p.Halts),
			Core: p.Core, Important: p.Important, Supporting: p.Supporting,
			ImpactPerHour: p.ImpactPerHour, Hidden: p.Hidden,
			Via: strs(append([]string(nil), p.Via...)), Probability: p.Probability,
		})
	}
	v.Summary.HiddenSuppliers = len(r.HiddenSuppliers)
	partnerOf := make(map[string]*partners.Partner, len(r.CriticalPartners))
	for i := range r.CriticalPartners {
		partnerOf[r.CriticalPartners[i].Vendor] = &r.CriticalPartners[i]
	}
	for i, h := range r.HiddenSuppliers {
		if opt.Top > 0 && i >= opt.Top {
			break
		}
		name := h.Name
		if name == "" {
			name = label(m, h.Vendor)
		}
		chains := make([][]string, 0, len(h.Chains))
		for _, c := range h.Chains {
			chains = append(chains, strs(append([]string(nil), c...)))
		}
		vh := Hidden{
			Vendor: h.Vendor, Name: name, Through: sorted(h.Through),
			Halts: sorted(h.Halts), Chains: chains, ChainsTotal: max(len(h.Halts), len(h.Chains)),
		}
		if p := partnerOf[h.Vendor]; p != nil {
			vh.Core, vh.Important, vh.Supporting, vh.ImpactPerHour = p.Core, p.Important, p.Supporting, p.ImpactPerHour
		}
		v.HiddenSuppliers = append(v.HiddenSuppliers, vh)
	}
	for i, c := range r.Concentration {
		if opt.Top > 0 && i >= opt.Top {
			break
		}
		v.Concentration = append(v.Concentration, Concentration{
			Parent: c.Parent, Vendors: sorted(c.Vendors),
			CoreDependent: sorted(c.CoreDependent), CoreHalted: sorted(c.CoreHalted),
		})
	}
	return v
}

// sorted returns s when it is sorted (the analysis's lists are), else a
// sorted copy; never nil. A report of a large map holds millions of ids,
// and copying them all would double the memory the view needs.
func sorted(s []string) []string {
	if s == nil {
		return []string{}
	}
	if slices.IsSorted(s) {
		return s
	}
	return sortedCopy(s)
}

// SetRisk sets v.Risk from r, a cut set analysis of the core functions
// with importance computed on m (see NewRisk); with a top limit only the
// first vendors are listed, and Risk.VendorsTotal counts them all.
func (v *Analyze) SetRisk(m *graph.Map, r *cutsets.Result) {
	v.Risk = NewRisk(m, r)
	if v.top > 0 && len(v.Risk.Vendors) > v.top {
		v.Risk.Vendors = v.Risk.Vendors[:v.top]
	}
}

// SetGaps sets v.Gaps from r, a gaps report computed on m (see NewGaps).
func (v *Analyze) SetGaps(m *graph.Map, r *gaps.Report, opt GapsOptions) {
	v.Gaps = NewGaps(m, r, opt)
}
