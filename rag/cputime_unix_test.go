//go:build unix

package rag_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system: a build's
// cost on a shared machine, where its wall time measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
