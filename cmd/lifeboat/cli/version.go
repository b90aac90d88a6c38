package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// versionOptions are the inputs of runVersion.
type versionOptions struct {
	IO *Deps
}

func newCmdVersion(deps *Deps, runF func(*versionOptions) error) *cobra.Command {
	opts := &versionOptions{IO: deps}
	return &cobra.Command{
		Use:   "version",
		Short: "Print lifeboat's version",
		Long: `Version prints lifeboat's version and the Go release it was built with.
Release builds set the version with -ldflags; a build from source says "dev".`,
		Example: `  lifeboat version
  lifeboat --version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
}

func runVersion(opts *versionOptions) error {
	_, err := fmt.Fprintf(opts.IO.Out, "lifeboat %s (%s, %s/%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
