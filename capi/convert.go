package main

/*
#include <stdint.h>
*/
import "C"

import (
	"math"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/parallel"
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

func finite(v float64, arg string) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return errs.Invalidf(arg, "is %g; must be finite", v)
	}
	return nil
}

func availableWorkers() int { return parallel.Available() }
