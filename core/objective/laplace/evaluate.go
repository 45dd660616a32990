package laplace

import (
	"math"
	"slices"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Laplace returns −2 log L(θ, β) by the Laplace approximation, β given:
// the slow fit's objective (lme4's nAGQ = 1, MixedModels.jl's fast =
// false). The mode is found by PIRLS over u, started from the last mode
// of a Laplace or AGQ call.
func (m *Model) Laplace(theta, beta []float64) (float64, error) {
	if err := m.modeAt(theta, beta); err != nil {
		return math.NaN(), err
	}
	s := &m.slow
	return s.pdev - 2*m.logConst + s.logDet, nil
}

// LaplaceFast returns −2 log L(θ, β̃) by the Laplace approximation with
// β̃ = β̃(θ) found by PIRLS jointly with ũ: the fast fit's objective
// (lme4's nAGQ = 0, MixedModels.jl's fast = true). BetaFast returns β̃.
func (m *Model) LaplaceFast(theta []float64) (float64, error) {
	if err := m.checkTheta(theta); err != nil {
		return math.NaN(), err
	}
	s := &m.fast
	if err := m.search(s, m.withX, theta); err != nil {
		return math.NaN(), err
	}
	return s.pdev - 2*m.logConst + s.logDet, nil
}

// modeAt finds the slow fit's mode at (θ, β).
func (m *Model) modeAt(theta, beta []float64) error {
	if err := m.checkTheta(theta); err != nil {
		return err
	}
	if err := m.checkBeta(beta); err != nil {
		return err
	}
	lm, err := m.noXModel()
	if err != nil {
		return err
	}
	s := &m.slow
	copy(s.beta, beta)
	return m.search(s, lm, theta)
}

// checkTheta: θ has NTheta finite elements within their bounds.
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

// checkBeta: β has P finite elements.
func (m *Model) checkBeta(beta []float64) error {
	if len(beta) != m.p {
		return errs.Invalidf("beta", "length %d, want %d (the kept columns of X)", len(beta), m.p)
	}
	for i, v := range beta {
		if !finite(v) {
			return errs.Invalidf("beta", "element %d is %g", i, v)
		}
	}
	return nil
}

// Mode is a fit's conditional mode and the pieces of the Laplace
// approximation there.
type Mode struct {
	Fast     bool      // the fast fit's mode (β in PIRLS)
	Theta    []float64 // θ
	Beta     []float64 // β: given (slow) or β̃(θ) (fast)
	U        []float64 // ũ, model order, level by level
	B        []float64 // b̃ = Λ_θ ũ, the same layout
	Eta      []float64 // η at the mode (offset included)
	LogLik   float64   // Σ wᵢ log f(yᵢ | ũ), every constant included
	USSQ     float64   // ‖ũ‖²
	LogDetL  float64   // log|L|², L L′ = Λ′Z′WZΛ + I with the weights at the mode
	Weights  []float64 // PIRLS working weights at the mode
	Iter     int       // PIRLS steps of the search that found it
	Halvings int       // step halvings of that search
	Total    int       // PIRLS steps of every search of this fit
}

// MinusTwoLogLik is −2 log L by the Laplace approximation at the mode.
func (md *Mode) MinusTwoLogLik() float64 { return -2*md.LogLik + md.USSQ + md.LogDetL }

// PenalisedDeviance returns, at the last mode of the fast or slow fit,
// the penalised deviance −2 Σ wᵢℓᵢ + ‖ũ‖² without the log-likelihood's
// constants, and log|L|²: half their sum is PQL's criterion (glmm's), and
// their sum minus 2·LogConst the Laplace approximation to −2 log L.
func (m *Model) PenalisedDeviance(fast bool) (pdev, logDet float64) {
	s := &m.slow
	if fast {
		s = &m.fast
	}
	return s.pdev, s.logDet
}

// Iterations returns the PIRLS steps of the last search of the fast or
// slow fit and of all its searches so far.
func (m *Model) Iterations(fast bool) (last, total int) {
	s := &m.slow
	if fast {
		s = &m.fast
	}
	return s.iter, s.total
}

// StartFrom makes md (a mode of this model, from LastMode) the start of
// the next search of its fit: finite differences around an optimum start
// each evaluation from the optimum's mode rather than the last one.
func (m *Model) StartFrom(md *Mode) error {
	s := &m.slow
	if md.Fast {
		s = &m.fast
	}
	if len(md.U) != m.q || len(md.Beta) != m.p {
		return errs.Invalidf("mode", "has %d random and %d fixed effects, want %d and %d", len(md.U), len(md.Beta), m.q, m.p)
	}
	copy(s.u, md.U)
	if md.Fast {
		copy(s.beta, md.Beta)
	}
	s.started = true
	return nil
}

// Reset forgets the last modes, so that the next search of each fit
// starts from u = 0 (and, for the fast fit, β = 0): after it, values and
// fits are functions of their arguments alone, whatever was evaluated on
// the model before (a caller evaluating the objective at points of its
// own, then fitting, gets the fit a fresh model gives).
func (m *Model) Reset() {
	for _, s := range []*modeState{&m.fast, &m.slow} {
		s.valid, s.started = false, false
		clear(s.u)
		clear(s.beta)
	}
}

// LastMode returns a copy of the last mode found by LaplaceFast (fast) or
// by Laplace and AGQ, or nil if there is none.
func (m *Model) LastMode(fast bool) *Mode {
	s := &m.slow
	if fast {
		s = &m.fast
	}
	if !s.valid {
		return nil
	}
	md := &Mode{Fast: fast, Theta: slices.Clone(s.theta), Beta: slices.Clone(s.beta), U: slices.Clone(s.u),
		USSQ: s.ussq, LogDetL: s.logDet, Iter: s.iter, Halvings: s.halvings, Total: s.total}
	md.Eta = make([]float64, m.n)
	md.Weights = make([]float64, m.n)
	md.B = make([]float64, m.q)
	m.setFixed(s, s.beta)
	m.linpred(md.Eta, s, s.theta, s.beta, s.u, md.B)
	for i, e := range md.Eta {
		_, _, w := m.point(i, e)
		md.Weights[i] = math.Max(w, minWeight)
	}
	md.LogLik = m.logLik(md.Eta) + m.logConst
	return md
}
