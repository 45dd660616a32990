// Package mclafit fits a GLMM by Monte Carlo likelihood approximation, the
// whole of glmm's glmm() in Go (Knudson, Benson, Geyer and Jones; the glmm
// parallel-computing paper):
//
//  1. PQL (package pql) gives β_pql, ν_pql, u* and D*, or the caller's
//     starting values replace it (glmm's par.init / doPQL = FALSE: u* = 0,
//     D* = diag(ν_init)).
//  2. The importance density f̃ = p₁ t_ζ(0, D*) + p₂ N(u*, D*) + p₃ N(u*, Σ̃)
//     with Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓ″(η*ᵢ))) Z + D*⁻¹ and m samples from it
//     (package sampling), drawn block by block into the MCLA model.
//  3. The MCLA log-likelihood l_m(β, ν) (package objective/mcla) is
//     maximised by the trust-region method (package optim/trust), from
//     (β_pql, ν_pql) with glmm's radii.
//  4. Inference at the maximum (θ̂ = (β̂, ν̂), H = ∇²l_m(θ̂)):
//     standard errors √diag(−H⁻¹); z = θ̂/SE with two-sided p-values for β
//     and one-sided ones for ν (glmm's summary, "Pr(>|z|)/2"); Wald
//     intervals θ̂ ± z_{(1+level)/2}·SE; and the Monte Carlo covariance of
//     θ̂, glmm's mcvcov: H⁻¹ V H⁻¹ with V = Σ v_k² g_k g_k′ (package mcla,
//     Moments), whose square-rooted diagonal is the MCSE. glmm's mcvcov
//     rebuilds the importance density with the Bernoulli c″ and no
//     weights whatever the family; here V uses the density actually
//     sampled from, so it is right for every family and for weights.
//  5. The effective sample size of the importance weights at θ̂, Kish's
//     (Σ v_k)²/Σ v_k², with a warning flag when it is small — glmm has no
//     such diagnostic, and with q random effects importance sampling can
//     put nearly all the weight on a few samples.
//
// Results depend on the data, options and seed only: not on the number of
// workers (fixed sample blocks with their own streams, merged in order).
package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Options of a fit. Zero values select glmm's defaults where glmm has one.
type Options struct {
	M       int        // Monte Carlo sample size, ≥ 1 (required)
	P       [3]float64 // mixture probabilities p₁, p₂, p₃; all zero means (1/3, 1/3, 1/3)
	Zeta    float64    // t degrees of freedom, default 5
	Seed    uint64     // the sample is a function of (data, options, Seed)
	Workers int        // 0 = all CPUs; results do not depend on it
	RInit   float64    // trust radius at the start, default 10
	RMax    float64    // largest trust radius, default 1000
	IterLim int        // trust iterations, default 1000
	// Start, if not nil, are starting values (β, ν) used instead of PQL
	// (glmm's par.init). NoPQL without Start starts from β = 0, ν = 1
	// (glmm's doPQL = FALSE).
	Start []float64
	NoPQL bool
	// TAtUStar centres the importance density's t component at u* rather
	// than at 0 as glmm does (glmm's choice must be kept to reproduce its
	// objective; for a fit either is a valid importance density).
	TAtUStar bool
	// ESSWarn: the fit sets ESSWarning when the effective sample size at
	// the estimate is below it; 0 means DefaultESSWarn.
	ESSWarn float64
	// Progress, if not nil, is called between trust iterations with the
	// iteration, the current log-likelihood and (β, ν); returning false
	// cancels the fit (errs.ErrCancelled).
	Progress func(iter int, value float64, par []float64) bool
}

// DefaultESSWarn is the effective sample size below which a fit warns when
// Options.ESSWarn is 0: below about a hundred effective samples the Monte
// Carlo averages behind the estimate, its Hessian and the MCSEs rest on too
// few draws for the MCSEs themselves to be trusted.
const DefaultESSWarn = 100

// pTolerance is how far p₁+p₂+p₃ may be from 1 (glmm tests == 1 exactly).
const pTolerance = 1e-8

func (o *Options) resolve(npar, p int) error {
	if o.M < 1 {
		return errs.Invalidf("m", "is %d; need at least one Monte Carlo sample", o.M)
	}
	if o.P == [3]float64{} {
		o.P = [3]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	}
	var sum float64
	for i, v := range o.P {
		if !(v >= 0 && v <= 1) {
			return errs.Invalidf("p_mix", "element %d is %g; probabilities must lie in [0, 1]", i, v)
		}
		sum += v
	}
	if math.Abs(sum-1) > pTolerance {
		return errs.Invalidf("p_mix", "sums to %.17g, not 1", sum)
	}
	if o.P[0] == 0 {
		// The t component's heavy tails bound the importance weights
		// f_θ(u, y)/f̃(u): without it they can have infinite variance.
		return errs.Invalidf("p_mix", "p1 (the t component) is 0; it must be positive so that the importance weights have finite variance")
	}
	if o.Zeta == 0 {
		o.Zeta = 5
	}
	if !(o.Zeta > 0) || math.IsInf(o.Zeta, 0) {
		return errs.Invalidf("zeta", "is %g; the t degrees of freedom must be positive and finite", o.Zeta)
	}
	if o.RInit == 0 {
		o.RInit = 10
	}
	if o.RMax == 0 {
		o.RMax = 1000
	}
	if !(o.RInit > 0) || math.IsInf(o.RInit, 0) {
		return errs.Invalidf("rinit", "is %g; must be positive and finite", o.RInit)
	}
	if !(o.RMax >= o.RInit) || math.IsInf(o.RMax, 0) {
		return errs.Invalidf("rmax", "is %g; must be finite and at least rinit = %g", o.RMax, o.RInit)
	}
	if o.IterLim == 0 {
		o.IterLim = 1000
	}
	if o.IterLim < 1 {
		return errs.Invalidf("iterlim", "is %d; must be positive", o.IterLim)
	}
	if o.ESSWarn == 0 {
		o.ESSWarn = DefaultESSWarn
	}
	if !(o.ESSWarn >= 0) {
		return errs.Invalidf("ess_warn", "is %g; must be non-negative", o.ESSWarn)
	}
	if o.Start != nil {
		if len(o.Start) != npar {
			return errs.Invalidf("par_init", "has length %d, want p+nvc = %d", len(o.Start), npar)
		}
		for i, v := range o.Start {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errs.Invalidf("par_init", "element %d is %g; must be finite", i, v)
			}
			if i >= p && !(v > 1e-9) {
				return errs.Invalidf("par_init", "element %d (variance component %d) is %g; starting variances must exceed 1e-9", i, i-p, v)
			}
		}
	}
	return nil
}
