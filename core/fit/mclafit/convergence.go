package mclafit

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/optim"
)

// Convergence says whether a fit ended at a maximum of l_m and, if not,
// why. trust's termination test alone does not say it: started far away
// (β = 1e300, ν = 1e300) it can stop at once where l_m is flat to rounding
// — glmm would then report convergence — and it stops on a small predicted
// change even where the Hessian is not negative definite.
type Convergence int

const (
	// Converged: trust's test was met at a point with finite, sensible
	// values, a negative definite Hessian and a gradient small relative to
	// the information.
	Converged Convergence = iota
	// IterationLimit: trust stopped at its iteration limit.
	IterationLimit
	// NotFinite: the estimate, l_m or a derivative is not finite.
	NotFinite
	// AbsurdScale: a fixed effect moves the linear predictor by more than
	// MaxEta somewhere (|β_j|·max_i |x_ij|), or a variance exceeds
	// MaxVariance: nowhere near a maximum of any model of real data.
	AbsurdScale
	// HessianNotNegDef: the Hessian is not negative definite: not a
	// maximum (or a singular one).
	HessianNotNegDef
	// GradientLarge: the gradient g is not small relative to the
	// information −H = RᵀR: ‖R⁻ᵀg‖ > GradientTol (lme4's scaled gradient;
	// ‖R⁻ᵀg‖² is twice the gain a Newton step predicts).
	GradientLarge
	// GuardedStop: in a staged fit the maximisation ended against the
	// guard (Fit.Guarded): l_m rises on past where the importance sample
	// is reliable, so the estimate is not a maximum of the likelihood the
	// sample can describe. Checked after AbsurdScale, before the
	// iteration limit (the constants' values are the C codes, in the
	// order they were added).
	GuardedStop
)

// The bounds of the checks above.
const (
	MaxEta      = 1e4
	MaxVariance = 1e8
	GradientTol = 2e-3
)

func (c Convergence) String() string {
	switch c {
	case Converged:
		return "converged"
	case IterationLimit:
		return "the trust-region iteration limit was reached"
	case NotFinite:
		return "the estimate, the log-likelihood or its derivatives are not finite"
	case AbsurdScale:
		return fmt.Sprintf("a parameter is at an absurd scale (a fixed effect moving the linear predictor by more than %g, or a variance above %g): not a maximum", MaxEta, MaxVariance)
	case HessianNotNegDef:
		return "the Hessian is not negative definite: not a maximum"
	case GradientLarge:
		return fmt.Sprintf("the gradient is not small relative to the information (scaled gradient above %g)", GradientTol)
	case GuardedStop:
		return "the maximisation ended against the guard, where the importance sample grows too thin: not a maximum the sample can locate"
	}
	return fmt.Sprintf("convergence code %d", int(c))
}

// judge decides Convergence at the end of a maximisation (after infer,
// which sets HessianNegDef, and with Guarded set), in the order of the
// constants except GuardedStop, checked after AbsurdScale: the first
// failing check is the reason.
func (f *Fit) judge(status optim.Status) Convergence {
	if !f.finite() {
		return NotFinite
	}
	for j, b := range f.Beta {
		if math.Abs(b)*f.xScale[j] > MaxEta {
			return AbsurdScale
		}
	}
	for _, v := range f.Nu {
		if v > MaxVariance {
			return AbsurdScale
		}
	}
	if f.Guarded {
		return GuardedStop
	}
	if !status.Converged() {
		return IterationLimit
	}
	if !f.HessianNegDef {
		return HessianNotNegDef
	}
	if f.scaledGradient() > GradientTol {
		return GradientLarge
	}
	return Converged
}

// finite: the estimate, l_m, its gradient and its Hessian.
func (f *Fit) finite() bool {
	for _, v := range [][]float64{f.Beta, f.Nu, f.Gradient, f.Hessian, {f.Value}} {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
	}
	return true
}

// scaledGradient is ‖R⁻ᵀg‖ = √(gᵀ(−H)⁻¹g) with −H = RᵀR positive definite.
func (f *Fit) scaledGradient() float64 {
	d := f.P + f.NVC
	negH := make([]float64, d*d)
	for j := 0; j < d; j++ {
		for i := 0; i < d; i++ {
			negH[j*d+i] = -(f.Hessian[j*d+i] + f.Hessian[i*d+j]) / 2
		}
	}
	var ch dense.SPD
	if !ch.Factor(d, negH) {
		return math.Inf(1)
	}
	s := append([]float64(nil), f.Gradient...)
	ch.SolveVec(s)
	var q float64
	for i, g := range f.Gradient {
		q += g * s[i]
	}
	return math.Sqrt(math.Max(q, 0))
}

// columnScales returns max_i |x_ij| for each column of the n×p X.
func columnScales(x []float64, n, p int) []float64 {
	s := make([]float64, p)
	for j := range s {
		for _, v := range x[j*n : (j+1)*n] {
			s[j] = math.Max(s[j], math.Abs(v))
		}
	}
	return s
}
