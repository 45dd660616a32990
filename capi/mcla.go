package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/parallel"
)

const mclaKind = "an MCLA model"

//export glmmgo_go_mcla_new
func glmmgo_go_mcla_new(n, p, q C.int64_t, fam C.int32_t,
	y, ntrials, weights, x *C.glmmgo_cdouble,
	nnz C.int64_t, zRow, zCol *C.glmmgo_cint64, zVal *C.glmmgo_cdouble,
	nvc C.int64_t, vcOfColumn *C.glmmgo_cint64,
	out *C.glmmgo_handle, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	h, e := newMCLA(n, p, q, fam, y, ntrials, weights, x, nnz, zRow, zCol, zVal, nvc, vcOfColumn, out)
	if e == nil {
		*out = C.glmmgo_handle(h)
	}
	return report(e, err, errlen)
}

func newMCLA(n, p, q C.int64_t, fam C.int32_t, y, ntrials, weights, x *C.glmmgo_cdouble,
	nnz C.int64_t, zRow, zCol *C.glmmgo_cint64, zVal *C.glmmgo_cdouble, nvc C.int64_t, vcOfColumn *C.glmmgo_cint64,
	out *C.glmmgo_handle) (int64, error) {
	d, err := mclaData(n, p, q, fam, y, ntrials, weights, x, nnz, zRow, zCol, zVal, nvc, vcOfColumn, out)
	if err != nil {
		return 0, err
	}
	m, err := mcla.New(d)
	if err != nil {
		return 0, err
	}
	return register(mclaKind, m), nil
}

// mclaData views the arguments of glmmgo_mcla_new and glmmgo_mclafit_new as
// an mcla.Data (slices over the caller's memory, valid during the call),
// after checking sizes and pointers, and zeroes *out.
func mclaData(n, p, q C.int64_t, fam C.int32_t, y, ntrials, weights, x *C.glmmgo_cdouble,
	nnz C.int64_t, zRow, zCol *C.glmmgo_cint64, zVal *C.glmmgo_cdouble, nvc C.int64_t, vcOfColumn *C.glmmgo_cint64,
	out *C.glmmgo_handle) (mcla.Data, error) {
	var d mcla.Data
	if out == nil {
		return d, errs.Invalidf("out", "is NULL; pass the address of a glmmgo_handle")
	}
	*out = 0
	var err error
	d.Family = family.Code(fam)
	if d.N, err = size(n, "n", 1); err != nil {
		return d, err
	}
	if d.P, err = size(p, "p", 0); err != nil {
		return d, err
	}
	if d.Q, err = size(q, "q", 1); err != nil {
		return d, err
	}
	if d.NVC, err = size(nvc, "nvc", 1); err != nil {
		return d, err
	}
	nz, err := size(nnz, "nnz", 1)
	if err != nil {
		return d, err
	}
	np, err := product(d.N, d.P, "x")
	if err != nil {
		return d, err
	}
	if d.Y, err = floats(unsafe.Pointer(y), d.N, "y", false); err != nil {
		return d, err
	}
	if d.Trials, err = floats(unsafe.Pointer(ntrials), d.N, "ntrials", true); err != nil {
		return d, err
	}
	if d.Weights, err = floats(unsafe.Pointer(weights), d.N, "weights", true); err != nil {
		return d, err
	}
	if d.X, err = floats(unsafe.Pointer(x), np, "x", false); err != nil {
		return d, err
	}
	if d.ZRow, err = int64s(unsafe.Pointer(zRow), nz, "z_row"); err != nil {
		return d, err
	}
	if d.ZCol, err = int64s(unsafe.Pointer(zCol), nz, "z_col"); err != nil {
		return d, err
	}
	if d.ZVal, err = floats(unsafe.Pointer(zVal), nz, "z_val", false); err != nil {
		return d, err
	}
	d.VCOf, err = int64s(unsafe.Pointer(vcOfColumn), d.Q, "vc_of_column")
	return d, err
}

//export glmmgo_go_mcla_set_importance
func glmmgo_go_mcla_set_importance(h C.glmmgo_handle, zeta C.double, pMix, uStar, dStar, sigmaInv *C.glmmgo_cdouble,
	err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclaKind, err, errlen, func(m *mcla.Model) error {
		return setImportance(m, float64(zeta), pMix, uStar, dStar, sigmaInv)
	})
}

func setImportance(m *mcla.Model, zeta float64, pMix, uStar, dStar, sigmaInv *C.glmmgo_cdouble) error {
	_, _, q, _ := m.Dims()
	pm, err := floats(unsafe.Pointer(pMix), 3, "p_mix", false)
	if err != nil {
		return err
	}
	imp := importance.Params{Zeta: zeta}
	copy(imp.P[:], pm)
	if imp.UStar, err = floats(unsafe.Pointer(uStar), q, "u_star", false); err != nil {
		return err
	}
	if imp.DStar, err = floats(unsafe.Pointer(dStar), q, "d_star", false); err != nil {
		return err
	}
	qq, err := product(q, q, "sigma_inv")
	if err != nil {
		return err
	}
	if imp.SigmaInv, err = floats(unsafe.Pointer(sigmaInv), qq, "sigma_inv", true); err != nil {
		return err
	}
	return m.SetImportance(imp, 0)
}

//export glmmgo_go_mcla_set_samples
func glmmgo_go_mcla_set_samples(h C.glmmgo_handle, mrows C.int64_t, umat *C.glmmgo_cdouble, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclaKind, err, errlen, func(m *mcla.Model) error {
		return setSamples(m, mrows, umat)
	})
}

func setSamples(m *mcla.Model, mrows C.int64_t, umat *C.glmmgo_cdouble) error {
	_, _, q, _ := m.Dims()
	k, err := size(mrows, "m", 1)
	if err != nil {
		return err
	}
	kq, err := product(k, q, "umat")
	if err != nil {
		return err
	}
	u, err := floats(unsafe.Pointer(umat), kq, "umat", false)
	if err != nil {
		return err
	}
	return m.SetSamples(k, u, 0)
}

//export glmmgo_go_mcla_objective
func glmmgo_go_mcla_objective(h C.glmmgo_handle, par *C.glmmgo_cdouble, workers C.int32_t, value, gradient, hessian *C.double,
	err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclaKind, err, errlen, func(m *mcla.Model) error {
		return objective(m, par, int(workers), value, gradient, hessian)
	})
}

// result views the caller's output buffers as an mcla.Result.
func result(m *mcla.Model, value, gradient, hessian *C.double) (*mcla.Result, error) {
	if value == nil {
		return nil, errs.Invalidf("value", "is NULL; pass the address of a double")
	}
	d := m.NPar()
	var res mcla.Result
	var err error
	if res.Gradient, err = floats(unsafe.Pointer(gradient), d, "gradient", true); err != nil {
		return nil, err
	}
	if res.Hessian, err = floats(unsafe.Pointer(hessian), d*d, "hessian", true); err != nil {
		return nil, err
	}
	return &res, nil
}

func parameters(m *mcla.Model, par *C.glmmgo_cdouble) ([]float64, error) {
	return floats(unsafe.Pointer(par), m.NPar(), "par", false)
}

func objective(m *mcla.Model, par *C.glmmgo_cdouble, workers int, value, gradient, hessian *C.double) error {
	res, err := result(m, value, gradient, hessian)
	if err != nil {
		return err
	}
	pv, err := parameters(m, par)
	if err != nil {
		return err
	}
	err = m.Evaluate(pv, workers, res)
	*value = C.double(res.Value)
	return err
}

//export glmmgo_go_mcla_dims
func glmmgo_go_mcla_dims(h C.glmmgo_handle, n, p, q, nvc, mrows *C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclaKind, err, errlen, func(m *mcla.Model) error {
		nn, pp, qq, tt := m.Dims()
		for _, o := range []struct {
			dst *C.int64_t
			v   int
		}{{n, nn}, {p, pp}, {q, qq}, {nvc, tt}, {mrows, m.Samples()}} {
			if o.dst != nil {
				*o.dst = C.int64_t(o.v)
			}
		}
		return nil
	})
}

//export glmmgo_go_mcla_partial_length
func glmmgo_go_mcla_partial_length(h C.glmmgo_handle, length *C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclaKind, err, errlen, func(m *mcla.Model) error {
		if length == nil {
			return errs.Invalidf("len", "is NULL; pass the address of an int64_t")
		}
		*length = C.int64_t(parallel.FlatLen(m.SumsLen()))
		return nil
	})
}

//export glmmgo_go_mcla_partial
func glmmgo_go_mcla_partial(h C.glmmgo_handle, par *C.glmmgo_cdouble, rowBegin, rowEnd C.int64_t, workers C.int32_t,
	partial *C.double, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclaKind, err, errlen, func(m *mcla.Model) error {
		return evalPartial(m, par, rowBegin, rowEnd, int(workers), partial, length)
	})
}

func evalPartial(m *mcla.Model, par *C.glmmgo_cdouble, rowBegin, rowEnd C.int64_t, workers int, partial *C.double, length C.int64_t) error {
	want := parallel.FlatLen(m.SumsLen())
	if int64(length) != int64(want) {
		return errs.Invalidf("len", "is %d; a partial of this model has %d doubles (glmmgo_mcla_partial_length)", int64(length), want)
	}
	out, err := floats(unsafe.Pointer(partial), want, "partial", false)
	if err != nil {
		return err
	}
	pv, err := parameters(m, par)
	if err != nil {
		return err
	}
	if m.Samples() == 0 {
		return errs.Statef("set the importance density and samples before computing a partial")
	}
	if rowBegin < 0 || rowEnd > C.int64_t(m.Samples()) || rowBegin >= rowEnd {
		return errs.Invalidf("row_begin", "rows [%d, %d) are not a non-empty range of the %d samples", int64(rowBegin), int64(rowEnd), m.Samples())
	}
	p := parallel.NewPartial(m.SumsLen())
	if err := m.Partial(pv, int(rowBegin), int(rowEnd), workers, p); err != nil {
		return err
	}
	p.Flatten(out)
	return nil
}

//export glmmgo_go_mcla_merge
func glmmgo_go_mcla_merge(h C.glmmgo_handle, par *C.glmmgo_cdouble, npartials C.int64_t, partials *C.glmmgo_cdouble, length C.int64_t,
	value, gradient, hessian *C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclaKind, err, errlen, func(m *mcla.Model) error {
		return merge(m, par, npartials, partials, length, value, gradient, hessian)
	})
}

func merge(m *mcla.Model, par *C.glmmgo_cdouble, npartials C.int64_t, partials *C.glmmgo_cdouble, length C.int64_t, value, gradient, hessian *C.double) error {
	want := parallel.FlatLen(m.SumsLen())
	if int64(length) != int64(want) {
		return errs.Invalidf("len", "is %d; a partial of this model has %d doubles (glmmgo_mcla_partial_length)", int64(length), want)
	}
	k, err := size(npartials, "npartials", 1)
	if err != nil {
		return err
	}
	total, err := product(k, want, "partials")
	if err != nil {
		return err
	}
	all, err := floats(unsafe.Pointer(partials), total, "partials", false)
	if err != nil {
		return err
	}
	res, err := result(m, value, gradient, hessian)
	if err != nil {
		return err
	}
	pv, err := parameters(m, par)
	if err != nil {
		return err
	}
	tot, one := parallel.NewPartial(m.SumsLen()), parallel.NewPartial(m.SumsLen())
	for i := 0; i < k; i++ {
		if err := one.Unflatten(all[i*want:(i+1)*want], "partials"); err != nil {
			if e, ok := err.(*errs.Error); ok {
				e.Msg = fmt.Sprintf("%s (partial %d of %d)", e.Msg, i, k)
			}
			return err
		}
		tot.Merge(one)
	}
	if tot.Count == 0 {
		return errs.Invalidf("partials", "cover no samples: every count is 0")
	}
	err = m.Finish(pv, tot, res)
	*value = C.double(res.Value)
	return err
}

//export glmmgo_go_free
func glmmgo_go_free(h C.glmmgo_handle) (status C.int) {
	if s, ok := enter(nil, 0); !ok {
		return s
	}
	defer recoverInternal(&status, nil, 0)
	return statusOf(free(int64(h)))
}
