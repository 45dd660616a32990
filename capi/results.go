package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
)

// A result of one kind of handle, as a table entry: its name in glmmgo.h,
// its length for a given handle, and how to write it into a buffer of
// exactly that length (the caller's memory: nothing is copied twice).
// Exactly one of floats and ints is set.
type result[T any] struct {
	name   string
	length func(T) int
	floats func(T, []float64) error
	ints   func(T, []int64) error
	// absent, if set, says why this handle does not have the result
	// (nil: it has); its length and its values are then that error.
	absent func(T) error
}

// An output is a result bound to one handle's object.
type output struct {
	name   string
	n      int
	floats func([]float64) error
	ints   func([]int64) error
	absent error
}

func (r result[T]) bind(x T) output {
	if r.absent != nil {
		if err := r.absent(x); err != nil {
			return output{name: r.name, absent: err}
		}
	}
	o := output{name: r.name, n: r.length(x)}
	if r.floats != nil {
		o.floats = func(dst []float64) error { return r.floats(x, dst) }
	} else {
		o.ints = func(dst []int64) error { return r.ints(x, dst) }
	}
	return o
}

// lookup finds what in a kind's table.
func lookup[T any](table map[C.int32_t]result[T], x T, what C.int32_t) (output, bool) {
	r, ok := table[what]
	if !ok {
		return output{}, false
	}
	return r.bind(x), true
}

// Table entries for results that are slices or scalars of the object.
func floatsOf[T any](name string, get func(T) []float64) result[T] {
	return result[T]{name: name, length: func(x T) int { return len(get(x)) },
		floats: func(x T, dst []float64) error { copy(dst, get(x)); return nil }}
}

func scalarOf[T any](name string, get func(T) float64) result[T] {
	return floatsOf(name, func(x T) []float64 { return []float64{get(x)} })
}

func intsOf[T any](name string, get func(T) []int64) result[T] {
	return result[T]{name: name, length: func(x T) int { return len(get(x)) },
		ints: func(x T, dst []int64) error { copy(dst, get(x)); return nil }}
}

func intOf[T any](name string, get func(T) int) result[T] {
	return intsOf(name, func(x T) []int64 { return []int64{int64(get(x))} })
}

func flagOf[T any](name string, get func(T) bool) result[T] {
	return intOf(name, func(x T) int {
		if get(x) {
			return 1
		}
		return 0
	})
}

func toInt64s(v []int) []int64 {
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = int64(x)
	}
	return out
}

// codeRange describes a table's codes for messages: "GLMMGO_LMM_THETA, ...".
func codeRange[T any](table map[C.int32_t]result[T]) string {
	codes := make([]int, 0, len(table))
	for c := range table {
		codes = append(codes, int(c))
	}
	slices.Sort(codes)
	if len(codes) == 0 {
		return "none"
	}
	return fmt.Sprintf("%s (%d) to %s (%d)", table[C.int32_t(codes[0])].name, codes[0], table[C.int32_t(codes[len(codes)-1])].name, codes[len(codes)-1])
}

// find returns result what of obj, or an error naming what and saying
// which results obj's kind has.
func find(obj object, h C.glmmgo_handle, what C.int32_t) (output, error) {
	out, ok := obj.output(what)
	if !ok {
		return out, errs.Invalidf("what", "%d is not a result of %s (handle %d); %s", int32(what), obj.kind().name, int64(h), obj.resultsHelp())
	}
	return out, out.absent
}

func checkLength(out output, length C.int64_t) error {
	if int64(length) != int64(out.n) {
		return errs.Invalidf("len", "is %d; %s has %d values here", int64(length), out.name, out.n)
	}
	return nil
}

//export glmmgo_go_result_length
func glmmgo_go_result_length(h C.glmmgo_handle, what C.int32_t, length *C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", anyKind, err, errlen, func(obj object) error {
		if length == nil {
			return errs.Invalidf("len", "is NULL; pass the address of an int64_t")
		}
		out, e := find(obj, h, what)
		if e != nil {
			return e
		}
		*length = C.int64_t(out.n)
		return nil
	})
}

//export glmmgo_go_result
func glmmgo_go_result(h C.glmmgo_handle, what C.int32_t, buf *C.double, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", anyKind, err, errlen, func(obj object) error {
		out, e := find(obj, h, what)
		if e != nil {
			return e
		}
		if out.floats == nil {
			return errs.Invalidf("what", "%s is an integer result: read it with glmmgo_result_int64", out.name)
		}
		if e := checkLength(out, length); e != nil {
			return e
		}
		dst, e := floats(unsafe.Pointer(buf), out.n, "buf", false)
		if e != nil {
			return e
		}
		return out.floats(dst)
	})
}

//export glmmgo_go_result_int64
func glmmgo_go_result_int64(h C.glmmgo_handle, what C.int32_t, buf *C.int64_t, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", anyKind, err, errlen, func(obj object) error {
		out, e := find(obj, h, what)
		if e != nil {
			return e
		}
		if out.ints == nil {
			return errs.Invalidf("what", "%s is a double result: read it with glmmgo_result", out.name)
		}
		if e := checkLength(out, length); e != nil {
			return e
		}
		dst, e := int64s(unsafe.Pointer(buf), out.n, "buf")
		if e != nil {
			return e
		}
		return out.ints(dst)
	})
}

// dims are the fields of glmmgo_dims a kind reports (0 where it has none).
type dims struct {
	n, p, pGiven, q, nvc, ntheta, nterms, npar, m, t int
}

//export glmmgo_go_dims
func glmmgo_go_dims(h C.glmmgo_handle, out *C.struct_glmmgo_dims, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", anyKind, err, errlen, func(obj object) error {
		if out == nil {
			return errs.Invalidf("dims", "is NULL; pass the address of a glmmgo_dims with size = sizeof(struct glmmgo_dims)")
		}
		n, e := structSize[C.struct_glmmgo_dims](out.size, "struct glmmgo_dims")
		if e != nil {
			return e
		}
		d := obj.dims()
		full := C.struct_glmmgo_dims{size: out.size, kind: obj.kind().code, n: C.int64_t(d.n), p: C.int64_t(d.p),
			p_given: C.int64_t(d.pGiven), q: C.int64_t(d.q), nvc: C.int64_t(d.nvc), ntheta: C.int64_t(d.ntheta),
			nterms: C.int64_t(d.nterms), npar: C.int64_t(d.npar), m: C.int64_t(d.m), t: C.int64_t(d.t)}
		copyFields(out, &full, n)
		return nil
	})
}
