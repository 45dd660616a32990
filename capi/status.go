package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Status codes of glmmgo.h; core error kinds map onto them one to one.
const (
	statusOK     = C.GLMMGO_OK
	statusForked = C.GLMMGO_ERR_FORKED
)

var _ = [1]struct{}{}[C.GLMMGO_ERR_STATE-int(errs.State)] // the kinds and codes agree

// startPid is the process that loaded the library. Go's runtime does not
// survive fork(); a child must not run Go code.
var startPid = os.Getpid()

func statusOf(err error) C.int {
	if err == nil {
		return statusOK
	}
	return C.int(errs.KindOf(err))
}

// writeMsg copies msg into the caller's buffer, truncated and NUL-terminated.
func writeMsg(buf *C.char, n C.size_t, msg string) {
	if buf == nil || n == 0 {
		return
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	k := copy(dst[:len(dst)-1], msg)
	dst[k] = 0
}

// report writes err's message (or "" for nil) and returns its status.
func report(err error, buf *C.char, n C.size_t) C.int {
	if err == nil {
		writeMsg(buf, n, "")
		return statusOK
	}
	writeMsg(buf, n, err.Error())
	return statusOf(err)
}

// enter starts every export: it refuses to run in a forked child.
func enter(buf *C.char, n C.size_t) (C.int, bool) {
	if syscall.Getpid() != startPid {
		writeMsg(buf, n, "glmmgo was called in a child process forked after the library started; Go's runtime does not survive fork (use a PSOCK cluster instead of mclapply)")
		return statusForked, false
	}
	return statusOK, true
}

// recoverInternal is deferred by every export: a panic becomes
// GLMMGO_ERR_INTERNAL with the panic value and where it happened.
func recoverInternal(status *C.int, buf *C.char, n C.size_t) {
	r := recover()
	if r == nil {
		return
	}
	where := ""
	for skip := 2; skip < 12; skip++ {
		pc, file, line, ok := runtime.Caller(skip)
		if !ok {
			break
		}
		fn := runtime.FuncForPC(pc)
		if fn != nil && !isRuntime(fn.Name()) {
			where = fmt.Sprintf(" at %s:%d", file, line)
			break
		}
	}
	*status = report(&errs.Error{Kind: errs.Internal, Msg: fmt.Sprintf("internal error (a bug in glmmgo, please report it): %v%s", r, where)}, buf, n)
}

func isRuntime(name string) bool {
	return len(name) >= 8 && name[:8] == "runtime."
}

//export glmmgo_go_available_workers
func glmmgo_go_available_workers() C.int32_t {
	return C.int32_t(availableWorkers())
}
