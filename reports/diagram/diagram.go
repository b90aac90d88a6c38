// Package diagram draws lifeboat maps and analysis results: view builders
// (MapView, FunctionView, BlastView, MVCView) arrange a map and the results
// of its analyses into one Diagram, and writers turn a Diagram into
// Graphviz DOT (WriteDOT) or a Mermaid flowchart (WriteMermaid). It
// computes no analysis and does not lay graphs out, so it does not link
// Graphviz; the render sub-package lays a Diagram out with Graphviz and
// draws it as SVG or PNG.
package diagram

import (
	"github.com/lifeboat-dev/lifeboat/graph"
)

// Role is what a diagram node stands for; every role has one shape, the
// same in every view and every format.
type Role uint8

// The roles.
const (
	RoleFunction    Role = iota + 1 // a business function: rounded box
	RoleSystem                      // a system: box
	RoleVendor                      // a vendor the company uses: cylinder
	RoleFourthParty                 // a vendor reached only through other vendors: cylinder, lighter
	RoleFallback                    // a fallback of a node: note, dashed
	RoleJunction                    // a redundancy group (any, k of n): small circle
)

// String names the role in lower case ("fourth party").
func (r Role) String() string {
	switch r {
	case RoleFunction:
		return "function"
	case RoleSystem:
		return "system"
	case RoleVendor:
		return "vendor"
	case RoleFourthParty:
		return "fourth party"
	case RoleFallback:
		return "fallback"
	case RoleJunction:
		return "junction"
	}
	return "role?"
}

// State is how a node fares in the scenario a view shows. Views of the map
// alone use StateNormal only.
type State uint8

// The states.
const (
	StateNormal   State = iota // no scenario: drawn in the colours of its kind
	StateFaded                 // not affected, or not needed: light grey
	StateFailed                // failed in the scenario: black, bold red border
	StateDown                  // brought down: coloured by its halt band
	StateDegraded              // up only thanks to a fallback
	StateHolding               // a fallback that holds
)

// String names the state in lower case.
func (s State) String() string {
	switch s {
	case StateNormal:
		return "normal"
	case StateFaded:
		return "faded"
	case StateFailed:
		return "failed"
	case StateDown:
		return "down"
	case StateDegraded:
		return "degraded"
	case StateHolding:
		return "holding"
	}
	return "state?"
}

// Band is a time-to-halt class: the one colour scale of every view.
type Band uint8

// The bands. BandUnknown is a node known to be down when no time line was
// computed.
const (
	BandNone    Band = iota // not halted
	BandUnknown             // down, time to halt not computed
	Band1h                  // halted within the first hour
	Band4h                  // halted after 1h, within 4h
	Band24h                 // halted after 4h, within 24h
	BandLater               // halted after 24h
)

// Bands lists the bands of a time line, earliest first, as the legend
// shows them.
var Bands = []Band{Band1h, Band4h, Band24h, BandLater}

// BandOf is the band of a node that halts at t.
func BandOf(t graph.Duration) Band {
	switch {
	case t < graph.Hour:
		return Band1h
	case t < 4*graph.Hour:
		return Band4h
	case t < 24*graph.Hour:
		return Band24h
	}
	return BandLater
}

// String is the band as the legend shows it ("halts 1h–4h").
func (b Band) String() string {
	switch b {
	case BandNone:
		return "not halted"
	case BandUnknown:
		return "down (no time line)"
	case Band1h:
		return "halts < 1h"
	case Band4h:
		return "halts 1h–4h"
	case Band24h:
		return "halts 4h–24h"
	case BandLater:
		return "halts after 24h"
	}
	return "band?"
}

// Diagram is one view, ready for any writer: what to draw and how it
// fares, not where. Nodes, Edges and Clusters are in a deterministic
// order, and writers keep it, so equal diagrams give byte-identical output.
type Diagram struct {
	// Title is a one-line title; Notes are further lines under it (what
	// was collapsed or left out, which scenario).
	Title string
	Notes []string
	// Nodes are unique by ID. Map nodes keep their map id; nodes the view
	// adds have ids no map node can have: fallbacks "fallback#<id>",
	// junctions "<owner>#<n>", groups of collapsed nodes "group#<n>".
	Nodes []Node
	// Edges run from the node that needs to the node it needs, so that a
	// left-to-right layout puts functions left and vendors right.
	Edges []Edge
	// Clusters group nodes (Node.Cluster) in boxes, in this order.
	Clusters []Cluster
	// Legend explains every shape, colour and line style the view uses.
	Legend []LegendEntry
}

// Node is one box, cylinder or junction of a diagram.
type Node struct {
	ID    string
	Role  Role
	Label string // the name shown: the node's name, not its id
	// Lines are short lines shown under the label in a smaller font
	// ("core · tolerance 4h", "halted at 2h").
	Lines []string
	// Tooltip is shown on hover in SVG: the id and what the label leaves
	// out.
	Tooltip string
	Tier    graph.Tier // functions: drawn as border weight
	State   State
	Band    Band // StateDown: its time-to-halt band
	// Breached: a function down for longer than its tolerance.
	Breached bool
	Cluster  string // Cluster.ID, or "" for none
	// Count is how many map nodes a collapsed group stands for; 0 for a
	// single node. A group has the role of its members.
	Count int
}

// Edge is one requirement: From needs To.
type Edge struct {
	From, To string
	// Fallback: the edge belongs to a fallback (dashed).
	Fallback bool
	// State: StateNormal; StateDown for an edge along which an outage
	// spread (both ends down); StateHolding for a fallback edge that
	// holds; StateFaded for context.
	State State
	// Weight is how many requirements a collapsed edge stands for; 1 or 0
	// for a plain one.
	Weight int
}

// Cluster is a labelled box around nodes.
type Cluster struct {
	ID    string
	Label string
}

// LegendEntry explains one shape, colour or line style: a sample node
// (Node set), a sample edge (Edge set) or text alone.
type LegendEntry struct {
	Node *Node
	Edge *Edge
	Text string
}
