package graph

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Op is the operator of a requirement expression.
type Op uint8

// The operators. A list (OpAll) needs every argument up, OpAny at least one,
// OpAtLeast at least K.
const (
	OpRef Op = iota + 1
	OpAll
	OpAny
	OpAtLeast
)

// Expr is a requirement expression: a reference to a node, or an operator
// over sub-expressions. Nesting is allowed.
type Expr struct {
	Op   Op
	Ref  string  // OpRef: the id named
	K    int     // OpAtLeast: how many must be up
	Args []*Expr // OpAll, OpAny, OpAtLeast
	Pos  Pos     // where it was written, when known
}

// Ref returns a reference expression.
func Ref(id string) *Expr { return &Expr{Op: OpRef, Ref: id} }

// All returns an expression needing every argument.
func All(args ...*Expr) *Expr { return &Expr{Op: OpAll, Args: args} }

// Any returns an expression needing at least one argument.
func Any(args ...*Expr) *Expr { return &Expr{Op: OpAny, Args: args} }

// AtLeast returns an expression needing at least k arguments.
func AtLeast(k int, args ...*Expr) *Expr { return &Expr{Op: OpAtLeast, K: k, Args: args} }

// Refs returns an expression list of references to ids, all required.
func Refs(ids ...string) *Expr {
	e := &Expr{Op: OpAll}
	for _, id := range ids {
		e.Args = append(e.Args, Ref(id))
	}
	return e
}

// Threshold is how many of the arguments must be up: len(Args) for a list,
// 1 for any, K for atleast. It is 0 for a reference.
func (e *Expr) Threshold() int {
	switch e.Op {
	case OpAll:
		return len(e.Args)
	case OpAny:
		return 1
	case OpAtLeast:
		return e.K
	}
	return 0
}

// Walk calls fn for e and every sub-expression, depth first, in order.
func (e *Expr) Walk(fn func(*Expr)) {
	if e == nil {
		return
	}
	fn(e)
	for _, a := range e.Args {
		a.Walk(fn)
	}
}

// RefIDs returns the ids e references, in order of appearance, with
// repeats.
func (e *Expr) RefIDs() []string {
	var out []string
	e.Walk(func(x *Expr) {
		if x.Op == OpRef {
			out = append(out, x.Ref)
		}
	})
	return out
}

// Eval reports whether e holds when up says which ids are up. A nil
// expression holds.
func (e *Expr) Eval(up func(id string) bool) bool {
	if e == nil {
		return true
	}
	if e.Op == OpRef {
		return up(e.Ref)
	}
	n := 0
	for _, a := range e.Args {
		if a.Eval(up) {
			n++
		}
	}
	return n >= e.Threshold()
}

// String renders e in the one-line text form: a top-level list as
// comma-separated items, nested groups as all(...), any(...) and kof(...).
func (e *Expr) String() string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	if e.Op == OpAll {
		writeArgs(&b, e.Args)
	} else {
		e.write(&b)
	}
	return b.String()
}

func (e *Expr) write(b *strings.Builder) {
	switch e.Op {
	case OpRef:
		b.WriteString(e.Ref)
		return
	case OpAll:
		b.WriteString("all(")
	case OpAny:
		b.WriteString("any(")
	case OpAtLeast:
		fmt.Fprintf(b, "%dof(", e.K)
	}
	writeArgs(b, e.Args)
	b.WriteByte(')')
}

func writeArgs(b *strings.Builder, args []*Expr) {
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		a.write(b)
	}
}

// Equal reports whether two expressions have the same structure, ignoring
// positions.
func (e *Expr) Equal(o *Expr) bool {
	if e == nil || o == nil {
		return e == nil && o == nil
	}
	if e.Op != o.Op || e.Ref != o.Ref || e.K != o.K || len(e.Args) != len(o.Args) {
		return false
	}
	for i := range e.Args {
		if !e.Args[i].Equal(o.Args[i]) {
			return false
		}
	}
	return true
}

// ExprError is a syntax error in the text form of an expression.
type ExprError struct {
	// Offset is the 0-based byte offset of the error in the parsed text.
	// Text that parses up to an error is ASCII, so it is also the offset
	// in characters.
	Offset int
	Msg    string
	// Pos is where the error is in the source file: the pos given to
	// ParseExpr with the column moved by Offset. It is the zero Pos when
	// that pos had no line.
	Pos Pos
}

// Error renders the error with its column in the parsed text (1-based):
// "column 7: missing ')' ...". Callers that know the file use Pos.
func (e *ExprError) Error() string { return fmt.Sprintf("column %d: %s", e.Offset+1, e.Msg) }

// MaxExprDepth is how deeply ParseExpr lets groups nest.
const MaxExprDepth = 100

// ValidID reports whether s is a valid node id: [A-Za-z0-9][A-Za-z0-9._:/-]*.
func ValidID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || i > 0 && (c == '.' || c == '_' || c == ':' || c == '/' || c == '-') {
			continue
		}
		return false
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isIDChar(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == ':' || c == '/' || c == '-'
}

// ParseExpr parses the one-line text form of a requirement expression:
//
//	core-banking, any(swift-a, swift-b), 2of(dc-a, dc-b, dc-c)
//
// Items are separated by commas; the top level is a list (all required).
// all(...), any(...) and kof(...) (also "k of (...)") group items and nest;
// the keywords are matched without regard to case.
// Ids are as ValidID says; an id may be spelt like a keyword ("any") when
// no '(' follows it. pos, when given (Line > 0), is where the text starts
// in its file; it is stored on every sub-expression with the column moved
// to where the item starts. An empty or all-blank string yields (nil,
// nil): no requirement. Otherwise the result is an OpAll list, whatever
// its length. Groups nest at most MaxExprDepth deep. The error is an
// *ExprError.
//
// For every expression ParseExpr returns, ParseExpr(e.String()) returns
// an expression Equal to it.
func ParseExpr(s string, pos Pos) (*Expr, error) {
	p := &exprParser{s: s, pos: pos}
	p.skipSpace()
	if p.i == len(s) {
		return nil, nil
	}
	args, err := p.list()
	if err != nil {
		return nil, err
	}
	if p.i < len(s) {
		if s[p.i] == ')' {
			return nil, p.errf("unexpected ')': no group is open here")
		}
		return nil, p.errf("unexpected %s; separate items with commas", p.char())
	}
	e := &Expr{Op: OpAll, Args: args, Pos: p.at(0)}
	return e, nil
}

type exprParser struct {
	s     string
	i     int
	pos   Pos
	depth int
}

// char quotes the character at the current offset for a message.
func (p *exprParser) char() string {
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return strconv.QuoteRune(r)
}

func (p *exprParser) at(off int) Pos {
	q := p.pos
	if q.Line > 0 {
		q.Col = max(q.Col, 1) + off
	}
	return q
}

func (p *exprParser) errf(format string, a ...any) error {
	e := &ExprError{Offset: p.i, Msg: fmt.Sprintf(format, a...)}
	if p.pos.Line > 0 {
		e.Pos = p.at(p.i)
	}
	return e
}

func (p *exprParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// list parses item (',' item)* and stops before ')' or the end.
func (p *exprParser) list() ([]*Expr, error) {
	var out []*Expr
	for {
		p.skipSpace()
		e, err := p.item()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return out, nil
	}
}

func (p *exprParser) item() (*Expr, error) {
	start := p.i
	if p.i == len(p.s) {
		return nil, p.errf("expected a node id or a group, found the end; remove the trailing comma or close the group")
	}
	if !isAlnum(p.s[p.i]) {
		switch {
		case p.s[p.i] == ',':
			return nil, p.errf("empty item; write a node id between the commas")
		case p.s[p.i] == ')' && start > 0 && p.s[p.prevNonSpace(start)] == ',':
			return nil, p.errf("expected a node id after the comma, found ')'; remove the trailing comma")
		case p.s[p.i] == ')':
			return nil, p.errf("expected a node id or a group, found ')'")
		}
		return nil, p.errf("unexpected %s; ids start with a letter or digit", p.char())
	}
	for p.i < len(p.s) && isIDChar(p.s[p.i]) {
		p.i++
	}
	word := p.s[start:p.i]
	// A group: any( all( kof( or "k of (".
	save := p.i
	p.skipSpace()
	op, k := Op(0), 0
	switch {
	case p.i < len(p.s) && p.s[p.i] == '(':
		switch {
		case strings.EqualFold(word, "any"):
			op = OpAny
		case strings.EqualFold(word, "all"):
			op = OpAll
		case len(word) > 2 && strings.EqualFold(word[len(word)-2:], "of") && allDigits(word[:len(word)-2]):
			op = OpAtLeast
			k = atoi(word[:len(word)-2])
		default:
			p.i = start
			return nil, p.errf("unknown group %q; use any(...), all(...) or a count like 2of(...)", word+"(")
		}
	case allDigits(word):
		// "2 of (a, b, c)"
		j := p.i
		if len(p.s)-j >= 2 && strings.EqualFold(p.s[j:j+2], "of") {
			j += 2
			for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
				j++
			}
			if j < len(p.s) && p.s[j] == '(' {
				op = OpAtLeast
				k = atoi(word)
				p.i = j
			}
		}
	}
	if op == 0 {
		p.i = save
		return &Expr{Op: OpRef, Ref: word, Pos: p.at(start)}, nil
	}
	if k < 0 {
		p.i = start
		return nil, p.errf("count %s is too large; it must be at most the number of items", strings.TrimRight(word, "ofOF"))
	}
	if p.depth >= MaxExprDepth {
		p.i = start
		return nil, p.errf("groups nested more than %d deep; flatten the expression", MaxExprDepth)
	}
	open := p.s[start : p.i+1]
	p.i++ // '('
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ')' {
		return nil, p.errf("empty group; list at least one node id inside the parentheses")
	}
	p.depth++
	args, err := p.list()
	p.depth--
	if err != nil {
		return nil, err
	}
	if p.i >= len(p.s) {
		return nil, p.errf("missing ')' to close %q", open)
	}
	if p.s[p.i] != ')' {
		return nil, p.errf("unexpected %s; separate items with commas", p.char())
	}
	p.i++
	return &Expr{Op: op, K: k, Args: args, Pos: p.at(start)}, nil
}

// prevNonSpace returns the offset of the last non-blank byte before i, or
// i when there is none.
func (p *exprParser) prevNonSpace(i int) int {
	for j := i - 1; j >= 0; j-- {
		if p.s[j] != ' ' && p.s[j] != '\t' {
			return j
		}
	}
	return i
}

// atoi converts a string of digits, or returns -1 when it does not fit an
// int32 (no map has that many items in one group).
func atoi(digits string) int {
	n, err := strconv.ParseInt(digits, 10, 32)
	if err != nil {
		return -1
	}
	return int(n)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
