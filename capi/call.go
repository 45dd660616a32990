package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// The codes of glmmgo.h and of the core agree: each index below is 0
// exactly when the two sides have the same value, so a change to one side
// alone does not compile.
var (
	_ = [1]struct{}{}[C.GLMMGO_ERR_INVALID-int(errs.Invalid)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_DOMAIN-int(errs.Domain)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_NUMERIC-int(errs.Numeric)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_CANCELLED-int(errs.Cancelled)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_INTERNAL-int(errs.Internal)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_HANDLE-int(errs.Handle)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_BUSY-int(errs.Busy)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_STATE-int(errs.State)]
	_ = [1]struct{}{}[C.GLMMGO_ERR_FORKED-int(errs.State)-1] // the one code of the C guard alone
	_ = [1]struct{}{}[C.GLMMGO_ERR_RESOURCE-int(errs.Resource)]

	_ = [1]struct{}{}[C.GLMMGO_BERNOULLI-int(family.Bernoulli)]
	_ = [1]struct{}{}[C.GLMMGO_POISSON-int(family.Poisson)]
	_ = [1]struct{}{}[C.GLMMGO_BINOMIAL-int(family.Binomial)]
	_ = [1]struct{}{}[C.GLMMGO_NEGBINOMIAL-int(family.NegBinomial)]

	_ = [1]struct{}{}[C.GLMMGO_BLOCK_ROWS-parallel.BlockSize]
	_ = [1]struct{}{}[C.GLMMGO_MAX_BATCHES-parallel.MaxBatches]
	_ = [1]struct{}{}[C.GLMMGO_VERSION_NUMBER-(C.GLMMGO_VERSION_MAJOR*1000000+C.GLMMGO_VERSION_MINOR*1000+C.GLMMGO_VERSION_PATCH)]
)

// call is the body of every Go export that returns a status: it runs f,
// turns a panic into GLMMGO_ERR_INTERNAL, reports f's error (or success)
// as a status and a message in the caller's buffer, and returns the
// memory of a call that allocated much to the operating system
// (returnMemory). The fork guard has run before, in C (guard.c).
func call(err *C.char, errlen C.size_t, f func() error) (status C.int) {
	defer recoverInternal(&status, err, errlen)
	mark := allocated()
	status = report(f(), err, errlen)
	returnMemory(mark)
	return status
}

// withHandle is call for an export that works on one handle: it fetches
// handle h (the argument named arg) as a T of kind want, marks it busy
// while f runs, and reports f's error.
func withHandle[T object](h C.glmmgo_handle, arg string, want kind, err *C.char, errlen C.size_t, f func(T) error) C.int {
	return call(err, errlen, func() error {
		obj, release, e := use[T](int64(h), arg, want)
		if e != nil {
			return e
		}
		defer release()
		return f(obj)
	})
}

func statusOf(err error) C.int {
	if err == nil {
		return C.GLMMGO_OK
	}
	return C.int(errs.KindOf(err))
}

// writeMsg copies msg into the caller's buffer, truncated to n-1 bytes and
// NUL-terminated. Only the bytes written are viewed, so any n is safe, even
// one beyond the largest Go slice ((size_t)-1, "no limit").
func writeMsg(buf *C.char, n C.size_t, msg string) {
	if buf == nil || n == 0 {
		return
	}
	k := uint64(len(msg))
	if uint64(n)-1 < k {
		k = uint64(n) - 1
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(k)+1)
	copy(dst, msg[:k])
	dst[k] = 0
}

// report writes err's message (or "" for nil) and returns its status.
func report(err error, buf *C.char, n C.size_t) C.int {
	if err == nil {
		writeMsg(buf, n, "")
		return C.GLMMGO_OK
	}
	writeMsg(buf, n, err.Error())
	return statusOf(err)
}

// recoverInternal is deferred by call: a panic becomes GLMMGO_ERR_INTERNAL
// with the panic value and where it happened.
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
		if fn := runtime.FuncForPC(pc); fn != nil && !strings.HasPrefix(fn.Name(), "runtime.") {
			where = fmt.Sprintf(" at %s:%d", file, line)
			break
		}
	}
	*status = report(&errs.Error{Kind: errs.Internal, Msg: fmt.Sprintf("internal error (a bug in glmmgo, please report it): %v%s", r, where)}, buf, n)
}

// renameArgs renames the core's names of arguments to those of the C
// functions, so that messages name what the caller passed.
func renameArgs(err error, names map[string]string) error {
	if e, ok := err.(*errs.Error); ok {
		if to, ok := names[e.Arg]; ok {
			e.Arg = to
		}
	}
	return err
}

// glmmgo_go_attach does nothing: guard.c calls it once per thread, before
// the thread's first real call, so that Go's per-thread set-up happens
// with the thread's own signal mask (see attach_thread there).
//
//export glmmgo_go_attach
func glmmgo_go_attach() {}

//export glmmgo_go_available_workers
func glmmgo_go_available_workers() C.int32_t {
	return C.int32_t(parallel.Available())
}

//export glmmgo_go_set_memory_limit
func glmmgo_go_set_memory_limit(bytes C.int64_t, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error { return budget.SetLimit(int64(bytes)) })
}

//export glmmgo_go_memory_limit
func glmmgo_go_memory_limit(bytes *C.int64_t, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error {
		if bytes == nil {
			return errs.Invalidf("bytes", "is NULL; pass the address of an int64_t")
		}
		*bytes = C.int64_t(budget.Limit())
		return nil
	})
}

//export glmmgo_go_free
func glmmgo_go_free(h C.glmmgo_handle) C.int {
	return call(nil, 0, func() error { return free(int64(h)) })
}
