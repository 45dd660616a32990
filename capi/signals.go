package main

// The second half of the signal arrangement of guard.c ("Signals"): the
// constructor that gives the loading thread its signal mask back once Go's
// runtime has started its first thread (which inherited the blocked
// mask), and the signal window that long calls open at their checkpoints.
//
// Why here: constructors without a priority run in link order, and this
// file's C object is linked in only because Go's object refers to it (the
// call of C.glmmgo_signal_window below), so it always follows Go's
// initialiser, in the c-shared library (where Go's object comes first) and
// in a c-archive linked into a host (the R package), where the archive's
// other C objects are pulled in first, before Go's. Keep this file free of
// other C and of //export (whose preambles are copied elsewhere).
// tests/signal_test.go checks the masks of Go's threads and the loading
// thread in both.

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "signals.h"

__attribute__((constructor)) static void glmmgo_restore_loader_mask(void) {
    if (glmmgo_loader_blocked) {
        glmmgo_loader_blocked = 0;
        pthread_sigmask(SIG_SETMASK, &glmmgo_loader_mask, NULL);
    }
}
*/
import "C"

import (
	"sync/atomic"
	"time"
)

// windowEvery is the longest a call keeps the caller's signals waiting:
// Ctrl-C, a timer or a profiler's tick is served within it. It is R's
// default profiling interval, so that Rprof keeps its sampling rate inside
// long calls.
const windowEvery = 20 * time.Millisecond

var lastWindow atomic.Int64 // unix nanoseconds of the last window, any thread

// signalWindow delivers the caller's pending signals on its own stack (see
// glmmgo_signal_window), at most every windowEvery. It must run on the
// goroutine of the call's export, which is locked to the caller's thread.
func signalWindow() {
	now := time.Now().UnixNano()
	if now-lastWindow.Load() < int64(windowEvery) {
		return
	}
	lastWindow.Store(now)
	C.glmmgo_signal_window()
	C.glmmgo_sweep_threads(0)
}
