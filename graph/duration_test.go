package graph

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
	}{
		{"0", 0},
		{" 0 ", 0},
		{"0h", 0},
		{"90m", 90 * Minute},
		{"4h", 4 * Hour},
		{"2d", 2 * Day},
		{"1w", Week},
		{"1d12h", 36 * Hour},
		{"1d 12h", 36 * Hour},
		{"1.5h", 90 * Minute},
		{".5h", 30 * Minute},
		{"5.h", 5 * Hour},
		{"30s", 30 * Duration(time.Second)},
		{"1m1.5s", Minute + 1500*Duration(time.Millisecond)},
		{"0.000000001s", 1},
		{"2h30m", 150 * Minute},
		{"1w1d1h1m1s", Week + Day + Hour + Minute + Duration(time.Second)},
		{"36500d", MaxDuration},
		{"4h4h", 8 * Hour}, // pairs add up
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): unexpected error %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDuration(%q) = %v (%d), want %v (%d)", tt.in, got, int64(got), tt.want, int64(tt.want))
		}
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct {
		in, want string // want: a fragment of the message
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"-4h", "negative"},
		{"4x", `unknown unit "x"`},
		{"4", "write a number and a unit"},
		{"h", "write a number and a unit"},
		{"abc", "write a number and a unit"},
		{"4h30", "write a number and a unit"},
		{"+4h", "write a number and a unit"},
		{".h", "not a number"},
		{"1.2.3h", "not a number"},
		{"4 h", `unknown unit " "`},
		{"36501d", "longer than 100 years"},
		{"36500d1s", "longer than 100 years"},
		{"99999999999999999999999w", "longer than 100 years"},
		{"18446744073709551615h", "longer than 100 years"},
		{"5300w", "longer than 100 years"},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", tt.in, got)
			continue
		}
		if !errors.Is(err, ErrDuration) {
			t.Errorf("ParseDuration(%q) error %v does not wrap ErrDuration", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDuration(%q) error %q, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    Duration
		want string
	}{
		{0, "0"},
		{150 * Minute, "2h30m"},
		{2 * Day, "2d"},
		{45 * Minute, "45m"},
		{Week, "7d"},
		{36 * Hour, "1d12h"},
		{Day + Minute, "1d1m"},
		{Minute + 1500*Duration(time.Millisecond), "1m1.5s"},
		{Duration(time.Second), "1s"},
		{1, "0.000000001s"},
		{-90 * Minute, "-1h30m"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("Duration(%d).String() = %q, want %q", int64(tt.d), got, tt.want)
		}
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, s := range []string{"2h30m", "2d", "45m", "1d12h", "0", "1m1.5s", "36500d", "3d23h59m59.999999999s"} {
		d, err := ParseDuration(s)
		if err != nil {
			t.Fatalf("ParseDuration(%q): %v", s, err)
		}
		if got := d.String(); got != s {
			t.Errorf("ParseDuration(%q).String() = %q", s, got)
		}
	}
	// Every non-negative duration up to the maximum survives String and
	// ParseDuration, including odd nanoseconds.
	for _, d := range []Duration{1, 999, Duration(time.Second) - 1, Hour + 7, Week + 123456789, MaxDuration - 1, MaxDuration} {
		back, err := ParseDuration(d.String())
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", d, err)
			continue
		}
		if back != d {
			t.Errorf("ParseDuration(%q) = %d, want %d", d, int64(back), int64(d))
		}
	}
}

func TestDurationHelpers(t *testing.T) {
	if got := (90 * Minute).Hours(); got != 1.5 {
		t.Errorf("Hours() = %v, want 1.5", got)
	}
	p := Hour.Ptr()
	if *p != Hour {
		t.Errorf("Ptr() = %v, want %v", *p, Hour)
	}
	if got := MustDuration("4h"); got != 4*Hour {
		t.Errorf("MustDuration(4h) = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustDuration(bad) did not panic")
		}
	}()
	MustDuration("bad")
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90m", "4h", "2d", "1w", "1d12h", "1.5h", "0", "", "-4h", "4x", "1m1.5s", "36500d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 || d > MaxDuration {
			t.Fatalf("ParseDuration(%q) = %d, out of range", s, int64(d))
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDuration(%q) = %d; its String %q parses to %d, %v", s, int64(d), d, int64(back), err)
		}
	})
}
