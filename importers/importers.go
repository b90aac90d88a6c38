// Package importers defines how lifeboat reads the files people already
// keep: every input format is an Importer that turns a Source into a
// graph.Batch. It holds the interface only; formats live in sub-packages
// and the list of them in importers/registry.
package importers

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// Source is one input: a file or folder inside FS. Some formats span
// several linked files or need random access, hence a file system and not
// a reader.
type Source struct {
	FS   fs.FS  // the folder holding Path
	Path string // slash-separated path inside FS; "." for FS itself
	// Name is how messages name the source: the path as the user gave it
	// (relative to the working directory or the workspace).
	Name string
	// Type is the importer the user asked for ("yaml", "csv"), or "" to
	// let Match decide.
	Type string
}

// Importer reads one input format.
type Importer interface {
	// Name is the format's short name, as written in a source's type.
	Name() string
	// Match reports cheaply (by name or first bytes) whether the importer
	// reads src.
	Match(src Source) bool
	// Import reads src. Problems in the content (syntax errors, bad
	// records) become located problems in the batch and the rest still
	// loads; the error is for a source that cannot be read at all.
	Import(ctx context.Context, src Source) (*graph.Batch, error)
}

// FileName is how messages name the file at path p inside src: src.Name
// itself when src is that file, else src.Name joined with p's path below
// src.Path (slash-separated).
func FileName(src Source, p string) string {
	if p == src.Path {
		return src.Name
	}
	rel := p
	if src.Path != "." && src.Path != "" {
		rel = strings.TrimPrefix(p, src.Path+"/")
	}
	if src.Name == "" || src.Name == "." {
		return rel
	}
	return path.Join(src.Name, rel)
}

// Files lists the regular files below dir in fsys whose base name keep
// accepts, recursively, depth first with the entries of each folder in
// name order (as fs.WalkDir visits them). Hidden entries (see Hidden)
// and everything below a hidden folder are skipped; symbolic links to
// folders are not followed. dir itself may be ".". A nil keep accepts
// every file.
func Files(fsys fs.FS, dir string, keep func(name string) bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && Hidden(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			if fi, err := fs.Stat(fsys, p); err != nil || !fi.Mode().IsRegular() {
				return nil
			}
		case !d.Type().IsRegular():
			return nil
		}
		if keep == nil || keep(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Hidden reports whether a file or folder name is hidden from folder
// sources: its name starts with a dot.
func Hidden(name string) bool { return strings.HasPrefix(name, ".") }

// IsDir reports whether p names a folder in fsys.
func IsDir(fsys fs.FS, p string) bool {
	fi, err := fs.Stat(fsys, p)
	return err == nil && fi.IsDir()
}

// CheckText returns a problem when data is not UTF-8 text (a NUL byte,
// a UTF-16 byte order mark, or an invalid UTF-8 sequence), located at the
// first offending byte of file; ok is true for text.
func CheckText(file string, data []byte) (p graph.Problem, ok bool) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return graph.Problem{Pos: graph.Pos{File: file, Line: 1, Col: 1}, Severity: graph.Error,
			Msg:  "file is UTF-16 encoded",
			Hint: "save it as UTF-8"}, false
	}
	bad := bytes.IndexByte(data, 0)
	what := "a NUL byte"
	if bad < 0 && !utf8.Valid(data) {
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				bad = i
				break
			}
			i += n
		}
		what = "an invalid UTF-8 byte"
	}
	if bad < 0 {
		return graph.Problem{}, true
	}
	line := 1 + bytes.Count(data[:bad], []byte{'\n'})
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:bad], '\n')+1:bad])
	return graph.Problem{Pos: graph.Pos{File: file, Line: line, Col: col}, Severity: graph.Error,
		Msg:  fmt.Sprintf("not a text file: %s at byte %d", what, bad),
		Hint: "lifeboat reads map files as UTF-8 text; check that this is the file you meant"}, false
}

// Suggest returns the candidate closest to s by edit distance, for "did
// you mean" hints, or "" when none is close enough to be a likely typo.
// Case differences count as a match.
func Suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := max(1, min(3, len(s)/3))
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		if d := len(c) - len(s); d > limit || -d > limit {
			continue
		}
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the Damerau–Levenshtein (optimal string alignment)
// distance, so that a swapped pair of letters ("requries") costs one.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// CheckLEI returns what is wrong with an ISO 17442 legal entity
// identifier ("has 12 characters, not 20", "fails its check digits"), or
// "" when it is well formed.
func CheckLEI(s string) string {
	if len(s) != 20 {
		return fmt.Sprintf("has %d characters, not 20", len(s))
	}
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return "has characters other than capital letters and digits"
		}
	}
	if rem != 1 {
		return "fails its check digits"
	}
	return ""
}
