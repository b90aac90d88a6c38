package view

import (
	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
)

// Simulate is the view of `lifeboat simulate`: the Monte Carlo of vendor
// outages over many years. Money is in the map's currency, per year;
// frequencies are fractions of the simulated years. JSON:
//
//	{"years": 100000, "seed": 1, "fallbacks": false, "sigma": 0.5,
//	 "total": {"mean", "std_err", "p50", "p95", "p99", "max"},
//	 "functions": [{"id", "name", "tier", "loss": {...},
//	                "halt_frequency", "breach_frequency", ...}],
//	 "vendors": [{"id", "name", "probability", "median_outage", ...}],
//	 "tail": {"quantile", "threshold", "years", "loss",
//	          "scenarios": [{"vendors", "years", "loss", "share"}]}}
type Simulate struct {
	Map   MapInfo `json:"map"`
	Years int     `json:"years"`
	Seed  uint64  `json:"seed"`
	// Fallbacks: fallbacks took part in the time lines.
	Fallbacks bool `json:"fallbacks"`
	// Sigma is the spread of outage lengths (the standard deviation of
	// their logarithm; lengths are lognormal around each vendor's
	// outage_duration); 0 with fixed lengths.
	Sigma float64 `json:"sigma"`
	// DefaultOutage is the median outage of a vendor without
	// outage_duration.
	DefaultOutage string `json:"default_outage"`
	// Horizon is how long each outage's consequences are followed.
	Horizon string `json:"horizon"`
	// Total is the annual loss of all functions together.
	Total SimLoss `json:"total"`
	// Functions lists every function of the map, sorted by id.
	Functions []SimFunction `json:"functions"`
	// Vendors lists every vendor that can fail (probability above 0),
	// sorted by id.
	Vendors []SimVendor `json:"vendors"`
	// YearsWithOutage and YearsWithLoss count the years in which some
	// vendor failed, and in which the loss was not 0.
	YearsWithOutage int `json:"years_with_outage"`
	YearsWithLoss   int `json:"years_with_loss"`
	// Unrestored counts the years in which some node was still down at
	// the end of a time line.
	Unrestored int     `json:"unrestored"`
	Tail       SimTail `json:"tail"`
}

// SimLoss summarises an annual loss over the simulated years: the mean
// (expected annual loss) with its standard error, and nearest-rank
// quantiles of the per-year losses, years without loss included.
type SimLoss struct {
	Mean   float64 `json:"mean"`
	StdErr float64 `json:"std_err"`
	P50    float64 `json:"p50"`
	P95    float64 `json:"p95"`
	P99    float64 `json:"p99"`
	Max    float64 `json:"max"`
}

// SimFunction is one function's simulated losses and disruptions.
type SimFunction struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Tier          string  `json:"tier"`
	ImpactPerHour float64 `json:"impact_per_hour"`
	// Tolerance is the function's tolerance; null when it has none.
	Tolerance *string `json:"tolerance"`
	Loss      SimLoss `json:"loss"`
	// HaltFrequency is the fraction of years in which the function is
	// down at some moment; BreachFrequency, in which it breaches its
	// tolerance (0 without tolerance).
	HaltYears       int     `json:"halt_years"`
	HaltFrequency   float64 `json:"halt_frequency"`
	BreachYears     int     `json:"breach_years"`
	BreachFrequency float64 `json:"breach_frequency"`
}

// SimVendor is one vendor that can fail.
type SimVendor struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Probability float64 `json:"probability"`
	// MedianOutage is the median length of its outages: its
	// outage_duration, or the default (then DefaultOutage is true).
	MedianOutage  string `json:"median_outage"`
	DefaultOutage bool   `json:"default_outage"`
	// Failures is the number of simulated years in which it failed.
	Failures int `json:"failures"`
}

// SimTail is what drives the worst years: those whose total loss is
// positive and at least Threshold, the Quantile quantile.
type SimTail struct {
	Quantile  float64 `json:"quantile"`
	Threshold float64 `json:"threshold"`
	Years     int     `json:"years"`
	Loss      float64 `json:"loss"`
	// Scenarios are the sets of vendors whose outages, acting together,
	// cost the tail years the most: by loss, then years, then ids.
	// Groups is how many there were before the list was cut.
	Scenarios []SimScenario `json:"scenarios"`
	Groups    int           `json:"groups"`
}

// SimScenario is one set of vendors failing together in tail years.
type SimScenario struct {
	Vendors []string `json:"vendors"` // sorted ids
	Names   []string `json:"names"`   // their names, in the same order
	Years   int      `json:"years"`
	Loss    float64  `json:"loss"`
	// Share is the fraction of the tail's loss that is theirs.
	Share float64 `json:"share"`
}

// NewSimulate builds the simulation view of r, a simulation run on m.
func NewSimulate(m *graph.Map, r *sim.Result) *Simulate {
	v := &Simulate{
		Map: mapInfo(m), Years: r.Years, Seed: r.Seed, Fallbacks: r.Fallbacks, Sigma: r.Sigma,
		DefaultOutage: r.DefaultDuration.String(), Horizon: r.Horizon.String(),
		Total:           simLoss(r.Total),
		Functions:       make([]SimFunction, 0, len(r.Functions)),
		Vendors:         make([]SimVendor, 0, len(r.Vendors)),
		YearsWithOutage: r.YearsWithOutage, YearsWithLoss: r.YearsWithLoss, Unrestored: r.Unrestored,
		Tail: SimTail{
			Quantile: r.Tail.Quantile, Threshold: r.Tail.Threshold, Years: r.Tail.Years, Loss: r.Tail.Loss,
			Scenarios: make([]SimScenario, 0, len(r.Tail.Scenarios)), Groups: r.Tail.Groups,
		},
	}
	names := map[string]string{}
	for _, vd := range r.Vendors {
		names[vd.ID] = vd.Name
		v.Vendors = append(v.Vendors, SimVendor{
			ID: vd.ID, Name: vd.Name, Probability: vd.Probability,
			MedianOutage: vd.Median.String(), DefaultOutage: vd.Default, Failures: vd.Failures,
		})
	}
	for _, f := range r.Functions {
		v.Functions = append(v.Functions, SimFunction{
			ID: f.ID, Name: f.Name, Tier: f.Tier.String(), ImpactPerHour: f.ImpactPerHour,
			Tolerance: durStr(f.Tolerance), Loss: simLoss(f.Loss),
			HaltYears: f.HaltYears, HaltFrequency: f.HaltFrequency,
			BreachYears: f.BreachYears, BreachFrequency: f.BreachFrequency,
		})
	}
	for _, s := range r.Tail.Scenarios {
		sc := SimScenario{Vendors: sortedCopy(s.Vendors), Years: s.Years, Loss: s.Loss, Share: s.Share}
		sc.Names = make([]string, len(sc.Vendors))
		for i, id := range sc.Vendors {
			if n := names[id]; n != "" {
				sc.Names[i] = n
			} else {
				sc.Names[i] = id
			}
		}
		v.Tail.Scenarios = append(v.Tail.Scenarios, sc)
	}
	return v
}

func simLoss(l sim.Loss) SimLoss {
	return SimLoss{Mean: l.Mean, StdErr: l.StdErr, P50: l.P50, P95: l.P95, P99: l.P99, Max: l.Max}
}
