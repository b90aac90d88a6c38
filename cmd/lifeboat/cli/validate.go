package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/reports/table"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// validateOptions are the inputs of runValidate.
type validateOptions struct {
	IO     *Deps
	Ctx    context.Context
	Map    mapOptions
	Format format
}

func newCmdValidate(deps *Deps, runF func(*validateOptions) error) *cobra.Command {
	opts := &validateOptions{IO: deps}
	cmd := &cobra.Command{
		Use:   "validate [SOURCE...]",
		Short: "Check a map and list every problem, located",
		Long: `Validate loads the map and lists every problem it finds, each located as
file:line:col with a hint: syntax errors, unknown keys, wrong types, duplicate
ids, unknown references (with a suggestion), malformed requirement
expressions, bad durations. Dependency cycles are legal and listed as
information. A summary line ends the output.

It exits 1 when the map has any error, so it fits in CI.`,
		Example: `  lifeboat validate
  lifeboat validate examples/northbank
  lifeboat validate map/payments.yaml map/vendors.csv
  lifeboat validate --format json`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	s.addWorkspace()
	s.addFormat()
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		if opts.Format, err = s.Format(); err != nil {
			return err
		}
		if opts.Map, err = s.mapOptions(args, deps.Err); err != nil {
			return err
		}
		if opts.Format, err = s.Format(); err != nil { // the workspace may set it
			return err
		}
		if runF != nil {
			return runF(opts)
		}
		return runValidate(opts)
	}
	return cmd
}

func runValidate(opts *validateOptions) error {
	m, ps, err := loadMap(opts.Ctx, opts.Map)
	if err != nil {
		return err
	}
	v := view.NewValidate(m, ps, opts.Map.Plan.names())
	if err := render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.Validate(w, v) }); err != nil {
		return err
	}
	if !v.Valid {
		return silentExit(ExitFailure)
	}
	return nil
}
