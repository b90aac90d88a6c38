package view

import (
	"math"
	"sort"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
)

// Risk is the probabilistic part of the analyze view: the exact yearly
// probability that each core function fails and the vendors ranked by
// their importance for them. Both lists are empty when no vendor carries
// a probability. JSON:
//
//	{"functions": [{"id", "name", "tier", "probability", "rare_event", "notes"}],
//	 "vendors": [{"rank", "vendor", "name", "probability", "birnbaum",
//	              "fussell_vesely", "raw", "rrw", "function", "functions": [...]}]}
type Risk struct {
	// Functions are the functions analysed (the core ones, or all when
	// none is core), sorted by id.
	Functions []RiskFunction `json:"functions"`
	// Vendors are the vendors that matter to some analysed function
	// (Birnbaum above 0), ranked: largest Fussell-Vesely first, then
	// largest Birnbaum, then largest RAW (each the vendor's maximum over
	// the functions, compared as printed to six significant digits), then
	// id.
	Vendors []RiskVendor `json:"vendors"`
	// VendorsTotal counts the vendors before any top limit.
	VendorsTotal int `json:"vendors_total"`
}

// RiskFunction is the probability that one function fails in a year.
type RiskFunction struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Tier string `json:"tier"`
	// Probability is exact; null when a vendor it depends on has no
	// probability (Notes say which) or the computation was too large.
	Probability *float64 `json:"probability"`
	Notes       []string `json:"notes"`
}

// RiskVendor is one vendor's importance: its largest measures over the
// analysed functions, and the measures for each.
type RiskVendor struct {
	Rank        int     `json:"rank"` // 1-based
	Vendor      string  `json:"vendor"`
	Name        string  `json:"name"`
	Probability float64 `json:"probability"`
	// Birnbaum, FussellVesely and RAW are the largest over the
	// functions; RRW the largest finite one, null when it is infinite for
	// some function (without the vendor that function cannot fail).
	Birnbaum      float64  `json:"birnbaum"`
	FussellVesely float64  `json:"fussell_vesely"`
	RAW           float64  `json:"raw"`
	RRW           *float64 `json:"rrw"`
	// Function is the function for which its Fussell-Vesely is largest.
	Function string `json:"function"`
	// Functions are the measures for each function it matters to, by
	// function id.
	Functions []RiskMeasure `json:"functions"`
}

// RiskMeasure is a vendor's importance for one function.
type RiskMeasure struct {
	Function      string   `json:"function"`
	Birnbaum      float64  `json:"birnbaum"`
	FussellVesely float64  `json:"fussell_vesely"`
	RAW           float64  `json:"raw"`
	RRW           *float64 `json:"rrw"` // null when infinite
}

// NewRisk builds the risk view of r, a cut set analysis with importance
// computed on m. A nil r gives empty lists.
func NewRisk(m *graph.Map, r *cutsets.Result) Risk {
	v := Risk{Functions: []RiskFunction{}, Vendors: []RiskVendor{}}
	if r == nil {
		return v
	}
	byVendor := map[string]*RiskVendor{}
	for _, t := range r.Targets {
		f := RiskFunction{ID: t.ID, Name: label(m, t.ID), Probability: t.Probability,
			Notes: strs(append([]string(nil), t.Notes...))}
		if m != nil {
			if n := m.Node(t.ID); n != nil {
				f.Tier = n.Tier.String()
			}
		}
		v.Functions = append(v.Functions, f)
		for _, im := range t.Importance {
			if im.Birnbaum <= 0 {
				continue
			}
			rv := byVendor[im.Event]
			if rv == nil {
				rv = &RiskVendor{Vendor: im.Event, Name: label(m, im.Event), Probability: im.Probability, Functions: []RiskMeasure{}}
				byVendor[im.Event] = rv
			}
			e := newEventImportance(m, im)
			rv.Functions = append(rv.Functions, RiskMeasure{Function: t.ID, Birnbaum: e.Birnbaum,
				FussellVesely: e.FussellVesely, RAW: e.RAW, RRW: e.RRW})
		}
	}
	sort.Slice(v.Functions, func(i, j int) bool { return v.Functions[i].ID < v.Functions[j].ID })
	for _, rv := range byVendor {
		sort.Slice(rv.Functions, func(i, j int) bool { return rv.Functions[i].Function < rv.Functions[j].Function })
		infinite := false
		for i, f := range rv.Functions {
			if i == 0 || sig(f.FussellVesely) > sig(rv.FussellVesely) {
				rv.FussellVesely, rv.Function = f.FussellVesely, f.Function
			}
			rv.Birnbaum = math.Max(rv.Birnbaum, f.Birnbaum)
			rv.RAW = math.Max(rv.RAW, f.RAW)
			if f.RRW == nil {
				infinite = true
			} else if rv.RRW == nil || *f.RRW > *rv.RRW {
				x := *f.RRW
				rv.RRW = &x
			}
		}
		if infinite {
			rv.RRW = nil
		}
		v.Vendors = append(v.Vendors, *rv)
	}
	sort.Slice(v.Vendors, func(i, j int) bool {
		a, b := &v.Vendors[i], &v.Vendors[j]
		if x, y := sig(a.FussellVesely), sig(b.FussellVesely); x != y {
			return x > y
		}
		if x, y := sig(a.Birnbaum), sig(b.Birnbaum); x != y {
			return x > y
		}
		if x, y := sig(a.RAW), sig(b.RAW); x != y {
			return x > y
		}
		return a.Vendor < b.Vendor
	})
	for i := range v.Vendors {
		v.Vendors[i].Rank = i + 1
	}
	v.VendorsTotal = len(v.Vendors)
	return v
}

// sig rounds x to six significant digits, so that values equal but for
// rounding noise compare equal.
func sig(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	e := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*e) / e
}
