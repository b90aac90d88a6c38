package table

import (
	"fmt"
	"io"
	"strconv"

	"github.com/lifeboat-dev/lifeboat/reports/view"
)

// maxChains is how many supply chains are shown per hidden supplier.
const maxChains = 8

// Analyze writes the critical-partner report: a headline, the hidden
// shared suppliers first (the finding no contract shows), the ranked
// critical partners, their risk ranking when vendors carry probabilities
// (see riskSection), single points of failure per function,
// concentration per ultimate supplier, and the gaps when they were
// looked for (see gapsSection).
func Analyze(w io.Writer, v *view.Analyze) error {
	var p printer
	title := "Critical partners"
	if v.Map.Name != "" {
		title = v.Map.Name + ": critical partners"
	}
	p.f("%s (fallbacks %s)\n", title, onOff(v.Fallbacks))
	p.blank()
	s := v.Summary
	halt := "halt a function on their own"
	if s.CriticalPartners == 1 {
		halt = "halts a function on its own"
	}
	p.f("%s (%d core), %s. %s %s; %d of %d core functions have a single point of failure; %s.\n",
		plural(s.Functions, "function"), s.CoreFunctions, plural(s.Vendors, "vendor"),
		plural(s.CriticalPartners, "vendor"), halt, s.CoreWithSPOF, s.CoreFunctions,
		plural(s.HiddenSuppliers, "hidden shared supplier"))

	p.blank()
	p.line("HIDDEN SHARED SUPPLIERS")
	if len(v.HiddenSuppliers) == 0 {
		p.line("None: no vendor halts a function alone only through other vendors' suppliers.")
	} else {
		p.line("Fourth parties: single points of failure only through other vendors' own suppliers.")
		for _, h := range v.HiddenSuppliers {
			p.blank()
			p.f("! %s  %s\n", h.Vendor, h.Name)
			p.f("  halts %s (%d core, %d important, %d supporting; %s per hour)\n", plural(len(h.Halts), "function"),
				h.Core, h.Important, h.Supporting, money(v.Map.Currency, h.ImpactPerHour))
			p.f("  through %s\n", wrap(h.Through, "          ", 100))
			shown := h.Chains[:min(len(h.Chains), maxChains)]
			for _, c := range shown {
				p.f("    %s\n", chain(c))
			}
			if more := h.ChainsTotal - len(shown); more > 0 {
				p.f("    … and %s\n", plural(more, "more halted function"))
			}
		}
		if len(v.HiddenSuppliers) < s.HiddenSuppliers {
			p.blank()
			p.f("(top %d of %d; --top 0 lists all)\n", len(v.HiddenSuppliers), s.HiddenSuppliers)
		}
	}

	p.blank()
	p.line("CRITICAL PARTNERS")
	if len(v.CriticalPartners) == 0 {
		p.line("None: no single vendor's outage halts a function.")
	} else {
		var rows [][]string
		for _, c := range v.CriticalPartners {
			hidden := ""
			if c.Hidden {
				hidden = "via " + chain(c.Via)
			}
			rows = append(rows, []string{
				strconv.Itoa(c.Rank), c.Vendor,
				strconv.Itoa(c.Core), strconv.Itoa(c.Important), strconv.Itoa(c.Supporting),
				money(v.Map.Currency, c.ImpactPerHour), hidden, short(c.Name),
			})
		}
		p.table("", []string{"#", "VENDOR", "CORE", "IMPORTANT", "SUPPORTING", "IMPACT/H", "HIDDEN", "NAME"}, rows)
		if len(v.CriticalPartners) < s.CriticalPartners {
			p.f("(top %d of %d; --top 0 lists all)\n", len(v.CriticalPartners), s.CriticalPartners)
		}
	}

	riskSection(&p, v.Risk)

	p.blank()
	p.line("SINGLE POINTS OF FAILURE")
	if len(v.SinglePointsOfFailure) == 0 {
		p.line("None: every function survives the outage of any one vendor.")
	} else {
		var rows [][]string
		for _, f := range v.SinglePointsOfFailure {
			rows = append(rows, []string{tierOr(f.Tier), f.Function, list(f.Vendors)})
		}
		p.table("", []string{"TIER", "FUNCTION", "VENDORS"}, rows)
	}

	p.blank()
	p.line("CONCENTRATION")
	var conc []view.Concentration
	for _, c := range v.Concentration {
		if len(c.CoreDependent) > 0 {
			conc = append(conc, c)
		}
	}
	if len(conc) == 0 {
		p.line("None: no core function depends on a vendor.")
	} else {
		p.line("Ultimate suppliers (a vendor's parent company, else the vendor) and the core functions that hang on them.")
		var rows [][]string
		for _, c := range conc {
			rows = append(rows, []string{short(c.Parent), fmt.Sprint(len(c.Vendors)),
				fmt.Sprint(len(c.CoreDependent)), fmt.Sprint(len(c.CoreHalted)), list(c.Vendors)})
		}
		p.table("", []string{"SUPPLIER", "VENDORS", "CORE DEPENDENT", "CORE HALTED", "VENDOR IDS"}, rows)
	}
	if v.Gaps.Checked {
		gapsSection(&p, v.Map.Currency, v.Gaps)
	}
	return p.flush(w)
}
