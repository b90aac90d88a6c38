package graph

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a non-negative length of time as written in maps: a sequence
// of number-unit pairs with units w (week), d (day), h, m and s, such as
// "90m", "4h", "2d" or "1d12h". Fractions are allowed ("1.5h").
type Duration time.Duration

// Common durations.
const (
	Minute = Duration(time.Minute)
	Hour   = Duration(time.Hour)
	Day    = 24 * Hour
	Week   = 7 * Day
)

var durationUnits = map[byte]Duration{'w': Week, 'd': Day, 'h': Hour, 'm': Minute, 's': Duration(time.Second)}

// ErrDuration is wrapped by every ParseDuration error.
var ErrDuration = errors.New("bad duration")

// ParseDuration parses the map form of a duration. A bare "0" is zero. The
// error explains the expected form.
func ParseDuration(s string) (Duration, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("%w: empty; write it like 90m, 4h or 2d", ErrDuration)
	}
	if strings.HasPrefix(in, "-") {
		return 0, fmt.Errorf("%w %q: negative; durations are lengths of time, 0 or more", ErrDuration, s)
	}
	if in == "0" {
		return 0, nil
	}
	var total float64
	rest := in
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("%w %q: write a number and a unit (w, d, h, m, s), like 90m, 4h or 2d", ErrDuration, s)
		}
		v, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("%w %q: %q is not a number", ErrDuration, s, rest[:i])
		}
		unit, ok := durationUnits[rest[i]]
		if !ok {
			return 0, fmt.Errorf("%w %q: unknown unit %q; use w, d, h, m or s", ErrDuration, s, rest[i:i+1])
		}
		total += v * float64(unit)
		rest = strings.TrimSpace(rest[i+1:])
	}
	if total > float64(100*365*Day) {
		return 0, fmt.Errorf("%w %q: longer than 100 years", ErrDuration, s)
	}
	return Duration(total + 0.5), nil
}

// MustDuration is ParseDuration for literals known to be valid; it panics
// on error.
func MustDuration(s string) Duration {
	d, err := ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Hours is the duration in hours.
func (d Duration) Hours() float64 { return time.Duration(d).Hours() }

// String renders the duration in the map form, largest units first, days as
// the largest unit: "2d", "2h30m", "45m", "0". Seconds appear only when the
// duration is not a whole number of minutes.
func (d Duration) String() string {
	if d == 0 {
		return "0"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	for _, u := range []struct {
		unit Duration
		name string
	}{{Day, "d"}, {Hour, "h"}, {Minute, "m"}, {Duration(time.Second), "s"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	if d > 0 { // sub-second rest
		fmt.Fprintf(&b, "%dms", time.Duration(d).Milliseconds())
	}
	return b.String()
}

// Ptr returns a pointer to a copy of d, for optional attributes.
func (d Duration) Ptr() *Duration { return &d }
