package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/internal/atomicfile"
)

// ManifestName is the file in an output folder that records what lifeboat
// wrote there: each file's name and the SHA-256 of the content written.
// A file whose content no longer matches was changed by someone else.
const ManifestName = ".lifeboat-plans.json"

// Options choose how WriteFiles treats existing files.
type Options struct {
	// Force replaces files that were changed since lifeboat wrote them, and
	// files lifeboat did not write.
	Force bool
}

// WriteResult says what WriteFiles did, each list in the order given.
type WriteResult struct {
	// Written are the files created or replaced.
	Written []string
	// Unchanged are the files that already had the content.
	Unchanged []string
	// Replaced are the files that were changed by someone else (or not
	// written by lifeboat) and were replaced because of Options.Force.
	Replaced []string
}

// EditedError is returned when files in the output folder were changed
// since lifeboat wrote them, or were not written by lifeboat, and would be
// replaced. Nothing is written then.
type EditedError struct {
	Dir string
	// Edited are files whose content differs from what lifeboat wrote;
	// Foreign are files lifeboat has no record of writing. Both sorted.
	Edited, Foreign []string
}

// Error names the files and the way out: move the edits, or --force.
func (e *EditedError) Error() string {
	var parts []string
	if len(e.Edited) > 0 {
		parts = append(parts, fmt.Sprintf("%s changed since lifeboat wrote %s (%s)", plural(len(e.Edited), "file"), themIt(len(e.Edited)), strings.Join(e.Edited, ", ")))
	}
	if len(e.Foreign) > 0 {
		parts = append(parts, fmt.Sprintf("%s not written by lifeboat (%s)", plural(len(e.Foreign), "file"), strings.Join(e.Foreign, ", ")))
	}
	return fmt.Sprintf("%s: %s; nothing was written; move your edits elsewhere, or use --force to replace them", e.Dir, strings.Join(parts, "; "))
}

func themIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// manifest is the content of ManifestName.
type manifest struct {
	Generator string            `json:"generator"`
	Files     map[string]string `json:"files"` // name → "sha256:<hex>"
}

func digest(data []byte) string {
	h := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(h[:])
}

// WriteFiles writes files into dir (created if missing), each whole or not
// at all (a temporary file renamed over the old one), and records them in
// dir's manifest (ManifestName). Before writing anything it checks every
// file that already exists: one whose content differs both from the new
// content and from what lifeboat last wrote there (or that lifeboat has no
// record of) was changed by someone else, and WriteFiles refuses with an
// *EditedError unless opt.Force is set. A file that already has the new
// content is left alone. Names must be plain file names, not paths, and
// not the manifest's.
func WriteFiles(dir string, files []File, opt Options) (*WriteResult, error) {
	seen := map[string]bool{}
	for _, f := range files {
		if f.Name == "" || f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." || f.Name == ManifestName ||
			strings.ContainsAny(f.Name, `/\`) {
			return nil, fmt.Errorf("plan: %q is not a file name lifeboat can write", f.Name)
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("plan: %q is given twice", f.Name)
		}
		seen[f.Name] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	man := readManifest(dir)

	res := &WriteResult{}
	var edited, foreign []string
	var todo []File
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		old, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			todo = append(todo, f)
			continue
		case err != nil:
			return nil, fmt.Errorf("plan: %w", err)
		}
		if bytes.Equal(old, f.Data) {
			res.Unchanged = append(res.Unchanged, f.Name)
			man.Files[f.Name] = digest(f.Data)
			continue
		}
		rec, ok := man.Files[f.Name]
		switch {
		case !ok:
			foreign = append(foreign, f.Name)
		case rec != digest(old):
			edited = append(edited, f.Name)
		}
		todo = append(todo, f)
	}
	if len(edited)+len(foreign) > 0 {
		if !opt.Force {
			slices.Sort(edited)
			slices.Sort(foreign)
			return nil, &EditedError{Dir: dir, Edited: edited, Foreign: foreign}
		}
		res.Replaced = append(append(res.Replaced, edited...), foreign...)
		slices.Sort(res.Replaced)
	}
	for _, f := range todo {
		if err := writeAtomic(filepath.Join(dir, f.Name), f.Data); err != nil {
			return res, err
		}
		man.Files[f.Name] = digest(f.Data)
		res.Written = append(res.Written, f.Name)
	}
	data, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return res, fmt.Errorf("plan: %w", err)
	}
	if err := writeAtomic(filepath.Join(dir, ManifestName), append(data, '\n')); err != nil {
		return res, err
	}
	return res, nil
}

// readManifest reads dir's manifest; a missing or unreadable one is empty,
// so that every existing file counts as not written by lifeboat.
func readManifest(dir string) *manifest {
	m := &manifest{Generator: "lifeboat", Files: map[string]string{}}
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return m
	}
	var got manifest
	if json.Unmarshal(data, &got) != nil || got.Files == nil {
		return m
	}
	m.Files = got.Files
	return m
}

// writeAtomic writes data to path whole or not at all.
func writeAtomic(path string, data []byte) error { return atomicfile.Write(path, data, 0o644) }

// WriteFile writes one file whole or not at all (a temporary file in the
// same folder, renamed over path), for single-file outputs such as the
// register.
func WriteFile(path string, data []byte) error { return writeAtomic(path, data) }
