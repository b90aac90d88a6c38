package render_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image"
	"image/color"
	_ "image/png"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/reports/diagram"
	"github.com/lifeboat-dev/lifeboat/reports/diagram/render"
)

// checkSVG checks that b is a well-formed SVG document of some size that
// names the given node ids in its titles.
func checkSVG(t *testing.T, name string, b []byte, ids ...string) {
	t.Helper()
	if len(b) < 2000 {
		t.Errorf("%s: SVG of %d bytes, want more", name, len(b))
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	titles := map[string]bool{}
	inTitle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: SVG does not parse: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			inTitle = tok.Name.Local == "title"
		case xml.CharData:
			if inTitle {
				titles[string(tok)] = true
			}
		case xml.EndElement:
			inTitle = false
		}
	}
	if root != "svg" {
		t.Errorf("%s: root element %q, want svg", name, root)
	}
	for _, id := range ids {
		if !titles[id] {
			t.Errorf("%s: SVG has no title %q", name, id)
		}
	}
}

// checkPNG decodes b and checks its size and that it is not blank: some
// share of its pixels is neither white nor near it, and each of the
// colours given appears.
func checkPNG(t *testing.T, name string, b []byte, colours ...color.RGBA) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: PNG does not decode: %v", name, err)
	}
	if format != "png" {
		t.Errorf("%s: format %q, want png", name, format)
	}
	r := img.Bounds()
	if r.Dx() < 200 || r.Dy() < 100 {
		t.Errorf("%s: %v, want at least 200×100", name, r)
	}
	ink := 0
	seen := map[color.RGBA]bool{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if c.R < 240 || c.G < 240 || c.B < 240 {
				ink++
			}
			seen[c] = true
		}
	}
	if share := float64(ink) / float64(r.Dx()*r.Dy()); share < 0.02 {
		t.Errorf("%s: only %.2f%% of the pixels are drawn on", name, 100*share)
	}
	for _, c := range colours {
		if !seen[c] {
			t.Errorf("%s: no pixel of colour %v", name, c)
		}
	}
	return img
}

func TestNorthbankRenders(t *testing.T) {
	m := loadNorthbank(t)
	d := diagram.MapView(m, diagram.Options{})
	ctx := context.Background()
	svg, err := render.SVG(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, "map", svg, "sentinel-shield-edr", "card-payments")
	png, err := render.PNG(ctx, d, render.PNGOptions{Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The fills of vendors, systems and core functions.
	checkPNG(t, "map", png, color.RGBA{0xfb, 0xdc, 0xa8, 0xff}, color.RGBA{0xe8, 0xec, 0xef, 0xff}, color.RGBA{0xbc, 0xd6, 0xee, 0xff})

	again, err := render.SVG(ctx, diagram.MapView(loadNorthbank(t), diagram.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(svg, again) {
		t.Errorf("the SVG of the same map differs between two runs")
	}
}

func TestPNGSizeCap(t *testing.T) {
	m := loadNorthbank(t)
	d := diagram.MapView(m, diagram.Options{})
	png, err := render.PNG(context.Background(), d, render.PNGOptions{MaxPixels: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	img := checkPNG(t, "capped", png)
	if r := img.Bounds(); r.Dx()*r.Dy() > 1_000_000 {
		t.Errorf("capped PNG is %v, more than 1 million pixels", r)
	}
}

// TestConcurrent renders from several goroutines at once: Graphviz is not
// safe for concurrent use, and the lock must make it so.
func TestConcurrent(t *testing.T) {
	m := gen.Generate(gen.Options{Functions: 5, Systems: 40, Vendors: 15, Seed: 1, EdgesPerNode: 2})
	d := diagram.MapView(m, diagram.Options{})
	want, err := render.SVG(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	got := make([][]byte, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = render.SVG(context.Background(), d)
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(got[i], want) {
			t.Errorf("concurrent render %d differs", i)
		}
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := render.SVG(ctx, diagram.MapView(nil, diagram.Options{})); err == nil {
		t.Errorf("SVG with a canceled context gave no error")
	}
}

func TestLayoutBadDOT(t *testing.T) {
	_, err := render.Layout(context.Background(), []byte("digraph { a -> "), "svg")
	if err == nil || !strings.Contains(err.Error(), "render") {
		t.Errorf("Layout(bad DOT) error = %v", err)
	}
}

// genView is the collapsed map view of a generated map of n nodes.
func genView(b testing.TB, f, s, v int, opt diagram.Options) *diagram.Diagram {
	b.Helper()
	m := gen.Generate(gen.Options{Functions: f, Systems: s, Vendors: v, Seed: 7})
	return diagram.MapView(m, opt)
}

// BenchmarkSVGCollapsed300 renders the map view of a 100k-node map,
// collapsed to 300 nodes, to SVG.
func BenchmarkSVGCollapsed300(b *testing.B) {
	benchSVG(b, genView(b, 1000, 89000, 10000, diagram.Options{}))
}

func benchSVG(b *testing.B, d *diagram.Diagram) {
	ctx := context.Background()
	if _, err := render.SVG(ctx, d); err != nil { // start Graphviz
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := render.SVG(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(d.Nodes)), "nodes")
	b.ReportMetric(float64(len(d.Edges)), "edges")
}

// BenchmarkSVGFull300 renders the full map view of a 300-node map with
// three requirements per node (junctions and fallbacks come on top).
func BenchmarkSVGFull300(b *testing.B) {
	m := gen.Generate(gen.Options{Functions: 20, Systems: 220, Vendors: 60, Seed: 7, EdgesPerNode: 3})
	benchSVG(b, diagram.MapView(m, diagram.Options{MaxNodes: -1}))
}

// BenchmarkSVGNorthbank renders the example's map view to SVG.
func BenchmarkSVGNorthbank(b *testing.B) {
	m, _, err := registryLoad()
	if err != nil {
		b.Fatal(err)
	}
	benchSVG(b, diagram.MapView(m, diagram.Options{}))
}

// BenchmarkPNGNorthbank renders the example's map view to PNG.
func BenchmarkPNGNorthbank(b *testing.B) {
	m, _, err := registryLoad()
	if err != nil {
		b.Fatal(err)
	}
	d := diagram.MapView(m, diagram.Options{})
	ctx := context.Background()
	for b.Loop() {
		if _, err := render.PNG(ctx, d, render.PNGOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
