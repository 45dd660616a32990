package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"

// The Go build cache does not see changes to the header outside this
// package: this check ties the build to the result codes' numbering (R's
// codes.R and Julia's LibGlmmGo.jl hold the same numbers).
_Static_assert(GLMMGO_MCLA_MCSE_GLMM == 1030 && GLMMGO_MCLA_SAMPLES_KEPT == 1044 && GLMMGO_MCLA_JOINT_ESS == 1047,
               "the MCLA fit's result codes as the bindings number them");
*/
import "C"

import (
	"math"
	"time"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fit/mclafit"
)

// The convergence codes of glmmgo.h are mclafit's (a change to one side alone
// does not compile).
var (
	_ = [1]struct{}{}[C.GLMMGO_CONVERGENCE_OK-int(mclafit.Converged)]
	_ = [1]struct{}{}[C.GLMMGO_CONVERGENCE_ITERLIM-int(mclafit.IterationLimit)]
	_ = [1]struct{}{}[C.GLMMGO_CONVERGENCE_NOT_FINITE-int(mclafit.NotFinite)]
	_ = [1]struct{}{}[C.GLMMGO_CONVERGENCE_SCALE-int(mclafit.AbsurdScale)]
	_ = [1]struct{}{}[C.GLMMGO_CONVERGENCE_HESSIAN-int(mclafit.HessianNotNegDef)]
	_ = [1]struct{}{}[C.GLMMGO_CONVERGENCE_GRADIENT-int(mclafit.GradientLarge)]
	_ = [1]struct{}{}[C.GLMMGO_CONVERGENCE_GUARDED-int(mclafit.GuardedStop)]
)

// mclaFit is the object behind an MCLA fit handle: the finished fit (which
// regenerates its u-matrix from its own sampler) and, when the negative
// binomial size was estimated, that search.
type mclaFit struct {
	n          int
	fit        *mclafit.Fit
	disp       *mclafit.DispersionFit // nil unless the size was estimated
	dispersion float64                // the size used; 0 for other families
}

var kindMCLAFit = kind{C.GLMMGO_KIND_MCLA_FIT, "an MCLA fit"}

func (*mclaFit) kind() kind { return kindMCLAFit }

func (f *mclaFit) dims() dims {
	g := f.fit
	return dims{n: f.n, p: g.P, pGiven: g.P, q: g.Q, nvc: g.NVC, npar: g.P + g.NVC, m: g.M}
}

func (f *mclaFit) output(what C.int32_t) (output, bool) { return lookup(mclaFitResults, f, what) }

func (*mclaFit) resultsHelp() string { return "its results are " + codeRange(mclaFitResults) }

// waldLen and confInt are what glmmgo_confint needs of a fit (confint.go).
func (f *mclaFit) waldLen() (int, string) { return f.fit.P + f.fit.NVC, "p + nvc" }

func (f *mclaFit) confInt(level float64) ([]float64, []float64, error) { return f.fit.ConfInt(level) }

// mclaFitResults is the result table of MCLA fits (glmmgo.h, GLMMGO_MCLA_*).
var mclaFitResults = map[C.int32_t]result[*mclaFit]{
	C.GLMMGO_MCLA_BETA:           floatsOf("GLMMGO_MCLA_BETA", func(f *mclaFit) []float64 { return f.fit.Beta }),
	C.GLMMGO_MCLA_NU:             floatsOf("GLMMGO_MCLA_NU", func(f *mclaFit) []float64 { return f.fit.Nu }),
	C.GLMMGO_MCLA_VALUE:          scalarOf("GLMMGO_MCLA_VALUE", func(f *mclaFit) float64 { return f.fit.Value }),
	C.GLMMGO_MCLA_GRADIENT:       floatsOf("GLMMGO_MCLA_GRADIENT", func(f *mclaFit) []float64 { return f.fit.Gradient }),
	C.GLMMGO_MCLA_HESSIAN:        floatsOf("GLMMGO_MCLA_HESSIAN", func(f *mclaFit) []float64 { return f.fit.Hessian }),
	C.GLMMGO_MCLA_SE:             floatsOf("GLMMGO_MCLA_SE", func(f *mclaFit) []float64 { return f.fit.SE }),
	C.GLMMGO_MCLA_Z:              floatsOf("GLMMGO_MCLA_Z", func(f *mclaFit) []float64 { z, _ := f.fit.ZTests(); return z }),
	C.GLMMGO_MCLA_PVALUE:         floatsOf("GLMMGO_MCLA_PVALUE", func(f *mclaFit) []float64 { _, p := f.fit.ZTests(); return p }),
	C.GLMMGO_MCLA_VCOV:           floatsOf("GLMMGO_MCLA_VCOV", func(f *mclaFit) []float64 { return f.fit.Vcov }),
	C.GLMMGO_MCLA_MCSE:           floatsOf("GLMMGO_MCLA_MCSE", func(f *mclaFit) []float64 { return f.fit.MCSE }),
	C.GLMMGO_MCLA_MCVCOV:         floatsOf("GLMMGO_MCLA_MCVCOV", func(f *mclaFit) []float64 { return f.fit.MCVcov }),
	C.GLMMGO_MCLA_HESSIAN_NEGDEF: flagOf("GLMMGO_MCLA_HESSIAN_NEGDEF", func(f *mclaFit) bool { return f.fit.HessianNegDef }),
	C.GLMMGO_MCLA_CONVERGED:      flagOf("GLMMGO_MCLA_CONVERGED", func(f *mclaFit) bool { return f.fit.Converged }),
	C.GLMMGO_MCLA_CONVERGENCE:    intOf("GLMMGO_MCLA_CONVERGENCE", func(f *mclaFit) int { return int(f.fit.Convergence) }),
	C.GLMMGO_MCLA_ITERATIONS:     intOf("GLMMGO_MCLA_ITERATIONS", func(f *mclaFit) int { return f.fit.Iter }),
	C.GLMMGO_MCLA_EVALUATIONS:    intOf("GLMMGO_MCLA_EVALUATIONS", func(f *mclaFit) int { return f.fit.Evals }),
	C.GLMMGO_MCLA_ESS:            scalarOf("GLMMGO_MCLA_ESS", func(f *mclaFit) float64 { return f.fit.ESS }),
	C.GLMMGO_MCLA_ESS_WARNING:    flagOf("GLMMGO_MCLA_ESS_WARNING", func(f *mclaFit) bool { return f.fit.ESSWarning }),
	C.GLMMGO_MCLA_COUNTS: intsOf("GLMMGO_MCLA_COUNTS", func(f *mclaFit) []int64 {
		return []int64{int64(f.fit.M1), int64(f.fit.M2), int64(f.fit.M3)}
	}),
	C.GLMMGO_MCLA_SECONDS: floatsOf("GLMMGO_MCLA_SECONDS", func(f *mclaFit) []float64 {
		return []float64{f.fit.PQLTime.Seconds(), f.fit.SampleTime.Seconds(), f.fit.TrustTime.Seconds(), f.fit.InferenceTime.Seconds()}
	}),
	C.GLMMGO_MCLA_USED_PQL:  flagOf("GLMMGO_MCLA_USED_PQL", func(f *mclaFit) bool { return f.fit.PQL != nil }),
	C.GLMMGO_MCLA_START:     floatsOf("GLMMGO_MCLA_START", func(f *mclaFit) []float64 { return f.fit.Start }),
	C.GLMMGO_MCLA_U_STAR:    floatsOf("GLMMGO_MCLA_U_STAR", func(f *mclaFit) []float64 { return f.fit.UStar }),
	C.GLMMGO_MCLA_D_STAR:    floatsOf("GLMMGO_MCLA_D_STAR", func(f *mclaFit) []float64 { return f.fit.DStar }),
	C.GLMMGO_MCLA_SIGMA_INV: sigmaInvResult(),
	C.GLMMGO_MCLA_UMATRIX: {name: "GLMMGO_MCLA_UMATRIX", length: func(f *mclaFit) int { return f.fit.M * f.fit.Q },
		floats: func(f *mclaFit, dst []float64) error { return f.fit.UMatrix(dst) }},
	C.GLMMGO_MCLA_DISPERSION: scalarOf("GLMMGO_MCLA_DISPERSION", func(f *mclaFit) float64 { return f.dispersion }),
	C.GLMMGO_MCLA_DISPERSION_LOGLIK: floatsOf("GLMMGO_MCLA_DISPERSION_LOGLIK", func(f *mclaFit) []float64 {
		if f.disp == nil {
			return nil
		}
		return []float64{f.disp.LogLik}
	}),
	C.GLMMGO_MCLA_MCSE_GLMM:   floatsOf("GLMMGO_MCLA_MCSE_GLMM", func(f *mclaFit) []float64 { return f.fit.MCSEGlmm }),
	C.GLMMGO_MCLA_MCVCOV_GLMM: floatsOf("GLMMGO_MCLA_MCVCOV_GLMM", func(f *mclaFit) []float64 { return f.fit.MCVcovGlmm }),
	C.GLMMGO_MCLA_JACKKNIFE: floatsOf("GLMMGO_MCLA_JACKKNIFE", func(f *mclaFit) []float64 {
		j := f.fit.Jackknife
		return []float64{float64(j.Groups), j.GroupES, j.DF, j.Inflation}
	}),
	C.GLMMGO_MCLA_STAGE_COUNT: intOf("GLMMGO_MCLA_STAGE_COUNT", func(f *mclaFit) int { return len(f.fit.Stages) }),
	C.GLMMGO_MCLA_STAGE_M:     intsOf("GLMMGO_MCLA_STAGE_M", func(f *mclaFit) []int64 { return stageInts(f, func(s mclafit.Stage) int { return s.M }) }),
	C.GLMMGO_MCLA_STAGE_ESS: floatsOf("GLMMGO_MCLA_STAGE_ESS", func(f *mclaFit) []float64 {
		return stageFloats(f, func(s mclafit.Stage) []float64 { return []float64{s.ESS} })
	}),
	C.GLMMGO_MCLA_STAGE_PAR:     floatsOf("GLMMGO_MCLA_STAGE_PAR", func(f *mclaFit) []float64 { return stageFloats(f, func(s mclafit.Stage) []float64 { return s.Par }) }),
	C.GLMMGO_MCLA_STAGE_MCSE:    floatsOf("GLMMGO_MCLA_STAGE_MCSE", func(f *mclaFit) []float64 { return stageFloats(f, func(s mclafit.Stage) []float64 { return s.MCSE }) }),
	C.GLMMGO_MCLA_STAGE_CENTRE:  floatsOf("GLMMGO_MCLA_STAGE_CENTRE", func(f *mclaFit) []float64 { return stageFloats(f, func(s mclafit.Stage) []float64 { return s.Centre }) }),
	C.GLMMGO_MCLA_STAGE_GUARDED: intsOf("GLMMGO_MCLA_STAGE_GUARDED", func(f *mclaFit) []int64 { return stageInts(f, func(s mclafit.Stage) int { return b2i(s.Guarded) }) }),
	C.GLMMGO_MCLA_FINAL_STAGE:   intOf("GLMMGO_MCLA_FINAL_STAGE", func(f *mclaFit) int { return f.fit.FinalStage }),
	C.GLMMGO_MCLA_AUTO_STOP:     intOf("GLMMGO_MCLA_AUTO_STOP", func(f *mclaFit) int { return int(f.fit.AutoStop) }),
	C.GLMMGO_MCLA_GUARDED:       flagOf("GLMMGO_MCLA_GUARDED", func(f *mclaFit) bool { return f.fit.Guarded }),
	C.GLMMGO_MCLA_T_SIGMA:       flagOf("GLMMGO_MCLA_T_SIGMA", func(f *mclaFit) bool { return f.fit.TSigma }),
	C.GLMMGO_MCLA_SAMPLES_KEPT:  flagOf("GLMMGO_MCLA_SAMPLES_KEPT", func(f *mclaFit) bool { return f.fit.SamplesKept }),
	C.GLMMGO_MCLA_BLOCKWISE:     flagOf("GLMMGO_MCLA_BLOCKWISE", func(f *mclaFit) bool { return f.fit.Blockwise }),
	C.GLMMGO_MCLA_BLOCKS:        intOf("GLMMGO_MCLA_BLOCKS", func(f *mclaFit) int { return f.fit.Blocks }),
	C.GLMMGO_MCLA_JOINT_ESS:     scalarOf("GLMMGO_MCLA_JOINT_ESS", func(f *mclaFit) float64 { return f.fit.JointESS }),
	C.GLMMGO_MCLA_DISPERSION_PROFILE: floatsOf("GLMMGO_MCLA_DISPERSION_PROFILE", func(f *mclaFit) []float64 {
		if f.disp == nil {
			return nil
		}
		k := len(f.disp.Profile)
		out := make([]float64, 2*k)
		for i, pt := range f.disp.Profile {
			out[i], out[k+i] = pt[0], pt[1]
		}
		return out
	}),
}

// stageFloats lays out one vector per stage as a column-major k × len table.
func stageFloats(f *mclaFit, get func(mclafit.Stage) []float64) []float64 {
	st := f.fit.Stages
	if len(st) == 0 {
		return nil
	}
	w := len(get(st[0]))
	out := make([]float64, len(st)*w)
	for i, s := range st {
		for j, v := range get(s) {
			out[j*len(st)+i] = v
		}
	}
	return out
}

func stageInts(f *mclaFit, get func(mclafit.Stage) int) []int64 {
	out := make([]int64, len(f.fit.Stages))
	for i, s := range f.fit.Stages {
		out[i] = int64(get(s))
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// mclaDefaults are the defaults of glmmgo_mcla_options (glmm's where glmm
// has one); tests/mcla_fit_test.go checks a C fit with them against the Go
// fit with mclafit's own defaults bit for bit.
func mclaDefaults() C.glmmgo_mcla_options {
	var o C.glmmgo_mcla_options
	o.size = C.size_t(unsafe.Sizeof(o))
	o.m = 10000
	o.p_mix = [3]C.double{1.0 / 3, 1.0 / 3, 1.0 / 3}
	o.zeta = 5
	o.rinit, o.rmax, o.iterlim = 10, 1000, 1000
	o.ess_warn = mclafit.DefaultESSWarn
	o.stages, o.m_pilot = mclafit.DefaultStages, mclafit.DefaultPilotM
	o.ess_target, o.rel_mcse, o.m_max = mclafit.DefaultESSTarget, mclafit.DefaultRelMCSE, mclafit.DefaultMMax
	o.sample_memory = mclafit.DefaultSampleMemory
	return o
}

//export glmmgo_go_mcla_options_default
func glmmgo_go_mcla_options_default(opt *C.glmmgo_mcla_options, size C.size_t, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error { return writeDefaults(opt, size, mclaDefaults(), "glmmgo_mcla_options") })
}

// mclaFitNames are the core's argument names that glmmgo_mcla_options spells differently.
var mclaFitNames = map[string]string{"r_range": "dispersion_lo", "evaluator": "partials"}

//export glmmgo_go_mcla_fit
func glmmgo_go_mcla_fit(model C.glmmgo_handle, opt *C.glmmgo_mcla_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer,
	fit *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	if fit != nil {
		*fit = 0
	}
	return withHandle(model, "model", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		if e := handleOut(fit, "fit"); e != nil {
			return e
		}
		f, e := mm.fit(opt, progress, userdata)
		if e != nil {
			return renameArgs(e, mclaFitNames)
		}
		*fit = register(f)
		return nil
	})
}

func (mm *mclaModel) fit(opt *C.glmmgo_mcla_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer) (*mclaFit, error) {
	o, err := readOptions(opt, mclaDefaults(), "glmmgo_mcla_options", "glmmgo_mcla_options_default")
	if err != nil {
		return nil, err
	}
	fo, err := mclaOptions(&o, mm.data.P+mm.data.NVC)
	if err != nil {
		return nil, err
	}
	// Every sample keeps log f~ and its nvc sums of squares (its q values
	// only up to sample_memory), so the largest m is checked against that.
	mMax, arg := fo.M, "m"
	if fo.Auto {
		mMax, arg = fo.MMax, "m_max"
	}
	if _, err := product(mMax, 2+mm.data.NVC, arg); err != nil {
		return nil, err
	}
	fo.Progress = progressFunc(progress, userdata)
	fo.Evaluator = mm.evaluator(o.partials, o.partials_userdata)
	lo, hi, err := dispersionRange(&o, mm.data.Family)
	if err != nil {
		return nil, err
	}
	f := &mclaFit{n: mm.data.N}
	if lo > 0 {
		if f.disp, err = mclafit.FitDispersion(mm.data, fo, lo, hi); err != nil {
			return nil, err
		}
		f.fit, f.dispersion = f.disp.Fit, f.disp.Dispersion
		return f, nil
	}
	if err := mm.ready(); err != nil {
		return nil, err
	}
	if f.fit, err = mclafit.Run(mm.data, fo); err != nil {
		return nil, err
	}
	f.dispersion = mm.data.Dispersion
	return f, nil
}

// The C estimator codes are mclafit's (a mismatch does not compile).
var (
	_ = [1]int{}[C.GLMMGO_MCLA_ESTIMATOR_AUTO-int(mclafit.EstimatorAuto)]
	_ = [1]int{}[C.GLMMGO_MCLA_ESTIMATOR_JOINT-int(mclafit.EstimatorJoint)]
	_ = [1]int{}[C.GLMMGO_MCLA_ESTIMATOR_BLOCKWISE-int(mclafit.EstimatorBlockwise)]
)

// mclaOptions converts and checks the C options; npar = p + nvc.
func mclaOptions(o *C.glmmgo_mcla_options, npar int) (mclafit.Options, error) {
	var none mclafit.Options
	m, err := size(o.m, "m", 0)
	if err != nil {
		return none, err
	}
	w, err := workers(o.workers)
	if err != nil {
		return none, err
	}
	fo := mclafit.Options{M: m, Auto: m == C.GLMMGO_M_AUTO, Zeta: float64(o.zeta), Seed: uint64(o.seed), Workers: w,
		RInit: float64(o.rinit), RMax: float64(o.rmax), NoPQL: o.no_pql != 0, ESSWarn: float64(o.ess_warn),
		TAtUStar: o.t_at_ustar != 0}
	for i := range fo.P {
		fo.P[i] = float64(o.p_mix[i])
	}
	// The core reads 0 as "the default"; in C the defaults are explicit,
	// so a 0 here is a mistake (or, for ess_warn, "never warn").
	if fo.P == [3]float64{} {
		return none, errs.Invalidf("p_mix", "is all zero; the probabilities must sum to 1 (defaults: 1/3 each)")
	}
	if fo.Zeta == 0 {
		return none, errs.Invalidf("zeta", "is 0; the t degrees of freedom must be positive (default 5)")
	}
	if fo.RInit == 0 || fo.RMax == 0 {
		return none, errs.Invalidf("rinit", "rinit = %g and rmax = %g must be positive (defaults 10 and 1000)", fo.RInit, fo.RMax)
	}
	if o.iterlim < 1 || o.iterlim > math.MaxInt32 {
		return none, errs.Invalidf("iterlim", "is %d; must be between 1 and %d", int64(o.iterlim), math.MaxInt32)
	}
	fo.IterLim = int(o.iterlim)
	if !(fo.ESSWarn >= 0) {
		return none, errs.Invalidf("ess_warn", "is %g; must be non-negative", fo.ESSWarn)
	}
	if fo.ESSWarn == 0 {
		fo.ESSWarn = math.SmallestNonzeroFloat64 // 0 asks for no warning
	}
	fo.Start, err = startValues(o.start, o.start_len, npar, "p + nvc")
	if err != nil {
		return none, err
	}
	switch o.estimator {
	case C.GLMMGO_MCLA_ESTIMATOR_AUTO, C.GLMMGO_MCLA_ESTIMATOR_JOINT, C.GLMMGO_MCLA_ESTIMATOR_BLOCKWISE:
		fo.Estimator = mclafit.Estimator(o.estimator)
	default:
		return none, errs.Invalidf("estimator", "is %d; want GLMMGO_MCLA_ESTIMATOR_AUTO (%d), _JOINT (%d) or _BLOCKWISE (%d)",
			int32(o.estimator), C.GLMMGO_MCLA_ESTIMATOR_AUTO, C.GLMMGO_MCLA_ESTIMATOR_JOINT, C.GLMMGO_MCLA_ESTIMATOR_BLOCKWISE)
	}
	return fo, mclaSizeOptions(o, &fo)
}

// mclaSizeOptions converts the options of stages and of the automatic
// sample size; 0 is an error where the core would read it as "default".
func mclaSizeOptions(o *C.glmmgo_mcla_options, fo *mclafit.Options) error {
	if o.stages < 1 {
		return errs.Invalidf("stages", "is %d; must be at least 1 (default %d; 1 is glmm's single density)", int32(o.stages), mclafit.DefaultStages)
	}
	var err error
	if fo.PilotM, err = size(o.m_pilot, "m_pilot", 1); err != nil {
		return err
	}
	if fo.MMax, err = size(o.m_max, "m_max", 1); err != nil {
		return err
	}
	fo.Stages = int(o.stages)
	fo.ESSTarget, fo.RelMCSE = float64(o.ess_target), float64(o.rel_mcse)
	if !(fo.ESSTarget >= 1) || math.IsInf(fo.ESSTarget, 0) {
		return errs.Invalidf("ess_target", "is %g; must be at least 1 and finite (default %d)", fo.ESSTarget, mclafit.DefaultESSTarget)
	}
	if !(fo.RelMCSE > 0) || math.IsInf(fo.RelMCSE, 0) {
		return errs.Invalidf("rel_mcse", "is %g; must be positive and finite (default %g)", fo.RelMCSE, mclafit.DefaultRelMCSE)
	}
	t := float64(o.time_max)
	if !(t >= 0) || t > 1e9 {
		return errs.Invalidf("time_max", "is %g seconds; must be between 0 (no limit) and 1e9", t)
	}
	fo.TimeMax = time.Duration(t * float64(time.Second))
	switch mem := int64(o.sample_memory); {
	case mem == -1:
		fo.SampleMemory = -1
	case mem == 0:
		fo.SampleMemory = 1 // keep nothing: every sample is redrawn
	case mem > 0:
		fo.SampleMemory = mem
	default:
		return errs.Invalidf("sample_memory", "is %d; must be a number of bytes, 0 (always redraw) or -1 (no limit)", mem)
	}
	return nil
}

// dispersionRange checks the negative binomial size range: both 0 (none)
// or 0 < lo < hi < Inf on a negative binomial model.
func dispersionRange(o *C.glmmgo_mcla_options, fam family.Code) (lo, hi float64, err error) {
	lo, hi = float64(o.dispersion_lo), float64(o.dispersion_hi)
	if lo == 0 && hi == 0 {
		return 0, 0, nil
	}
	if fam != family.NegBinomial {
		return 0, 0, errs.Invalidf("dispersion_lo", "is %g and dispersion_hi %g, but only a negative binomial model has a dispersion to estimate (this one is %v): leave both 0", lo, hi, fam)
	}
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return 0, 0, errs.Invalidf("dispersion_lo", "[%g, %g] must satisfy 0 < dispersion_lo < dispersion_hi < Inf", lo, hi)
	}
	return lo, hi, nil
}

//export glmmgo_go_mcla_set_fit_samples
func glmmgo_go_mcla_set_fit_samples(model, fit C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		f, release, e := use[*mclaFit](int64(fit), "fit", kindMCLAFit)
		if e != nil {
			return e
		}
		defer release()
		return f.fit.SampleOn(mm.m, 0)
	})
}

// sigmaInvResult is Σ̃⁻¹ of a fit's importance density, q×q: a fit whose
// density factored it sparse never formed that matrix (at large q it may
// not fit in memory), and says so instead of building it.
func sigmaInvResult() result[*mclaFit] {
	r := floatsOf("GLMMGO_MCLA_SIGMA_INV", func(f *mclaFit) []float64 { return f.fit.SigmaInv })
	r.absent = func(f *mclaFit) error {
		if f.fit.SigmaInv != nil || !f.fit.SparseFactor {
			return nil
		}
		return errs.Invalidf("what", "GLMMGO_MCLA_SIGMA_INV: this fit's importance density held Σ̃⁻¹ (q = %d) sparse, %d nonzeros, and factored it sparse (%d nonzeros); the dense q×q matrix was never formed",
			f.fit.Q, f.fit.SigmaInvCSR.NNZ(), f.fit.FactorNNZ)
	}
	return r
}
