package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"

// Go cannot call a C function pointer; this trampoline does.
static inline int glmmgo_call_progress(glmmgo_progress_fn f, void *ud, int64_t iter, double obj,
                                       const double *par, int64_t npar) {
	return f(ud, iter, obj, par, npar);
}
*/
import "C"

import (
	"math"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/fit/lmmfit"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
)

const lmmKind = "a linear mixed model"

// lmmHandle is what an LMM handle holds: the model and its last fit.
type lmmHandle struct {
	m       *lmm.Model
	fit     *lmmfit.Result
	condVar [][]float64 // computed on first request
}

// Close releases the model's worker goroutines (called by glmmgo_free).
func (h *lmmHandle) Close() { h.m.Close() }

//export glmmgo_go_lmm_new
func glmmgo_go_lmm_new(n, p C.int64_t, y, x, weights *C.glmmgo_cdouble,
	nterms C.int64_t, nlevels, ncols, codes *C.glmmgo_cint64, z *C.glmmgo_cdouble,
	out *C.glmmgo_handle, err *C.char, errlen C.size_t) (status C.int) {
	if s, ok := enter(err, errlen); !ok {
		return s
	}
	defer recoverInternal(&status, err, errlen)
	h, e := newLMM(n, p, y, x, weights, nterms, nlevels, ncols, codes, z, out)
	if e == nil {
		*out = C.glmmgo_handle(h)
	}
	return report(e, err, errlen)
}

func newLMM(n, p C.int64_t, y, x, weights *C.glmmgo_cdouble, nterms C.int64_t, nlevels, ncols, codes *C.glmmgo_cint64,
	z *C.glmmgo_cdouble, out *C.glmmgo_handle) (int64, error) {
	if out == nil {
		return 0, errs.Invalidf("out", "is NULL; pass the address of a glmmgo_handle")
	}
	*out = 0
	var d lmm.Data
	nn, err := size(n, "n", 1)
	if err != nil {
		return 0, err
	}
	if d.P, err = size(p, "p", 0); err != nil {
		return 0, err
	}
	nt, err := size(nterms, "nterms", 1)
	if err != nil {
		return 0, err
	}
	np, err := product(nn, d.P, "x")
	if err != nil {
		return 0, err
	}
	if d.Y, err = floats(unsafe.Pointer(y), nn, "y", false); err != nil {
		return 0, err
	}
	if d.X, err = floats(unsafe.Pointer(x), np, "x", false); err != nil {
		return 0, err
	}
	if d.Weights, err = floats(unsafe.Pointer(weights), nn, "weights", true); err != nil {
		return 0, err
	}
	lv, err := int64s(unsafe.Pointer(nlevels), nt, "nlevels")
	if err != nil {
		return 0, err
	}
	kc, err := int64s(unsafe.Pointer(ncols), nt, "ncols")
	if err != nil {
		return 0, err
	}
	ntot, err := product(nn, nt, "codes")
	if err != nil {
		return 0, err
	}
	cd, err := int64s(unsafe.Pointer(codes), ntot, "codes")
	if err != nil {
		return 0, err
	}
	zcols := 0
	for t := 0; t < nt; t++ {
		if lv[t] < 2 || lv[t] > maxElems {
			return 0, errs.Invalidf("nlevels", "term %d has %d levels; a grouping factor needs at least 2", t, lv[t])
		}
		if kc[t] < 1 || kc[t] > 1<<20 {
			return 0, errs.Invalidf("ncols", "term %d has %d columns; must be at least 1", t, kc[t])
		}
		zcols += int(kc[t])
	}
	nz, err := product(nn, zcols, "z")
	if err != nil {
		return 0, err
	}
	zz, err := floats(unsafe.Pointer(z), nz, "z", false)
	if err != nil {
		return 0, err
	}
	off := 0
	for t := 0; t < nt; t++ {
		tm := lmm.Term{NLevels: int(lv[t]), K: int(kc[t]), Codes: make([]int, nn)}
		for i, c := range cd[t*nn : (t+1)*nn] {
			if c < 0 || c >= lv[t] {
				return 0, errs.Invalidf("codes", "term %d: observation %d has level %d, outside 0..%d", t, i, c, lv[t]-1)
			}
			tm.Codes[i] = int(c)
		}
		tm.Z = zz[off : off+nn*tm.K]
		off += nn * tm.K
		d.Terms = append(d.Terms, tm)
	}
	m, err := lmm.New(d) // copies everything it keeps
	if err != nil {
		return 0, cArgName(err)
	}
	return register(lmmKind, &lmmHandle{m: m}), nil
}

//export glmmgo_go_lmm_dims
func glmmgo_go_lmm_dims(h C.glmmgo_handle, n, p, pGiven, ntheta, q, nterms *C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		m := lh.m
		for _, o := range []struct {
			dst *C.int64_t
			v   int
		}{{n, m.N()}, {p, m.P()}, {pGiven, m.P() + len(m.Dropped())}, {ntheta, m.NTheta()}, {q, m.NRandom()}, {nterms, m.NTerms()}} {
			if o.dst != nil {
				*o.dst = C.int64_t(o.v)
			}
		}
		return nil
	})
}

// outInts copies v into the caller's buffer of length n.
func outInts(dst *C.int64_t, n C.int64_t, v []int, arg string) error {
	if int64(n) != int64(len(v)) {
		return errs.Invalidf(arg, "buffer length %d, want %d", int64(n), len(v))
	}
	if len(v) == 0 {
		return nil
	}
	if dst == nil {
		return errs.Invalidf(arg, "is NULL; a buffer of %d int64 values is required", len(v))
	}
	s := unsafe.Slice((*int64)(unsafe.Pointer(dst)), len(v))
	for i, x := range v {
		s[i] = int64(x)
	}
	return nil
}

// outFloats copies v into the caller's buffer of length n (NULL skips it
// when optional).
func outFloats(dst *C.double, n C.int64_t, v []float64, arg string, optional bool) error {
	if dst == nil && optional {
		return nil
	}
	if int64(n) != int64(len(v)) {
		return errs.Invalidf(arg, "buffer length %d, want %d", int64(n), len(v))
	}
	if len(v) == 0 {
		return nil
	}
	if dst == nil {
		return errs.Invalidf(arg, "is NULL; a buffer of %d doubles is required", len(v))
	}
	copy(unsafe.Slice((*float64)(unsafe.Pointer(dst)), len(v)), v)
	return nil
}

//export glmmgo_go_lmm_term_order
func glmmgo_go_lmm_term_order(h C.glmmgo_handle, order *C.int64_t, nterms C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		return outInts(order, nterms, lh.m.TermOrder(), "order")
	})
}

//export glmmgo_go_lmm_kept_columns
func glmmgo_go_lmm_kept_columns(h C.glmmgo_handle, kept *C.int64_t, p C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		return outInts(kept, p, lh.m.Kept(), "kept")
	})
}

//export glmmgo_go_lmm_lower
func glmmgo_go_lmm_lower(h C.glmmgo_handle, lower *C.double, ntheta C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		return outFloats(lower, ntheta, lh.m.Lower(), "lower", false)
	})
}

//export glmmgo_go_lmm_objective
func glmmgo_go_lmm_objective(h C.glmmgo_handle, theta *C.glmmgo_cdouble, reml C.int32_t, value *C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		if value == nil {
			return errs.Invalidf("value", "is NULL; pass the address of a double")
		}
		th, e := floats(unsafe.Pointer(theta), lh.m.NTheta(), "theta", false)
		if e != nil {
			return e
		}
		v, e := lh.m.Objective(th, reml != 0)
		*value = C.double(v)
		return e
	})
}

//export glmmgo_go_lmm_fit
func glmmgo_go_lmm_fit(h C.glmmgo_handle, reml C.int32_t, theta0 *C.glmmgo_cdouble, rhobeg, rhoend C.double, maxeval C.int64_t,
	progress C.glmmgo_progress_fn, userdata unsafe.Pointer, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		opt := lmmfit.Options{REML: reml != 0, Rhobeg: float64(rhobeg), Rhoend: float64(rhoend)}
		if math.IsNaN(opt.Rhobeg) || math.IsNaN(opt.Rhoend) || opt.Rhobeg < 0 || opt.Rhoend < 0 {
			return errs.Invalidf("rhobeg", "rhobeg %g and rhoend %g must be 0 (default) or positive", opt.Rhobeg, opt.Rhoend)
		}
		if maxeval < 0 || int64(maxeval) > maxElems {
			return errs.Invalidf("maxeval", "is %d; must be 0 (default) or positive", int64(maxeval))
		}
		opt.MaxEval = int(maxeval)
		th0, e := floats(unsafe.Pointer(theta0), lh.m.NTheta(), "theta0", true)
		if e != nil {
			return e
		}
		if th0 != nil {
			opt.Theta0 = append([]float64(nil), th0...)
		}
		if progress != nil {
			opt.Progress = func(k int, f float64, th []float64) bool {
				// th is Go memory without pointers: C may read it during the call.
				r := C.glmmgo_call_progress(progress, userdata, C.int64_t(k), C.double(f),
					(*C.double)(unsafe.Pointer(&th[0])), C.int64_t(len(th)))
				return r == 0
			}
		}
		lh.fit, lh.condVar = nil, nil
		res, e := lmmfit.Fit(lh.m, opt)
		if e != nil {
			return cArgName(e)
		}
		lh.fit = res
		return nil
	})
}

// fitted returns the handle's fit or a state error.
func fitted(lh *lmmHandle) (*lmmfit.Result, error) {
	if lh.fit == nil {
		return nil, errs.Statef("no fit: call glmmgo_lmm_fit first (or its last call failed)")
	}
	return lh.fit, nil
}

//export glmmgo_go_lmm_fit_info
func glmmgo_go_lmm_fit_info(h C.glmmgo_handle, objective, loglik, deviance, remlcrit, aic, bic, sigma *C.double,
	evals *C.int64_t, converged, singular, reml *C.int32_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		r, e := fitted(lh)
		if e != nil {
			return e
		}
		for _, o := range []struct {
			dst *C.double
			v   float64
		}{{objective, r.Objective}, {loglik, r.LogLik}, {deviance, r.Deviance}, {remlcrit, r.REMLCrit}, {aic, r.AIC}, {bic, r.BIC}, {sigma, r.Sigma}} {
			if o.dst != nil {
				*o.dst = C.double(o.v)
			}
		}
		if evals != nil {
			*evals = C.int64_t(r.Evals)
		}
		b2i := func(b bool) C.int32_t {
			if b {
				return 1
			}
			return 0
		}
		if converged != nil {
			*converged = b2i(r.Converged)
		}
		if singular != nil {
			*singular = b2i(r.Singular)
		}
		if reml != nil {
			*reml = b2i(r.REML)
		}
		return nil
	})
}

//export glmmgo_go_lmm_theta
func glmmgo_go_lmm_theta(h C.glmmgo_handle, theta *C.double, ntheta C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		r, e := fitted(lh)
		if e != nil {
			return e
		}
		return outFloats(theta, ntheta, r.Theta, "theta", false)
	})
}

//export glmmgo_go_lmm_beta
func glmmgo_go_lmm_beta(h C.glmmgo_handle, beta, se, vcov *C.double, p C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		r, e := fitted(lh)
		if e != nil {
			return e
		}
		if int64(p) != int64(len(r.Beta)) {
			return errs.Invalidf("p", "is %d; the fit has %d fixed effects (aliased columns dropped)", int64(p), len(r.Beta))
		}
		if e := outFloats(beta, p, r.Beta, "beta", true); e != nil {
			return e
		}
		if e := outFloats(se, p, r.SE, "se", true); e != nil {
			return e
		}
		return outFloats(vcov, p*p, r.Vcov, "vcov", true)
	})
}

//export glmmgo_go_lmm_ranef
func glmmgo_go_lmm_ranef(h C.glmmgo_handle, b, u *C.double, q C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		r, e := fitted(lh)
		if e != nil {
			return e
		}
		if e := outFloats(b, q, r.B, "b", true); e != nil {
			return e
		}
		return outFloats(u, q, r.U, "u", true)
	})
}

//export glmmgo_go_lmm_condvar
func glmmgo_go_lmm_condvar(h C.glmmgo_handle, cv *C.double, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, lmmKind, err, errlen, func(lh *lmmHandle) error {
		r, e := fitted(lh)
		if e != nil {
			return e
		}
		if lh.condVar == nil {
			if lh.condVar, e = r.CondVar(lh.m); e != nil {
				return e
			}
		}
		var all []float64
		for _, blk := range lh.condVar {
			all = append(all, blk...)
		}
		return outFloats(cv, length, all, "condvar", false)
	})
}

// cArgName renames the core's names of arguments (X, Z, tolerance) to
// those of the C functions (x, z, rhoend), so that messages name what the
// caller passed.
func cArgName(err error) error {
	if e, ok := err.(*errs.Error); ok {
		switch e.Arg {
		case "X":
			e.Arg = "x"
		case "Z":
			e.Arg = "z"
		case "tolerance":
			e.Arg = "rhoend"
		}
	}
	return err
}
