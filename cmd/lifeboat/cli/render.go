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
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/reports/diagram"
	diagramrender "github.com/lifeboat-dev/lifeboat/reports/diagram/render"
)

// The views render draws.
const (
	viewMap      = "map"
	viewFunction = "function"
	viewBlast    = "blast"
	viewMVC      = "mvc"
)

var renderViews = []string{viewMap, viewFunction, viewBlast, viewMVC}

// renderMVCTimeLimit bounds the supply set search of the mvc view.
const renderMVCTimeLimit = 30 * time.Second

// renderOptions are the inputs of runRender.
type renderOptions struct {
	IO     *Deps
	Ctx    context.Context
	Map    mapOptions
	View   string // one of renderViews
	Out    string // the file to write
	Format diagram.Format
	Focus  string // the function view's node
	// Down and Outages are the blast view's scenario: Outages is nil
	// without a duration (the static scenario).
	Down      []string
	Outages   []impact.Outage
	Cluster   diagram.ClusterBy
	MaxNodes  int // diagram.Options.MaxNodes: 0 the default, negative no limit
	Fallbacks bool
	Full      bool // the blast view draws the whole map, not the blast radius only
}

func newCmdRender(deps *Deps, runF func(*renderOptions) error) *cobra.Command {
	opts := &renderOptions{IO: deps}
	var down []string
	var duration, start, cluster string
	var maxNodes int
	cmd := &cobra.Command{
		Use:   "render [VIEW] -o FILE [SOURCE...] [--focus ID] [--down ID,...] [--cluster kind|owner|tier|country]",
		Short: "Draw the map, a function's supply chain, an outage's blast radius or the MVC",
		Long: `Render draws one view of the map into FILE; the file's extension picks the
format: .dot (Graphviz), .svg, .png, or .mmd (a Mermaid flowchart, for wikis
and Markdown that render it). The same map gives the same bytes.

Views (the first argument; default map, or function with --focus, blast
with --down):

  map       the whole map, functions → systems → vendors left to right and
            fourth parties beyond, in boxes by kind (--cluster owner, tier
            or country to group otherwise)
  function  everything the function named by --focus needs, transitively,
            redundancy groups drawn as small "any" and "k of n" junctions
  blast     the outage of the nodes named by --down: every node it brings
            down coloured by time to halt (with --duration), breached
            functions marked, fallbacks that hold shown (--fallbacks), the
            direct context faded and the rest left out (--full draws the
            whole map, unaffected nodes faded)
  mvc       the minimum viable company's functions and their smallest supply
            set; what can be shed faded out

Every view has a legend; labels are names, and in SVG the ids are in the
tooltips. Above --max-nodes (default 300) the map collapses groups (systems
per owner, vendors per parent) and says so. A source folder named like a
view is written with a slash: 'lifeboat render map/ -o map.svg'.`,
		Example: `  lifeboat render -o northbank.svg examples/northbank
  lifeboat render map --cluster owner -o map.png
  lifeboat render function --focus card-payments -o card-payments.svg
  lifeboat render blast --down sentinel-shield-edr --duration 8h --fallbacks -o edr.svg
  lifeboat render mvc -o mvc.mmd`,
		ValidArgsFunction: renderArgs,
	}
	s := newSettings(cmd)
	cmd.Flags().StringVarP(&opts.Out, "output", "o", "", "the file to write; its extension picks the format: .dot, .svg, .png, .mmd (required)")
	cmd.Flags().StringVar(&opts.Focus, "focus", "", "the function view's function (any node's id works)")
	cmd.Flags().StringSliceVarP(&down, "down", "d", nil, "the blast view's failed nodes, comma-separated or repeated, each optionally ID=DURATION or ID=DURATION@START")
	cmd.Flags().StringVar(&duration, "duration", "", "the blast view's outage length (90m, 8h, 2d): colours nodes by time to halt")
	cmd.Flags().StringVar(&start, "start", "0", "when the blast view's outages begin, for nodes without their own @START")
	cmd.Flags().StringVar(&cluster, "cluster", "kind", "how to group nodes in boxes: kind, owner, tier, country or none")
	cmd.Flags().IntVar(&maxNodes, "max-nodes", diagram.DefaultMaxNodes, "node budget; above it the view collapses or leaves nodes out and says so (0: no limit)")
	s.Bool("fallbacks", "fallbacks", false, "count fallbacks as keeping their node up (blast and mvc views)")
	cmd.Flags().BoolVar(&opts.Full, "full", false, "blast view: draw the whole map, unaffected nodes faded, instead of the blast radius only")
	s.addWorkspace()
	_ = cmd.MarkFlagFilename("output", "dot", "gv", "svg", "png", "mmd", "mermaid")
	_ = cmd.RegisterFlagCompletionFunc("cluster", cobra.FixedCompletions(diagram.ClusterNames(), cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		flags := cmd.Flags()
		opts.View = ""
		if len(args) > 0 {
			if contains(renderViews, args[0]) {
				opts.View, args = args[0], args[1:]
			} else if !exists(args[0]) {
				return usageErrorf("unknown view %q; use %s (a source named %q does not exist either)",
					args[0], strings.Join(renderViews, ", "), args[0])
			}
		}
		opts.Down = opts.Down[:0]
		for _, d := range down {
			if d = strings.TrimSpace(d); d != "" {
				opts.Down = append(opts.Down, d)
			}
		}
		opts.Focus = strings.TrimSpace(opts.Focus)
		if opts.View == "" {
			switch {
			case opts.Focus != "":
				opts.View = viewFunction
			case len(opts.Down) > 0:
				opts.View = viewBlast
			default:
				opts.View = viewMap
			}
		}
		switch {
		case opts.View == viewFunction && opts.Focus == "":
			return usageErrorf("the function view draws one function: name it with --focus, e.g. --focus card-payments")
		case opts.View != viewFunction && opts.Focus != "":
			return usageErrorf("--focus picks the function view's function; the %s view has none", opts.View)
		case opts.View == viewBlast && len(opts.Down) == 0:
			return usageErrorf("the blast view draws an outage: name the nodes that are down with --down, e.g. --down cloud-eu-west")
		case opts.View != viewBlast && flags.Changed("down"):
			return usageErrorf("--down names the blast view's outage; the %s view has none (use 'render blast')", opts.View)
		case opts.View != viewBlast && (flags.Changed("duration") || flags.Changed("start")):
			return usageErrorf("--duration and --start shape the blast view's outage; the %s view has none", opts.View)
		}
		opts.Outages = nil
		if opts.View == viewBlast {
			timed := flags.Changed("duration") || flags.Changed("start")
			for _, d := range opts.Down {
				timed = timed || strings.Contains(d, "=")
			}
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
			}
		}
		var ok bool
		if opts.Cluster, ok = diagram.ParseClusterBy(strings.ToLower(strings.TrimSpace(cluster))); !ok {
			return usageErrorf("--cluster: unknown grouping %q; use %s", cluster, strings.Join(diagram.ClusterNames(), ", "))
		}
		switch {
		case maxNodes < 0:
			return usageErrorf("--max-nodes: %d is negative; use 0 for no limit", maxNodes)
		case maxNodes == 0:
			opts.MaxNodes = -1
		default:
			opts.MaxNodes = maxNodes
		}
		if strings.TrimSpace(opts.Out) == "" {
			return usageErrorf("name the file to write with -o FILE; its extension picks the format (%s)", strings.Join(diagram.Extensions, ", "))
		}
		if opts.Format, err = diagram.FormatOf(opts.Out); err != nil {
			return usageErrorf("-o %v", err)
		}
		if st, err := os.Stat(opts.Out); err == nil && st.IsDir() {
			return usageErrorf("-o %s is a folder; name a file", opts.Out)
		}
		if opts.Map, err = s.mapOptions(args, deps.Err); err != nil {
			return err
		}
		if opts.Fallbacks, err = s.GetBool("fallbacks"); err != nil {
			return err
		}
		if runF != nil {
			return runF(opts)
		}
		return runRender(opts)
	}
	return cmd
}

func runRender(opts *renderOptions) error {
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	d, err := buildDiagram(opts, m)
	if err != nil {
		return err
	}
	data, err := diagramrender.Encode(opts.Ctx, d, opts.Format)
	if err != nil {
		return fmt.Errorf("drawing %s: %w", opts.Out, err)
	}
	if dir := filepath.Dir(opts.Out); !exists(dir) {
		return fmt.Errorf("writing %s: folder %s does not exist", opts.Out, dir)
	}
	if err := writeFileAtomic(opts.Out, data, 0o644); err != nil {
		return err
	}
	var n int
	for _, x := range d.Nodes {
		if x.Role != diagram.RoleJunction {
			n++
		}
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s: the %s view, %s (%s)\n", filepath.ToSlash(opts.Out), opts.View, countWord(n, "node"), opts.Format)
	for _, note := range d.Notes {
		fmt.Fprintf(opts.IO.Out, "  %s\n", note)
	}
	return nil
}

// buildDiagram runs what the view needs and builds it.
func buildDiagram(opts *renderOptions, m *graph.Map) (*diagram.Diagram, error) {
	dopt := diagram.Options{Cluster: opts.Cluster, MaxNodes: opts.MaxNodes, Full: opts.Full}
	switch opts.View {
	case viewFunction:
		if err := checkIDs(m, "--focus", []string{opts.Focus}); err != nil {
			return nil, err
		}
		return diagram.FunctionView(m, opts.Focus, dopt)
	case viewBlast:
		res, err := impact.Static(m, opts.Down, impact.Options{Fallbacks: opts.Fallbacks})
		if err != nil {
			var unknown *impact.UnknownNodeError
			if errors.As(err, &unknown) {
				return nil, failure(errors.New("--down: " + err.Error()))
			}
			return nil, err
		}
		var tl *impact.TimelineResult
		if opts.Outages != nil {
			if tl, err = impact.Timeline(m, opts.Outages, impact.TimelineOptions{Fallbacks: opts.Fallbacks}); err != nil {
				return nil, err
			}
		}
		return diagram.BlastView(m, res, tl, dopt)
	case viewMVC:
		r, err := mvc.Analyze(opts.Ctx, m, mvc.Options{Fallbacks: opts.Fallbacks, TimeLimit: renderMVCTimeLimit})
		if err != nil {
			return nil, mvcError(err)
		}
		return diagram.MVCView(m, r, dopt)
	}
	return diagram.MapView(m, dopt), nil
}

// renderArgs completes the first argument as a view, the others as files
// and folders.
func renderArgs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return renderViews, cobra.ShellCompDirectiveDefault
	}
	return nil, cobra.ShellCompDirectiveDefault
}
