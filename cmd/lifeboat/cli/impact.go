package cli

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/reports/table"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// impactOptions are the inputs of runImpact.
type impactOptions struct {
	IO        *Deps
	Ctx       context.Context
	Map       mapOptions
	Down      []string // ids, in the order given, without blanks
	Fallbacks bool
	Format    format
}

func newCmdImpact(deps *Deps, runF func(*impactOptions) error) *cobra.Command {
	opts := &impactOptions{IO: deps}
	var down []string
	cmd := &cobra.Command{
		Use:     "impact --down ID[,ID...] [SOURCE...]",
		Aliases: []string{"blast"},
		Short:   "Show what stops when given vendors or systems are down",
		Long: `Impact takes the nodes named by --down as failed and shows everything that
stops with them: every function down with the chain that brought it down
(retail-payments ← core-banking ← cloud-eu-west), the counts per tier, the
loss per hour, and the systems and vendors down. Cycles follow the least
fixpoint: a node stays up unless its requirement fails.

With --fallbacks a node with a fallback stays up while the fallback's own
requirement holds. 'blast' is another name for this command.`,
		Example: `  lifeboat impact --down cloud-eu-west
  lifeboat impact --down cloud-eu-west,edr-agent --fallbacks
  lifeboat blast --down dns-provider examples/northbank
  lifeboat impact --down core-banking --format json`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	cmd.Flags().StringSliceVarP(&down, "down", "d", nil, "ids of the nodes that are down, comma-separated or repeated (required)")
	s.Bool("fallbacks", "fallbacks", false, "count fallbacks as keeping their node up")
	s.addWorkspace()
	s.addFormat()
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		opts.Down = opts.Down[:0]
		for _, d := range down {
			if d = strings.TrimSpace(d); d != "" {
				opts.Down = append(opts.Down, d)
			}
		}
		if len(opts.Down) == 0 {
			return usageErrorf("name the nodes that are down with --down, e.g. --down cloud-eu-west,edr-agent")
		}
		if _, err = s.Format(); err != nil {
			return err
		}
		if opts.Map, err = s.mapOptions(args, deps.Err); err != nil {
			return err
		}
		if opts.Format, err = s.Format(); err != nil {
			return err
		}
		if opts.Fallbacks, err = s.GetBool("fallbacks"); err != nil {
			return err
		}
		if runF != nil {
			return runF(opts)
		}
		return runImpact(opts)
	}
	return cmd
}

func runImpact(opts *impactOptions) error {
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	r, err := impact.Static(m, opts.Down, impact.Options{Fallbacks: opts.Fallbacks})
	if err != nil {
		var unknown *impact.UnknownNodeError
		if errors.As(err, &unknown) {
			return failure(errors.New("--down: " + err.Error()))
		}
		return err
	}
	v := view.NewImpact(m, r)
	return render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.Impact(w, v) })
}
