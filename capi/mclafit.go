package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
int glmmgo_call_progress(glmmgo_progress_fn fn, void *userdata, int64_t iter, double objective, const double *par, int64_t npar);
*/
import "C"

import (
	"math"
	"slices"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/fit/mclafit"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
)

const mclafitKind = "an MCLA fit"

// fitHandle is the object behind a glmmgo_mclafit handle: validated data,
// and the fit once run.
type fitHandle struct {
	data mcla.Data
	fit  *mclafit.Fit
}

func (f *fitHandle) done() (*mclafit.Fit, error) {
	if f.fit == nil {
		return nil, errs.Statef("the fit has not run successfully yet (call glmmgo_mclafit_run)")
	}
	return f.fit, nil
}

//export glmmgo_go_mclafit_new
func glmmgo_go_mclafit_new(n, p, q C.int64_t, fam C.int32_t,
	y, ntrials, weights, x *C.glmmgo_cdouble,
	nnz C.int64_t, zRow, zCol *C.glmmgo_cint64, zVal *C.glmmgo_cdouble,
	nvc C.int64_t, vcOfColumn *C.glmmgo_cint64, dispersion C.double,
	out *C.glmmgo_handle, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	h, e := newFit(n, p, q, fam, y, ntrials, weights, x, nnz, zRow, zCol, zVal, nvc, vcOfColumn, float64(dispersion), out)
	if e == nil {
		*out = C.glmmgo_handle(h)
	}
	return report(e, err, errlen)
}

func newFit(n, p, q C.int64_t, fam C.int32_t, y, ntrials, weights, x *C.glmmgo_cdouble,
	nnz C.int64_t, zRow, zCol *C.glmmgo_cint64, zVal *C.glmmgo_cdouble, nvc C.int64_t, vcOfColumn *C.glmmgo_cint64,
	dispersion float64, out *C.glmmgo_handle) (int64, error) {
	d, err := mclaData(n, p, q, fam, y, ntrials, weights, x, nnz, zRow, zCol, zVal, nvc, vcOfColumn, out)
	if err != nil {
		return 0, err
	}
	d.Dispersion = dispersion
	// Copy everything: the handle outlives the caller's arrays.
	d.Y, d.Trials, d.Weights, d.X, d.ZVal = slices.Clone(d.Y), slices.Clone(d.Trials), slices.Clone(d.Weights), slices.Clone(d.X), slices.Clone(d.ZVal)
	d.ZRow, d.ZCol, d.VCOf = slices.Clone(d.ZRow), slices.Clone(d.ZCol), slices.Clone(d.VCOf)
	if _, err := mcla.New(d); err != nil { // validate now, not at run time
		return 0, err
	}
	return register(mclafitKind, &fitHandle{data: d}), nil
}

//export glmmgo_go_mclafit_run
func glmmgo_go_mclafit_run(h C.glmmgo_handle, opt *C.glmmgo_cmclafit_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer,
	err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclafitKind, err, errlen, func(f *fitHandle) error {
		return runFit(f, opt, progress, userdata)
	})
}

func runFit(f *fitHandle, opt *C.glmmgo_cmclafit_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer) error {
	o, err := options(f, opt, progress, userdata)
	if err != nil {
		return err
	}
	f.fit = nil
	fit, err := mclafit.Run(f.data, o)
	if err != nil {
		return err
	}
	f.fit = fit
	return nil
}

// options converts and validates the C options.
func options(f *fitHandle, opt *C.glmmgo_cmclafit_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer) (mclafit.Options, error) {
	var none mclafit.Options
	if opt == nil {
		return none, errs.Invalidf("opt", "is NULL; fill a glmmgo_mclafit_options with glmmgo_mclafit_options_default")
	}
	m, err := size(opt.m, "m", 1)
	if err != nil {
		return none, err
	}
	o := mclafit.Options{M: m, Zeta: float64(opt.zeta), Seed: uint64(opt.seed), Workers: int(opt.workers),
		RInit: float64(opt.rinit), RMax: float64(opt.rmax), NoPQL: opt.no_pql != 0, ESSWarn: float64(opt.ess_warn),
		TAtUStar: opt.t_at_ustar != 0}
	for i := range o.P {
		o.P[i] = float64(opt.p_mix[i])
	}
	if o.P == [3]float64{} {
		return none, errs.Invalidf("p_mix", "is all zero; the probabilities must sum to 1 (defaults: 1/3 each)")
	}
	if o.Zeta == 0 {
		return none, errs.Invalidf("zeta", "is 0; the t degrees of freedom must be positive (default 5)")
	}
	if o.RInit == 0 || o.RMax == 0 {
		return none, errs.Invalidf("rinit", "rinit = %g and rmax = %g must be positive (defaults 10 and 1000)", o.RInit, o.RMax)
	}
	if opt.iterlim < 1 || opt.iterlim > math.MaxInt32 {
		return none, errs.Invalidf("iterlim", "is %d; must be between 1 and %d", int64(opt.iterlim), math.MaxInt32)
	}
	o.IterLim = int(opt.iterlim)
	if !(o.ESSWarn >= 0) {
		return none, errs.Invalidf("ess_warn", "is %g; must be non-negative", o.ESSWarn)
	}
	if o.ESSWarn == 0 {
		o.ESSWarn = math.SmallestNonzeroFloat64 // 0 asks for no warning
	}
	npar := f.data.P + f.data.NVC
	if opt.par_init != nil {
		v, err := floats(unsafe.Pointer(opt.par_init), npar, "par_init", false)
		if err != nil {
			return none, err
		}
		o.Start = append([]float64(nil), v...)
	}
	if progress != nil {
		o.Progress = func(iter int, value float64, par []float64) bool {
			return C.glmmgo_call_progress(progress, userdata, C.int64_t(iter), C.double(value),
				(*C.double)(unsafe.Pointer(&par[0])), C.int64_t(len(par))) == 0
		}
	}
	return o, nil
}

// withFit runs fn on a finished fit, for a getter.
func withFit(h C.glmmgo_handle, err *C.char, errlen C.size_t, fn func(*mclafit.Fit) error) C.int {
	f, release, e := use[*fitHandle](int64(h), mclafitKind)
	if e != nil {
		return report(e, err, errlen)
	}
	defer release()
	fit, e := f.done()
	if e != nil {
		return report(e, err, errlen)
	}
	return report(fn(fit), err, errlen)
}

// put copies v into the caller's buffer p (skipped when p is NULL).
func put(p *C.double, v []float64) {
	if p == nil || len(v) == 0 {
		return
	}
	copy(unsafe.Slice((*float64)(unsafe.Pointer(p)), len(v)), v)
}

//export glmmgo_go_mclafit_dims
func glmmgo_go_mclafit_dims(h C.glmmgo_handle, p, nvc, q, m *C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclafitKind, err, errlen, func(f *fitHandle) error {
		mm := 0
		if f.fit != nil {
			mm = f.fit.M
		}
		for _, o := range []struct {
			dst *C.int64_t
			v   int
		}{{p, f.data.P}, {nvc, f.data.NVC}, {q, f.data.Q}, {m, mm}} {
			if o.dst != nil {
				*o.dst = C.int64_t(o.v)
			}
		}
		return nil
	})
}

//export glmmgo_go_mclafit_estimates
func glmmgo_go_mclafit_estimates(h C.glmmgo_handle, beta, nu, value, gradient, hessian *C.double, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	return withFit(h, err, errlen, func(f *mclafit.Fit) error {
		put(beta, f.Beta)
		put(nu, f.Nu)
		put(value, []float64{f.Value})
		put(gradient, f.Gradient)
		put(hessian, f.Hessian)
		return nil
	})
}

//export glmmgo_go_mclafit_convergence
func glmmgo_go_mclafit_convergence(h C.glmmgo_handle, converged *C.int32_t, iterations, evaluations *C.int64_t,
	ess *C.double, essWarning *C.int32_t, counts *C.int64_t, seconds *C.double, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	return withFit(h, err, errlen, func(f *mclafit.Fit) error {
		b := func(v bool) C.int32_t {
			if v {
				return 1
			}
			return 0
		}
		if converged != nil {
			*converged = b(f.Converged)
		}
		if iterations != nil {
			*iterations = C.int64_t(f.Iter)
		}
		if evaluations != nil {
			*evaluations = C.int64_t(f.Evals)
		}
		put(ess, []float64{f.ESS})
		if essWarning != nil {
			*essWarning = b(f.ESSWarning)
		}
		if counts != nil {
			c := unsafe.Slice((*int64)(unsafe.Pointer(counts)), 3)
			c[0], c[1], c[2] = int64(f.M1), int64(f.M2), int64(f.M3)
		}
		put(seconds, []float64{f.PQLTime.Seconds(), f.SampleTime.Seconds(), f.TrustTime.Seconds(), f.InferenceTime.Seconds()})
		return nil
	})
}

//export glmmgo_go_mclafit_inference
func glmmgo_go_mclafit_inference(h C.glmmgo_handle, se, z, pvalue, vcov, mcse, mcvcov *C.double, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	return withFit(h, err, errlen, func(f *mclafit.Fit) error {
		zz, pp := f.ZTests()
		put(se, f.SE)
		put(z, zz)
		put(pvalue, pp)
		put(vcov, f.Vcov)
		put(mcse, f.MCSE)
		put(mcvcov, f.MCVcov)
		return nil
	})
}

//export glmmgo_go_mclafit_confint
func glmmgo_go_mclafit_confint(h C.glmmgo_handle, level C.double, lower, upper *C.double, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	return withFit(h, err, errlen, func(f *mclafit.Fit) error {
		lo, hi, e := f.ConfInt(float64(level))
		if e != nil {
			return e
		}
		put(lower, lo)
		put(upper, hi)
		return nil
	})
}

//export glmmgo_go_mclafit_start
func glmmgo_go_mclafit_start(h C.glmmgo_handle, usedPQL *C.int32_t, parInit, uStar, dStar *C.double, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	return withFit(h, err, errlen, func(f *mclafit.Fit) error {
		if usedPQL != nil {
			*usedPQL = 0
			if f.PQL != nil {
				*usedPQL = 1
			}
		}
		put(parInit, f.Start)
		put(uStar, f.UStar)
		put(dStar, f.DStar)
		return nil
	})
}

//export glmmgo_go_mclafit_umatrix
func glmmgo_go_mclafit_umatrix(h C.glmmgo_handle, umat *C.double, length C.int64_t, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	return withFit(h, err, errlen, func(f *mclafit.Fit) error {
		want := int64(f.M) * int64(f.Q)
		if int64(length) != want {
			return errs.Invalidf("len", "is %d; the u-matrix has m*q = %d*%d = %d doubles", int64(length), f.M, f.Q, want)
		}
		dst, e := floats(unsafe.Pointer(umat), int(want), "umat", false)
		if e != nil {
			return e
		}
		return f.UMatrix(dst)
	})
}

//export glmmgo_go_mclafit_run_dispersion
func glmmgo_go_mclafit_run_dispersion(h C.glmmgo_handle, opt *C.glmmgo_cmclafit_options, rLo, rHi C.double,
	progress C.glmmgo_progress_fn, userdata unsafe.Pointer, rHat, logLik *C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, mclafitKind, err, errlen, func(f *fitHandle) error {
		return runDispersion(f, opt, float64(rLo), float64(rHi), progress, userdata, rHat, logLik)
	})
}

func runDispersion(f *fitHandle, opt *C.glmmgo_cmclafit_options, rLo, rHi float64, progress C.glmmgo_progress_fn,
	userdata unsafe.Pointer, rHat, logLik *C.double) error {
	o, err := options(f, opt, progress, userdata)
	if err != nil {
		return err
	}
	f.fit = nil
	res, err := mclafit.FitDispersion(f.data, o, rLo, rHi)
	if err != nil {
		return err
	}
	f.fit = res.Fit
	put(rHat, []float64{res.Dispersion})
	put(logLik, []float64{res.LogLik})
	return nil
}
