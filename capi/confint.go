package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
)

// A waldFit is a fit with Wald intervals for its parameters: MCLA, laplace and
// mixlogit fits. waldLen gives the number of parameters and how a message
// names it ("p + nvc").
type waldFit interface {
	object
	waldLen() (int, string)
	confInt(level float64) (lo, hi []float64, err error)
}

var kindWaldFit = kind{0, "an MCLA, laplace or mixlogit fit"}

//export glmmgo_go_confint
func glmmgo_go_confint(fit C.glmmgo_handle, level C.double, lower, upper *C.double, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(fit, "fit", kindWaldFit, err, errlen, func(f waldFit) error {
		npar, what := f.waldLen()
		if int64(length) != int64(npar) {
			return errs.Invalidf("len", "is %d; the fit has %s = %d parameters", int64(length), what, npar)
		}
		lo, e := floats(unsafe.Pointer(lower), npar, "lower", false)
		if e != nil {
			return e
		}
		hi, e := floats(unsafe.Pointer(upper), npar, "upper", false)
		if e != nil {
			return e
		}
		l, h, e := f.confInt(float64(level))
		if e != nil {
			return e
		}
		copy(lo, l)
		copy(hi, h)
		return nil
	})
}
