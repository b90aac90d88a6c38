package gen

import "github.com/lifeboat-dev/lifeboat/graph"

// Stats summarises the shape of a map.
type Stats struct {
	Nodes, Functions, Systems, Vendors int
	Core, Important, Supporting        int // functions per tier
	Fallbacks                          int
	// Edges counts the references in every node's requirement (a node
	// named twice counts twice); fallbacks' requirements are not counted.
	Edges int
	// AnyGroups and AtLeastGroups count the redundancy groups.
	AnyGroups, AtLeastGroups int
	// FourthParty counts references from a vendor to another vendor.
	FourthParty int
	// MaxIn is the largest number of references to one node, and MaxInID
	// that node (the first by id on a tie): the most shared dependency.
	MaxIn   int
	MaxInID string
}

// Measure returns the statistics of m. It reads the map only.
func Measure(m *graph.Map) Stats {
	s := Stats{Nodes: len(m.Nodes), Fallbacks: len(m.Fallbacks)}
	in := make([]int32, len(m.Nodes))
	for _, n := range m.Nodes {
		switch n.Kind {
		case graph.KindFunction:
			s.Functions++
			switch n.Tier {
			case graph.TierCore:
				s.Core++
			case graph.TierImportant:
				s.Important++
			case graph.TierSupporting:
				s.Supporting++
			}
		case graph.KindSystem:
			s.Systems++
		case graph.KindVendor:
			s.Vendors++
		}
		n.Requires.Walk(func(e *graph.Expr) {
			switch e.Op {
			case graph.OpRef:
				s.Edges++
				if i := m.Index(e.Ref); i >= 0 {
					in[i]++
					if n.Kind == graph.KindVendor && m.Nodes[i].Kind == graph.KindVendor {
						s.FourthParty++
					}
				}
			case graph.OpAny:
				s.AnyGroups++
			case graph.OpAtLeast:
				s.AtLeastGroups++
			}
		})
	}
	for i, c := range in {
		if int(c) > s.MaxIn {
			s.MaxIn, s.MaxInID = int(c), m.Nodes[i].ID
		}
	}
	return s
}
