package plan

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(data)
	}
	return out
}

func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plans")
	v1 := []File{{Name: "a.md", Data: []byte("one\n")}, {Name: "b.md", Data: []byte("two\n")}}

	// A new folder: everything is written and recorded.
	res, err := WriteFiles(dir, v1, Options{})
	if err != nil {
		t.Fatalf("WriteFiles(new): %v", err)
	}
	if diff := cmp.Diff(&WriteResult{Written: []string{"a.md", "b.md"}}, res); diff != "" {
		t.Errorf("WriteFiles(new) mismatch (-want +got):\n%s", diff)
	}
	var man manifest
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if man.Files["a.md"] != digest([]byte("one\n")) || len(man.Files) != 2 {
		t.Errorf("manifest = %+v", man)
	}

	// The same content again: nothing to do.
	res, err = WriteFiles(dir, v1, Options{})
	if err != nil {
		t.Fatalf("WriteFiles(same): %v", err)
	}
	if diff := cmp.Diff(&WriteResult{Unchanged: []string{"a.md", "b.md"}}, res); diff != "" {
		t.Errorf("WriteFiles(same) mismatch (-want +got):\n%s", diff)
	}

	// New content over files lifeboat wrote: replaced without asking.
	v2 := []File{{Name: "a.md", Data: []byte("one, v2\n")}, {Name: "b.md", Data: []byte("two\n")}}
	res, err = WriteFiles(dir, v2, Options{})
	if err != nil {
		t.Fatalf("WriteFiles(v2): %v", err)
	}
	if diff := cmp.Diff(&WriteResult{Written: []string{"a.md"}, Unchanged: []string{"b.md"}}, res); diff != "" {
		t.Errorf("WriteFiles(v2) mismatch (-want +got):\n%s", diff)
	}

	// The user edits a.md and adds c.md: a new run refuses and writes
	// nothing, not even the files nobody touched.
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.md"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readAll(t, dir)
	v3 := []File{{Name: "a.md", Data: []byte("one, v3\n")}, {Name: "b.md", Data: []byte("two, v3\n")}, {Name: "c.md", Data: []byte("three\n")}}
	_, err = WriteFiles(dir, v3, Options{})
	var ee *EditedError
	if !errors.As(err, &ee) {
		t.Fatalf("WriteFiles(edited) error = %v, want *EditedError", err)
	}
	if diff := cmp.Diff(&EditedError{Dir: dir, Edited: []string{"a.md"}, Foreign: []string{"c.md"}}, ee); diff != "" {
		t.Errorf("EditedError mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "--force") || !strings.Contains(err.Error(), "a.md") {
		t.Errorf("error %q does not name the file and the way out", err)
	}
	if diff := cmp.Diff(before, readAll(t, dir)); diff != "" {
		t.Errorf("a refused write changed the folder (-before +after):\n%s", diff)
	}

	// With Force, everything is replaced and recorded.
	res, err = WriteFiles(dir, v3, Options{Force: true})
	if err != nil {
		t.Fatalf("WriteFiles(force): %v", err)
	}
	if diff := cmp.Diff(&WriteResult{Written: []string{"a.md", "b.md", "c.md"}, Replaced: []string{"a.md", "c.md"}}, res); diff != "" {
		t.Errorf("WriteFiles(force) mismatch (-want +got):\n%s", diff)
	}
	got := readAll(t, dir)
	if got["a.md"] != "one, v3\n" || got["c.md"] != "three\n" {
		t.Errorf("after force: %q", got)
	}
	for name := range got {
		if strings.Contains(name, ".tmp-") {
			t.Errorf("temporary file %s left behind", name)
		}
	}
	// Files of earlier runs stay in the manifest.
	if _, err := WriteFiles(dir, []File{{Name: "d.md", Data: []byte("four\n")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	if m := readManifest(dir); len(m.Files) != 4 {
		t.Errorf("manifest has %d files, want 4: %v", len(m.Files), m.Files)
	}
}

func TestWriteFilesCorruptManifest(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteFiles(dir, []File{{Name: "a.md", Data: []byte("x")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Without a readable record, an existing file with other content is
	// not known to be lifeboat's: refused.
	_, err := WriteFiles(dir, []File{{Name: "a.md", Data: []byte("y")}}, Options{})
	var ee *EditedError
	if !errors.As(err, &ee) || len(ee.Foreign) != 1 {
		t.Errorf("WriteFiles(corrupt manifest) error = %v, want a foreign a.md", err)
	}
}

func TestWriteFilesNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"", "../x.md", "sub/x.md", ".", "..", ManifestName, `a\b.md`} {
		if _, err := WriteFiles(dir, []File{{Name: name, Data: []byte("x")}}, Options{}); err == nil {
			t.Errorf("WriteFiles(%q): no error", name)
		}
	}
	if _, err := WriteFiles(dir, []File{{Name: "a.md"}, {Name: "a.md"}}, Options{}); err == nil {
		t.Error("WriteFiles(duplicate names): no error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("bad names wrote %d files", len(ents))
	}
}

func TestWriteNorthbankTwice(t *testing.T) {
	b := northbankBook(t)
	files, err := b.Files(Markdown, HTML)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := WriteFiles(dir, files, Options{}); err != nil {
		t.Fatal(err)
	}
	// Output is deterministic: a second run changes nothing.
	files2, err := b.Files(Markdown, HTML)
	if err != nil {
		t.Fatal(err)
	}
	res, err := WriteFiles(dir, files2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 0 || len(res.Unchanged) != len(files) {
		t.Errorf("second run wrote %v", res.Written)
	}
}
