// Package mvc computes a map's minimum viable company: the functions that
// must keep running and everything they need, the smallest set of vendors
// that keeps them all up (found exactly by branch and bound), what can be
// shed in a crisis, and the order in which to bring nodes back after an
// outage; it reads the model and returns plain values, and prints nothing.
//
// # Semantics
//
// Everything here follows the static failure semantics of design.md on
// the compiled circuit (graph.Compile): a scenario's down set is the least
// fixpoint that starts from the failed nodes. A supply set S of vendors
// "keeps the MVC up" when the scenario that fails every vendor outside S
// leaves every target function up. Equivalently, there is a set U of
// nodes and gates, containing the targets and no vendor outside S, in
// which every member has enough of its inputs in U: so a cycle whose
// members support each other needs no outside support, exactly as the
// least fixpoint says (design.md's optimistic reading of circular
// backup). A vendor in S is still down when its own suppliers are.
package mvc
