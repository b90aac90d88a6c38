package diagram

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteMermaid writes d as a Mermaid flowchart laid out left to right,
// in the same visual language as WriteDOT: functions as stadiums, systems
// as boxes, vendors and fourth parties as cylinders, fallbacks as flags,
// junctions as circles, fallback lines dotted, and the same colours.
// Mermaid ids are the diagram's ids with every character other than a
// letter, digit or underscore replaced by an underscore (and a suffix
// where two would clash or one is a Mermaid keyword). The output depends
// on d only, byte for byte.
func WriteMermaid(w io.Writer, d *Diagram) error {
	bw := bufio.NewWriter(w)
	writeMermaid(bw, d)
	return bw.Flush()
}

var mermaidKeywords = map[string]bool{
	"end": true, "graph": true, "subgraph": true, "flowchart": true, "click": true, "style": true,
	"classdef": true, "class": true, "linkstyle": true, "direction": true, "call": true, "href": true,
	"default": true, "interpolate": true,
}

// mermaidIDs gives every node, cluster and legend entry a Mermaid id.
type mermaidIDs struct {
	of   map[string]string
	used map[string]bool
}

func (m *mermaidIDs) id(key string) string {
	if id, ok := m.of[key]; ok {
		return id
	}
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	base := b.String()
	if base == "" || base[0] >= '0' && base[0] <= '9' {
		base = "n_" + base
	}
	id := base
	for k := 2; m.used[strings.ToLower(id)] || mermaidKeywords[strings.ToLower(id)]; k++ {
		id = base + "_" + strconv.Itoa(k)
	}
	m.used[strings.ToLower(id)] = true
	m.of[key] = id
	return id
}

func writeMermaid(w *bufio.Writer, d *Diagram) {
	if d.Title != "" {
		w.WriteString("---\ntitle: " + mermaidTitle(d.Title) + "\n---\n")
	}
	w.WriteString("flowchart LR\n")
	ids := &mermaidIDs{of: map[string]string{}, used: map[string]bool{}}
	// Reserve the node ids first, so that they do not depend on the
	// clusters' names.
	for i := range d.Nodes {
		ids.id(d.Nodes[i].ID)
	}
	classes := &mermaidClasses{byKey: map[string]string{}, members: map[string][]string{}}

	inCluster := map[string][]int{}
	for i := range d.Nodes {
		if c := d.Nodes[i].Cluster; c != "" {
			inCluster[c] = append(inCluster[c], i)
		}
	}
	known := map[string]bool{}
	for _, c := range d.Clusters {
		known[c.ID] = true
		w.WriteString("  subgraph " + ids.id("cluster#"+c.ID) + " [\"" + mermaidText(c.Label) + "\"]\n")
		for _, i := range inCluster[c.ID] {
			w.WriteString("    ")
			writeMermaidNode(w, ids.id(d.Nodes[i].ID), &d.Nodes[i], classes)
		}
		w.WriteString("  end\n")
	}
	for i := range d.Nodes {
		if c := d.Nodes[i].Cluster; c == "" || !known[c] {
			w.WriteString("  ")
			writeMermaidNode(w, ids.id(d.Nodes[i].ID), &d.Nodes[i], classes)
		}
	}
	junction := map[string]bool{}
	for i := range d.Nodes {
		if d.Nodes[i].Role == RoleJunction {
			junction[d.Nodes[i].ID] = true
		}
	}
	links := &mermaidLinks{byKey: map[string][]int{}}
	for i := range d.Edges {
		e := &d.Edges[i]
		w.WriteString("  " + ids.id(e.From) + " " + mermaidArrow(e, junction[e.To]) + " " + ids.id(e.To) + "\n")
		links.add(e)
	}
	if len(d.Legend) > 0 || len(d.Notes) > 0 {
		w.WriteString("  subgraph " + ids.id("legend") + " [\"Legend\"]\n")
		for k, e := range d.Legend {
			id := ids.id("legend#" + strconv.Itoa(k+1))
			switch {
			case e.Node != nil:
				n := *e.Node
				if e.Text != "" {
					n.Label += ": " + e.Text
					if n.Role == RoleJunction {
						n.Role = RoleSystem // a sentence does not fit a circle
						n.Label = e.Text + " (" + e.Node.Label + ")"
					}
				}
				w.WriteString("    ")
				writeMermaidNode(w, id, &n, classes)
			case e.Edge != nil:
				to := ids.id("legend#" + strconv.Itoa(k+1) + "t")
				w.WriteString("    " + id + "[\" \"] " + mermaidArrow(e.Edge, false) + "|" + mermaidText(e.Text) + "| " + to + "[\" \"]\n")
				links.add(e.Edge)
				classes.add("legendpoint", "fill:#ffffff,stroke:#ffffff", id)
				classes.add("legendpoint", "", to)
			default:
				w.WriteString("    " + id + "[\"" + mermaidText(e.Text) + "\"]\n")
			}
		}
		for k, n := range d.Notes {
			id := ids.id("note#" + strconv.Itoa(k+1))
			w.WriteString("    " + id + "[\"" + mermaidText(n) + "\"]\n")
			classes.add("note", "fill:#ffffff,stroke:#ffffff,color:"+colSub, id)
		}
		w.WriteString("  end\n")
	}
	classes.write(w)
	links.write(w)
	for _, c := range d.Clusters {
		w.WriteString("  style " + ids.id("cluster#"+c.ID) + " fill:#f8f9fa,stroke:#d2d7dc,color:#3e4c59\n")
	}
	if len(d.Legend) > 0 || len(d.Notes) > 0 {
		w.WriteString("  style " + ids.id("legend") + " fill:#ffffff,stroke:#c0c6cc,color:#3e4c59\n")
	}
}

func writeMermaidNode(w *bufio.Writer, id string, n *Node, classes *mermaidClasses) {
	var b strings.Builder
	for i, s := range labelLines(n) {
		if i > 0 {
			b.WriteString("<br/>")
		}
		b.WriteString(mermaidText(s))
	}
	for _, s := range n.Lines {
		if b.Len() > 0 {
			b.WriteString("<br/>")
		}
		b.WriteString("<small>" + mermaidText(s) + "</small>")
	}
	label := "\"" + b.String() + "\""
	var shape string
	switch n.Role {
	case RoleFunction:
		shape = "([" + label + "])"
	case RoleVendor, RoleFourthParty:
		shape = "[(" + label + ")]"
	case RoleFallback:
		shape = ">" + label + "]"
	case RoleJunction:
		shape = "((" + label + "))"
	default:
		shape = "[" + label + "]"
	}
	w.WriteString(id + shape + "\n")
	l := lookOf(n)
	style := "fill:" + l.fill + ",stroke:" + l.border + ",color:" + l.font
	if l.penwidth != 1 {
		style += ",stroke-width:" + formatFloat(l.penwidth) + "px"
	}
	if l.dashed {
		style += ",stroke-dasharray:5 3"
	}
	if l.peripheries > 1 {
		style += ",stroke-width:" + formatFloat(max(l.penwidth, 2)+1) + "px"
	}
	classes.add("", style, id)
}

func mermaidArrow(e *Edge, toJunction bool) string {
	switch {
	case e.Fallback && toJunction:
		return "-.-"
	case e.Fallback:
		return "-.->"
	case toJunction:
		return "---"
	}
	return "-->"
}

// mermaidClasses collects one classDef per distinct style, named c1, c2,
// … in order of first use.
type mermaidClasses struct {
	order   []string // class names in order
	styles  []string
	byKey   map[string]string
	members map[string][]string
}

func (c *mermaidClasses) add(name, style, id string) {
	if name != "" {
		if _, ok := c.byKey["name:"+name]; !ok {
			c.byKey["name:"+name] = name
			c.order = append(c.order, name)
			c.styles = append(c.styles, style)
		}
		c.members[name] = append(c.members[name], id)
		return
	}
	n, ok := c.byKey[style]
	if !ok {
		n = "c" + strconv.Itoa(len(c.order)+1)
		c.byKey[style] = n
		c.order = append(c.order, n)
		c.styles = append(c.styles, style)
	}
	c.members[n] = append(c.members[n], id)
}

func (c *mermaidClasses) write(w *bufio.Writer) {
	for i, n := range c.order {
		w.WriteString("  classDef " + n + " " + c.styles[i] + "\n")
	}
	for _, n := range c.order {
		w.WriteString("  class " + strings.Join(c.members[n], ",") + " " + n + "\n")
	}
}

// mermaidLinks groups links by style for linkStyle, which names links by
// their position.
type mermaidLinks struct {
	n     int
	order []string
	byKey map[string][]int
}

func (l *mermaidLinks) add(e *Edge) {
	el := lookOfEdge(e)
	style := "stroke:" + el.color
	if el.penwidth != 1 {
		style += ",stroke-width:" + formatFloat(el.penwidth) + "px"
	}
	if _, ok := l.byKey[style]; !ok {
		l.order = append(l.order, style)
	}
	l.byKey[style] = append(l.byKey[style], l.n)
	l.n++
}

func (l *mermaidLinks) write(w *bufio.Writer) {
	for _, style := range l.order {
		idx := l.byKey[style]
		parts := make([]string, len(idx))
		for i, k := range idx {
			parts[i] = strconv.Itoa(k)
		}
		w.WriteString("  linkStyle " + strings.Join(parts, ",") + " " + style + "\n")
	}
}

// mermaidText escapes text for a quoted Mermaid label: quotes, markup
// and '#' as entity codes.
func mermaidText(s string) string {
	if !strings.ContainsAny(s, "\"#<>&\n") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '\n':
			b.WriteString("<br/>")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mermaidTitle makes a title safe as a YAML plain scalar: quoted when it
// holds anything YAML would read otherwise.
func mermaidTitle(s string) string {
	if strings.ContainsAny(s, ":#'\"{}[],&*!|>%@`\n") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}
