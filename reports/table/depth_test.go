package table

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/cutsets"
	"github.com/lifeboat-dev/lifeboat/graph/gaps"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/sim"
	"github.com/lifeboat-dev/lifeboat/reports/internal/fixture"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// TestGoldenDepth covers the renderers of cut sets, outage time lines and
// simulations.
func TestGoldenDepth(t *testing.T) {
	m := fixture.Map()
	tests := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"cutsets", func(b *bytes.Buffer) error {
			return Cutsets(b, view.NewCutsets(m, fixture.Cutsets(), view.CutsetsOptions{}))
		}},
		{"cutsets_count_only", func(b *bytes.Buffer) error {
			r := fixture.Cutsets()
			r.MaxOrder = 0
			for i := range r.Targets {
				r.Targets[i].CutSets = nil
			}
			return Cutsets(b, view.NewCutsets(m, r, view.CutsetsOptions{CountOnly: true}))
		}},
		{"cutsets_top", func(b *bytes.Buffer) error {
			r := fixture.Cutsets()
			r.Targets = r.Targets[:1]
			tg := &r.Targets[0]
			tg.CutSets, tg.SetProbabilities, tg.Truncated = [][]string{{"core-host"}}, []float64{0.05}, true
			return Cutsets(b, view.NewCutsets(m, r, view.CutsetsOptions{Top: 1}))
		}},
		{"cutsets_none", func(b *bytes.Buffer) error {
			return Cutsets(b, view.NewCutsets(m, &cutsets.Result{Events: cutsets.Systems, MaxOrder: 2}, view.CutsetsOptions{}))
		}},
		{"impact_timeline", func(b *bytes.Buffer) error {
			return Impact(b, view.NewImpactTimeline(m, fixture.Timeline(), fixture.StaticCoreHost(), fixture.StaticCoreHostNoFallbacks()))
		}},
		{"impact_timeline_open", func(b *bytes.Buffer) error {
			tl := fixture.Timeline()
			tl.Outages[0].Forever = true
			tl.Horizon = 2 * graph.Day
			tl.Nodes[1].Down[0].To = nil
			for i := range tl.Functions {
				if f := &tl.Functions[i]; f.ID == "lending" {
					f.Down[0].To, f.RestoredAt = nil, nil
				}
			}
			return Impact(b, view.NewImpactTimeline(m, tl, fixture.StaticCoreHost()))
		}},
		{"impact_timeline_none", func(b *bytes.Buffer) error {
			tl := &impact.TimelineResult{
				Outages: []impact.Outage{{ID: "cloud-eu-west", Start: graph.Hour, Duration: 2 * graph.Hour}},
				Horizon: 7 * graph.Day, Settled: true,
				Nodes: []impact.NodeTimeline{{ID: "cloud-eu-west", Kind: graph.KindVendor,
					Down: []impact.Interval{{From: graph.Hour, To: (3 * graph.Hour).Ptr()}}}},
				Functions: []impact.FunctionTimeline{{ID: "intranet", Name: "Intranet", Tier: graph.TierSupporting}},
			}
			return Impact(b, view.NewImpactTimeline(m, tl))
		}},
		{"analyze_risk_gaps", func(b *bytes.Buffer) error {
			v := view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{})
			v.SetRisk(m, fixture.Cutsets())
			v.SetGaps(m, fixture.Gaps(), view.GapsOptions{AsOf: "2026-11-24", ReviewMonths: 12})
			return Analyze(b, v)
		}},
		{"analyze_risk_top1_no_gaps", func(b *bytes.Buffer) error {
			v := view.NewAnalyze(m, fixture.Report(), view.AnalyzeOptions{Top: 1})
			v.SetRisk(m, fixture.Cutsets())
			v.SetGaps(m, &gaps.Report{}, view.GapsOptions{AsOf: "2026-11-24", ReviewMonths: 12})
			return Analyze(b, v)
		}},
		{"simulate", func(b *bytes.Buffer) error { return Simulate(b, view.NewSimulate(m, fixture.Simulation())) }},
		{"simulate_quiet", func(b *bytes.Buffer) error {
			return Simulate(b, view.NewSimulate(m, &sim.Result{Years: 10, Seed: 1, Functions: []sim.Function{{ID: "intranet", Name: "Intranet", Tier: graph.TierSupporting}}}))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.render(&b); err != nil {
				t.Fatalf("render: %v", err)
			}
			golden(t, tt.name, b.Bytes())
			for i, line := range strings.Split(b.String(), "\n") {
				if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
					t.Errorf("line %d has trailing space: %q", i+1, line)
				}
				if strings.HasPrefix(tt.name, "impact_timeline") && utf8.RuneCountInString(line) > chartWidth {
					t.Errorf("line %d is wider than %d columns: %q", i+1, chartWidth, line)
				}
			}
		})
	}
}
