package openpsa

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// monotoneHint ends every message about a formula lifeboat cannot read.
const monotoneHint = "lifeboat models monotone failure logic only"

type defKind uint8

const (
	gateDef defKind = iota + 1
	basicDef
	houseDef
	paramDef
)

func (k defKind) String() string {
	switch k {
	case gateDef:
		return "gate"
	case basicDef:
		return "basic event"
	case houseDef:
		return "house event"
	}
	return "parameter"
}

// container is a scope: the model's global scope, a fault tree or a
// component.
type container struct {
	path   string // "" for the global scope, else "tree" or "tree.comp..."
	tree   string // the enclosing fault tree's name
	parent *container
	public bool // the default role of what is defined inside
}

// def is one definition: a gate, basic event, house event or parameter.
type def struct {
	kind   defKind
	name   string // as written in name="..."
	path   string // full path: container path + "." + name
	c      *container
	e      *elem
	public bool
	id     string // the lifeboat id (events)

	state      uint8 // 0 new, 1 being evaluated, 2 done
	val        value // gates and house events: the converted formula
	bad        bool  // the formula has errors already reported
	referenced bool  // gates: another gate references it

	num float64    // parameters: the value
	err *evalError // parameters: why there is no value
}

// value is a converted formula: a constant, or failure logic as a
// requirement expression (k == 0).
type value struct {
	k    int8 // 1: always failed, -1: never failed, 0: expr
	expr *graph.Expr
}

var (
	alwaysFailed = value{k: 1}
	neverFailed  = value{k: -1}
)

// model gathers the definitions of one or more files and converts them.
type model struct {
	mission  float64
	ps       graph.Problems
	defs     []*def // document order
	events   map[string]*def
	eventsG  map[string]*def // public events by name
	params   map[string]*def
	paramsG  map[string]*def // public parameters by name
	ids      map[string]*def
	treeName string
}

func newModel(mission float64) *model {
	return &model{mission: mission,
		events: map[string]*def{}, eventsG: map[string]*def{},
		params: map[string]*def{}, paramsG: map[string]*def{},
		ids: map[string]*def{}}
}

func (m *model) errorf(pos graph.Pos, hint, format string, a ...any) {
	m.ps.Add(graph.Problem{Pos: pos, Severity: graph.Error, Msg: fmt.Sprintf(format, a...), Hint: hint})
}

func (m *model) warnf(pos graph.Pos, hint, format string, a ...any) {
	m.ps.Add(graph.Problem{Pos: pos, Severity: graph.Warning, Msg: fmt.Sprintf(format, a...), Hint: hint})
}

func (m *model) infof(pos graph.Pos, format string, a ...any) {
	m.ps.Add(graph.Problem{Pos: pos, Severity: graph.Info, Msg: fmt.Sprintf(format, a...)})
}

// ignoredTop are MEF elements outside fault trees that lifeboat skips
// with a warning: event trees and their kin have no place in a map.
var ignoredTop = map[string]bool{
	"define-event-tree": true, "define-initiating-event": true, "define-rule": true,
	"define-sequence": true, "define-consequence": true, "define-consequence-group": true,
	"define-alignment": true, "define-extern-library": true, "define-extern-function": true,
	"define-substitution": true,
}

func isMeta(name string) bool { return name == "label" || name == "attributes" }

// addFile collects the definitions of one parsed file.
func (m *model) addFile(root *elem) {
	if root.name != "opsa-mef" {
		m.errorf(root.pos, "an Open-PSA model file starts with <opsa-mef>", "root element is <%s>, not <opsa-mef>", root.name)
		return
	}
	global := &container{public: true}
	for _, k := range root.kids {
		switch k.name {
		case "define-fault-tree":
			name, ok := m.name(k)
			if !ok {
				continue
			}
			if m.treeName == "" {
				m.treeName = name
			}
			c := &container{path: name, tree: name, parent: global, public: m.role(k, true)}
			m.collect(k, c)
		case "model-data":
			for _, d := range k.kids {
				switch d.name {
				case "define-basic-event", "define-house-event", "define-parameter":
					m.define(d, global)
				case "label", "attributes":
				case "define-CCF-group":
					m.ccf(d)
				default:
					m.unknown(d, k.name)
				}
			}
		case "define-gate", "define-basic-event", "define-house-event", "define-parameter":
			m.define(k, global)
		case "define-CCF-group":
			m.ccf(k)
		case "label", "attributes":
		default:
			if ignoredTop[k.name] {
				m.warnf(k.pos, "lifeboat reads the fault trees of a model only", "<%s> ignored", k.name)
				continue
			}
			m.unknown(k, root.name)
		}
	}
}

func (m *model) ccf(e *elem) {
	m.errorf(e.pos, "expand the common-cause group into explicit basic events and gates",
		"unsupported element <%s>: common-cause groups are not supported", e.name)
}

func (m *model) unknown(e *elem, parent string) {
	m.errorf(e.pos, "", "unknown element <%s> in <%s>", e.name, parent)
}

// collect gathers the definitions inside a fault tree or component.
func (m *model) collect(e *elem, c *container) {
	for _, k := range e.kids {
		switch k.name {
		case "define-gate", "define-basic-event", "define-house-event", "define-parameter":
			m.define(k, c)
		case "define-component":
			name, ok := m.name(k)
			if !ok {
				continue
			}
			m.collect(k, &container{path: c.path + "." + name, tree: c.tree, parent: c, public: m.role(k, c.public)})
		case "label", "attributes":
		case "define-CCF-group":
			m.ccf(k)
		default:
			m.unknown(k, e.name)
		}
	}
}

// name returns e's name attribute, reporting it when missing.
func (m *model) name(e *elem) (string, bool) {
	name, ok := e.get("name")
	if !ok || strings.TrimSpace(name) == "" {
		m.errorf(e.pos, fmt.Sprintf(`write <%s name="...">`, e.name), "<%s> without a name", e.name)
		return "", false
	}
	return strings.TrimSpace(name), true
}

func (m *model) role(e *elem, def bool) bool {
	r, ok := e.get("role")
	switch {
	case !ok:
		return def
	case r == "public":
		return true
	case r == "private":
		return false
	}
	m.errorf(e.pos, "use public or private", "role %q", r)
	return def
}

func (m *model) define(e *elem, c *container) {
	name, ok := m.name(e)
	if !ok {
		return
	}
	d := &def{name: name, c: c, e: e, public: m.role(e, c.public)}
	switch e.name {
	case "define-gate":
		d.kind = gateDef
	case "define-basic-event":
		d.kind = basicDef
	case "define-house-event":
		d.kind = houseDef
	default:
		d.kind = paramDef
	}
	d.path = name
	if c.path != "" {
		d.path = c.path + "." + name
	}
	table, global := m.events, m.eventsG
	if d.kind == paramDef {
		table, global = m.params, m.paramsG
	}
	if old, dup := table[d.path]; dup {
		m.dup(d, old)
		return
	}
	if d.public {
		if old, dup := global[name]; dup {
			m.dup(d, old)
			return
		}
		global[name] = d
	}
	table[d.path] = d
	m.defs = append(m.defs, d)
}

func (m *model) dup(d, old *def) {
	m.ps.Add(graph.Problem{Pos: d.e.pos, Severity: graph.Error,
		Msg:     fmt.Sprintf("%s %q is already defined as a %s at %s", d.kind, d.name, old.kind, old.e.pos),
		Hint:    "names of gates and events must be unique in a model",
		Related: []graph.Pos{old.e.pos}})
}

// lookup resolves a reference written inside container c: first relative
// to c and its enclosing containers, then among public names, then as a
// full path.
func lookup(table, global map[string]*def, name string, c *container) *def {
	for x := c; x != nil; x = x.parent {
		if x.path == "" {
			continue
		}
		if d := table[x.path+"."+name]; d != nil {
			return d
		}
	}
	if d := global[name]; d != nil {
		return d
	}
	return table[name]
}

// sanitize maps a MEF name onto a lifeboat id: characters outside
// [A-Za-z0-9._:/-] become '-', and a name not starting with a letter or
// digit gets an "x" in front.
func sanitize(name string) string {
	if graph.ValidID(name) {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (isAlnum(byte(r)) || strings.ContainsRune("._:/-", r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if s == "" || !isAlnum(s[0]) {
		s = "x" + s
	}
	return s
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mefName is how a definition is named in the model as a user would write
// it: its name when public, its path inside the fault tree when private.
func (d *def) mefName() string {
	if d.public || d.c.tree == "" {
		return d.name
	}
	return strings.TrimPrefix(d.path, d.c.tree+".")
}

// assignIDs gives every gate and basic event a unique lifeboat id, in
// document order.
func (m *model) assignIDs() {
	for _, d := range m.defs {
		if d.kind != gateDef && d.kind != basicDef {
			continue
		}
		id := sanitize(d.mefName())
		if m.ids[id] != nil {
			id = sanitize(d.path)
		}
		for i := 2; m.ids[id] != nil; i++ {
			id = fmt.Sprintf("%s-%d", sanitize(d.path), i)
		}
		d.id = id
		m.ids[id] = d
	}
}

// formulaOf returns the single formula (or expression) inside a
// definition, skipping label and attributes; nil when there is none.
func (m *model) formulaOf(d *def, what string) (*elem, bool) {
	var f *elem
	for _, k := range d.e.kids {
		if isMeta(k.name) {
			continue
		}
		if f != nil {
			m.errorf(k.pos, "", "%s %q has more than one %s", d.kind, d.name, what)
			return nil, false
		}
		f = k
	}
	return f, true
}

// gateValue converts a gate's formula once; a gate met again while being
// converted (a cycle) stays a reference.
func (m *model) gateValue(d *def) value {
	switch d.state {
	case 2:
		return d.val
	case 1:
		return value{expr: &graph.Expr{Op: graph.OpRef, Ref: d.id}}
	}
	d.state = 1
	f, ok := m.formulaOf(d, "formula")
	if ok && f == nil {
		m.errorf(d.e.pos, "put <or>, <and>, <atleast> or a single reference inside", "gate %q has no formula", d.name)
		ok = false
	}
	if ok {
		d.val, ok = m.formula(f, d, 0)
	}
	if !ok {
		d.bad = true
		d.val = value{}
	}
	d.state = 2
	return d.val
}

func (m *model) houseValue(d *def) value {
	if d.state == 2 {
		return d.val
	}
	d.state = 2
	d.val = neverFailed
	f, ok := m.formulaOf(d, "value")
	if !ok || f == nil {
		return d.val
	}
	if f.name != "constant" && f.name != "bool" {
		m.errorf(f.pos, `write <constant value="true"/> or <constant value="false"/>`, "house event %q: unexpected <%s>", d.name, f.name)
		return d.val
	}
	if b, ok := m.boolAttr(f); ok && b {
		d.val = alwaysFailed
	}
	return d.val
}

func (m *model) boolAttr(e *elem) (bool, bool) {
	v, _ := e.get("value")
	switch strings.TrimSpace(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	m.errorf(e.pos, `write value="true" or value="false"`, "<%s> with value %q", e.name, v)
	return false, false
}

// unsupported are MEF connectives outside monotone logic.
var unsupported = map[string]bool{
	"not": true, "xor": true, "nand": true, "nor": true, "iff": true,
	"imply": true, "cardinality": true,
}

// formula converts a formula element written in owner's definition. The
// failure logic maps onto requirements: an or gate fails when any input
// fails, so its node needs all of them; an and gate fails when all fail,
// so any one suffices; atleast k of n fails when k fail, so n−k+1 must be
// up.
func (m *model) formula(e *elem, owner *def, depth int) (value, bool) {
	if depth > maxDepth {
		m.errorf(e.pos, "", "formulas nest more than %d deep", maxDepth)
		return value{}, false
	}
	switch e.name {
	case "or", "and", "atleast", "null":
		var args []value
		ok := true
		for _, k := range e.kids {
			v, good := m.formula(k, owner, depth+1)
			ok = ok && good
			args = append(args, v)
		}
		if len(e.kids) == 0 {
			m.errorf(e.pos, "list the gates and events it combines", "<%s> without arguments", e.name)
			return value{}, false
		}
		k := 1 // or
		switch e.name {
		case "and":
			k = len(args)
		case "null":
			if len(args) != 1 {
				m.errorf(e.pos, "", "<null> takes one argument, not %d", len(args))
				return value{}, false
			}
		case "atleast":
			s, has := e.get("min")
			if !has {
				m.errorf(e.pos, `write <atleast min="2">`, "<atleast> without a min attribute")
				return value{}, false
			}
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 || n > len(args) {
				m.errorf(e.pos, fmt.Sprintf("min must be a whole number from 1 to the number of arguments (%d)", len(args)),
					"<atleast> with min=%q", s)
				return value{}, false
			}
			k = n
		}
		if !ok {
			return value{}, false
		}
		return combine(k, args, e.pos), true
	case "gate", "basic-event", "house-event", "event":
		name, ok := m.name(e)
		if !ok {
			return value{}, false
		}
		d := lookup(m.events, m.eventsG, name, owner.c)
		if d == nil {
			// Defined in another source, or nowhere: the builder resolves
			// or reports it.
			return value{expr: &graph.Expr{Op: graph.OpRef, Ref: sanitize(name), Pos: e.pos}}, true
		}
		want := map[string]defKind{"gate": gateDef, "basic-event": basicDef, "house-event": houseDef}[e.name]
		if want != 0 && d.kind != want {
			m.errorf(e.pos, fmt.Sprintf("write <%s name=%q/> or <event name=%q/>", kindElem(d.kind), name, name),
				"<%s name=%q> names a %s (defined at %s)", e.name, name, d.kind, d.e.pos)
			return value{}, false
		}
		switch d.kind {
		case gateDef:
			if d != owner {
				d.referenced = true
			}
			v := m.gateValue(d)
			if v.k != 0 {
				return v, true
			}
		case houseDef:
			return m.houseValue(d), true
		}
		return value{expr: &graph.Expr{Op: graph.OpRef, Ref: d.id, Pos: e.pos}}, true
	case "constant":
		b, ok := m.boolAttr(e)
		if !ok {
			return value{}, false
		}
		if b {
			return alwaysFailed, true
		}
		return neverFailed, true
	}
	if unsupported[e.name] {
		m.errorf(e.pos, "", "unsupported formula %q: %s", e.name, monotoneHint)
		return value{}, false
	}
	m.errorf(e.pos, "use or, and, atleast, or a gate, basic-event, house-event or event reference",
		"unknown element <%s> in the formula of gate %q", e.name, owner.name)
	return value{}, false
}

func kindElem(k defKind) string {
	switch k {
	case gateDef:
		return "gate"
	case basicDef:
		return "basic-event"
	}
	return "house-event"
}

// combine builds "fails when at least k of args fail", folding constants.
func combine(k int, args []value, pos graph.Pos) value {
	var ex []*graph.Expr
	for _, a := range args {
		switch a.k {
		case 1:
			k--
		case 0:
			ex = append(ex, a.expr)
		}
	}
	n := len(ex)
	switch {
	case k <= 0:
		return alwaysFailed
	case k > n:
		return neverFailed
	case n == 1:
		return value{expr: ex[0]}
	case k == 1: // or: every input is needed
		return value{expr: &graph.Expr{Op: graph.OpAll, Args: ex, Pos: pos}}
	case k == n: // and: any input suffices
		return value{expr: &graph.Expr{Op: graph.OpAny, Args: ex, Pos: pos}}
	}
	return value{expr: &graph.Expr{Op: graph.OpAtLeast, K: n - k + 1, Args: ex, Pos: pos}}
}

// batch converts every definition into nodes.
func (m *model) batch(source string) *graph.Batch {
	m.assignIDs()
	for _, d := range m.defs {
		if d.kind == gateDef {
			m.gateValue(d)
		}
	}
	b := &graph.Batch{Source: source, Importer: "openpsa", Name: m.treeName}
	for _, d := range m.defs {
		switch d.kind {
		case gateDef:
			n := m.node(d, graph.KindSystem)
			top := !d.referenced
			if top {
				n.Kind, n.Tier = graph.KindFunction, graph.TierCore
			}
			v := d.val
			switch {
			case d.bad:
			case v.k == 1 && top:
				m.errorf(d.e.pos, "set its house events to false, or remove them",
					"top gate %q always fails: house events make it true, and lifeboat cannot model a certain failure", d.name)
				continue
			case v.k == 1:
				m.infof(d.e.pos, "gate %q always fails (house events); folded into the gates that use it", d.name)
				continue
			case v.k == -1 && top:
				m.warnf(d.e.pos, "", "top gate %q never fails: house events make it false", d.name)
			case v.k == -1:
				m.infof(d.e.pos, "gate %q never fails (house events); folded into the gates that use it", d.name)
				continue
			default:
				n.Requires = v.expr
				if v.expr.Op == graph.OpRef {
					n.Requires = &graph.Expr{Op: graph.OpAll, Args: []*graph.Expr{v.expr}, Pos: v.expr.Pos}
				}
			}
			b.Nodes = append(b.Nodes, n)
		case basicDef:
			n := m.node(d, graph.KindVendor)
			if f, ok := m.formulaOf(d, "expression"); ok && f != nil {
				p, err := m.eval(f, d.c, 0)
				if err != nil {
					m.warnf(err.pos, "give it a <float value=\"...\"/>", "basic event %q has no probability: %s", d.name, err.msg)
				} else {
					n.Probability = &p
				}
			}
			b.Nodes = append(b.Nodes, n)
		case houseDef:
			m.houseValue(d)
		}
	}
	b.Problems = m.ps
	return b
}

// node starts the node of a gate or basic event: id, name, attributes.
func (m *model) node(d *def, kind graph.Kind) *graph.Node {
	n := &graph.Node{ID: d.id, Kind: kind, Source: d.e.pos}
	if d.id != d.mefName() {
		n.Name = d.mefName()
		n.Attrs = map[string]string{"mef-name": d.mefName()}
	}
	for _, k := range d.e.kids {
		switch k.name {
		case "label":
			if k.text != "" {
				n.Name = strings.Join(strings.Fields(k.text), " ")
			}
		case "attributes":
			for _, a := range k.kids {
				if a.name != "attribute" {
					m.unknown(a, k.name)
					continue
				}
				name, _ := a.get("name")
				val, _ := a.get("value")
				if name == "" {
					m.errorf(a.pos, `write <attribute name="..." value="..."/>`, "<attribute> without a name")
					continue
				}
				if n.Attrs == nil {
					n.Attrs = map[string]string{}
				}
				n.Attrs[name] = val
			}
		}
	}
	return n
}
