package graph

import (
	"errors"
	"fmt"
	"math"
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

// MaxDuration is the longest duration ParseDuration accepts: 100 years of
// 365 days.
const MaxDuration = 100 * 365 * Day

// ParseDuration parses the map form of a duration: one or more
// number-unit pairs, optionally separated by spaces, with units w, d, h, m
// and s ("90m", "1d12h", "1.5h"). A bare "0" is zero. The result is exact
// to the nanosecond and at most MaxDuration. The error wraps ErrDuration
// and explains the expected form.
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
	var total uint64
	rest := in
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("%w %q: write a number and a unit (w, d, h, m, s), like 90m, 4h or 2d", ErrDuration, s)
		}
		num := rest[:i]
		unit, ok := durationUnits[rest[i]]
		if !ok {
			return 0, fmt.Errorf("%w %q: unknown unit %q; use w, d, h, m or s", ErrDuration, s, rest[i:i+1])
		}
		whole, frac, _ := strings.Cut(num, ".")
		if whole == "" && frac == "" || strings.Contains(frac, ".") {
			return 0, fmt.Errorf("%w %q: %q is not a number", ErrDuration, s, num)
		}
		var v uint64
		if whole != "" {
			w, err := strconv.ParseUint(whole, 10, 64)
			if err != nil || w > uint64(MaxDuration/unit) {
				return 0, fmt.Errorf("%w %q: longer than 100 years", ErrDuration, s)
			}
			v = w * uint64(unit)
		}
		if frac != "" {
			// The fraction is below one unit (at most a week), so float64
			// is exact to well under a nanosecond here.
			f, err := strconv.ParseFloat("0."+frac, 64)
			if err != nil {
				return 0, fmt.Errorf("%w %q: %q is not a number", ErrDuration, s, num)
			}
			v += uint64(math.Round(f * float64(unit)))
		}
		total += v
		if total > uint64(MaxDuration) {
			return 0, fmt.Errorf("%w %q: longer than 100 years", ErrDuration, s)
		}
		rest = strings.TrimSpace(rest[i+1:])
	}
	return Duration(total), nil
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
// duration is not a whole number of minutes, as a decimal fraction when it
// is not a whole number of seconds ("1m1.5s"). ParseDuration reads every
// non-negative result back to the same value. A negative duration (which
// ParseDuration never returns) is rendered with a leading '-'.
func (d Duration) String() string {
	if d == 0 {
		return "0"
	}
	var b strings.Builder
	u := uint64(d)
	if d < 0 {
		b.WriteByte('-')
		u = -u // two's complement: also right for the most negative value
	}
	for _, unit := range []struct {
		size uint64
		name string
	}{{uint64(Day), "d"}, {uint64(Hour), "h"}, {uint64(Minute), "m"}} {
		if n := u / unit.size; n > 0 {
			b.WriteString(strconv.FormatUint(n, 10))
			b.WriteString(unit.name)
			u -= n * unit.size
		}
	}
	if u > 0 {
		sec, ns := u/uint64(time.Second), u%uint64(time.Second)
		b.WriteString(strconv.FormatUint(sec, 10))
		if ns > 0 {
			frac := strings.TrimRight(fmt.Sprintf("%09d", ns), "0")
			b.WriteByte('.')
			b.WriteString(frac)
		}
		b.WriteByte('s')
	}
	return b.String()
}

// Ptr returns a pointer to a copy of d, for optional attributes.
func (d Duration) Ptr() *Duration { return &d }
