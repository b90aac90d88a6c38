package raster

import (
	"image"
	"image/color"
	"strings"
	"testing"
)

const doc = `{
  "bb": "0,0,100,50", "pad": "0",
  "_draw_": [{"op": "c", "grad": "none", "color": "#fffffe00"}, {"op": "C", "grad": "none", "color": "#ffffff"},
             {"op": "P", "points": [[0,0],[0,50],[100,50],[100,0]]}],
  "_subgraph_cnt": 1,
  "objects": [
    {"name": "cluster_0", "_draw_": [{"op": "c", "color": "#888888"}, {"op": "p", "points": [[2,2],[2,48],[98,48],[98,2]]}]},
    {"name": "a", "_draw_": [{"op": "S", "style": "setlinewidth(2)"}, {"op": "c", "color": "#000000"}, {"op": "C", "color": "#ff0000"},
                             {"op": "P", "points": [[10,10],[10,40],[40,40],[40,10]]}],
     "_ldraw_": [{"op": "F", "size": 14, "face": "Helvetica"}, {"op": "c", "color": "#0000ff"},
                 {"op": "t", "fontchar": 1}, {"op": "T", "pt": [70, 20], "align": "c", "width": 20, "text": "Hi"}]},
    {"name": "b", "_draw_": [{"op": "c", "color": "#00aa00"}, {"op": "C", "color": "#00ff00"}, {"op": "E", "rect": [70, 38, 6, 6]}]}
  ],
  "edges": [
    {"_draw_": [{"op": "c", "color": "#000000"}, {"op": "b", "points": [[45,5],[60,5],[75,5],[95,5]]}],
     "_hdraw_": [{"op": "S", "style": "solid"}, {"op": "C", "color": "#000000"}, {"op": "P", "points": [[95,3],[99,5],[95,7]]}]},
    {"_draw_": [{"op": "S", "style": "dashed"}, {"op": "c", "color": "#000000"}, {"op": "L", "points": [[5,45],[95,45]]}]}
  ]
}`

func at(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }

func TestDraw(t *testing.T) {
	img, err := Draw([]byte(doc), Options{Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, 100, 50) {
		t.Fatalf("bounds %v, want 100×50", got)
	}
	// y is flipped: Graphviz's y=25 is row 25, y=38 is row 12.
	for _, tc := range []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{"filled polygon", 25, 25, color.RGBA{255, 0, 0, 255}},
		{"its outline", 10, 25, color.RGBA{0, 0, 0, 255}},
		{"filled ellipse", 70, 12, color.RGBA{0, 255, 0, 255}},
		{"background", 60, 30, color.RGBA{255, 255, 255, 255}},
	} {
		if got := at(img, tc.x, tc.y); got != tc.want {
			t.Errorf("%s at (%d, %d) = %v, want %v", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
	// The edge along Graphviz's y=5, 1 point wide: half on row 44, half
	// on row 45.
	if a, b := at(img, 60, 44), at(img, 60, 45); a.R > 140 || b.R > 140 {
		t.Errorf("edge at x=60: rows 44 and 45 are %v and %v, want both half inked", a, b)
	}
	// The text: blue ink near its anchor.
	blue := 0
	for y := 20; y < 33; y++ {
		for x := 55; x < 85; x++ {
			if c := at(img, x, y); c.B > 150 && c.R < 120 {
				blue++
			}
		}
	}
	if blue < 10 {
		t.Errorf("text: %d blue pixels, want some", blue)
	}
	// The dashed line along row 5: ink with gaps.
	ink := 0
	for x := 5; x < 95; x++ {
		if c := at(img, x, 5); c.R < 128 {
			ink++
		}
	}
	if ink < 40 || ink > 85 {
		t.Errorf("dashed line: %d of 90 pixels inked, want dashes", ink)
	}
}

func TestDrawScaleAndCap(t *testing.T) {
	img, err := Draw([]byte(doc), Options{Scale: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(300, 150) {
		t.Errorf("scale 3: size %v, want 300×150", got)
	}
	img, err = Draw([]byte(doc), Options{Scale: 3, MaxPixels: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X*s.Y > 5000 || s.X < 90 {
		t.Errorf("capped at 5000 pixels: size %v", s)
	}
}

func TestDrawErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", "digraph {}", "reading the layout"},
		{"no bounding box", `{"objects": []}`, "bounding box"},
		{"bad bounding box", `{"bb": "0,0,x,1"}`, "bounding box"},
		{"empty", `{"bb": "0,0,0,0", "pad": "0"}`, "empty"},
		{"huge", `{"bb": "0,0,1e300,1"}`, "too large"},
	} {
		_, err := Draw([]byte(tc.doc), Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestParseColor(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want color.RGBA
	}{
		{"#ff8000", color.RGBA{255, 128, 0, 255}},
		{"#ff800080", color.RGBA{255, 128, 0, 128}},
		{"#f80", color.RGBA{255, 136, 0, 255}},
		{"none", color.RGBA{}},
		{"white", color.RGBA{255, 255, 255, 255}},
		{"#zzzzzz", color.RGBA{0, 0, 0, 255}},
		{"chartreuse", color.RGBA{0, 0, 0, 255}},
	} {
		if got := parseColor(tc.in); got != tc.want {
			t.Errorf("parseColor(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzDraw feeds Draw arbitrary layouts: it must return an image or an
// error, never panic.
func FuzzDraw(f *testing.F) {
	f.Add([]byte(doc))
	f.Add([]byte(`{"bb": "0,0,10,10", "objects": [{"_draw_": [{"op": "B", "points": [[0,0]]}, {"op": "T", "text": "x"}]}]}`))
	f.Add([]byte(`{"bb": "-5,-5,5,5", "_draw_": [{"op": "S", "style": "setlinewidth(1e9)"}, {"op": "L", "points": [[1e9,0],[-1e9,3]]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := Draw(b, Options{MaxPixels: 20000})
		if err == nil && img.Bounds().Dx()*img.Bounds().Dy() > 20000 {
			t.Errorf("image %v above the cap", img.Bounds())
		}
	})
}
