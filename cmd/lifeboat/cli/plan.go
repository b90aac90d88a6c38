package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/reports/exercise"
	plans "github.com/lifeboat-dev/lifeboat/reports/plan"
)

// planOptions are the inputs of runPlan.
type planOptions struct {
	IO      *Deps
	Ctx     context.Context
	Map     mapOptions
	Dir     string         // the output folder
	Formats []plans.Format // without repeats, in the order of plans.Formats
	Force   bool
	Vendors []string // ids or aliases, in the order given, without blanks or repeats
	// AsOf is the date contract reviews are judged against.
	AsOf time.Time

	// Exercise asks for a tabletop exercise pack of the outage of Down
	// for Duration (0: the longest outage_duration among them, else 24h)
	// instead of the plans.
	Exercise bool
	Down     []string
	Duration graph.Duration
}

func newCmdPlan(deps *Deps, runF func(*planOptions) error) *cobra.Command {
	opts := &planOptions{IO: deps}
	var vendors, down []string
	var duration string
	cmd := &cobra.Command{
		Use:   "plan -o DIR [SOURCE...] [--vendor ID ...] [--format md,html,pdf] [--force] | plan --exercise --down ID,... -o DIR",
		Short: "Write a fallback plan for every critical partner, or a tabletop exercise pack",
		Long: `Plan writes the fallback plans into DIR: an overview plan for the minimum
viable company first (00-overview), then one plan per critical partner
(plan-<vendor>): every vendor whose outage alone stops a function, and every
member of an order-2 cut set of a core function; --vendor names the partners
instead. Each plan starts with what stops, how soon and what to do, then
gives, with numbers from the analyses, the time line of the partner's
typical outage (its outage_duration, or 24h), the functions that breach
their tolerance and when, the loss, the fallbacks with their activation,
endurance, capacity and gaps, the recovery order, who decides (crisis_lead)
and who speaks (spokesperson) with a holding statement, the exit plan, and
the contract's liability cap against the modeled loss.

--format picks the formats, comma-separated: md (Markdown), html (one
self-contained page with print styles) and pdf (drawn in-process). Files are
written whole, and plan records what it wrote (.lifeboat-plans.json in DIR):
it replaces its own files, but refuses to overwrite a plan that someone
edited since, or a file it did not write, unless --force is given.

--exercise --down A,B writes a tabletop exercise pack instead: the injects
of the outage of A and B together on a time line (T+0 the partner is down,
then each function that stops, each tolerance that runs out, each fallback
decision that falls due), the decision each role makes at each inject and
the questions the facilitator asks; the outage lasts --duration, by default
the longest outage_duration of the nodes down (else 24h). Markdown and HTML
by default.`,
		Example: `  lifeboat plan -o plans/ examples/northbank
  lifeboat plan -o plans/ --format md,html,pdf
  lifeboat plan -o plans/ --vendor sentinel-shield-edr --format pdf --force
  lifeboat plan --exercise --down paylane-processing,cardwise-processing --duration 12h -o exercise/`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	cmd.Flags().StringVarP(&opts.Dir, "output", "o", "", "the folder to write into, created when missing (required)")
	cmd.Flags().StringSliceVar(&vendors, "vendor", nil, "write plans for these vendors only, comma-separated or repeated (default: every critical partner)")
	s.String("format", "", "plan.format", "", "formats to write, comma-separated: md, html, pdf (default: md,html,pdf; md,html with --exercise)")
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "replace files that were edited since lifeboat wrote them, or that it did not write")
	cmd.Flags().BoolVar(&opts.Exercise, "exercise", false, "write a tabletop exercise pack for the outage named by --down instead")
	cmd.Flags().StringSliceVarP(&down, "down", "d", nil, "with --exercise: the nodes that go down together, comma-separated or repeated")
	cmd.Flags().StringVar(&duration, "duration", "", "with --exercise: how long the outage lasts (default: the longest outage_duration of the nodes down, else 24h)")
	s.String("as-of", "", "as_of", "", "judge contract reviews as of this date, YYYY-MM-DD (default: today)")
	_ = cmd.Flags().MarkHidden("as-of")
	s.addWorkspace()
	_ = cmd.MarkFlagDirname("output")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"md", "html", "pdf"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		flags := cmd.Flags()
		opts.Vendors = cleanIDs(vendors)
		opts.Down = cleanIDs(down)
		opts.Duration = 0
		if opts.Exercise {
			if len(opts.Down) == 0 {
				return usageErrorf("--exercise needs the outage: name the nodes that go down with --down, e.g. --down paylane-processing")
			}
			if flags.Changed("vendor") {
				return usageErrorf("--vendor picks the partners of the plans; an exercise is about the outage named by --down")
			}
			if strings.TrimSpace(duration) != "" {
				if opts.Duration, err = graph.ParseDuration(duration); err != nil {
					return usageErrorf("--duration: %v", err)
				}
				if opts.Duration == 0 {
					return usageErrorf("--duration: 0 is no outage; give a length like 12h")
				}
			}
		} else {
			for _, f := range []string{"down", "duration"} {
				if flags.Changed(f) {
					return usageErrorf("--%s describes the outage of an exercise; add --exercise", f)
				}
			}
		}
		if strings.TrimSpace(opts.Dir) == "" {
			return usageErrorf("name the folder to write with -o DIR")
		}
		if st, err := os.Stat(opts.Dir); err == nil && !st.IsDir() {
			return usageErrorf("-o %s is a file; name a folder", opts.Dir)
		}
		if err := s.planFormats(opts); err != nil {
			return err
		}
		if opts.Map, err = s.mapOptions(args, deps.Err); err != nil {
			return err
		}
		if err := s.planFormats(opts); err != nil { // the workspace may set plan.format
			return err
		}
		if opts.AsOf, err = s.asOf(); err != nil {
			return err
		}
		if runF != nil {
			return runF(opts)
		}
		return runPlan(opts)
	}
	return cmd
}

// planFormats reads plan.format into opts.Formats.
func (s *settings) planFormats(opts *planOptions) error {
	v, err := s.GetString("plan.format")
	if err != nil {
		return err
	}
	if strings.TrimSpace(v) == "" || strings.EqualFold(strings.TrimSpace(v), "all") {
		v = "md,html,pdf"
		if opts.Exercise {
			v = "md,html"
		}
	}
	want := map[plans.Format]bool{}
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		pf, ok := plans.ParseFormat(f)
		if !ok {
			return usageErrorf("%s: unknown format %q; use md, html or pdf, comma-separated", s.where("plan.format"), f)
		}
		want[pf] = true
	}
	opts.Formats = opts.Formats[:0]
	for _, f := range plans.Formats {
		if want[f] {
			opts.Formats = append(opts.Formats, f)
		}
	}
	return nil
}

// asOf reads as_of, the date contract reviews are judged against: today
// when it is not set.
func (s *settings) asOf() (time.Time, error) {
	v, err := s.GetString("as_of")
	if err != nil {
		return time.Time{}, err
	}
	if v == "" {
		now := time.Now()
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, usageErrorf("%s: %q is not a date; write it as YYYY-MM-DD", s.where("as_of"), v)
	}
	return t, nil
}

// cleanIDs trims ids and drops blanks and repeats, keeping the order.
func cleanIDs(in []string) []string {
	var out []string
	for _, id := range in {
		if id = strings.TrimSpace(id); id != "" && !contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func runPlan(opts *planOptions) error {
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	cfg := plans.Config{
		Name: opts.Map.Name, Currency: opts.Map.Currency,
		CrisisLead: opts.Map.CrisisLead, Spokesperson: opts.Map.Spokesperson,
		Vendors: opts.Vendors,
	}
	if opts.Exercise {
		return runExercise(opts, m, cfg)
	}
	if err := checkVendors(m, opts.Vendors); err != nil {
		return err
	}
	a, err := assess.Gather(opts.Ctx, m, assess.GatherOptions{AsOf: opts.AsOf})
	if err != nil {
		return err
	}
	book, err := plans.Build(m, a, cfg)
	if err != nil {
		return err
	}
	for _, n := range book.Notes {
		fmt.Fprintf(opts.IO.Err, "lifeboat: note: %s\n", n)
	}
	files, err := book.Files(opts.Formats...)
	if err != nil {
		return err
	}
	res, err := plans.WriteFiles(opts.Dir, files, plans.Options{Force: opts.Force})
	if err != nil {
		return err
	}
	what := fmt.Sprintf("the overview and %s", countWord(len(book.Plans), "partner plan"))
	reportWritten(opts, what, res)
	return nil
}

func runExercise(opts *planOptions, m *graph.Map, cfg plans.Config) error {
	// Nodes may be vendors named by an alias.
	vs, err := impact.NewEvaluator(graph.Compile(m, graph.CompileOptions{})).Resolve(opts.Down)
	if err != nil {
		return failure(fmt.Errorf("--down: %w", err))
	}
	dur := opts.Duration
	if dur == 0 {
		for _, v := range vs {
			if n := m.Nodes[v]; n.OutageDuration != nil && *n.OutageDuration > dur {
				dur = *n.OutageDuration
			}
		}
		if dur == 0 {
			dur = assess.DefaultOutage
		}
	}
	o, err := assess.Scenario(m, opts.Down, dur)
	if err != nil {
		return err
	}
	pack, err := exercise.Build(m, o, cfg)
	if err != nil {
		return err
	}
	files, err := pack.Files(opts.Formats...)
	if err != nil {
		return err
	}
	res, err := plans.WriteFiles(opts.Dir, files, plans.Options{Force: opts.Force})
	if err != nil {
		return err
	}
	reportWritten(opts, fmt.Sprintf("the exercise pack for %s down for %s", strings.Join(opts.Down, " and "), dur), res)
	return nil
}

// reportWritten says what a plan set's writing did: one line, then the
// files replaced over someone's edits.
func reportWritten(opts *planOptions, what string, res *plans.WriteResult) {
	formats := make([]string, len(opts.Formats))
	for i, f := range opts.Formats {
		formats[i] = string(f)
	}
	n := len(res.Written) + len(res.Unchanged)
	fmt.Fprintf(opts.IO.Out, "wrote %s to %s: %s (%s); %d new or changed, %d unchanged\n",
		what, filepath.ToSlash(filepath.Clean(opts.Dir)), countWord(n, "file"), strings.Join(formats, ", "),
		len(res.Written), len(res.Unchanged))
	if len(res.Replaced) > 0 {
		fmt.Fprintf(opts.IO.Out, "  replaced with --force: %s\n", strings.Join(res.Replaced, ", "))
	}
}

// checkVendors fails when an id of --vendor is not a vendor of m (by id
// or alias), suggesting the nearest.
func checkVendors(m *graph.Map, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	vs, err := impact.NewEvaluator(graph.Compile(m, graph.CompileOptions{})).Resolve(ids)
	var unknown *impact.UnknownNodeError
	if errors.As(err, &unknown) {
		return failure(fmt.Errorf("--vendor: %w", err))
	}
	if err != nil {
		return err
	}
	for i, v := range vs {
		if n := m.Nodes[v]; n.Kind != graph.KindVendor {
			return failure(fmt.Errorf("--vendor: %q is a %s, not a vendor; plans are written for vendors", ids[i], n.Kind))
		}
	}
	return nil
}
