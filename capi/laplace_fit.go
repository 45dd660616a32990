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
	"github.com/glmmgo/glmmgo/core/fit/laplacefit"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/optim"
)

// The stage codes of glmmgo.h are the optimiser's statuses; the start
// choices are laplacefit's.
var (
	_ = [1]struct{}{}[C.GLMMGO_STAGE_NOT_RUN-int(optim.NotTerminated)]
	_ = [1]struct{}{}[C.GLMMGO_STAGE_VALUE_CONVERGENCE-int(optim.ValueConvergence)]
	_ = [1]struct{}{}[C.GLMMGO_STAGE_MODEL_CONVERGENCE-int(optim.ModelConvergence)]
	_ = [1]struct{}{}[C.GLMMGO_STAGE_STEP_CONVERGENCE-int(optim.StepConvergence)]
	_ = [1]struct{}{}[C.GLMMGO_STAGE_ITERATION_LIMIT-int(optim.IterationLimit)]
	_ = [1]struct{}{}[C.GLMMGO_STAGE_EVALUATION_LIMIT-int(optim.EvaluationLimit)]
	_ = [1]struct{}{}[C.GLMMGO_LAPLACE_START_AUTO-int(laplacefit.StartAuto)]
	_ = [1]struct{}{}[C.GLMMGO_LAPLACE_START_DEFAULT-int(laplacefit.StartDefault)]
	_ = [1]struct{}{}[C.GLMMGO_LAPLACE_START_LMM-int(laplacefit.StartLMM)]
)

// laplaceDefaults are the defaults of glmmgo_laplace_options.
func laplaceDefaults() C.glmmgo_laplace_options {
	var o C.glmmgo_laplace_options
	o.size = C.size_t(unsafe.Sizeof(o))
	t := laplace.DefaultTolerance()
	o.nagq, o.rhobeg, o.rhoend, o.maxeval = 1, 0.1, 1e-4, 10000
	o.pirls_tol, o.pirls_maxiter, o.pirls_max_halvings = C.double(t.Decrease), C.int64_t(t.MaxIter), C.int64_t(t.MaxHalvings)
	return o
}

//export glmmgo_go_laplace_options_default
func glmmgo_go_laplace_options_default(opt *C.glmmgo_laplace_options, size C.size_t, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error {
		return writeDefaults(opt, size, laplaceDefaults(), "glmmgo_laplace_options")
	})
}

//export glmmgo_go_laplace_fit
func glmmgo_go_laplace_fit(model C.glmmgo_handle, opt *C.glmmgo_laplace_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer,
	fit *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	if fit != nil {
		*fit = 0
	}
	return withHandle(model, "model", kindLaplaceModel, err, errlen, func(lm *laplaceModel) error {
		if e := handleOut(fit, "fit"); e != nil {
			return e
		}
		o, e := readOptions(opt, laplaceDefaults(), "glmmgo_laplace_options", "glmmgo_laplace_options_default")
		if e != nil {
			return e
		}
		fo, e := laplaceOptions(&o, lm.d.ntheta, lm.d.p)
		if e != nil {
			return e
		}
		fo.Progress = laplaceProgress(progress, userdata)
		lm.m.Reset() // the fit is a function of the model and the options alone
		res, e := laplacefit.Fit(lm.m, fo)
		if e != nil {
			return renameArgs(e, laplaceNames)
		}
		*fit = register(&laplaceFit{lmmStructure: lm.lmmStructure, res: res, varCorr: flattenVarCorr(res.VarCorr), condVar: concat(res.CondVar)})
		return nil
	})
}

// laplaceProgress numbers the optimisers' evaluations over both stages
// for the caller's callback (the start's and the Hessian's are not
// reported).
func laplaceProgress(fn C.glmmgo_progress_fn, userdata unsafe.Pointer) func(laplacefit.Stage, int, float64, []float64) bool {
	p := progressFunc(fn, userdata)
	if p == nil {
		return nil
	}
	n := 0
	return func(st laplacefit.Stage, _ int, v float64, x []float64) bool {
		if st != laplacefit.StageFast && st != laplacefit.StageSlow {
			return true
		}
		n++
		return p(n, v, x)
	}
}

// laplaceOptions converts and checks the C options; the core checks the
// rest (nagq against the model, rhobeg and rhoend, theta_start, start's
// values) and its messages name the same fields.
func laplaceOptions(o *C.glmmgo_laplace_options, ntheta, p int) (laplacefit.Options, error) {
	fo := laplacefit.Options{Fast: o.fast != 0, NAGQ: int(o.nagq), ThetaStart: laplacefit.ThetaStart(o.theta_start),
		Rhobeg: float64(o.rhobeg), Rhoend: float64(o.rhoend), NoHessian: o.no_hessian != 0}
	var none laplacefit.Options
	if o.nagq < 1 {
		return none, errs.Invalidf("nagq", "is %d; use 1 (Laplace) to %d", int32(o.nagq), laplace.MaxAGQ)
	}
	if !(fo.Rhobeg > 0) || !(fo.Rhoend > 0) {
		return none, errs.Invalidf("rhobeg", "rhobeg %g and rhoend %g must be positive", fo.Rhobeg, fo.Rhoend)
	}
	if o.maxeval < 1 || int64(o.maxeval) > maxElems {
		return none, errs.Invalidf("maxeval", "is %d; must be positive", int64(o.maxeval))
	}
	fo.MaxEval = int(o.maxeval)
	if t := float64(o.pirls_tol); !(t > 0) || math.IsInf(t, 0) {
		return none, errs.Invalidf("pirls_tol", "is %g; must be positive and finite", t)
	}
	if o.pirls_maxiter < 1 || o.pirls_maxiter > 1<<30 {
		return none, errs.Invalidf("pirls_maxiter", "is %d; must be between 1 and 2^30", int64(o.pirls_maxiter))
	}
	if o.pirls_max_halvings < 1 || o.pirls_max_halvings > 1000 {
		return none, errs.Invalidf("pirls_max_halvings", "is %d; must be between 1 and 1000", int64(o.pirls_max_halvings))
	}
	fo.Tolerance = laplace.Tolerance{Decrease: float64(o.pirls_tol), MaxIter: int(o.pirls_maxiter), MaxHalvings: int(o.pirls_max_halvings)}
	var err error
	if fo.Workers, err = workers(o.workers); err != nil {
		return none, err
	}
	want := ntheta + p
	if o.start != nil && int64(o.start_len) == int64(ntheta) {
		want = ntheta
	}
	fo.Start, err = startValues(o.start, o.start_len, want, "ntheta or ntheta + p")
	return fo, err
}

func concat(blocks [][]float64) []float64 {
	var all []float64
	for _, b := range blocks {
		all = append(all, b...)
	}
	return all
}
