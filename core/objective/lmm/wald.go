package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
)

// Wald holds Wald standard errors of the covariance parameters at θ (the
// optimum), from the curvature of the criterion.
type Wald struct {
	Gradient []float64 // the profiled criterion's gradient at θ
	Hessian  []float64 // its Hessian (SigmaProfiled), NTheta×NTheta column-major
	// ThetaVcov is the covariance of θ̂, 2·H⁻¹ with H the profiled Hessian
	// (the criterion is −2 log-likelihood), over the elements of θ off
	// their bound; rows and columns of elements on their bound (a singular
	// fit) are NaN: the Wald approximation does not hold there.
	ThetaVcov []float64
	ThetaSE   []float64 // √diag(ThetaVcov)
	// VarCorrSE are the standard errors of the standard deviations and
	// correlations of VarCorrFlat (then σ), by the delta method from the
	// covariance of (θ, σ) (see WaldAt).
	VarCorrSE []float64
}

// WaldAt returns the Wald standard errors at θ for the ML (reml false) or
// REML criterion. The covariance of (θ, σ) is 2·J⁻¹, J the Hessian of the
// deviance in (θ, σ) with β profiled:
//
//	J = [H_F           −2g_r/σ³]     H_F the σ-fixed Hessian (Hessian, SigmaFixed),
//	    [−2g_rᵀ/σ³     4d/σ²   ]     g_r = ∂r²/∂θ, d = n (ML) or n − p (REML),
//
// at σ² = r²/d; its θ block's inverse is the profiled Hessian's (the Schur
// complement H_F − (d/r⁴)g_r g_rᵀ). The standard deviations σ·‖row of
// Λₜ‖ and the correlations are smooth functions of (θ, σ): their
// gradients are taken by central differences of that closed form (steps
// 10⁻⁶·max(1, |x|)) and combined with the covariance (delta method).
// Elements of θ within 10⁻⁶ of their bound are held fixed. It costs a
// Hessian: 2·NTheta gradients.
func (m *Model) WaldAt(theta []float64, reml bool) (*Wald, error) {
	nt := m.NTheta()
	w := &Wald{Gradient: make([]float64, nt), Hessian: make([]float64, nt*nt)}
	if _, err := m.Gradient(theta, reml, w.Gradient); err != nil {
		return nil, err
	}
	gr := append([]float64(nil), m.gradientParts(reml).gR2...)
	df, r2 := m.df(reml), m.r2
	sigma := math.Sqrt(r2 / df)
	hf := make([]float64, nt*nt)
	if err := m.Hessian(theta, reml, SigmaFixed, hf); err != nil {
		return nil, err
	}
	for j := 0; j < nt; j++ { // the profiled Hessian: H_F − (d/r⁴)·g_r·g_rᵀ
		for i := 0; i < nt; i++ {
			w.Hessian[j*nt+i] = hf[j*nt+i] - df/(r2*r2)*gr[i]*gr[j]
		}
	}
	free := m.freeTheta(theta)
	// J over the free elements of θ, then σ
	nf := len(free) + 1
	J := make([]float64, nf*nf)
	for b, j := range free {
		for a, i := range free {
			J[b*nf+a] = hf[j*nt+i]
		}
		c := -2 * gr[j] / (sigma * sigma * sigma)
		J[b*nf+nf-1], J[(nf-1)*nf+b] = c, c
	}
	J[nf*nf-1] = 4 * df / (sigma * sigma)
	cov := nanSlice(nf * nf)
	if inv, ok := dense.InverseLU(nf, J); ok {
		for i := range inv {
			cov[i] = 2 * inv[i]
		}
	}
	w.ThetaVcov, w.ThetaSE = nanSlice(nt*nt), nanSlice(nt)
	for b, j := range free {
		for a, i := range free {
			w.ThetaVcov[j*nt+i] = cov[b*nf+a]
		}
		w.ThetaSE[j] = math.Sqrt(cov[b*nf+b])
	}
	w.VarCorrSE = m.varCorrSE(theta, sigma, free, cov)
	return w, nil
}

// freeTheta returns the indices of θ's elements off their bound.
func (m *Model) freeTheta(theta []float64) []int {
	var free []int
	for i, lo := range m.lower {
		if !(theta[i]-lo < 1e-6) {
			free = append(free, i)
		}
	}
	return free
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// VarCorrFlat returns the standard deviations and correlations at θ and σ
// in one vector: per term (model order), its k standard deviations, then
// the correlations below the diagonal column by column; last σ (the layout
// of the C API's GLMMGO_LMM_VARCORR).
func (m *Model) VarCorrFlat(theta []float64, sigma float64) ([]float64, error) {
	vc, err := m.VarCorr(theta, sigma)
	if err != nil {
		return nil, err
	}
	var out []float64
	for _, t := range vc {
		out = append(out, t.SD...)
		k := len(t.SD)
		for j := 0; j < k; j++ {
			out = append(out, t.Corr[j*k+j+1:(j+1)*k]...)
		}
	}
	return append(out, sigma), nil
}

// varCorrSE is the delta method: the gradient of each element of
// VarCorrFlat in (θ_free, σ) by central differences, against cov.
func (m *Model) varCorrSE(theta []float64, sigma float64, free []int, cov []float64) []float64 {
	nf := len(free) + 1
	at := func(th []float64, s float64) []float64 {
		v, err := m.VarCorrFlat(th, s)
		if err != nil {
			return nil
		}
		return v
	}
	v0 := at(theta, sigma)
	nv := len(v0)
	jac := make([]float64, nv*nf) // column c: ∂v/∂x_c
	th := append([]float64(nil), theta...)
	for c := 0; c < nf; c++ {
		var vp, vm []float64
		if c < len(free) {
			i := free[c]
			h := 1e-6 * math.Max(1, math.Abs(theta[i]))
			th[i] = theta[i] + h
			vp = at(th, sigma)
			th[i] = theta[i] - h
			vm = at(th, sigma)
			th[i] = theta[i]
			for r := range v0 {
				jac[c*nv+r] = (vp[r] - vm[r]) / (2 * h)
			}
			continue
		}
		h := 1e-6 * math.Max(1, sigma)
		vp, vm = at(theta, sigma+h), at(theta, sigma-h)
		for r := range v0 {
			jac[c*nv+r] = (vp[r] - vm[r]) / (2 * h)
		}
	}
	se := make([]float64, nv)
	for r := range se {
		s := 0.0
		for a := 0; a < nf; a++ {
			for b := 0; b < nf; b++ {
				s += jac[a*nv+r] * cov[b*nf+a] * jac[b*nv+r]
			}
		}
		se[r] = math.Sqrt(s)
	}
	return se
}
