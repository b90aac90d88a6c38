package view

import (
	"sort"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
)

// MVC is the view of `lifeboat mvc`: the minimum viable company's
// functions and why each is in, the smallest supply set that keeps them
// up with its proof of optimality and the sets that tie with it, and
// what can be shed in a crisis. JSON contract:
//
//	{"fallbacks": false, "targets": ["card-payments"],
//	 "functions": [{"id", "name", "tier", "reason", "via"}],
//	 "supply": {"minimize": "vendors", "vendors": [{"id", "name", "cost", "priced", "required"}],
//	            "size": 15, "cost": 13585000, "optimal": true, "gap": 0, "ties": [...]},
//	 "shed": {"functions": [], "systems": [], "vendors": []}, "names": {}}
//
// plus the fields documented below.
type MVC struct {
	Map       MapInfo `json:"map"`
	Fallbacks bool    `json:"fallbacks"`
	// Targets are the functions that must keep running (the core
	// functions, or those asked for), sorted by id.
	Targets []string `json:"targets"`
	// Functions is the MVC function set, sorted by id: the targets and
	// every function they need.
	Functions []MVCFunction `json:"functions"`
	Supply    MVCSupply     `json:"supply"`
	Shed      MVCShed       `json:"shed"`
	// Names maps every id in Targets, Functions (their Via chains
	// included), Supply and Shed to its name (the id when it has none).
	Names map[string]string `json:"names"`
}

// MVCFunction is one function of the MVC and why it is in.
type MVCFunction struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Tier string `json:"tier"`
	// Reason is "core" (a target), "required" (its failure alone halts a
	// target) or "alternative" (a target reaches it only through a
	// redundancy group or a fallback).
	Reason string `json:"reason"`
	// Via is the chain of ids from the target that needs the function to
	// the function itself; [id] for a target.
	Via []string `json:"via"`
}

// MVCSupply is the smallest set of vendors that keeps every target up.
type MVCSupply struct {
	// Minimize is what was minimised: "vendors" (their number) or "cost"
	// (their summed cost, then their number).
	Minimize string `json:"minimize"`
	// CostAttr is where a vendor's cost comes from: "annual_fee" (the
	// contract's) or the attribute named by --cost-attr.
	CostAttr string `json:"cost_attr"`
	// Vendors is the chosen set, sorted by id.
	Vendors []MVCVendor `json:"vendors"`
	// Size is the number of vendors in the set.
	Size int `json:"size"`
	// Value is what was minimised (Size, or Cost); LowerBound a value no
	// supply set goes below; Gap (Value − LowerBound) / Value, 0 when
	// Optimal.
	Value      float64 `json:"value"`
	LowerBound float64 `json:"lower_bound"`
	Gap        float64 `json:"gap"`
	// Cost is the summed cost of Vendors, in the map's currency,
	// whatever was minimised; unpriced vendors count 0.
	Cost float64 `json:"cost"`
	// Optimal: the search completed, so no supply set is smaller.
	// Canonical: Vendors is the lexicographically first optimal set.
	Optimal   bool `json:"optimal"`
	Canonical bool `json:"canonical"`
	// Ties are other optimal sets, each a change to Vendors: remove out,
	// add in. Ties of different groups combine freely; at most one tie
	// per group applies at a time. Sorted by group.
	Ties []MVCTie `json:"ties"`
	// TiesComplete: Ties lists every alternative.
	TiesComplete bool `json:"ties_complete"`
	// Unpriced lists the candidate vendors without a cost, sorted.
	Unpriced []string  `json:"unpriced"`
	Search   MVCSearch `json:"search"`
}

// MVCVendor is one vendor of the supply set.
type MVCVendor struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	Cost float64 `json:"cost"`
	// Priced: the vendor has a cost; without one Cost is 0.
	Priced bool `json:"priced"`
	// Required: the vendor is in every supply set, since its failure
	// alone halts a target.
	Required bool `json:"required"`
}

// MVCTie turns the supply set into another optimal one.
type MVCTie struct {
	Group int      `json:"group"`
	Out   []string `json:"out"`
	In    []string `json:"in"`
}

// MVCSearch describes the supply search.
type MVCSearch struct {
	Candidates int   `json:"candidates"`
	Forced     int   `json:"forced"`
	Groups     int   `json:"groups"`
	Open       int   `json:"open"`
	Nodes      int64 `json:"nodes"`
	// Stopped says why the search ended: completed, time_limit,
	// node_limit or canceled.
	Stopped string `json:"stopped"`
	// TimeLimit is the limit the search ran under, like "30s"; "" for
	// none.
	TimeLimit string `json:"time_limit"`
}

// MVCShed lists what no target depends on, each list sorted by id.
type MVCShed struct {
	Functions []string `json:"functions"`
	Systems   []string `json:"systems"`
	Vendors   []string `json:"vendors"`
}

// MVCOptions are the settings an MVC view reports beside the result.
type MVCOptions struct {
	Fallbacks bool
	// CostAttr is the attribute costs were read from; "" for the
	// contract's annual fee.
	CostAttr  string
	TimeLimit time.Duration
}

// NewMVC builds the MVC view of r, computed on m.
func NewMVC(m *graph.Map, r *mvc.Result, opt MVCOptions) *MVC {
	v := &MVC{
		Map:       mapInfo(m),
		Fallbacks: opt.Fallbacks,
		Targets:   sortedCopy(r.Targets),
		Functions: make([]MVCFunction, 0, len(r.Functions)),
		Names:     map[string]string{},
	}
	name := func(id string) {
		if _, ok := v.Names[id]; !ok {
			v.Names[id] = label(m, id)
		}
	}
	for _, id := range v.Targets {
		name(id)
	}
	for _, f := range r.Functions {
		vf := MVCFunction{ID: f.ID, Name: f.Name, Tier: f.Tier.String(), Reason: f.Reason.String(), Via: strs(append([]string(nil), f.Via...))}
		if vf.Name == "" {
			vf.Name = label(m, f.ID)
		}
		v.Functions = append(v.Functions, vf)
		name(f.ID)
		for _, id := range f.Via {
			name(id)
		}
	}
	sort.SliceStable(v.Functions, func(i, j int) bool { return v.Functions[i].ID < v.Functions[j].ID })

	s := r.Supply
	costAttr := opt.CostAttr
	if costAttr == "" {
		costAttr = "annual_fee"
	}
	unpriced := sortedCopy(s.Unpriced)
	v.Supply = MVCSupply{
		Minimize: s.Minimize.String(), CostAttr: costAttr,
		Vendors: make([]MVCVendor, 0, len(s.Vendors)), Size: len(s.Vendors),
		Value: s.Value, LowerBound: s.LowerBound, Gap: s.Gap, Cost: s.Cost,
		Optimal: s.Optimal, Canonical: s.Canonical,
		Ties: make([]MVCTie, 0, len(s.Ties)), TiesComplete: s.TiesComplete,
		Unpriced: unpriced,
		Search: MVCSearch{
			Candidates: s.Stats.Candidates, Forced: s.Stats.Forced, Groups: s.Stats.Groups, Open: s.Stats.Open,
			Nodes: s.Stats.Nodes, Stopped: strings.ReplaceAll(s.Stats.Stopped.String(), " ", "_"),
		},
	}
	if opt.TimeLimit > 0 {
		v.Supply.Search.TimeLimit = graph.Duration(opt.TimeLimit).String()
	}
	for _, x := range s.Vendors {
		i := sort.SearchStrings(unpriced, x.ID)
		priced := i == len(unpriced) || unpriced[i] != x.ID
		name := x.Name
		if name == "" {
			name = label(m, x.ID)
		}
		v.Supply.Vendors = append(v.Supply.Vendors, MVCVendor{ID: x.ID, Name: name, Cost: x.Cost, Priced: priced, Required: x.Required})
		v.Names[x.ID] = name
	}
	sort.SliceStable(v.Supply.Vendors, func(i, j int) bool { return v.Supply.Vendors[i].ID < v.Supply.Vendors[j].ID })
	for _, t := range s.Ties {
		vt := MVCTie{Group: t.Group, Out: sortedCopy(t.Out), In: sortedCopy(t.In)}
		for _, id := range vt.Out {
			name(id)
		}
		for _, id := range vt.In {
			name(id)
		}
		v.Supply.Ties = append(v.Supply.Ties, vt)
	}
	sort.SliceStable(v.Supply.Ties, func(i, j int) bool { return v.Supply.Ties[i].Group < v.Supply.Ties[j].Group })
	for _, id := range unpriced {
		name(id)
	}
	v.Shed = MVCShed{Functions: sortedCopy(r.Shed.Functions), Systems: sortedCopy(r.Shed.Systems), Vendors: sortedCopy(r.Shed.Vendors)}
	for _, l := range [][]string{v.Shed.Functions, v.Shed.Systems, v.Shed.Vendors} {
		for _, id := range l {
			name(id)
		}
	}
	return v
}

// Name is id's name as the view knows it, else id.
func (v *MVC) Name(id string) string {
	if n, ok := v.Names[id]; ok && n != "" {
		return n
	}
	return id
}

// MVCRecovery is the view of `lifeboat mvc --recover`: the order in which to
// bring nodes back after an outage so that the MVC is up again soonest,
// with the times of the outage's time line. Durations are written like
// "2h30m" (graph.Duration.String). JSON contract:
//
//	{"outages": [{"id", "name", "start", "duration"}], "horizon": "7d",
//	 "targets": [...], "functions": [{"id", "name", "halted_at", "restored_at"}],
//	 "halted": true, "restored_at": "6h",
//	 "steps": [{"order", "id", "name", "kind", "failed", "down_at", "ready_at",
//	            "up_at", "restore", "after", "critical"}],
//	 "critical_path": [...], "later": [...], "names": {}}
type MVCRecovery struct {
	Map       MapInfo `json:"map"`
	Fallbacks bool    `json:"fallbacks"`
	// Outages are the scenario's outages, in the order given.
	Outages []MVCRecoveryOutage `json:"outages"`
	// Horizon is the end of the time line; Settled: nothing changes
	// after it.
	Horizon string `json:"horizon"`
	Settled bool   `json:"settled"`
	// Targets are the functions to restore, sorted by id.
	Targets []string `json:"targets"`
	// Functions are the targets that go down, sorted by id.
	Functions []MVCRecoveryFunction `json:"functions"`
	// Halted: some target goes down. RestoredAt is when the last of them
	// is up again; null when one is not by the horizon, or none halts.
	Halted     bool    `json:"halted"`
	RestoredAt *string `json:"restored_at"`
	// Steps are the nodes the targets wait for, in the order to bring
	// them back.
	Steps []MVCRecoveryStep `json:"steps"`
	// CriticalPath is the chain of ids that decides RestoredAt, from the
	// node whose outage ends last to the last target restored.
	CriticalPath []string `json:"critical_path"`
	// Later lists, sorted, the nodes that go down but that no target
	// waits for: they can come back after the MVC.
	Later []string `json:"later"`
	// Names maps every id the view lists to its name.
	Names map[string]string `json:"names"`

	RestoredAtD *graph.Duration `json:"-"`
}

// MVCRecoveryOutage is one node forced down.
type MVCRecoveryOutage struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Start string `json:"start"`
	// Duration is null for an outage that never ends.
	Duration *string `json:"duration"`
}

// MVCRecoveryFunction is when a target goes down and comes back.
type MVCRecoveryFunction struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	HaltedAt string `json:"halted_at"`
	// RestoredAt is null when the function is not up again by the
	// horizon.
	RestoredAt *string `json:"restored_at"`
}

// MVCRecoveryStep is one node to bring back.
type MVCRecoveryStep struct {
	// Order counts the steps from 1.
	Order int    `json:"order"`
	ID    string `json:"id"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	// Failed: an outage of the scenario names the node.
	Failed bool   `json:"failed"`
	DownAt string `json:"down_at"`
	// ReadyAt is when the node's requirement holds again; null when not
	// by the horizon.
	ReadyAt *string `json:"ready_at"`
	// UpAt is when the node is up again; null when not by the horizon.
	UpAt *string `json:"up_at"`
	// Restore is the node's restore time.
	Restore string `json:"restore"`
	// After lists, sorted, the steps the node waits for.
	After []string `json:"after"`
	// Critical: the step is on the critical path.
	Critical bool `json:"critical"`

	UpAtD *graph.Duration `json:"-"`
}

// NewMVCRecovery builds the recovery view of r, computed on m.
func NewMVCRecovery(m *graph.Map, r *mvc.Recovery, fallbacks bool) *MVCRecovery {
	v := &MVCRecovery{
		Map:          mapInfo(m),
		Fallbacks:    fallbacks,
		Outages:      make([]MVCRecoveryOutage, 0, len(r.Outages)),
		Horizon:      r.Horizon.String(),
		Settled:      r.Settled,
		Targets:      sortedCopy(r.Targets),
		Functions:    make([]MVCRecoveryFunction, 0, len(r.Functions)),
		Halted:       r.Halted,
		RestoredAt:   durStr(r.RestoredAt),
		RestoredAtD:  r.RestoredAt,
		Steps:        make([]MVCRecoveryStep, 0, len(r.Steps)),
		CriticalPath: strs(append([]string(nil), r.CriticalPath...)),
		Later:        sortedCopy(r.Later),
		Names:        map[string]string{},
	}
	name := func(id string) string {
		n, ok := v.Names[id]
		if !ok {
			n = label(m, id)
			v.Names[id] = n
		}
		return n
	}
	for _, o := range r.Outages {
		vo := MVCRecoveryOutage{ID: o.ID, Name: name(o.ID), Start: o.Start.String()}
		if !o.Forever {
			vo.Duration = durStr(o.Duration.Ptr())
		}
		v.Outages = append(v.Outages, vo)
	}
	for _, id := range v.Targets {
		name(id)
	}
	for _, f := range r.Functions {
		n := f.Name
		if n == "" {
			n = name(f.ID)
		}
		v.Names[f.ID] = n
		v.Functions = append(v.Functions, MVCRecoveryFunction{ID: f.ID, Name: n, HaltedAt: f.HaltedAt.String(), RestoredAt: durStr(f.RestoredAt)})
	}
	sort.SliceStable(v.Functions, func(i, j int) bool { return v.Functions[i].ID < v.Functions[j].ID })
	for i, s := range r.Steps {
		v.Steps = append(v.Steps, MVCRecoveryStep{
			Order: i + 1, ID: s.ID, Name: name(s.ID), Kind: s.Kind.String(), Failed: s.Failed,
			DownAt: s.DownAt.String(), ReadyAt: durStr(s.ReadyAt), UpAt: durStr(s.UpAt), UpAtD: s.UpAt,
			Restore: s.Restore.String(), After: sortedCopy(s.After), Critical: s.Critical,
		})
		for _, id := range s.After {
			name(id)
		}
	}
	for _, l := range [][]string{v.CriticalPath, v.Later} {
		for _, id := range l {
			name(id)
		}
	}
	return v
}

// Name is id's name as the view knows it, else id.
func (v *MVCRecovery) Name(id string) string {
	if n, ok := v.Names[id]; ok && n != "" {
		return n
	}
	return id
}
