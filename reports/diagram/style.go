package diagram

import (
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// The visual language, shared by every writer: one shape per role, one
// colour scale for time to halt, dashed lines for fallbacks.

// look is how a node is drawn.
type look struct {
	shape       string // Graphviz shape
	rounded     bool
	dashed      bool
	fill        string
	border      string
	font        string // label colour
	sub         string // colour of the smaller lines
	penwidth    float64
	peripheries int // 0: the shape's default
}

// Colours.
const (
	colInk      = "#1f2933"
	colSub      = "#52606d"
	colFadeFill = "#f5f6f7"
	colFadeLine = "#c9ced3"
	colFadeInk  = "#8a939b"
	colEdge     = "#7b8794"
	colEdgeFade = "#dde1e4"
	colDownEdge = "#b2182b"
	colGreen    = "#1b7837"
	colBreach   = "#b2182b"
)

// bandFill is the time-to-halt colour scale.
func bandFill(b Band) string {
	switch b {
	case Band1h:
		return "#d7301f"
	case Band4h:
		return "#fc8d59"
	case Band24h:
		return "#fdcc8a"
	case BandLater:
		return "#fef0d9"
	case BandUnknown:
		return "#f4a582"
	}
	return colFadeFill
}

// lookOf is the look of n in its state.
func lookOf(n *Node) look {
	l := look{font: colInk, sub: colSub, penwidth: 1}
	switch n.Role {
	case RoleFunction:
		l.shape, l.rounded, l.border = "box", true, "#2b5d8a"
		switch n.Tier {
		case graph.TierCore:
			l.fill, l.penwidth = "#bcd6ee", 3
		case graph.TierImportant:
			l.fill, l.penwidth = "#d4e4f4", 2
		default:
			l.fill = "#eaf2fa"
		}
	case RoleSystem:
		l.shape, l.fill, l.border = "box", "#e8ecef", "#52606d"
	case RoleVendor:
		l.shape, l.fill, l.border = "cylinder", "#fbdca8", "#9c6500"
	case RoleFourthParty:
		l.shape, l.fill, l.border = "cylinder", "#fff3df", "#c08a3e"
	case RoleFallback:
		l.shape, l.fill, l.border, l.dashed = "note", "#e3f2e1", colGreen, true
	case RoleJunction:
		l.shape, l.fill, l.border = "circle", "#ffffff", "#52606d"
	}
	if n.Count > 1 {
		l.peripheries = 2
	}
	switch n.State {
	case StateFaded:
		l.fill, l.border, l.font, l.sub = colFadeFill, colFadeLine, colFadeInk, colFadeInk
		l.penwidth = min(l.penwidth, 1.5)
	case StateFailed:
		l.fill, l.border, l.font, l.sub, l.penwidth = "#1f1f1f", "#d7191c", "#ffffff", "#f0f0f0", 3.5
	case StateDown:
		l.fill = bandFill(n.Band)
		l.border = "#67000d"
		if n.Band == Band1h {
			l.font, l.sub = "#ffffff", "#fff5f0"
		}
	case StateDegraded:
		l.fill, l.border = "#d9f0d3", colGreen
	case StateHolding:
		l.fill, l.border, l.penwidth = "#a6dba0", colGreen, 2
	}
	if n.Breached {
		l.border, l.penwidth, l.peripheries = colBreach, 2.5, 2
	}
	return l
}

// edgeLook is how an edge is drawn: colour, width, dashed, arrow.
type edgeLook struct {
	color    string
	penwidth float64
	dashed   bool
}

func lookOfEdge(e *Edge) edgeLook {
	l := edgeLook{color: colEdge, penwidth: 1, dashed: e.Fallback}
	if e.Fallback {
		l.color = "#4d9221"
	}
	if e.Weight > 1 {
		// Collapsed edges: thicker for more requirements, slowly.
		w := 1.0
		for n := e.Weight; n > 1; n /= 4 {
			w += 0.5
		}
		l.penwidth = min(w, 3)
	}
	switch e.State {
	case StateFaded:
		l.color = colEdgeFade
	case StateDown:
		l.color, l.penwidth = colDownEdge, max(l.penwidth, 2)
	case StateHolding:
		l.color, l.penwidth = colGreen, max(l.penwidth, 2)
	}
	return l
}

// wrap breaks s into lines of at most width runes at spaces (a longer
// word gets a line of its own), at most maxLines lines; the last line ends
// in "…" when s was cut.
func wrap(s string, width, maxLines int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		if cur != "" && runeLen(cur)+1+runeLen(w) > width {
			lines = append(lines, cur)
			cur = ""
		}
		if cur == "" {
			cur = w
		} else {
			cur += " " + w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = strings.TrimRight(lines[maxLines-1], ",;:-") + " …"
	}
	return lines
}

func runeLen(s string) int { return len([]rune(s)) }

// labelLines are the lines of a node's name as drawn.
func labelLines(n *Node) []string {
	switch n.Role {
	case RoleJunction:
		return []string{n.Label}
	}
	if n.Label == "" {
		return nil
	}
	return wrap(n.Label, 24, 3)
}

// formatFloat renders a penwidth without trailing zeros.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
