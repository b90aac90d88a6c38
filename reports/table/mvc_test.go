package table

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/graph"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
	"github.com/lifeboat-dev/lifeboat/graph/mvc"
	"github.com/lifeboat-dev/lifeboat/reports/internal/fixture"
	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// TestGoldenMVC covers the minimum viable company and its recovery order.
func TestGoldenMVC(t *testing.T) {
	m := fixture.MVCMap()
	tests := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"mvc", func(b *bytes.Buffer) error { return MVC(b, view.NewMVC(m, fixture.MVC(), view.MVCOptions{})) }},
		{"mvc_stopped", func(b *bytes.Buffer) error {
			return MVC(b, view.NewMVC(m, fixture.MVCStopped(), view.MVCOptions{Fallbacks: true, TimeLimit: 30 * time.Second}))
		}},
		{"mvc_cost_attr", func(b *bytes.Buffer) error {
			r := fixture.MVCStopped()
			r.Supply.Optimal, r.Supply.Stats.Stopped, r.Supply.Gap = true, mvc.Completed, 0
			r.Supply.TiesComplete = true
			return MVC(b, view.NewMVC(m, r, view.MVCOptions{CostAttr: "run_cost"}))
		}},
		{"mvc_empty", func(b *bytes.Buffer) error {
			r := &mvc.Result{Supply: mvc.Supply{Optimal: true, TiesComplete: true}}
			return MVC(b, view.NewMVC(m, r, view.MVCOptions{}))
		}},
		{"mvc_shed_many", func(b *bytes.Buffer) error {
			r := fixture.MVC()
			for i := 0; i < maxShed+1234; i++ {
				r.Shed.Systems = append(r.Shed.Systems, fmt.Sprintf("sys-%04d", i))
			}
			return MVC(b, view.NewMVC(m, r, view.MVCOptions{}))
		}},
		{"mvc_recovery", func(b *bytes.Buffer) error {
			return MVCRecovery(b, view.NewMVCRecovery(m, fixture.Recovery(), false))
		}},
		{"mvc_recovery_open", func(b *bytes.Buffer) error {
			r := fixture.Recovery()
			r.Outages[0].Forever = true
			r.RestoredAt, r.Functions[0].RestoredAt = nil, nil
			r.Steps[0].UpAt, r.Steps[1].ReadyAt, r.Steps[1].UpAt = nil, nil, nil
			r.Steps[5].ReadyAt, r.Steps[5].UpAt = nil, nil
			return MVCRecovery(b, view.NewMVCRecovery(m, r, false))
		}},
		{"mvc_recovery_none", func(b *bytes.Buffer) error {
			r := &mvc.Recovery{
				Outages: []impact.Outage{{ID: "cloud-eu-west", Duration: 2 * graph.Hour}},
				Horizon: 7 * graph.Day, Settled: true,
				Targets: []string{"retail-payments"}, Later: []string{"cloud-eu-west"},
			}
			return MVCRecovery(b, view.NewMVCRecovery(m, r, true))
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
			}
		})
	}
}

func TestWrapNames(t *testing.T) {
	got := wrapNames([]string{"Email, calendars", "Payroll", "Voice telephony"}, "  ", 30)
	want := "Email, calendars; Payroll;\n  Voice telephony"
	if got != want {
		t.Errorf("wrapNames = %q, want %q", got, want)
	}
}
