// Package render lays diagrams out with Graphviz's dot and draws them as
// SVG or PNG, in-process: Graphviz runs as WebAssembly through
// github.com/goccy/go-graphviz, and PNGs are drawn in Go from the layout
// (go-graphviz's own PNG renderer drops strokes). Nothing here is safe to
// run concurrently inside Graphviz, so every call takes one lock.
//
// Cost: go-graphviz compiles its WebAssembly engine when a program that
// links this package starts (in go-graphviz's own package initialisation,
// cached on disk under the system's temporary folder after the first
// run). Programs that only build diagrams or write DOT and Mermaid should
// import reports/diagram alone, which does not link Graphviz.
package render

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/lifeboat-dev/lifeboat/reports/diagram"
	"github.com/lifeboat-dev/lifeboat/reports/diagram/internal/raster"
)

// mu serialises every use of Graphviz: its WebAssembly instance is not
// safe for concurrent use.
var (
	mu sync.Mutex
	gv *graphviz.Graphviz // created on first use, under mu
)

// engine returns the Graphviz context, creating it on first use. The
// caller holds mu.
func engine(ctx context.Context) (*graphviz.Graphviz, error) {
	if gv != nil {
		return gv, nil
	}
	g, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("render: starting graphviz: %w", err)
	}
	gv = g
	return gv, nil
}

// Layout runs Graphviz's dot on a DOT document and returns its output in
// one of Graphviz's formats: "svg", "json" (with xdot drawing
// operations), "dot" (with positions) and the others it knows. ctx is
// checked before the layout starts; Graphviz cannot be interrupted once it
// has. Calls wait for each other.
func Layout(ctx context.Context, dot []byte, format string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	g, err := engine(ctx)
	if err != nil {
		return nil, err
	}
	gr, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("render: reading DOT: %w", err)
	}
	defer gr.Close()
	var buf bytes.Buffer
	if err := g.Render(ctx, gr, graphviz.Format(format), &buf); err != nil {
		return nil, fmt.Errorf("render: laying out: %w", err)
	}
	return buf.Bytes(), nil
}

func dotOf(d *diagram.Diagram) ([]byte, error) {
	var buf bytes.Buffer
	if err := diagram.WriteDOT(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SVG lays d out and returns it as an SVG document. Node titles are the
// map's ids, and tooltips carry the details. Equal diagrams give
// byte-identical SVG.
func SVG(ctx context.Context, d *diagram.Diagram) ([]byte, error) {
	dot, err := dotOf(d)
	if err != nil {
		return nil, err
	}
	return Layout(ctx, dot, "svg")
}

// Encode writes d in format f: DOT and Mermaid without Graphviz, SVG and
// PNG (with default options) through it.
func Encode(ctx context.Context, d *diagram.Diagram, f diagram.Format) ([]byte, error) {
	var buf bytes.Buffer
	switch f {
	case diagram.FormatDOT:
		err := diagram.WriteDOT(&buf, d)
		return buf.Bytes(), err
	case diagram.FormatMermaid:
		err := diagram.WriteMermaid(&buf, d)
		return buf.Bytes(), err
	case diagram.FormatSVG:
		return SVG(ctx, d)
	case diagram.FormatPNG:
		return PNG(ctx, d, PNGOptions{})
	}
	return nil, fmt.Errorf("render: unknown format %v", f)
}

// PNGOptions choose the size of a PNG.
type PNGOptions struct {
	// Scale is pixels per point (1/72 inch); 0 means 2, sharp on screens
	// and in print.
	Scale float64
	// MaxPixels caps the image's area; a larger drawing is scaled down to
	// fit. 0 means 16 million (4000 × 4000).
	MaxPixels int
}

// PNG lays d out with Graphviz and draws it as a PNG image in Go: the
// same layout, shapes, colours and text as the SVG, in the Go fonts.
func PNG(ctx context.Context, d *diagram.Diagram, opt PNGOptions) ([]byte, error) {
	dot, err := dotOf(d)
	if err != nil {
		return nil, err
	}
	js, err := Layout(ctx, dot, "json")
	if err != nil {
		return nil, err
	}
	img, err := raster.Draw(js, raster.Options{Scale: opt.Scale, MaxPixels: opt.MaxPixels})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("render: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}
