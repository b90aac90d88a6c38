// Package gen generates synthetic dependency maps shaped like real
// enterprises, of any size, seeded and reproducible, for benchmarks and
// tests; it builds graph.Map values only and writes no files (the native
// writers in importers/yaml and importers/csv do that).
package gen
