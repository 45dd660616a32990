package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"math"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
)

// maxElems bounds any array length the library accepts (2^40 doubles is 8
// TiB): sizes beyond it are surely corrupt, and products below it cannot
// overflow int64.
const maxElems = 1 << 40

// size validates a count argument.
func size(v C.int64_t, arg string, min int64) (int, error) {
	if int64(v) < min || int64(v) > maxElems {
		return 0, errs.Invalidf(arg, "is %d; must be between %d and %d", int64(v), min, int64(maxElems))
	}
	return int(v), nil
}

// product returns a*b for validated sizes, rejecting results over maxElems.
func product(a, b int, what string) (int, error) {
	if a != 0 && b > maxElems/a {
		return 0, errs.Invalidf(what, "size %d*%d is too large", a, b)
	}
	return a * b, nil
}

// floats views n doubles at p. A NULL p is an error when n > 0 unless
// optional, in which case it gives a nil slice.
func floats(p unsafe.Pointer, n int, arg string, optional bool) ([]float64, error) {
	if p == nil {
		if optional || n == 0 {
			return nil, nil
		}
		return nil, errs.Invalidf(arg, "is NULL; an array of %d doubles is required", n)
	}
	return unsafe.Slice((*float64)(p), n), nil
}

func int64s(p unsafe.Pointer, n int, arg string) ([]int64, error) {
	if p == nil {
		if n == 0 {
			return nil, nil
		}
		return nil, errs.Invalidf(arg, "is NULL; an array of %d int64 values is required", n)
	}
	return unsafe.Slice((*int64)(p), n), nil
}

// workers validates a worker count: 0 (all CPUs) or positive.
func workers(w C.int32_t) (int, error) {
	if w < 0 {
		return 0, errs.Invalidf("workers", "is %d; must be 0 (all CPUs) or positive", int32(w))
	}
	return int(w), nil
}

// startValues validates a pointer-and-length pair of starting values that
// must have n elements when given; nil means none.
func startValues(p *C.double, length C.int64_t, n int, what string) ([]float64, error) {
	if p == nil {
		if length != 0 {
			return nil, errs.Invalidf("start", "is NULL but start_len is %d; pass start_len = 0 for the default start", int64(length))
		}
		return nil, nil
	}
	if int64(length) != int64(n) {
		return nil, errs.Invalidf("start_len", "is %d; start needs %s = %d values", int64(length), what, n)
	}
	v, err := floats(unsafe.Pointer(p), n, "start", false)
	if err != nil {
		return nil, err
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, errs.Invalidf("start", "element %d is %g; must be finite", i, x)
		}
	}
	return append([]float64(nil), v...), nil
}

func handleOut(out *C.glmmgo_handle, arg string) error {
	if out == nil {
		return errs.Invalidf(arg, "is NULL; pass the address of a glmmgo_handle")
	}
	return nil
}
