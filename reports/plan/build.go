package plan

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
)

// OverviewFile is the file name, without extension, of the overview plan.
const OverviewFile = "00-overview"

// Build makes the view model of a plan set from a valid map and the
// analysis results (see assess.Gather): the overview of the minimum viable
// company, one plan per critical partner (every vendor whose outage alone
// stops a function, and every member of an order-2 cut set of a core
// function; or the vendors cfg.Vendors names), and a summary of every
// vendor. It arranges results and computes no analysis: every time,
// breach and loss comes from the time lines in a.Outcomes. Errors: a nil
// map or partner report, unknown or non-vendor ids in cfg.Vendors, and a
// scenario whose time line is missing from a.Outcomes.
func Build(m *graph.Map, a *assess.Analyses, cfg Config) (*Book, error) {
	if m == nil {
		return nil, errors.New("plan: no map")
	}
	if a == nil || a.Partners == nil {
		return nil, errors.New("plan: no critical partner analysis")
	}
	bd := newBuilder(m, a, cfg)
	bk := &Book{
		Name: cmp.Or(cfg.Name, m.Name), Currency: cmp.Or(cfg.Currency, m.Currency),
		CrisisLead: strings.TrimSpace(cfg.CrisisLead), Spokesperson: strings.TrimSpace(cfg.Spokesperson),
		DefaultOutage: bd.outage, ReviewsJudged: a.Gaps != nil && !a.ReviewsAsOf.IsZero(),
	}
	bk.Notes = append(bk.Notes, a.Notes...)
	if a.CutSets == nil {
		bk.Notes = append(bk.Notes, "no cut sets were computed: the critical partners are the single points of failure only")
	}

	chosen, err := bd.choose(cfg.Vendors)
	if err != nil {
		return nil, err
	}
	for _, v := range chosen {
		p, err := bd.plan(v)
		if err != nil {
			return nil, err
		}
		bk.Plans = append(bk.Plans, p)
	}
	slices.SortStableFunc(bk.Plans, comparePlans)
	files := map[string]bool{OverviewFile: true}
	for _, p := range bk.Plans {
		p.File = uniqueFile("plan-"+fileSafe(p.Vendor.ID), files)
	}

	bk.Overview = bd.overview(bk.Plans)
	if bk.Vendors, err = bd.vendors(bk.Plans); err != nil {
		return nil, err
	}
	return bk, nil
}

// comparePlans orders plans most urgent first (see Book.Plans).
func comparePlans(a, b *Plan) int {
	if x, y := a.Alone.Stops(), b.Alone.Stops(); x != y {
		if x {
			return -1
		}
		return 1
	}
	ab, bb := a.Main.FirstBreach, b.Main.FirstBreach
	switch {
	case ab != nil && bb == nil:
		return -1
	case ab == nil && bb != nil:
		return 1
	case ab != nil && bb != nil && ab.At != bb.At:
		return cmp.Compare(ab.At, bb.At)
	}
	if c := cmp.Compare(coreStopped(b.Main), coreStopped(a.Main)); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Main.LossWith, a.Main.LossWith); c != 0 {
		return c
	}
	if c := strings.Compare(a.Vendor.Name, b.Vendor.Name); c != 0 {
		return c
	}
	return strings.Compare(a.Vendor.ID, b.Vendor.ID)
}

func coreStopped(s *Scenario) int {
	n := 0
	for _, f := range s.Functions {
		if f.Tier == graph.TierCore {
			n++
		}
	}
	return n
}

type builder struct {
	m      *graph.Map
	a      *assess.Analyses
	cfg    Config
	outage graph.Duration
	// depth per node index: the most nodes on a requirement path down to
	// a node that needs nothing (a cycle counts as one level).
	depth []int
	// spof[v]: the functions vendor v stops alone; cut[v]: its order-2 cut
	// sets of core functions, as (function, other vendor).
	spof    map[string][]string
	cut     map[string][][2]string
	hidden  map[string]*partners.Hidden
	reviews map[string]string
}

func newBuilder(m *graph.Map, a *assess.Analyses, cfg Config) *builder {
	bd := &builder{m: m, a: a, cfg: cfg, outage: cfg.DefaultOutage,
		spof: map[string][]string{}, cut: map[string][][2]string{}, hidden: map[string]*partners.Hidden{},
		reviews: map[string]string{}}
	if bd.outage <= 0 {
		bd.outage = assess.DefaultOutage
	}
	c := graph.Compile(m, graph.CompileOptions{})
	depth := make([]int, c.N())
	comp := make([]int, c.N())
	sccs := c.SCCs()
	for i, cs := range sccs {
		for _, v := range cs {
			comp[v] = i
		}
	}
	for i, cs := range sccs { // suppliers first
		d := 0
		for _, v := range cs {
			for _, u := range c.Inputs(v) {
				if comp[u] == i {
					continue
				}
				step := 1
				if c.IsGate(u) {
					step = 0
				}
				d = max(d, depth[u]+step)
			}
		}
		for _, v := range cs {
			depth[v] = d
		}
	}
	bd.depth = depth[:len(m.Nodes)]
	if a.Partners != nil {
		for _, p := range a.Partners.CriticalPartners {
			bd.spof[p.Vendor] = p.Halts
		}
		for i := range a.Partners.HiddenSuppliers {
			h := &a.Partners.HiddenSuppliers[i]
			bd.hidden[h.Vendor] = h
		}
	}
	if a.CutSets != nil {
		for _, t := range a.CutSets.Targets {
			for _, s := range t.CutSets {
				if len(s) != 2 {
					continue
				}
				bd.cut[s[0]] = append(bd.cut[s[0]], [2]string{t.ID, s[1]})
				bd.cut[s[1]] = append(bd.cut[s[1]], [2]string{t.ID, s[0]})
			}
		}
	}
	if a.Gaps != nil {
		for _, r := range a.Gaps.Reviews {
			bd.reviews[r.Vendor] = string(r.Status)
		}
	}
	return bd
}

// ref names the node with the given id; an unknown id names itself.
func (bd *builder) ref(id string) Ref {
	n := bd.m.Node(id)
	if n == nil {
		return Ref{ID: id, Name: id, Short: id}
	}
	return Ref{ID: id, Name: n.Label(), Short: short(n.Label()), Kind: n.Kind}
}

func (bd *builder) refs(ids []string) []Ref {
	out := make([]Ref, len(ids))
	for i, id := range ids {
		out[i] = bd.ref(id)
	}
	return out
}

// short is a label without a trailing parenthesis: "Cardwise Europe" for
// "Cardwise Europe (issuer processing, hot standby)".
func short(label string) string {
	if strings.HasSuffix(label, ")") {
		if i := strings.LastIndex(label, " ("); i > 0 {
			return label[:i]
		}
	}
	return label
}

// tierRank orders tiers core, important, supporting, then none.
func tierRank(t graph.Tier) int {
	if t == graph.TierNone {
		return 4
	}
	return int(t)
}

// byTierName sorts function refs by tier, then name, then id.
func (bd *builder) byTierName(rs []Ref) {
	slices.SortStableFunc(rs, func(a, b Ref) int {
		if c := cmp.Compare(tierRank(bd.tier(a.ID)), tierRank(bd.tier(b.ID))); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
}

func (bd *builder) tier(id string) graph.Tier {
	if n := bd.m.Node(id); n != nil {
		return n.Tier
	}
	return graph.TierNone
}

// choose lists the vendors to plan for, in the order of the analyses.
func (bd *builder) choose(named []string) ([]*graph.Node, error) {
	var out []*graph.Node
	seen := map[string]bool{}
	add := func(n *graph.Node) {
		if !seen[n.ID] {
			seen[n.ID] = true
			out = append(out, n)
		}
	}
	if len(named) > 0 {
		var unknown, notVendor []string
		for _, id := range named {
			n := bd.vendorByName(id)
			switch {
			case n == nil && bd.m.Node(id) != nil:
				notVendor = append(notVendor, id)
			case n == nil:
				unknown = append(unknown, id)
			default:
				add(n)
			}
		}
		if len(unknown) > 0 {
			if _, err := impact.Static(bd.m, unknown, impact.Options{}); err != nil {
				return nil, fmt.Errorf("plan: %w", err)
			}
			return nil, fmt.Errorf("plan: unknown vendor %q", unknown[0])
		}
		if len(notVendor) > 0 {
			return nil, fmt.Errorf("plan: %q is a %s, not a vendor; plans are written for vendors", notVendor[0], bd.m.Node(notVendor[0]).Kind)
		}
		return out, nil
	}
	for _, p := range bd.a.Partners.CriticalPartners {
		if n := bd.m.Node(p.Vendor); n != nil {
			add(n)
		}
	}
	if bd.a.CutSets != nil {
		for _, t := range bd.a.CutSets.Targets {
			for _, s := range t.CutSets {
				if len(s) != 2 {
					continue
				}
				for _, id := range s {
					if n := bd.m.Node(id); n != nil && n.Kind == graph.KindVendor {
						add(n)
					}
				}
			}
		}
	}
	return out, nil
}

// vendorByName finds a vendor by id or alias.
func (bd *builder) vendorByName(id string) *graph.Node {
	if n := bd.m.Node(id); n != nil {
		if n.Kind == graph.KindVendor {
			return n
		}
		return nil
	}
	for _, n := range bd.m.Nodes {
		if n.Kind == graph.KindVendor && slices.Contains(n.Aliases, id) {
			return n
		}
	}
	return nil
}

// outcome looks up a scenario's time lines.
func (bd *builder) outcome(down []string, d graph.Duration) (*assess.Outcome, error) {
	o := bd.a.Outcome(down, d)
	if o == nil || o.Without == nil || o.With == nil {
		return nil, fmt.Errorf("plan: no time line for %s down for %s; run assess.Gather, or add it with assess.RunOutcome", strings.Join(down, " and "), d)
	}
	return o, nil
}

func (bd *builder) owner(n *graph.Node) string {
	if n == nil {
		return ""
	}
	if n.Owner != "" {
		return n.Owner
	}
	return strings.TrimSpace(n.Attrs["relationship_owner"])
}

func contractOf(n *graph.Node) *Contract {
	if n == nil || n.Contract == nil {
		return nil
	}
	c := n.Contract
	return &Contract{Ref: c.Ref, SLA: c.SLA, Notice: c.Notice, ExitPlan: strings.TrimSpace(c.ExitPlan),
		Substitutability: c.Substitutability, Reviewed: c.Reviewed, AnnualFee: c.AnnualFee, LiabilityCap: c.LiabilityCap}
}

func exposure(o *assess.Outcome, s *Scenario, c *Contract) Exposure {
	e := Exposure{Outage: o.Duration, LossWithout: s.LossWithout, LossWith: s.LossWith}
	if c != nil {
		e.Cap = c.LiabilityCap
	}
	e.Uncovered = max(0, e.LossWith-e.Cap)
	e.UncoveredWithout = max(0, e.LossWithout-e.Cap)
	return e
}

// plan builds the plan of vendor v.
func (bd *builder) plan(v *graph.Node) (*Plan, error) {
	out := assess.TypicalOutage(v, bd.outage)
	p := &Plan{Vendor: bd.ref(v.ID), Service: strings.TrimSpace(v.Attrs["service"]), LEI: v.LEI, Country: v.Country,
		Parent: v.Parent, Outage: out, OutageGiven: v.OutageDuration != nil && *v.OutageDuration > 0,
		Owner: bd.owner(v), Contacts: slices.Clone(v.Contacts), Contract: contractOf(v), Review: bd.reviews[v.ID]}
	sup := bd.a.Supports[v.ID]
	p.Fourth = p.Contract == nil && len(sup.Direct) == 0 && len(sup.Through) > 0
	if h := bd.hidden[v.ID]; h != nil {
		for _, id := range h.Through {
			n := bd.m.Node(id)
			p.Through = append(p.Through, &Contactable{Vendor: bd.ref(id), Owner: bd.owner(n), Contacts: contactsOf(n)})
		}
	}

	// Why it is critical.
	fs := bd.refs(bd.spof[v.ID])
	bd.byTierName(fs)
	for _, f := range fs {
		p.Reasons = append(p.Reasons, Reason{Kind: SinglePoint, Function: f})
	}
	cuts := bd.cutReasons(v.ID)
	p.Reasons = append(p.Reasons, cuts...)
	if len(p.Reasons) == 0 {
		p.Reasons = append(p.Reasons, Reason{Kind: Named})
	}

	o, err := bd.outcome([]string{v.ID}, out)
	if err != nil {
		return nil, err
	}
	p.Alone = bd.scenario(o)
	p.Exposure = exposure(o, p.Alone, p.Contract)
	var withs []string
	for _, r := range cuts {
		if !slices.Contains(withs, r.With.ID) {
			withs = append(withs, r.With.ID)
		}
	}
	for _, w := range withs {
		o, err := bd.outcome([]string{v.ID, w}, out)
		if err != nil {
			return nil, err
		}
		s := bd.scenario(o)
		// The partner first: "Paylane and Cardwise are down together".
		slices.SortStableFunc(s.Down, func(a, b Ref) int { return b2i(a.ID != v.ID) - b2i(b.ID != v.ID) })
		for i := range s.Gaps {
			s.Gaps[i].Down = s.Down
		}
		p.Joint = append(p.Joint, s)
	}
	p.Main = p.Alone
	if !p.Alone.Stops() {
		for _, s := range p.Joint {
			if s.Stops() && (!p.Main.Stops() || earlier(s, p.Main)) {
				p.Main = s
			}
		}
	}

	for _, s := range append([]*Scenario{p.Alone}, p.Joint...) {
		for _, g := range s.Gaps {
			if !slices.ContainsFunc(p.Gaps, func(h Gap) bool { return sameGap(g, h) }) {
				p.Gaps = append(p.Gaps, g)
			}
		}
	}
	switch c := p.Contract; {
	case c == nil:
		p.Gaps = append(p.Gaps, Gap{Kind: NoContract})
	default:
		if c.ExitPlan == "" || strings.EqualFold(c.ExitPlan, "tbd") {
			p.Gaps = append(p.Gaps, Gap{Kind: NoExitPlan})
		}
		if strings.EqualFold(c.Substitutability, "none") {
			p.Gaps = append(p.Gaps, Gap{Kind: NoSubstitute})
		}
	}
	if p.Exposure.Uncovered > 0 {
		p.Gaps = append(p.Gaps, Gap{Kind: Uncovered, Amount: p.Exposure.Uncovered})
	}
	if p.Review != "" && p.Review != "future" {
		p.Gaps = append(p.Gaps, Gap{Kind: ReviewDue, Status: p.Review})
	}
	if p.Owner == "" && !p.Fourth {
		p.Gaps = append(p.Gaps, Gap{Kind: NoOwner})
	}
	if len(p.Contacts) == 0 {
		p.Gaps = append(p.Gaps, Gap{Kind: NoContacts})
	}
	return p, nil
}

func sameGap(a, b Gap) bool {
	return a.Kind == b.Kind && a.Function.ID == b.Function.ID && a.Fallback.ID == b.Fallback.ID
}

// earlier reports whether scenario a breaches (or, without breaches,
// stops something) before b.
func earlier(a, b *Scenario) bool {
	switch {
	case a.FirstBreach != nil && b.FirstBreach == nil:
		return true
	case a.FirstBreach == nil && b.FirstBreach != nil:
		return false
	case a.FirstBreach != nil && a.FirstBreach.At != b.FirstBreach.At:
		return a.FirstBreach.At < b.FirstBreach.At
	}
	return firstStop(a) < firstStop(b)
}

func firstStop(s *Scenario) graph.Duration {
	best := graph.Duration(1<<63 - 1)
	for _, f := range s.Functions {
		if f.Halted != nil {
			best = min(best, *f.Halted)
		}
	}
	return best
}

func contactsOf(n *graph.Node) []graph.Contact {
	if n == nil {
		return nil
	}
	return slices.Clone(n.Contacts)
}

// cutReasons are vendor id's order-2 cut sets of core functions, by the
// other vendor's name, then tier and function name.
func (bd *builder) cutReasons(id string) []Reason {
	var out []Reason
	for _, c := range bd.cut[id] {
		out = append(out, Reason{Kind: CutSet, Function: bd.ref(c[0]), With: bd.ref(c[1])})
	}
	slices.SortStableFunc(out, func(a, b Reason) int {
		if c := cmp.Or(strings.Compare(a.With.Name, b.With.Name), strings.Compare(a.With.ID, b.With.ID)); c != 0 {
			return c
		}
		if c := cmp.Compare(tierRank(bd.tier(a.Function.ID)), tierRank(bd.tier(b.Function.ID))); c != 0 {
			return c
		}
		return strings.Compare(a.Function.Name, b.Function.Name)
	})
	return out
}

// fileSafe turns an id into a file name part: characters other than
// letters, digits, '.', '_' and '-' become '-'.
func fileSafe(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "vendor"
	}
	return s
}

// uniqueFile returns name, or name-2, name-3, ... when taken (case
// insensitively), and marks it taken.
func uniqueFile(name string, taken map[string]bool) string {
	try := name
	for i := 2; taken[strings.ToLower(try)]; i++ {
		try = fmt.Sprintf("%s-%d", name, i)
	}
	taken[strings.ToLower(try)] = true
	return try
}
