package gaps

import (
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lifeboat-dev/lifeboat/graph/gen"
	"github.com/lifeboat-dev/lifeboat/graph/impact"
)

// TestDeterministic checks that the report does not depend on the number
// of CPUs, and that each exposure is its vendor's own time line.
func TestDeterministic(t *testing.T) {
	m := gen.Generate(gen.Options{Functions: 20, Systems: 800, Vendors: 120, Seed: 3})
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, fb := range []bool{false, true} {
		opt := Options{AsOf: benchAsOf, Fallbacks: fb}
		runtime.GOMAXPROCS(1)
		one := Analyze(m, opt)
		runtime.GOMAXPROCS(4)
		four := Analyze(m, opt)
		if diff := cmp.Diff(one, four); diff != "" {
			t.Fatalf("Analyze(fallbacks=%v) differs between 1 and 4 CPUs (-1 +4):\n%s", fb, diff)
		}
		if len(one.Exposure) == 0 || len(one.Recovery) == 0 || len(one.Reviews) == 0 {
			t.Fatalf("Analyze(fallbacks=%v): empty sections: %d exposures, %d recovery gaps, %d reviews",
				fb, len(one.Exposure), len(one.Recovery), len(one.Reviews))
		}
		for _, x := range one.Exposure[:min(5, len(one.Exposure))] {
			tl, err := impact.Timeline(m, []impact.Outage{{ID: x.Vendor, Duration: x.Outage}}, impact.TimelineOptions{Fallbacks: fb})
			if err != nil {
				t.Fatal(err)
			}
			loss := 0.0
			for _, f := range tl.Functions {
				loss += f.Loss
			}
			if d := loss - x.Loss; d > 1e-6*loss || d < -1e-6*loss {
				t.Errorf("Exposure %s: loss %g, its time line says %g", x.Vendor, x.Loss, loss)
			}
			if want := max(0, x.Loss-x.LiabilityCap); x.Uncovered != want {
				t.Errorf("Exposure %s: uncovered %g, want %g", x.Vendor, x.Uncovered, want)
			}
		}
		var prev *Exposure
		for i := range one.Exposure {
			x := &one.Exposure[i]
			if prev != nil && (prev.Uncovered < x.Uncovered || prev.Uncovered == x.Uncovered && prev.Loss < x.Loss) {
				t.Errorf("Exposure out of order: %s (%g, %g) before %s (%g, %g)", prev.Vendor, prev.Uncovered, prev.Loss, x.Vendor, x.Uncovered, x.Loss)
			}
			prev = x
		}
	}
}
