package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
#include "signals.h"
*/
import "C"

import "unsafe"

// progressFunc wraps a caller's callback for the core's fits, which call it
// on the calling goroutine (so on the caller's thread) and stop when it
// returns false. Without a callback it still opens the signal window
// (signals.go), so that a call without one serves the caller's signals.
func progressFunc(fn C.glmmgo_progress_fn, userdata unsafe.Pointer) func(iter int, value float64, par []float64) bool {
	if fn == nil {
		return func(int, float64, []float64) bool {
			signalWindow()
			return true
		}
	}
	return func(iter int, value float64, par []float64) bool {
		C.glmmgo_sweep_threads(0)
		var p *C.double
		if len(par) > 0 {
			// par is Go memory without pointers: C may read it during the call.
			p = (*C.double)(unsafe.Pointer(&par[0]))
		}
		return C.glmmgo_call_progress(fn, userdata, C.int64_t(iter), C.double(value), p, C.int64_t(len(par))) == 0
	}
}
