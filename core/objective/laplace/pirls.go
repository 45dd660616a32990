package laplace

import (
	"math"

	"github.com/glmmgo/glmmgo/core/objective/lmm"
)

// minWeight is the smallest working weight PIRLS gives an observation. A
// Fisher weight that underflows (a mean of e^−40 and below) would leave
// the factor's cross-products singular and the working response infinite;
// R's families bound the weight similarly (through mu.eta ≥ ε). The mode
// does not depend on the weights, only the path to it, and log|L|² moves
// by at most λ²·Σ 1e−16·zᵢ².
const minWeight = 1e-16

// point returns observation i's weighted log-likelihood (without its
// constant), score and working weight at η. Where the observed and the
// expected information agree (canonical links) or the observed one is
// asked for, LogLik serves, which skips the mean.
func (m *Model) point(i int, eta float64) (l, d1, w float64) {
	if m.canonical {
		return m.resp.LogLik(i, eta)
	}
	pt := m.resp.At(i, eta)
	return pt.LogLik, pt.Score, pt.Fisher
}

// logLik returns Σ wᵢℓᵢ(ηᵢ) without constants.
func (m *Model) logLik(eta []float64) float64 {
	var l float64
	for i, e := range eta {
		li, _, _ := m.point(i, e)
		l += li
	}
	return l
}

func sumSquares(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return s
}

// search finds the mode of s at θ (s.beta holds β: the start for the fast
// fit, the given value for the slow one) with the factor lm, and records
// it in s: PIRLS with step halving, stopping on the predicted decrease of
// the penalised deviance (see the package comment).
func (m *Model) search(s *modeState, lm *lmm.Model, theta []float64) error {
	pdev, err := m.start(s, theta)
	if err != nil {
		return err
	}
	tol := m.tol
	s.iter, s.halvings, s.valid = 0, 0, false
	prev := math.Inf(1)
	for it := 0; ; it++ {
		if err := m.cp.Check(); err != nil {
			return err
		}
		dec, logDet, err := m.fisherStep(s, lm, theta)
		if err != nil {
			return m.failure(s, theta, it, pdev, math.NaN(), err.Error())
		}
		floor := dec <= stallDecrease*(1+math.Abs(pdev)) && dec > prev/2 // rounding, not the iteration, sets dec
		if dec <= tol.Decrease*(1+math.Abs(pdev)) || floor {
			m.record(s, theta, pdev, dec, logDet, it)
			return nil
		}
		if it >= tol.MaxIter {
			return m.failure(s, theta, it, pdev, dec, "no convergence")
		}
		next, ok := m.halve(s, theta, pdev, dec)
		if !ok {
			return m.failure(s, theta, it, pdev, dec, "step halving could not lower the penalised deviance")
		}
		pdev, prev = next, dec
		s.iter++
		s.total++
	}
}

// record stores the mode found.
func (m *Model) record(s *modeState, theta []float64, pdev, dec, logDet float64, it int) {
	s.valid, s.started = true, true
	s.theta = append(s.theta[:0], theta...)
	s.pdev, s.dec, s.logDet, s.iter = pdev, dec, logDet, it
	s.ussq = sumSquares(s.u)
}

// start sets the starting point of a search: the last mode of s if there
// is one, or u = 0, whichever has the lower penalised deviance (β as
// given). It returns that deviance, and an error naming an observation
// when neither is finite.
func (m *Model) start(s *modeState, theta []float64) (float64, error) {
	ws := &m.ws
	ws.fresh = false
	m.setFixed(s, s.beta)
	warm := math.Inf(1)
	if s.started {
		m.linpred(ws.eta, s, theta, s.beta, s.u, ws.b)
		warm = -2*m.logLik(ws.eta) + sumSquares(s.u)
	}
	m.fixedPart(ws.trial, s, s.beta)
	cold := -2 * m.logLik(ws.trial)
	switch {
	case finite(cold) && !(warm <= cold):
		clear(s.u)
		copy(ws.eta, ws.trial)
		return cold, nil
	case finite(warm):
		return warm, nil
	}
	return 0, m.notFinite(ws.trial, theta, "at u = 0")
}

// fisherStep computes the working weights and response at the current
// point, refills and solves the penalised least squares problem, and sets
// the full step (ws.du, ws.dBeta, ws.dEta). It returns the decrease of the
// penalised deviance the step's quadratic model predicts and log|L|² with
// the current weights.
func (m *Model) fisherStep(s *modeState, lm *lmm.Model, theta []float64) (dec, logDet float64, err error) {
	ws := &m.ws
	if !ws.fresh {
		m.points(ws.eta, ws.score, ws.wt)
	}
	for i, e := range ws.eta {
		ws.work[i] = e - ws.fixed[i] + ws.score[i]/ws.wt[i]
	}
	if err := lm.Refill(ws.work, ws.wt); err != nil {
		return 0, 0, err
	}
	sol, err := lm.Solve(theta, false)
	if err != nil {
		return 0, 0, err
	}
	for j, v := range sol.U {
		ws.du[j] = v - s.u[j]
	}
	clear(ws.dEta)
	if s.fast {
		for j, v := range sol.Beta {
			ws.dBeta[j] = v - s.beta[j]
		}
		m.addXb(ws.dEta, ws.dBeta)
	}
	m.lambdaTimes(ws.bTrial, theta, ws.du)
	m.addZb(ws.dEta, ws.bTrial)
	for i, d := range ws.dEta {
		dec += ws.wt[i] * d * d
	}
	return dec + sumSquares(ws.du), sol.LogDetL, nil
}

// roundingDecrease is the predicted decrease, relative to the penalised
// deviance, below which comparing deviances says nothing (their sums
// round at about 1e−16 relative, times the terms' spread): a step that
// small is taken whole, where the quadratic model it comes from is exact
// for all purposes.
const roundingDecrease = 1e-10

// stallDecrease is the predicted decrease, relative to the penalised
// deviance, below which a step that fails to halve the last one's
// decrease ends the search: the solution's rounding, not the iteration,
// sets the step there (a factor conditioned worse than about 1e8).
const stallDecrease = 1e-16

// halve tries the full step, then halves it until the penalised deviance
// does not increase, and moves there. It returns the new deviance, or
// false when no step length up to MaxHalvings halvings was accepted.
func (m *Model) halve(s *modeState, theta []float64, pdev, dec float64) (float64, bool) {
	ws := &m.ws
	step := 1.0
	whole := dec <= roundingDecrease*(1+math.Abs(pdev))
	for h := 0; h <= m.tol.MaxHalvings; h++ {
		for j, v := range s.u {
			ws.uTrial[j] = v + step*ws.du[j]
		}
		for i, e := range ws.eta {
			ws.trial[i] = e + step*ws.dEta[i]
		}
		next := -2*m.points(ws.trial, ws.scoreT, ws.wtT) + sumSquares(ws.uTrial)
		if next <= pdev || whole && finite(next) {
			copy(s.u, ws.uTrial)
			if s.fast {
				for j := range s.beta {
					s.beta[j] += step * ws.dBeta[j]
				}
			}
			// the trial becomes the current point, with its scores and
			// weights for the next step
			ws.eta, ws.trial = ws.trial, ws.eta
			ws.score, ws.scoreT = ws.scoreT, ws.score
			ws.wt, ws.wtT = ws.wtT, ws.wt
			ws.fresh = true
			return next, true
		}
		step /= 2
		s.halvings++
	}
	return pdev, false
}
