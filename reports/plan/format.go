package plan

import (
	"math"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// currencySigns are the symbols written before amounts; other currency
// codes are written after them.
var currencySigns = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

// Money formats an amount in a currency, rounded to whole units with
// thousands separated: "€1,250,000", "CHF 90,000", or "90,000" without a
// currency.
func Money(v float64, currency string) string {
	n := int64(math.Round(v))
	neg := n < 0
	if neg {
		n = -n
	}
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	s := b.String()
	cur := strings.ToUpper(strings.TrimSpace(currency))
	if sign, ok := currencySigns[cur]; ok {
		s = sign + s
	} else if cur != "" {
		s = cur + " " + s
	}
	if neg {
		s = "−" + s
	}
	return s
}

// At formats a moment of a time line: "T+0", "T+15m", "T+1d2h".
func At(d graph.Duration) string { return "T+" + d.String() }

// Percent formats a share 0–1 as a whole percentage: "60%".
func Percent(x float64) string {
	return strconv.FormatFloat(math.Round(x*100), 'f', -1, 64) + "%"
}

// Hours formats a duration in the map form ("2h30m"); nil is "none".
func Hours(d *graph.Duration) string {
	if d == nil {
		return "none"
	}
	return d.String()
}

// JoinAnd joins words as "a", "a and b", "a, b and c"; when an item
// holds a comma or an "and" of its own, items are separated by semicolons
// so that each stays whole: "a and b; c".
func JoinAnd(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	for _, s := range ss {
		if strings.Contains(s, ",") || strings.Contains(s, " and ") {
			return strings.Join(ss, "; ")
		}
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}

func shorts(rs []Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Short
	}
	return out
}

func names(rs []Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

// plural returns word, or word+"s" unless n is 1, after the count.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
