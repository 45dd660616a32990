package family

import (
	"math"
	"testing"
)

// TestNegBinLargeSize: the negative binomial's ℓ, ℓ′ and −ℓ″ differ from
// Poisson's by their first-order terms in 1/r, to full precision, however
// large r is (before, μ/r below 1.1e-16 lost the −μ term of ℓ altogether
// and fits with r ≥ 1e10 failed): ℓ_NB − ℓ_P = (μ² − 2yμ)/(2r),
// ℓ′ gap μ(μ − y)/(r + μ), −ℓ″ gap μ(yr − 2rμ − μ²)/(r + μ)², each + O(μ³/r²). Both
// paths of NegBinTerms agree where they meet.
func TestNegBinLargeSize(t *testing.T) {
	for _, y := range []float64{0, 1, 4, 30} {
		for _, eta := range []float64{-30, -3, 0, 1.3, 4} {
			mu := math.Exp(eta)
			lp, dp, wp := y*eta-mu, y-mu, mu // Poisson
			for _, r := range []float64{1e5, 1e8, 1e12, 1e15, 1e100, 1e300} {
				l, d1, w := NegBinomial.LogLik(y, eta, 0, r)
				// O(1/r²) terms, and η recovered from η − log r (error ~log(r)·ε·μ).
				o2 := (mu*mu*mu+y*mu*mu+y*y*mu)/(r*r) + 4e-16*math.Log(r)*mu
				if !close(l-lp, (mu*mu-2*y*mu)/(2*r), 1e-13*(1+math.Abs(lp))+o2) ||
					!close(d1-dp, mu*(mu-y)/(r+mu), 1e-13*(1+math.Abs(dp))+o2) ||
					!close(w-wp, mu*(y*r-2*r*mu-mu*mu)/((r+mu)*(r+mu)), 1e-13*wp+o2) {
					t.Errorf("y %g, eta %g, r %g: (%.17g, %.17g, %.17g), Poisson (%.17g, %.17g, %.17g)", y, eta, r, l, d1, w, lp, dp, wp)
				}
			}
		}
	}
	// Both paths at r = NegBinLargeSize (the logistic kernel is exact to
	// 1.2e-16·t absolutely there).
	r := NegBinLargeSize
	lr := math.Log(r)
	for _, y := range []float64{0, 3, 50} {
		for _, x := range []float64{-40, -12, -3, 0, 2} {
			l1, p1, q1 := NegBinTerms(y, x, r, lr)
			l2, p2, q2 := NegBinTerms(y, x, math.Nextafter(r, math.Inf(1)), lr)
			tol := 1e-15 * (y + r)
			if !close(l1, l2, tol+1e-13*l1) || !close(p1, p2, 1e-12*p1+1e-300) || !close(q1, q2, 1e-12*q1+1e-300) {
				t.Errorf("y %g, x %g: logistic path (%g, %g, %g), accurate path (%g, %g, %g)", y, x, l1, p1, q1, l2, p2, q2)
			}
		}
	}
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
