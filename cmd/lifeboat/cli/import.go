package cli

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/reports/table"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// importOptions are the inputs of runImport.
type importOptions struct {
	IO     *Deps
	Ctx    context.Context
	Source string
	Type   string // "" lets the importers decide
	Format format
}

func newCmdImport(deps *Deps, runF func(*importOptions) error) *cobra.Command {
	opts := &importOptions{IO: deps}
	cmd := &cobra.Command{
		Use:   "import SOURCE",
		Short: "Show what one source yields: nodes per kind and problems",
		Long: `Import reads one source on its own, as the workspace would, and shows which
importer read it, how many functions, systems, vendors and fallbacks it
yields and the problems in it. References to nodes defined in other sources
are not checked here; 'lifeboat validate' checks the merged map.

It exits 1 when the source has errors.`,
		Example: `  lifeboat import map/payments.yaml
  lifeboat import inventory/ --type csv
  lifeboat import map/ --format json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	cmd.Flags().StringVarP(&opts.Type, "type", "t", "", "the importer to use (yaml, csv, ...); default: detect")
	s.addFormat()
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		opts.Source = args[0]
		if opts.Format, err = s.Format(); err != nil {
			return err
		}
		if _, err := os.Stat(opts.Source); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return usageErrorf("source %q does not exist", opts.Source)
			}
			return usageErrorf("source %q: %v", opts.Source, err)
		}
		if runF != nil {
			return runF(opts)
		}
		return runImport(opts)
	}
	return cmd
}

func runImport(opts *importOptions) error {
	b, err := importOne(opts.Ctx, sourceSpec{Path: opts.Source, Type: opts.Type})
	if err != nil {
		return err
	}
	v := view.NewImport(opts.Source, b)
	if err := render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.Import(w, v) }); err != nil {
		return err
	}
	if v.Errors > 0 {
		return silentExit(ExitFailure)
	}
	return nil
}
