package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/glmmgo/glmmgo/core/errs"
)

// A handle names one object kept by the library. The registry maps handles
// (never reused, never 0) to entries; an entry's busy flag detects two
// threads using one handle at once, which the header forbids.
type entry struct {
	kind string // what the handle is, for messages: "an MCLA model"
	obj  any
	busy atomic.Bool
}

var registry = struct {
	sync.Mutex
	next    int64
	entries map[int64]*entry
}{entries: map[int64]*entry{}}

func register(kind string, obj any) int64 {
	registry.Lock()
	defer registry.Unlock()
	registry.next++
	registry.entries[registry.next] = &entry{kind: kind, obj: obj}
	return registry.next
}

func lookup(h int64) (*entry, error) {
	registry.Lock()
	e := registry.entries[h]
	registry.Unlock()
	if e == nil {
		if h == 0 {
			return nil, &errs.Error{Kind: errs.Handle, Arg: "h", Msg: "handle 0 is never valid (was the model created successfully?)"}
		}
		return nil, &errs.Error{Kind: errs.Handle, Arg: "h", Msg: fmt.Sprintf("handle %d is not valid: never created, or already freed", h)}
	}
	return e, nil
}

// use fetches handle h as a T, marking it busy; call the returned release
// when done. kind names T in messages.
func use[T any](h int64, kind string) (T, func(), error) {
	var zero T
	e, err := lookup(h)
	if err != nil {
		return zero, nil, err
	}
	obj, ok := e.obj.(T)
	if !ok {
		return zero, nil, &errs.Error{Kind: errs.Handle, Arg: "h", Msg: fmt.Sprintf("handle %d is %s, not %s", h, e.kind, kind)}
	}
	if !e.busy.CompareAndSwap(false, true) {
		return zero, nil, &errs.Error{Kind: errs.Busy, Arg: "h", Msg: fmt.Sprintf("handle %d is in use by another thread; one handle must be used by one thread at a time", h)}
	}
	return obj, func() { e.busy.Store(false) }, nil
}

// withHandle is the body of every export that works on one handle: it
// refuses a forked child, recovers panics, fetches handle h as a T (kind
// names T in messages) and marks it busy while f runs, then reports f's
// error as a status and message.
func withHandle[T any](h C.glmmgo_handle, kind string, err *C.char, errlen C.size_t, f func(T) error) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	obj, release, e := use[T](int64(h), kind)
	if e != nil {
		return report(e, err, errlen)
	}
	defer release()
	return report(f(obj), err, errlen)
}

func free(h int64) error {
	registry.Lock()
	defer registry.Unlock()
	e := registry.entries[h]
	if e == nil {
		return &errs.Error{Kind: errs.Handle, Arg: "h", Msg: fmt.Sprintf("handle %d is not valid: never created, or already freed", h)}
	}
	if e.busy.Load() {
		return &errs.Error{Kind: errs.Busy, Arg: "h", Msg: fmt.Sprintf("handle %d is in use by another thread", h)}
	}
	delete(registry.entries, h)
	if c, ok := e.obj.(interface{ Close() }); ok {
		c.Close() // e.g. an LMM's worker goroutines
	}
	return nil
}

// liveHandles is the number of handles not yet freed (for leak tests).
func liveHandles() int {
	registry.Lock()
	defer registry.Unlock()
	return len(registry.entries)
}
