package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
	"github.com/lifeboat-dev/lifeboat/reports/table"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// simulateOptions are the inputs of runSimulate.
type simulateOptions struct {
	IO        *Deps
	Ctx       context.Context
	Map       mapOptions
	Years     int
	Seed      uint64
	Fallbacks bool
	// Sigma is the spread of outage lengths; 0 with FixedDurations.
	Sigma          float64
	FixedDurations bool
	Scenarios      int // tail scenarios listed
	Format         format
}

func newCmdSimulate(deps *Deps, runF func(*simulateOptions) error) *cobra.Command {
	opts := &simulateOptions{IO: deps}
	var sigma string
	cmd := &cobra.Command{
		Use:   "simulate [SOURCE...] [--years N] [--seed S]",
		Short: "Simulate years of vendor outages: expected annual loss and loss quantiles",
		Long: `Simulate plays out many years of vendor outages (Monte Carlo). Each year
every vendor with a yearly probability fails with that probability, at a
random moment of the year, for a random length of time: lognormal around its
outage_duration (24h when it has none), with the spread --sigma (the
standard deviation of the logarithm of the length; with 0.5 the middle 90%
of outages last 0.44 to 2.3 times the typical one). The outage time lines
(buffers, restore times and, with --fallbacks, fallbacks) turn the failures
into halts, breaches and losses.

It reports the expected annual loss and the 50th, 95th and 99th percentiles
of the annual loss, per function and in total; how often each function halts
and breaches its tolerance; and the vendor combinations behind the worst
years (the top 1%). The same seed gives the same figures on any machine,
whatever the number of cores; all cores are used. A progress bar is shown
on stderr when it is a terminal and the run takes more than a second.`,
		Example: `  lifeboat simulate examples/northbank
  lifeboat simulate --years 1000000 --seed 7 --fallbacks
  lifeboat simulate --format json > losses.json`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	s.Int("years", "", "simulate.years", sim.DefaultYears, "number of years simulated")
	s.Int64("seed", "simulate.seed", 1, "random seed; equal seeds give equal results")
	s.Bool("fallbacks", "fallbacks", false, "let fallbacks keep their node up while they hold")
	cmd.Flags().StringVar(&sigma, "sigma", "", fmt.Sprintf("spread of outage lengths around outage_duration, the standard deviation of their logarithm (default %g; 0: every outage lasts exactly outage_duration)", sim.DefaultSigma))
	s.Int("scenarios", "", "simulate.scenarios", sim.DefaultTailScenarios, "number of tail scenarios listed (0: all)")
	s.addWorkspace()
	s.addFormat()
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		if opts.Map, opts.Format, opts.Fallbacks, err = s.resultOptions(args, deps.Err); err != nil {
			return err
		}
		years, err := s.GetInt("simulate.years")
		if err != nil {
			return err
		}
		if years < 1 || years > 1_000_000_000 {
			return usageErrorf("%s: %d is out of range (1 to 1000000000)", s.where("simulate.years"), years)
		}
		opts.Years = int(years)
		seed, err := s.GetInt("simulate.seed")
		if err != nil {
			return err
		}
		opts.Seed = uint64(seed)
		n, err := s.GetInt("simulate.scenarios")
		if err != nil {
			return err
		}
		if n < 0 || n > 1_000_000 {
			return usageErrorf("%s: %d is out of range (0 to 1000000)", s.where("simulate.scenarios"), n)
		}
		opts.Scenarios = int(n)
		opts.Sigma, opts.FixedDurations = 0, false
		if sigma = strings.TrimSpace(sigma); sigma != "" {
			x, err := strconv.ParseFloat(sigma, 64)
			if err != nil || math.IsNaN(x) || x < 0 || x > 10 {
				return usageErrorf("--sigma: %q is not a spread from 0 to 10", sigma)
			}
			opts.Sigma, opts.FixedDurations = x, x == 0
		}
		if runF != nil {
			return runF(opts)
		}
		return runSimulate(opts)
	}
	return cmd
}

// errNoProbabilities: simulate needs vendors with probabilities.
var errNoProbabilities = errors.New("no vendor has a probability, so no outage can be simulated; give vendors a yearly probability of a major outage (probability: 0.02) and a typical outage_duration (8h)")

func runSimulate(opts *simulateOptions) error {
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	if !hasProbabilities(m) {
		return failure(errNoProbabilities)
	}
	so := sim.Options{
		Years: opts.Years, Seed: opts.Seed, Fallbacks: opts.Fallbacks,
		Sigma: opts.Sigma, FixedDurations: opts.FixedDurations,
		TailScenarios: opts.Scenarios,
	}
	if opts.Scenarios == 0 {
		so.TailScenarios = -1 // every one
	}
	var bar *progressBar
	if isTerminal(opts.IO.Err) {
		bar = &progressBar{w: opts.IO.Err, start: time.Now(), label: "simulating"}
		so.Progress = bar.update
	}
	r, err := sim.Run(opts.Ctx, m, so)
	bar.done()
	if err != nil {
		return err
	}
	v := view.NewSimulate(m, r)
	return render(opts.IO.Out, opts.Format, v, func(w io.Writer) error { return table.Simulate(w, v) })
}

// hasProbabilities reports whether some vendor of m may fail.
func hasProbabilities(m *graph.Map) bool {
	for _, n := range m.Nodes {
		if n.Kind == graph.KindVendor && n.Probability != nil && *n.Probability > 0 {
			return true
		}
	}
	return false
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar draws a one-line progress bar on a terminal once the work
// has run for more than a second, and clears it when done.
type progressBar struct {
	w     io.Writer
	start time.Time
	label string
	shown bool
}

// barWidth is the number of cells of the progress bar.
const barWidth = 30

func (b *progressBar) update(done, total int) {
	if total <= 0 || (!b.shown && time.Since(b.start) < time.Second) {
		return
	}
	b.shown = true
	frac := float64(done) / float64(total)
	full := int(frac * barWidth)
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%%  %d/%d", b.label,
		strings.Repeat("█", full), strings.Repeat("░", barWidth-full), frac*100, done, total)
}

// done clears the bar if it was drawn; it does nothing on a nil bar.
func (b *progressBar) done() {
	if b == nil || !b.shown {
		return
	}
	fmt.Fprint(b.w, "\r\033[K")
}
