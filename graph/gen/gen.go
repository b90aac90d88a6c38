package gen

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Options say what to generate. A zero field takes its default; a negative
// Redundancy, FourthParty, Depth, Cycles or Fallbacks switches that feature
// off.
//
// With the default density, Functions: 1000, Systems: 89000, Vendors: 10000
// gives the benchmark map of 100k nodes and about 1M requirement edges.
type Options struct {
	// Functions, Systems and Vendors are the exact numbers of nodes of each
	// kind; a negative count is 0.
	Functions, Systems, Vendors int
	// Seed makes the map reproducible: equal options give identical maps,
	// different seeds different ones.
	Seed int64
	// EdgesPerNode is the target mean number of references in a node's
	// requirement, that is the map's requirement edges divided by its
	// nodes. Default 10. Small maps fall short of it when there are too few
	// nodes to reference.
	EdgesPerNode float64
	// Redundancy is the share of requirement items written as a redundancy
	// group: any of two, 2of3 data centres, occasionally 2of3 of other
	// nodes. Default 0.08.
	Redundancy float64
	// FourthParty is the share of vendors that name their own suppliers.
	// Default 0.35.
	FourthParty float64
	// Depth is the number of supply-chain levels below the vendors the
	// company uses directly: every vendor sits at a depth 0..Depth and
	// requires only deeper vendors, so fourth-party chains are at most
	// Depth long. Default 3.
	Depth int
	// Cycles is the number of small dependency cycles (two or three nodes
	// each). The first is a circular backup through any groups between two
	// applications, the second a plain three-node cycle of applications,
	// the third two deepest vendors requiring each other, then the same
	// pattern again among applications. As many as the map has room for
	// are added. Default 3.
	Cycles int
	// Domains is the number of business domains (lines of business).
	// Functions, applications and the company's own vendors are split
	// among them, and most references from a function or application to
	// applications and vendors stay inside its domain, so the outage of a
	// domain's supplier stays mostly local while shared platforms and their
	// suppliers reach everything. Default: one per 10 functions; at most
	// one per 20 applications; a negative value means one domain (no
	// locality).
	Domains int
	// Fallbacks is the number of fallbacks, given to core functions first,
	// then important ones; at most one per function. Default: one per 50
	// functions, at least 1.
	Fallbacks int
	// Name and Currency are the map's. Defaults "Synthetic enterprise
	// (seed N)" and "EUR".
	Name, Currency string
}

// Defaults of Options.
const (
	DefaultEdgesPerNode = 10
	DefaultRedundancy   = 0.08
	DefaultFourthParty  = 0.35
	DefaultDepth        = 3
	DefaultCycles       = 3
)

// Resolve returns the options Generate uses: counts clamped to 0 or more,
// every zero field replaced by its default, every switched-off feature
// set to -1, Domains to at least 1, shares clamped to at most 1. It is
// idempotent, and Generate(o) and Generate(o.Resolve()) give the same map.
func (o Options) Resolve() Options {
	o.Functions, o.Systems, o.Vendors = max(o.Functions, 0), max(o.Systems, 0), max(o.Vendors, 0)
	if o.EdgesPerNode <= 0 || math.IsNaN(o.EdgesPerNode) {
		o.EdgesPerNode = DefaultEdgesPerNode
	}
	o.EdgesPerNode = min(o.EdgesPerNode, 1000)
	o.Redundancy = resolveShare(o.Redundancy, DefaultRedundancy)
	o.FourthParty = resolveShare(o.FourthParty, DefaultFourthParty)
	o.Depth = resolveCount(o.Depth, DefaultDepth)
	o.Depth = min(o.Depth, 100)
	if o.FourthParty < 0 || o.Depth < 0 {
		o.FourthParty, o.Depth = -1, -1
	}
	o.Cycles = resolveCount(o.Cycles, DefaultCycles)
	_, _, _, apps := Layers(o.Systems)
	if o.Domains == 0 {
		o.Domains = o.Functions / 10
	}
	o.Domains = max(1, min(o.Domains, apps/20))
	o.Fallbacks = resolveCount(o.Fallbacks, max(1, o.Functions/50))
	o.Fallbacks = min(o.Fallbacks, o.Functions)
	if o.Name == "" {
		o.Name = "Synthetic enterprise (seed " + strconv.FormatInt(o.Seed, 10) + ")"
	}
	if o.Currency == "" {
		o.Currency = "EUR"
	}
	return o
}

func resolveShare(v, def float64) float64 {
	switch {
	case math.IsNaN(v) || v == 0:
		return def
	case v < 0:
		return -1
	case v > 1:
		return 1
	}
	return v
}

func resolveCount(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return -1
	}
	return v
}

// effective turns the switched-off features of resolved options into
// zeros, the form the generator computes with.
func (o Options) effective() Options {
	o.Redundancy, o.FourthParty = max(o.Redundancy, 0), max(o.FourthParty, 0)
	o.Depth, o.Cycles, o.Fallbacks = max(o.Depth, 0), max(o.Cycles, 0), max(o.Fallbacks, 0)
	return o
}

// Layers gives how Generate splits n systems into layers, bottom up:
// sites (data centres, about 0.3%, at least one), infrastructure (7%),
// shared platforms (10%) and applications (the rest). Ids are numbered in
// that order, so sys-0001 is a site.
func Layers(n int) (sites, infrastructure, platforms, applications int) {
	if n <= 0 {
		return 0, 0, 0, 0
	}
	sites = max(1, n*3/1000)
	infrastructure = n * 7 / 100
	platforms = n / 10
	applications = n - sites - infrastructure - platforms
	return
}

// Generate returns a synthetic map shaped like a real enterprise:
//
//   - functions with tiers (10% core, at least one; 30% important; the
//     rest supporting), tolerance, RTO, impact per hour, owner;
//   - systems in layers (see Layers): applications require applications
//     numbered below them, shared platforms, infrastructure and vendors;
//     platforms require lower platforms, infrastructure and vendors;
//     infrastructure requires sites (often 2of3 data centres of a region),
//     lower infrastructure and vendors; sites require vendors (power,
//     colocation, carriers);
//   - the first 2% of each layer is its shared core; the rest of the
//     layers, the functions and the company's own vendors are split into
//     business domains (see Options.Domains). A reference stays inside
//     the node's domain or goes to the shared core and to vendors chosen
//     by preferential attachment, so a few platforms and vendors are
//     shared by very many nodes and most outages stay local;
//   - vendors with contracts, escalation contacts (for hard-to-replace
//     ones), fictional but well-formed LEIs, parents (a quarter share a
//     parent group), probabilities and outage durations, placed at
//     supply-chain depths with fourth-party requirements on deeper
//     vendors;
//   - a few small cycles and fallbacks (see Options).
//
// Ids are fn-NNNN, sys-NNNN and ven-NNNN, numbered from 1 and zero-padded
// to the width of the count (at least 4 digits); teams are team-NNN and
// parent groups grp-NNN. The map is valid: every reference resolves, no
// node requires itself or a function, every atleast count fits its list,
// ids are unique. The result depends on the options only; it takes about
// half a second for 100k nodes and 1M edges.
func Generate(opt Options) *graph.Map {
	o := opt.Resolve()
	g := newGenerator(o.effective())
	g.vendors()
	g.planCycles()
	g.systems()
	g.functions()
	g.cycles()
	g.fallbacks()
	m := graph.NewMap(o.Name, g.nodes, g.fbs)
	m.Currency = o.Currency
	return m
}

// Target categories of a requirement.
const (
	catSite = iota
	catInfra
	catPlat
	catApp
	catVendor
	numCats
)

// paProb is, per category, the chance that a pick follows preferential
// attachment (a target drawn in proportion to how often it was picked)
// rather than a uniform draw.
var paProb = [numCats]float64{catSite: 0.5, catInfra: 0.6, catPlat: 0.7, catApp: 0.5, catVendor: 0.93}

// localShare is, per category, the chance that a node in a domain picks
// its target inside its domain.
var localShare = [numCats]float64{catInfra: 0.5, catPlat: 0.4, catApp: 0.85, catVendor: 0.5}

// Mixes of target categories per layer.
var (
	mixSite     = [numCats]float64{catVendor: 1}
	mixInfra    = [numCats]float64{catSite: 0.3, catInfra: 0.3, catVendor: 0.4}
	mixPlat     = [numCats]float64{catInfra: 0.35, catPlat: 0.35, catVendor: 0.3}
	mixApp      = [numCats]float64{catInfra: 0.1, catPlat: 0.45, catApp: 0.25, catVendor: 0.2}
	mixFunction = [numCats]float64{catPlat: 0.05, catApp: 0.75, catVendor: 0.2}
)

type span struct{ lo, hi int32 } // global node indices [lo, hi)

func (s span) len() int { return int(s.hi - s.lo) }

type generator struct {
	o     Options
	r     *rand.Rand
	nodes []*graph.Node // by global index: functions, systems, vendors
	ids   []string      // nodes' ids, for locality
	fbs   []*graph.Fallback

	nF, nS, nV int
	fnLo       int32
	layer      [numCats]span // catVendor: all vendors
	reservedLo int32         // applications from here up are reserved for cycles
	ownerIsRes bool          // the node being built is a reserved application
	appCycles  []int         // sizes of the application cycles to add
	venCycle   bool          // add a vendor cycle

	vdepth    []int     // by vendor (global index - vendor lo)
	byDepth   [][]int32 // vendors (global index) by depth
	direct    []int32   // vendors of depth ≤ 1: the company's own suppliers
	pool      [numCats][]int32
	depthPool [][]int32
	stamp     []int32 // stamp[t] == cur: t already referenced by the node being built
	cur       int32
	mean      float64 // mean references of an application or platform
	dom       int     // domain of the node being built, -1 for shared layers

	owners  []string
	groups  []string // parent companies
	gpool   []int32
	ex      exprSlab
	items   []*graph.Expr
	durs    []graph.Duration
	floats  []float64
	sysTags [numCats][][]string
	// vendorTags: this map's copy of the package's tag lists; nodes of one
	// map share them, maps do not.
	vendorTags map[string][]string
}

func newGenerator(o Options) *generator {
	seed := uint64(o.Seed)
	g := &generator{
		o:   o,
		dom: -1,
		r:   rand.New(rand.NewPCG(seed, seed^0x6c69666562_6f6174)),
		nF:  o.Functions, nS: o.Systems, nV: o.Vendors,
	}
	n := g.nF + g.nS + g.nV
	slab := make([]graph.Node, n)
	g.nodes = make([]*graph.Node, n)
	for i := range slab {
		g.nodes[i] = &slab[i]
	}
	g.stamp = make([]int32, n)
	put := func(lo, count int, prefix string, kind graph.Kind) {
		w := max(4, len(strconv.Itoa(count)))
		for i := 0; i < count; i++ {
			nd := g.nodes[lo+i]
			nd.ID = padID(prefix, i+1, w)
			nd.Kind = kind
			g.ids[lo+i] = nd.ID
		}
	}
	g.ids = make([]string, n)
	put(0, g.nF, "fn-", graph.KindFunction)
	put(g.nF, g.nS, "sys-", graph.KindSystem)
	put(g.nF+g.nS, g.nV, "ven-", graph.KindVendor)

	sites, infra, plats, apps := Layers(g.nS)
	lo := int32(g.nF)
	next := func(k int) span { s := span{lo, lo + int32(k)}; lo += int32(k); return s }
	g.layer[catSite] = next(sites)
	g.layer[catInfra] = next(infra)
	g.layer[catPlat] = next(plats)
	g.layer[catApp] = next(apps)
	g.layer[catVendor] = next(g.nV)

	nTeams := max(3, (g.nF+g.nS)/250)
	g.owners = make([]string, nTeams)
	for i := range g.owners {
		g.owners[i] = padID("team-", i+1, max(3, len(strconv.Itoa(nTeams))))
	}
	nGroups := max(1, g.nV/12)
	g.groups = make([]string, nGroups)
	for i := range g.groups {
		g.groups[i] = padID("grp-", i+1, max(3, len(strconv.Itoa(nGroups))))
	}
	for _, c := range []int{catInfra, catPlat} {
		kinds := infraKinds
		if c == catPlat {
			kinds = platformKinds
		}
		name := "infrastructure"
		if c == catPlat {
			name = "platform"
		}
		for _, k := range kinds {
			g.sysTags[c] = append(g.sysTags[c], []string{name, k.tag})
		}
	}
	g.vendorTags = map[string][]string{}
	for k, v := range vendorTags {
		g.vendorTags[k] = slices.Clone(v)
	}
	g.sysTags[catSite] = [][]string{{"site"}}
	g.sysTags[catApp] = [][]string{{"application"}}

	// Mean references of an application or platform so that the whole map
	// reaches EdgesPerNode: sites take about 2, vendors with suppliers
	// about 2, functions three times an application, infrastructure 0.6.
	budget := o.EdgesPerNode*float64(n) - 2*float64(sites) - 2*o.FourthParty*float64(g.nV)
	weight := 3*float64(g.nF) + float64(apps+plats) + 0.6*float64(infra)
	g.mean = 1
	if weight > 0 {
		g.mean = max(1, budget/weight)
	}
	return g
}

// indexOf returns the global index of a generated id.
func (g *generator) indexOf(id string) int32 {
	for _, c := range []struct {
		prefix string
		lo     int
	}{{"fn-", 0}, {"sys-", g.nF}, {"ven-", g.nF + g.nS}} {
		if len(id) > len(c.prefix) && id[:len(c.prefix)] == c.prefix {
			n, _ := strconv.Atoi(id[len(c.prefix):])
			return int32(c.lo + n - 1)
		}
	}
	return -1
}

func padID(prefix string, n, width int) string {
	s := strconv.Itoa(n)
	b := make([]byte, 0, len(prefix)+max(width, len(s)))
	b = append(b, prefix...)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

// exprSlab allocates expressions and argument lists in large chunks: a big
// map has millions of them.
type exprSlab struct {
	exprs []graph.Expr
	args  []*graph.Expr
}

func (s *exprSlab) new() *graph.Expr {
	if len(s.exprs) == 0 {
		s.exprs = make([]graph.Expr, 8192)
	}
	e := &s.exprs[0]
	s.exprs = s.exprs[1:]
	return e
}

func (s *exprSlab) ref(id string) *graph.Expr {
	e := s.new()
	e.Op, e.Ref = graph.OpRef, id
	return e
}

// list returns op over a copy of args (the copy's capacity is its length,
// so appending to it never writes into the slab).
func (s *exprSlab) list(op graph.Op, k int, args []*graph.Expr) *graph.Expr {
	if len(s.args) < len(args) {
		s.args = make([]*graph.Expr, max(16384, len(args)))
	}
	a := s.args[:len(args):len(args)]
	s.args = s.args[len(args):]
	copy(a, args)
	e := s.new()
	e.Op, e.K, e.Args = op, k, a
	return e
}

func (g *generator) dur(d graph.Duration) *graph.Duration {
	if len(g.durs) == 0 {
		g.durs = make([]graph.Duration, 4096)
	}
	p := &g.durs[0]
	g.durs = g.durs[1:]
	*p = d
	return p
}

func (g *generator) float(f float64) *float64 {
	if len(g.floats) == 0 {
		g.floats = make([]float64, 1024)
	}
	p := &g.floats[0]
	g.floats = g.floats[1:]
	*p = f
	return p
}

func (g *generator) oneOf(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) durOf(list ...graph.Duration) *graph.Duration {
	return g.dur(list[g.r.IntN(len(list))])
}

// begin starts the requirement of node self.
func (g *generator) begin(self int32) {
	g.cur++
	g.stamp[self] = g.cur
	g.items = g.items[:0]
}

// end returns the requirement built since begin, nil when empty.
func (g *generator) end() *graph.Expr {
	if len(g.items) == 0 {
		return nil
	}
	return g.ex.list(graph.OpAll, 0, g.items)
}

// avail is the candidate range of category c for a node that may only
// reference nodes below limit.
func (g *generator) avail(c int, limit int32) span {
	s := g.layer[c]
	if c == catVendor {
		if len(g.direct) == 0 {
			return span{}
		}
		return s
	}
	s.hi = min(s.hi, limit)
	if g.ownerIsRes && c == catApp {
		s.hi = min(s.hi, g.reservedLo)
	}
	return s
}

// coreEnd is the end of layer c's core: its first 2% (at least one
// node), the shared heart of the estate (identity, DNS, core network, the
// ledger) that every domain builds on.
func (g *generator) coreEnd(c int) int32 {
	l := g.layer[c]
	return l.lo + int32(max(1, l.len()/50))
}

// domainOf is the domain of system v of layer c, -1 for sites and core
// nodes: the rest of a layer is split into Domains consecutive blocks.
func (g *generator) domainOf(c int, v int32) int {
	if c == catSite || v < g.coreEnd(c) {
		return -1
	}
	lo, hi := g.coreEnd(c), g.layer[c].hi
	return int(int64(v-lo) * int64(g.o.Domains) / int64(hi-lo))
}

// local is the part of s in the current node's domain: global indices of
// systems, or for vendors indices into direct; empty when the node belongs
// to no domain.
func (g *generator) local(c int, s span) span {
	if g.dom < 0 || localShare[c] == 0 {
		return span{}
	}
	d, nd := int64(g.dom), int64(g.o.Domains)
	if c == catVendor {
		n := int64(len(g.direct))
		return span{int32(d * n / nd), int32((d + 1) * n / nd)}
	}
	lo, hi := int64(g.coreEnd(c)), int64(g.layer[c].hi)
	l := span{int32(lo + d*(hi-lo)/nd), int32(lo + (d+1)*(hi-lo)/nd)}
	return span{max(l.lo, s.lo), min(l.hi, s.hi)}
}

// pick returns a target of category c below limit that the current node
// does not reference yet, or -1. A node in a domain picks inside its
// domain with probability localShare; otherwise, and for shared nodes,
// the target is shared: drawn by preferential attachment or uniformly
// from the layer's core (for vendors: from the company's own suppliers,
// sometimes any vendor), so a few shared nodes are used by very many.
func (g *generator) pick(c int, limit int32) int32 {
	s := g.avail(c, limit)
	if s.hi <= s.lo {
		return -1
	}
	pool := g.pool[c]
	loc := g.local(c, s)
	for range 8 {
		var t int32
		if loc.hi > loc.lo && g.r.Float64() < localShare[c] {
			t = loc.lo + int32(g.r.IntN(loc.len()))
			if c == catVendor {
				t = g.direct[t]
			}
			if g.stamp[t] == g.cur || t >= s.hi {
				continue
			}
			g.stamp[t] = g.cur
			return t
		}
		u := g.r.Float64()
		switch {
		case c == catVendor && u < 0.05:
			t = s.lo + int32(g.r.IntN(s.len())) // any vendor, deep suppliers too
		case len(pool) > 0 && u < paProb[c]:
			t = pool[g.r.IntN(len(pool))]
		case c == catVendor:
			t = g.direct[g.r.IntN(len(g.direct))]
		case c == catSite:
			t = s.lo + int32(g.r.IntN(s.len()))
		default:
			core := span{s.lo, min(s.hi, g.coreEnd(c))}
			t = core.lo + int32(g.r.IntN(core.len()))
		}
		if g.stamp[t] == g.cur || t >= s.hi || g.ownerIsRes && t >= g.reservedLo && t < g.layer[catApp].hi {
			continue
		}
		g.stamp[t] = g.cur
		g.pool[c] = append(g.pool[c], t)
		return t
	}
	return -1
}

// group adds a redundancy group of category c and returns the number of
// references it holds (0 when none could be formed; a lone pick is added as
// a plain reference).
func (g *generator) group(c int, limit int32) int {
	x := g.pick(c, limit)
	if x < 0 {
		return 0
	}
	if c == catSite {
		s := g.layer[catSite]
		base := s.lo + (x-s.lo)/3*3
		if base+3 <= s.hi && g.r.IntN(2) == 0 {
			ok := true
			for t := base; t < base+3; t++ {
				if t != x && g.stamp[t] == g.cur {
					ok = false
				}
			}
			if ok {
				var args [3]*graph.Expr
				for i := range args {
					t := base + int32(i)
					g.stamp[t] = g.cur
					args[i] = g.ex.ref(g.ids[t])
				}
				g.items = append(g.items, g.ex.list(graph.OpAtLeast, 2, args[:]))
				return 3
			}
		}
	}
	y := g.pick(c, limit)
	if y < 0 {
		g.items = append(g.items, g.ex.ref(g.ids[x]))
		return 1
	}
	if g.r.IntN(10) == 0 {
		if z := g.pick(c, limit); z >= 0 {
			args := []*graph.Expr{g.ex.ref(g.ids[x]), g.ex.ref(g.ids[y]), g.ex.ref(g.ids[z])}
			g.items = append(g.items, g.ex.list(graph.OpAtLeast, 2, args))
			return 3
		}
	}
	args := []*graph.Expr{g.ex.ref(g.ids[x]), g.ex.ref(g.ids[y])}
	g.items = append(g.items, g.ex.list(graph.OpAny, 0, args))
	return 2
}

// fill adds about deg references to the current node, drawing categories
// from mix among those with candidates below limit.
func (g *generator) fill(deg int, mix *[numCats]float64, limit int32) {
	var w [numCats]float64
	total := 0.0
	for c := range numCats {
		if mix[c] > 0 {
			if s := g.avail(c, limit); s.hi > s.lo {
				w[c] = mix[c]
				total += mix[c]
			}
		}
	}
	if total == 0 {
		return
	}
	refs := 0
	for refs < deg && total > 0 {
		u := g.r.Float64() * total
		c := -1
		for k := range numCats {
			if w[k] == 0 {
				continue
			}
			c = k // the last candidate also absorbs rounding
			if u < w[k] {
				break
			}
			u -= w[k]
		}
		if c < 0 { // only rounding left in total
			break
		}
		if deg-refs >= 2 && g.r.Float64() < g.o.Redundancy {
			if n := g.group(c, limit); n > 0 {
				refs += n
				continue
			}
		} else if t := g.pick(c, limit); t >= 0 {
			g.items = append(g.items, g.ex.ref(g.ids[t]))
			refs++
			continue
		}
		// The category is exhausted for this node.
		total -= w[c]
		w[c] = 0
	}
}

// uniformDeg draws a degree with the given mean, uniform on [1, 2·mean-1].
func (g *generator) uniformDeg(mean float64) int {
	if mean <= 1 {
		return 1
	}
	return 1 + int(g.r.Float64()*(2*mean-2)+0.5)
}

// tailDeg draws a degree with the given mean and a long (exponential) tail,
// capped at about four times the mean.
func (g *generator) tailDeg(mean float64) int {
	if mean <= 1 {
		return 1
	}
	const capped = 0.98168436 // E[min(X, 4)] for X exponential with mean 1
	return 1 + int(min(g.r.ExpFloat64(), 4)/capped*(mean-1)+0.5)
}

func (g *generator) vendors() {
	s := g.layer[catVendor]
	depth := g.o.Depth
	g.vdepth = make([]int, g.nV)
	g.byDepth = make([][]int32, depth+1)
	g.depthPool = make([][]int32, depth+1)
	// Depth k holds a share proportional to 2^-k.
	cum := make([]float64, depth+1)
	total := 0.0
	for k := range cum {
		total += math.Ldexp(1, -k)
		cum[k] = total
	}
	for i := range g.nV {
		u := g.r.Float64() * total
		k := 0
		for k < depth && u >= cum[k] {
			k++
		}
		g.vdepth[i] = k
		g.byDepth[k] = append(g.byDepth[k], s.lo+int32(i))
		if k <= 1 {
			g.direct = append(g.direct, s.lo+int32(i))
		}
	}
	if len(g.direct) == 0 {
		for i := range g.nV {
			g.direct = append(g.direct, s.lo+int32(i))
		}
	}
	// Vendors with suppliers are drawn from those not at the deepest level.
	q := 0.0
	if shallow := g.nV - len(g.byDepth[depth]); shallow > 0 {
		q = min(1, g.o.FourthParty*float64(g.nV)/float64(shallow))
	}
	for i := range g.nV {
		v := s.lo + int32(i)
		nd := g.nodes[v]
		d := g.vdepth[i]
		g.vendorAttrs(nd, i, d)
		if d == depth || g.r.Float64() >= q {
			continue
		}
		g.begin(v)
		deg := 1 + g.r.IntN(3)
		for range deg {
			if deg >= 2 && g.r.Float64() < g.o.Redundancy {
				x, y := g.pickDeeper(d), g.pickDeeper(d)
				if x >= 0 && y >= 0 {
					args := []*graph.Expr{g.ex.ref(g.ids[x]), g.ex.ref(g.ids[y])}
					g.items = append(g.items, g.ex.list(graph.OpAny, 0, args))
					continue
				}
				for _, t := range []int32{x, y} {
					if t >= 0 {
						g.items = append(g.items, g.ex.ref(g.ids[t]))
					}
				}
				continue
			}
			if t := g.pickDeeper(d); t >= 0 {
				g.items = append(g.items, g.ex.ref(g.ids[t]))
			}
		}
		nd.Requires = g.end()
	}
}

// pickDeeper returns a vendor deeper than d that the current node does not
// reference yet, or -1: usually one level down, sometimes further.
func (g *generator) pickDeeper(d int) int32 {
	for range 8 {
		k := d + 1
		if k < g.o.Depth && g.r.Float64() < 0.3 {
			k += 1 + g.r.IntN(g.o.Depth-k)
		}
		list := g.byDepth[k]
		if len(list) == 0 {
			continue
		}
		var t int32
		if p := g.depthPool[k]; len(p) > 0 && g.r.Float64() < 0.75 {
			t = p[g.r.IntN(len(p))]
		} else {
			t = list[g.r.IntN(len(list))]
		}
		if g.stamp[t] == g.cur {
			continue
		}
		g.stamp[t] = g.cur
		g.depthPool[k] = append(g.depthPool[k], t)
		return t
	}
	return -1
}

func (g *generator) vendorAttrs(nd *graph.Node, i, d int) {
	tier := 0
	if g.o.Depth > 0 {
		tier = d * (len(vendorSuffixes) - 1) / g.o.Depth
	}
	sfx := vendorSuffixes[tier]
	np := len(vendorPrefixes)
	suffix := sfx[(i/np)%len(sfx)]
	nd.Name = vendorPrefixes[i%np] + " " + suffix.name
	if round := i / (np * len(sfx)); round > 0 {
		nd.Name += " " + strconv.Itoa(round+1)
	}
	nd.Tags = g.vendorTags[suffix.tag]
	nd.Country = g.oneOf(countries)
	nd.LEI = g.lei()
	if g.r.IntN(4) == 0 {
		var gi int32
		if len(g.gpool) > 0 && g.r.IntN(2) == 0 {
			gi = g.gpool[g.r.IntN(len(g.gpool))]
		} else {
			gi = int32(g.r.IntN(len(g.groups)))
		}
		g.gpool = append(g.gpool, gi)
		nd.Parent = g.groups[gi]
	}
	sub := "easy"
	u := g.r.Float64()
	deep := tier >= 2
	switch {
	case deep && u < 0.4 || !deep && u < 0.1:
		sub = "none"
	case deep && u < 0.8 || !deep && u < 0.45:
		sub = "hard"
	}
	fee := math.Round(math.Exp(math.Log(60000)+1.2*g.r.NormFloat64())/1000) * 1000
	fee = max(fee, 1000)
	c := &graph.Contract{
		Ref:              "CT-" + nd.ID[len("ven-"):],
		AnnualFee:        fee,
		LiabilityCap:     fee * float64(1+g.r.IntN(3)),
		SLA:              g.oneOf(slas),
		Notice:           g.oneOf(notices),
		Substitutability: sub,
		Reviewed:         g.date(),
	}
	if sub == "easy" || g.r.IntN(3) > 0 {
		c.ExitPlan = "documented"
	}
	nd.Contract = c
	if sub != "easy" {
		nd.Contacts = []graph.Contact{{
			Role:  "account manager",
			Name:  "Account manager, " + nd.Name,
			Phone: "+44 20 7946 0" + strconv.Itoa(100+g.r.IntN(900)),
			Email: "escalation@" + nd.ID + ".example",
		}}
	}
	nd.Probability = g.float(math.Round((0.005+0.15*math.Pow(g.r.Float64(), 2))*1000) / 1000)
	nd.OutageDuration = g.durOf(2*graph.Hour, 4*graph.Hour, 8*graph.Hour, graph.Day, 3*graph.Day)
}

var vendorTags = map[string][]string{
	"service":        {"service"},
	"saas":           {"saas"},
	"software":       {"software"},
	"infrastructure": {"infrastructure"},
	"security":       {"security"},
}

// date returns a review date in 2024 or 2025, YYYY-MM-DD.
func (g *generator) date() string {
	y, m, d := 2024+g.r.IntN(2), 1+g.r.IntN(12), 1+g.r.IntN(28)
	b := make([]byte, 0, 10)
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	return string(b)
}

// lei returns a syntactically valid, fictional Legal Entity Identifier:
// 18 characters and two ISO 7064 MOD 97-10 check digits.
func (g *generator) lei() string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b [20]byte
	copy(b[:], "LB0000")
	for i := 6; i < 18; i++ {
		b[i] = alnum[g.r.IntN(len(alnum))]
	}
	rem := 0
	for _, c := range b[:18] {
		if c >= 'A' {
			rem = (rem*100 + int(c-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	chk := 98 - rem*100%97
	b[18], b[19] = byte('0'+chk/10), byte('0'+chk%10)
	return string(b[:])
}

// planCycles reserves the applications of the cycles at the top of the
// application layer, so that they do not reference each other while the
// layers are built. It runs after vendors, whose depths it needs.
func (g *generator) planCycles() {
	g.reservedLo = g.layer[catApp].hi
	free := g.layer[catApp].len()
	for k := 0; k < g.o.Cycles; k++ {
		size := 2
		switch k % 3 {
		case 1:
			size = 3
		case 2:
			if !g.venCycle && len(g.byDepth) > 1 && len(g.byDepth[g.o.Depth]) >= 2 {
				g.venCycle = true
				continue
			}
		}
		if free < size {
			if free >= 2 {
				size = 2
			} else {
				continue
			}
		}
		free -= size
		g.appCycles = append(g.appCycles, size)
		g.reservedLo -= int32(size)
	}
}

func (g *generator) systems() {
	m := g.mean
	for _, layer := range []int{catSite, catInfra, catPlat, catApp} {
		s := g.layer[layer]
		for v := s.lo; v < s.hi; v++ {
			nd := g.nodes[v]
			i := int(v - s.lo)
			g.ownerIsRes = layer == catApp && v >= g.reservedLo
			g.dom = g.domainOf(layer, v)
			g.begin(v)
			switch layer {
			case catSite:
				nd.Name = siteKinds[(i/3)%len(siteKinds)] + " " + strconv.Itoa(i/3+1) + string(rune('a'+i%3))
				nd.Tags = g.sysTags[catSite][0]
				g.fill(1+g.r.IntN(3), &mixSite, v)
			case catInfra:
				k := g.r.IntN(len(infraKinds))
				nd.Name = infraKinds[k].name + " " + strconv.Itoa(i+1)
				nd.Tags = g.sysTags[catInfra][k]
				g.fill(g.uniformDeg(0.6*m), &mixInfra, v)
			case catPlat:
				k := g.r.IntN(len(platformKinds))
				nd.Name = platformKinds[k].name + " " + strconv.Itoa(i+1)
				nd.Tags = g.sysTags[catPlat][k]
				g.fill(g.uniformDeg(m), &mixPlat, v)
			case catApp:
				nd.Name = appNouns[i%len(appNouns)] + " " + appKinds[(i/len(appNouns))%len(appKinds)] + " " + strconv.Itoa(i+1)
				nd.Tags = g.sysTags[catApp][0]
				g.fill(g.tailDeg(m), &mixApp, v)
			}
			nd.Requires = g.end()
			g.systemAttrs(nd, layer)
		}
	}
	g.ownerIsRes = false
	g.dom = -1
}

func (g *generator) systemAttrs(nd *graph.Node, layer int) {
	nd.Owner = g.oneOf(g.owners)
	if layer == catApp {
		nd.RTO = g.durOf(4*graph.Hour, 8*graph.Hour, graph.Day)
		if g.r.IntN(10) == 0 {
			nd.Buffer = g.durOf(15*graph.Minute, 30*graph.Minute, graph.Hour, 2*graph.Hour)
		}
		if g.r.IntN(4) == 0 {
			nd.Restore = g.durOf(30*graph.Minute, graph.Hour, 2*graph.Hour)
		}
		return
	}
	nd.RTO = g.durOf(graph.Hour, 2*graph.Hour, 4*graph.Hour)
	nd.RPO = g.durOf(0, 15*graph.Minute, graph.Hour)
	if g.r.IntN(2) == 0 {
		nd.Restore = g.durOf(30*graph.Minute, graph.Hour, 2*graph.Hour, 4*graph.Hour)
	}
	r := graph.Responsibility{Monitor: "team-noc", Respond: nd.Owner, Repair: nd.Owner}
	switch g.r.IntN(20) {
	case 0:
		r.Repair = "TBD"
	case 1:
		r.Respond = ""
	}
	nd.Responsibility = r
}

var tierImpact = map[graph.Tier][2]float64{ // log-mean, rounding step
	graph.TierCore:       {math.Log(100000), 1000},
	graph.TierImportant:  {math.Log(10000), 100},
	graph.TierSupporting: {math.Log(1000), 10},
}

func (g *generator) functions() {
	n := g.nF
	if n == 0 {
		return
	}
	core := max(1, int(math.Round(0.1*float64(n))))
	important := min(n-core, int(math.Round(0.3*float64(n))))
	perm := g.r.Perm(n)
	tiers := make([]graph.Tier, n)
	for rank, i := range perm {
		switch {
		case rank < core:
			tiers[i] = graph.TierCore
		case rank < core+important:
			tiers[i] = graph.TierImportant
		default:
			tiers[i] = graph.TierSupporting
		}
	}
	limit := int32(len(g.nodes))
	for i := range n {
		v := g.fnLo + int32(i)
		nd := g.nodes[v]
		t := tiers[i]
		nd.Tier = t
		nd.Name = functionNames[i%len(functionNames)]
		if round := i / len(functionNames); round > 0 {
			nd.Name += " " + strconv.Itoa(round+1)
		}
		nd.Owner = g.oneOf(g.owners)
		var tol graph.Duration
		switch t {
		case graph.TierCore:
			tol = []graph.Duration{2 * graph.Hour, 4 * graph.Hour, 8 * graph.Hour}[g.r.IntN(3)]
			nd.Regulated = g.r.IntN(10) < 7
		case graph.TierImportant:
			tol = []graph.Duration{8 * graph.Hour, graph.Day, 2 * graph.Day}[g.r.IntN(3)]
			nd.Regulated = g.r.IntN(10) < 3
		default:
			tol = []graph.Duration{2 * graph.Day, 5 * graph.Day, graph.Week}[g.r.IntN(3)]
		}
		nd.Tolerance = g.dur(tol)
		nd.RTO = g.dur(tol / 2)
		ti := tierImpact[t]
		nd.ImpactPerHour = max(ti[1], math.Round(math.Exp(ti[0]+0.8*g.r.NormFloat64())/ti[1])*ti[1])
		g.dom = int(int64(i) * int64(g.o.Domains) / int64(n))
		g.begin(v)
		g.fill(g.tailDeg(3*g.mean), &mixFunction, limit)
		nd.Requires = g.end()
	}
	g.dom = -1
}

// cycles adds the planned cycles: applications from the top of the layer
// (which nothing below them references, so each cycle is its own strongly
// connected set) and two deepest vendors (which have no suppliers).
func (g *generator) cycles() {
	top := g.layer[catApp].hi
	add := func(from, to int32, redundant bool) {
		nd := g.nodes[from]
		var e *graph.Expr
		g.begin(from)
		for _, id := range nd.Requires.RefIDs() {
			g.stamp[g.indexOf(id)] = g.cur
		}
		if redundant {
			alt := int32(-1)
			for _, c := range []int{catPlat, catInfra, catVendor} {
				if alt = g.pick(c, from); alt >= 0 {
					break
				}
			}
			if alt >= 0 {
				e = g.ex.list(graph.OpAny, 0, []*graph.Expr{g.ex.ref(g.ids[alt]), g.ex.ref(g.ids[to])})
			}
		}
		if e == nil {
			e = g.ex.ref(g.ids[to])
		}
		if nd.Requires == nil {
			nd.Requires = g.ex.list(graph.OpAll, 0, []*graph.Expr{e})
		} else {
			nd.Requires.Args = append(nd.Requires.Args, e)
		}
	}
	for k, size := range g.appCycles {
		lo := top - int32(size)
		top = lo
		redundant := k%2 == 0 && size == 2
		for j := int32(0); j < int32(size); j++ {
			add(lo+j, lo+(j+1)%int32(size), redundant)
		}
	}
	if g.venCycle {
		deepest := g.byDepth[g.o.Depth]
		if len(deepest) >= 2 {
			i := g.r.IntN(len(deepest))
			j := (i + 1 + g.r.IntN(len(deepest)-1)) % len(deepest)
			a, b := deepest[i], deepest[j]
			g.nodes[a].Requires = g.ex.list(graph.OpAll, 0, []*graph.Expr{g.ex.ref(g.ids[b])})
			g.nodes[b].Requires = g.ex.list(graph.OpAll, 0, []*graph.Expr{g.ex.ref(g.ids[a])})
		}
	}
}

func (g *generator) fallbacks() {
	if g.o.Fallbacks == 0 {
		return
	}
	var order []int32
	for _, t := range []graph.Tier{graph.TierCore, graph.TierImportant, graph.TierSupporting} {
		var list []int32
		for i := range g.nF {
			if g.nodes[i].Tier == t {
				list = append(list, int32(i))
			}
		}
		g.r.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		order = append(order, list...)
	}
	w := max(3, len(strconv.Itoa(g.o.Fallbacks)))
	limit := int32(len(g.nodes))
	for k, v := range order[:g.o.Fallbacks] {
		fn := g.nodes[v]
		f := &graph.Fallback{
			ID:         padID("fb-", k+1, w),
			For:        fn.ID,
			Name:       "Manual procedure for " + fn.Name,
			Activation: []graph.Duration{30 * graph.Minute, graph.Hour, 2 * graph.Hour, 4 * graph.Hour}[g.r.IntN(4)],
			Capacity:   float64(2+g.r.IntN(7)) / 10,
			Owner:      fn.Owner,
			Steps:      slices.Clone(fallbackSteps),
		}
		if g.r.IntN(5) > 0 {
			f.Endurance = g.durOf(graph.Day, 2*graph.Day, 3*graph.Day, graph.Week)
		}
		g.begin(v)
		if t := g.pick(catApp, limit); t >= 0 {
			g.items = append(g.items, g.ex.ref(g.ids[t]))
		}
		if g.r.IntN(2) == 0 {
			if t := g.pick(catVendor, limit); t >= 0 {
				g.items = append(g.items, g.ex.ref(g.ids[t]))
			}
		}
		f.Requires = g.end()
		g.fbs = append(g.fbs, f)
	}
}
