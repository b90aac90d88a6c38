package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers/csv"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
	"github.com/lifeboat-dev/lifeboat/importers/yaml"
)

// specs converts the plan's sources for the registry.
func specs(p *plan) []registry.Spec {
	out := make([]registry.Spec, len(p.Sources))
	for i, s := range p.Sources {
		out[i] = registry.Spec{Path: s.Path, Type: s.Type}
	}
	return out
}

// sourceError classifies a registry error: a source that is missing, of
// an unknown type, or that no importer reads is the user's to fix (exit
// 2); anything else is a failure to do the work (exit 1).
func sourceError(err error) error {
	if errors.Is(err, registry.ErrNotFound) || errors.Is(err, registry.ErrUnknownType) || errors.Is(err, registry.ErrNoImporter) {
		return &exitError{code: ExitUsage, err: err}
	}
	return failure(err)
}

// loadMap loads every source of o through the registry. The map's name
// and currency come from the settings when they give them. The map is nil
// when a problem is an error.
func loadMap(ctx context.Context, o mapOptions) (*graph.Map, graph.Problems, error) {
	m, ps, err := registry.Load(ctx, specs(o.Plan))
	if err != nil {
		return nil, nil, sourceError(err)
	}
	if m != nil {
		if o.Name != "" {
			m.Name = o.Name
		}
		if o.Currency != "" {
			m.Currency = o.Currency
		}
	}
	return m, ps, nil
}

// importOne reads one source on its own: the batches of its files merged
// into one, named after every importer that read a part.
func importOne(ctx context.Context, spec sourceSpec) (*graph.Batch, error) {
	batches, err := registry.Batches(ctx, []registry.Spec{{Path: spec.Path, Type: spec.Type}})
	if err != nil {
		return nil, sourceError(err)
	}
	out := &graph.Batch{Source: filepath.ToSlash(spec.Path)}
	var names []string
	for _, b := range batches {
		if b.Importer != "" && b.Importer != "registry" && !contains(names, b.Importer) {
			names = append(names, b.Importer)
		}
		out.Nodes = append(out.Nodes, b.Nodes...)
		out.Fallbacks = append(out.Fallbacks, b.Fallbacks...)
		out.Problems = append(out.Problems, b.Problems...)
	}
	sort.Strings(names)
	out.Importer = strings.Join(names, ", ")
	if out.Importer == "" {
		out.Importer = "none"
	}
	return out, nil
}

// writeMap writes m into the folder dir in the given format: one
// map.yaml, or the CSV files of importers/csv.
func writeMap(dir string, m *graph.Map, format string) error {
	if format == "csv" {
		return csv.WriteDir(dir, m)
	}
	f, err := os.Create(filepath.Join(dir, "map.yaml"))
	if err != nil {
		return err
	}
	if err := yaml.Write(f, m); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
