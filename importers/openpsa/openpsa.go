// Package openpsa imports fault trees written in the Open-PSA Model
// Exchange Format (MEF XML) as a lifeboat map; it reads monotone fault
// trees only (and, or, atleast) and no event trees.
//
// A fault tree is lifeboat's failure semantics: each top gate (one no other
// gate references) becomes a core function named after it, every other
// gate a system, and every basic event a vendor with its probability. The
// gate logic becomes requirements: an or gate fails when any input fails,
// so its node requires all of them; an and gate fails when all inputs fail,
// so it needs any(...) of them; atleast k of n fails when k or more fail,
// so it needs (n−k+1)of(...) of them. Nested formulas become nested
// groups, and a gate whose formula is a single reference requires just that.
//
// House events are constants: they are folded into the gates that use
// them (an Info problem names every gate folded away); a top gate that
// they make certain to fail is an error. Probabilities are point values:
// <float>, <int>, parameters, arithmetic, exponential, GLM, Weibull, the
// four-argument periodic-test and the means of random deviates are
// computed; anything else leaves the event without probability, with a
// warning.
//
// Names become ids unchanged when they are valid lifeboat ids; otherwise
// characters outside [A-Za-z0-9._:/-] become '-', and the original name is
// kept as the node's name and its "mef-name" attribute. Elements of
// private components are named by their path inside the fault tree
// ("t.E1"). A reference to a name defined in no file read together stays a
// reference, so that a model split over several sources (basic events in a
// file of their own) merges in graph.Builder; a name defined nowhere is
// reported there as an unknown node.
package openpsa

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/importers"
)

// DefaultMissionTime is the value of <system-mission-time/> in hours when
// Importer.MissionTime is zero: one year, as in SCRAM.
const DefaultMissionTime = 8760

// sniffSize is how much of a file Match reads.
const sniffSize = 8192

// Importer reads Open-PSA MEF files. The zero value is ready to use.
type Importer struct {
	// MissionTime is the time, in hours, that <system-mission-time/>
	// stands for in probability expressions; 0 means DefaultMissionTime.
	MissionTime float64
}

// Name returns "openpsa".
func (Importer) Name() string { return "openpsa" }

// Match reports whether src is a file named *.xml whose first bytes
// contain "<opsa-mef".
func (Importer) Match(src importers.Source) bool {
	if !strings.EqualFold(path.Ext(src.Path), ".xml") || src.FS == nil {
		return false
	}
	return sniff(src.FS, src.Path)
}

func sniff(fsys fs.FS, name string) bool {
	f, err := fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.IsDir() {
		return false
	}
	head := make([]byte, sniffSize)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], []byte("<opsa-mef"))
}

// Import reads src: one MEF file, or a folder whose *.xml files that look
// like MEF are read together as one model (so that references between them
// resolve here, house events and parameters included). Problems in the
// content are located problems in the batch; the error is for a source
// that cannot be read.
func (im Importer) Import(ctx context.Context, src importers.Source) (*graph.Batch, error) {
	name := src.Name
	if name == "" {
		name = src.Path
	}
	if src.FS == nil {
		return nil, fmt.Errorf("%s: no file system to read from", name)
	}
	st, err := fs.Stat(src.FS, src.Path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, pathErr(err))
	}
	type file struct{ path, name string }
	var files []file
	if st.IsDir() {
		entries, err := fs.ReadDir(src.FS, src.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, pathErr(err))
		}
		for _, e := range entries {
			p := path.Join(src.Path, e.Name())
			if !e.IsDir() && strings.EqualFold(path.Ext(p), ".xml") && sniff(src.FS, p) {
				files = append(files, file{p, path.Join(name, e.Name())})
			}
		}
		sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no Open-PSA files (*.xml with <opsa-mef>) in the folder", name)
		}
	} else {
		files = []file{{src.Path, name}}
	}
	mission := im.MissionTime
	if mission == 0 {
		mission = DefaultMissionTime
	}
	m := newModel(mission)
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := fs.ReadFile(src.FS, f.path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, pathErr(err))
		}
		root, p := parseXML(f.name, data)
		if p != nil {
			m.ps.Add(*p)
			continue
		}
		m.addFile(root)
	}
	return m.batch(name), nil
}

// pathErr drops the fs path from an error, since messages name the source
// as the user gave it.
func pathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
