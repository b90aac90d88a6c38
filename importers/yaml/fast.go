package yaml

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The fast parser reads the subset of YAML that lifeboat writes and people
// mostly type: block mappings and lists indented with spaces, comments,
// one-line plain and quoted scalars, and one-line flow lists and mappings.
// It gives up (ok false) on anything else — tabs, anchors, tags, block
// scalars, multi-line scalars or flow collections, several documents,
// syntax errors — and go.yaml.in/yaml/v3 then reads the file, so the subset
// changes speed only, never meaning. FuzzFastParser checks that both
// parsers agree on every input the fast one accepts.
//
// go.yaml.in/yaml/v3 reads about 10 MB/s; a map of 100k nodes and a
// million requirement edges is some 30 MB, hence this. The fast parser
// also hands the entries of the top-level lists to the reader one at a
// time, so that the tree of a large file never exists whole.

// maxFastDepth is how deep the fast parser nests before giving up.
const maxFastDepth = 100

type fastParser struct {
	src string
	// The current content line: [ls, le) without its line break, indented
	// by ind spaces.
	ls, le, ind int
	next        int // start of the following line
	line        int // 1-based number of the current line
	ascii       bool
	eof         bool
	bad         bool
	marker      bool // a "---" line may still start the document
	i           int  // position inside the current line after an inline value
	depth       int
	slab        []node
	stack       []*node // children of the collections being parsed
	ptrs        []*node // allocation slab for content slices
	// slabGen and ptrsGen count the chunks allocated, so that a mark taken
	// before a streamed item can tell whether its chunk is still current.
	slabGen, ptrsGen int
	stream           func(key, item *node)
	rootKeys         []string // keys of the root mapping met so far
}

// mark is a point in the allocation slabs to release back to.
type mark struct{ slabGen, slab, ptrsGen, ptrs int }

func (p *fastParser) mark() mark {
	return mark{p.slabGen, len(p.slab), p.ptrsGen, len(p.ptrs)}
}

// release frees everything allocated since m for reuse, as far as it is in
// the current chunks.
func (p *fastParser) release(m mark) {
	if p.slabGen == m.slabGen {
		clear(p.slab[m.slab:])
		p.slab = p.slab[:m.slab]
	}
	if p.ptrsGen == m.ptrsGen {
		clear(p.ptrs[m.ptrs:])
		p.ptrs = p.ptrs[:m.ptrs]
	}
}

// parseFast parses src. ok is false when src is outside the subset; root
// is nil for a document with no content.
//
// When stream is not nil, the items of a block list that is the value of
// a streamable key of the root mapping (functions:, ...) go to stream as
// soon as each is parsed, and the list in the tree stays empty. The memory
// of a streamed item is reused for the next one, so stream must keep no
// pointer into the item. A key given twice at the root is not streamed the
// second time, so that the reader sees it and reports it.
func parseFast(src string, stream func(key, item *node)) (root *node, ok bool) {
	p := &fastParser{src: src, marker: true, stream: stream}
	p.advance()
	if p.bad {
		return nil, false
	}
	if p.eof {
		return nil, true
	}
	if p.ind != 0 {
		return nil, false
	}
	root = p.parseBlock(p.ls)
	if p.bad || root == nil || !p.eof {
		return nil, false
	}
	return root, true
}

func (p *fastParser) fail() *node {
	p.bad = true
	p.eof = true
	return nil
}

// content moves the children stacked since start into an exactly sized
// slice and pops them.
func (p *fastParser) content(start int) []*node {
	kids := p.stack[start:]
	n := len(kids)
	var out []*node
	if n > 256 {
		out = make([]*node, n)
	} else {
		if len(p.ptrs)+n > cap(p.ptrs) {
			p.ptrs = make([]*node, 0, 4096)
			p.ptrsGen++
		}
		out = p.ptrs[len(p.ptrs) : len(p.ptrs)+n : len(p.ptrs)+n]
		p.ptrs = p.ptrs[:len(p.ptrs)+n]
	}
	copy(out, kids)
	clear(kids)
	p.stack = p.stack[:start]
	return out
}

func (p *fastParser) alloc() *node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]node, 0, 512)
		p.slabGen++
	}
	p.slab = p.slab[:len(p.slab)+1]
	return &p.slab[len(p.slab)-1]
}

// advance moves to the next line with content, skipping blank and comment
// lines.
func (p *fastParser) advance() {
	for {
		if p.next >= len(p.src) {
			p.eof = true
			p.ls, p.le, p.ind = len(p.src), len(p.src), 0
			return
		}
		p.line++
		ls := p.next
		le := strings.IndexByte(p.src[ls:], '\n')
		if le < 0 {
			le = len(p.src)
			p.next = le
		} else {
			le += ls
			p.next = le + 1
		}
		if le > ls && p.src[le-1] == '\r' {
			le--
		}
		ascii := true
		for i := ls; i < le; i++ {
			if c := p.src[i]; special[c] {
				if c < 0x80 {
					p.fail() // tabs, stray carriage returns, control characters
					return
				}
				ascii = false
			}
		}
		if !ascii && !printable(p.src[ls:le]) {
			p.fail()
			return
		}
		ind := 0
		for ls+ind < le && p.src[ls+ind] == ' ' {
			ind++
		}
		if ls+ind == le || p.src[ls+ind] == '#' {
			continue
		}
		if ind == 0 && le-ls >= 3 && (p.src[ls:ls+3] == "---" || p.src[ls:ls+3] == "...") && (le-ls == 3 || p.src[ls+3] == ' ') {
			rest := strings.TrimLeft(p.src[ls+3:le], " ")
			if !p.marker || p.src[ls] == '.' || rest != "" && rest[0] != '#' {
				p.fail()
				return
			}
			p.marker = false
			continue
		}
		p.marker = false
		p.ls, p.le, p.ind, p.ascii = ls, le, ind, ascii
		return
	}
}

// special marks the bytes the line scan must look at: control characters
// and the bytes of non-ASCII characters.
var special = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c >= 0x7f
	}
	return t
}()

// printable reports whether every rune of s is one YAML allows in text
// and that go.yaml.in/yaml/v3 does not treat as a line break or marker.
func printable(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError, r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029,
			r == 0xfeff, r == 0xfffe, r == 0xffff, r >= 0xd800 && r <= 0xdfff:
			return false
		}
	}
	return true
}

// col is the 1-based column (in characters, as go.yaml.in/yaml/v3 counts)
// of offset off on the current line.
func (p *fastParser) col(off int) int32 {
	if p.ascii {
		return int32(off - p.ls + 1)
	}
	return int32(utf8.RuneCountInString(p.src[p.ls:off]) + 1)
}

func (p *fastParser) isDash(c int) bool {
	return c < p.le && p.src[c] == '-' && (c+1 == p.le || p.src[c+1] == ' ')
}

func (p *fastParser) skipSpaces(i int) int {
	for i < p.le && p.src[i] == ' ' {
		i++
	}
	return i
}

func (p *fastParser) scalar(v string, st scalarStyle, off int) *node {
	n := p.alloc()
	n.kind = scalarNode
	n.style = st
	n.value = v
	n.line = int32(p.line)
	n.col = p.col(off)
	if st == plainStyle {
		switch v {
		case "~", "null", "Null", "NULL":
			n.null = true
		}
	}
	return n
}

func (p *fastParser) null(line int, col int32) *node {
	n := p.alloc()
	n.kind = scalarNode
	n.null = true
	n.line = int32(line)
	n.col = col
	return n
}

// parseBlock parses the block node starting at offset c of the current
// line: a list, a mapping, or an inline value that ends the line.
func (p *fastParser) parseBlock(c int) *node {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxFastDepth {
		return p.fail()
	}
	if p.isDash(c) {
		return p.parseSeq(c - p.ls)
	}
	k, after, isKey := p.scanKey(c)
	if p.bad {
		return nil
	}
	if isKey {
		return p.parseMap(c-p.ls, k, after)
	}
	v := k
	if v == nil {
		v = p.parseInline(c)
	}
	if v == nil || !p.endLine() {
		return p.fail()
	}
	return v
}

// scanKey reads a mapping key at offset c. When the text there is a
// scalar but no key, it returns that scalar with isKey false and p.i after
// it; it returns nil when the text is something else.
func (p *fastParser) scanKey(c int) (n *node, after int, isKey bool) {
	s := p.src
	switch s[c] {
	case '"', '\'':
		n = p.parseQuoted(c)
		if n == nil {
			return nil, 0, false
		}
		e := p.i
		if e < p.le && s[e] == ':' && (e+1 == p.le || s[e+1] == ' ') {
			return n, e + 1, true
		}
		return n, 0, false
	}
	if !p.plainStart(c) {
		return nil, 0, false
	}
	i := c
	for ; i < p.le; i++ {
		ch := s[i]
		if ch == ':' && (i+1 == p.le || s[i+1] == ' ') {
			k := strings.TrimRight(s[c:i], " ")
			if len(k) > 1024 || k == "<<" || !simpleKey(k) {
				p.fail()
				return nil, 0, false
			}
			return p.scalar(k, plainStyle, c), i + 1, true
		}
		if ch == ' ' && i+1 < p.le && s[i+1] == '#' {
			break
		}
	}
	v := strings.TrimRight(s[c:i], " ")
	p.i = c + len(v)
	return p.scalar(v, plainStyle, c), 0, false
}

// simpleKey reports whether a plain key uses only characters that mean the
// same to every YAML reader.
func simpleKey(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '-' || c == '.' || c == '/' || c == ' ') {
			return false
		}
	}
	return true
}

// plainStart reports whether a plain scalar may start at offset c (block
// context), by the conservative rule: no indicator character first, except
// a '-' that is not followed by a space.
func (p *fastParser) plainStart(c int) bool {
	switch p.src[c] {
	case '-':
		return c+1 < p.le && p.src[c+1] != ' '
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	}
	return true
}

// parseMap parses a block mapping whose keys sit at column n; the first key
// has been read and after is the offset just past its ':'.
func (p *fastParser) parseMap(n int, key *node, after int) *node {
	m := p.alloc()
	m.kind = mapNode
	m.line, m.col = key.line, key.col
	start := len(p.stack)
	root := p.depth == 1 && p.stream != nil
	for {
		var stream *node
		if root {
			if streamable(key.value) && !slices.Contains(p.rootKeys, key.value) {
				stream = key
			}
			p.rootKeys = append(p.rootKeys, key.value)
		}
		p.stack = append(p.stack, key)
		v := p.parseValue(n, after, stream)
		if p.bad {
			return nil
		}
		p.stack = append(p.stack, v)
		if p.eof || p.ind < n {
			m.content = p.content(start)
			return m
		}
		if p.ind > n || p.isDash(p.ls+n) {
			return p.fail()
		}
		var isKey bool
		key, after, isKey = p.scanKey(p.ls + n)
		if p.bad || !isKey {
			return p.fail()
		}
	}
}

// parseValue parses the value of a mapping key at column n whose ':' ends
// just before offset a. When stream is not nil and the value is a block
// list, its items are streamed under that key.
func (p *fastParser) parseValue(n, a int, stream *node) *node {
	j := p.skipSpaces(a)
	if j == p.le || p.src[j] == '#' {
		line, col := p.line, p.col(a)
		p.advance()
		if !p.eof && p.ind > n {
			if stream != nil && p.isDash(p.ls+p.ind) {
				return p.parseSeqOf(p.ind, stream)
			}
			return p.parseBlock(p.ls + p.ind)
		}
		if !p.eof && p.ind == n && p.isDash(p.ls+n) {
			return p.parseSeqOf(n, stream)
		}
		return p.null(line, col)
	}
	v := p.parseInline(j)
	if v == nil || !p.endLine() {
		return p.fail()
	}
	return v
}

// parseSeq parses a block list whose '-' indicators sit at column n; the
// current line has one there.
func (p *fastParser) parseSeq(n int) *node { return p.parseSeqOf(n, nil) }

// parseSeqOf is parseSeq, streaming the items under key when key is not
// nil.
func (p *fastParser) parseSeqOf(n int, key *node) *node {
	s := p.alloc()
	s.kind = seqNode
	s.line, s.col = int32(p.line), p.col(p.ls+n)
	start := len(p.stack)
	m := p.mark()
	for {
		c := p.ls + n
		if !p.isDash(c) {
			return p.fail()
		}
		j := p.skipSpaces(c + 1)
		var item *node
		if j == p.le || p.src[j] == '#' {
			line, col := p.line, p.col(c+1)
			p.advance()
			if !p.eof && p.ind > n {
				item = p.parseBlock(p.ls + p.ind)
			} else {
				item = p.null(line, col)
			}
		} else {
			item = p.parseBlock(j)
		}
		if p.bad {
			return nil
		}
		if key != nil {
			p.stream(key, item)
			p.release(m)
			m = p.mark() // the same, unless the item filled a chunk
		} else {
			p.stack = append(p.stack, item)
		}
		if p.eof || p.ind < n {
			s.content = p.content(start)
			return s
		}
		if p.ind > n {
			return p.fail()
		}
		if !p.isDash(p.ls + n) {
			s.content = p.content(start)
			return s // the mapping this list is a value of goes on
		}
	}
}

// endLine checks that only spaces and a comment follow p.i on the current
// line and moves to the next line.
func (p *fastParser) endLine() bool {
	i := p.skipSpaces(p.i)
	if i < p.le && !(p.src[i] == '#' && i > p.i) {
		return false
	}
	p.advance()
	return !p.bad
}

// parseInline parses a value that starts at offset c and ends on the same
// line: a scalar or a flow collection. It sets p.i past it.
func (p *fastParser) parseInline(c int) *node {
	switch p.src[c] {
	case '"', '\'':
		return p.parseQuoted(c)
	case '[', '{':
		return p.parseFlow(c)
	}
	if !p.plainStart(c) {
		return p.fail()
	}
	s := p.src
	i := c
	for ; i < p.le; i++ {
		ch := s[i]
		if ch == ':' && (i+1 == p.le || s[i+1] == ' ') {
			return p.fail()
		}
		if ch == ' ' && i+1 < p.le && s[i+1] == '#' {
			break
		}
	}
	v := strings.TrimRight(s[c:i], " ")
	p.i = c + len(v)
	return p.scalar(v, plainStyle, c)
}

// parseQuoted parses a one-line single- or double-quoted scalar at c.
func (p *fastParser) parseQuoted(c int) *node {
	s := p.src
	q := s[c]
	var b []byte // the unescaped value, once an escape is met
	i := c + 1
	for {
		if i >= p.le {
			return p.fail()
		}
		ch := s[i]
		if ch == q {
			if q == '\'' && i+1 < p.le && s[i+1] == '\'' {
				if b == nil {
					b = append([]byte(nil), s[c+1:i]...)
				}
				b = append(b, '\'')
				i += 2
				continue
			}
			break
		}
		if q == '"' && ch == '\\' {
			if b == nil {
				b = append([]byte(nil), s[c+1:i]...)
			}
			var ok bool
			b, i, ok = p.unescape(b, i+1)
			if !ok {
				return p.fail()
			}
			continue
		}
		if b != nil {
			b = append(b, ch)
		}
		i++
	}
	p.i = i + 1
	st := doubleStyle
	if q == '\'' {
		st = singleStyle
	}
	if b != nil {
		n := p.scalar(string(b), otherStyle, c)
		return n
	}
	return p.scalar(s[c+1:i], st, c)
}

// unescape decodes the escape after a backslash at i-1 in a double-quoted
// scalar; ok is false for escapes outside the subset.
func (p *fastParser) unescape(b []byte, i int) ([]byte, int, bool) {
	if i >= p.le {
		return b, i, false
	}
	switch p.src[i] {
	case '\\', '"', '/':
		return append(b, p.src[i]), i + 1, true
	case 'n':
		return append(b, '\n'), i + 1, true
	case 't':
		return append(b, '\t'), i + 1, true
	case 'r':
		return append(b, '\r'), i + 1, true
	case 'x', 'u', 'U':
		w := map[byte]int{'x': 2, 'u': 4, 'U': 8}[p.src[i]]
		if i+1+w > p.le {
			return b, i, false
		}
		v, err := strconv.ParseUint(p.src[i+1:i+1+w], 16, 32)
		r := rune(v)
		if err != nil || !utf8.ValidRune(r) || r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0xfeff {
			return b, i, false
		}
		return utf8.AppendRune(b, r), i + 1 + w, true
	}
	return b, i, false
}

// parseFlow parses a one-line flow list or mapping at c.
func (p *fastParser) parseFlow(c int) *node {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxFastDepth {
		return p.fail()
	}
	s := p.src
	n := p.alloc()
	n.line, n.col = int32(p.line), p.col(c)
	n.flow = true
	closer := byte(']')
	n.kind = seqNode
	if s[c] == '{' {
		closer = '}'
		n.kind = mapNode
	}
	i := p.skipSpaces(c + 1)
	if i < p.le && s[i] == closer {
		p.i = i + 1
		return n
	}
	start := len(p.stack)
	for {
		if n.kind == mapNode {
			k := p.flowItem(i, true)
			if k == nil {
				return p.fail()
			}
			// flowItem stopped at ": ".
			p.stack = append(p.stack, k)
			i = p.skipSpaces(p.i + 1)
		}
		v := p.flowItem(i, false)
		if v == nil {
			return p.fail()
		}
		p.stack = append(p.stack, v)
		i = p.skipSpaces(p.i)
		if i >= p.le {
			return p.fail()
		}
		switch s[i] {
		case ',':
			i = p.skipSpaces(i + 1)
			if i >= p.le || s[i] == closer || s[i] == ',' {
				return p.fail()
			}
		case closer:
			p.i = i + 1
			n.content = p.content(start)
			return n
		default:
			return p.fail()
		}
	}
}

// flowItem parses one item of a flow collection at i; as a key it must be
// followed by ": ".
func (p *fastParser) flowItem(i int, key bool) *node {
	if i >= p.le {
		return p.fail()
	}
	s := p.src
	var n *node
	switch s[i] {
	case '[', '{':
		if key {
			return p.fail()
		}
		n = p.parseFlow(i)
	case '"', '\'':
		n = p.parseQuoted(i)
	default:
		if !p.plainStart(i) {
			return p.fail()
		}
		j := i
	scan:
		for ; j < p.le; j++ {
			switch s[j] {
			case ',', '[', ']', '{', '}':
				break scan
			case ':':
				if key && j+1 < p.le && s[j+1] == ' ' {
					break scan
				}
				return p.fail()
			case '#':
				return p.fail()
			}
		}
		v := strings.TrimRight(s[i:j], " ")
		p.i = i + len(v)
		n = p.scalar(v, plainStyle, i)
	}
	if n == nil || p.bad {
		return p.fail()
	}
	if key {
		if !(p.i+1 < p.le && s[p.i] == ':' && s[p.i+1] == ' ') {
			return p.fail()
		}
	}
	return n
}
