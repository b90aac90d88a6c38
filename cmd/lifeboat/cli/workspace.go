package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-dev/lifeboat/importers"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
)

// configName is the workspace configuration's file name.
const configName = "lifeboat.yaml"

// configKeys are the keys lifeboat.yaml may hold; others get a warning.
var configKeys = []string{
	"name", "currency", "crisis_lead", "spokesperson", "sources", "neo4j",
	"format", "fallbacks", "analyze", "cutsets", "impact", "simulate",
	"mvc", "plan", "render", "export",
}

// workspace is a parsed lifeboat.yaml.
type workspace struct {
	Dir  string // the folder, as the user named it
	File string // the config file, as messages name it
	Data []byte
	// Sources listed under sources:, paths joined to Dir.
	Sources []sourceSpec
	// Warnings about the file (unknown keys), located.
	Warnings []string
}

// sourceSpec is one source to load.
type sourceSpec struct {
	Path string // a path usable from the current folder
	Type string // the importer asked for, "" to let the registry decide
	// At locates the entry in a workspace config (file:line:col); empty for
	// a source named on the command line.
	At string
}

// isWorkspace reports whether dir holds a lifeboat.yaml.
func isWorkspace(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, configName))
	return err == nil && st.Mode().IsRegular()
}

// openWorkspace reads and checks dir/lifeboat.yaml. Every error is a
// configuration error (exit 2).
func openWorkspace(dir string) (*workspace, error) {
	file := filepath.Join(dir, configName)
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usageErrorf("workspace %q has no %s; create one with 'lifeboat init %s'", dir, configName, dir)
		}
		return nil, usageErrorf("reading workspace config: %v", err)
	}
	ws := &workspace{Dir: dir, File: file, Data: data}
	if err := ws.parse(); err != nil {
		return nil, err
	}
	return ws, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads the sources and checks the keys. Values other than sources
// are read later through viper.
func (ws *workspace) parse() error {
	var doc yaml.Node
	if err := yaml.Unmarshal(ws.Data, &doc); err != nil {
		msg := err.Error()
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			return usageErrorf("%s:%s: invalid YAML: %s", ws.File, m[1], m[2])
		}
		return usageErrorf("%s: invalid YAML: %s", ws.File, strings.TrimPrefix(msg, "yaml: "))
	}
	if len(doc.Content) == 0 {
		return nil // an empty file: no settings, no sources
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return usageErrorf("%s: the workspace config must be a mapping of keys (name, currency, sources, ...)", ws.at(root))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !contains(configKeys, k.Value) {
			w := fmt.Sprintf("%s: warning: unknown key %q", ws.at(k), k.Value)
			if s := importers.Suggest(k.Value, configKeys); s != "" {
				w += fmt.Sprintf("; did you mean %q?", s)
			} else {
				w += "; known keys: " + strings.Join(configKeys, ", ")
			}
			ws.Warnings = append(ws.Warnings, w)
			continue
		}
		if k.Value == "sources" {
			if err := ws.parseSources(v); err != nil {
				return err
			}
		}
	}
	// Keys that viper would read must also parse as YAML for viper.
	return nil
}

func (ws *workspace) parseSources(v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		return usageErrorf("%s: sources must be a list of paths or {type, path} entries", ws.at(v))
	}
	for _, e := range v.Content {
		spec := sourceSpec{At: ws.at(e)}
		switch e.Kind {
		case yaml.ScalarNode:
			spec.Path = e.Value
		case yaml.MappingNode:
			for i := 0; i+1 < len(e.Content); i += 2 {
				k, x := e.Content[i], e.Content[i+1]
				if x.Kind != yaml.ScalarNode {
					return usageErrorf("%s: %s must be a single value", ws.at(x), k.Value)
				}
				switch k.Value {
				case "path":
					spec.Path = x.Value
				case "type":
					spec.Type = x.Value
				default:
					return usageErrorf("%s: unknown key %q in a source; a source has path and type", ws.at(k), k.Value)
				}
			}
		default:
			return usageErrorf("%s: a source is a path or {type, path}", ws.at(e))
		}
		if strings.TrimSpace(spec.Path) == "" {
			return usageErrorf("%s: source without a path", ws.at(e))
		}
		p := filepath.FromSlash(spec.Path)
		if !filepath.IsAbs(p) {
			p = filepath.Join(ws.Dir, p)
		}
		spec.Path = p
		ws.Sources = append(ws.Sources, spec)
	}
	return nil
}

func (ws *workspace) at(n *yaml.Node) string {
	return ws.File + ":" + strconv.Itoa(n.Line) + ":" + strconv.Itoa(n.Column)
}

// plan is what a map-reading command loads: the sources and the
// workspace that configures them (nil when there is none).
type plan struct {
	Workspace *workspace
	Sources   []sourceSpec
}

// names lists the sources as messages name them.
func (p *plan) names() []string {
	out := make([]string, len(p.Sources))
	for i, s := range p.Sources {
		out[i] = filepath.ToSlash(s.Path)
	}
	return out
}

// resolvePlan finds the workspace and the sources of a map-reading
// command and reads the workspace config into s. Sources named in args
// come first; a folder holding a lifeboat.yaml counts as a workspace and
// contributes its sources. With no args the workspace (--workspace, else
// the current folder) lists them. Problems are configuration errors.
func resolvePlan(s *settings, args []string) (*plan, error) {
	p := &plan{}
	wsDir, err := s.GetString("workspace")
	if err != nil {
		return nil, err
	}
	if wsDir != "" {
		dir := wsDir
		if st, err := os.Stat(wsDir); err != nil {
			return nil, usageErrorf("workspace %q does not exist (%s)", wsDir, s.where("workspace"))
		} else if !st.IsDir() {
			if filepath.Base(wsDir) != configName {
				return nil, usageErrorf("workspace %q is not a folder", wsDir)
			}
			dir = filepath.Dir(wsDir)
		}
		if p.Workspace, err = openWorkspace(dir); err != nil {
			return nil, err
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, usageErrorf("source %q does not exist", a)
			}
			return nil, usageErrorf("source %q: %v", a, err)
		}
		if st.IsDir() && isWorkspace(a) {
			ws, err := openWorkspace(a)
			if err != nil {
				return nil, err
			}
			if p.Workspace == nil {
				p.Workspace = ws
			}
			if err := checkSources(ws); err != nil {
				return nil, err
			}
			p.Sources = append(p.Sources, ws.Sources...)
			continue
		}
		p.Sources = append(p.Sources, sourceSpec{Path: a})
	}
	if len(args) == 0 {
		if p.Workspace == nil {
			if !isWorkspace(".") {
				return nil, usageErrorf("no sources: name map files or folders, or run inside a workspace (a folder with %s; 'lifeboat init' creates one)", configName)
			}
			if p.Workspace, err = openWorkspace("."); err != nil {
				return nil, err
			}
		}
		if err := checkSources(p.Workspace); err != nil {
			return nil, err
		}
		p.Sources = p.Workspace.Sources
	} else if p.Workspace == nil && isWorkspace(".") {
		// Sources named directly still take their settings (currency,
		// name, format) from the workspace they are run in.
		if p.Workspace, err = openWorkspace("."); err != nil {
			return nil, err
		}
	}
	p.Sources = dedupSources(p.Sources)
	if p.Workspace != nil {
		s.v.SetConfigType("yaml")
		if err := s.v.ReadConfig(bytes.NewReader(p.Workspace.Data)); err != nil {
			return nil, usageErrorf("%s: %v", p.Workspace.File, err)
		}
	}
	return p, nil
}

// dedupSources drops a source named twice (the same cleaned path and
// type), keeping the first.
func dedupSources(in []sourceSpec) []sourceSpec {
	seen := map[sourceSpec]bool{}
	var out []sourceSpec
	for _, s := range in {
		key := sourceSpec{Path: filepath.Clean(s.Path), Type: s.Type}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, s)
	}
	return out
}

// checkSources reports a workspace without sources, or the first source
// of ws that does not exist.
func checkSources(ws *workspace) error {
	if len(ws.Sources) == 0 {
		return usageErrorf("%s lists no sources; add map files or folders under sources:", ws.File)
	}
	for _, src := range ws.Sources {
		if src.Type != "" && registry.Lookup(src.Type) == nil {
			return usageErrorf("%s: unknown source type %q; known types: %s", src.At, src.Type, strings.Join(registry.Names(), ", "))
		}
		if _, err := os.Stat(src.Path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return usageErrorf("%s: source %q does not exist; fix the path under sources: (paths are relative to the workspace folder)", src.At, filepath.ToSlash(src.Path))
			}
			return usageErrorf("%s: source %q: %v", src.At, filepath.ToSlash(src.Path), err)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
