package yaml

import (
	"bufio"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Write writes m as one native map file that Parse reads back to an equal
// map: name and currency, then functions, systems and vendors in id order,
// then fallbacks, attributes in a fixed order and only those that are set.
// Requirements read as design.md writes them: a list of ids in brackets
// when it has nothing else, otherwise one item per line with groups as
// {any: [...]} or atleast:/of: mappings, and groups nested inside groups in
// the text form (any(a, all(b, c))). The output depends on m only. Write
// streams: memory use does not grow with the map.
func Write(w io.Writer, m *graph.Map) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	e := &encoder{}
	if m.Name != "" {
		e.key(0, "name")
		e.str(m.Name, false)
		e.nl()
	}
	if m.Currency != "" {
		e.key(0, "currency")
		e.str(m.Currency, false)
		e.nl()
	}
	for _, k := range graph.Kinds {
		first := true
		for _, n := range m.Nodes {
			if n.Kind != k {
				continue
			}
			if first {
				e.b = append(e.b, k.Plural()...)
				e.b = append(e.b, ":\n"...)
				first = false
			}
			e.node(n)
			if len(e.b) > 32<<10 {
				if _, err := bw.Write(e.b); err != nil {
					return err
				}
				e.b = e.b[:0]
			}
		}
	}
	if len(m.Fallbacks) > 0 {
		e.b = append(e.b, "fallbacks:\n"...)
		for _, f := range m.Fallbacks {
			e.fallback(f)
		}
	}
	if _, err := bw.Write(e.b); err != nil {
		return err
	}
	return bw.Flush()
}

type encoder struct {
	b     []byte
	first bool // the next key opens a list item ("  - ")
}

func (e *encoder) nl() { e.b = append(e.b, '\n') }

// key writes "key: " (without the space when the value follows on the next
// lines, see keyBlock) at the given indentation; inside a list item the
// first key goes after the "- ".
func (e *encoder) key(ind int, k string) {
	if e.first {
		e.b = append(e.b, strings.Repeat(" ", ind-2)...)
		e.b = append(e.b, "- "...)
		e.first = false
	} else {
		for i := 0; i < ind; i++ {
			e.b = append(e.b, ' ')
		}
	}
	if keySafe(k) {
		e.b = append(e.b, k...)
	} else {
		e.b = appendQuoted(e.b, k)
	}
	e.b = append(e.b, ": "...)
}

func (e *encoder) keyBlock(ind int, k string) {
	e.key(ind, k)
	e.b = e.b[:len(e.b)-1]
	e.nl()
}

func (e *encoder) str(s string, flow bool) {
	if plainSafe(s, flow) {
		e.b = append(e.b, s...)
	} else {
		e.b = appendQuoted(e.b, s)
	}
}

func (e *encoder) text(ind int, k, v string) {
	if v == "" {
		return
	}
	e.key(ind, k)
	e.str(v, false)
	e.nl()
}

func (e *encoder) dur(ind int, k string, d *graph.Duration) {
	if d == nil {
		return
	}
	e.key(ind, k)
	e.b = append(e.b, d.String()...)
	e.nl()
}

func (e *encoder) num(ind int, k string, f float64) {
	e.key(ind, k)
	e.b = strconv.AppendFloat(e.b, f, 'f', -1, 64)
	e.nl()
}

func (e *encoder) list(ind int, k string, items []string) {
	if len(items) == 0 {
		return
	}
	e.key(ind, k)
	e.flowList(items)
	e.nl()
}

func (e *encoder) flowList(items []string) {
	e.b = append(e.b, '[')
	for i, s := range items {
		if i > 0 {
			e.b = append(e.b, ", "...)
		}
		e.str(s, true)
	}
	e.b = append(e.b, ']')
}

func (e *encoder) node(n *graph.Node) {
	const ind = 4
	e.first = true
	e.text(ind, "id", n.ID)
	e.text(ind, "name", n.Name)
	if n.Tier != graph.TierNone {
		e.text(ind, "tier", n.Tier.String())
	}
	e.text(ind, "owner", n.Owner)
	e.dur(ind, "tolerance", n.Tolerance)
	e.dur(ind, "rto", n.RTO)
	e.dur(ind, "rpo", n.RPO)
	e.dur(ind, "buffer", n.Buffer)
	e.dur(ind, "restore", n.Restore)
	if n.ImpactPerHour != 0 {
		e.num(ind, "impact_per_hour", n.ImpactPerHour)
	}
	if n.Regulated {
		e.key(ind, "regulated")
		e.b = append(e.b, "true\n"...)
	}
	if r := n.Responsibility; r != (graph.Responsibility{}) {
		e.keyBlock(ind, "responsibility")
		e.text(ind+2, "monitor", r.Monitor)
		e.text(ind+2, "respond", r.Respond)
		e.text(ind+2, "repair", r.Repair)
	}
	e.text(ind, "lei", n.LEI)
	e.text(ind, "country", n.Country)
	e.text(ind, "parent", n.Parent)
	e.list(ind, "aliases", n.Aliases)
	if n.Probability != nil {
		e.num(ind, "probability", *n.Probability)
	}
	e.dur(ind, "outage_duration", n.OutageDuration)
	if c := n.Contract; c != nil && *c != (graph.Contract{}) {
		e.keyBlock(ind, "contract")
		e.text(ind+2, "ref", c.Ref)
		if c.AnnualFee != 0 {
			e.num(ind+2, "annual_fee", c.AnnualFee)
		}
		if c.LiabilityCap != 0 {
			e.num(ind+2, "liability_cap", c.LiabilityCap)
		}
		e.text(ind+2, "sla", c.SLA)
		e.text(ind+2, "notice", c.Notice)
		e.text(ind+2, "exit_plan", c.ExitPlan)
		e.text(ind+2, "substitutability", c.Substitutability)
		e.text(ind+2, "reviewed", c.Reviewed)
	}
	if len(n.Contacts) > 0 {
		e.keyBlock(ind, "contacts")
		for _, c := range n.Contacts {
			if c == (graph.Contact{}) {
				continue
			}
			e.first = true
			e.text(ind+4, "role", c.Role)
			e.text(ind+4, "name", c.Name)
			e.text(ind+4, "phone", c.Phone)
			e.text(ind+4, "email", c.Email)
		}
	}
	e.list(ind, "tags", n.Tags)
	if hasAttrs(n.Attrs) {
		e.keyBlock(ind, "attrs")
		keys := make([]string, 0, len(n.Attrs))
		for k := range n.Attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if v := n.Attrs[k]; v != "" {
				e.key(ind+2, k)
				e.str(v, false)
				e.nl()
			}
		}
	}
	e.requires(ind, n.Requires)
	if e.first { // a node without id: still a valid entry
		e.b = append(e.b, "  - {}\n"...)
		e.first = false
	}
}

func (e *encoder) fallback(f *graph.Fallback) {
	const ind = 4
	e.first = true
	e.text(ind, "id", f.ID)
	e.text(ind, "for", f.For)
	e.text(ind, "name", f.Name)
	e.text(ind, "owner", f.Owner)
	if f.Activation != 0 {
		e.dur(ind, "activation", &f.Activation)
	}
	e.dur(ind, "endurance", f.Endurance)
	if f.Capacity != 1 {
		e.num(ind, "capacity", f.Capacity)
	}
	if len(f.Steps) > 0 {
		e.keyBlock(ind, "steps")
		for _, s := range f.Steps {
			e.b = append(e.b, "      - "...)
			e.str(s, false)
			e.nl()
		}
	}
	e.requires(ind, f.Requires)
	if e.first {
		e.b = append(e.b, "  - {}\n"...)
		e.first = false
	}
}

func (e *encoder) requires(ind int, x *graph.Expr) {
	if x == nil {
		return
	}
	items := []*graph.Expr{x}
	if x.Op == graph.OpAll {
		items = x.Args
	}
	if len(items) == 0 {
		return
	}
	if allRefs(items) && len(items) <= 8 {
		e.key(ind, "requires")
		e.refList(items)
		e.nl()
		return
	}
	e.keyBlock(ind, "requires")
	for _, it := range items {
		e.b = append(e.b, "      - "...)
		switch {
		case it.Op == graph.OpRef:
			e.str(it.Ref, false)
		case !allRefs(it.Args) || len(it.Args) == 0:
			// Nested groups read best in the text form, which is a safe
			// plain scalar: ids, parentheses, commas and spaces.
			e.b = append(e.b, exprText(it)...)
		case it.Op == graph.OpAtLeast:
			e.b = append(e.b, "atleast: "...)
			e.b = strconv.AppendInt(e.b, int64(it.K), 10)
			e.b = append(e.b, "\n        of: "...)
			e.refList(it.Args)
		default:
			if it.Op == graph.OpAny {
				e.b = append(e.b, "any: "...)
			} else {
				e.b = append(e.b, "all: "...)
			}
			e.refList(it.Args)
		}
		e.nl()
	}
}

// exprText renders a group in the text form; ids that the text form
// cannot carry are impossible here, since only valid ids reach a Map.
func exprText(x *graph.Expr) string {
	s := graph.All(x).String()
	if !plainSafe(s, false) {
		return string(appendQuoted(nil, s))
	}
	return s
}

func (e *encoder) refList(items []*graph.Expr) {
	e.b = append(e.b, '[')
	for i, a := range items {
		if i > 0 {
			e.b = append(e.b, ", "...)
		}
		e.str(a.Ref, true)
	}
	e.b = append(e.b, ']')
}

func allRefs(xs []*graph.Expr) bool {
	for _, x := range xs {
		if x.Op != graph.OpRef {
			return false
		}
	}
	return true
}

// keySafe reports whether a mapping key can be written unquoted.
func keySafe(k string) bool {
	return k != "" && simpleKey(k) && k[0] != ' ' && k[len(k)-1] != ' ' && k[0] != '-' && plainSafe(k, false)
}

// plainSafe reports whether s can be written as a plain scalar that every
// YAML reader takes for the same string (flow: inside [...]).
func plainSafe(s string, flow bool) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	switch s {
	case "~", "null", "Null", "NULL":
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan":
		return false
	}
	c := s[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '/' || c == '(' || c >= 0x80) {
		return false
	}
	if c >= '0' && c <= '9' || c == '.' {
		if _, err := parseNumber(s); err == nil {
			return false
		}
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if flow && strings.IndexByte(",[]{}:#", c) >= 0 {
			return false
		}
	}
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff {
			return false
		}
	}
	return true
}

// appendQuoted appends s as a double-quoted YAML scalar.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r < 0x20 || r == 0x7f:
			b = append(b, '\\', 'x')
			b = append(b, "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
		case r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff || r == utf8.RuneError:
			b = append(b, '\\', 'u')
			b = append(b, []byte(strings.ToLower(strconv.FormatInt(int64(r)|0x10000, 16)[1:]))...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

func hasAttrs(a map[string]string) bool {
	for _, v := range a {
		if v != "" {
			return true
		}
	}
	return false
}
