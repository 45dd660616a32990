package mixlogitfit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The exact M-step maximises the Monte Carlo Q-function
//
//	Q̃(Ω) = Σ_i Σ_k w̄_ik log p(y_i, z_k, c_k | Ω)
//
// with the weights w̄ fixed. Its terms in π₁, σ_c and β_c separate:
//
//	π₁ = (1/n) Σ_i Σ_{k∈1} w̄_ik,
//	σ_c² = Σ_i Σ_{k∈c} w̄_ik z_k² / Σ_i Σ_{k∈c} w̄_ik,
//
// and β_c maximises the weighted logistic log-likelihood
// Σ_i Σ_{k∈c} w̄_ik h_i(β, z_k), concave in β, by Newton's method from the
// previous β_c with step halving.
const (
	newtonIter = 50
	newtonTol  = 1e-7 // relative Newton step at which β_c is taken as found
	newtonCap  = 2.0  // largest Newton step in β
)

// mstep returns θ̃ = argmax Q̃ for the current weights, and leaves
// h_i(β̃_c, z) in every draw's hNew.
func (e *mcem) mstep() (mixlogit.Params, error) {
	sums, err := e.m.SumSubjects(e.opt.Workers, 4, func(_, i int, acc []float64) error {
		for c := range 2 {
			d := &e.subj[i].cls[c]
			for k, w := range d.w {
				acc[2*c] += w
				acc[2*c+1] += w * d.z[k] * d.z[k]
			}
		}
		return nil
	})
	if err != nil {
		return mixlogit.Params{}, err
	}
	var th mixlogit.Params
	th[mixlogit.Pi1] = sums[0] / float64(e.m.N())
	for c := range 2 {
		th[mixlogit.Sigma1+c] = math.Sqrt(sums[2*c+1] / sums[2*c])
	}
	beta, err := e.newtonBeta([2]float64{e.theta.Beta(0), e.theta.Beta(1)})
	if err != nil {
		return th, err
	}
	th[mixlogit.Beta1], th[mixlogit.Beta2] = beta[0], beta[1]
	if err := th.Check("par"); err != nil {
		return th, errs.Numericf("mcem", "the M-step left the parameter space (%v): a class has lost its weight", err)
	}
	return th, nil
}

// betaPass returns, per class, Σ w̄ h, Σ w̄ ∂h/∂β and Σ w̄ ∂²h/∂β² at
// beta, storing each draw's h in hNew. At the sampling β (the Newton
// iteration's start) it uses the values stored by the E-step.
func (e *mcem) betaPass(beta [2]float64) (q, g, h [2]float64, err error) {
	sums, err := e.m.SumSubjects(e.opt.Workers, 6, func(_, i int, acc []float64) error {
		for c := range 2 {
			d := &e.subj[i].cls[c]
			stored := beta[c] == e.theta.Beta(c)
			for k, w := range d.w {
				if w == 0 {
					d.hNew[k] = 0
					continue
				}
				var v, dv, d2v float64
				if stored {
					v, dv, d2v = d.h[k], d.dh[k], d.d2h[k]
				} else {
					v, dv, d2v = e.m.LogCondBeta(i, beta[c], d.z[k])
				}
				d.hNew[k] = v
				acc[3*c] += w * v
				acc[3*c+1] += w * dv
				acc[3*c+2] += w * d2v
			}
		}
		return nil
	})
	for c := range 2 {
		q[c], g[c], h[c] = sums[3*c], sums[3*c+1], sums[3*c+2]
	}
	return q, g, h, err
}

// newtonBeta maximises both classes' weighted logistic log-likelihoods at
// once (one pass over the draws serves both). A class whose step would be
// below newtonTol keeps its β, so that hNew is always at the β returned.
func (e *mcem) newtonBeta(beta [2]float64) ([2]float64, error) {
	prev, step := beta, [2]float64{}
	prevQ := [2]float64{math.Inf(-1), math.Inf(-1)}
	for range newtonIter {
		q, g, h, err := e.betaPass(beta)
		if err != nil {
			return beta, err
		}
		done := true
		for c := range 2 {
			if q[c] < prevQ[c]-1e-12*(1+math.Abs(prevQ[c])) {
				// Overshot (beyond rounding): go back half way.
				step[c] /= 2
				beta[c] = prev[c] + step[c]
				done = false
				continue
			}
			if !(h[c] < 0) {
				return beta, errs.Numericf("mcem", "the M-step for beta%d has curvature %g: class %d has no weight", c+1, h[c], c+1)
			}
			prev[c], prevQ[c] = beta[c], q[c]
			step[c] = math.Max(-newtonCap, math.Min(newtonCap, -g[c]/h[c]))
			if math.Abs(step[c]) > newtonTol*(1+math.Abs(beta[c])) {
				beta[c] += step[c]
				done = false
			}
		}
		if done {
			return beta, nil
		}
	}
	return beta, errs.Numericf("mcem", "the M-step for beta did not converge in %d Newton steps", newtonIter)
}
