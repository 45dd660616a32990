package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
)

// MomentTheta returns a starting θ from moment estimates: for each scalar
// term, the one-way analysis-of-variance estimate of its variance from the
// residuals of the fixed effects alone (Henderson's method I; S. R. Searle,
// G. Casella and C. E. McCulloch, Variance Components, Wiley, 1992, sec.
// 3.5 and 5.2),
//
//	σ̂²_t = (B_t − (L_t − 1)·σ̂²_w) / (n − Σ_l n_l²/n),   σ̂²_w = (T − B_t)/(n − L_t),
//
// with T the residual sum of squares, B_t = Σ_l S_l²/n_l the sum over the
// term's L_t levels of their squared residual sums S_l over their sizes n_l,
// then θ_t = σ̂_t/σ̂ with σ̂² = T/n − Σ_t σ̂²_t (at least a tenth of T/n).
// Vector-valued terms keep lme4's start (1 on the diagonal of Λ, 0 off
// it). Each term is estimated as if alone, which is close for crossed
// factors with many levels and can be far for nested ones: a fit should
// start from it only if the criterion there is lower than at lme4's start.
func (m *Model) MomentTheta() []float64 {
	n := float64(m.n)
	e := m.fixedResiduals()
	T := 0.0
	for _, v := range e {
		T += v * v
	}
	vr := make([]float64, len(m.terms))
	sum := 0.0
	for r, t := range m.terms {
		if t.k == 1 {
			vr[r] = oneWayVariance(e, t.codes, m.obs.zw[r], t.nlevels, n, T)
			sum += vr[r]
		}
	}
	s2 := math.Max(T/n-sum, 0.1*T/n)
	th := make([]float64, len(m.lower))
	for r, t := range m.terms {
		if t.k == 1 {
			th[t.theta] = math.Sqrt(vr[r] / s2)
			continue
		}
		for c, off := 0, t.theta; c < t.k; c++ {
			th[off] = 1
			off += t.k - c
		}
	}
	return th
}

// fixedResiduals returns √w·(y − Xβ̂) for the weighted least squares β̂ of
// the fixed effects alone.
func (m *Model) fixedResiduals() []float64 {
	o := &m.obs
	p, nxy := m.p, m.p+1
	g := o.xyGram()
	a := make([]float64, p*p)
	beta := make([]float64, p)
	for j := 0; j < p; j++ {
		for i := j; i < p; i++ {
			a[j*p+i] = g[j*nxy+i]
		}
		beta[j] = g[j*nxy+p]
	}
	if p > 0 {
		dense.SmallCholesky(a, p)
		dense.LowerSolve(a, p, beta)
		dense.LowerTSolve(a, p, beta)
	}
	e := make([]float64, m.n)
	for i := range e {
		v := o.y[i]
		for j := 0; j < p; j++ {
			v -= o.x[j*m.n+i] * beta[j]
		}
		e[i] = o.sw[i] * v
	}
	return e
}

// oneWayVariance is the one-way moment estimate of a scalar term's
// variance from the weighted residuals e (T = Σ e²), the term's level
// codes and its weighted column zw.
func oneWayVariance(e []float64, codes []int32, zw []float64, nlevels int, n, T float64) float64 {
	S := make([]float64, nlevels)
	N := make([]float64, nlevels)
	for i, c := range codes {
		S[c] += e[i] * zw[i]
		N[c] += zw[i] * zw[i]
	}
	B, sn2 := 0.0, 0.0
	for l := range S {
		if N[l] > 0 {
			B += S[l] * S[l] / N[l]
		}
		sn2 += N[l] * N[l]
	}
	L := float64(nlevels)
	within := (T - B) / (n - L)
	if !(n-sn2/n > 0) {
		return 0
	}
	return math.Max(0, (B-(L-1)*within)/(n-sn2/n))
}
