package family

import (
	"math"

	"github.com/glmmgo/glmmgo/core/fastmath"
)

// NegBinLargeSize is the size r above which NegBinTerms takes its accurate
// path. The negative binomial's ℓ = yη − (y+r)·log(1 + e^η/r) multiplies
// the softplus of x = η − log r by t = y + r ≈ r; the shared logistic
// kernel computes that softplus as log(fl(1 + eˣ)), exact to 1.2e-16
// absolutely, which is ample for r up to here but wrong by 100% once
// eˣ = μ/r < 1.1e-16 (fl(1 + eˣ) = 1): with r = 1e10 the fit then saw ℓ
// without its −μ term, unbounded in η, and failed.
const NegBinLargeSize = 1e4

// NegBinTerms returns, for one negative binomial observation y with size r
// (logr = log r) at x = η − log r, the three r-dependent terms of ℓ, ℓ′ and
// −ℓ″: t·log(1 + eˣ), t·p and t·p(1 − p) with t = y + r and p = 1/(1 +
// e^{−x}). For r > NegBinLargeSize they are computed to full relative
// precision from μ = e^η and a = eˣ = μ/r: t·a = μ + y·a, and where a <
// 1e-5, log(1 + a) by its series a(1 − a/2 + a²/3 − a³/4) (truncation
// error below a⁴/5 relative), so that ℓ tends to Poisson's yη − μ as r
// grows instead of losing μ.
func NegBinTerms(y, x, r, logr float64) (l, tp, tpq float64) {
	if r <= NegBinLargeSize {
		sp, p, pq := fastmath.Logistic(x)
		t := y + r
		return t * sp, t * p, t * pq
	}
	a := math.Exp(x)
	if a < 1e-5 {
		ta := math.Exp(x+logr) + y*a
		l = ta * (1 - a*(1.0/2-a*(1.0/3-a*(1.0/4))))
		tp = ta / (1 + a)
		return l, tp, tp / (1 + a)
	}
	t := y + r
	tp = t / (1 + 1/a)
	return t * math.Log1p(a), tp, tp / (1 + a)
}
