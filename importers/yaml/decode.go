package yaml

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
)

// Parse reads the content of one native map file. file names it in
// positions and messages. Every problem in the content, from YAML syntax
// to a misspelt key, becomes a located problem in the batch; whatever is
// sound still loads. Parse never fails and never panics.
func Parse(file string, data []byte) *graph.Batch { return parse(file, data, true) }

// parse is Parse; stream false builds the whole tree before reading it,
// for tests that check streaming changes nothing.
func parse(file string, data []byte, stream bool) *graph.Batch {
	b := &graph.Batch{Source: file, Importer: Name}
	d := &decoder{file: file, batch: b}
	if p, ok := importers.CheckText(file, data); !ok {
		b.Problems.Add(p)
		return b
	}
	// The fast parser hands over the entries of the top-level lists as it
	// reads them; when it gives up, what they yielded is dropped and the
	// slow one reads everything.
	src := string(data)
	var roots []*node
	var err error
	sink := d.streamed
	if !stream {
		sink = nil
	}
	root, ok := parseFast(src, sink)
	if ok {
		if root != nil {
			roots = []*node{root}
		}
	} else {
		b.Nodes, b.Fallbacks, b.Problems = nil, nil, nil
		roots, err = parseSlow(src)
	}
	for _, r := range roots {
		d.top(r)
	}
	if err != nil {
		se, ok := err.(*syntaxError)
		if !ok {
			se = &syntaxError{line: 1, col: 1, msg: err.Error()}
		}
		b.Problems.Add(graph.Problem{Pos: d.at(se.line, se.col), Severity: graph.Error,
			Msg: "invalid YAML: " + se.msg, Hint: se.hint})
	} else if d.empty(roots) {
		b.Problems.Add(graph.Problem{Pos: d.at(1, 1), Severity: graph.Warning,
			Msg:  "empty map file",
			Hint: "add functions:, systems: or vendors:"})
	}
	return b
}

type decoder struct {
	file  string
	batch *graph.Batch
	exprs []graph.Expr  // allocation slab
	args  []*graph.Expr // allocation slab for argument lists
	nodes []graph.Node  // allocation slab
}

func (d *decoder) empty(roots []*node) bool {
	for _, r := range roots {
		if !(r.kind == scalarNode && r.null) {
			return false
		}
	}
	return true
}

func (d *decoder) at(line, col int) graph.Pos {
	return graph.Pos{File: d.file, Line: line, Col: col, Importer: Name}
}

func (d *decoder) pos(n *node) graph.Pos { return d.at(int(n.line), int(n.col)) }

func (d *decoder) errorf(n *node, hint, format string, a ...any) {
	d.batch.Problems.Add(graph.Problem{Pos: d.pos(n), Severity: graph.Error, Msg: fmt.Sprintf(format, a...), Hint: hint})
}

func (d *decoder) warnf(n *node, hint, format string, a ...any) {
	d.batch.Problems.Add(graph.Problem{Pos: d.pos(n), Severity: graph.Warning, Msg: fmt.Sprintf(format, a...), Hint: hint})
}

// found renders a value for "expected X, found Y": plain when it is one
// word, quoted otherwise.
func found(n *node) string {
	if n.kind != scalarNode {
		return n.kind.String()
	}
	if n.null {
		return "nothing"
	}
	if n.value != "" && !strings.ContainsAny(n.value, " \t\n\"'") {
		return n.value
	}
	return strconv.Quote(n.value)
}

// pairs calls fn for each key and value of mapping m, reporting keys that
// are not plain text and keys given twice.
func (d *decoder) pairs(m *node, fn func(key string, k, v *node)) {
	c := m.content
	var seen map[string]*node
	for i := 0; i+1 < len(c); i += 2 {
		k, v := c[i], c[i+1]
		if k.kind != scalarNode {
			d.errorf(k, "keys are plain words such as id or requires", "expected a key, found %s", k.kind)
			continue
		}
		dup := (*node)(nil)
		if len(c) <= 32 {
			for j := 0; j < i; j += 2 {
				if c[j].kind == scalarNode && c[j].value == k.value {
					dup = c[j]
					break
				}
			}
		} else {
			if seen == nil {
				seen = make(map[string]*node, len(c)/2)
			}
			dup = seen[k.value]
			seen[k.value] = k
		}
		if dup != nil {
			d.errorf(k, "remove one of them", "duplicate key %q: already given at line %d", k.value, dup.line)
			continue
		}
		fn(k.value, k, v)
	}
}

// topKeys are the keys a map file takes at the top.
var topKeys = []string{"functions", "systems", "vendors", "fallbacks", "name", "currency"}

func (d *decoder) top(root *node) {
	if root.kind == scalarNode && root.null {
		return
	}
	if root.kind != mapNode {
		d.errorf(root, "a map file is a mapping with functions:, systems:, vendors: or fallbacks: at the top",
			"expected a mapping at the top, found %s", found(root))
		return
	}
	d.pairs(root, func(key string, k, v *node) {
		switch key {
		case "functions":
			d.entries(graph.KindFunction, k, v)
		case "systems":
			d.entries(graph.KindSystem, k, v)
		case "vendors":
			d.entries(graph.KindVendor, k, v)
		case "fallbacks":
			d.fallbacks(k, v)
		case "name":
			d.batch.Name, _ = d.text(key, v)
		case "currency":
			if s, ok := d.text(key, v); ok {
				if !isCurrency(s) {
					d.warnf(v, "use an ISO 4217 code such as EUR, USD or GBP", "currency: %q is not a three-letter currency code", s)
				}
				d.batch.Currency = s
			}
		default:
			hint := ""
			if s := importers.Suggest(key, topKeys); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			} else if _, ok := nodeFields[key]; ok {
				hint = "node attributes go inside an entry of functions:, systems: or vendors:"
			} else {
				hint = "the top-level keys are " + strings.Join(topKeys, ", ")
			}
			d.errorf(k, hint, "unknown top-level key %q", key)
		}
	})
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// entries reads the list under functions:, systems: or vendors:.
func (d *decoder) entries(kind graph.Kind, k, v *node) {
	if v.kind == scalarNode && v.null {
		return
	}
	if v.kind != seqNode {
		hint := fmt.Sprintf("write each %s as a list item starting with '- id: '", kind)
		d.errorf(v, hint, "%s: expected a list of entries, found %s", k.value, found(v))
		return
	}
	for _, item := range v.content {
		d.entry(kind, k, item)
	}
}

// streamable reports whether the fast parser may stream the list under a
// top-level key to streamed.
func streamable(key string) bool {
	switch key {
	case "functions", "systems", "vendors", "fallbacks":
		return true
	}
	return false
}

// streamed reads one entry of a top-level list as the fast parser hands
// it over.
func (d *decoder) streamed(k, item *node) {
	switch k.value {
	case "functions":
		d.entry(graph.KindFunction, k, item)
	case "systems":
		d.entry(graph.KindSystem, k, item)
	case "vendors":
		d.entry(graph.KindVendor, k, item)
	case "fallbacks":
		d.fallback(item)
	}
}

// entry reads one entry of a functions:, systems: or vendors: list.
func (d *decoder) entry(kind graph.Kind, k, item *node) {
	if item.kind != mapNode {
		hint := fmt.Sprintf("an entry is a mapping such as '- id: %s'", exampleID(item))
		d.errorf(item, hint, "%s: expected an entry with an id, found %s", k.value, found(item))
		return
	}
	if n := d.node(kind, item); n != nil {
		d.batch.Nodes = append(d.batch.Nodes, n)
	}
}

func exampleID(n *node) string {
	if n.kind == scalarNode && graph.ValidID(n.value) {
		return n.value
	}
	return "core-banking"
}

// kinds is a set of node kinds.
type kinds uint8

const (
	fnK  kinds = 1 << graph.KindFunction
	sysK kinds = 1 << graph.KindSystem
	venK kinds = 1 << graph.KindVendor
	allK       = fnK | sysK | venK
)

func (ks kinds) has(k graph.Kind) bool { return ks&(1<<k) != 0 }

func (ks kinds) String() string {
	var names []string
	for _, k := range graph.Kinds {
		if ks.has(k) {
			names = append(names, k.Plural())
		}
	}
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names, ", ")
}

// field is one attribute of a node entry: the kinds that take it and how
// to read it.
type field struct {
	kinds kinds
	set   func(d *decoder, n *graph.Node, key string, v *node)
}

// nodeFields are the keys of a node entry. "id" is read apart.
var nodeFields = map[string]field{
	"id":   {allK, nil},
	"name": {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.Name, _ = d.text(key, v) }},
	"tags": {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.Tags = d.texts(key, v, false) }},
	"attrs": {allK, func(d *decoder, n *graph.Node, key string, v *node) {
		n.Attrs = d.attrs(key, v)
	}},
	"requires": {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.Requires = d.requires(v) }},
	"owner":    {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.Owner, _ = d.text(key, v) }},
	"rto":      {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.RTO = d.duration(key, v) }},
	"rpo":      {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.RPO = d.duration(key, v) }},
	"buffer":   {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.Buffer = d.duration(key, v) }},
	"restore":  {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.Restore = d.duration(key, v) }},
	"aliases":  {allK, func(d *decoder, n *graph.Node, key string, v *node) { n.Aliases = d.texts(key, v, true) }},
	"responsibility": {allK, func(d *decoder, n *graph.Node, key string, v *node) {
		n.Responsibility = d.responsibility(key, v)
	}},
	"tier": {fnK, func(d *decoder, n *graph.Node, key string, v *node) {
		if s, ok := d.text(key, v); ok {
			t, ok := graph.ParseTier(strings.ToLower(s))
			if !ok || t == graph.TierNone {
				d.errorf(v, "", "tier: expected one of %s, found %s", strings.Join(graph.TierNames, ", "), found(v))
				return
			}
			n.Tier = t
		}
	}},
	"tolerance": {fnK, func(d *decoder, n *graph.Node, key string, v *node) { n.Tolerance = d.duration(key, v) }},
	"impact_per_hour": {fnK, func(d *decoder, n *graph.Node, key string, v *node) {
		if f, ok := d.number(key, v, 0, math.MaxFloat64); ok {
			n.ImpactPerHour = f
		}
	}},
	"regulated": {fnK, func(d *decoder, n *graph.Node, key string, v *node) { n.Regulated = d.boolean(key, v) }},
	"lei": {venK, func(d *decoder, n *graph.Node, key string, v *node) {
		if s, ok := d.text(key, v); ok {
			if msg := importers.CheckLEI(s); msg != "" {
				d.warnf(v, "an LEI is 20 letters and digits, as listed at gleif.org", "lei: %q %s", s, msg)
			}
			n.LEI = s
		}
	}},
	"country": {venK, func(d *decoder, n *graph.Node, key string, v *node) {
		if s, ok := d.text(key, v); ok {
			if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
				d.warnf(v, "use an ISO 3166 two-letter code such as DE, IE or US", "country: %q is not a two-letter country code", s)
			}
			n.Country = s
		}
	}},
	"parent": {venK, func(d *decoder, n *graph.Node, key string, v *node) { n.Parent, _ = d.text(key, v) }},
	"contract": {venK, func(d *decoder, n *graph.Node, key string, v *node) {
		n.Contract = d.contract(key, v)
	}},
	"contacts": {venK, func(d *decoder, n *graph.Node, key string, v *node) { n.Contacts = d.contacts(key, v) }},
	"probability": {sysK | venK, func(d *decoder, n *graph.Node, key string, v *node) {
		if f, ok := d.number(key, v, 0, 1); ok {
			n.Probability = &f
		}
	}},
	"outage_duration": {sysK | venK, func(d *decoder, n *graph.Node, key string, v *node) {
		n.OutageDuration = d.duration(key, v)
	}},
}

// NodeKeys returns the keys an entry of the given kind takes, sorted.
func NodeKeys(k graph.Kind) []string {
	var out []string
	for key, f := range nodeFields {
		if f.kinds.has(k) {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

func (d *decoder) node(kind graph.Kind, m *node) *graph.Node {
	if len(d.nodes) == cap(d.nodes) {
		d.nodes = make([]graph.Node, 0, 256)
	}
	d.nodes = d.nodes[:len(d.nodes)+1]
	n := &d.nodes[len(d.nodes)-1]
	n.Kind = kind
	n.Source = d.pos(m)
	var idNode *node
	ok := true
	d.pairs(m, func(key string, k, v *node) {
		if key == "id" {
			idNode = v
			id, given := d.text(key, v)
			if given && !graph.ValidID(id) {
				d.errorf(v, "ids start with a letter or digit and use only letters, digits and . _ : / -", "invalid id %q", id)
				ok = false
			}
			n.ID = id
			return
		}
		f, known := nodeFields[key]
		if !known {
			d.unknownKey(kind.String(), k, kindKeys[kind])
			return
		}
		if !f.kinds.has(kind) {
			d.errorf(k, "move it to the right entry, or keep it under attrs:", "%s: only %s take this attribute, not %s", key, f.kinds, kind.Plural())
			return
		}
		f.set(d, n, key, v)
	})
	if idNode == nil || n.ID == "" {
		if ok {
			at := m
			if idNode != nil {
				at = idNode
			}
			d.errorf(at, "add id: with a unique name such as core-banking", "%s has no id", kind)
		}
		return nil
	}
	if !ok {
		return nil
	}
	return n
}

// kindKeys caches NodeKeys for messages.
var kindKeys = map[graph.Kind][]string{
	graph.KindFunction: NodeKeys(graph.KindFunction),
	graph.KindSystem:   NodeKeys(graph.KindSystem),
	graph.KindVendor:   NodeKeys(graph.KindVendor),
}

func (d *decoder) unknownKey(what string, k *node, known []string) {
	hint := ""
	if s := importers.Suggest(k.value, known); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	} else {
		hint = "known keys: " + strings.Join(known, ", ") + "; free-form values go under attrs:"
	}
	d.errorf(k, hint, "unknown key %q in %s", k.value, article(what))
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// text reads a scalar as text; ok is false when nothing was given (null)
// or the value is not a scalar (reported).
func (d *decoder) text(key string, v *node) (string, bool) {
	switch {
	case v.kind != scalarNode:
		d.errorf(v, "", "%s: expected a text value, found %s", key, v.kind)
		return "", false
	case v.null:
		return "", false
	}
	return v.value, true
}

// texts reads a list of scalars; a single scalar is a list of one. ids
// checks that each is a valid id.
func (d *decoder) texts(key string, v *node, ids bool) []string {
	var items []*node
	switch v.kind {
	case scalarNode:
		if v.null {
			return nil
		}
		items = []*node{v}
	case seqNode:
		items = v.content
	default:
		d.errorf(v, "", "%s: expected a list, found a mapping", key)
		return nil
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := d.text(key, it)
		if !ok {
			continue
		}
		if ids && !graph.ValidID(s) {
			d.errorf(it, "ids start with a letter or digit and use only letters, digits and . _ : / -", "%s: invalid id %q", key, s)
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (d *decoder) attrs(key string, v *node) map[string]string {
	if v.kind == scalarNode && v.null {
		return nil
	}
	if v.kind != mapNode {
		d.errorf(v, "write attrs as a mapping of names to values", "%s: expected a mapping, found %s", key, found(v))
		return nil
	}
	out := make(map[string]string, len(v.content)/2)
	d.pairs(v, func(name string, k, val *node) {
		if val.kind != scalarNode {
			d.errorf(val, "attrs hold plain values; nest nothing under them", "attrs.%s: expected a text or number value, found %s", name, val.kind)
			return
		}
		if !val.null && val.value != "" {
			out[name] = val.value
		}
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

func (d *decoder) duration(key string, v *node) *graph.Duration {
	s, ok := d.text(key, v)
	if !ok {
		return nil
	}
	dur, err := graph.ParseDuration(s)
	if err != nil {
		d.errorf(v, "", "%s: %v", key, err)
		return nil
	}
	return &dur
}

// number reads a number within [lo, hi]. Underscores between digits are
// allowed (1_000_000).
func (d *decoder) number(key string, v *node, lo, hi float64) (float64, bool) {
	s, ok := d.text(key, v)
	if !ok {
		return 0, false
	}
	f, err := parseNumber(s)
	if err != nil {
		d.errorf(v, "write a plain number such as 120000 or 0.25", "%s: expected a number, found %s", key, found(v))
		return 0, false
	}
	if f < lo || f > hi {
		switch {
		case hi == 1:
			d.errorf(v, "", "%s: %s is out of range; it is a share between 0 and 1", key, s)
		default:
			d.errorf(v, "", "%s: %s is negative; it must be 0 or more", key, s)
		}
		return 0, false
	}
	return f, true
}

// parseNumber parses a decimal number, allowing underscores between
// digits; hexadecimal, infinities and NaN are refused.
func parseNumber(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	if s == "" || strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, strconv.ErrSyntax
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, strconv.ErrSyntax
	}
	return f, nil
}

func (d *decoder) boolean(key string, v *node) bool {
	s, ok := d.text(key, v)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "y", "on":
		return true
	case "false", "no", "n", "off":
		return false
	}
	d.errorf(v, "", "%s: expected true or false, found %s", key, found(v))
	return false
}

var responsibilityKeys = []string{"monitor", "respond", "repair"}

func (d *decoder) responsibility(key string, v *node) graph.Responsibility {
	var r graph.Responsibility
	if v.kind == scalarNode && v.null {
		return r
	}
	if v.kind != mapNode {
		d.errorf(v, "write responsibility: with monitor:, respond: and repair:", "%s: expected a mapping, found %s", key, found(v))
		return r
	}
	d.pairs(v, func(name string, k, val *node) {
		switch name {
		case "monitor":
			r.Monitor, _ = d.text(key+"."+name, val)
		case "respond":
			r.Respond, _ = d.text(key+"."+name, val)
		case "repair":
			r.Repair, _ = d.text(key+"."+name, val)
		default:
			d.unknownKey("responsibility", k, responsibilityKeys)
		}
	})
	return r
}

var contractKeys = []string{"ref", "annual_fee", "liability_cap", "sla", "notice", "exit_plan", "substitutability", "reviewed"}

func (d *decoder) contract(key string, v *node) *graph.Contract {
	if v.kind == scalarNode && v.null {
		return nil
	}
	if v.kind != mapNode {
		d.errorf(v, "write contract: as a mapping with ref:, sla:, exit_plan: and the like", "%s: expected a mapping, found %s", key, found(v))
		return nil
	}
	var c graph.Contract
	d.pairs(v, func(name string, k, val *node) {
		path := key + "." + name
		switch name {
		case "ref":
			c.Ref, _ = d.text(path, val)
		case "annual_fee":
			c.AnnualFee, _ = d.number(path, val, 0, math.MaxFloat64)
		case "liability_cap":
			c.LiabilityCap, _ = d.number(path, val, 0, math.MaxFloat64)
		case "sla":
			c.SLA, _ = d.text(path, val)
		case "notice":
			c.Notice, _ = d.text(path, val)
		case "exit_plan":
			c.ExitPlan, _ = d.text(path, val)
		case "substitutability":
			if s, ok := d.text(path, val); ok {
				s = strings.ToLower(s)
				if s != "easy" && s != "hard" && s != "none" {
					d.errorf(val, "", "%s: expected one of %s, found %s", path, strings.Join(graph.SubstitutabilityNames, ", "), found(val))
					return
				}
				c.Substitutability = s
			}
		case "reviewed":
			if s, ok := d.text(path, val); ok {
				if _, err := time.Parse(time.DateOnly, s); err != nil {
					d.errorf(val, "write the date as YYYY-MM-DD", "%s: %s is not a date", path, found(val))
					return
				}
				c.Reviewed = s
			}
		default:
			d.unknownKey("contract", k, contractKeys)
		}
	})
	if c == (graph.Contract{}) {
		return nil
	}
	return &c
}

var contactKeys = []string{"role", "name", "phone", "email"}

func (d *decoder) contacts(key string, v *node) []graph.Contact {
	var items []*node
	switch v.kind {
	case scalarNode:
		if !v.null {
			d.errorf(v, "write contacts as a list of '- name: ...' entries", "%s: expected a list, found %s", key, found(v))
		}
		return nil
	case mapNode:
		items = []*node{v}
	case seqNode:
		items = v.content
	}
	var out []graph.Contact
	for _, it := range items {
		if it.kind != mapNode {
			d.errorf(it, "a contact is a mapping with role:, name:, phone: and email:", "%s: expected a contact, found %s", key, found(it))
			continue
		}
		var c graph.Contact
		d.pairs(it, func(name string, k, val *node) {
			path := "contact " + name
			switch name {
			case "role":
				c.Role, _ = d.text(path, val)
			case "name":
				c.Name, _ = d.text(path, val)
			case "phone":
				c.Phone, _ = d.text(path, val)
			case "email":
				c.Email, _ = d.text(path, val)
				if c.Email != "" && !strings.Contains(c.Email, "@") {
					d.warnf(val, "", "contact email %q has no @", c.Email)
				}
			default:
				d.unknownKey("contact", k, contactKeys)
			}
		})
		if c != (graph.Contact{}) {
			out = append(out, c)
		}
	}
	return out
}

var fallbackKeys = []string{"id", "for", "name", "requires", "activation", "endurance", "capacity", "owner", "steps"}

// FallbackKeys returns the keys a fallback entry takes, sorted.
func FallbackKeys() []string {
	out := append([]string(nil), fallbackKeys...)
	sort.Strings(out)
	return out
}

func (d *decoder) fallbacks(k, v *node) {
	if v.kind == scalarNode && v.null {
		return
	}
	if v.kind != seqNode {
		d.errorf(v, "write each fallback as a list item starting with '- id: '", "fallbacks: expected a list of entries, found %s", found(v))
		return
	}
	for _, item := range v.content {
		d.fallback(item)
	}
}

// fallback reads one entry of the fallbacks: list.
func (d *decoder) fallback(item *node) {
	if item.kind != mapNode {
		d.errorf(item, "a fallback is a mapping with id:, for: and requires:", "fallbacks: expected an entry, found %s", found(item))
		return
	}
	f := &graph.Fallback{Capacity: 1, Source: d.pos(item)}
	ok := true
	var forNode *node
	d.pairs(item, func(key string, k, val *node) {
		switch key {
		case "id":
			if s, given := d.text(key, val); given {
				if !graph.ValidID(s) {
					d.errorf(val, "ids start with a letter or digit and use only letters, digits and . _ : / -", "invalid fallback id %q", s)
					ok = false
				}
				f.ID = s
			}
		case "for":
			forNode = val
			f.For, _ = d.text(key, val)
		case "name":
			f.Name, _ = d.text(key, val)
		case "requires":
			f.Requires = d.requires(val)
		case "activation":
			if dur := d.duration(key, val); dur != nil {
				f.Activation = *dur
			}
		case "endurance":
			f.Endurance = d.duration(key, val)
		case "capacity":
			if c, given := d.number(key, val, 0, 1); given {
				f.Capacity = c
			}
		case "owner":
			f.Owner, _ = d.text(key, val)
		case "steps":
			f.Steps = d.texts(key, val, false)
		default:
			d.unknownKey("fallback", k, fallbackKeys)
		}
	})
	if f.For == "" {
		at := item
		if forNode != nil {
			at = forNode
		}
		d.errorf(at, "name the function, system or vendor it keeps up, as in 'for: retail-payments'", "fallback %s has no for:", orUnnamed(f.ID))
		return
	}
	if ok {
		d.batch.Fallbacks = append(d.batch.Fallbacks, f)
	}
}

func orUnnamed(id string) string {
	if id == "" {
		return "(without id)"
	}
	return strconv.Quote(id)
}

// Requirement expressions.

func (d *decoder) newExpr() *graph.Expr {
	if len(d.exprs) == cap(d.exprs) {
		d.exprs = make([]graph.Expr, 0, 1024)
	}
	d.exprs = d.exprs[:len(d.exprs)+1]
	return &d.exprs[len(d.exprs)-1]
}

// argSlice returns an empty slice with room for exactly n arguments.
func (d *decoder) argSlice(n int) []*graph.Expr {
	if n > 256 {
		return make([]*graph.Expr, 0, n)
	}
	if len(d.args)+n > cap(d.args) {
		d.args = make([]*graph.Expr, 0, 4096)
	}
	out := d.args[len(d.args) : len(d.args) : len(d.args)+n]
	d.args = d.args[:len(d.args)+n]
	return out
}

// requires reads a node's or fallback's requires: a list, a group
// mapping, or the one-line text form. The result is always a list (OpAll)
// at the top, or nil for no requirement.
func (d *decoder) requires(v *node) *graph.Expr {
	switch v.kind {
	case scalarNode:
		if v.null {
			return nil
		}
		return d.text2expr(v, false)
	case seqNode:
		if len(v.content) == 0 {
			return nil
		}
		return d.list(v)
	case mapNode:
		g := d.group(v)
		if g == nil {
			return nil
		}
		e := d.newExpr()
		e.Op, e.Args, e.Pos = graph.OpAll, []*graph.Expr{g}, g.Pos
		return e
	}
	return nil
}

// list reads a YAML list of requirement items as an OpAll expression; nil
// when an item is bad (reported).
func (d *decoder) list(v *node) *graph.Expr {
	e := d.newExpr()
	e.Op, e.Pos = graph.OpAll, d.pos(v)
	e.Args = d.items(v)
	if e.Args == nil {
		return nil
	}
	return e
}

func (d *decoder) items(list *node) []*graph.Expr {
	c := list.content
	args := d.argSlice(len(c))
	ok := true
	for _, it := range c {
		a := d.item(it, list.flow)
		if a == nil {
			ok = false
			continue
		}
		args = append(args, a)
	}
	if !ok {
		return nil
	}
	return args
}

// item reads one item of a requirement list: an id, a text-form group, a
// nested list or a group mapping. inFlow says the list is written [...].
func (d *decoder) item(v *node, inFlow bool) *graph.Expr {
	switch v.kind {
	case scalarNode:
		if v.null {
			d.errorf(v, "write a node id, or remove the empty '-'", "requires: empty item")
			return nil
		}
		if graph.ValidID(v.value) {
			e := d.newExpr()
			e.Op, e.Ref, e.Pos = graph.OpRef, v.value, d.pos(v)
			return e
		}
		e := d.text2expr(v, inFlow)
		if e == nil {
			return nil
		}
		if len(e.Args) == 1 {
			return e.Args[0]
		}
		return e
	case seqNode:
		if len(v.content) == 0 {
			d.errorf(v, "list at least one node id, or remove the empty list", "requires: empty list")
			return nil
		}
		return d.list(v)
	default:
		return d.group(v)
	}
}

var groupKeys = []string{"any", "all", "atleast", "of"}

// group reads {any: [...]}, {all: [...]} or {atleast: k, of: [...]}.
func (d *decoder) group(m *node) *graph.Expr {
	var op graph.Op
	var opKey, args, kNode *node
	bad := false
	d.pairs(m, func(key string, k, val *node) {
		switch key {
		case "any", "all":
			if opKey != nil {
				d.errorf(k, "split them into two items of the requires list", "requires: %s: and %s: in one group", opKey.value, key)
				bad = true
				return
			}
			opKey, args = k, val
			op = graph.OpAny
			if key == "all" {
				op = graph.OpAll
			}
		case "atleast":
			if opKey != nil {
				d.errorf(k, "split them into two items of the requires list", "requires: %s: and %s: in one group", opKey.value, key)
				bad = true
				return
			}
			opKey, kNode, op = k, val, graph.OpAtLeast
		case "of":
			if args != nil && op != graph.OpAtLeast {
				d.errorf(k, "of: goes with atleast:, as in {atleast: 2, of: [a, b, c]}", "requires: of: with %s:", opKey.value)
				bad = true
				return
			}
			args = val
		default:
			d.unknownKey("requirement group", k, groupKeys)
			bad = true
		}
	})
	if bad {
		return nil
	}
	switch {
	case opKey == nil && args != nil:
		d.errorf(m, "write {atleast: 2, of: [a, b, c]}", "requires: of: without atleast:")
		return nil
	case opKey == nil:
		d.errorf(m, "a group is {any: [a, b]}, {all: [a, b]} or {atleast: 2, of: [a, b, c]}", "requires: empty group")
		return nil
	case op == graph.OpAtLeast && args == nil:
		d.errorf(opKey, "list the items it counts, as in {atleast: 2, of: [a, b, c]}", "requires: atleast: without of:")
		return nil
	}
	e := d.newExpr()
	e.Op, e.Pos = op, d.pos(m)
	if op == graph.OpAtLeast {
		s, _ := d.text("atleast", kNode)
		k, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || k < 0 {
			d.errorf(kNode, "write how many of the items must be up, such as atleast: 2", "requires: atleast: expected a whole number, found %s", found(kNode))
			return nil
		}
		e.K = k
	}
	switch args.kind {
	case seqNode:
		e.Args = d.items(args)
		if e.Args == nil && len(args.content) > 0 {
			return nil
		}
	case scalarNode:
		if args.null {
			break
		}
		x := d.text2expr(args, false)
		if x == nil {
			return nil
		}
		e.Args = x.Args
	default:
		e.Args = []*graph.Expr{d.group(args)}
		if e.Args[0] == nil {
			return nil
		}
	}
	return e
}

// text2expr parses a scalar in the one-line text form, locating errors
// inside it when its columns map onto the source. inFlow says the scalar
// is an item of a [...] list, where a comma ends the item.
func (d *decoder) text2expr(v *node, inFlow bool) *graph.Expr {
	col, exact := v.valueCol()
	pos := d.at(int(v.line), col)
	e, err := graph.ParseExpr(v.value, pos)
	if err != nil {
		at := d.pos(v)
		msg := err.Error()
		if xe, ok := err.(*graph.ExprError); ok {
			msg = xe.Msg
			if exact {
				at = xe.Pos
			}
		}
		hint := ""
		if inFlow && strings.Count(v.value, "(") != strings.Count(v.value, ")") {
			hint = `inside [...] a comma ends the item: quote the group, as in "any(a, b)", or write the list one item per line`
		}
		d.batch.Problems.Add(graph.Problem{Pos: at, Severity: graph.Error, Msg: "requires: " + msg, Hint: hint})
		return nil
	}
	if e != nil && !exact {
		vp := d.pos(v)
		e.Walk(func(x *graph.Expr) { x.Pos = vp })
	}
	return e
}
