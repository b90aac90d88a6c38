package cli

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

//go:embed starter/lifeboat.yaml starter/map/starter.yaml
var starter embed.FS

// starterFiles are the files init writes, as paths in the new workspace
// and in the embedded starter folder.
var starterFiles = []struct{ dest, src string }{
	{configName, "starter/lifeboat.yaml"},
	{"map/starter.yaml", "starter/map/starter.yaml"},
}

// initOptions are the inputs of runInit.
type initOptions struct {
	IO       *Deps
	Dir      string
	Name     string // "" : the folder's name
	Currency string
	Force    bool
}

func newCmdInit(deps *Deps, runF func(*initOptions) error) *cobra.Command {
	opts := &initOptions{IO: deps}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a workspace: lifeboat.yaml and a commented starter map",
		Long: `Init creates a workspace in DIR (default: the current folder): lifeboat.yaml,
which names the map's sources and settings, and map/starter.yaml, a small
commented map to edit (functions, systems, vendors, a redundancy group, a
fallback) that validates cleanly.

It never overwrites an existing file unless --force is given.`,
		Example: `  lifeboat init mybank
  lifeboat init --name "Example Bank" --currency GBP
  lifeboat init mybank --force`,
		Args: cobra.MaximumNArgs(1),
	}
	s := newSettings(cmd)
	s.String("name", "", "init.name", "", "the organisation's name (default: the folder's name)")
	s.String("currency", "", "init.currency", "EUR", "currency of amounts in the map (ISO code)")
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "overwrite existing files")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var err error
		opts.Dir = "."
		if len(args) == 1 {
			opts.Dir = args[0]
		}
		if opts.Name, err = s.GetString("init.name"); err != nil {
			return err
		}
		if opts.Currency, err = s.GetString("init.currency"); err != nil {
			return err
		}
		if !currencyCode.MatchString(opts.Currency) {
			return usageErrorf("%s: %q is not a currency code like EUR, USD or GBP", s.where("init.currency"), opts.Currency)
		}
		if runF != nil {
			return runF(opts)
		}
		return runInit(opts)
	}
	return cmd
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

func runInit(opts *initOptions) error {
	name := opts.Name
	if name == "" {
		abs, err := filepath.Abs(opts.Dir)
		if err != nil {
			return err
		}
		name = filepath.Base(abs)
	}
	if st, err := os.Stat(opts.Dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", opts.Dir)
	}
	var clash []string
	for _, f := range starterFiles {
		if p := filepath.Join(opts.Dir, f.dest); exists(p) {
			clash = append(clash, filepath.ToSlash(p))
		}
	}
	if len(clash) > 0 && !opts.Force {
		verb := "exists"
		if len(clash) > 1 {
			verb = "exist"
		}
		return fmt.Errorf("%s already %s; lifeboat init never overwrites files (use --force to replace)", strings.Join(clash, " and "), verb)
	}
	for _, f := range starterFiles {
		data, err := starter.ReadFile(f.src)
		if err != nil {
			return err
		}
		text := strings.NewReplacer("{{name}}", yamlString(name), "{{currency}}", opts.Currency).Replace(string(data))
		p := filepath.Join(opts.Dir, f.dest)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := writeFileAtomic(p, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "created %s\n", filepath.ToSlash(p))
	}
	next := "lifeboat validate && lifeboat analyze"
	if opts.Dir != "." {
		next = fmt.Sprintf("cd %s && %s", opts.Dir, next)
	}
	fmt.Fprintf(opts.IO.Out, "next: edit map/starter.yaml, then %s\n", next)
	return nil
}

var plainYAML = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._()/&'-]*$`)

// yamlString renders s as a YAML scalar: plain when that is safe, else
// double-quoted.
func yamlString(s string) string {
	if plainYAML.MatchString(s) && !strings.HasSuffix(s, " ") && !isYAMLKeyword(s) {
		return s
	}
	return strconv.Quote(s)
}

func isYAMLKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
