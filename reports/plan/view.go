package plan

import "github.com/lifeboat-dev/lifeboat/graph"

// Config are the workspace settings a plan set names.
type Config struct {
	// Name is the company's name; "" takes the map's.
	Name string
	// Currency is the map's currency code (EUR, USD, ...); "" takes the
	// map's, and amounts are then printed without one.
	Currency string
	// CrisisLead decides in a crisis (config crisis_lead); Spokesperson is
	// the single voice outside (config spokesperson). Empty ones are named
	// as gaps.
	CrisisLead, Spokesperson string
	// DefaultOutage is the outage assumed for a vendor without
	// outage_duration; 0 means DefaultOutage (24h). It must be the one the
	// analyses were gathered with.
	DefaultOutage graph.Duration
	// Vendors, when not empty, are the vendors (ids or aliases) to write
	// plans for, instead of every critical partner.
	Vendors []string
}

// Book is the view model of a set of fallback plans: the overview of the
// minimum viable company, one plan per critical partner, and a summary of
// every vendor for the register. Every renderer reads it and computes
// nothing; every list is in a stated, deterministic order.
type Book struct {
	Name, Currency           string
	CrisisLead, Spokesperson string
	DefaultOutage            graph.Duration
	// ReviewsJudged: contract reviews were judged against a date, so a
	// review without a status is current.
	ReviewsJudged bool
	Overview      Overview
	// Plans are the critical partners' plans, most urgent first: earliest
	// Partners that stop a function alone come first; within each
	// group, earliest tolerance breach (without fallbacks) in the plan's
	// main scenario, then most core functions stopped, then largest loss
	// with fallbacks, then name.
	Plans []*Plan
	// Vendors summarises every vendor of the map: the plans' partners in
	// the order of Plans, then every other vendor by name.
	Vendors []*VendorSummary
	// Notes say what the set leaves out, and why.
	Notes []string
}

// Ref names a node: its id and its label, and the label's short form (the
// label without a trailing parenthesis: "Cardwise Europe" for "Cardwise
// Europe (issuer processing, hot standby)").
type Ref struct {
	ID, Name, Short string
	Kind            graph.Kind
}

// Overview is the plan for the whole minimum viable company.
type Overview struct {
	// Functions are the MVC's functions: by tolerance (shortest first,
	// none last), then name.
	Functions []*MVCFunction
	// Supply is the smallest supply set; nil without the MVC analysis.
	Supply *Supply
	// Shed is what no MVC function needs; nil without the MVC analysis.
	Shed *Shed
	// Gaps are the open gaps of the map; nil without the gaps analysis.
	Gaps *Gaps
	// SinglePoints counts the partners that stop some function alone, and
	// CoreSinglePoints those that stop a core function alone; CutSetOnly
	// counts the partners in a plan only as members of an order-2 cut set.
	SinglePoints, CoreSinglePoints, CutSetOnly int
}

// MVCFunction is one function of the minimum viable company.
type MVCFunction struct {
	Ref
	Tier          graph.Tier
	Reason        string // core, required or alternative
	Owner         string
	Tolerance     *graph.Duration
	ImpactPerHour float64
	Fallbacks     []*Fallback
	// StoppedBy are the partners whose outage alone stops it, in the order
	// of Book.Plans.
	StoppedBy []Ref
}

// Supply is the smallest set of vendors that keeps the MVC up.
type Supply struct {
	Vendors    []SupplyVendor // by name
	Minimize   string         // vendors or cost
	Optimal    bool
	Gap        float64 // (value − lower bound) / value, when not optimal
	Cost       float64
	Ties       int  // other optimal sets listed by the analysis
	TiesListed bool // every alternative is listed
}

// SupplyVendor is one vendor of the supply set.
type SupplyVendor struct {
	Ref
	Cost     float64
	Required bool // in every supply set: its failure alone stops a target
}

// Shed lists, by name, what no MVC function depends on.
type Shed struct {
	Functions, Systems, Vendors []Ref
}

// Gaps are the map's open gaps that bear on the plans.
type Gaps struct {
	// NoExit: partners that stop a core function alone and have no exit
	// plan or no substitute.
	NoExit []NoExit
	// Responsibility: systems and vendors on a core path with nobody named
	// for a role.
	Responsibility []Responsibility
	// Reviews: contract reviews overdue, missing or unreadable.
	Reviews []Review
	// Recovery: functions whose rolled-up recovery exceeds their rto or
	// tolerance.
	Recovery []Recovery
}

// NoExit is a single point of failure without a way out.
type NoExit struct {
	Vendor                               Ref
	Core                                 []Ref
	NoContract, NoExitPlan, NoSubstitute bool
}

// Responsibility is a node on a core path with roles nobody holds.
type Responsibility struct {
	Node    Ref
	Missing []string // monitor, respond, repair
	Core    []Ref
}

// Review is a contract review that is not current.
type Review struct {
	Vendor      Ref
	Reviewed    string
	Status      string // overdue, missing, unparseable, future
	Due         string
	DaysOverdue int
}

// Recovery is a function whose worst-case recovery is too slow.
type Recovery struct {
	Function Ref
	Recovery graph.Duration
	Limit    graph.Duration
	LimitBy  string // rto or tolerance
	Chain    []Ref
}

// Plan is the fallback plan for one critical partner.
type Plan struct {
	Vendor Ref
	// File is the plan's file name without extension.
	File    string
	Service string // the vendor's attrs "service", if any
	LEI     string
	Country string
	Parent  string
	// Fourth: Northbank-style fourth party: no contract, and every
	// function reaches it only through other vendors.
	Fourth bool
	// Through are the vendors it is reached through, for a partner that
	// supports some function only through other vendors, with their
	// contacts: the way to reach a fourth party.
	Through []*Contactable
	// Reasons say why the partner is critical, single points first.
	Reasons []Reason
	// Outage is the typical outage modeled; OutageGiven is false when it
	// is Config.DefaultOutage.
	Outage      graph.Duration
	OutageGiven bool
	// Alone is the partner down alone for Outage; Joint are the partner
	// and each partner it shares an order-2 cut set of a core function
	// with, down together for Outage, in the order of Reasons.
	Alone *Scenario
	Joint []*Scenario
	// Main is the scenario the headline speaks of: Alone when it stops a
	// function, else the joint scenario with the earliest breach (or the
	// earliest stop); Alone when none stops anything.
	Main *Scenario
	// Owner is the internal owner of the relationship ("" when none is
	// named).
	Owner    string
	Contacts []graph.Contact
	Contract *Contract // nil: no contract terms
	// Review is the contract review's status from the gaps analysis, ""
	// when current or unknown.
	Review string
	// Exposure is the modeled loss of the typical outage alone against the
	// contract's liability cap.
	Exposure Exposure
	// Gaps are every gap the plan names, in the order found: each
	// scenario's, then the contract's.
	Gaps []Gap
}

// Contactable is a vendor and how to reach it.
type Contactable struct {
	Vendor   Ref
	Owner    string
	Contacts []graph.Contact
}

// ReasonKind says why a partner is critical.
type ReasonKind uint8

// The reasons.
const (
	// SinglePoint: the partner's outage alone stops the function.
	SinglePoint ReasonKind = iota + 1
	// CutSet: the partner and With together stop the core function (an
	// order-2 minimal cut set).
	CutSet
	// Named: the partner was asked for by name and is neither.
	Named
)

// Reason is one reason a partner is critical.
type Reason struct {
	Kind     ReasonKind
	Function Ref
	With     Ref // for CutSet
}

// Contract is a vendor's contract terms.
type Contract struct {
	Ref, SLA, Notice, ExitPlan, Substitutability, Reviewed string
	AnnualFee, LiabilityCap                                float64
}

// Exposure is a modeled loss against the liability cap.
type Exposure struct {
	Outage graph.Duration
	// LossWithout and LossWith are the modeled losses without and with
	// fallbacks, in the map's currency.
	LossWithout, LossWith float64
	// Cap is the liability cap (0 without contract or cap).
	Cap float64
	// Uncovered is LossWith beyond Cap, and UncoveredWithout LossWithout
	// beyond it.
	Uncovered, UncoveredWithout float64
}

// Scenario is one outage and what it does, without and with fallbacks.
type Scenario struct {
	// Down are the vendors (or other nodes) forced down, by name.
	Down     []Ref
	Duration graph.Duration
	// Horizon is the end of the time lines.
	Horizon graph.Duration
	// Functions are the functions that stop, by the moment they stop,
	// then tier, then name.
	Functions []*Impact
	// AlsoDown are the systems and vendors down without fallbacks, apart
	// from Down: by the moment they go down, then name.
	AlsoDown []Ref
	// Events is the time line, in time order.
	Events []Event
	// Recovery is the order in which to bring things back, without
	// fallbacks. From the recovery analysis (RecoveryPlanned): the steps
	// the stopped functions wait for, critical path first among equals,
	// then the functions, then what they do not wait for. Otherwise by the
	// moment each is back in the time line (never last), then suppliers
	// before what needs them, then name.
	Recovery        []RecoveryStep
	RecoveryPlanned bool
	// LossWithout and LossWith are the losses without and with fallbacks.
	LossWithout, LossWith float64
	// FirstBreach is the first tolerance breach without fallbacks, and
	// FirstBreachWith with them; nil when none.
	FirstBreach, FirstBreachWith *Breach
	// Gaps are the fallback gaps this scenario shows.
	Gaps []Gap
}

// Stops reports whether any function stops in the scenario.
func (s *Scenario) Stops() bool { return s != nil && len(s.Functions) > 0 }

// Breach is a function breaching its tolerance at a moment.
type Breach struct {
	At       graph.Duration
	Function Ref
}

// Impact is what one function goes through in a scenario.
type Impact struct {
	Ref
	Tier          graph.Tier
	Owner         string
	Tolerance     *graph.Duration
	ImpactPerHour float64
	// Without fallbacks: when it stops, breaches its tolerance and is back
	// (nil: never, or not within the horizon), how long it is down and
	// what that costs.
	Halted, Breach, Restored *graph.Duration
	DownTime                 graph.Duration
	Loss                     float64
	// With fallbacks: the same, and the spans a fallback carries it.
	WithHalted, WithBreach, WithRestored *graph.Duration
	WithDownTime                         graph.Duration
	WithLoss                             float64
	Carried                              []Carry
	// Fallbacks are the function's fallbacks and how each fares.
	Fallbacks []*Fallback
}

// Carry is a span in which a fallback keeps a function running.
type Carry struct {
	From     graph.Duration
	To       *graph.Duration // nil: to the horizon
	Fallback Ref
	Capacity float64
}

// Fallback is one fallback of a function, and how it fares in a scenario
// (the fields after Steps are zero outside one).
type Fallback struct {
	Ref
	Owner      string
	Activation graph.Duration
	Endurance  *graph.Duration // nil: unlimited
	Capacity   float64
	Requires   []Ref // the nodes its requirement names
	Steps      []string
	// Live is the first moment it keeps the function running; nil when it
	// never does.
	Live *graph.Duration
	// Ends is when it stops keeping it running, nil when it runs to the
	// horizon or never runs.
	Ends *graph.Duration
	// Activated: it was active at some moment.
	Activated bool
	// Blocked are the nodes its requirement names that are down while it
	// is active and does not hold.
	Blocked []Ref
	// DecideBy is the latest moment to start it so that it is live before
	// the tolerance runs out; nil without tolerance or when the function
	// does not stop. Negative: too late from the start.
	DecideBy *graph.Duration
}

// GapKind says what a gap is.
type GapKind uint8

// The gap kinds.
const (
	// NoFallback: a function stops and has no fallback.
	NoFallback GapKind = iota + 1
	// LateActivation: the fallback's activation is longer than the
	// function's tolerance.
	LateActivation
	// ShortEndurance: the fallback's endurance ends before the function
	// is back.
	ShortEndurance
	// FallbackBlocked: the fallback needs something the outage takes down.
	FallbackBlocked
	// BreachWithFallbacks: the function breaches its tolerance even with
	// its fallbacks.
	BreachWithFallbacks
	// NoExitPlan: the contract names no exit plan.
	NoExitPlan
	// NoSubstitute: nothing on the market replaces the partner.
	NoSubstitute
	// Uncovered: the modeled loss exceeds the liability cap.
	Uncovered
	// NoContract: there are no contract terms with the partner.
	NoContract
	// ReviewDue: the contract review is overdue, missing or unreadable.
	ReviewDue
	// NoOwner: no internal owner is named for the relationship.
	NoOwner
	// NoContacts: no escalation contact is known.
	NoContacts
)

// Gap is something a plan cannot rely on.
type Gap struct {
	Kind     GapKind
	Function Ref // for the fallback gaps
	Fallback Ref // for LateActivation, ShortEndurance, FallbackBlocked
	// At: the breach moment (BreachWithFallbacks), the end of the
	// fallback (ShortEndurance).
	At *graph.Duration
	// Need: the tolerance (LateActivation); how long the function is down
	// without fallbacks (ShortEndurance).
	Need *graph.Duration
	// Blocked are the nodes down that the fallback needs.
	Blocked []Ref
	// Amount is the uncovered loss (Uncovered).
	Amount float64
	// Status is the review status (ReviewDue).
	Status string
	// Down are the nodes down in the scenario of a fallback gap.
	Down []Ref
}

// EventKind says what happens at a moment of a scenario.
type EventKind uint8

// The event kinds, in the order events of one moment are listed.
const (
	PartnerDown        EventKind = iota + 1 // a forced outage starts
	FunctionStops                           // a function stops (without fallbacks)
	FallbackLive                            // a fallback keeps a function running
	Breached                                // a tolerance is breached even with fallbacks
	BreachAvoided                           // without fallbacks, a tolerance would be breached now
	FallbackEnds                            // a fallback stops before the function is back
	FunctionStopsAgain                      // with fallbacks, a function stops again
	PartnerBack                             // a forced node is up again
	FunctionBack                            // a function is back in full
)

// Event is one moment of a scenario's time line.
type Event struct {
	At       graph.Duration
	Kind     EventKind
	Subject  Ref
	Fallback Ref // FallbackLive, FallbackEnds, BreachAvoided
	Capacity float64
	// Tolerance of the function, for the breach events.
	Tolerance *graph.Duration
}

// RecoveryStep is one node coming back.
type RecoveryStep struct {
	Ref
	// Back is the moment it is up again; nil when not within the horizon.
	Back *graph.Duration
	// Restore is the node's declared restore time, if any.
	Restore *graph.Duration
	// Critical: the step is on the critical path of the recovery. Later:
	// no stopped function waits for it.
	Critical, Later bool
}

// VendorSummary is one vendor's row of the register.
type VendorSummary struct {
	Ref
	LEI, Country, Parent string
	// Plan is the vendor's plan, nil when it has none.
	Plan *Plan
	// Direct and Through are the functions it supports (see Support).
	Direct, Through []Ref
	// SinglePointFor are the functions its outage alone stops.
	SinglePointFor []Ref
	// CutSets are the order-2 cut sets of core functions it is in.
	CutSets []Reason
	// Outage is its typical outage, OutageGiven false when assumed.
	Outage      graph.Duration
	OutageGiven bool
	// FirstBreach and FirstBreachWith are the first tolerance breaches of
	// the typical outage alone, without and with fallbacks.
	FirstBreach, FirstBreachWith *Breach
	Exposure                     Exposure
	Contract                     *Contract
	Review                       string // the review status, "" when current or unknown
	Owner                        string
	Contacts                     []graph.Contact
}
