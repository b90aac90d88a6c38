package openpsa

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// evalError says why an expression has no value, and where.
type evalError struct {
	pos graph.Pos
	msg string
}

func errAt(e *elem, format string, a ...any) *evalError {
	return &evalError{pos: e.pos, msg: fmt.Sprintf(format, a...)}
}

// arity lists how many arguments each supported expression takes; -1 is
// one or more.
var arity = map[string][]int{
	"neg": {1}, "abs": {1}, "exp": {1}, "log": {1}, "log10": {1}, "sqrt": {1},
	"add": {-1}, "sub": {-1}, "mul": {-1}, "div": {-1}, "min": {-1}, "max": {-1}, "mean": {-1},
	"pow":         {2},
	"exponential": {2}, "GLM": {4}, "Weibull": {4}, "periodic-test": {4},
	"uniform-deviate": {2}, "normal-deviate": {2}, "lognormal-deviate": {2, 3},
	"gamma-deviate": {2}, "beta-deviate": {2},
}

// eval computes the point value of a MEF expression (a basic event's
// probability or a parameter), the way SCRAM does without uncertainty
// analysis: random deviates take their mean, <system-mission-time/> the
// importer's mission time.
func (m *model) eval(e *elem, c *container, depth int) (float64, *evalError) {
	if depth > maxDepth {
		return 0, errAt(e, "expressions nest more than %d deep", maxDepth)
	}
	switch e.name {
	case "float", "int":
		s, _ := e.get("value")
		var v float64
		var err error
		if e.name == "int" {
			var i int64
			i, err = strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			v = float64(i)
		} else {
			v, err = strconv.ParseFloat(strings.TrimSpace(s), 64)
		}
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, errAt(e, "<%s value=%q> is not a number", e.name, s)
		}
		return v, nil
	case "bool":
		s, _ := e.get("value")
		switch strings.TrimSpace(s) {
		case "true":
			return 1, nil
		case "false":
			return 0, nil
		}
		return 0, errAt(e, "<bool value=%q> is neither true nor false", s)
	case "pi":
		return math.Pi, nil
	case "system-mission-time":
		return m.mission, nil
	case "parameter":
		name, _ := e.get("name")
		d := lookup(m.params, m.paramsG, strings.TrimSpace(name), c)
		if d == nil {
			return 0, errAt(e, "unknown parameter %q", name)
		}
		return m.param(d, depth)
	}
	want, ok := arity[e.name]
	if !ok {
		return 0, errAt(e, "unsupported expression <%s>", e.name)
	}
	args := make([]float64, 0, len(e.kids))
	for _, k := range e.kids {
		v, err := m.eval(k, c, depth+1)
		if err != nil {
			return 0, err
		}
		args = append(args, v)
	}
	fits := false
	for _, n := range want {
		fits = fits || n == len(args) || n == -1 && len(args) >= 1
	}
	if !fits {
		return 0, errAt(e, "<%s> with %d arguments", e.name, len(args))
	}
	v := apply(e.name, args)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errAt(e, "<%s> evaluates to %v", e.name, v)
	}
	return v, nil
}

// param evaluates a parameter once, remembering the result or the error.
func (m *model) param(d *def, depth int) (float64, *evalError) {
	switch d.state {
	case 2:
		return d.num, d.err
	case 1:
		return 0, errAt(d.e, "parameter %q is defined in terms of itself", d.name)
	}
	d.state = 1
	f, ok := m.formulaOf(d, "expression")
	switch {
	case !ok:
		d.err = errAt(d.e, "parameter %q has more than one expression", d.name)
	case f == nil:
		d.err = errAt(d.e, "parameter %q has no expression", d.name)
	default:
		d.num, d.err = m.eval(f, d.c, depth+1)
	}
	d.state = 2
	return d.num, d.err
}

func apply(op string, a []float64) float64 {
	fold := func(f func(x, y float64) float64) float64 {
		v := a[0]
		for _, x := range a[1:] {
			v = f(v, x)
		}
		return v
	}
	pexp := func(rate, t float64) float64 { return -math.Expm1(-rate * t) }
	switch op {
	case "neg":
		return -a[0]
	case "abs":
		return math.Abs(a[0])
	case "exp":
		return math.Exp(a[0])
	case "log":
		return math.Log(a[0])
	case "log10":
		return math.Log10(a[0])
	case "sqrt":
		return math.Sqrt(a[0])
	case "pow":
		return math.Pow(a[0], a[1])
	case "add":
		return fold(func(x, y float64) float64 { return x + y })
	case "sub":
		return fold(func(x, y float64) float64 { return x - y })
	case "mul":
		return fold(func(x, y float64) float64 { return x * y })
	case "div":
		return fold(func(x, y float64) float64 { return x / y })
	case "min":
		return fold(math.Min)
	case "max":
		return fold(math.Max)
	case "mean":
		return fold(func(x, y float64) float64 { return x + y }) / float64(len(a))
	case "exponential": // rate, time
		return pexp(a[0], a[1])
	case "GLM": // failure on demand γ, rate λ, repair rate μ, time t
		g, l, mu, t := a[0], a[1], a[2], a[3]
		r := l + mu
		return (l - (l-g*r)*math.Exp(-r*t)) / r
	case "Weibull": // scale α, shape β, shift t0, time t
		al, be, t0, t := a[0], a[1], a[2], a[3]
		if t <= t0 {
			return 0
		}
		return -math.Expm1(-math.Pow((t-t0)/al, be))
	case "periodic-test": // rate λ, test interval τ, first test θ, time t; repair is instant
		l, tau, theta, t := a[0], a[1], a[2], a[3]
		if t <= theta {
			return pexp(l, t)
		}
		since := math.Mod(t-theta, tau)
		if since == 0 {
			since = tau
		}
		return pexp(l, since)
	case "uniform-deviate": // min, max
		return (a[0] + a[1]) / 2
	case "normal-deviate": // mean, σ
		return a[0]
	case "lognormal-deviate": // mean, error factor, level; or μ, σ of the log
		if len(a) == 3 {
			return a[0]
		}
		return math.Exp(a[0] + a[1]*a[1]/2)
	case "gamma-deviate": // shape k, scale θ
		return a[0] * a[1]
	case "beta-deviate": // α, β
		return a[0] / (a[0] + a[1])
	}
	return math.NaN()
}
