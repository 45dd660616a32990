package importance

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// pTolerance is how far p₁+p₂+p₃ may be from 1: glmm's exact float test
// rejects its own default 1/3 printed to 15 digits.
const pTolerance = 1e-8

// checkParams runs the checks of everything but Σ̃⁻¹.
func checkParams(q int, p Params) error {
	if q < 1 {
		return errs.Invalidf("q", "is %d; need at least one random effect", q)
	}
	if err := CheckZeta(p.Zeta); err != nil {
		return err
	}
	if err := CheckMixture(p.P); err != nil {
		return err
	}
	return checkCentreAndScale(q, p.UStar, p.DStar)
}

// CheckZeta: the t degrees of freedom are positive and finite.
func CheckZeta(zeta float64) error {
	if !(zeta > 0) || math.IsInf(zeta, 0) {
		return errs.Invalidf("zeta", "is %g; the t degrees of freedom must be positive and finite", zeta)
	}
	return nil
}

// CheckMixture: the mixture probabilities lie in [0, 1] and sum to 1
// within pTolerance.
func CheckMixture(p [3]float64) error {
	var sum float64
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return errs.Invalidf("p_mix", "element %d is %g; probabilities must lie in [0, 1]", i, v)
		}
		sum += v
	}
	if math.Abs(sum-1) > pTolerance {
		return errs.Invalidf("p_mix", "sums to %.17g, not 1", sum)
	}
	return nil
}

// checkCentreAndScale: u* is finite and D* positive, finite and invertible,
// both of length q.
func checkCentreAndScale(q int, uStar, dStar []float64) error {
	if len(uStar) != q {
		return errs.Invalidf("u_star", "has length %d, want q = %d", len(uStar), q)
	}
	if len(dStar) != q {
		return errs.Invalidf("d_star", "has length %d, want q = %d", len(dStar), q)
	}
	for j := 0; j < q; j++ {
		if u := uStar[j]; math.IsNaN(u) || math.IsInf(u, 0) {
			return errs.Invalidf("u_star", "element %d is %g; must be finite", j, u)
		}
		v := dStar[j]
		if !(v > 0) || math.IsInf(v, 0) {
			return errs.Invalidf("d_star", "element %d is %g; variances must be positive and finite", j, v)
		}
		if math.IsInf(1/v, 0) {
			return errs.Invalidf("d_star", "element %d is %g; too small: its inverse overflows", j, v)
		}
	}
	return nil
}

// checkSigmaInv: Σ̃⁻¹ is q×q, finite and symmetric (to 1e-10 relative);
// positive definiteness is checked by its factorisation (errNotPD).
func checkSigmaInv(q int, s []float64) error {
	if len(s) != q*q {
		return errs.Invalidf("sigma_inv", "has length %d, want q*q = %d", len(s), q*q)
	}
	for k, v := range s {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("sigma_inv", "element (%d, %d) is %g; must be finite", k%q, k/q, v)
		}
	}
	for j := 0; j < q; j++ {
		for i := j + 1; i < q; i++ {
			a, b := s[j*q+i], s[i*q+j]
			if math.Abs(a-b) > 1e-10*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) {
				return errs.Invalidf("sigma_inv", "is not symmetric: (%d, %d) = %g but (%d, %d) = %g", i, j, a, j, i, b)
			}
		}
	}
	return nil
}

func errNotPD() error { return errs.Invalidf("sigma_inv", "is not positive definite") }
