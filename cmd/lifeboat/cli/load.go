package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/reports/jsonout"
)

// mapOptions say which map a command reads, and the workspace settings
// that come with it.
type mapOptions struct {
	Plan *plan
	// Name and Currency of the map, from settings (workspace, environment).
	Name, Currency string
	// CrisisLead decides in a crisis; Spokesperson is the single voice
	// outside. Reports that plan for a crisis name them.
	CrisisLead, Spokesperson string
	// Neo4jURI is the graph database to push to and pull from.
	Neo4jURI string
}

// addWorkspace adds --workspace, bound to the key "workspace".
func (s *settings) addWorkspace() {
	s.String("workspace", "w", "workspace", "", "workspace folder whose lifeboat.yaml lists the sources (default: the current folder)")
	_ = s.cmd.MarkFlagDirname("workspace")
}

// mapOptions resolves the sources and the workspace of a map-reading
// command and the map's settings, and prints the workspace's warnings.
func (s *settings) mapOptions(args []string, stderr io.Writer) (mapOptions, error) {
	p, err := resolvePlan(s, args)
	if err != nil {
		return mapOptions{}, err
	}
	if p.Workspace != nil {
		for _, w := range p.Workspace.Warnings {
			fmt.Fprintln(stderr, w)
		}
	}
	o := mapOptions{Plan: p}
	for key, dst := range map[string]*string{
		"name": &o.Name, "currency": &o.Currency, "crisis_lead": &o.CrisisLead,
		"spokesperson": &o.Spokesperson, "neo4j.uri": &o.Neo4jURI,
	} {
		if *dst, err = s.GetString(key); err != nil {
			return o, err
		}
	}
	return o, nil
}

// invalidMapError is a map with errors that an analysis refuses. Its
// problems are printed, located, before the one-line message.
type invalidMapError struct {
	problems graph.Problems // the errors
}

func (e *invalidMapError) Error() string {
	return fmt.Sprintf("invalid map: %s; 'lifeboat validate' lists every problem", countWord(len(e.problems), "error"))
}

func countWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// loadValid loads the map and refuses it when it has errors; warnings are
// summed up on stderr, once.
func loadValid(ctx context.Context, o mapOptions, stderr io.Writer) (*graph.Map, error) {
	m, ps, err := loadMap(ctx, o)
	if err != nil {
		return nil, err
	}
	if m == nil || ps.HasErrors() {
		var errs graph.Problems
		for _, p := range ps {
			if p.Severity == graph.Error {
				errs = append(errs, p)
			}
		}
		errs.Sort()
		return nil, &exitError{code: ExitFailure, err: &invalidMapError{problems: errs}}
	}
	if n := ps.Count(graph.Warning); n > 0 {
		fmt.Fprintf(stderr, "lifeboat: note: the map has %s; 'lifeboat validate' lists them\n", countWord(n, "warning"))
	}
	return m, nil
}

// render writes v in format f: JSON through jsonout, text through the
// given renderer. Output is rendered whole before it is written, so a
// failure writes nothing.
func render(w io.Writer, f format, v any, text func(io.Writer) error) error {
	var buf bytes.Buffer
	var err error
	if f == formatJSON {
		err = jsonout.Write(&buf, v)
	} else {
		err = text(&buf)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// sourceArgs completes positional arguments as files and folders.
func sourceArgs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveDefault
}

// resultOptions reads what every command that prints analysis results
// shares, in the order that reports mistakes best: the output format first
// (a bad --format is a usage error that needs no workspace), then the
// sources (which may load lifeboat.yaml and its settings), then the format
// and fallbacks as flags, environment and workspace settle them.
func (s *settings) resultOptions(args []string, stderr io.Writer) (m mapOptions, f format, fallbacks bool, err error) {
	if _, err = s.Format(); err != nil {
		return
	}
	if m, err = s.mapOptions(args, stderr); err != nil {
		return
	}
	if f, err = s.Format(); err != nil {
		return
	}
	fallbacks, err = s.GetBool("fallbacks")
	return
}
