// Package graph holds lifeboat's model of a company's dependencies — business
// functions, internal systems, vendors and fallbacks joined by requirement
// expressions — the Builder that merges imported batches into one validated
// Map, and the compiled, index-based circuit the analyses run on. It reads no
// files and imports nothing else of lifeboat's.
package graph
