// Package cli is lifeboat's command line: cobra commands, their flags bound
// to configuration with viper, and the mapping of outcomes to exit codes.
// It is the only package that knows about flags, environment variables,
// the workspace file and exit codes; it turns them into plain options for
// the packages that load maps, analyse them and render results.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
)

// Version is lifeboat's version as `lifeboat version` prints it. Release
// builds set it with
//
//	go build -ldflags "-X github.com/lifeboat-dev/lifeboat/cmd/lifeboat/cli.Version=v1.2.3"
var Version = "dev"

// Exit codes, a documented contract.
const (
	ExitOK        = 0 // the work was done
	ExitFailure   = 1 // the work could not be done, including an invalid map
	ExitUsage     = 2 // bad usage or configuration: flag, command, workspace, format
	ExitThreshold = 3 // the analysis ran and a --fail-on threshold was crossed
)

// Deps are what commands take from the outside world.
type Deps struct {
	Out io.Writer // results
	Err io.Writer // errors and notes
}

// Main runs lifeboat with args (without the program name), writing
// results to stdout and errors to stderr, and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	deps := &Deps{Out: stdout, Err: stderr}
	root := newCmdRoot(deps)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return report(stderr, err)
}

// exitError carries an exit code with an error. A nil err exits silently
// with the code (the output already said why).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a usage or configuration error: exit 2.
func usageErrorf(format string, a ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, a...)}
}

// failure marks err as work that could not be done: exit 1.
func failure(err error) error {
	if err == nil {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: ExitFailure, err: err}
}

// silentExit exits with code and prints nothing more.
func silentExit(code int) error { return &exitError{code: code} }

// report prints err once, as "lifeboat: message", and returns its exit
// code. Errors that carry no exit code come from cobra itself (unknown
// command, bad flag, wrong number of arguments): usage errors.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	code := ExitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	var inv *invalidMapError
	if errors.As(err, &inv) {
		for _, p := range inv.problems {
			fmt.Fprintln(stderr, p.String())
		}
	}
	msg := err.Error()
	if code == ExitUsage {
		msg = tidyCobraMessage(msg)
	}
	fmt.Fprintf(stderr, "lifeboat: %s\n", msg)
	return code
}

var didYouMean = regexp.MustCompile(`(?s)^(.*?)\s*Did you mean this\?\s*(.*?)\s*$`)

// tidyCobraMessage turns cobra's multi-line messages into one line:
// `unknown command "valdate" for "lifeboat"; did you mean "validate"?`.
func tidyCobraMessage(msg string) string {
	if m := didYouMean.FindStringSubmatch(msg); m != nil {
		alts := strings.Fields(m[2])
		for i, a := range alts {
			alts[i] = fmt.Sprintf("%q", a)
		}
		msg = m[1] + "; did you mean " + strings.Join(alts, " or ") + "?"
	}
	msg = strings.TrimSpace(msg)
	if strings.HasPrefix(msg, "unknown command") && !strings.Contains(msg, "did you mean") {
		msg += "; run 'lifeboat --help' for the list"
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
}

// newCmdRoot builds the lifeboat command with every subcommand.
func newCmdRoot(deps *Deps) *cobra.Command {
	root := &cobra.Command{
		Use:   "lifeboat",
		Short: "Map third-party dependencies and find the critical partners",
		Long: `lifeboat maps a company's dependencies on its vendors and their suppliers,
finds the critical partners, single points of failure and hidden shared
suppliers, and shows what stops when a vendor goes down.

A workspace is a folder with lifeboat.yaml listing the map's sources.
Commands that read a map take sources as arguments (files or folders, or a
workspace folder); with none they read the workspace in the current folder
(or --workspace DIR).

Exit codes: 0 ok; 1 the work could not be done (including an invalid map);
2 usage or configuration error; 3 a --fail-on threshold was crossed.`,
		Example: `  lifeboat init mybank
  lifeboat validate
  lifeboat analyze examples/northbank
  lifeboat impact --down cloud-eu-west,edr-agent`,
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(deps.Out)
	root.SetErr(deps.Err)
	root.SetVersionTemplate("lifeboat {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErrorf("%v (see '%s --help')", err, c.CommandPath())
	})
	root.AddCommand(
		newCmdInit(deps, nil),
		newCmdValidate(deps, nil),
		newCmdImport(deps, nil),
		newCmdImpact(deps, nil),
		newCmdAnalyze(deps, nil),
		newCmdCutsets(deps, nil),
		newCmdSimulate(deps, nil),
		newCmdMVC(deps, nil),
		newCmdRender(deps, nil),
		newCmdPlan(deps, nil),
		newCmdExport(deps),
		newCmdGen(deps, nil),
		newCmdVersion(deps, nil),
	)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = `  lifeboat completion bash > /etc/bash_completion.d/lifeboat
  lifeboat completion zsh > "${fpath[1]}/_lifeboat"
  lifeboat completion fish > ~/.config/fish/completions/lifeboat.fish`
			for _, sub := range c.Commands() {
				sub.Example = "  lifeboat completion " + sub.Name() + " --help"
			}
			// An unknown shell is a usage error, not a reason to print help.
			c.Args = cobra.NoArgs
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
	}
	markFailures(root)
	return root
}

// markFailures wraps every command's RunE so that an error it returns
// without an exit code counts as work that could not be done (exit 1);
// errors from cobra's own parsing stay usage errors.
func markFailures(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error { return failure(run(cmd, args)) }
	}
	for _, sub := range c.Commands() {
		markFailures(sub)
	}
}
