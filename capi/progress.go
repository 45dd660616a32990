package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import "unsafe"

// progressFunc wraps a caller's callback for the core's fits, which call it
// on the calling goroutine (so on the caller's thread) and stop when it
// returns false. nil stays nil.
func progressFunc(fn C.glmmgo_progress_fn, userdata unsafe.Pointer) func(iter int, value float64, par []float64) bool {
	if fn == nil {
		return nil
	}
	return func(iter int, value float64, par []float64) bool {
		var p *C.double
		if len(par) > 0 {
			// par is Go memory without pointers: C may read it during the call.
			p = (*C.double)(unsafe.Pointer(&par[0]))
		}
		return C.glmmgo_call_progress(fn, userdata, C.int64_t(iter), C.double(value), p, C.int64_t(len(par))) == 0
	}
}
