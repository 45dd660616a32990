package mixlogitfit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/mixlogit"
	"gonum.org/v1/gonum/stat/distuv"
)

// The ascent check of Caffo, Jank and Jones (J. R. Stat. Soc. B
// 67:235–251, 2005). The M-step's θ̃ raises the Monte Carlo Q-function by
//
//	ΔQ̃ = Σ_i Σ_k w̄_ik Λ_ik,   Λ_ik = log p(y_i, z_k, c_k | θ̃) − log p(y_i, z_k, c_k | θ),
//
// which estimates the true EM increase ΔQ = Q(θ̃ | θ) − Q(θ | θ) with an
// asymptotically normal error. Subjects are independent; within a subject
// the estimate is a ratio of stratified importance-sampling sums, whose
// delta-method variance is Σ_c n_c/(n_c − 1) Σ_{k∈c} (a_k − ā_c)² with
// a_k = w̄_k(Λ_k − ΔQ̃_i) (ā_c the class mean). The asymptotic standard
// error ASE is the root of the sum over subjects. Then:
//
//   - the step is accepted when the lower bound ΔQ̃ − z_α·ASE > 0 (ascent
//     is likely, so the EM property holds despite the Monte Carlo error);
//   - otherwise the sample is augmented by m/k draws per subject from the
//     same proposals and the M-step redone (once the sample has reached
//     MaxSamples draws per subject, the step is taken as it is);
//   - the next iteration starts with m = max(m, ASE²(z_α + z_β)²/ΔQ̃²)
//     draws, enough for the ascent check to succeed with probability 1 − β
//     when ΔQ stays as large;
//   - MCEM stops when the upper bound ΔQ̃ + z_γ·ASE < ε, ΔQ being then
//     below ε with confidence 1 − γ. This is checked before the ascent
//     check, so a sample that shows convergence is not grown further to
//     show ascent.

// zQuantile is the upper-tail normal quantile z_a.
func zQuantile(a float64) float64 { return distuv.UnitNormal.Quantile(1 - a) }

// ascent returns ΔQ̃ and its ASE for θ̃ = next against θ = e.theta, using
// h at θ (h) and at θ̃ (hNew) stored with every draw.
func (e *mcem) ascent(next mixlogit.Params) (dq, ase float64, err error) {
	lNew, lOld := newCompleteLog(next), newCompleteLog(e.theta)
	sums, err := e.m.SumSubjects(e.opt.Workers, 2, func(_, i int, acc []float64) error {
		s := &e.subj[i]
		var dqi float64
		for c := range 2 {
			d := &s.cls[c]
			for k, w := range d.w {
				d.lam[k] = 0
				if w != 0 {
					d.lam[k] = lNew.at(c, d.z[k], d.hNew[k]) - lOld.at(c, d.z[k], d.h[k])
					dqi += w * d.lam[k]
				}
			}
		}
		acc[0] += dqi
		for c := range 2 {
			d := &s.cls[c]
			acc[1] += stratumVariance(len(d.w), func(k int) float64 { return d.w[k] * (d.lam[k] - dqi) })
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return sums[0], math.Sqrt(sums[1]), nil
}

// stratumVariance is n/(n − 1) Σ_k (a_k − ā)² over the n terms a(k) of one
// stratum: n times the sample variance, the variance of the stratum's sum.
func stratumVariance(n int, a func(k int) float64) float64 {
	if n < 2 {
		return 0
	}
	var mean float64
	for k := range n {
		mean += a(k)
	}
	mean /= float64(n)
	var ss float64
	for k := range n {
		d := a(k) - mean
		ss += d * d
	}
	return float64(n) / float64(n-1) * ss
}
