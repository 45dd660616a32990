package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
#include "signals.h"
*/
import "C"

import (
	"fmt"
	"sync"

	"github.com/glmmgo/glmmgo/core/errs"
)

// A kind of handle: its code in glmmgo.h and its name in messages.
type kind struct {
	code C.int32_t
	name string
}

// anyKind is what calls that take every kind of handle ask for.
var anyKind = kind{0, "a handle"}

// An object is what a handle names. Every kind (one per engine's models and
// fits, declared in the engine's file) reports its dimensions, looks up its
// results in its table (results.go), and says which results it has.
type object interface {
	kind() kind
	dims() dims
	output(what C.int32_t) (output, bool)
	resultsHelp() string
}

// A closer holds resources beyond Go memory (an LMM's worker goroutines),
// released when its handle is freed.
type closer interface{ Close() }

// The registry maps handles (never reused, never 0) to entries; an
// entry's busy flag detects two calls using one handle at once, which the
// header forbids, and owner says which call set it.
type entry struct {
	obj   object
	busy  bool
	owner callFrame
}

// callFrame identifies a call: its thread, the address of its frame on
// that thread's stack, and the frame of a progress callback that was left
// without returning, if any (signals.h, glmmgo_call_frame).
type callFrame struct{ thread, frame, callback uintptr }

func currentCall() callFrame {
	var t, f, cb C.uintptr_t
	C.glmmgo_call_frame(&t, &f, &cb)
	return callFrame{uintptr(t), uintptr(f), uintptr(cb)}
}

// abandonedBy reports whether the call that holds an entry (owner) was
// left by a progress callback that jumped out (longjmp; the header forbids
// it) rather than returned, as seen from the current call on the same
// thread: the callback's frame, still recorded, lies below the current
// call's frame (stacks grow down), so the current call is not running
// inside that callback, and the owner's frame encloses it. The abandoned
// call's frames never run again: its handles can be freed (their memory,
// which those frames reference, cannot be reclaimed). The distance bound
// keeps a host that switches stacks on one thread (coroutines) from being
// mistaken for a jump.
func abandonedBy(owner, cur callFrame) bool {
	cb := cur.callback
	return owner.thread == cur.thread && cb != 0 && cb < cur.frame && cur.frame-cb < 1<<20 && owner.frame > cb
}

var registry = struct {
	sync.Mutex
	next    int64
	entries map[int64]*entry
}{entries: map[int64]*entry{}}

func register(obj object) C.glmmgo_handle {
	registry.Lock()
	defer registry.Unlock()
	registry.next++
	registry.entries[registry.next] = &entry{obj: obj}
	return C.glmmgo_handle(registry.next)
}

func invalidHandle(h int64, arg string) error {
	if h == 0 {
		return &errs.Error{Kind: errs.Handle, Arg: arg, Msg: "handle 0 is never valid (was it created successfully?)"}
	}
	return &errs.Error{Kind: errs.Handle, Arg: arg, Msg: fmt.Sprintf("handle %d is not valid: never created, or already freed", h)}
}

// use fetches handle h (the argument named arg) as a T, marking it busy;
// call the returned release when done. want names T in messages.
func use[T object](h int64, arg string, want kind) (T, func(), error) {
	var zero T
	registry.Lock()
	defer registry.Unlock()
	e := registry.entries[h]
	if e == nil {
		return zero, nil, invalidHandle(h, arg)
	}
	obj, ok := e.obj.(T)
	if !ok {
		return zero, nil, &errs.Error{Kind: errs.Handle, Arg: arg, Msg: fmt.Sprintf("handle %d is %s, not %s", h, e.obj.kind().name, want.name)}
	}
	if e.busy {
		return zero, nil, &errs.Error{Kind: errs.Busy, Arg: arg, Msg: fmt.Sprintf("handle %d is in use by another thread; one handle must be used by one thread at a time", h)}
	}
	e.busy, e.owner = true, currentCall()
	return obj, func() {
		registry.Lock()
		e.busy = false
		registry.Unlock()
	}, nil
}

func free(h int64) error {
	registry.Lock()
	e := registry.entries[h]
	if e == nil {
		registry.Unlock()
		return invalidHandle(h, "h")
	}
	if e.busy && !abandonedBy(e.owner, currentCall()) {
		registry.Unlock()
		return &errs.Error{Kind: errs.Busy, Arg: "h", Msg: fmt.Sprintf("handle %d is in use by another call", h)}
	}
	delete(registry.entries, h)
	registry.Unlock()
	if c, ok := e.obj.(closer); ok {
		c.Close()
	}
	return nil
}
