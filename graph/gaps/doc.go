// Package gaps finds what a map says is missing or too weak: recovery
// times that exceed a function's tolerance, unassigned responsibilities on
// core paths, single-point vendors without an exit, contracts not reviewed
// in time, and outage losses beyond a vendor's liability cap. It reads the
// model and returns plain values; it neither prints nor reads the clock.
package gaps
