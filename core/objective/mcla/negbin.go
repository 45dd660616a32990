package mcla

import "github.com/glmmgo/glmmgo/core/family"

// rowsNegBinLarge serves negative binomial responses with a size r above
// family.NegBinLargeSize, where the binomial kernel of rowsLogistic loses
// the −μ term of ℓ (see family.NegBinTerms): ℓ's terms are computed to
// full relative precision, so that l_m tends to the Poisson one as r
// grows. η here is shifted by −log r (Model.etaOff), as in rowsLogistic.
func (m *Model) rowsNegBinLarge(xb, u, dv, gBeta []float64) float64 {
	var logF float64
	logr := -m.etaOff
	for i := range dv {
		x := m.eta(i, xb, u)
		l, tp, tpq := family.NegBinTerms(m.y[i], x, m.size, logr)
		w := m.w[i]
		logF += m.wy[i]*x - w*l
		dv[i] = w * tpq
		m.addScore(i, m.wy[i]-w*tp, gBeta)
	}
	return logF
}
