package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/reports/table"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// defaultRecoveryOutage is how long a node named in --down without a
// duration stays down when the map gives it no outage_duration either.
const defaultRecoveryOutage = 24 * graph.Hour

// mvcOptions are the inputs of runMVC.
type mvcOptions struct {
	IO        *Deps
	Ctx       context.Context
	Map       mapOptions
	Functions []string // ids, in the order given, without blanks or repeats
	Fallbacks bool
	Format    format

	// The supply set.
	Minimize  mvc.Objective
	CostAttr  string
	TimeLimit time.Duration // 0: none
	NodeLimit int64         // 0: none

	// Recover asks for the recovery order from the outages in Outages
	// instead of the supply set. An outage whose item gave no duration
	// (and with no --duration) has Default set: it lasts the node's
	// outage_duration, else 24h.
	Recover bool
	Outages []recoveryOutage
	Horizon graph.Duration
}

// recoveryOutage is one --down item of a recovery.
type recoveryOutage struct {
	impact.Outage
	// Default: no duration was given; the map's outage_duration applies.
	Default bool
}

var minimizeValues = []string{"vendors", "cost"}

func newCmdMVC(deps *Deps, runF func(*mvcOptions) error) *cobra.Command {
	opts := &mvcOptions{IO: deps}
	var functions, down []string
	var duration, start, horizon string
	cmd := &cobra.Command{
		Use:   "mvc [SOURCE...] [--minimize vendors|cost] [--function ID ...] [--recover --down ID[=DURATION[@START]],...]",
		Short: "Find the minimum viable company and the smallest set of vendors that keeps it running",
		Long: `Mvc computes the minimum viable company: the functions that must keep
running (every core function, or those named by --function) and every
function they need, each with the reason it is in: a core function; one
required (its failure alone halts a core function, with the chain that
shows it); or an alternative (reached only through a redundancy group or a
fallback).

Then the smallest supply set: the fewest vendors that keep every one of
those functions up, choosing among the redundancy alternatives. The search
is exact (branch and bound): the set is "proven optimal" when it completes;
when --time-limit (default 30s) or --node-limit stops it first, it reports
the best set found, a lower bound and the gap between them. With
--minimize cost it minimises the vendors' summed annual_fee instead (or the
attribute named by --cost-attr), then their number. Other sets that are just
as small are listed as ties: each swaps some vendors for others, and ties of
different groups combine. Last, what can be shed in a crisis: the functions,
systems and vendors outside every supply path of the MVC.

--recover --down plans the recovery from an outage instead: the order in
which to bring systems and vendors back so that the MVC is up again soonest
(what each waits for first, the critical path first), with the times of the
outage's time line (buffers, restore times, and fallbacks with
--fallbacks). --down takes items as 'impact' does: ID, ID=DURATION or
ID=DURATION@START; an item without a duration takes --duration, else the
node's outage_duration, else 24h ('forever' for an outage that never ends).`,
		Example: `  lifeboat mvc examples/northbank
  lifeboat mvc --minimize cost --fallbacks
  lifeboat mvc --minimize cost --cost-attr run_cost --time-limit 2m
  lifeboat mvc --function retail-payments --format json
  lifeboat mvc --recover --down corvex-core-saas=8h,anchorpoint-dns
  lifeboat mvc --recover --down sentinel-shield-edr --duration 6h --fallbacks`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	cmd.Flags().StringSliceVar(&functions, "function", nil, "ids of the functions that must keep running, comma-separated or repeated (default: every core function)")
	s.String("minimize", "", "mvc.minimize", "vendors", "what the supply set minimises: vendors (their number) or cost")
	s.String("cost-attr", "", "mvc.cost_attr", "", "vendor attribute that holds its cost (default: the contract's annual_fee)")
	s.String("time-limit", "", "mvc.time_limit", "30s", "stop the supply search after this long and report the gap (0: no limit)")
	s.Int64("node-limit", "mvc.node_limit", 0, "stop the supply search after this many search nodes; the same result on every run (0: no limit)")
	s.Bool("fallbacks", "fallbacks", false, "count fallbacks as keeping their node up")
	cmd.Flags().BoolVar(&opts.Recover, "recover", false, "plan the recovery from the outage named by --down instead")
	cmd.Flags().StringSliceVarP(&down, "down", "d", nil, "with --recover: the nodes that are down, each optionally ID=DURATION or ID=DURATION@START")
	cmd.Flags().StringVar(&duration, "duration", "", "with --recover: how long each node in --down without its own duration is down (default: its outage_duration, else 24h)")
	cmd.Flags().StringVar(&start, "start", "0", "with --recover: when the outages begin, for nodes without their own @START")
	cmd.Flags().StringVar(&horizon, "horizon", "", "with --recover: end of the time line (default: when nothing changes any more, at least 7d)")
	s.addWorkspace()
	s.addFormat()
	_ = cmd.RegisterFlagCompletionFunc("minimize", cobra.FixedCompletions(minimizeValues, cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		opts.Functions = opts.Functions[:0]
		for _, f := range functions {
			if f = strings.TrimSpace(f); f != "" && !contains(opts.Functions, f) {
				opts.Functions = append(opts.Functions, f)
			}
		}
		var items []string
		for _, d := range down {
			if d = strings.TrimSpace(d); d != "" {
				items = append(items, d)
			}
		}
		flags := cmd.Flags()
		if !opts.Recover {
			for _, f := range []string{"down", "duration", "start", "horizon"} {
				if flags.Changed(f) {
					return usageErrorf("--%s describes an outage to recover from; add --recover", f)
				}
			}
		} else {
			for _, f := range []string{"minimize", "cost-attr", "time-limit", "node-limit"} {
				if flags.Changed(f) {
					return usageErrorf("--%s shapes the supply set, which --recover does not compute; leave it out", f)
				}
			}
			if len(items) == 0 {
				return usageErrorf("--recover needs the outage: name the nodes that are down with --down, e.g. --down corvex-core-saas=8h")
			}
			if opts.Outages, err = parseRecoveryOutages(items, duration, start); err != nil {
				return err
			}
			opts.Horizon = 0
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
		if !opts.Recover {
			if err := s.supplyOptions(opts); err != nil {
				return err
			}
		}
		if runF != nil {
			return runF(opts)
		}
		return runMVC(opts)
	}
	return cmd
}

// supplyOptions reads the settings of the supply search into opts.
func (s *settings) supplyOptions(opts *mvcOptions) error {
	minimize, err := s.GetString("mvc.minimize")
	if err != nil {
		return err
	}
	var ok bool
	if opts.Minimize, ok = mvc.ParseObjective(minimize); !ok {
		return usageErrorf("%s: unknown objective %q; use %s", s.where("mvc.minimize"), minimize, strings.Join(minimizeValues, " or "))
	}
	if opts.CostAttr, err = s.GetString("mvc.cost_attr"); err != nil {
		return err
	}
	limit, err := s.GetString("mvc.time_limit")
	if err != nil {
		return err
	}
	d, err := graph.ParseDuration(limit)
	if err != nil {
		return usageErrorf("%s: %v", s.where("mvc.time_limit"), err)
	}
	opts.TimeLimit = time.Duration(d)
	if opts.NodeLimit, err = s.GetInt("mvc.node_limit"); err != nil {
		return err
	}
	if opts.NodeLimit < 0 {
		return usageErrorf("%s: %d is negative; use 0 for no limit", s.where("mvc.node_limit"), opts.NodeLimit)
	}
	return nil
}

// parseRecoveryOutages reads --down items as parseOutages does, marking
// the items that gave no duration while --duration is empty: those take
// the node's outage_duration once the map is loaded.
func parseRecoveryOutages(items []string, duration, start string) ([]recoveryOutage, error) {
	outages, err := parseOutages(items, duration, start)
	if err != nil {
		return nil, err
	}
	out := make([]recoveryOutage, len(outages))
	for i, o := range outages {
		_, spec, hasSpec := strings.Cut(items[i], "=")
		explicitForever := hasSpec && strings.EqualFold(strings.TrimSpace(strings.SplitN(spec, "@", 2)[0]), "forever")
		out[i] = recoveryOutage{Outage: o, Default: o.Forever && !explicitForever && strings.TrimSpace(duration) == ""}
	}
	return out, nil
}

func runMVC(opts *mvcOptions) error {
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	if err := checkIDs(m, "--function", opts.Functions); err != nil {
		return err
	}
	if opts.Recover {
		return runRecover(m, opts)
	}
	r, err := mvc.Analyze(opts.Ctx, m, mvc.Options{
		Functions: opts.Functions,
		Fallbacks: opts.Fallbacks,
		Minimize:  opts.Minimize,
		CostAttr:  opts.CostAttr,
		TimeLimit: opts.TimeLimit,
		MaxNodes:  opts.NodeLimit,
	})
	if err != nil {
		return mvcError(err)
	}
	v := view.NewMVC(m, r, view.MVCOptions{Fallbacks: opts.Fallbacks, CostAttr: opts.CostAttr, TimeLimit: opts.TimeLimit})
	return render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.MVC(w, v) })
}

func runRecover(m *graph.Map, opts *mvcOptions) error {
	ids := make([]string, len(opts.Outages))
	outages := make([]impact.Outage, len(opts.Outages))
	for i, o := range opts.Outages {
		ids[i] = o.ID
		outages[i] = o.Outage
	}
	// Vendors may be named by an alias.
	vs, err := impact.NewEvaluator(graph.Compile(m, graph.CompileOptions{})).Resolve(ids)
	if err != nil {
		return failure(fmt.Errorf("--down: %w", err))
	}
	for i, o := range opts.Outages {
		if !o.Default {
			continue
		}
		outages[i].Forever = false
		outages[i].Duration = defaultRecoveryOutage
		if d := m.Nodes[vs[i]].OutageDuration; d != nil {
			outages[i].Duration = *d
		}
	}
	r, err := mvc.Recover(m, outages, mvc.RecoveryOptions{Functions: opts.Functions, Fallbacks: opts.Fallbacks, Horizon: opts.Horizon})
	if err != nil {
		return mvcError(err)
	}
	v := view.NewMVCRecovery(m, r, opts.Fallbacks)
	return render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.MVCRecovery(w, v) })
}

// mvcError marks the analysis errors that come from the map or the ids
// asked for as work that could not be done, with what to do.
func mvcError(err error) error {
	var nf *mvc.NotFunctionError
	var ce *mvc.CostError
	switch {
	case errors.As(err, &nf):
		return failure(fmt.Errorf("--function: %w", err))
	case errors.As(err, &ce):
		return failure(fmt.Errorf("%w; fix it in the map, or choose another --cost-attr", err))
	}
	return failure(err)
}

// checkIDs fails when an id of flag is not in m, suggesting the nearest.
func checkIDs(m *graph.Map, flag string, ids []string) error {
	var all []string
	for _, id := range ids {
		if m.Node(id) != nil {
			continue
		}
		if all == nil {
			all = make([]string, len(m.Nodes))
			for j, n := range m.Nodes {
				all[j] = n.ID
			}
		}
		msg := fmt.Sprintf("%s: unknown node %q", flag, id)
		if s := importers.Suggest(id, all); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return failure(errors.New(msg))
	}
	return nil
}
