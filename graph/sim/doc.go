// Package sim is the Monte Carlo simulation of vendor outages over many
// years: each year, vendors fail by their yearly probability for a random
// length of time, and the exact outage time lines of graph/impact turn the
// failures into losses, halts and breaches per function. It returns
// expected annual loss, loss quantiles, breach frequencies and the
// scenarios behind the worst years; it prints nothing.
package sim
