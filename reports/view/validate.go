package view

import "github.com/lifeboat-dev/lifeboat/graph"

// Validate is the view of `lifeboat validate`: every problem found, the
// map's size, and whether analyses accept it.
type Validate struct {
	Map MapInfo `json:"map"`
	// Sources are the sources read, as the user named them, in load order.
	Sources []string `json:"sources"`
	// Problems in position order (file, line, column).
	Problems []Problem `json:"problems"`
	// Nodes counts the map's nodes by kind; all zero when the map has
	// errors and could not be built.
	Nodes    Counts `json:"nodes"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Infos    int    `json:"infos"`
	// Cycles is the number of dependency cycles (legal; listed as
	// information or, for circular backup, as warnings).
	Cycles int `json:"cycles"`
	// Valid is true when there is no error.
	Valid bool `json:"valid"`
}

// NewValidate builds the validate view. m is nil when the map has errors;
// ps are all problems, errors and the rest; sources are the names read.
func NewValidate(m *graph.Map, ps graph.Problems, sources []string) *Validate {
	sorted := append(graph.Problems{}, ps...)
	sorted.Sort()
	v := &Validate{
		Map:      mapInfo(m),
		Sources:  strs(append([]string(nil), sources...)),
		Problems: Problems(sorted),
		Nodes:    CountMap(m),
		Errors:   ps.Count(graph.Error),
		Warnings: ps.Count(graph.Warning),
		Infos:    ps.Count(graph.Info),
	}
	if m != nil {
		v.Cycles = len(m.Cycles())
	}
	v.Valid = v.Errors == 0
	return v
}

// Import is the view of `lifeboat import`: what one source yields on its
// own, before merging with others.
type Import struct {
	Source   string    `json:"source"`
	Importer string    `json:"importer"`
	Nodes    Counts    `json:"nodes"`
	Problems []Problem `json:"problems"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
}

// NewImport builds the import view of one batch.
func NewImport(source string, b *graph.Batch) *Import {
	v := &Import{Source: source, Problems: []Problem{}}
	if b == nil {
		return v
	}
	ps := append(graph.Problems{}, b.Problems...)
	ps.Sort()
	v.Importer = b.Importer
	v.Nodes = CountBatch(b)
	v.Problems = Problems(ps)
	v.Errors = ps.Count(graph.Error)
	v.Warnings = ps.Count(graph.Warning)
	return v
}
