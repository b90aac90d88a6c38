// Package registry is the list of lifeboat's importers and the one way to
// load sources through them: it resolves each source (a file or folder),
// gives it to the importer its type names or the first whose Match accepts
// it, and merges the batches with graph.Builder. It reads no format
// itself.
package registry

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/importers/csv"
	"github.com/lifeboat-dev/lifeboat/importers/openpsa"
	"github.com/lifeboat-dev/lifeboat/importers/yaml"
)

// Default returns lifeboat's importers in the order files are offered to
// them: the first whose Match accepts a file reads it. Formats that claim
// whole folders come before those that read single files.
func Default() []importers.Importer {
	return []importers.Importer{
		yaml.Importer{},
		csv.Importer{},
		openpsa.Importer{},
	}
}

// Lookup returns the default importer with the given name (any case), or
// nil.
func Lookup(name string) importers.Importer {
	for _, imp := range Default() {
		if strings.EqualFold(imp.Name(), name) {
			return imp
		}
	}
	return nil
}

// Names returns the names of the default importers, sorted: the values a
// source's type may take.
func Names() []string {
	var out []string
	for _, imp := range Default() {
		out = append(out, imp.Name())
	}
	sort.Strings(out)
	return out
}

// Errors Load wraps, for callers that map them to exit codes.
var (
	// ErrNotFound: a source's path names nothing.
	ErrNotFound = errors.New("no such file or folder")
	// ErrUnknownType: a source's type names no importer.
	ErrUnknownType = errors.New("unknown source type")
	// ErrNoImporter: no importer reads a file given as a source.
	ErrNoImporter = errors.New("no importer reads this file")
)

// Spec is one source to load.
type Spec struct {
	// Path is the file or folder as the user wrote it.
	Path string
	// Type is the importer to use ("yaml", "csv"), or "" to let the
	// importers' Match decide.
	Type string
	// Base is the folder a relative Path resolves against (the
	// workspace's); "" or "." is the working directory.
	Base string
}

// Name is how messages name the source: Path as written, joined to Base
// when Base is not the working directory and Path is relative.
func (s Spec) Name() string {
	if s.Base == "" || s.Base == "." || filepath.IsAbs(s.Path) {
		return filepath.ToSlash(s.Path)
	}
	return filepath.ToSlash(filepath.Join(s.Base, s.Path))
}

func (s Spec) full() string {
	if s.Base == "" || filepath.IsAbs(s.Path) {
		return s.Path
	}
	return filepath.Join(s.Base, s.Path)
}

// job is one import: an importer and the source it reads.
type job struct {
	imp importers.Importer
	src importers.Source
}

// plan resolves specs into import jobs, in spec order and, within a
// folder, in path order. Data files no importer reads become information
// problems in the extra batch.
func plan(specs []Spec) ([]job, *graph.Batch, error) {
	var jobs []job
	skipped := &graph.Batch{Importer: "registry"}
	for _, s := range specs {
		name := s.Name()
		full := s.full()
		fi, err := os.Stat(full)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("source %q: %w", name, ErrNotFound)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("source %q: %w", name, err)
		}
		src := importers.Source{Name: name, Type: s.Type}
		if fi.IsDir() {
			src.FS, src.Path = os.DirFS(full), "."
		} else {
			src.FS, src.Path = os.DirFS(filepath.Dir(full)), filepath.Base(full)
		}
		if s.Type != "" {
			imp := Lookup(s.Type)
			if imp == nil {
				return nil, nil, fmt.Errorf("source %q: %w %q; known types: %s", name, ErrUnknownType, s.Type, strings.Join(Names(), ", "))
			}
			jobs = append(jobs, job{imp, src})
			continue
		}
		if imp := match(src); imp != nil {
			jobs = append(jobs, job{imp, src})
			continue
		}
		if !fi.IsDir() {
			return nil, nil, fmt.Errorf("source %q: %w; give it a type (%s)", name, ErrNoImporter, strings.Join(Names(), ", "))
		}
		files, err := importers.Files(src.FS, ".", func(base string) bool {
			lower := strings.ToLower(base)
			return lower != "lifeboat.yaml" && lower != "lifeboat.yml"
		})
		if err != nil {
			return nil, nil, fmt.Errorf("source %q: %w", name, err)
		}
		for _, p := range files {
			fsrc := importers.Source{FS: src.FS, Path: p, Name: importers.FileName(src, p)}
			if imp := match(fsrc); imp != nil {
				jobs = append(jobs, job{imp, fsrc})
				continue
			}
			switch strings.ToLower(path.Ext(p)) {
			case ".csv", ".yaml", ".yml", ".json":
				skipped.Problems.Add(graph.Problem{Pos: graph.Pos{File: fsrc.Name}, Severity: graph.Info,
					Msg:  "no importer reads this file; skipped",
					Hint: "name map CSV files functions.csv, systems.csv, vendors.csv or fallbacks.csv, or list the file as a source with a type"})
			}
		}
	}
	return jobs, skipped, nil
}

func match(src importers.Source) importers.Importer {
	for _, imp := range Default() {
		if imp.Match(src) {
			return imp
		}
	}
	return nil
}

// Batches reads every source into batches, in spec order and, within a
// folder, in path order, using all CPUs. Problems in the content are in
// the batches; the error is for a source that is missing, of an unknown
// type, or unreadable.
func Batches(ctx context.Context, specs []Spec) ([]*graph.Batch, error) {
	if len(specs) == 0 {
		return nil, errors.New("no sources to load")
	}
	jobs, skipped, err := plan(specs)
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Batch, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := min(runtime.GOMAXPROCS(0), len(jobs)); w > 0; w-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				out[i], errs[i] = jobs[i].imp.Import(ctx, jobs[i].src)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", jobs[i].src.Name, err)
		}
	}
	if len(skipped.Problems) > 0 {
		out = append(out, skipped)
	}
	return out, nil
}

// Load reads every source and builds the map. It returns every problem
// found, sorted by position; the map is nil when any is an error. The
// error is Batches'.
func Load(ctx context.Context, specs []Spec) (*graph.Map, graph.Problems, error) {
	batches, err := Batches(ctx, specs)
	if err != nil {
		return nil, nil, err
	}
	b := graph.NewBuilder()
	for _, batch := range batches {
		b.Add(batch)
	}
	m, ps := b.Build()
	return m, ps, nil
}
