package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/assess"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/importers/registry"
	"github.com/lifeboat-dev/lifeboat/reports/plan/internal/pdftext"
)

// northbankConfig is the example workspace's settings, as in
// examples/northbank/lifeboat.yaml.
var northbankConfig = Config{
	Name:         "Northbank",
	Currency:     "EUR",
	CrisisLead:   "Chief Operating Officer",
	Spokesperson: "Head of Corporate Communications",
}

var northbank struct {
	once sync.Once
	m    *graph.Map
	a    *assess.Analyses
	err  error
}

// loadNorthbank loads the example map and gathers its analyses once. The
// supply search is bounded by nodes, not time, so results are the same on
// every run.
func loadNorthbank(t testing.TB) (*graph.Map, *assess.Analyses) {
	t.Helper()
	nb := &northbank
	nb.once.Do(func() {
		ctx := context.Background()
		m, ps, err := registry.Load(ctx, []registry.Spec{{Path: "../../examples/northbank/map"}})
		if err != nil {
			nb.err = err
			return
		}
		if m == nil || ps.HasErrors() {
			nb.err = errors.New(fmt.Sprint(ps))
			return
		}
		nb.m = m
		nb.a, nb.err = assess.Gather(ctx, m, assess.GatherOptions{MVC: mvc.Options{MaxNodes: 1 << 22}})
	})
	if nb.err != nil {
		t.Fatalf("loading examples/northbank: %v", nb.err)
	}
	return nb.m, nb.a
}

func northbankBook(t testing.TB) *Book {
	t.Helper()
	m, a := loadNorthbank(t)
	b, err := Build(m, a, northbankConfig)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return b
}

// golden compares got with testdata/name, or rewrites it with
// UPDATE_GOLDEN=1.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with UPDATE_GOLDEN=1 to accept:\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n-" + w + "\n+" + g
		}
	}
	return "(same lines)"
}

// The golden plans: the overview, a hidden fourth party, a member of
// order-2 cut sets only, a partner whose own fallback needs it, and the
// partner that stops the most.
var goldenPlans = []string{OverviewFile, "plan-sentinel-shield-edr", "plan-paylane-processing", "plan-orbis-card-scheme", "plan-corvex-core-saas"}

func TestGoldenNorthbank(t *testing.T) {
	b := northbankBook(t)
	files, err := b.Files(Markdown, HTML)
	if err != nil {
		t.Fatalf("Files: %v", err)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.Name] = f.Data
	}
	for _, name := range goldenPlans {
		for _, ext := range []string{".md", ".html"} {
			data, ok := byName[name+ext]
			if !ok {
				t.Errorf("Files: no %s%s", name, ext)
				continue
			}
			golden(t, "northbank-"+name+ext, data)
		}
	}
}

func TestPlanSetNorthbank(t *testing.T) {
	m, a := loadNorthbank(t)
	b := northbankBook(t)
	// Every critical partner of the analysis has a plan, and so has every
	// member of an order-2 cut set of a core function.
	has := map[string]bool{}
	for _, p := range b.Plans {
		has[p.Vendor.ID] = true
	}
	for _, p := range a.Partners.CriticalPartners {
		if !has[p.Vendor] {
			t.Errorf("no plan for single point of failure %s", p.Vendor)
		}
	}
	for _, tg := range a.CutSets.Targets {
		if m.Node(tg.ID).Tier != graph.TierCore {
			continue
		}
		for _, cs := range tg.CutSets {
			if len(cs) == 2 && (!has[cs[0]] || !has[cs[1]]) {
				t.Errorf("no plan for a member of the cut set %v of %s", cs, tg.ID)
			}
		}
	}
	if len(b.Vendors) != len(m.OfKind(graph.KindVendor)) {
		t.Errorf("Vendors: %d rows, want one per vendor (%d)", len(b.Vendors), len(m.OfKind(graph.KindVendor)))
	}

	// The hidden shared supplier of the example leads the set: it breaches
	// first and reaches two core functions through four vendors.
	first := b.Plans[0]
	if first.Vendor.ID != "sentinel-shield-edr" || !first.Fourth || len(first.Through) != 4 {
		t.Errorf("first plan: %s (fourth %v, through %d), want sentinel-shield-edr, a fourth party reached through 4 vendors",
			first.Vendor.ID, first.Fourth, len(first.Through))
	}
	if fb := first.Alone.FirstBreach; fb == nil || fb.At != 2*graph.Hour || fb.Function.ID != "card-payments" {
		t.Errorf("sentinel-shield-edr first breach = %+v, want card-payments at 2h", fb)
	}

	// Every plan's numbers are the time line's: the loss of the partner
	// alone equals the gaps analysis's exposure, which runs the same
	// outage on its own.
	for _, e := range a.Gaps.Exposure {
		for _, p := range b.Plans {
			if p.Vendor.ID == e.Vendor && e.Outage == p.Outage && e.Loss != p.Exposure.LossWithout {
				t.Errorf("%s: plan loss %v, gaps exposure %v", e.Vendor, p.Exposure.LossWithout, e.Loss)
			}
		}
	}

	// A fallback that needs the partner that is down is named as a gap.
	for _, p := range b.Plans {
		if p.Vendor.ID != "orbis-card-scheme" {
			continue
		}
		found := false
		for _, g := range p.Gaps {
			found = found || g.Kind == FallbackBlocked && g.Fallback.ID == "card-scheme-stand-in"
		}
		if !found {
			t.Errorf("orbis-card-scheme: gaps %+v lack the blocked card-scheme-stand-in", p.Gaps)
		}
	}
}

// headlineNumbers are the figures a plan's headline states.
func headlineNumbers(b *Book, p *Plan) []string {
	s := p.Main
	nums := []string{p.Vendor.Short, s.Duration.String()}
	if !s.Stops() {
		return nums
	}
	nums = append(nums, Money(s.LossWith, b.Currency), Money(s.LossWithout, b.Currency))
	if s.FirstBreach != nil {
		nums = append(nums, At(s.FirstBreach.At))
	}
	if s.FirstBreachWith != nil {
		nums = append(nums, At(s.FirstBreachWith.At))
	}
	for _, f := range s.Functions {
		if f.Halted != nil {
			nums = append(nums, f.Short)
		}
	}
	return nums
}

func TestPDFNorthbank(t *testing.T) {
	b := northbankBook(t)
	names, docs := b.Documents()
	files, err := RenderAll(names, docs, []Format{PDF, Markdown, HTML})
	if err != nil {
		t.Fatalf("RenderAll: %v", err)
	}
	get := func(name string) []byte {
		for _, f := range files {
			if f.Name == name {
				return f.Data
			}
		}
		t.Fatalf("no file %s", name)
		return nil
	}
	for _, p := range b.Plans {
		pdf := get(p.File + ".pdf")
		pages, err := pdftext.Pages(pdf)
		if err != nil {
			t.Errorf("%s.pdf: %v", p.File, err)
			continue
		}
		if len(pages) == 0 {
			t.Errorf("%s.pdf: no pages", p.File)
			continue
		}
		text := strings.Join(pages, "\n")
		// The headline is on the first page; every format states its
		// numbers. Lines wrap anywhere, so spaces are compared loosely.
		page1 := strings.Join(strings.Fields(pages[0]), " ")
		for _, n := range headlineNumbers(b, p) {
			if !strings.Contains(page1, n) {
				t.Errorf("%s.pdf: page 1 lacks headline figure %q", p.File, n)
			}
			if !strings.Contains(string(get(p.File+".md")), n) {
				t.Errorf("%s.md lacks headline figure %q", p.File, n)
			}
		}
		if strings.ContainsRune(text, '\uFFFD') {
			t.Errorf("%s.pdf: text has glyphs without a character", p.File)
		}
	}
	pages, err := pdftext.Pages(get(OverviewFile + ".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pages, "\n")
	for _, want := range []string{"€", "←", "Sentinel Shield EDR", "Chief Operating Officer", "Head of Corporate Communications"} {
		if !strings.Contains(text, want) {
			t.Errorf("00-overview.pdf lacks %q", want)
		}
	}
}

func TestBuildNamed(t *testing.T) {
	m, a := loadNorthbank(t)
	cfg := northbankConfig
	cfg.Vendors = []string{"sentinel-shield", "quillmark-workplace"} // an alias and an id
	b, err := Build(m, a, cfg)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	var got []string
	for _, p := range b.Plans {
		got = append(got, p.Vendor.ID)
	}
	if strings.Join(got, ",") != "sentinel-shield-edr,quillmark-workplace" {
		t.Errorf("Build(Vendors) plans = %v, want sentinel-shield-edr, quillmark-workplace", got)
	}

	for _, tc := range []struct {
		vendors []string
		want    string
	}{
		{[]string{"sentinel-shield-ed"}, `did you mean "sentinel-shield-edr"`},
		{[]string{"core-banking"}, "is a system, not a vendor"},
	} {
		cfg.Vendors = tc.vendors
		if _, err := Build(m, a, cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build(Vendors: %v) error = %v, want one containing %q", tc.vendors, err, tc.want)
		}
	}
	if _, err := Build(nil, a, cfg); err == nil {
		t.Error("Build(nil map): no error")
	}
	if _, err := Build(m, &assess.Analyses{}, Config{}); err == nil {
		t.Error("Build(no partner analysis): no error")
	}
	// A missing time line is an error, not a silent zero.
	if _, err := Build(m, &assess.Analyses{Partners: a.Partners}, Config{}); err == nil || !strings.Contains(err.Error(), "no time line") {
		t.Errorf("Build(no outcomes) error = %v, want a missing time line", err)
	}
}

func TestNewScenarioErrors(t *testing.T) {
	m, _ := loadNorthbank(t)
	if _, err := NewScenario(nil, &assess.Outcome{}); err == nil {
		t.Error("NewScenario(nil map): no error")
	}
	if _, err := NewScenario(m, &assess.Outcome{}); err == nil {
		t.Error("NewScenario(no time lines): no error")
	}
	e, err := impact.NewTimelineEngine(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := assess.RunOutcome(e, []string{"no-such-vendor"}, graph.Hour); err == nil {
		t.Error("RunOutcome(unknown id): no error")
	}
}

func TestMoneyAndTimes(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		cur  string
		want string
	}{
		{0, "EUR", "€0"}, {999.5, "EUR", "€1,000"}, {1234567, "EUR", "€1,234,567"},
		{90000, "CHF", "CHF 90,000"}, {1500, "", "1,500"}, {-2500, "usd", "−$2,500"},
	} {
		if got := Money(tc.v, tc.cur); got != tc.want {
			t.Errorf("Money(%v, %q) = %q, want %q", tc.v, tc.cur, got, tc.want)
		}
	}
	if got := At(150 * graph.Minute); got != "T+2h30m" {
		t.Errorf("At(150m) = %q, want T+2h30m", got)
	}
	if got := Percent(0.6); got != "60%" {
		t.Errorf("Percent(0.6) = %q", got)
	}
	if got := JoinAnd([]string{"Card payments", "Treasury and liquidity"}); got != "Card payments; Treasury and liquidity" {
		t.Errorf("joinAnd = %q", got)
	}
	if got := short("Cardwise Europe (issuer processing, hot standby)"); got != "Cardwise Europe" {
		t.Errorf("short = %q", got)
	}
}

func BenchmarkNorthbankAllFormats(b *testing.B) {
	m, a := loadNorthbank(b)
	for b.Loop() {
		bk, err := Build(m, a, northbankConfig)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bk.Files(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNorthbankGather(b *testing.B) {
	m, _ := loadNorthbank(b)
	for b.Loop() {
		if _, err := assess.Gather(context.Background(), m, assess.GatherOptions{MVC: mvc.Options{MaxNodes: 1 << 22}}); err != nil {
			b.Fatal(err)
		}
	}
}
