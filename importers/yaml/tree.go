package yaml

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yamlv3 "go.yaml.in/yaml/v3"
)

// node is the part of a YAML node the map reader needs. Both parsers
// produce it: the fast one for the plain block style lifeboat writes, and
// go.yaml.in/yaml/v3 for everything else.
type node struct {
	kind  nodeKind
	style scalarStyle
	null  bool // a null scalar: empty, ~ or null, unquoted
	flow  bool // a [...] or {...} collection
	line  int32
	col   int32
	value string
	// content holds a sequence's items, or a mapping's keys and values
	// alternating.
	content []*node
}

type nodeKind uint8

const (
	scalarNode nodeKind = iota + 1
	seqNode
	mapNode
)

type scalarStyle uint8

const (
	plainStyle  scalarStyle = iota // plain, on one line
	singleStyle                    // 'single-quoted', no '' escapes
	doubleStyle                    // "double-quoted", no escapes
	otherStyle                     // anything whose value does not map 1:1 onto the source
)

func (k nodeKind) String() string {
	switch k {
	case scalarNode:
		return "a scalar"
	case seqNode:
		return "a list"
	case mapNode:
		return "a mapping"
	}
	return "nothing"
}

// describe names what n is, for "expected X, found Y" messages.
func (n *node) describe() string {
	if n.kind == scalarNode {
		if n.null {
			return "nothing"
		}
		return strconv.Quote(n.value)
	}
	return n.kind.String()
}

// valueCol is the column where the scalar's value starts, and whether
// columns inside the value map 1:1 onto the source.
func (n *node) valueCol() (int, bool) {
	switch n.style {
	case plainStyle:
		return int(n.col), true
	case singleStyle, doubleStyle:
		return int(n.col) + 1, true
	}
	return int(n.col), false
}

// syntaxError is a YAML syntax error with its position.
type syntaxError struct {
	line, col int
	msg, hint string
}

func (e *syntaxError) Error() string { return e.msg }

// parseDocs parses data into one root per YAML document (an empty document
// yields none). It tries the fast parser first and falls back to
// go.yaml.in/yaml/v3 when the fast one meets anything outside its subset.
func parseDocs(data string) ([]*node, error) {
	if root, ok := parseFast(data, nil); ok {
		if root == nil {
			return nil, nil
		}
		return []*node{root}, nil
	}
	return parseSlow(data)
}

// maxExpansion bounds how many nodes alias expansion may produce, so that
// a file of nested aliases ("billion laughs") cannot exhaust memory.
const maxExpansion = 1 << 22

func parseSlow(data string) ([]*node, error) {
	dec := yamlv3.NewDecoder(strings.NewReader(data))
	var roots []*node
	budget := max(maxExpansion, 4*len(data))
	for {
		var doc yamlv3.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return roots, nil
		}
		if err != nil {
			return roots, locateSyntaxError(data, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		root, err := convert(doc.Content[0], &budget, 0)
		if err != nil {
			return roots, err
		}
		roots = append(roots, root)
	}
}

func convert(y *yamlv3.Node, budget *int, depth int) (*node, error) {
	*budget--
	if *budget < 0 {
		return nil, &syntaxError{line: y.Line, col: y.Column, msg: "aliases expand to too many nodes",
			hint: "write the repeated parts out, or use fewer nested aliases"}
	}
	if depth > 200 {
		return nil, &syntaxError{line: y.Line, col: y.Column, msg: "nested too deeply"}
	}
	n := &node{line: int32(y.Line), col: int32(y.Column)}
	switch y.Kind {
	case yamlv3.AliasNode:
		if y.Alias == nil {
			return nil, &syntaxError{line: y.Line, col: y.Column, msg: fmt.Sprintf("unknown anchor %q", y.Value)}
		}
		c, err := convert(y.Alias, budget, depth+1)
		if err != nil {
			return nil, err
		}
		cp := *c
		cp.line, cp.col = n.line, n.col
		return &cp, nil
	case yamlv3.ScalarNode:
		n.kind = scalarNode
		n.value = y.Value
		n.null = y.Tag == "!!null"
		switch {
		case y.Style&(yamlv3.LiteralStyle|yamlv3.FoldedStyle) != 0 || strings.Contains(y.Value, "\n"):
			n.style = otherStyle
		case y.Style&yamlv3.DoubleQuotedStyle != 0:
			n.style = doubleStyle
			if strings.ContainsAny(y.Value, "\"\\\t") {
				n.style = otherStyle
			}
		case y.Style&yamlv3.SingleQuotedStyle != 0:
			n.style = singleStyle
			if strings.Contains(y.Value, "'") {
				n.style = otherStyle
			}
		}
	case yamlv3.SequenceNode:
		n.kind = seqNode
		n.flow = y.Style&yamlv3.FlowStyle != 0
		n.content = make([]*node, 0, len(y.Content))
		for _, c := range y.Content {
			cn, err := convert(c, budget, depth+1)
			if err != nil {
				return nil, err
			}
			n.content = append(n.content, cn)
		}
	case yamlv3.MappingNode:
		n.kind = mapNode
		var merges []*yamlv3.Node
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind == yamlv3.ScalarNode && k.Tag == "!!merge" {
				merges = append(merges, v)
				continue
			}
			kn, err := convert(k, budget, depth+1)
			if err != nil {
				return nil, err
			}
			vn, err := convert(v, budget, depth+1)
			if err != nil {
				return nil, err
			}
			n.content = append(n.content, kn, vn)
		}
		if err := merge(n, merges, budget, depth); err != nil {
			return nil, err
		}
	default:
		return nil, &syntaxError{line: y.Line, col: y.Column, msg: "unexpected YAML node"}
	}
	return n, nil
}

// merge applies YAML merge keys (<<: *base): keys of the merged mappings
// that n does not set itself are added, earlier merges winning.
func merge(n *node, merges []*yamlv3.Node, budget *int, depth int) error {
	have := map[string]bool{}
	for i := 0; i < len(n.content); i += 2 {
		have[n.content[i].value] = true
	}
	var sources []*yamlv3.Node
	for _, m := range merges {
		for m.Kind == yamlv3.AliasNode && m.Alias != nil {
			m = m.Alias
		}
		if m.Kind == yamlv3.SequenceNode {
			for _, c := range m.Content {
				for c.Kind == yamlv3.AliasNode && c.Alias != nil {
					c = c.Alias
				}
				sources = append(sources, c)
			}
			continue
		}
		sources = append(sources, m)
	}
	for _, s := range sources {
		if s.Kind != yamlv3.MappingNode {
			return &syntaxError{line: s.Line, col: s.Column, msg: "<< merges only mappings"}
		}
		c, err := convert(s, budget, depth+1)
		if err != nil {
			return err
		}
		for i := 0; i+1 < len(c.content); i += 2 {
			if k := c.content[i].value; !have[k] {
				have[k] = true
				n.content = append(n.content, c.content[i], c.content[i+1])
			}
		}
	}
	return nil
}

// parserErrors are the messages of go.yaml.in/yaml/v3's parser (as
// opposed to its scanner).
var parserErrors = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

var yamlErrRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// syntaxHints explains go.yaml.in/yaml/v3's messages.
var syntaxHints = []struct{ prefix, hint string }{
	{"found character that cannot start any token", "indent with spaces, not tabs, and quote values that start with @ or `"},
	{"mapping values are not allowed in this context", "quote a value that contains \": \", or put a nested mapping on its own lines"},
	{"did not find expected key", "check the indentation: the keys of one mapping and the items of one list line up"},
	{"did not find expected '-' indicator", "check the indentation: the keys of one mapping and the items of one list line up"},
	{"did not find expected ',' or ']'", "close the list with ] or separate its items with commas"},
	{"did not find expected ',' or '}'", "close the mapping with } or separate its entries with commas"},
	{"found unexpected end of stream", "a quote or bracket is not closed"},
	{"found unknown escape character", "write a backslash as \\\\ inside double quotes, or use single quotes"},
	{"block sequence entries are not allowed in this context", "start a list on the line after its key"},
	{"could not find expected ':'", "add \": \" after the key, or quote the value"},
}

// locateSyntaxError turns a go.yaml.in/yaml/v3 error into a syntaxError
// with the best position the message allows: the library reports lines
// only, so the column is found by looking at that line.
func locateSyntaxError(data string, err error) error {
	var se *syntaxError
	if errors.As(err, &se) {
		return se
	}
	msg := err.Error()
	line := 0
	if m := yamlErrRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if strings.HasPrefix(msg, "unknown anchor") {
		// "unknown anchor 'x' referenced"
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		if i := strings.Index(data, "*"+name); i >= 0 {
			l, c := lineCol(data, i)
			return &syntaxError{line: l, col: c, msg: msg, hint: "define the anchor with &" + name + " before using it"}
		}
	}
	// The library prints a 0-based line for its parser's errors and a
	// 1-based one for its scanner's; no line means the first.
	if parserErrors[msg] {
		line++
	}
	if line == 0 {
		line = 1
	}
	se = &syntaxError{line: line, msg: msg}
	for _, h := range syntaxHints {
		if strings.HasPrefix(msg, h.prefix) {
			se.hint = h.hint
			break
		}
	}
	text := lineText(data, line)
	switch {
	case strings.Contains(msg, "tab character") || strings.HasPrefix(msg, "found character that cannot start any token"):
		// The tab may sit on one of the next lines when the library was
		// still reading a value.
		for l := line; l < line+3; l++ {
			t := lineText(data, l)
			if i := strings.IndexAny(t, "\t@`"); i >= 0 {
				se.line, text = l, t
				se.col = 1 + utf8.RuneCountInString(t[:i])
				if t[i] == '\t' {
					se.msg = "tab character where YAML expects spaces"
					se.hint = "indent with spaces, not tabs"
				}
				break
			}
		}
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		// The second ": " on the line is the one that does not fit, or the
		// first when the line continues the value of the line before.
		if i := strings.Index(text, ": "); i >= 0 {
			if j := strings.Index(text[i+2:], ": "); j >= 0 {
				i += 2 + j
			}
			se.col = 1 + utf8.RuneCountInString(text[:i])
		}
	case msg == "did not find expected key" || msg == "did not find expected '-' indicator":
		if l, c := badIndent(data, line); l > 0 {
			se.line, se.col = l, c
			return se
		}
	case msg == "found unexpected end of stream":
		if l, c := openQuote(data); l > 0 {
			se.line, se.col = l, c
			se.hint = "close the quote on the line it opens"
			return se
		}
	case strings.HasPrefix(msg, "did not find expected ',' or"):
		// The library names the line of the bracket or the one after it.
		open, close := "[", "]"
		if strings.HasSuffix(msg, "'}'") {
			open, close = "{", "}"
		}
		for l := line; l >= max(1, line-1); l-- {
			t := lineText(data, l)
			if i := strings.LastIndex(t, open); i >= 0 && strings.Count(t, open) > strings.Count(t, close) {
				se.line, se.col = l, 1+utf8.RuneCountInString(t[:i])
				return se
			}
		}
	}
	if se.col == 0 {
		se.col = 1 + len(text) - len(strings.TrimLeft(text, " "))
	}
	return se
}

// lineText returns the text of the 1-based line, without its line break.
func lineText(data string, line int) string {
	for i := 1; i < line; i++ {
		j := strings.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := strings.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return strings.TrimSuffix(data, "\r")
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(data string, off int) (int, int) {
	line := 1 + strings.Count(data[:off], "\n")
	start := strings.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCountInString(data[start:off])
}

// badIndent finds the first line at or after line from whose indentation
// matches no open block: a key or item that does not line up with its
// siblings. It returns 0, 0 when every line fits.
func badIndent(data string, from int) (line, col int) {
	var levels []int
	opens := false // the previous line opens a more indented block
	for l, text := range strings.Split(data, "\n") {
		text = strings.TrimSuffix(text, "\r")
		body := strings.TrimLeft(text, " ")
		if body == "" || body[0] == '#' {
			continue
		}
		ind := len(text) - len(body)
		for len(levels) > 0 && levels[len(levels)-1] > ind {
			levels = levels[:len(levels)-1]
		}
		if len(levels) == 0 || levels[len(levels)-1] < ind {
			if len(levels) > 0 && !opens && l+1 >= from {
				return l + 1, ind + 1
			}
			levels = append(levels, ind)
		}
		// "- key: value" opens a mapping at the key's column.
		item := body
		for strings.HasPrefix(item, "- ") {
			rest := strings.TrimLeft(item[2:], " ")
			ind += len(item) - len(rest)
			levels = append(levels, ind)
			item = rest
		}
		trimmed := strings.TrimRight(stripComment(item), " ")
		opens = strings.HasSuffix(trimmed, ":") || trimmed == "-" || strings.HasSuffix(trimmed, " |") || strings.HasSuffix(trimmed, " >")
	}
	return 0, 0
}

// stripComment removes a trailing " # comment" outside quotes, roughly.
func stripComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i]
		}
	}
	return s
}

// openQuote finds the quote that opens a scalar never closed: the last
// line with an unbalanced quote, at that quote.
func openQuote(data string) (line, col int) {
	for l, text := range strings.Split(data, "\n") {
		quote, at := byte(0), -1
		for i := 0; i < len(text); i++ {
			c := text[i]
			switch {
			case quote == '"' && c == '\\':
				i++
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case (c == '"' || c == '\'') && (i == 0 || strings.IndexByte(" [{,:-", text[i-1]) >= 0):
				quote, at = c, i
			case c == '#' && (i == 0 || text[i-1] == ' '):
				i = len(text)
			}
		}
		if quote != 0 {
			line, col = l+1, 1+utf8.RuneCountInString(text[:at])
		}
	}
	return line, col
}
