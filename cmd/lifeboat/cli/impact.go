package cli

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
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
	// Outages, when not nil, ask for a time line: one per --down item,
	// in the order given, with its start and duration. Nil for the
	// static scenario.
	Outages []impact.Outage
	// Horizon is the end of the time line; 0: far enough to hold every
	// change.
	Horizon graph.Duration
}

func newCmdImpact(deps *Deps, runF func(*impactOptions) error) *cobra.Command {
	opts := &impactOptions{IO: deps}
	var down []string
	cmd := &cobra.Command{
		Use:     "impact --down ID[=DURATION[@START]][,...] [--duration D] [SOURCE...]",
		Aliases: []string{"blast"},
		Short:   "Show what stops when given vendors or systems are down",
		Long: `Impact takes the nodes named by --down as failed and shows everything that
stops with them: every function down with the chain that brought it down
(retail-payments ← core-banking ← cloud-eu-west), the counts per tier, the
loss per hour, and the systems and vendors down. Cycles follow the least
fixpoint: a node stays up unless its requirement fails.

With --fallbacks a node with a fallback stays up while the fallback's own
requirement holds. 'blast' is another name for this command.

With a duration the outage has an end, and impact draws its time line:
when each function halts (after its buffer), when it is restored (after
the restore times of everything it needs), when it breaches its
tolerance, and what that costs (impact per hour over the time down; a
fallback of capacity c still loses 1 - c of it). --duration D gives every
node in --down an outage of D from --start; a node written ID=D has its own
duration and ID=D@S its own start too (--down cloud-eu-west=8h,edr-agent=2d@4h).
A node without a duration then stays down for good ('forever' says so
too). The time line runs until nothing changes any more (at least 7 days),
or to --horizon.`,
		Example: `  lifeboat impact --down cloud-eu-west
  lifeboat impact --down cloud-eu-west,edr-agent --fallbacks
  lifeboat blast --down dns-provider examples/northbank
  lifeboat impact --down core-banking --format json
  lifeboat impact --down cloud-eu-west --duration 8h --fallbacks
  lifeboat impact --down cloud-eu-west=8h,edr-agent=2d@4h --horizon 3d`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	var duration, start, horizon string
	cmd.Flags().StringSliceVarP(&down, "down", "d", nil, "ids of the nodes that are down, comma-separated or repeated, each optionally ID=DURATION or ID=DURATION@START (required)")
	cmd.Flags().StringVar(&duration, "duration", "", "how long each node in --down is down (90m, 8h, 2d): draws the outage's time line")
	cmd.Flags().StringVar(&start, "start", "0", "when the outages begin, counted from 0, for nodes without their own @START")
	cmd.Flags().StringVar(&horizon, "horizon", "", "end of the time line (default: when nothing changes any more, at least 7d)")
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
		timed := cmd.Flags().Changed("duration") || cmd.Flags().Changed("start") || cmd.Flags().Changed("horizon")
		for _, d := range opts.Down {
			timed = timed || strings.Contains(d, "=")
		}
		opts.Outages, opts.Horizon = nil, 0
		if timed {
			if opts.Outages, err = parseOutages(opts.Down, duration, start); err != nil {
				return err
			}
			opts.Down = opts.Down[:0]
			for _, o := range opts.Outages {
				if !contains(opts.Down, o.ID) {
					opts.Down = append(opts.Down, o.ID)
				}
			}
			if horizon != "" {
				if opts.Horizon, err = graph.ParseDuration(horizon); err != nil {
					return usageErrorf("--horizon: %v", err)
				}
				if opts.Horizon == 0 {
					return usageErrorf("--horizon: 0 leaves no time line; give a length like 3d, or leave it out")
				}
			}
		}
		if opts.Map, opts.Format, opts.Fallbacks, err = s.resultOptions(args, deps.Err); err != nil {
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
	var v *view.Impact
	if opts.Outages == nil {
		v = view.NewImpact(m, r)
	} else {
		tl, err := impact.Timeline(m, opts.Outages, impact.TimelineOptions{Fallbacks: opts.Fallbacks, Horizon: opts.Horizon})
		if err != nil {
			return err
		}
		chains, err := explanations(m, opts.Down, opts.Fallbacks)
		if err != nil {
			return err
		}
		v = view.NewImpactTimeline(m, tl, chains...)
	}
	return render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.Impact(w, v) })
}

// parseOutages reads --down items for a time line: ID, ID=DURATION or
// ID=DURATION@START. An item without its own duration takes duration
// (for good when that is empty), one without its own start takes start.
// DURATION may be "forever". Errors are usage errors.
func parseOutages(items []string, duration, start string) ([]impact.Outage, error) {
	parse := func(what, s string) (graph.Duration, bool, error) {
		s = strings.TrimSpace(s)
		if strings.EqualFold(s, "forever") {
			return 0, true, nil
		}
		d, err := graph.ParseDuration(s)
		return d, false, err
	}
	var defDur graph.Duration
	defForever := true
	if strings.TrimSpace(duration) != "" {
		var err error
		if defDur, defForever, err = parse("--duration", duration); err != nil {
			return nil, usageErrorf("--duration: %v", err)
		}
	}
	defStart, err := graph.ParseDuration(start)
	if err != nil {
		return nil, usageErrorf("--start: %v", err)
	}
	out := make([]impact.Outage, 0, len(items))
	for _, item := range items {
		id, spec, hasSpec := strings.Cut(item, "=")
		id = strings.TrimSpace(id)
		if id == "" {
			return nil, usageErrorf("--down %s: no id before '='; write ID=DURATION, like cloud-eu-west=8h", item)
		}
		o := impact.Outage{ID: id, Start: defStart, Duration: defDur, Forever: defForever}
		if hasSpec {
			dur, at, hasAt := strings.Cut(spec, "@")
			if o.Duration, o.Forever, err = parse("--down", dur); err != nil {
				return nil, usageErrorf("--down %s: %v", item, err)
			}
			if hasAt {
				if o.Start, err = graph.ParseDuration(at); err != nil {
					return nil, usageErrorf("--down %s: start: %v", item, err)
				}
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// explanations are the static scenarios a time line's chains are taken
// from (see view.NewImpactTimeline): each node of down alone, then all of
// them, with fallbacks when asked; then the same without fallbacks, for a
// function that halts when a fallback's endurance runs out.
func explanations(m *graph.Map, down []string, fallbacks bool) ([]*impact.Result, error) {
	var out []*impact.Result
	for _, fb := range []bool{fallbacks, false} {
		e := impact.NewEvaluator(graph.Compile(m, graph.CompileOptions{Fallbacks: fb}))
		sets := make([][]string, 0, len(down)+1)
		for _, id := range down {
			sets = append(sets, []string{id})
		}
		if len(down) > 1 {
			sets = append(sets, down)
		}
		for _, set := range sets {
			r, err := e.Static(set)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if !fb {
			break
		}
	}
	return out, nil
}
