package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph/assess"
	plans "github.com/lifeboat-dev/lifeboat/reports/plan"
	"github.com/lifeboat-dev/lifeboat/reports/register"
)

// newCmdExport groups the commands that write the map's results in other
// tools' formats.
func newCmdExport(deps *Deps) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export KIND -o FILE [SOURCE...]",
		Short: "Write results for other tools: the critical partner register",
		Long: `Export writes the map's results as files for other tools.

  register  the critical partner register, one row per vendor, as XLSX or CSV`,
		Example: `  lifeboat export register -o register.xlsx examples/northbank
  lifeboat export register -o register.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdExportRegister(deps, nil))
	return cmd
}

// exportRegisterOptions are the inputs of runExportRegister.
type exportRegisterOptions struct {
	IO    *Deps
	Ctx   context.Context
	Map   mapOptions
	Out   string // the file to write, .xlsx or .csv
	Force bool
	// AsOf is the date contract reviews are judged against.
	AsOf time.Time
}

// registerExtensions are the extensions register.Write knows.
var registerExtensions = []string{".xlsx", ".csv"}

func newCmdExportRegister(deps *Deps, runF func(*exportRegisterOptions) error) *cobra.Command {
	opts := &exportRegisterOptions{IO: deps}
	cmd := &cobra.Command{
		Use:   "register -o FILE.xlsx|FILE.csv [SOURCE...]",
		Short: "Write the critical partner register as XLSX or CSV",
		Long: `Register writes the critical partner register: one row per vendor, the
critical partners first (most urgent first), then the others by name, with
the functions it supports (directly and through other vendors, as a fourth
party), whether it is a single point of failure or in an order-2 cut set of a
core function, the time to the first tolerance breach and the modeled loss of
its typical outage (its outage_duration, or 24h), its liability cap and the
exposure the cap leaves uncovered, its exit plan, substitutability, last
review and escalation contact. The numbers are those of 'lifeboat plan'.

The extension of FILE picks the format: .xlsx (a workbook with a frozen
header, filters, column widths and number formats, and a sheet that explains
the columns) or .csv. The file is written whole; an existing file is only
replaced with --force.`,
		Example: `  lifeboat export register -o register.xlsx examples/northbank
  lifeboat export register -o register.csv --force`,
		ValidArgsFunction: sourceArgs,
	}
	s := newSettings(cmd)
	cmd.Flags().StringVarP(&opts.Out, "output", "o", "", "the file to write: .xlsx or .csv (required)")
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "replace FILE when it exists")
	s.String("as-of", "", "as_of", "", "judge contract reviews as of this date, YYYY-MM-DD (default: today)")
	_ = cmd.Flags().MarkHidden("as-of")
	s.addWorkspace()
	_ = cmd.MarkFlagFilename("output", "xlsx", "csv")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Ctx = cmd.Context()
		if strings.TrimSpace(opts.Out) == "" {
			return usageErrorf("name the file to write with -o FILE; its extension picks the format (%s)", strings.Join(registerExtensions, " or "))
		}
		if ext := strings.ToLower(filepath.Ext(opts.Out)); !contains(registerExtensions, ext) {
			return usageErrorf("-o %s: unknown register format %q; use %s", opts.Out, ext, strings.Join(registerExtensions, " or "))
		}
		if opts.Map, err = s.mapOptions(args, deps.Err); err != nil {
			return err
		}
		if opts.AsOf, err = s.asOf(); err != nil {
			return err
		}
		if runF != nil {
			return runF(opts)
		}
		return runExportRegister(opts)
	}
	return cmd
}

func runExportRegister(opts *exportRegisterOptions) error {
	if exists(opts.Out) && !opts.Force {
		return fmt.Errorf("%s exists; lifeboat does not overwrite it (use --force to replace it)", opts.Out)
	}
	if dir := filepath.Dir(opts.Out); !exists(dir) {
		return fmt.Errorf("writing %s: folder %s does not exist", opts.Out, dir)
	}
	m, err := loadValid(opts.Ctx, opts.Map, opts.IO.Err)
	if err != nil {
		return err
	}
	a, err := assess.Gather(opts.Ctx, m, assess.GatherOptions{AsOf: opts.AsOf})
	if err != nil {
		return err
	}
	r, err := register.Build(m, a, plans.Config{
		Name: opts.Map.Name, Currency: opts.Map.Currency,
		CrisisLead: opts.Map.CrisisLead, Spokesperson: opts.Map.Spokesperson,
	})
	if err != nil {
		return err
	}
	if err := register.Write(opts.Out, r); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s: %s, %s\n", filepath.ToSlash(opts.Out), countWord(len(r.Rows), "vendor"), countWord(len(r.Columns), "column"))
	return nil
}
