package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/gen"
)

// genOptions are the inputs of runGen.
type genOptions struct {
	IO                          *Deps
	Functions, Systems, Vendors int
	Seed                        int64
	Out                         string
	Format                      string // yaml | csv
	Force                       bool
	// Command is the command line recorded in the generated lifeboat.yaml.
	Command string
}

var genFormats = []string{"yaml", "csv"}

func newCmdGen(deps *Deps, runF func(*genOptions) error) *cobra.Command {
	opts := &genOptions{IO: deps}
	cmd := &cobra.Command{
		Use:   "gen -o DIR [--functions N] [--systems N] [--vendors N] [--seed S]",
		Short: "Generate a synthetic map of any size, for benchmarks and demos",
		Long: `Gen writes a synthetic workspace shaped like a real enterprise: functions in
tiers, systems in layers on shared platforms and data centres, vendors with
contracts and their own suppliers (fourth-party chains), redundancy groups,
a few dependency cycles and fallbacks. The same options and seed give the
same files, byte for byte.

DIR receives lifeboat.yaml and map/ (native YAML, or CSV with --format csv).
The files are written to a temporary folder first and moved into place, so
a failure leaves nothing half-written. Gen refuses a DIR that is not empty
unless --force is given; --force replaces lifeboat.yaml and map/ in DIR and
leaves other files alone.`,
		Example: `  lifeboat gen -o demo
  lifeboat gen --functions 500 --systems 50000 --vendors 10000 --seed 7 -o big/
  lifeboat gen --functions 20 --systems 200 --vendors 40 --format csv -o small-csv`,
		Args: cobra.NoArgs,
	}
	s := newSettings(cmd)
	s.Int("functions", "", "gen.functions", 100, "number of business functions")
	s.Int("systems", "", "gen.systems", 2000, "number of systems")
	s.Int("vendors", "", "gen.vendors", 300, "number of vendors")
	s.Int64("seed", "gen.seed", 1, "random seed; equal seeds give equal maps")
	s.String("out", "o", "gen.out", "", "the folder to write (required)")
	s.String("format", "", "gen.format", "yaml", "file format of the map: yaml or csv")
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "write into a folder that is not empty")
	_ = cmd.MarkFlagDirname("out")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(genFormats, cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		counts := []struct {
			key string
			dst *int
		}{{"gen.functions", &opts.Functions}, {"gen.systems", &opts.Systems}, {"gen.vendors", &opts.Vendors}}
		for _, c := range counts {
			n, err := s.GetInt(c.key)
			if err != nil {
				return err
			}
			if n < 0 || n > 50_000_000 {
				return usageErrorf("%s: %d is out of range (0 to 50000000)", s.where(c.key), n)
			}
			*c.dst = int(n)
		}
		var err error
		if opts.Seed, err = s.GetInt("gen.seed"); err != nil {
			return err
		}
		if opts.Out, err = s.GetString("gen.out"); err != nil {
			return err
		}
		if opts.Out == "" {
			return usageErrorf("name the folder to write with -o DIR")
		}
		if opts.Format, err = s.GetString("gen.format"); err != nil {
			return err
		}
		opts.Format = strings.ToLower(opts.Format)
		if !contains(genFormats, opts.Format) {
			return usageErrorf("%s: unknown format %q; use yaml or csv", s.where("gen.format"), opts.Format)
		}
		opts.Command = fmt.Sprintf("lifeboat gen --functions %d --systems %d --vendors %d --seed %d --format %s",
			opts.Functions, opts.Systems, opts.Vendors, opts.Seed, opts.Format)
		if runF != nil {
			return runF(opts)
		}
		return runGen(opts)
	}
	return cmd
}

func runGen(opts *genOptions) error {
	if err := checkOutDir(opts.Out, opts.Force); err != nil {
		return err
	}
	m := gen.Generate(gen.Options{
		Functions: opts.Functions, Systems: opts.Systems, Vendors: opts.Vendors, Seed: opts.Seed,
	})
	parent := filepath.Dir(filepath.Clean(opts.Out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, ".lifeboat-gen-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it private
		return err
	}
	if err := os.Mkdir(filepath.Join(tmp, "map"), 0o755); err != nil {
		return err
	}
	if err := writeMap(filepath.Join(tmp, "map"), m, opts.Format); err != nil {
		return fmt.Errorf("writing the map: %w", err)
	}
	source := "map/"
	if opts.Format == "csv" {
		source = "{type: csv, path: map/}"
	}
	cfg := fmt.Sprintf("# A synthetic map, written by:\n#   %s\nname: %s\ncurrency: %s\nsources:\n  - %s\n",
		opts.Command, yamlString(m.Name), m.Currency, source)
	if err := os.WriteFile(filepath.Join(tmp, configName), []byte(cfg), 0o644); err != nil {
		return err
	}
	if err := moveInto(tmp, opts.Out, []string{configName, "map"}); err != nil {
		return err
	}
	c := countKinds(m)
	fmt.Fprintf(opts.IO.Out, "wrote %s: %s, %s, %s, %s (seed %d, %s)\n", filepath.ToSlash(opts.Out),
		countWord(c[graph.KindFunction], "function"), countWord(c[graph.KindSystem], "system"),
		countWord(c[graph.KindVendor], "vendor"), countWord(len(m.Fallbacks), "fallback"), opts.Seed, opts.Format)
	return nil
}

func countKinds(m *graph.Map) map[graph.Kind]int {
	c := map[graph.Kind]int{}
	for _, n := range m.Nodes {
		c[n.Kind]++
	}
	return c
}

// checkOutDir refuses an output folder that is not empty, unless force.
func checkOutDir(dir string, force bool) error {
	st, err := os.Stat(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 && !force {
		return fmt.Errorf("%s is not empty; gen writes only into a new or empty folder (use --force to replace its lifeboat.yaml and map/)", dir)
	}
	return nil
}

// moveInto moves the named entries of the finished folder tmp into dst:
// the whole folder at once when dst does not exist or is empty, else entry
// by entry, each replacing its old version with one rename.
func moveInto(tmp, dst string, names []string) error {
	if entries, err := os.ReadDir(dst); err == nil && len(entries) == 0 {
		if err := os.Remove(dst); err != nil {
			return err
		}
	}
	if !exists(dst) {
		return os.Rename(tmp, dst)
	}
	for _, name := range names {
		from, to := filepath.Join(tmp, name), filepath.Join(dst, name)
		if st, err := os.Lstat(to); err == nil && st.IsDir() {
			old := filepath.Join(tmp, "old-"+name)
			if err := os.Rename(to, old); err != nil {
				return err
			}
		}
		if err := os.Rename(from, to); err != nil {
			return err
		}
	}
	return nil
}
