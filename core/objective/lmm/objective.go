package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Objective returns the profiled ML deviance (reml false) or the REML
// criterion at θ (model order, see Lower). After the first call it
// allocates nothing. θ below a diagonal bound is a Domain error; a factor
// that is not positive definite (r² = 0, a perfect fit) a Numeric one.
func (m *Model) Objective(theta []float64, reml bool) (float64, error) {
	if err := m.Evaluate(theta); err != nil {
		return math.NaN(), err
	}
	v := m.criterion(reml)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		// θ so large that Λ′Z′ZΛ overflows: say so rather than return a
		// NaN or ∞ as if it were a value.
		return v, errs.Numericf("theta", "the criterion is %g at this θ: the factor overflows", v)
	}
	return v, nil
}

// criterion combines the pieces of the current factor (Bates et al. 2015,
// eqs. 34 and 41, with lme4's weights term).
func (m *Model) criterion(reml bool) float64 {
	n := float64(m.n)
	if !reml {
		return m.ldL2 + n*(1+math.Log(2*math.Pi*m.r2/n)) - m.obs.ldW
	}
	nmp := n - float64(m.p)
	return m.ldL2 + m.ldRX2 + nmp*(1+math.Log(2*math.Pi*m.r2/nmp)) - m.obs.ldW
}

// checkTheta validates θ against the model.
func (m *Model) checkTheta(theta []float64) error {
	if len(theta) != len(m.lower) {
		return errs.Invalidf("theta", "length %d, want %d", len(theta), len(m.lower))
	}
	for i, v := range theta {
		if !finite(v) {
			return errs.Invalidf("theta", "element %d is %g", i, v)
		}
		if v < m.lower[i] {
			return errs.Domainf("theta", "element %d is %g, below its lower bound %g", i, v, m.lower[i])
		}
	}
	return nil
}

// Evaluate factors the blocked system at θ and keeps the factor for the
// criteria and the solution. It allocates nothing after the first call.
// The steps are MixedModels.jl's updateL!: scale each block by Λ and
// inflate the diagonal ones, factor the first term's block, divide the
// block below it, downdate the trailing block, factor it.
func (m *Model) Evaluate(theta []float64) error {
	if m.closed {
		return errs.Statef("the model is closed")
	}
	if err := m.checkTheta(theta); err != nil {
		return err
	}
	m.lam.set(theta)
	m.rows.setScale(&m.lam)
	m.first.scaleInflate(m.lam.template(0))
	m.first.cholUnblocked()
	m.l21 = false
	if !m.grp.on { // the grouped downdate does without L₂₁
		m.updateL21()
	}
	m.tail.scaleInflate(&m.prod, &m.lam, &m.rows)
	m.rankUpdate()
	if err := m.tail.cholUnblocked(); err != nil {
		return err
	}
	qT, p := m.rows.qT, m.p
	m.ldL2 = 2 * m.tail.addLogDiag(m.first.addLogDiag(0), 0, qT)
	m.ldRX2 = 2 * m.tail.addLogDiag(0, qT, qT+p)
	r := m.tail.residual()
	m.r2 = r * r
	return nil
}

// updateL21 sets L₂₁ = Λ_t′·A₂₁·Λ₁·L₁₁⁻ᵀ from the current Λ and L₁₁.
func (m *Model) updateL21() {
	m.off.rdivFirst(m.lam.template(0), &m.first)
	m.off.lmulLambdaT(&m.lam, &m.rows)
	m.l21 = true
}

// rankUpdate downdates the trailing block by L₂₁·L₂₁′ (MixedModels.jl's
// rankUpdate!), by the grouped products where they apply, else column by
// column, ranges of columns shared among the workers.
func (m *Model) rankUpdate() {
	split := m.index.split
	if m.grp.on {
		m.grp.setFactors(m.lam.template(0)[0])
		split = m.grp.split
	}
	m.down.run(m.workers, len(split)-1)
}

// rankUpdateShare does the downdate of column range task on goroutine g.
func (m *Model) rankUpdateShare(g, task int) {
	if m.grp.on {
		m.grp.rankUpdate(m.tail, g, m.rows.scale, m.grp.split[task], m.grp.split[task+1])
		return
	}
	m.index.rankUpdate(m.tail, g, &m.off, m.index.split[task], m.index.split[task+1])
}
