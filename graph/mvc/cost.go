package mvc

import (
	"math"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/graph"
)

// costs returns every reached vendor's cost, indexed by vertex (0
// elsewhere), and the reached vendors without one, sorted. Bad values are
// errors with MinCost and count as missing otherwise.
func (p *problem) costs(opt Options) ([]float64, []string, error) {
	c, m := p.c, p.c.Map
	cost := make([]float64, c.NumNodes)
	unpriced := []string{}
	for v := int32(0); v < int32(c.NumNodes); v++ {
		if !p.reach[v] || c.Kind[v] != graph.KindVendor {
			continue
		}
		x, ok, err := vendorCost(m.Nodes[v], opt.CostAttr)
		if err != nil && opt.Minimize == MinCost {
			return nil, nil, err
		}
		if !ok || err != nil {
			unpriced = append(unpriced, m.Nodes[v].ID)
			continue
		}
		cost[v] = x
	}
	return cost, unpriced, nil
}

// vendorCost reads a vendor's cost: attrs[attr], or the contract's annual
// fee when attr is "". ok is false when there is none (a fee of 0 counts
// as none).
func vendorCost(n *graph.Node, attr string) (float64, bool, error) {
	if attr == "" {
		if n.Contract == nil || n.Contract.AnnualFee == 0 {
			return 0, false, nil
		}
		f := n.Contract.AnnualFee
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false, &CostError{Vendor: n.ID, Attr: "annual_fee", Value: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		return f, true, nil
	}
	s, ok := n.Attrs[attr]
	if !ok || strings.TrimSpace(s) == "" {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), "_", ""), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, &CostError{Vendor: n.ID, Attr: attr, Value: s}
	}
	return f, true, nil
}
