package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"math"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/fit/lmmfit"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
)

// lmmShared is an LMM's data and factorisation, shared by the model handle
// and its fits (a fit's conditional variances are computed from it on
// request). refs counts those handles: the last one freed closes it. mu
// serialises its users; a call that finds it taken gets GLMMGO_ERR_BUSY,
// never a wait (a progress callback may call from inside a fit).
type lmmShared struct {
	mu   sync.Mutex
	m    *lmm.Model
	refs atomic.Int32
}

// with runs f on the model with the given worker count, if no other call
// is using it.
func (s *lmmShared) with(workers int, f func(*lmm.Model) error) error {
	if !s.mu.TryLock() {
		return &errs.Error{Kind: errs.Busy, Arg: "model", Msg: "the model's data is in use by another call (on the model or on one of its fits); one call at a time"}
	}
	defer s.mu.Unlock()
	s.m.SetWorkers(workers)
	return f(s.m)
}

func (s *lmmShared) release() {
	if s.refs.Add(-1) == 0 {
		s.m.Close()
	}
}

// lmmStructure is what models and fits report of an LMM's structure.
type lmmStructure struct {
	d                             dims
	order, nlevels, ncols, kept   []int64
	lower                         []float64
	thetaTerm, thetaRow, thetaCol []int64 // θ's layout (lmm.ThetaLayout)
}

func structureOf(m *lmm.Model) lmmStructure {
	s := lmmStructure{d: dims{n: m.N(), p: m.P(), pGiven: m.P() + len(m.Dropped()), q: m.NRandom(),
		ntheta: m.NTheta(), nterms: m.NTerms(), npar: m.NTheta()}}
	s.order, s.kept, s.lower = toInt64s(m.TermOrder()), toInt64s(m.Kept()), m.Lower()
	for t := 0; t < m.NTerms(); t++ {
		_, l, k := m.TermInfo(t)
		s.nlevels, s.ncols = append(s.nlevels, int64(l)), append(s.ncols, int64(k))
	}
	for _, e := range m.ThetaLayout() {
		s.thetaTerm = append(s.thetaTerm, int64(e.Term))
		s.thetaRow = append(s.thetaRow, int64(e.Row))
		s.thetaCol = append(s.thetaCol, int64(e.Col))
	}
	return s
}

func (s *lmmStructure) dims() dims { return s.d }

// lmmModel is the object behind an LMM model handle.
type lmmModel struct {
	lmmStructure
	shared *lmmShared
}

var (
	kindLMMModel = kind{C.GLMMGO_KIND_LMM_MODEL, "a linear mixed model"}
	kindLMMFit   = kind{C.GLMMGO_KIND_LMM_FIT, "a linear mixed model fit"}
)

func (*lmmModel) kind() kind { return kindLMMModel }

func (lm *lmmModel) output(what C.int32_t) (output, bool) {
	return lookup(lmmStructureResults, &lm.lmmStructure, what)
}

func (*lmmModel) resultsHelp() string {
	return "its results are " + codeRange(lmmStructureResults) + "; fit it with glmmgo_lmm_fit for the others"
}

// Close releases the model's data unless a fit still uses it.
func (lm *lmmModel) Close() { lm.shared.release() }

//export glmmgo_go_lmm_new
func glmmgo_go_lmm_new(n, p C.int64_t, y, x, weights *C.double, nterms C.int64_t, nlevels, ncols, codes *C.int64_t,
	z *C.double, out *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error {
		if e := handleOut(out, "out"); e != nil {
			return e
		}
		*out = 0
		d, e := lmmData(n, p, y, x, weights, nterms, nlevels, ncols, codes, z, false)
		if e != nil {
			return e
		}
		m, e := lmm.New(d) // copies everything it keeps
		if e == nil {
			if e = lmm.CheckScale(d); e != nil {
				m.Close()
			}
		}
		if e != nil {
			return renameArgs(e, lmmNames)
		}
		s := &lmmShared{m: m}
		s.refs.Store(1)
		*out = register(&lmmModel{lmmStructure: structureOf(m), shared: s})
		return nil
	})
}

// lmmNames are the core's argument names that the C functions spell differently.
var lmmNames = map[string]string{"X": "x", "Z": "z", "theta0": "start", "tolerance": "rhoend"}

// lmmData views the arguments of glmmgo_lmm_new as an lmm.Data after
// checking every count before anything sized by it. allowN admits a term
// with a level per observation (glmmgo_laplace_new's observation-level
// random effects; an LMM's residual would make it unidentifiable).
func lmmData(n, p C.int64_t, y, x, weights *C.double, nterms C.int64_t, nlevels, ncols, codes *C.int64_t, z *C.double, allowN bool) (lmm.Data, error) {
	var d lmm.Data
	nn, err := size(n, "n", 1)
	if err != nil {
		return d, err
	}
	if d.P, err = size(p, "p", 0); err != nil {
		return d, err
	}
	nt, err := size(nterms, "nterms", 1)
	if err != nil {
		return d, err
	}
	np, err := product(nn, d.P, "x")
	if err != nil {
		return d, err
	}
	if d.Y, err = floats(unsafe.Pointer(y), nn, "y", false); err != nil {
		return d, err
	}
	if d.X, err = floats(unsafe.Pointer(x), np, "x", false); err != nil {
		return d, err
	}
	if d.Weights, err = floats(unsafe.Pointer(weights), nn, "weights", true); err != nil {
		return d, err
	}
	lv, err := int64s(unsafe.Pointer(nlevels), nt, "nlevels")
	if err != nil {
		return d, err
	}
	kc, err := int64s(unsafe.Pointer(ncols), nt, "ncols")
	if err != nil {
		return d, err
	}
	ntot, err := product(nn, nt, "codes")
	if err != nil {
		return d, err
	}
	cd, err := int64s(unsafe.Pointer(codes), ntot, "codes")
	if err != nil {
		return d, err
	}
	zcols := 0
	for t := 0; t < nt; t++ {
		if lv[t] < 2 {
			return d, errs.Invalidf("nlevels", "term %d has %d levels; a grouping factor needs at least 2", t, lv[t])
		}
		if lv[t] > int64(nn) || (lv[t] == int64(nn) && !allowN) {
			limit := "less than"
			if allowN {
				limit = "at most"
			}
			return d, errs.Invalidf("nlevels", "term %d has %d levels for %d observations; the number of levels must be %s the number of observations", t, lv[t], nn, limit)
		}
		if kc[t] < 1 || kc[t] > int64(nn) {
			return d, errs.Invalidf("ncols", "term %d has %d columns; must be between 1 and n = %d", t, kc[t], nn)
		}
		if zcols += int(kc[t]); zcols > maxElems {
			return d, errs.Invalidf("ncols", "the terms have more than %d columns in all", int64(maxElems))
		}
	}
	nz, err := product(nn, zcols, "z")
	if err != nil {
		return d, err
	}
	zz, err := floats(unsafe.Pointer(z), nz, "z", false)
	if err != nil {
		return d, err
	}
	// Checked before lmmTerms copies the codes and before any value is read.
	if err := lmm.NeedData(nn, d.P, nt, zcols); err != nil {
		return d, err
	}
	d.Terms, err = lmmTerms(nn, lv, kc, cd, zz)
	return d, err
}

// lmmTerms splits the checked codes and z of glmmgo_lmm_new into terms.
func lmmTerms(n int, nlevels, ncols, codes []int64, z []float64) ([]lmm.Term, error) {
	terms := make([]lmm.Term, len(nlevels))
	off := 0
	for t := range terms {
		tm := lmm.Term{NLevels: int(nlevels[t]), K: int(ncols[t]), Codes: make([]int, n)}
		for i, c := range codes[t*n : (t+1)*n] {
			if c < 0 || c >= nlevels[t] {
				return nil, errs.Invalidf("codes", "term %d: observation %d has level %d, outside 0..%d", t, i, c, nlevels[t]-1)
			}
			tm.Codes[i] = int(c)
		}
		tm.Z = z[off : off+n*tm.K]
		off += n * tm.K
		terms[t] = tm
	}
	return terms, nil
}

//export glmmgo_go_lmm_objective
func glmmgo_go_lmm_objective(model C.glmmgo_handle, theta *C.double, ntheta C.int64_t, reml, nworkers C.int32_t, value *C.double,
	err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindLMMModel, err, errlen, func(lm *lmmModel) error {
		if value == nil {
			return errs.Invalidf("value", "is NULL; pass the address of a double")
		}
		th, w, e := lm.point(theta, ntheta, nworkers)
		if e != nil {
			return e
		}
		return lm.shared.with(w, func(m *lmm.Model) error {
			v, e := m.Objective(th, reml != 0)
			*value = C.double(v)
			return e
		})
	})
}

// point checks the theta and workers of a call at a point of the model.
func (lm *lmmModel) point(theta *C.double, ntheta C.int64_t, nworkers C.int32_t) ([]float64, int, error) {
	if int64(ntheta) != int64(lm.d.ntheta) {
		return nil, 0, errs.Invalidf("ntheta", "is %d; this model has %d covariance parameters", int64(ntheta), lm.d.ntheta)
	}
	th, err := floats(unsafe.Pointer(theta), lm.d.ntheta, "theta", false)
	if err != nil {
		return nil, 0, err
	}
	w, err := workers(nworkers)
	return th, w, err
}

// lmmDevianceParts is the length of glmmgo_lmm_deviance_parts's output.
const lmmDevianceParts = 6

//export glmmgo_go_lmm_deviance_parts
func glmmgo_go_lmm_deviance_parts(model C.glmmgo_handle, theta *C.double, ntheta C.int64_t, nworkers C.int32_t,
	parts *C.double, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindLMMModel, err, errlen, func(lm *lmmModel) error {
		if int64(length) != lmmDevianceParts {
			return errs.Invalidf("len", "is %d; there are %d parts (ldL2, ldRX2, wrss, ussq, pwrss, ldW)", int64(length), lmmDevianceParts)
		}
		out, e := floats(unsafe.Pointer(parts), lmmDevianceParts, "parts", false)
		if e != nil {
			return e
		}
		th, w, e := lm.point(theta, ntheta, nworkers)
		if e != nil {
			return e
		}
		return lm.shared.with(w, func(m *lmm.Model) error {
			dp, e := m.DevianceParts(th)
			if e != nil {
				return e
			}
			copy(out, []float64{dp.LogDetL, dp.LogDetRX, dp.WRSS, dp.USSQ, dp.PWRSS, dp.LogDetW})
			return nil
		})
	})
}

// lmmDefaults are the defaults of glmmgo_lmm_options; lmmfit reads the 0
// of rhoend as 5e-5·rhobeg.
func lmmDefaults() C.glmmgo_lmm_options {
	var o C.glmmgo_lmm_options
	o.size = C.size_t(unsafe.Sizeof(o))
	o.rhobeg, o.maxeval = 0.2, 10000
	return o
}

//export glmmgo_go_lmm_options_default
func glmmgo_go_lmm_options_default(opt *C.glmmgo_lmm_options, size C.size_t, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error { return writeDefaults(opt, size, lmmDefaults(), "glmmgo_lmm_options") })
}

//export glmmgo_go_lmm_fit
func glmmgo_go_lmm_fit(model C.glmmgo_handle, opt *C.glmmgo_lmm_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer,
	fit *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	if fit != nil {
		*fit = 0
	}
	return withHandle(model, "model", kindLMMModel, err, errlen, func(lm *lmmModel) error {
		if e := handleOut(fit, "fit"); e != nil {
			return e
		}
		f, e := lm.fit(opt, progress, userdata)
		if e != nil {
			return renameArgs(e, lmmNames)
		}
		*fit = register(f)
		return nil
	})
}

func (lm *lmmModel) fit(opt *C.glmmgo_lmm_options, progress C.glmmgo_progress_fn, userdata unsafe.Pointer) (*lmmFit, error) {
	o, err := readOptions(opt, lmmDefaults(), "glmmgo_lmm_options", "glmmgo_lmm_options_default")
	if err != nil {
		return nil, err
	}
	fo, w, err := lmmOptions(&o, lm.d.ntheta)
	if err != nil {
		return nil, err
	}
	fo.Progress = progressFunc(progress, userdata)
	f := &lmmFit{lmmStructure: lm.lmmStructure, shared: lm.shared, workers: w}
	err = lm.shared.with(w, func(m *lmm.Model) error {
		if f.res, err = lmmfit.Fit(m, fo); err != nil {
			return err
		}
		vc, err := m.VarCorr(f.res.Theta, f.res.Sigma)
		if err != nil {
			return err
		}
		for _, t := range vc {
			f.varCorr = append(f.varCorr, t.SD...)
			k := len(t.SD)
			for j := 0; j < k; j++ {
				f.varCorr = append(f.varCorr, t.Corr[j*k+j+1:(j+1)*k]...)
			}
		}
		f.varCorr = append(f.varCorr, f.res.Sigma)
		return nil
	})
	if err != nil {
		return nil, err
	}
	lm.shared.refs.Add(1)
	return f, nil
}

// lmmOptions converts and checks the C options.
func lmmOptions(o *C.glmmgo_lmm_options, ntheta int) (lmmfit.Options, int, error) {
	var none lmmfit.Options
	fo := lmmfit.Options{REML: o.reml != 0, Rhobeg: float64(o.rhobeg), Rhoend: float64(o.rhoend)}
	if math.IsNaN(fo.Rhobeg) || math.IsNaN(fo.Rhoend) || fo.Rhobeg < 0 || fo.Rhoend < 0 {
		return none, 0, errs.Invalidf("rhobeg", "rhobeg %g and rhoend %g must be 0 (default) or positive", fo.Rhobeg, fo.Rhoend)
	}
	if o.maxeval < 0 || int64(o.maxeval) > maxElems {
		return none, 0, errs.Invalidf("maxeval", "is %d; must be 0 (default) or positive", int64(o.maxeval))
	}
	fo.MaxEval = int(o.maxeval)
	w, err := workers(o.workers)
	if err != nil {
		return none, 0, err
	}
	switch o.optimizer {
	case C.GLMMGO_LMM_OPTIMIZER_AUTO:
		fo.Optimizer = lmmfit.OptimizerAuto
	case C.GLMMGO_LMM_OPTIMIZER_BOBYQA:
		fo.Optimizer = lmmfit.OptimizerBOBYQA
	case C.GLMMGO_LMM_OPTIMIZER_BFGS:
		fo.Optimizer = lmmfit.OptimizerBFGS
	default:
		return none, 0, errs.Invalidf("optimizer", "is %d; must be GLMMGO_LMM_OPTIMIZER_AUTO (0), _BOBYQA (1) or _BFGS (2)", int32(o.optimizer))
	}
	fo.Start, err = startValues(o.start, o.start_len, ntheta, "ntheta")
	return fo, w, err
}

// lmmFit is the object behind an LMM fit handle: the fit's results, and the
// model's data shared for the conditional variances.
type lmmFit struct {
	lmmStructure
	shared  *lmmShared
	workers int
	res     *lmmfit.Result
	varCorr []float64
	condVar []float64 // computed on first request
	wald    *lmm.Wald // computed on first request
}

// waldResults computes the derivatives and Wald standard errors once.
func (f *lmmFit) waldResults() (*lmm.Wald, error) {
	if f.wald != nil {
		return f.wald, nil
	}
	err := f.shared.with(f.workers, func(m *lmm.Model) error {
		w, err := m.WaldAt(f.res.Theta, f.res.REML)
		f.wald = w
		return err
	})
	return f.wald, err
}

// waldOf is a result computed with the Wald standard errors.
func waldOf(name string, length func(*lmmFit) int, pick func(*lmm.Wald) []float64) result[*lmmFit] {
	return result[*lmmFit]{name: name, length: length,
		floats: func(f *lmmFit, dst []float64) error {
			w, err := f.waldResults()
			if err == nil {
				copy(dst, pick(w))
			}
			return err
		}}
}

func nthetaOf(f *lmmFit) int   { return f.d.ntheta }
func nthetaSq(f *lmmFit) int   { return f.d.ntheta * f.d.ntheta }
func nvarcorrOf(f *lmmFit) int { return len(f.varCorr) }

func (*lmmFit) kind() kind { return kindLMMFit }

func (f *lmmFit) output(what C.int32_t) (output, bool) {
	if o, ok := lookup(lmmFitResults, f, what); ok {
		return o, true
	}
	return lookup(lmmStructureResults, &f.lmmStructure, what)
}

func (*lmmFit) resultsHelp() string {
	return "its results are " + codeRange(lmmStructureResults) + " and " + codeRange(lmmFitResults)
}

// Close releases the model's data unless the model or another fit still uses it.
func (f *lmmFit) Close() { f.shared.release() }

// conditionalVariances computes GLMMGO_LMM_CONDVAR once.
func (f *lmmFit) conditionalVariances() ([]float64, error) {
	if f.condVar != nil {
		return f.condVar, nil
	}
	err := f.shared.with(f.workers, func(m *lmm.Model) error {
		blocks, err := f.res.CondVar(m)
		if err != nil {
			return err
		}
		var all []float64
		for _, b := range blocks {
			all = append(all, b...)
		}
		f.condVar = all
		return nil
	})
	return f.condVar, err
}

// lmmStructureResults answer for models and fits (GLMMGO_LMM_TERM_ORDER..LOWER
// and the layout of theta, GLMMGO_LMM_THETA_TERM.._COL).
var lmmStructureResults = map[C.int32_t]result[*lmmStructure]{
	C.GLMMGO_LMM_TERM_ORDER:   intsOf("GLMMGO_LMM_TERM_ORDER", func(s *lmmStructure) []int64 { return s.order }),
	C.GLMMGO_LMM_TERM_NLEVELS: intsOf("GLMMGO_LMM_TERM_NLEVELS", func(s *lmmStructure) []int64 { return s.nlevels }),
	C.GLMMGO_LMM_TERM_NCOLS:   intsOf("GLMMGO_LMM_TERM_NCOLS", func(s *lmmStructure) []int64 { return s.ncols }),
	C.GLMMGO_LMM_KEPT_COLUMNS: intsOf("GLMMGO_LMM_KEPT_COLUMNS", func(s *lmmStructure) []int64 { return s.kept }),
	C.GLMMGO_LMM_LOWER:        floatsOf("GLMMGO_LMM_LOWER", func(s *lmmStructure) []float64 { return s.lower }),
	C.GLMMGO_LMM_THETA_TERM:   intsOf("GLMMGO_LMM_THETA_TERM", func(s *lmmStructure) []int64 { return s.thetaTerm }),
	C.GLMMGO_LMM_THETA_ROW:    intsOf("GLMMGO_LMM_THETA_ROW", func(s *lmmStructure) []int64 { return s.thetaRow }),
	C.GLMMGO_LMM_THETA_COL:    intsOf("GLMMGO_LMM_THETA_COL", func(s *lmmStructure) []int64 { return s.thetaCol }),
}

// lmmFitResults answer for fits only.
var lmmFitResults = map[C.int32_t]result[*lmmFit]{
	C.GLMMGO_LMM_THETA:   floatsOf("GLMMGO_LMM_THETA", func(f *lmmFit) []float64 { return f.res.Theta }),
	C.GLMMGO_LMM_BETA:    floatsOf("GLMMGO_LMM_BETA", func(f *lmmFit) []float64 { return f.res.Beta }),
	C.GLMMGO_LMM_SE:      floatsOf("GLMMGO_LMM_SE", func(f *lmmFit) []float64 { return f.res.SE }),
	C.GLMMGO_LMM_VCOV:    floatsOf("GLMMGO_LMM_VCOV", func(f *lmmFit) []float64 { return f.res.Vcov }),
	C.GLMMGO_LMM_SIGMA:   scalarOf("GLMMGO_LMM_SIGMA", func(f *lmmFit) float64 { return f.res.Sigma }),
	C.GLMMGO_LMM_VARCORR: floatsOf("GLMMGO_LMM_VARCORR", func(f *lmmFit) []float64 { return f.varCorr }),
	C.GLMMGO_LMM_B:       floatsOf("GLMMGO_LMM_B", func(f *lmmFit) []float64 { return f.res.B }),
	C.GLMMGO_LMM_U:       floatsOf("GLMMGO_LMM_U", func(f *lmmFit) []float64 { return f.res.U }),
	C.GLMMGO_LMM_CONDVAR: {name: "GLMMGO_LMM_CONDVAR",
		length: func(f *lmmFit) int {
			n := 0
			for t, l := range f.nlevels {
				n += int(l * f.ncols[t] * f.ncols[t])
			}
			return n
		},
		floats: func(f *lmmFit, dst []float64) error {
			cv, err := f.conditionalVariances()
			copy(dst, cv)
			return err
		}},
	C.GLMMGO_LMM_OBJECTIVE:  scalarOf("GLMMGO_LMM_OBJECTIVE", func(f *lmmFit) float64 { return f.res.Objective }),
	C.GLMMGO_LMM_LOGLIK:     scalarOf("GLMMGO_LMM_LOGLIK", func(f *lmmFit) float64 { return f.res.LogLik }),
	C.GLMMGO_LMM_DEVIANCE:   scalarOf("GLMMGO_LMM_DEVIANCE", func(f *lmmFit) float64 { return f.res.Deviance }),
	C.GLMMGO_LMM_REMLCRIT:   scalarOf("GLMMGO_LMM_REMLCRIT", func(f *lmmFit) float64 { return f.res.REMLCrit }),
	C.GLMMGO_LMM_AIC:        scalarOf("GLMMGO_LMM_AIC", func(f *lmmFit) float64 { return f.res.AIC }),
	C.GLMMGO_LMM_BIC:        scalarOf("GLMMGO_LMM_BIC", func(f *lmmFit) float64 { return f.res.BIC }),
	C.GLMMGO_LMM_EVALS:      intOf("GLMMGO_LMM_EVALS", func(f *lmmFit) int { return f.res.Evals }),
	C.GLMMGO_LMM_CONVERGED:  flagOf("GLMMGO_LMM_CONVERGED", func(f *lmmFit) bool { return f.res.Converged }),
	C.GLMMGO_LMM_SINGULAR:   flagOf("GLMMGO_LMM_SINGULAR", func(f *lmmFit) bool { return f.res.Singular }),
	C.GLMMGO_LMM_REML:       flagOf("GLMMGO_LMM_REML", func(f *lmmFit) bool { return f.res.REML }),
	C.GLMMGO_LMM_OPTIMIZER:  intOf("GLMMGO_LMM_OPTIMIZER", func(f *lmmFit) int { return int(f.res.Optimizer) }),
	C.GLMMGO_LMM_GRADIENT:   waldOf("GLMMGO_LMM_GRADIENT", nthetaOf, func(w *lmm.Wald) []float64 { return w.Gradient }),
	C.GLMMGO_LMM_HESSIAN:    waldOf("GLMMGO_LMM_HESSIAN", nthetaSq, func(w *lmm.Wald) []float64 { return w.Hessian }),
	C.GLMMGO_LMM_THETA_VCOV: waldOf("GLMMGO_LMM_THETA_VCOV", nthetaSq, func(w *lmm.Wald) []float64 { return w.ThetaVcov }),
	C.GLMMGO_LMM_THETA_SE:   waldOf("GLMMGO_LMM_THETA_SE", nthetaOf, func(w *lmm.Wald) []float64 { return w.ThetaSE }),
	C.GLMMGO_LMM_VARCORR_SE: waldOf("GLMMGO_LMM_VARCORR_SE", nvarcorrOf, func(w *lmm.Wald) []float64 { return w.VarCorrSE }),
}

//export glmmgo_go_lmm_derivatives
func glmmgo_go_lmm_derivatives(model C.glmmgo_handle, theta *C.double, ntheta C.int64_t, reml, sigmaMode, nworkers C.int32_t,
	value, gradient *C.double, gradientLen C.int64_t, hessian *C.double, hessianLen C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindLMMModel, err, errlen, func(lm *lmmModel) error {
		if value == nil {
			return errs.Invalidf("value", "is NULL; pass the address of a double")
		}
		mode, e := sigmaModeOf(sigmaMode)
		if e != nil {
			return e
		}
		nt := int64(lm.d.ntheta)
		grad, e := derivativeBuffer(gradient, gradientLen, nt, "gradient")
		if e != nil {
			return e
		}
		hess, e := derivativeBuffer(hessian, hessianLen, nt*nt, "hessian")
		if e != nil {
			return e
		}
		th, w, e := lm.point(theta, ntheta, nworkers)
		if e != nil {
			return e
		}
		return lm.shared.with(w, func(m *lmm.Model) error {
			g := make([]float64, nt)
			v, e := m.Gradient(th, reml != 0, g)
			if e != nil {
				return e
			}
			*value = C.double(v)
			copy(grad, g)
			if hess != nil {
				return m.Hessian(th, reml != 0, mode, hess)
			}
			return nil
		})
	})
}

// sigmaModeOf maps GLMMGO_LMM_SIGMA_PROFILED/_FIXED to lmm's SigmaMode.
func sigmaModeOf(s C.int32_t) (lmm.SigmaMode, error) {
	switch s {
	case C.GLMMGO_LMM_SIGMA_PROFILED:
		return lmm.SigmaProfiled, nil
	case C.GLMMGO_LMM_SIGMA_FIXED:
		return lmm.SigmaFixed, nil
	}
	return 0, errs.Invalidf("sigma_mode", "is %d; must be GLMMGO_LMM_SIGMA_PROFILED (0) or GLMMGO_LMM_SIGMA_FIXED (1)", int32(s))
}

// derivativeBuffer checks an optional output array: NULL with length 0
// skips it, else its length must be want.
func derivativeBuffer(p *C.double, n C.int64_t, want int64, arg string) ([]float64, error) {
	if p == nil {
		if n != 0 {
			return nil, errs.Invalidf(arg, "is NULL with length %d; pass length 0 to skip it", int64(n))
		}
		return nil, nil
	}
	if int64(n) != want {
		return nil, errs.Invalidf(arg+"_len", "is %d, want %d", int64(n), want)
	}
	return floats(unsafe.Pointer(p), int(want), arg, false)
}
