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
	"github.com/glmmgo/glmmgo/core/fit/mixlogitfit"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The method codes of glmmgo.h are the core's methods plus one (0 stays
// invalid in C, where every default is explicit).
var (
	_ = [1]struct{}{}[C.GLMMGO_MIXLOGIT_MCEM-1-int(mixlogitfit.MCEM)]
	_ = [1]struct{}{}[C.GLMMGO_MIXLOGIT_QUADRATURE-1-int(mixlogitfit.Quadrature)]
)

// mixlogitFit is the object behind a mixlogit fit handle: the finished fit
// (which holds everything it reports) and the model's dimensions.
type mixlogitFit struct {
	n, t int
	res  *mixlogitfit.Result
}

func (*mixlogitFit) kind() kind { return kindMixlogitFit }

func (f *mixlogitFit) dims() dims { return dims{n: f.n, t: f.t, npar: mixlogit.NumParams} }

func (f *mixlogitFit) output(what C.int32_t) (output, bool) {
	return lookup(mixlogitFitResults, f, what)
}

func (*mixlogitFit) resultsHelp() string { return "its results are " + codeRange(mixlogitFitResults) }

// waldLen is what glmmgo_confint needs of a fit (confint.go).
func (f *mixlogitFit) waldLen() (int, string) { return mixlogit.NumParams, "npar" }

func (f *mixlogitFit) confInt(level float64) ([]float64, []float64, error) {
	lo, hi, err := f.res.ConfInt(level)
	return lo[:], hi[:], err
}

func params(get func(*mixlogitFit) *mixlogit.Params) func(*mixlogitFit) []float64 {
	return func(f *mixlogitFit) []float64 { return get(f)[:] }
}

// mixlogitFitResults is the result table of mixlogit fits (glmmgo.h, GLMMGO_MIXLOGIT_*).
var mixlogitFitResults = map[C.int32_t]result[*mixlogitFit]{
	C.GLMMGO_MIXLOGIT_ESTIMATE:     floatsOf("GLMMGO_MIXLOGIT_ESTIMATE", params(func(f *mixlogitFit) *mixlogit.Params { return &f.res.Estimate })),
	C.GLMMGO_MIXLOGIT_SE:           floatsOf("GLMMGO_MIXLOGIT_SE", params(func(f *mixlogitFit) *mixlogit.Params { return &f.res.SE })),
	C.GLMMGO_MIXLOGIT_VCOV:         floatsOf("GLMMGO_MIXLOGIT_VCOV", func(f *mixlogitFit) []float64 { return f.res.Vcov[:] }),
	C.GLMMGO_MIXLOGIT_INFO_POSDEF:  flagOf("GLMMGO_MIXLOGIT_INFO_POSDEF", func(f *mixlogitFit) bool { return f.res.InfoPosDef }),
	C.GLMMGO_MIXLOGIT_LOGLIK:       scalarOf("GLMMGO_MIXLOGIT_LOGLIK", func(f *mixlogitFit) float64 { return f.res.LogLik }),
	C.GLMMGO_MIXLOGIT_GRADIENT:     floatsOf("GLMMGO_MIXLOGIT_GRADIENT", func(f *mixlogitFit) []float64 { return f.res.Gradient[:] }),
	C.GLMMGO_MIXLOGIT_POSTERIOR:    floatsOf("GLMMGO_MIXLOGIT_POSTERIOR", func(f *mixlogitFit) []float64 { return f.res.Posterior }),
	C.GLMMGO_MIXLOGIT_CONVERGED:    flagOf("GLMMGO_MIXLOGIT_CONVERGED", func(f *mixlogitFit) bool { return f.res.Converged }),
	C.GLMMGO_MIXLOGIT_ITERATIONS:   intOf("GLMMGO_MIXLOGIT_ITERATIONS", func(f *mixlogitFit) int { return f.res.Iterations }),
	C.GLMMGO_MIXLOGIT_METHOD:       intOf("GLMMGO_MIXLOGIT_METHOD", func(f *mixlogitFit) int { return int(f.res.Method) + 1 }),
	C.GLMMGO_MIXLOGIT_START:        floatsOf("GLMMGO_MIXLOGIT_START", params(func(f *mixlogitFit) *mixlogit.Params { return &f.res.Start })),
	C.GLMMGO_MIXLOGIT_MCSE:         floatsOf("GLMMGO_MIXLOGIT_MCSE", params(func(f *mixlogitFit) *mixlogit.Params { return &f.res.MCSE })),
	C.GLMMGO_MIXLOGIT_MCVCOV:       floatsOf("GLMMGO_MIXLOGIT_MCVCOV", func(f *mixlogitFit) []float64 { return f.res.MCVcov[:] }),
	C.GLMMGO_MIXLOGIT_LOGLIK_MC:    scalarOf("GLMMGO_MIXLOGIT_LOGLIK_MC", func(f *mixlogitFit) float64 { return f.res.LogLikMC }),
	C.GLMMGO_MIXLOGIT_LOGLIK_MCSE:  scalarOf("GLMMGO_MIXLOGIT_LOGLIK_MCSE", func(f *mixlogitFit) float64 { return f.res.LogLikMCSE }),
	C.GLMMGO_MIXLOGIT_SAMPLE_SIZE:  intOf("GLMMGO_MIXLOGIT_SAMPLE_SIZE", func(f *mixlogitFit) int { return f.res.SampleSize }),
	C.GLMMGO_MIXLOGIT_TOTAL_DRAWS:  intsOf("GLMMGO_MIXLOGIT_TOTAL_DRAWS", func(f *mixlogitFit) []int64 { return []int64{f.res.TotalDraws} }),
	C.GLMMGO_MIXLOGIT_NEWTON_STEPS: intOf("GLMMGO_MIXLOGIT_NEWTON_STEPS", func(f *mixlogitFit) int { return f.res.NewtonSteps }),
	C.GLMMGO_MIXLOGIT_FINAL_ROUNDS: intOf("GLMMGO_MIXLOGIT_FINAL_ROUNDS", func(f *mixlogitFit) int { return f.res.FinalRounds }),
	C.GLMMGO_MIXLOGIT_SCORE_TEST:   scalarOf("GLMMGO_MIXLOGIT_SCORE_TEST", func(f *mixlogitFit) float64 { return f.res.ScoreTest }),
	C.GLMMGO_MIXLOGIT_ESS: floatsOf("GLMMGO_MIXLOGIT_ESS", func(f *mixlogitFit) []float64 {
		return []float64{f.res.ESSMean, f.res.ESSMin}
	}),
	C.GLMMGO_MIXLOGIT_TRACE_COLUMNS: intOf("GLMMGO_MIXLOGIT_TRACE_COLUMNS", func(*mixlogitFit) int { return len(mixlogitfit.TraceColumns) }),
	C.GLMMGO_MIXLOGIT_TRACE: {name: "GLMMGO_MIXLOGIT_TRACE",
		length: func(f *mixlogitFit) int { return len(f.res.Trace) * len(mixlogitfit.TraceColumns) },
		floats: func(f *mixlogitFit, dst []float64) error { copy(dst, f.res.TraceTable()); return nil }},
	C.GLMMGO_MIXLOGIT_SECONDS: floatsOf("GLMMGO_MIXLOGIT_SECONDS", func(f *mixlogitFit) []float64 {
		t := f.res.Time
		return []float64{t.Start.Seconds(), t.Fit.Seconds(), t.EStep.Seconds(), t.MStep.Seconds(), t.Inference.Seconds(), t.Total.Seconds()}
	}),
}

// mixlogitDefaults are the defaults of glmmgo_mixlogit_options: the core's
// (tests/mixlogit_test.go checks a C fit with them against the Go fit with
// mixlogitfit.DefaultOptions bit for bit).
func mixlogitDefaults() C.glmmgo_mixlogit_options {
	d := mixlogitfit.DefaultOptions()
	var o C.glmmgo_mixlogit_options
	o.size = C.size_t(unsafe.Sizeof(o))
	o.method = C.int32_t(int(d.Method) + 1)
	o.max_iter, o.initial_samples, o.max_samples = C.int64_t(d.MaxIter), C.int64_t(d.InitialSamples), C.int64_t(d.MaxSamples)
	o.alpha, o.beta, o.gamma = C.double(d.Alpha), C.double(d.Beta), C.double(d.Gamma)
	o.augment_divisor, o.tol, o.df = C.double(d.AugmentDivisor), C.double(d.Tol), C.double(d.DF)
	return o
}

//export glmmgo_go_mixlogit_options_default
func glmmgo_go_mixlogit_options_default(opt *C.glmmgo_mixlogit_options, size C.size_t, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error {
		return writeDefaults(opt, size, mixlogitDefaults(), "glmmgo_mixlogit_options")
	})
}

//export glmmgo_go_mixlogit_fit
func glmmgo_go_mixlogit_fit(model C.glmmgo_handle, opt *C.glmmgo_mixlogit_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer,
	fit *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	if fit != nil {
		*fit = 0
	}
	return withHandle(model, "model", kindMixlogitModel, err, errlen, func(mm *mixlogitModel) error {
		if e := handleOut(fit, "fit"); e != nil {
			return e
		}
		o, e := readOptions(opt, mixlogitDefaults(), "glmmgo_mixlogit_options", "glmmgo_mixlogit_options_default")
		if e != nil {
			return e
		}
		fo, e := mixlogitOptions(&o)
		if e != nil {
			return e
		}
		fo.Progress = progressFunc(progress, userdata)
		res, e := mixlogitfit.Fit(mm.m, fo)
		if e != nil {
			return renameArgs(e, mixlogitNames)
		}
		*fit = register(&mixlogitFit{n: mm.m.N(), t: mm.m.T(), res: res})
		return nil
	})
}

// mixlogitOptions converts the C options. The core reads a zero field as
// "the default"; in C the defaults are explicit, so a zero (or a count
// beyond int32) is refused here, naming the field and its default, and the
// core checks the rest.
func mixlogitOptions(o *C.glmmgo_mixlogit_options) (mixlogitfit.Options, error) {
	var fo mixlogitfit.Options
	def := mixlogitDefaults()
	switch o.method {
	case C.GLMMGO_MIXLOGIT_MCEM:
		fo.Method = mixlogitfit.MCEM
	case C.GLMMGO_MIXLOGIT_QUADRATURE:
		fo.Method = mixlogitfit.Quadrature
	default:
		return fo, errs.Invalidf("method", "is %d; use GLMMGO_MIXLOGIT_MCEM (%d) or GLMMGO_MIXLOGIT_QUADRATURE (%d)",
			int32(o.method), C.GLMMGO_MIXLOGIT_MCEM, C.GLMMGO_MIXLOGIT_QUADRATURE)
	}
	var err error
	if fo.Workers, err = workers(o.workers); err != nil {
		return fo, err
	}
	fo.Seed = uint64(o.seed)
	counts := []struct {
		name   string
		v, def C.int64_t
		dst    *int
	}{{"max_iter", o.max_iter, def.max_iter, &fo.MaxIter}, {"initial_samples", o.initial_samples, def.initial_samples, &fo.InitialSamples},
		{"max_samples", o.max_samples, def.max_samples, &fo.MaxSamples}}
	for _, c := range counts {
		if c.v < 1 || c.v > math.MaxInt32 {
			return fo, errs.Invalidf(c.name, "is %d; must be between 1 and %d (default %d)", int64(c.v), math.MaxInt32, int64(c.def))
		}
		*c.dst = int(c.v)
	}
	reals := []struct {
		name   string
		v, def C.double
		dst    *float64
	}{{"alpha", o.alpha, def.alpha, &fo.Alpha}, {"beta", o.beta, def.beta, &fo.Beta}, {"gamma", o.gamma, def.gamma, &fo.Gamma},
		{"augment_divisor", o.augment_divisor, def.augment_divisor, &fo.AugmentDivisor}, {"tol", o.tol, def.tol, &fo.Tol},
		{"df", o.df, def.df, &fo.DF}}
	for _, r := range reals {
		if r.v == 0 {
			return fo, errs.Invalidf(r.name, "is 0; give a value (default %g)", float64(r.def))
		}
		*r.dst = float64(r.v)
	}
	fo.Start, err = startValues(o.start, o.start_len, mixlogit.NumParams, "npar")
	return fo, err
}
