package diagram

import (
	"github.com/lifeboat-dev/lifeboat/graph"
)

// legend explains what d uses: the shapes of its roles, the states and
// time-to-halt bands of its nodes, and the line styles of its edges, in a
// fixed order. faded says what a faded node means in this view; with
// fadedShapes the shapes are shown faded, as a scenario draws what it
// does not affect.
func legend(d *Diagram, faded string, fadedShapes bool) []LegendEntry {
	var (
		tiers         = map[graph.Tier]bool{}
		roles         = map[Role]bool{}
		states        = map[State]bool{}
		bands         = map[Band]bool{}
		junctionAny   bool
		junctionK     bool
		groups        bool
		breached      bool
		edgeStates    = map[State]bool{}
		fallbackEdges bool
	)
	for i := range d.Nodes {
		n := &d.Nodes[i]
		roles[n.Role] = true
		states[n.State] = true
		if n.State == StateDown {
			bands[n.Band] = true
		}
		if n.Role == RoleFunction {
			tiers[n.Tier] = true
		}
		if n.Role == RoleJunction {
			if n.Label == "any" {
				junctionAny = true
			} else {
				junctionK = true
			}
		}
		groups = groups || n.Count > 1
		breached = breached || n.Breached
	}
	for i := range d.Edges {
		e := &d.Edges[i]
		edgeStates[e.State] = true
		fallbackEdges = fallbackEdges || e.Fallback
	}

	var out []LegendEntry
	sample := func(n Node) {
		n.ID = ""
		out = append(out, LegendEntry{Node: &n})
	}
	shape := StateNormal
	if fadedShapes {
		shape = StateFaded
	}
	if roles[RoleFunction] {
		for _, t := range []graph.Tier{graph.TierCore, graph.TierImportant, graph.TierSupporting, graph.TierNone} {
			if !tiers[t] {
				continue
			}
			label := "business function"
			if t != graph.TierNone {
				label = t.String() + " function"
			}
			sample(Node{State: shape, Role: RoleFunction, Tier: t, Label: label})
		}
	}
	if roles[RoleSystem] {
		sample(Node{State: shape, Role: RoleSystem, Label: "system"})
	}
	if roles[RoleVendor] {
		sample(Node{State: shape, Role: RoleVendor, Label: "vendor"})
	}
	if roles[RoleFourthParty] {
		sample(Node{State: shape, Role: RoleFourthParty, Label: "supplier's supplier", Lines: []string{"4th party"}})
	}
	if roles[RoleFallback] {
		sample(Node{State: shape, Role: RoleFallback, Label: "fallback"})
	}
	if groups {
		sample(Node{State: shape, Role: RoleSystem, Label: "group of nodes", Count: 2, Lines: []string{"n systems"}})
	}
	if junctionAny {
		n := Node{Role: RoleJunction, Label: "any", State: shape}
		out = append(out, LegendEntry{Node: &n, Text: "redundancy: any one path suffices"})
	}
	if junctionK {
		n := Node{Role: RoleJunction, Label: "2 of 3", State: shape}
		out = append(out, LegendEntry{Node: &n, Text: "redundancy: k of the n paths needed"})
	}

	if states[StateFailed] {
		sample(Node{Role: RoleVendor, State: StateFailed, Label: "failed (the scenario)"})
	}
	timed := bands[Band1h] || bands[Band4h] || bands[Band24h] || bands[BandLater]
	if timed {
		for _, b := range Bands {
			sample(Node{Role: RoleSystem, State: StateDown, Band: b, Label: b.String()})
		}
	}
	if bands[BandUnknown] {
		sample(Node{Role: RoleSystem, State: StateDown, Band: BandUnknown, Label: "down"})
	}
	if breached {
		sample(Node{Role: RoleFunction, State: StateDown, Band: BandLater, Breached: true, Label: "tolerance breached"})
	}
	if states[StateDegraded] {
		sample(Node{Role: RoleFunction, State: StateDegraded, Label: "up on a fallback"})
	}
	if states[StateHolding] {
		sample(Node{Role: RoleFallback, State: StateHolding, Label: "fallback that holds"})
	}
	if states[StateFaded] {
		sample(Node{Role: RoleSystem, State: StateFaded, Label: faded})
	}

	edge := func(e Edge, text string) {
		out = append(out, LegendEntry{Edge: &e, Text: text})
	}
	if len(d.Edges) > 0 {
		edge(Edge{State: shape}, "needs")
	}
	if fallbackEdges {
		edge(Edge{Fallback: true, State: shape}, "fallback")
	}
	if edgeStates[StateDown] {
		edge(Edge{State: StateDown}, "outage spreads")
	}
	if edgeStates[StateHolding] {
		edge(Edge{Fallback: true, State: StateHolding}, "fallback holds")
	}
	return out
}
