package diagram

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteDOT writes d as a Graphviz digraph laid out left to right:
// functions, then systems, vendors and fourth parties. Labels are names;
// ids are in tooltips (and in SVG the nodes' titles). The output depends
// on d only, byte for byte. It needs no Graphviz.
func WriteDOT(w io.Writer, d *Diagram) error {
	bw := bufio.NewWriter(w)
	writeDOT(bw, d)
	return bw.Flush()
}

// largeView is the number of nodes and edges above which the layout is
// made cheaper.
const largeView = 600

// denseView is the number of edges above which edges are drawn as
// polylines rather than splines. Routing edges is the largest share of
// the layout's time in a dense view (about 1,000 edges among 300 nodes,
// most of them spanning many ranks), and fitting splines a good share of
// that; polylines are routed round the nodes just the same, and in a view
// that dense their straight runs read no worse than curves. Straight lines
// (splines=line) would be cheaper still but cross the nodes.
const denseView = 800

// Font sizes, in points.
const (
	fontTitle  = 16
	fontNote   = 10
	fontNode   = 11
	fontSub    = 9
	fontJunc   = 8
	fontLegend = 12
)

func writeDOT(w *bufio.Writer, d *Diagram) {
	w.WriteString("digraph lifeboat {\n")
	splines := "true"
	if len(d.Edges) > denseView {
		splines = "polyline"
	}
	w.WriteString("\tgraph [rankdir=LR, newrank=true, splines=" + splines + ", outputorder=edgesfirst, " +
		"nodesep=0.22, ranksep=0.55, pad=0.3, bgcolor=\"#ffffff\", fontname=\"Helvetica\", " +
		"labelloc=t, labeljust=l, remincross=false")
	// Large views trade some polish for time: fewer crossing-reduction
	// passes and network-simplex iterations.
	if len(d.Nodes)+len(d.Edges) > largeView {
		w.WriteString(", mclimit=0.1, nslimit=1, nslimit1=1")
	} else {
		w.WriteString(", mclimit=0.5")
	}
	if title := titleHTML(d); title != "" {
		w.WriteString(", label=<" + title + ">")
	}
	if d.Title != "" {
		w.WriteString(", tooltip=" + quote(d.Title))
	}
	w.WriteString("];\n")
	w.WriteString("\tnode [fontname=\"Helvetica\", fontsize=" + strconv.Itoa(fontNode) +
		", margin=\"0.12,0.06\", height=0.4];\n")
	w.WriteString("\tedge [arrowsize=0.6, color=\"" + colEdge + "\"];\n")

	inCluster := map[string][]int{}
	for i := range d.Nodes {
		if c := d.Nodes[i].Cluster; c != "" {
			inCluster[c] = append(inCluster[c], i)
		}
	}
	known := map[string]bool{}
	for k, c := range d.Clusters {
		known[c.ID] = true
		w.WriteString("\tsubgraph cluster_" + strconv.Itoa(k) + " {\n")
		w.WriteString("\t\tgraph [label=<<B>" + html(c.Label) + "</B>>, style=\"rounded,filled\", fillcolor=\"#f8f9fa\", " +
			"color=\"#d2d7dc\", fontcolor=\"#3e4c59\", fontsize=" + strconv.Itoa(fontLegend) + ", tooltip=" + quote(c.Label) + "];\n")
		for _, i := range inCluster[c.ID] {
			w.WriteString("\t\t")
			writeDOTNode(w, d.Nodes[i].ID, &d.Nodes[i])
		}
		w.WriteString("\t}\n")
	}
	for i := range d.Nodes {
		if c := d.Nodes[i].Cluster; c == "" || !known[c] {
			w.WriteString("\t")
			writeDOTNode(w, d.Nodes[i].ID, &d.Nodes[i])
		}
	}
	writeDOTRanks(w, d)
	junction := map[string]bool{}
	for i := range d.Nodes {
		if d.Nodes[i].Role == RoleJunction {
			junction[d.Nodes[i].ID] = true
		}
	}
	for i := range d.Edges {
		e := &d.Edges[i]
		w.WriteString("\t" + quote(e.From) + " -> " + quote(e.To))
		writeDOTEdgeAttrs(w, e, junction[e.To])
		w.WriteString(";\n")
	}
	writeDOTLegend(w, d.Legend)
	w.WriteString("}\n")
}

// writeDOTRanks puts all functions in one column, all vendors in one
// column and all fourth parties in one column, so that the layout reads
// functions → systems → vendors → fourth parties from left to right
// whatever the requirements skip.
func writeDOTRanks(w *bufio.Writer, d *Diagram) {
	for _, r := range []Role{RoleFunction, RoleVendor, RoleFourthParty} {
		var ids []string
		for i := range d.Nodes {
			if d.Nodes[i].Role == r {
				ids = append(ids, d.Nodes[i].ID)
			}
		}
		if len(ids) < 2 {
			continue
		}
		w.WriteString("\t{rank=same;")
		for _, id := range ids {
			w.WriteString(" " + quote(id) + ";")
		}
		w.WriteString("}\n")
	}
}

// titleHTML is the graph label: the title in bold, the notes under it.
func titleHTML(d *Diagram) string {
	if d.Title == "" && len(d.Notes) == 0 {
		return ""
	}
	var b strings.Builder
	if d.Title != "" {
		b.WriteString("<FONT POINT-SIZE=\"" + strconv.Itoa(fontTitle) + "\"><B>" + html(d.Title) + "</B></FONT><BR ALIGN=\"LEFT\"/>")
	}
	for _, n := range d.Notes {
		b.WriteString("<FONT POINT-SIZE=\"" + strconv.Itoa(fontNote) + "\" COLOR=\"" + colSub + "\">" + html(n) + "</FONT><BR ALIGN=\"LEFT\"/>")
	}
	return b.String()
}

// nodeLabelHTML is a node's label: its name in lines, then its smaller
// lines.
func nodeLabelHTML(n *Node, l look) string {
	var b strings.Builder
	lines := labelLines(n)
	for i, s := range lines {
		if i > 0 {
			b.WriteString("<BR/>")
		}
		if n.Count > 1 {
			s = "<B>" + html(s) + "</B>"
		} else {
			s = html(s)
		}
		b.WriteString(s)
	}
	for _, s := range n.Lines {
		if b.Len() > 0 {
			b.WriteString("<BR/>")
		}
		b.WriteString("<FONT POINT-SIZE=\"" + strconv.Itoa(fontSub) + "\" COLOR=\"" + l.sub + "\">" + html(s) + "</FONT>")
	}
	if b.Len() == 0 {
		return " "
	}
	return b.String()
}

func writeDOTNode(w *bufio.Writer, id string, n *Node) {
	l := lookOf(n)
	w.WriteString(quote(id) + " [")
	if n.Role == RoleJunction {
		w.WriteString("label=" + quote(n.Label) + ", shape=circle, fixedsize=true, width=0.46, fontsize=" + strconv.Itoa(fontJunc))
	} else {
		w.WriteString("label=<" + nodeLabelHTML(n, l) + ">, shape=" + l.shape)
		if l.shape == "cylinder" {
			w.WriteString(", margin=\"0.1,0.11\"") // clear of the lid
		}
	}
	style := "filled"
	if l.rounded {
		style += ",rounded"
	}
	if l.dashed {
		style += ",dashed"
	}
	w.WriteString(", style=\"" + style + "\", fillcolor=\"" + l.fill + "\", color=\"" + l.border + "\"")
	if l.font != colInk {
		w.WriteString(", fontcolor=\"" + l.font + "\"")
	}
	if l.penwidth != 1 {
		w.WriteString(", penwidth=" + formatFloat(l.penwidth))
	}
	if l.peripheries > 0 {
		w.WriteString(", peripheries=" + strconv.Itoa(l.peripheries))
	}
	if n.Tooltip != "" {
		w.WriteString(", tooltip=" + quote(n.Tooltip))
	}
	w.WriteString("];\n")
}

func writeDOTEdgeAttrs(w *bufio.Writer, e *Edge, toJunction bool) {
	l := lookOfEdge(e)
	var attrs []string
	if l.color != colEdge {
		attrs = append(attrs, "color=\""+l.color+"\"")
	}
	if l.penwidth != 1 {
		attrs = append(attrs, "penwidth="+formatFloat(l.penwidth))
	}
	if l.dashed {
		attrs = append(attrs, "style=dashed")
	}
	if toJunction {
		attrs = append(attrs, "arrowhead=none")
	}
	if e.Weight > 1 {
		attrs = append(attrs, "tooltip=\""+thousands(e.Weight)+" requirements\"")
	}
	if len(attrs) > 0 {
		w.WriteString(" [" + strings.Join(attrs, ", ") + "]")
	}
}

// writeDOTLegend draws the legend as a cluster of one column, on a rank
// of its own at the right: sample nodes labelled with what they mean,
// line styles as their text underlined in the style (shape underline).
// Every entry is one node, so that the column keeps its order.
func writeDOTLegend(w *bufio.Writer, entries []LegendEntry) {
	if len(entries) == 0 {
		return
	}
	w.WriteString("\tsubgraph cluster_legend {\n")
	w.WriteString("\t\tgraph [label=<<B>Legend</B>>, style=\"rounded\", color=\"#c0c6cc\", fontcolor=\"#3e4c59\", fontsize=" +
		strconv.Itoa(fontLegend) + ", tooltip=\"Legend\"];\n")
	var ids []string
	for k, e := range entries {
		id := "legend#" + strconv.Itoa(k+1)
		ids = append(ids, id)
		switch {
		case e.Node != nil:
			n := *e.Node
			w.WriteString("\t\t")
			writeDOTNode(w, id, &n)
			if e.Text != "" {
				ids = append(ids, id+"t")
				w.WriteString("\t\t" + quote(id+"t") + " [label=" + quote(e.Text) + ", shape=plaintext, style=\"\", height=0.2, fontsize=" +
					strconv.Itoa(fontSub) + ", fontcolor=\"" + colSub + "\"];\n")
			}
		case e.Edge != nil:
			l := lookOfEdge(e.Edge)
			style := "solid"
			if l.dashed {
				style = "dashed"
			}
			w.WriteString("\t\t" + quote(id) + " [label=" + quote(e.Text) + ", shape=underline, style=\"" + style +
				"\", color=\"" + l.color + "\", penwidth=" + formatFloat(l.penwidth) + ", width=1.1, height=0.3, fontsize=" +
				strconv.Itoa(fontNode-1) + "];\n")
		default:
			w.WriteString("\t\t" + quote(id) + " [label=" + quote(e.Text) + ", shape=plaintext, style=\"\"];\n")
		}
	}
	// One rank, ordered by flat edges; dot puts the head of a flat edge
	// above its tail when laying out left to right.
	w.WriteString("\t\t{rank=same;")
	for _, id := range ids {
		w.WriteString(" " + quote(id) + ";")
	}
	w.WriteString("}\n")
	if len(ids) > 1 {
		w.WriteString("\t\t")
		for k := len(ids) - 1; k >= 0; k-- {
			w.WriteString(quote(ids[k]))
			if k > 0 {
				w.WriteString(" -> ")
			}
		}
		w.WriteString(" [style=invis];\n")
	}
	w.WriteString("\t}\n")
}

// quote renders s as a DOT string: quotes and backslashes escaped, line
// breaks as \n.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// html escapes s for a Graphviz HTML-like label.
func html(s string) string {
	if !strings.ContainsAny(s, "&<>\"") {
		return s
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;")
	return r.Replace(s)
}
