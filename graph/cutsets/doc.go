// Package cutsets computes the exact minimal cut sets of target nodes (the
// sets of basic events whose joint failure brings a target down, none of
// them superfluous), counts them by order, and, when the events have
// probabilities, the exact probability that each target fails and the
// importance of every event; it reads a compiled graph.Circuit and prints
// nothing.
package cutsets
