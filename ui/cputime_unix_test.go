//go:build unix

package ui

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the test process has used so far, in user and
// system mode. Benchmarks report it per op besides the wall time, which on
// a shared machine counts the time other processes ran.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
