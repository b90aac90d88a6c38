// Package importers defines how lifeboat reads the files people already
// keep: every input format is an Importer that turns a Source into a
// graph.Batch. It holds the interface only; formats live in sub-packages
// and the list of them in importers/registry.
package importers

import (
	"context"
	"io/fs"

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
