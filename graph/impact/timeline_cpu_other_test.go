//go:build !unix

package impact

import "time"

// tlCPUTime is not measured on this system.
func tlCPUTime() (time.Duration, bool) { return 0, false }
