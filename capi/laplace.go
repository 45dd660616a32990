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
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/response"
)

// The link codes of glmmgo.h are the core's.
var (
	_ = [1]struct{}{}[C.GLMMGO_LINK_DEFAULT-int(family.DefaultLink)]
	_ = [1]struct{}{}[C.GLMMGO_LINK_LOGIT-int(family.Logit)]
	_ = [1]struct{}{}[C.GLMMGO_LINK_PROBIT-int(family.Probit)]
	_ = [1]struct{}{}[C.GLMMGO_LINK_CLOGLOG-int(family.CLogLog)]
	_ = [1]struct{}{}[C.GLMMGO_LINK_LOG-int(family.Log)]
)

var (
	kindLaplaceModel = kind{C.GLMMGO_KIND_LAPLACE_MODEL, "a Laplace/AGQ GLMM"}
	kindLaplaceFit   = kind{C.GLMMGO_KIND_LAPLACE_FIT, "a Laplace/AGQ GLMM fit"}
)

// laplaceModel is the object behind a laplace model handle. The registry's
// busy flag keeps calls on it one at a time (a progress callback calling
// the model from inside its fit gets GLMMGO_ERR_BUSY); its fits copy all
// they report, so freeing it closes the model.
type laplaceModel struct {
	lmmStructure
	m *laplace.Model
}

func (*laplaceModel) kind() kind { return kindLaplaceModel }

func (lm *laplaceModel) output(what C.int32_t) (output, bool) {
	return lookup(laplaceStructureResults, &lm.lmmStructure, what)
}

func (*laplaceModel) resultsHelp() string {
	return "its results are " + codeRange(laplaceStructureResults) + "; fit it with glmmgo_laplace_fit for the others"
}

func (lm *laplaceModel) Close() { lm.m.Close() }

// laplaceNames are the core's argument names that the C functions spell differently.
var laplaceNames = map[string]string{"X": "x", "Z": "z", "nAGQ": "nagq", "ntrials": "trials", "theta": "par", "beta": "par"}

//export glmmgo_go_laplace_new
func glmmgo_go_laplace_new(n, p C.int64_t, fam, link C.int32_t, y, trials, weights, offset *C.double, dispersion C.double,
	x *C.double, nterms C.int64_t, nlevels, ncols, codes *C.int64_t, z *C.double, out *C.glmmgo_handle, err *C.char, errlen C.size_t) C.int {
	return call(err, errlen, func() error {
		if e := handleOut(out, "out"); e != nil {
			return e
		}
		*out = 0
		d, e := lmmData(n, p, y, x, weights, nterms, nlevels, ncols, codes, z, true)
		if e != nil {
			return e
		}
		nn := int(n) // checked by lmmData
		resp := response.Response{Family: family.Code(fam), Link: family.Link(link), Y: d.Y, Weights: d.Weights, Dispersion: float64(dispersion)}
		if resp.Trials, e = floats(unsafe.Pointer(trials), nn, "trials", true); e != nil {
			return e
		}
		if resp.Offset, e = floats(unsafe.Pointer(offset), nn, "offset", true); e != nil {
			return e
		}
		m, e := laplace.New(laplace.Data{Response: resp, X: d.X, P: d.P, Terms: d.Terms}) // copies what it keeps
		if e != nil {
			return renameArgs(e, laplaceNames)
		}
		*out = register(&laplaceModel{lmmStructure: laplaceStructureOf(m), m: m})
		return nil
	})
}

// laplaceStructureOf is what laplace models and fits report of their structure.
func laplaceStructureOf(m *laplace.Model) lmmStructure {
	s := lmmStructure{d: dims{n: m.N(), p: m.P(), pGiven: m.P() + len(m.Dropped()), q: m.Q(),
		ntheta: m.NTheta(), nterms: m.NTerms(), npar: m.NTheta() + m.P()}}
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

//export glmmgo_go_laplace_objective
func glmmgo_go_laplace_objective(model C.glmmgo_handle, par *C.double, npar C.int64_t, nagq, fast, nworkers C.int32_t,
	value *C.double, err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindLaplaceModel, err, errlen, func(lm *laplaceModel) error {
		if value == nil {
			return errs.Invalidf("value", "is NULL; pass the address of a double")
		}
		x, e := lm.point(par, npar, nagq, fast != 0)
		if e != nil {
			return e
		}
		w, e := workers(nworkers)
		if e != nil {
			return e
		}
		lm.m.Reset()
		lm.m.SetTolerance(laplace.Tolerance{})
		lm.m.SetWorkers(w)
		nt := lm.d.ntheta
		var v float64
		switch {
		case fast != 0:
			v, e = lm.m.LaplaceFast(x)
		case nagq == 1:
			v, e = lm.m.Laplace(x[:nt], x[nt:])
		default:
			v, e = lm.m.AGQ(x[:nt], x[nt:], int(nagq))
		}
		*value = C.double(v)
		return renameArgs(e, laplaceNames)
	})
}

// point checks the parameters of glmmgo_laplace_objective.
func (lm *laplaceModel) point(par *C.double, npar C.int64_t, nagq C.int32_t, fast bool) ([]float64, error) {
	want, what := lm.d.ntheta+lm.d.p, "ntheta + p"
	if fast {
		want, what = lm.d.ntheta, "ntheta (the fast objective takes theta alone)"
	}
	if int64(npar) != int64(want) {
		return nil, errs.Invalidf("npar", "is %d; want %s = %d", int64(npar), what, want)
	}
	switch {
	case nagq < 1 || nagq > laplace.MaxAGQ:
		return nil, errs.Invalidf("nagq", "is %d; use 1 (Laplace) to %d", int32(nagq), laplace.MaxAGQ)
	case nagq > 1 && fast:
		return nil, errs.Invalidf("nagq", "is %d with fast != 0; the fast objective is the Laplace approximation (nagq = 1)", int32(nagq))
	case nagq > 1 && !lm.m.CanAGQ():
		return nil, errs.Invalidf("nagq", "is %d; adaptive Gauss-Hermite quadrature needs a single scalar random-effects term", int32(nagq))
	}
	x, err := floats(unsafe.Pointer(par), want, "par", false)
	if err != nil {
		return nil, err
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errs.Invalidf("par", "element %d is %g; must be finite", i, v)
		}
		if i < lm.d.ntheta && v < lm.lower[i] {
			return nil, errs.Domainf("par", "element %d (theta) is %g, below its lower bound %g", i, v, lm.lower[i])
		}
	}
	return append([]float64(nil), x...), nil
}

// laplaceStructureResults answer for models and fits.
var laplaceStructureResults = map[C.int32_t]result[*lmmStructure]{
	C.GLMMGO_LAPLACE_TERM_ORDER:   intsOf("GLMMGO_LAPLACE_TERM_ORDER", func(s *lmmStructure) []int64 { return s.order }),
	C.GLMMGO_LAPLACE_TERM_NLEVELS: intsOf("GLMMGO_LAPLACE_TERM_NLEVELS", func(s *lmmStructure) []int64 { return s.nlevels }),
	C.GLMMGO_LAPLACE_TERM_NCOLS:   intsOf("GLMMGO_LAPLACE_TERM_NCOLS", func(s *lmmStructure) []int64 { return s.ncols }),
	C.GLMMGO_LAPLACE_KEPT_COLUMNS: intsOf("GLMMGO_LAPLACE_KEPT_COLUMNS", func(s *lmmStructure) []int64 { return s.kept }),
	C.GLMMGO_LAPLACE_LOWER:        floatsOf("GLMMGO_LAPLACE_LOWER", func(s *lmmStructure) []float64 { return s.lower }),
	C.GLMMGO_LAPLACE_THETA_TERM:   intsOf("GLMMGO_LAPLACE_THETA_TERM", func(s *lmmStructure) []int64 { return s.thetaTerm }),
	C.GLMMGO_LAPLACE_THETA_ROW:    intsOf("GLMMGO_LAPLACE_THETA_ROW", func(s *lmmStructure) []int64 { return s.thetaRow }),
	C.GLMMGO_LAPLACE_THETA_COL:    intsOf("GLMMGO_LAPLACE_THETA_COL", func(s *lmmStructure) []int64 { return s.thetaCol }),
}

// flattenVarCorr lays out VarCorr as GLMMGO_LMM_VARCORR and
// GLMMGO_LAPLACE_VARCORR do: per term, the standard deviations, then the
// correlations below the diagonal column by column.
func flattenVarCorr(vc []lmm.TermVarCorr) []float64 {
	var out []float64
	for _, t := range vc {
		out = append(out, t.SD...)
		k := len(t.SD)
		for j := 0; j < k; j++ {
			out = append(out, t.Corr[j*k+j+1:(j+1)*k]...)
		}
	}
	return out
}
