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
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The parameter count and the method codes of glmmgo.h agree with the
// core's (as call.go's checks: a change to one side alone does not compile).
var (
	_ = [1]struct{}{}[C.GLMMGO_MIXLOGIT_ESTIMATE-4001]
	_ = [1]struct{}{}[mixlogit.NumParams-5]
)

// mixlogitModel is the object behind a mixlogit model handle: the
// validated copy of the data.
type mixlogitModel struct {
	m *mixlogit.Model
}

var (
	kindMixlogitModel = kind{C.GLMMGO_KIND_MIXLOGIT_MODEL, "a mixlogit model"}
	kindMixlogitFit   = kind{C.GLMMGO_KIND_MIXLOGIT_FIT, "a mixlogit fit"}
)

func (*mixlogitModel) kind() kind { return kindMixlogitModel }

func (mm *mixlogitModel) dims() dims {
	return dims{n: mm.m.N(), t: mm.m.T(), npar: mixlogit.NumParams}
}

func (*mixlogitModel) output(C.int32_t) (output, bool) { return output{}, false }

func (*mixlogitModel) resultsHelp() string {
	return "a mixlogit model has none: fit it with glmmgo_mixlogit_fit"
}

// mixlogitNames are the core's argument names that the C functions spell differently.
var mixlogitNames = map[string]string{"T": "t"}

//export glmmgo_go_mixlogit_new
func glmmgo_go_mixlogit_new(n, t C.int64_t, y, x *C.double, model *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error {
		if e := handleOut(model, "model"); e != nil {
			return e
		}
		*model = 0
		d, e := mixlogitData(n, t, y, x)
		if e != nil {
			return e
		}
		m, e := mixlogit.New(d) // checks the sizes first, then copies
		if e != nil {
			return renameArgs(e, mixlogitNames)
		}
		*model = register(&mixlogitModel{m: m})
		return nil
	})
}

// mixlogitData views the arguments of glmmgo_mixlogit_new as a
// mixlogit.Data (slices over the caller's memory, valid during the call)
// after checking the counts and pointers. Counts below the model's minimum
// pass here so that mixlogit.New explains them.
func mixlogitData(n, t C.int64_t, y, x *C.double) (mixlogit.Data, error) {
	var d mixlogit.Data
	var err error
	if d.N, err = size(n, "n", 0); err != nil {
		return d, err
	}
	if d.T, err = size(t, "t", 0); err != nil {
		return d, err
	}
	nt, err := product(d.N, d.T, "y")
	if err != nil {
		return d, err
	}
	if d.Y, err = floats(unsafe.Pointer(y), nt, "y", false); err != nil {
		return d, err
	}
	d.X, err = floats(unsafe.Pointer(x), nt, "x", false)
	return d, err
}

//export glmmgo_go_mixlogit_objective
func glmmgo_go_mixlogit_objective(model C.glmmgo_handle, par *C.double, npar C.int64_t, nworkers C.int32_t, value *C.double,
	gradient, hessian *C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindMixlogitModel, err, errlen, func(mm *mixlogitModel) error {
		if value == nil {
			return errs.Invalidf("value", "is NULL; pass the address of a double")
		}
		*value = C.double(math.NaN())
		p, e := mixlogitPar(par, npar)
		if e != nil {
			return e
		}
		w, e := workers(nworkers)
		if e != nil {
			return e
		}
		lik, e := mm.m.Likelihood(w)
		if e != nil {
			return e
		}
		var g, h []float64
		if gradient != nil || hessian != nil {
			g, h = make([]float64, mixlogit.NumParams), make([]float64, mixlogit.NumParams*mixlogit.NumParams)
		}
		v, e := lik.Eval(p, g, h)
		if e != nil {
			return e
		}
		if gradient != nil {
			copy(unsafe.Slice((*float64)(unsafe.Pointer(gradient)), len(g)), g)
		}
		if hessian != nil {
			copy(unsafe.Slice((*float64)(unsafe.Pointer(hessian)), len(h)), h)
		}
		*value = C.double(v)
		return nil
	})
}

// mixlogitPar checks the par argument of glmmgo_mixlogit_objective: five
// finite values (GLMMGO_ERR_INVALID) inside the parameter space
// (GLMMGO_ERR_DOMAIN, as a variance <= 0 is for the other engines).
func mixlogitPar(par *C.double, npar C.int64_t) (mixlogit.Params, error) {
	var p mixlogit.Params
	if int64(npar) != mixlogit.NumParams {
		return p, errs.Invalidf("npar", "is %d; a mixlogit model has 5 parameters (beta1, beta2, sigma1, sigma2, pi1)", int64(npar))
	}
	v, err := floats(unsafe.Pointer(par), mixlogit.NumParams, "par", false)
	if err != nil {
		return p, err
	}
	for k, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return p, errs.Invalidf("par", "element %d (%s) is %g; must be finite", k, mixlogit.ParamNames[k], x)
		}
	}
	copy(p[:], v)
	if err := p.Check("par"); err != nil {
		if e, ok := err.(*errs.Error); ok {
			return p, &errs.Error{Kind: errs.Domain, Arg: e.Arg, Msg: e.Msg}
		}
		return p, err
	}
	return p, nil
}
