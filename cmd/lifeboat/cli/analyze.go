package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/gaps"
	"github.com/lifeboat-dev/lifeboat/graph/partners"
	"github.com/lifeboat-dev/lifeboat/reports/table"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// Thresholds that --fail-on accepts.
const (
	failOnSPOF   = "spof"   // a core function has a single point of failure
	failOnHidden = "hidden" // the map has a hidden shared supplier
)

var failOnValues = []string{failOnSPOF, failOnHidden}

// analyzeOptions are the inputs of runAnalyze.
type analyzeOptions struct {
	IO        *Deps
	Ctx       context.Context
	Map       mapOptions
	Fallbacks bool
	FailOn    []string // sorted, each one of failOnValues
	Top       int      // 0: all
	Format    format
	// NoRisk and NoGaps leave out the risk ranking and the gaps.
	NoRisk, NoGaps bool
	// AsOf is the date contract reviews are judged against, YYYY-MM-DD;
	// "" is today.
	AsOf string
}

func newCmdAnalyze(deps *Deps, runF func(*analyzeOptions) error) *cobra.Command {
	opts := &analyzeOptions{IO: deps}
	cmd := &cobra.Command{
		Use:   "analyze [SOURCE...]",
		Short: "Find critical partners, single points of failure and hidden shared suppliers",
		Long: `Analyze computes, for every vendor at once, the functions its outage alone
halts, and reports:

  - hidden shared suppliers: vendors (fourth parties) that halt functions on
    their own only through other vendors' suppliers, with the supply chain
    (payments ← card-processor ← edr-agent);
  - critical partners, ranked by core functions halted, then important ones,
    then impact per hour;
  - single points of failure per function;
  - concentration: the core functions hanging on each ultimate supplier;
  - risk, when vendors carry a yearly probability: the exact probability
    that each core function fails within a year, and the vendors ranked by
    importance (Fussell-Vesely, then Birnbaum, then risk achievement worth;
    risk reduction worth beside them);
  - gaps: functions whose recovery, rolled up through their dependencies,
    exceeds their rto or tolerance; systems on core paths with nobody to
    monitor, respond or repair; single-point vendors without an exit plan
    or substitute; contracts not reviewed in 12 months; and the uncovered
    exposure, the modeled loss of each vendor's typical outage beyond its
    contract's liability cap.

--no-risk and --no-gaps leave those out (they take the most time on very
large maps).

--fail-on spof exits 3 when any core function has a single point of failure;
--fail-on hidden exits 3 when there is a hidden shared supplier.`,
		Example: `  lifeboat analyze
  lifeboat analyze examples/northbank
  lifeboat analyze --fallbacks --top 10
  lifeboat analyze --fail-on spof --format json > partners.json`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	s.Bool("fallbacks", "fallbacks", false, "count fallbacks as keeping their node up")
	s.String("fail-on", "", "analyze.fail_on", "", "exit 3 when a threshold is crossed: spof, hidden (comma-separated)")
	s.Int("top", "n", "analyze.top", 0, "list only the first N critical partners and suppliers (0: all)")
	cmd.Flags().BoolVar(&opts.NoRisk, "no-risk", false, "leave out the probabilities and the importance ranking")
	cmd.Flags().BoolVar(&opts.NoGaps, "no-gaps", false, "leave out the gaps")
	s.String("as-of", "", "as_of", "", "judge contract reviews as of this date, YYYY-MM-DD (default: today)")
	_ = cmd.Flags().MarkHidden("as-of")
	s.addWorkspace()
	s.addFormat()
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions(failOnValues, cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		if opts.Map, opts.Format, opts.Fallbacks, err = s.resultOptions(args, deps.Err); err != nil {
			return err
		}
		top, err := s.GetInt("analyze.top")
		if err != nil {
			return err
		}
		if top < 0 {
			return usageErrorf("%s: %d is negative; use 0 to list all", s.where("analyze.top"), top)
		}
		opts.Top = int(top)
		failOn, err := s.GetString("analyze.fail_on")
		if err != nil {
			return err
		}
		if opts.FailOn, err = parseFailOn(failOn); err != nil {
			return usageErrorf("%s: %v", s.where("analyze.fail_on"), err)
		}
		if opts.AsOf, err = s.GetString("as_of"); err != nil {
			return err
		}
		if opts.AsOf != "" {
			if _, err := time.Parse(time.DateOnly, opts.AsOf); err != nil {
				return usageErrorf("%s: %q is not a date; write it as YYYY-MM-DD", s.where("as_of"), opts.AsOf)
			}
		}
		if runF != nil {
			return runF(opts)
		}
		return runAnalyze(opts)
	}
	return cmd
}

// parseFailOn splits a comma-separated list of thresholds, checks each and
// returns them sorted without repeats.
func parseFailOn(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" || f == "none" {
			continue
		}
		if !contains(failOnValues, f) {
			return nil, fmt.Errorf("unknown threshold %q; use %s", f, strings.Join(failOnValues, " or "))
		}
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out, nil
}

func runAnalyze(opts *analyzeOptions) error {
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	r := partners.Analyze(m, partners.Options{Fallbacks: opts.Fallbacks})
	v := view.NewAnalyze(m, r, view.AnalyzeOptions{Fallbacks: opts.Fallbacks, Top: opts.Top})
	if !opts.NoRisk && hasProbabilities(m) {
		cr, err := riskOf(opts.Ctx, m, opts.Fallbacks)
		if err != nil {
			return err
		}
		v.SetRisk(m, cr)
	}
	if !opts.NoGaps {
		asOf := time.Now()
		if opts.AsOf != "" {
			asOf, _ = time.Parse(time.DateOnly, opts.AsOf) // checked with the flags
		}
		g := gaps.Analyze(m, gaps.Options{AsOf: asOf, Fallbacks: opts.Fallbacks, Partners: r})
		v.SetGaps(m, g, view.GapsOptions{AsOf: asOf.Format(time.DateOnly), ReviewMonths: gaps.DefaultReviewMonths})
	}
	if err := render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.Analyze(w, v) }); err != nil {
		return err
	}
	var crossed []string
	for _, f := range opts.FailOn {
		switch f {
		case failOnSPOF:
			if n := v.Summary.CoreWithSPOF; n > 0 {
				crossed = append(crossed, fmt.Sprintf("%s: %d of %d core functions have a single point of failure", f, n, v.Summary.CoreFunctions))
			}
		case failOnHidden:
			if n := v.Summary.HiddenSuppliers; n > 0 {
				crossed = append(crossed, fmt.Sprintf("%s: %s", f, countWord(n, "hidden shared supplier")))
			}
		}
	}
	if len(crossed) > 0 {
		return &exitError{code: ExitThreshold, err: fmt.Errorf("--fail-on %s", strings.Join(crossed, "; "))}
	}
	return nil
}

// riskNodes bounds the decision diagram of each core function's exact
// probability in analyze: a function whose diagram would need more is
// left without probability, with a note, rather than slowing the whole
// report down; 'lifeboat cutsets --target ID' computes it without that
// bound.
const riskNodes = 1 << 16

// riskOf computes the exact probability that each core function fails
// and every vendor's importance for it.
func riskOf(ctx context.Context, m *graph.Map, fallbacks bool) (*cutsets.Result, error) {
	c := graph.Compile(m, graph.CompileOptions{Fallbacks: fallbacks})
	return cutsets.Analyze(ctx, c, cutsets.DefaultTargets(c), cutsets.Options{
		MaxOrder: 1, CountOnly: true, Importance: true, MaxNodes: riskNodes,
	})
}
