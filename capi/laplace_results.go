package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"math"

	"github.com/glmmgo/glmmgo/core/fit/laplacefit"
	"github.com/glmmgo/glmmgo/core/optim"
)

// laplaceFit is the object behind a laplace fit handle: the finished fit,
// which holds everything it reports, and the model's structure.
type laplaceFit struct {
	lmmStructure
	res              *laplacefit.Result
	varCorr, condVar []float64
}

func (*laplaceFit) kind() kind { return kindLaplaceFit }

func (f *laplaceFit) output(what C.int32_t) (output, bool) {
	if o, ok := lookup(laplaceFitResults, f, what); ok {
		return o, true
	}
	return lookup(laplaceStructureResults, &f.lmmStructure, what)
}

func (*laplaceFit) resultsHelp() string {
	return "its results are " + codeRange(laplaceStructureResults) + " and " + codeRange(laplaceFitResults)
}

// waldLen and confInt are what glmmgo_confint needs of a fit (confint.go).
func (f *laplaceFit) waldLen() (int, string) { return len(f.res.Beta), "p" }

func (f *laplaceFit) confInt(level float64) ([]float64, []float64, error) {
	return f.res.ConfInt(level)
}

// seMethod is GLMMGO_LAPLACE_SE_METHOD's code.
func (f *laplaceFit) seMethod() int {
	if f.res.SEMethod == "hessian" {
		return C.GLMMGO_LAPLACE_SE_HESSIAN
	}
	return C.GLMMGO_LAPLACE_SE_CONDITIONAL
}

// stages reports a value of the fast and the slow stage.
func (f *laplaceFit) stages(get func(laplacefit.StageReport) float64) []float64 {
	return []float64{get(f.res.FastStage), get(f.res.SlowStage)}
}

func stageObjective(s laplacefit.StageReport) float64 {
	if s.Code == optim.NotTerminated {
		return math.NaN()
	}
	return s.Objective
}

// startObjectives is GLMMGO_LAPLACE_START_OBJECTIVES (NaN where not evaluated).
func (f *laplaceFit) startObjectives() []float64 {
	s := f.res.Start
	if s.Theta == nil {
		return []float64{math.NaN(), math.NaN(), math.NaN()}
	}
	return []float64{s.Objective, s.Default, s.LMM}
}

// laplaceFitResults answer for fits only (glmmgo.h, GLMMGO_LAPLACE_*).
var laplaceFitResults = map[C.int32_t]result[*laplaceFit]{
	C.GLMMGO_LAPLACE_THETA:              floatsOf("GLMMGO_LAPLACE_THETA", func(f *laplaceFit) []float64 { return f.res.Theta }),
	C.GLMMGO_LAPLACE_BETA:               floatsOf("GLMMGO_LAPLACE_BETA", func(f *laplaceFit) []float64 { return f.res.Beta }),
	C.GLMMGO_LAPLACE_SE:                 floatsOf("GLMMGO_LAPLACE_SE", func(f *laplaceFit) []float64 { return f.res.SE }),
	C.GLMMGO_LAPLACE_VCOV:               floatsOf("GLMMGO_LAPLACE_VCOV", func(f *laplaceFit) []float64 { return f.res.Vcov }),
	C.GLMMGO_LAPLACE_SE_METHOD:          intOf("GLMMGO_LAPLACE_SE_METHOD", (*laplaceFit).seMethod),
	C.GLMMGO_LAPLACE_PAR_VCOV:           floatsOf("GLMMGO_LAPLACE_PAR_VCOV", func(f *laplaceFit) []float64 { return f.res.ParVcov }),
	C.GLMMGO_LAPLACE_VARCORR:            floatsOf("GLMMGO_LAPLACE_VARCORR", func(f *laplaceFit) []float64 { return f.varCorr }),
	C.GLMMGO_LAPLACE_U:                  floatsOf("GLMMGO_LAPLACE_U", func(f *laplaceFit) []float64 { return f.res.U }),
	C.GLMMGO_LAPLACE_B:                  floatsOf("GLMMGO_LAPLACE_B", func(f *laplaceFit) []float64 { return f.res.B }),
	C.GLMMGO_LAPLACE_CONDVAR:            floatsOf("GLMMGO_LAPLACE_CONDVAR", func(f *laplaceFit) []float64 { return f.condVar }),
	C.GLMMGO_LAPLACE_LINEAR_PREDICTOR:   floatsOf("GLMMGO_LAPLACE_LINEAR_PREDICTOR", func(f *laplaceFit) []float64 { return f.res.LinearPred }),
	C.GLMMGO_LAPLACE_FITTED:             floatsOf("GLMMGO_LAPLACE_FITTED", func(f *laplaceFit) []float64 { return f.res.Fitted }),
	C.GLMMGO_LAPLACE_RESID_RESPONSE:     floatsOf("GLMMGO_LAPLACE_RESID_RESPONSE", func(f *laplaceFit) []float64 { return f.res.ResidResponse }),
	C.GLMMGO_LAPLACE_RESID_PEARSON:      floatsOf("GLMMGO_LAPLACE_RESID_PEARSON", func(f *laplaceFit) []float64 { return f.res.ResidPearson }),
	C.GLMMGO_LAPLACE_RESID_DEVIANCE:     floatsOf("GLMMGO_LAPLACE_RESID_DEVIANCE", func(f *laplaceFit) []float64 { return f.res.ResidDeviance }),
	C.GLMMGO_LAPLACE_MINUS_TWO_LOGLIK:   scalarOf("GLMMGO_LAPLACE_MINUS_TWO_LOGLIK", func(f *laplaceFit) float64 { return f.res.MinusTwoLogLik }),
	C.GLMMGO_LAPLACE_LOGLIK:             scalarOf("GLMMGO_LAPLACE_LOGLIK", func(f *laplaceFit) float64 { return f.res.LogLik }),
	C.GLMMGO_LAPLACE_DEVIANCE:           scalarOf("GLMMGO_LAPLACE_DEVIANCE", func(f *laplaceFit) float64 { return f.res.Deviance }),
	C.GLMMGO_LAPLACE_SATURATED_LOGLIK:   scalarOf("GLMMGO_LAPLACE_SATURATED_LOGLIK", func(f *laplaceFit) float64 { return f.res.SaturatedLogLik }),
	C.GLMMGO_LAPLACE_AIC:                scalarOf("GLMMGO_LAPLACE_AIC", func(f *laplaceFit) float64 { return f.res.AIC }),
	C.GLMMGO_LAPLACE_BIC:                scalarOf("GLMMGO_LAPLACE_BIC", func(f *laplaceFit) float64 { return f.res.BIC }),
	C.GLMMGO_LAPLACE_PENALISED_DEVIANCE: scalarOf("GLMMGO_LAPLACE_PENALISED_DEVIANCE", func(f *laplaceFit) float64 { return f.res.PenalisedDev }),
	C.GLMMGO_LAPLACE_USSQ:               scalarOf("GLMMGO_LAPLACE_USSQ", func(f *laplaceFit) float64 { return f.res.USSQ }),
	C.GLMMGO_LAPLACE_LOGDET:             scalarOf("GLMMGO_LAPLACE_LOGDET", func(f *laplaceFit) float64 { return f.res.LogDetL }),
	C.GLMMGO_LAPLACE_GRADIENT:           floatsOf("GLMMGO_LAPLACE_GRADIENT", func(f *laplaceFit) []float64 { return f.res.Gradient }),
	C.GLMMGO_LAPLACE_HESSIAN:            floatsOf("GLMMGO_LAPLACE_HESSIAN", func(f *laplaceFit) []float64 { return f.res.Hessian }),
	C.GLMMGO_LAPLACE_PIRLS_ITERATIONS:   intOf("GLMMGO_LAPLACE_PIRLS_ITERATIONS", func(f *laplaceFit) int { return f.res.PIRLSIter }),
	C.GLMMGO_LAPLACE_EVALS: intsOf("GLMMGO_LAPLACE_EVALS", func(f *laplaceFit) []int64 {
		return []int64{int64(f.res.FastStage.Evals), int64(f.res.SlowStage.Evals)}
	}),
	C.GLMMGO_LAPLACE_STAGE_OBJECTIVE: floatsOf("GLMMGO_LAPLACE_STAGE_OBJECTIVE", func(f *laplaceFit) []float64 { return f.stages(stageObjective) }),
	C.GLMMGO_LAPLACE_STAGE_STATUS: intsOf("GLMMGO_LAPLACE_STAGE_STATUS", func(f *laplaceFit) []int64 {
		return []int64{int64(f.res.FastStage.Code), int64(f.res.SlowStage.Code)}
	}),
	C.GLMMGO_LAPLACE_CONVERGED:        flagOf("GLMMGO_LAPLACE_CONVERGED", func(f *laplaceFit) bool { return f.res.Converged }),
	C.GLMMGO_LAPLACE_SINGULAR:         flagOf("GLMMGO_LAPLACE_SINGULAR", func(f *laplaceFit) bool { return f.res.Singular }),
	C.GLMMGO_LAPLACE_FAST:             flagOf("GLMMGO_LAPLACE_FAST", func(f *laplaceFit) bool { return f.res.Fast }),
	C.GLMMGO_LAPLACE_NAGQ:             intOf("GLMMGO_LAPLACE_NAGQ", func(f *laplaceFit) int { return f.res.NAGQ }),
	C.GLMMGO_LAPLACE_FAMILY:           intOf("GLMMGO_LAPLACE_FAMILY", func(f *laplaceFit) int { return int(f.res.Family) }),
	C.GLMMGO_LAPLACE_LINK:             intOf("GLMMGO_LAPLACE_LINK", func(f *laplaceFit) int { return int(f.res.Link) }),
	C.GLMMGO_LAPLACE_START_THETA:      floatsOf("GLMMGO_LAPLACE_START_THETA", func(f *laplaceFit) []float64 { return f.res.Start.Theta }),
	C.GLMMGO_LAPLACE_START_FROM_LMM:   flagOf("GLMMGO_LAPLACE_START_FROM_LMM", func(f *laplaceFit) bool { return f.res.Start.FromLMM }),
	C.GLMMGO_LAPLACE_START_OBJECTIVES: floatsOf("GLMMGO_LAPLACE_START_OBJECTIVES", (*laplaceFit).startObjectives),
	C.GLMMGO_LAPLACE_START_LMM_THETA:  floatsOf("GLMMGO_LAPLACE_START_LMM_THETA", func(f *laplaceFit) []float64 { return f.res.Start.LMMTheta }),
	C.GLMMGO_LAPLACE_SECONDS: floatsOf("GLMMGO_LAPLACE_SECONDS", func(f *laplaceFit) []float64 {
		return []float64{f.res.FastStage.Time.Seconds(), f.res.SlowStage.Time.Seconds(), f.res.Time.Seconds()}
	}),
}
