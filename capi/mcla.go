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
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
)

// mclaModel is the object behind an MCLA model handle: the data (a copy,
// for fits and for a change of dispersion), the objective's model, and the
// importance density last set (to carry it over a change of dispersion).
type mclaModel struct {
	data   mcla.Data
	m      *mcla.Model
	imp    *importance.Params
	noSize bool        // negative binomial without its size yet
	worker *mclaWorker // this model's part of a distributed fit (mcla_cluster.go)
}

var kindMCLAModel = kind{C.GLMMGO_KIND_MCLA_MODEL, "an MCLA model"}

func (*mclaModel) kind() kind { return kindMCLAModel }

func (mm *mclaModel) dims() dims {
	n, p, q, nvc := mm.m.Dims()
	return dims{n: n, p: p, pGiven: p, q: q, nvc: nvc, npar: p + nvc, m: mm.m.Samples()}
}

func (*mclaModel) output(C.int32_t) (output, bool) { return output{}, false }

func (*mclaModel) resultsHelp() string { return "an MCLA model has none: fit it with glmmgo_mcla_fit" }

// ready reports the state error of a negative binomial model without a size.
func (mm *mclaModel) ready() error {
	if mm.noSize {
		return &errs.Error{Kind: errs.State, Arg: "dispersion", Msg: "the negative binomial model has no size r yet: call glmmgo_mcla_set_dispersion first"}
	}
	return nil
}

//export glmmgo_go_mcla_new
func glmmgo_go_mcla_new(n, p, q C.int64_t, fam C.int32_t, y, ntrials, weights, x *C.double,
	nnz C.int64_t, zRow, zCol *C.int64_t, zVal *C.double, nvc C.int64_t, vcOfColumn *C.int64_t,
	out *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error {
		if e := handleOut(out, "out"); e != nil {
			return e
		}
		*out = 0
		d, e := mclaData(n, p, q, fam, y, ntrials, weights, x, nnz, zRow, zCol, zVal, nvc, vcOfColumn)
		if e != nil {
			return e
		}
		mm, e := newMCLAModel(d)
		if e != nil {
			return e
		}
		*out = register(mm)
		return nil
	})
}

// newMCLAModel validates d (views of the caller's arrays) and keeps a copy.
// A negative binomial model is validated with a stand-in size until
// glmmgo_mcla_set_dispersion gives the real one: nothing else depends on it.
func newMCLAModel(d mcla.Data) (*mclaModel, error) {
	mm := &mclaModel{noSize: d.Family == family.NegBinomial}
	if mm.noSize {
		d.Dispersion = 1
	}
	m, err := mcla.New(d)
	if err != nil {
		return nil, err
	}
	d.Y, d.Trials, d.Weights, d.X, d.ZVal = slices.Clone(d.Y), slices.Clone(d.Trials), slices.Clone(d.Weights), slices.Clone(d.X), slices.Clone(d.ZVal)
	d.ZRow, d.ZCol, d.VCOf = slices.Clone(d.ZRow), slices.Clone(d.ZCol), slices.Clone(d.VCOf)
	mm.data, mm.m = d, m
	return mm, nil
}

// mclaData views the arguments of glmmgo_mcla_new as an mcla.Data (slices
// over the caller's memory, valid during the call), after checking sizes
// and pointers.
func mclaData(n, p, q C.int64_t, fam C.int32_t, y, ntrials, weights, x *C.double,
	nnz C.int64_t, zRow, zCol *C.int64_t, zVal *C.double, nvc C.int64_t, vcOfColumn *C.int64_t) (mcla.Data, error) {
	var d mcla.Data
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
	if d.Q > nz {
		// Checked here, before the model sizes anything by q.
		return d, errs.Invalidf("q", "is %d but Z has nnz = %d entries; every column of Z needs a nonzero, so q <= nnz", d.Q, nz)
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
func glmmgo_go_mcla_set_importance(h C.glmmgo_handle, zeta C.double, pMix, uStar, dStar, sigmaInv *C.double,
	err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		return mm.setImportance(float64(zeta), pMix, uStar, dStar, sigmaInv)
	})
}

func (mm *mclaModel) setImportance(zeta float64, pMix, uStar, dStar, sigmaInv *C.double) error {
	_, _, q, _ := mm.m.Dims()
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
	before := mm.m.Importance()
	err = mm.m.SetImportance(imp, 0)
	if mm.m.Importance() != before { // the density changed, even if the samples then failed with it
		imp.UStar, imp.DStar, imp.SigmaInv = slices.Clone(imp.UStar), slices.Clone(imp.DStar), slices.Clone(imp.SigmaInv)
		mm.imp = &imp
	}
	return err
}

//export glmmgo_go_mcla_set_samples
func glmmgo_go_mcla_set_samples(h C.glmmgo_handle, mrows C.int64_t, umat *C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		_, _, q, _ := mm.m.Dims()
		k, e := size(mrows, "m", 1)
		if e != nil {
			return e
		}
		kq, e := product(k, q, "umat")
		if e != nil {
			return e
		}
		u, e := floats(unsafe.Pointer(umat), kq, "umat", false)
		if e != nil {
			return e
		}
		return mm.m.SetSamples(k, u, 0)
	})
}

//export glmmgo_go_mcla_set_dispersion
func glmmgo_go_mcla_set_dispersion(h C.glmmgo_handle, dispersion C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		return mm.setDispersion(float64(dispersion))
	})
}

// setDispersion rebuilds the model at size r (it enters the per-observation
// constants) and carries the importance density and the samples over.
func (mm *mclaModel) setDispersion(r float64) error {
	if msg := mm.data.Family.CheckDispersion(r); msg != "" {
		return errs.Invalidf("dispersion", "%s", msg)
	}
	if mm.data.Family != family.NegBinomial {
		return nil // 0, the only value these families accept
	}
	d := mm.data
	d.Dispersion = r
	m, err := mcla.New(d)
	if err != nil {
		return err
	}
	if mm.m.Samples() > 0 {
		// The density and samples do not depend on r: share them.
		if err := m.AdoptSamples(mm.m); err != nil {
			return err
		}
	} else if mm.imp != nil {
		if err := m.SetImportance(*mm.imp, 0); err != nil {
			return err
		}
	}
	mm.data.Dispersion, mm.m, mm.noSize = r, m, false
	return nil
}

//export glmmgo_go_mcla_objective
func glmmgo_go_mcla_objective(h C.glmmgo_handle, par *C.double, workers C.int32_t, value, gradient, hessian *C.double,
	err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		res, e := mm.result(value, gradient, hessian)
		if e != nil {
			return e
		}
		pv, e := floats(unsafe.Pointer(par), mm.m.NPar(), "par", false)
		if e != nil {
			return e
		}
		if e := mm.ready(); e != nil {
			return e
		}
		e = mm.m.Evaluate(pv, int(workers), res)
		*value = C.double(res.Value)
		return e
	})
}

// result views the caller's output buffers as an mcla.Result.
func (mm *mclaModel) result(value, gradient, hessian *C.double) (*mcla.Result, error) {
	if value == nil {
		return nil, errs.Invalidf("value", "is NULL; pass the address of a double")
	}
	d := mm.m.NPar()
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

// parameters checks npar against the model and views par.
func (mm *mclaModel) parameters(par *C.double, npar C.int64_t) ([]float64, error) {
	if int64(npar) != int64(mm.m.NPar()) {
		_, p, _, nvc := mm.m.Dims()
		return nil, errs.Invalidf("npar", "is %d; this model has p + nvc = %d + %d = %d parameters", int64(npar), p, nvc, mm.m.NPar())
	}
	return floats(unsafe.Pointer(par), mm.m.NPar(), "par", false)
}

//export glmmgo_go_mcla_partial_length
func glmmgo_go_mcla_partial_length(h C.glmmgo_handle, length *C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		if length == nil {
			return errs.Invalidf("len", "is NULL; pass the address of an int64_t")
		}
		*length = C.int64_t(mm.m.NewPartial().FlatSize()) // a blockwise fit's samples (glmmgo_mcla_set_fit_samples) add one partial per block
		return nil
	})
}

//export glmmgo_go_mcla_partial
func glmmgo_go_mcla_partial(h C.glmmgo_handle, par *C.double, npar, rowBegin, rowEnd C.int64_t, workers C.int32_t,
	partial *C.double, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		return mm.partial(par, npar, int64(rowBegin), int64(rowEnd), int(workers), partial, length)
	})
}

func (mm *mclaModel) partial(par *C.double, npar C.int64_t, rowBegin, rowEnd int64, workers int, partial *C.double, length C.int64_t) error {
	m := mm.m
	want := m.NewPartial().FlatSize()
	if int64(length) != int64(want) {
		return errs.Invalidf("len", "is %d; a partial of this model has %d doubles (glmmgo_mcla_partial_length)", int64(length), want)
	}
	out, err := floats(unsafe.Pointer(partial), want, "partial", false)
	if err != nil {
		return err
	}
	pv, err := mm.parameters(par, npar)
	if err != nil {
		return err
	}
	if m.Samples() == 0 {
		return errs.Statef("set the importance density and samples before computing a partial")
	}
	if rowBegin < 0 || rowEnd > int64(m.Samples()) || rowBegin >= rowEnd {
		return errs.Invalidf("row_begin", "rows [%d, %d) are not a non-empty range of the %d samples", rowBegin, rowEnd, m.Samples())
	}
	if err := mm.ready(); err != nil {
		return err
	}
	p := m.NewPartial()
	if err := m.Partial(pv, int(rowBegin), int(rowEnd), workers, p); err != nil {
		return err
	}
	p.Flatten(out)
	return nil
}

//export glmmgo_go_mcla_merge
func glmmgo_go_mcla_merge(h C.glmmgo_handle, par *C.double, npar, npartials C.int64_t, partials *C.double, length C.int64_t,
	value, gradient, hessian *C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(h, "h", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		return mm.merge(par, npar, npartials, partials, length, value, gradient, hessian)
	})
}

func (mm *mclaModel) merge(par *C.double, npar, npartials C.int64_t, partials *C.double, length C.int64_t, value, gradient, hessian *C.double) error {
	m := mm.m
	want := m.NewPartial().FlatSize()
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
	res, err := mm.result(value, gradient, hessian)
	if err != nil {
		return err
	}
	pv, err := mm.parameters(par, npar)
	if err != nil {
		return err
	}
	if err := mm.ready(); err != nil {
		return err
	}
	tot, one := m.NewPartial(), m.NewPartial()
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
