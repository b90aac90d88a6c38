// Package yaml reads and writes lifeboat's native map files: YAML with
// functions:, systems:, vendors: and fallbacks: lists as design.md
// describes, every problem located by file, line and column. It reads the
// files only; merging and validation across files are graph.Builder's.
//
// Requirements are written as YAML lists of ids, as groups
// ({any: [...]}, {all: [...]}, {atleast: k, of: [...]}), nested freely, or
// in the one-line text form ("core-banking, any(swift-a, swift-b)"),
// either for the whole requires: or for one item of its list. Whatever the
// form, a node's requirement comes out as an OpAll list at the top.
//
// A JSON Schema of the format (Schema) lets editors check map files as
// they are typed.
package yaml

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
)

// Name is the importer's name, as written in a source's type.
const Name = "yaml"

// Importer reads native map files. The zero value is ready to use.
type Importer struct{}

var _ importers.Importer = Importer{}

// Name returns "yaml".
func (Importer) Name() string { return Name }

// Match reports whether src is a native map file: a .yaml or .yml file,
// other than a workspace's lifeboat.yaml, whose top-level keys are not
// those of another YAML format (a Backstage entity's apiVersion: and
// kind:, an OpenAPI document, a workspace config's sources:). Folders are
// not matched: the registry offers their files one by one, so that a
// folder may mix formats; Import reads a whole folder when asked to with
// an explicit type.
func (Importer) Match(src importers.Source) bool {
	if src.Type != "" {
		return src.Type == Name
	}
	if !IsMapFile(path.Base(src.Path)) || importers.IsDir(src.FS, src.Path) {
		return false
	}
	f, err := src.FS.Open(src.Path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8192)
	n, _ := f.Read(head)
	return !foreign(head[:n])
}

// IsMapFile reports whether a file name is one a folder of map files
// contributes: it ends in .yaml or .yml and is not lifeboat.yaml (the
// workspace config).
func IsMapFile(name string) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
		return false
	}
	return lower != "lifeboat.yaml" && lower != "lifeboat.yml"
}

// foreignKeys are top-level keys that mark a YAML file of another format.
var foreignKeys = map[string]bool{
	"apiVersion": true, "kind": true, "metadata": true, "spec": true, // Backstage, Kubernetes
	"openapi": true, "swagger": true, "asyncapi": true, // API descriptions
	"sources": true, "crisis_lead": true, "spokesperson": true, // a workspace config
	"bomFormat": true, "spdxVersion": true, "SPDXID": true, // SBOMs
	"services": true, "jobs": true, "steps": true, // compose files, CI pipelines
}

// foreign reports whether the start of a YAML file has a top-level key
// of another format.
func foreign(head []byte) bool {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if len(line) == 0 || line[0] == ' ' || line[0] == '#' || line[0] == '-' || line[0] == '\t' {
			continue
		}
		if i := bytes.IndexByte(line, ':'); i > 0 {
			key := strings.Trim(string(line[:i]), "\"' ")
			if foreignKeys[key] {
				return true
			}
		}
	}
	return false
}

// Import reads src: one map file, or every map file below a folder (see
// IsMapFile; hidden entries skipped) in path order, into one batch. The
// error is for a source that cannot be read.
func (Importer) Import(ctx context.Context, src importers.Source) (*graph.Batch, error) {
	files := []string{src.Path}
	if importers.IsDir(src.FS, src.Path) {
		var err error
		files, err = importers.Files(src.FS, src.Path, IsMapFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
	}
	batch := &graph.Batch{Source: src.Name, Importer: Name}
	if len(files) == 0 {
		batch.Problems.Add(graph.Problem{Pos: graph.Pos{File: src.Name, Importer: Name}, Severity: graph.Warning,
			Msg: "no .yaml or .yml map files in this folder"})
	}
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := fs.ReadFile(src.FS, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", importers.FileName(src, p), err)
		}
		b := Parse(importers.FileName(src, p), data)
		batch.Nodes = append(batch.Nodes, b.Nodes...)
		batch.Fallbacks = append(batch.Fallbacks, b.Fallbacks...)
		batch.Problems = append(batch.Problems, b.Problems...)
		if batch.Name == "" {
			batch.Name = b.Name
		}
		if batch.Currency == "" {
			batch.Currency = b.Currency
		}
	}
	return batch, nil
}
