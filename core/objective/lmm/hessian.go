package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// SigmaMode says which function of θ a Hessian is of.
type SigmaMode int

const (
	// SigmaProfiled is the profiled criterion, β and σ profiled out: lme4's
	// devfun, the function the optimiser minimises.
	SigmaProfiled SigmaMode = iota
	// SigmaFixed is the deviance with β profiled and σ held at σ̂(θ)
	// (√(r²/n) for ML, √(r²/(n−p)) for REML): the Hessian MixedModels.jl's
	// ForwardDiff.hessian(model) reports.
	SigmaFixed
)

// String names the mode as the C API and the bindings do.
func (s SigmaMode) String() string {
	switch s {
	case SigmaProfiled:
		return "profiled"
	case SigmaFixed:
		return "fixed"
	}
	return "unknown"
}

// Hessian sets hess (NTheta×NTheta, column-major, symmetric) to the
// Hessian with respect to θ of the criterion of mode at θ.
//
// It is computed by differences of the analytic gradient (Gradient's
// formulas), not analytically: for each θⱼ, central differences of the
// gradient pieces with the step h = 10⁻⁴·max(1, |θⱼ|) (error O(h²), about
// 10⁻⁸ relative), or one-sided differences of second order (steps h and
// 2h) where θⱼ − h would cross its lower bound; then symmetrised. With g_LD the derivative of the log-determinant part,
// g_r the derivative of r² and d = n (ML) or n − p (REML) (Bates et al.
// 2015, eqs. 34 and 41):
//
//	σ-fixed:   H_F = ∂g_LD + (d/r²)·∂g_r           (σ² = r²/d held)
//	profiled:  H_P = H_F − (d/r⁴)·g_r·g_rᵀ
//
// which is why the two differ by a positive semi-definite matrix of rank
// one. Its cost is 2·NTheta gradients.
func (m *Model) Hessian(theta []float64, reml bool, mode SigmaMode, hess []float64) error {
	nt := m.NTheta()
	if mode != SigmaProfiled && mode != SigmaFixed {
		return errs.Invalidf("sigma", "mode %d is neither profiled nor fixed", int(mode))
	}
	if len(hess) != nt*nt {
		return errs.Invalidf("hess", "length %d, want %d", len(hess), nt*nt)
	}
	if _, err := m.Objective(theta, reml); err != nil {
		return err
	}
	w := m.gradientParts(reml)
	df, r2 := m.df(reml), m.r2
	gr0 := append([]float64(nil), w.gR2...)
	g0 := m.fixedSigmaGradient(w, df/r2)
	th := append([]float64(nil), theta...)
	lower := m.Lower()
	at := func(j int, d float64) ([]float64, error) {
		th[j] = theta[j] + d
		defer func() { th[j] = theta[j] }()
		if _, err := m.Objective(th, reml); err != nil {
			return nil, err
		}
		return m.fixedSigmaGradient(m.gradientParts(reml), df/r2), nil
	}
	for j := 0; j < nt; j++ {
		col, err := m.hessianColumn(at, j, theta[j], theta[j]-lower[j], g0)
		if err != nil {
			return err
		}
		copy(hess[j*nt:(j+1)*nt], col)
	}
	for j := 0; j < nt; j++ {
		for i := 0; i < j; i++ {
			v := (hess[j*nt+i] + hess[i*nt+j]) / 2
			hess[j*nt+i], hess[i*nt+j] = v, v
		}
	}
	if mode == SigmaProfiled {
		c := df / (r2 * r2)
		for j := 0; j < nt; j++ {
			for i := 0; i < nt; i++ {
				hess[j*nt+i] -= c * gr0[i] * gr0[j]
			}
		}
	}
	// leave the model evaluated at θ
	_, err := m.Objective(theta, reml)
	return err
}

// fixedSigmaGradient returns g_LD + s·g_r (s = 1/σ² held).
func (m *Model) fixedSigmaGradient(w *gradientWork, s float64) []float64 {
	out := make([]float64, len(w.gLD))
	for i := range out {
		out[i] = w.gLD[i] + s*w.gR2[i]
	}
	return out
}

// hessianColumn returns column j of the Hessian by differences of at(j, d),
// the gradient at θ + d·eⱼ; room is θⱼ's distance to its bound, g0 the
// gradient at θ.
func (m *Model) hessianColumn(at func(int, float64) ([]float64, error), j int, thetaJ, room float64, g0 []float64) ([]float64, error) {
	h := 1e-4 * math.Max(1, math.Abs(thetaJ))
	if room < h {
		g1, err := at(j, h)
		if err != nil {
			return nil, err
		}
		g2, err := at(j, 2*h)
		if err != nil {
			return nil, err
		}
		out := make([]float64, len(g0))
		for i := range out {
			out[i] = (-3*g0[i] + 4*g1[i] - g2[i]) / (2 * h)
		}
		return out, nil
	}
	gp, err := at(j, h)
	if err != nil {
		return nil, err
	}
	gm, err := at(j, -h)
	if err != nil {
		return nil, err
	}
	for i := range gp {
		gp[i] = (gp[i] - gm[i]) / (2 * h)
	}
	return gp, nil
}
