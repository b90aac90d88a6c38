package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/reports/table"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// cutsetsOptions are the inputs of runCutsets.
type cutsetsOptions struct {
	IO      *Deps
	Ctx     context.Context
	Map     mapOptions
	Targets []string // ids, in the order given, without blanks or repeats
	// MaxOrder is the largest order listed and counted; 0: all.
	MaxOrder      int
	Events        cutsets.EventKind
	Fallbacks     bool
	CountOnly     bool
	Top           int // 0: all
	NoProbability bool
	Format        format
}

var eventKinds = []string{"vendors", "systems", "all"}

func newCmdCutsets(deps *Deps, runF func(*cutsetsOptions) error) *cobra.Command {
	opts := &cutsetsOptions{IO: deps}
	var targets []string
	cmd := &cobra.Command{
		Use:   "cutsets [SOURCE...] [--target ID ...] [--max-order N]",
		Short: "List the minimal cut sets: the vendor combinations that halt a function",
		Long: `Cutsets lists, for each target (default: every core function, or every
function when none is core), its minimal cut sets: the sets of basic events
(vendors by default) whose joint failure brings the target down, none of
them superfluous. A set of order 1 is a single point of failure; order 2 is
a pair of vendors that are redundant only with each other. Every minimal set
up to --max-order is listed and none that is not minimal; the counts per
order are always complete. --max-order 0 lists every order.

When every vendor a target depends on has a yearly probability, it also
gives the exact probability that the target fails in a year (from a binary
decision diagram, not the rare-event sum, which is shown beside it) and the
importance of each vendor: Birnbaum, Fussell-Vesely, risk achievement worth
(RAW) and risk reduction worth (RRW).

--events systems takes systems as the basic events instead, --events all
every node. Sources may be Open-PSA fault trees (MEF XML): each top gate
becomes a core function, the basic events vendors with their probabilities,
so 'lifeboat cutsets tree.xml' analyses a fault tree directly.`,
		Example: `  lifeboat cutsets examples/northbank
  lifeboat cutsets --target card-payments --max-order 2
  lifeboat cutsets --count-only --max-order 0 tree.xml
  lifeboat cutsets --top 10 --format json > cutsets.json`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	cmd.Flags().StringSliceVarP(&targets, "target", "t", nil, "ids of the targets, comma-separated or repeated (default: every core function)")
	s.Int("max-order", "", "cutsets.max_order", 3, "largest cut set order listed and counted (0: every order)")
	s.String("events", "", "cutsets.events", "vendors", "basic events: vendors, systems or all")
	s.Bool("fallbacks", "fallbacks", false, "count fallbacks as keeping their node up")
	cmd.Flags().BoolVar(&opts.CountOnly, "count-only", false, "count the cut sets per order without listing them")
	s.Int("top", "n", "cutsets.top", 0, "list only the N most probable cut sets per target (the first N without probabilities; 0: all)")
	cmd.Flags().BoolVar(&opts.NoProbability, "no-probability", false, "skip probabilities and importance (faster on very large maps)")
	s.addWorkspace()
	s.addFormat()
	_ = cmd.RegisterFlagCompletionFunc("events", cobra.FixedCompletions(eventKinds, cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		opts.Targets = opts.Targets[:0]
		for _, t := range targets {
			if t = strings.TrimSpace(t); t != "" && !contains(opts.Targets, t) {
				opts.Targets = append(opts.Targets, t)
			}
		}
		if opts.Map, opts.Format, opts.Fallbacks, err = s.resultOptions(args, deps.Err); err != nil {
			return err
		}
		order, err := s.GetInt("cutsets.max_order")
		if err != nil {
			return err
		}
		if order < 0 || order > 1_000_000 {
			return usageErrorf("%s: %d is out of range; use 1 or more, or 0 for every order", s.where("cutsets.max_order"), order)
		}
		opts.MaxOrder = int(order)
		events, err := s.GetString("cutsets.events")
		if err != nil {
			return err
		}
		var ok bool
		if opts.Events, ok = cutsets.ParseEventKind(strings.ToLower(events)); !ok {
			return usageErrorf("%s: unknown kind of events %q; use %s", s.where("cutsets.events"), events, strings.Join(eventKinds, ", "))
		}
		top, err := s.GetInt("cutsets.top")
		if err != nil {
			return err
		}
		if top < 0 || top > 1<<31-1 {
			return usageErrorf("%s: %d is out of range; use 0 to list all", s.where("cutsets.top"), top)
		}
		opts.Top = int(top)
		if runF != nil {
			return runF(opts)
		}
		return runCutsets(opts)
	}
	return cmd
}

func runCutsets(opts *cutsetsOptions) error {
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	c := graph.Compile(m, graph.CompileOptions{Fallbacks: opts.Fallbacks})
	targets, err := resolveTargets(m, opts.Targets)
	if err != nil {
		return err
	}
	if len(opts.Targets) == 0 {
		targets = cutsets.DefaultTargets(c)
	}
	r, err := cutsets.Analyze(opts.Ctx, c, targets, cutsets.Options{
		MaxOrder:      opts.MaxOrder,
		Events:        opts.Events,
		CountOnly:     opts.CountOnly,
		Top:           opts.Top,
		Importance:    !opts.NoProbability,
		NoProbability: opts.NoProbability,
	})
	if errors.Is(err, cutsets.ErrTooLarge) {
		return failure(fmt.Errorf("%w; try a smaller --max-order, or fewer --target", err))
	}
	if err != nil {
		return err
	}
	v := view.NewCutsets(m, r, view.CutsetsOptions{CountOnly: opts.CountOnly, Top: opts.Top})
	return render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.Cutsets(w, v) })
}

// resolveTargets maps node ids to circuit vertices, in the order given;
// an unknown id fails with a suggestion.
func resolveTargets(m *graph.Map, ids []string) ([]int32, error) {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		i := m.Index(id)
		if i < 0 {
			msg := fmt.Sprintf("--target: unknown node %q", id)
			all := make([]string, len(m.Nodes))
			for j, n := range m.Nodes {
				all[j] = n.ID
			}
			if s := importers.Suggest(id, all); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, failure(errors.New(msg))
		}
		out = append(out, int32(i))
	}
	return out, nil
}
