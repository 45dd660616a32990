package mclafit

import "github.com/glmmgo/glmmgo/core/errs"

// MinZeta is the smallest t degrees of freedom ζ a fit draws its sample
// with. A t variate is z/√(χ²_ζ/ζ), and χ²_ζ is drawn as a gamma variate
// that behaves like U^{2/ζ}: for ζ = 0.01 one draw in 30 underflows to 0
// and the sample holds infinite values (the fit then failed naming the
// u-matrix, which the caller never passed). Densities evaluated at given
// samples (glmmgo_mcla_set_importance) accept any ζ > 0.
const MinZeta = 0.1

// checkDrawnZeta refuses a ζ too small to draw a finite sample with.
func checkDrawnZeta(zeta float64) error {
	if zeta < MinZeta {
		return errs.Invalidf("zeta", "is %g; a fit draws its t component with at least %g degrees of freedom (below, the draws overflow to infinity); glmm's default is 5", zeta, MinZeta)
	}
	return nil
}
