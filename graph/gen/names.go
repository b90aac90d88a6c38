package gen

// Word lists for readable names. Names need not be unique (ids are); a
// number is appended once a list's combinations run out.

var functionNames = []string{
	"Retail payments", "Card issuing", "Card acquiring", "Trade settlement",
	"Customer onboarding", "Loan origination", "Mortgage servicing", "Treasury",
	"Payroll", "Claims handling", "Order fulfilment", "Customer support",
	"Fraud monitoring", "Regulatory reporting", "Online banking", "Mobile banking",
	"Billing", "Procurement", "Logistics", "Cash management",
	"Securities custody", "Foreign exchange", "Collections", "Underwriting",
	"Policy administration", "Branch operations", "ATM network", "Direct debits",
	"Instant payments", "Correspondent banking", "Market data", "Risk reporting",
	"Liquidity management", "Sanctions screening", "Anti-money laundering", "Wealth advisory",
	"Pension administration", "Insurance sales", "Merchant services", "Customer communications",
}

var appNouns = []string{
	"Ledger", "Payments", "Customer", "Accounts", "Cards", "Lending", "Pricing",
	"Orders", "Invoicing", "Reporting", "Fraud", "Onboarding", "Notifications",
	"Documents", "Search", "Catalogue", "Claims", "Policies", "Settlement",
	"Reconciliation", "Statements", "Limits", "Collateral", "Treasury",
	"Compliance", "Identity", "Consent", "Scheduling", "Analytics", "Archive",
}

var appKinds = []string{"service", "portal", "engine", "hub", "gateway", "batch", "API", "app"}

type category struct {
	name string
	tag  string
}

var platformKinds = []category{
	{"Database cluster", "database"},
	{"Identity provider", "identity"},
	{"Message bus", "messaging"},
	{"Kubernetes cluster", "compute"},
	{"API gateway", "network"},
	{"Logging platform", "observability"},
	{"Object storage", "storage"},
	{"Cache cluster", "database"},
	{"Secrets vault", "security"},
	{"Batch scheduler", "compute"},
	{"Internal DNS", "network"},
	{"Monitoring platform", "observability"},
}

var infraKinds = []category{
	{"Core network", "network"},
	{"Storage array", "storage"},
	{"Hypervisor cluster", "compute"},
	{"Firewall pair", "security"},
	{"Load balancer", "network"},
	{"Backup system", "storage"},
	{"WAN link", "network"},
	{"Mainframe partition", "compute"},
}

var siteKinds = []string{"Data centre", "Colocation hall", "Operations centre"}

var vendorPrefixes = []string{
	"Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Acme",
	"Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Hooli", "Vandelay",
	"Wonka", "Oscorp", "Aperture", "Pied Piper", "Monarch", "Gringotts",
	"Blue Sun", "Weyland", "Massive", "Virtucon", "Nakatomi", "Sirius",
	"Oceanic", "Dunder", "Prestige", "Sterling", "Bluth", "Duff", "Krusty",
	"Rekall", "Zorg", "Ollivander", "Paper Street", "Gekko", "Lacuna", "Omni",
}

// Vendor suffixes by supply-chain depth: shallow vendors sell services to
// the company, deep ones run the infrastructure everyone else runs on.
var vendorSuffixes = [][]category{
	{{"Payments", "service"}, {"Consulting", "service"}, {"Analytics", "saas"}, {"HR", "saas"}, {"Logistics", "service"}, {"CRM", "saas"}, {"Mail", "saas"}, {"Print", "service"}},
	{{"Processing", "service"}, {"Software", "software"}, {"Systems", "software"}, {"Data", "software"}, {"Platforms", "software"}, {"Hosting", "infrastructure"}},
	{{"Networks", "infrastructure"}, {"Security", "security"}, {"Telecom", "infrastructure"}, {"CDN", "infrastructure"}, {"Datacenters", "infrastructure"}},
	{{"Cloud", "infrastructure"}, {"DNS", "infrastructure"}, {"Endpoint", "security"}, {"Power", "infrastructure"}, {"Certificates", "security"}},
}

var countries = []string{"DE", "FR", "IE", "NL", "US", "GB", "LU", "SE", "ES", "IT", "IN", "PL", "CH", "BE"}

var slas = []string{"99.5%", "99.9%", "99.95%", "99.99%"}

var notices = []string{"30d", "90d", "180d", "365d"}

var fallbackSteps = []string{
	"Declare the incident and inform the crisis lead",
	"Switch to the documented manual procedure",
	"Inform affected customers through the agreed channels",
	"Reconcile manual records once service is restored",
}
