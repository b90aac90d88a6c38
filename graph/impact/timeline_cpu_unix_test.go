//go:build unix

package impact

import (
	"syscall"
	"time"
)

// tlCPUTime is the CPU time the process has used, user and system; the
// benchmarks report it beside wall-clock time, which on a shared machine
// says more about the neighbours than about the code.
func tlCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
