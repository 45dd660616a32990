package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// TermVarCorr is the covariance of one term's random effects: with the
// term's k×k lower-triangular template Λₜ and the residual standard
// deviation σ, Var(bₜ) = σ² ΛₜΛₜᵀ for every level (Bates et al. 2015,
// J. Stat. Softw. 67(1), section 2.2), reported as lme4's VarCorr and
// MixedModels.jl's VarCorr report it: standard deviations and correlations.
type TermVarCorr struct {
	SD   []float64 // k standard deviations, σ·‖row i of Λₜ‖
	Corr []float64 // k×k correlations, column-major; 1 on the diagonal, NaN beside a zero standard deviation
}

// VarCorr returns, for every term in model order, the standard deviations
// and correlations of its random effects at θ (model order, as Lower) and
// σ. It places θ's elements in the templates by ThetaLayout.
func (m *Model) VarCorr(theta []float64, sigma float64) ([]TermVarCorr, error) {
	if len(theta) != m.NTheta() {
		return nil, errs.Invalidf("theta", "length %d, want %d", len(theta), m.NTheta())
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errs.Invalidf("theta", "element %d is %g", i, v)
		}
	}
	if math.IsNaN(sigma) || math.IsInf(sigma, 0) || sigma < 0 {
		return nil, errs.Invalidf("sigma", "%g is not a standard deviation", sigma)
	}
	lams := make([][]float64, m.NTerms())
	for t := range lams {
		_, _, k := m.TermInfo(t)
		lams[t] = make([]float64, k*k)
	}
	for i, e := range m.ThetaLayout() {
		_, _, k := m.TermInfo(e.Term)
		lams[e.Term][e.Col*k+e.Row] = theta[i]
	}
	out := make([]TermVarCorr, m.NTerms())
	for t := range out {
		_, _, k := m.TermInfo(t)
		out[t] = termVarCorr(lams[t], k, sigma)
	}
	return out, nil
}

// termVarCorr forms σ²ΛΛᵀ's standard deviations and correlations. Row i of
// Λ has nonzeros in columns 0..i only, so (ΛΛᵀ)ᵢⱼ sums over c ≤ min(i, j).
func termVarCorr(lam []float64, k int, sigma float64) TermVarCorr {
	dot := func(i, j int) float64 {
		s := 0.0
		for c := 0; c <= min(i, j); c++ {
			s += lam[c*k+i] * lam[c*k+j]
		}
		return s
	}
	norm := make([]float64, k)
	v := TermVarCorr{SD: make([]float64, k), Corr: make([]float64, k*k)}
	for i := range norm {
		norm[i] = math.Sqrt(dot(i, i))
		v.SD[i] = sigma * norm[i]
	}
	for j := 0; j < k; j++ {
		for i := 0; i < k; i++ {
			switch {
			case i == j:
				v.Corr[j*k+i] = 1
			case norm[i] == 0 || norm[j] == 0:
				v.Corr[j*k+i] = math.NaN() // a degenerate effect has no correlation
			default:
				v.Corr[j*k+i] = dot(i, j) / (norm[i] * norm[j])
			}
		}
	}
	return v
}
