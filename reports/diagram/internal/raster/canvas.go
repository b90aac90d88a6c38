package raster

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

type pt struct{ x, y float64 }

// canvas holds the image and the drawing state of the xdot operations.
type canvas struct {
	img    *image.RGBA
	scale  float64
	x0, y1 float64 // the drawing's left and top edge, in points

	pen, fill  color.RGBA
	lineWidth  float64 // points
	dash       []float64
	fontSize   float64
	fontFace   string
	fontFlags  int
	rasterizer vector.Rasterizer
	faces      map[faceKey]font.Face
}

func newCanvas(w, h int, scale, x0, y1 float64) *canvas {
	return &canvas{
		img:   image.NewRGBA(image.Rect(0, 0, w, h)),
		scale: scale, x0: x0, y1: y1,
		pen: color.RGBA{0, 0, 0, 255}, fill: color.RGBA{0, 0, 0, 255},
		lineWidth: 1, fontSize: 14, fontFace: "Helvetica",
		faces: map[faceKey]font.Face{},
	}
}

// px maps a point in Graphviz coordinates (points, y up) to pixels,
// clamped to a band around the image so that stray coordinates cannot
// overflow the rasterizer.
func (c *canvas) px(p [2]float64) pt {
	return pt{clampPx((p[0] - c.x0) * c.scale), clampPx((c.y1 - p[1]) * c.scale)}
}

func clampPx(v float64) float64 {
	const lim = 4 * maxExtent
	if v != v { // NaN
		return 0
	}
	return math.Max(-lim, math.Min(lim, v))
}

func (c *canvas) fillRect(col color.RGBA) {
	draw.Draw(c.img, c.img.Bounds(), image.NewUniform(col), image.Point{}, draw.Src)
}

// object draws one graph, cluster, node or edge: its attributes' operations
// in order, from the default state.
func (c *canvas) object(attrs ...[]op) {
	c.pen, c.fill = color.RGBA{0, 0, 0, 255}, color.RGBA{0, 0, 0, 255}
	c.lineWidth, c.dash = 1, nil
	c.fontSize, c.fontFace, c.fontFlags = 14, "Times-Roman", 0
	for _, ops := range attrs {
		c.run(ops)
	}
}

// run executes drawing operations in order.
func (c *canvas) run(ops []op) {
	for i := range ops {
		o := &ops[i]
		switch o.Op {
		case "c":
			c.pen = opColor(o)
		case "C":
			c.fill = opColor(o)
		case "S":
			c.setStyle(o.Style)
		case "F":
			c.fontSize, c.fontFace = o.Size, o.Face
		case "t":
			c.fontFlags = o.Fontchar
		case "P", "p":
			pts := c.points(o.Points)
			if o.Op == "P" {
				c.fillPath(pts)
			}
			c.stroke(closePath(pts))
		case "L":
			c.stroke(c.points(o.Points))
		case "B", "b":
			// Graphviz's json output writes a filled B-spline as "B"
			// and an open one as "b", like P/p and E/e.
			pts := c.bezier(o.Points)
			if o.Op == "B" {
				c.fillPath(pts)
			}
			c.stroke(pts)
		case "E", "e":
			pts := c.ellipse(o.Rect)
			if o.Op == "E" {
				c.fillPath(pts)
			}
			c.stroke(closePath(pts))
		case "T":
			c.text(o)
		}
	}
}

func opColor(o *op) color.RGBA {
	if o.Grad != "" && o.Grad != "none" && len(o.Stops) > 0 {
		return parseColor(o.Stops[0].Color)
	}
	return parseColor(o.Color)
}

// setStyle applies an xdot style: a dash pattern or a line width. Widths
// and dashes are in points, as in Graphviz's SVG.
func (c *canvas) setStyle(s string) {
	switch {
	case s == "solid":
		c.dash = nil
	case s == "dashed":
		c.dash = []float64{5, 2}
	case s == "dotted":
		c.dash = []float64{1, 5}
	case s == "bold":
		c.lineWidth = 2
	case s == "invis" || s == "invisible":
		c.pen = color.RGBA{}
	case strings.HasPrefix(s, "setlinewidth(") && strings.HasSuffix(s, ")"):
		if w, err := strconv.ParseFloat(s[len("setlinewidth("):len(s)-1], 64); err == nil && w >= 0 {
			c.lineWidth = math.Min(w, 100)
		}
	}
}

func (c *canvas) points(ps [][2]float64) []pt {
	out := make([]pt, len(ps))
	for i, p := range ps {
		out[i] = c.px(p)
	}
	return out
}

func closePath(ps []pt) []pt {
	if len(ps) > 1 && ps[0] != ps[len(ps)-1] {
		return append(ps, ps[0])
	}
	return ps
}

// bezier flattens an xdot B-spline (a start point, then three points per
// cubic segment) into a polyline in pixels.
func (c *canvas) bezier(ps [][2]float64) []pt {
	if len(ps) == 0 {
		return nil
	}
	p := c.points(ps)
	out := []pt{p[0]}
	for i := 1; i+2 < len(p); i += 3 {
		a, b1, b2, d := p[i-1], p[i], p[i+1], p[i+2]
		l := dist(a, b1) + dist(b1, b2) + dist(b2, d)
		n := max(1, min(64, int(l/3)))
		for k := 1; k <= n; k++ {
			t := float64(k) / float64(n)
			u := 1 - t
			out = append(out, pt{
				u*u*u*a.x + 3*u*u*t*b1.x + 3*u*t*t*b2.x + t*t*t*d.x,
				u*u*u*a.y + 3*u*u*t*b1.y + 3*u*t*t*b2.y + t*t*t*d.y,
			})
		}
	}
	return out
}

// ellipse is the outline of an xdot ellipse: centre and radii, in points.
func (c *canvas) ellipse(r [4]float64) []pt {
	ctr := c.px([2]float64{r[0], r[1]})
	rx, ry := math.Min(math.Abs(r[2])*c.scale, 4*maxExtent), math.Min(math.Abs(r[3])*c.scale, 4*maxExtent)
	n := max(16, min(128, int((rx+ry)/2)))
	out := make([]pt, n)
	for k := range out {
		a := 2 * math.Pi * float64(k) / float64(n)
		out[k] = pt{ctr.x + rx*math.Cos(a), ctr.y + ry*math.Sin(a)}
	}
	return out
}

func dist(a, b pt) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

// bounds is the pixel rectangle covering ps grown by m, clipped to the
// image.
func (c *canvas) bounds(ps []pt, m float64) image.Rectangle {
	if len(ps) == 0 {
		return image.Rectangle{}
	}
	minX, minY, maxX, maxY := ps[0].x, ps[0].y, ps[0].x, ps[0].y
	for _, p := range ps[1:] {
		minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
		minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
	}
	r := image.Rect(int(math.Floor(minX-m)), int(math.Floor(minY-m)), int(math.Ceil(maxX+m))+1, int(math.Ceil(maxY+m))+1)
	return r.Intersect(c.img.Bounds())
}

// paint fills the polygons (each closed implicitly) with col, the union
// of them when they wind the same way.
func (c *canvas) paint(polys [][]pt, r image.Rectangle, col color.RGBA) {
	if r.Empty() || col.A == 0 {
		return
	}
	z := &c.rasterizer
	z.Reset(r.Dx(), r.Dy())
	z.DrawOp = draw.Over
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	for _, ps := range polys {
		if len(ps) < 3 {
			continue
		}
		z.MoveTo(float32(ps[0].x)-ox, float32(ps[0].y)-oy)
		for _, p := range ps[1:] {
			z.LineTo(float32(p.x)-ox, float32(p.y)-oy)
		}
		z.ClosePath()
	}
	z.Draw(c.img, r, image.NewUniform(col), image.Point{})
}

func (c *canvas) fillPath(ps []pt) {
	c.paint([][]pt{ps}, c.bounds(ps, 1), c.fill)
}

// stroke draws the polyline ps with the pen: every segment as a
// rectangle, every vertex as a disc (round joins and caps), all wound the
// same way so that the rasterizer fills their union; dashed when a dash
// pattern is set.
func (c *canvas) stroke(ps []pt) {
	if len(ps) < 2 || c.pen.A == 0 || c.lineWidth <= 0 {
		return
	}
	hw := math.Max(c.lineWidth*c.scale, 0.8) / 2
	// Paint in chunks of a few segments, so that a long edge across the
	// drawing does not make the rasterizer cover the whole image; chunks
	// overlap in a disc only.
	const chunk = 8
	var polys [][]pt
	var span []pt
	flush := func() {
		if len(polys) > 0 {
			c.paint(polys, c.bounds(span, hw+1), c.pen)
		}
		polys, span = polys[:0], span[:0]
	}
	for _, run := range c.dashes(ps) {
		for i := 1; i < len(run); i++ {
			a, b := run[i-1], run[i]
			l := dist(a, b)
			if l == 0 {
				continue
			}
			nx, ny := -(b.y-a.y)/l*hw, (b.x-a.x)/l*hw
			polys = append(polys, []pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}})
			if hw > 0.75 {
				if len(span) == 0 {
					polys = append(polys, disc(a, hw))
				}
				polys = append(polys, disc(b, hw))
			}
			span = append(span, a, b)
			if len(span) >= 2*chunk {
				flush()
			}
		}
		flush()
	}
}

// disc is a circle around p wound the way stroke's rectangles are.
func disc(p pt, r float64) []pt {
	n := max(8, min(32, int(r*4)))
	out := make([]pt, n)
	for k := range out {
		a := -2 * math.Pi * float64(k) / float64(n)
		out[k] = pt{p.x + r*math.Cos(a), p.y + r*math.Sin(a)}
	}
	return out
}

// dashes splits a polyline into its dashes; without a dash pattern it is
// one run.
func (c *canvas) dashes(ps []pt) [][]pt {
	if len(c.dash) == 0 {
		return [][]pt{ps}
	}
	pat := make([]float64, len(c.dash))
	for i, d := range c.dash {
		// Dashes scale with the line, as in SVG viewers.
		pat[i] = math.Max(d*c.scale*math.Max(c.lineWidth, 1), 1)
	}
	var out [][]pt
	k, left, on := 0, pat[0], true
	cur := []pt{ps[0]}
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		l := dist(a, b)
		pos := 0.0
		for l-pos > left {
			pos += left
			t := pos / l
			q := pt{a.x + (b.x-a.x)*t, a.y + (b.y-a.y)*t}
			if on {
				out = append(out, append(cur, q))
			}
			cur = []pt{q}
			on = !on
			k = (k + 1) % len(pat)
			left = pat[k]
		}
		left -= l - pos
		if on {
			cur = append(cur, b)
		} else {
			cur = []pt{b}
		}
	}
	if on && len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}

// Fonts.

type faceKey struct {
	style int     // 0 regular, 1 bold, 2 italic, 3 bold italic
	size  float64 // pixels, rounded to a quarter
}

var (
	fontsOnce sync.Once
	fonts     [4]*opentype.Font
)

func loadFonts() {
	for i, ttf := range [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gobolditalic.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			panic("raster: the Go fonts do not parse: " + err.Error()) // built in, cannot happen
		}
		fonts[i] = f
	}
}

func (c *canvas) face(style int, px float64) font.Face {
	k := faceKey{style, math.Round(px*4) / 4}
	if f, ok := c.faces[k]; ok {
		return f
	}
	fontsOnce.Do(loadFonts)
	f, err := opentype.NewFace(fonts[style], &opentype.FaceOptions{Size: math.Max(k.size, 1), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	c.faces[k] = f
	return f
}

// text sets one xdot text span at its baseline point, shrunk if the Go
// font is wider than the width Graphviz laid out for it.
func (c *canvas) text(o *op) {
	if o.Text == "" || c.pen.A == 0 {
		return
	}
	style := 0
	face := strings.ToLower(c.fontFace)
	if c.fontFlags&1 != 0 || strings.Contains(face, "bold") {
		style |= 1
	}
	if c.fontFlags&2 != 0 || strings.Contains(face, "italic") || strings.Contains(face, "oblique") {
		style |= 2
	}
	size := math.Max(1, math.Min(c.fontSize*c.scale, 500))
	f := c.face(style, size)
	if f == nil {
		return
	}
	w := fixedToFloat(font.MeasureString(f, o.Text))
	if want := o.Width * c.scale; want > 0 && w > want*1.01 {
		size *= want / w
		if f = c.face(style, size); f == nil {
			return
		}
		w = fixedToFloat(font.MeasureString(f, o.Text))
	}
	p := c.px(o.Pt)
	x := p.x
	switch o.Align {
	case "c":
		x -= w / 2
	case "r":
		x -= w
	}
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(c.pen), Face: f,
		Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(p.y * 64))}}
	d.DrawString(o.Text)
}

func fixedToFloat(x fixed.Int26_6) float64 { return float64(x) / 64 }
