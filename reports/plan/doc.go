// Package plan writes lifeboat's fallback plans: one overview plan for the
// minimum viable company and one plan per critical partner, each headline
// first (what stops, how soon, what to do), with the outage's time line,
// the tolerance breaches and losses, the fallbacks and their gaps, the
// recovery order, who decides and who speaks, the exit plan and the
// liability cap against the modeled loss; in Markdown, a self-contained
// HTML page and PDF. Build arranges analysis results into one view model
// (Book) that every format reads; it computes no analysis itself (Gather
// runs the graph analyses the plans need). WriteFiles writes a set
// atomically and refuses to replace files someone else changed.
package plan
