// Package raster draws a graph laid out by Graphviz to an image, from the
// xdot drawing operations of Graphviz's "json" output: polygons, ellipses,
// B-splines, polylines and text, with pen and fill colours, line widths
// and dashes. It uses no Graphviz and no cgo: shapes are filled with
// golang.org/x/image/vector and text is set in the Go fonts.
package raster

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// Options choose the size of the image.
type Options struct {
	// Scale is pixels per point (1/72 inch); 0 means 2.
	Scale float64
	// MaxPixels caps the image's area: a larger drawing is scaled down to
	// fit. 0 means 16 million (4000 × 4000).
	MaxPixels int
}

// maxExtent is the largest width or height of a layout, in points (about
// 350 m): beyond it the coordinates are not a drawing.
const maxExtent = 1e6

// op is one xdot drawing operation as Graphviz's json output writes it.
type op struct {
	Op       string       `json:"op"`
	Color    string       `json:"color"`
	Grad     string       `json:"grad"`
	Stops    []stop       `json:"stops"`
	Points   [][2]float64 `json:"points"`
	Rect     [4]float64   `json:"rect"`
	Style    string       `json:"style"`
	Size     float64      `json:"size"`
	Face     string       `json:"face"`
	Pt       [2]float64   `json:"pt"`
	Align    string       `json:"align"`
	Width    float64      `json:"width"`
	Text     string       `json:"text"`
	Fontchar int          `json:"fontchar"`
}

type stop struct {
	Frac  float64 `json:"frac"`
	Color string  `json:"color"`
}

type object struct {
	Draw   []op `json:"_draw_"`
	LDraw  []op `json:"_ldraw_"`
	HDraw  []op `json:"_hdraw_"`
	TDraw  []op `json:"_tdraw_"`
	HLDraw []op `json:"_hldraw_"`
	TLDraw []op `json:"_tldraw_"`
}

type document struct {
	object
	BB          string   `json:"bb"`
	Pad         string   `json:"pad"`
	SubgraphCnt int      `json:"_subgraph_cnt"`
	Objects     []object `json:"objects"`
	Edges       []object `json:"edges"`
}

// Draw draws the graph of a Graphviz "json" (xdot 1.7) document on a white
// image: clusters, then edges, then nodes, as Graphviz's SVG does with
// outputorder=edgesfirst.
func Draw(doc []byte, opt Options) (*image.RGBA, error) {
	var d document
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("raster: reading the layout: %w", err)
	}
	bb, err := parseBB(d.BB)
	if err != nil {
		return nil, err
	}
	pad := 4.0 // Graphviz's default, in points
	if d.Pad != "" {
		if p, err := strconv.ParseFloat(strings.Fields(strings.ReplaceAll(d.Pad, ",", " "))[0], 64); err == nil {
			pad = p * 72
		}
	}
	x0, y0, x1, y1 := bb[0]-pad, bb[1]-pad, bb[2]+pad, bb[3]+pad
	scale := opt.Scale
	if scale <= 0 {
		scale = 2
	}
	maxPx := opt.MaxPixels
	if maxPx <= 0 {
		maxPx = 16_000_000
	}
	wPt, hPt := x1-x0, y1-y0
	if !(wPt > 0 && hPt > 0) { // also NaN
		return nil, errors.New("raster: empty layout")
	}
	if wPt > maxExtent || hPt > maxExtent {
		return nil, fmt.Errorf("raster: layout of %.0f × %.0f points is too large", wPt, hPt)
	}
	if area := wPt * hPt * scale * scale; area > float64(maxPx) {
		scale *= math.Sqrt(float64(maxPx) / area)
	}
	w, h := int(math.Ceil(wPt*scale)), int(math.Ceil(hPt*scale))
	for w*h > maxPx && scale > 0 { // rounding up went over
		scale *= 0.995
		w, h = int(math.Ceil(wPt*scale)), int(math.Ceil(hPt*scale))
	}
	if w < 1 || h < 1 {
		return nil, errors.New("raster: the image would be empty")
	}
	c := newCanvas(w, h, scale, x0, y1)
	c.fillRect(color.RGBA{255, 255, 255, 255})

	// Every object starts from the default state; its attributes share
	// it, in the order Graphviz emits them.
	c.object(d.Draw)
	for i := 0; i < d.SubgraphCnt && i < len(d.Objects); i++ {
		c.object(d.Objects[i].Draw, d.Objects[i].LDraw)
	}
	for _, e := range d.Edges {
		c.object(e.Draw, e.TDraw, e.HDraw, e.LDraw, e.TLDraw, e.HLDraw)
	}
	for i := min(d.SubgraphCnt, len(d.Objects)); i < len(d.Objects); i++ {
		c.object(d.Objects[i].Draw, d.Objects[i].LDraw)
	}
	c.object(d.LDraw)
	return c.img, nil
}

func parseBB(s string) ([4]float64, error) {
	var bb [4]float64
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return bb, fmt.Errorf("raster: bad bounding box %q", s)
	}
	for i, x := range f {
		v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return bb, fmt.Errorf("raster: bad bounding box %q", s)
		}
		bb[i] = v
	}
	return bb, nil
}

// parseColor reads "#rrggbb", "#rrggbbaa" or a few names; anything else
// is black, and "none" or "transparent" is fully transparent.
func parseColor(s string) color.RGBA {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "#") {
		hex := s[1:]
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		if len(hex) == 6 {
			hex += "ff"
		}
		if v, err := strconv.ParseUint(hex, 16, 32); err == nil && len(hex) == 8 {
			return color.RGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
		}
		return color.RGBA{0, 0, 0, 255}
	}
	switch strings.ToLower(s) {
	case "none", "transparent", "invis":
		return color.RGBA{}
	case "white":
		return color.RGBA{255, 255, 255, 255}
	case "red":
		return color.RGBA{255, 0, 0, 255}
	case "lightgrey", "lightgray":
		return color.RGBA{211, 211, 211, 255}
	case "grey", "gray":
		return color.RGBA{190, 190, 190, 255}
	}
	return color.RGBA{0, 0, 0, 255}
}
