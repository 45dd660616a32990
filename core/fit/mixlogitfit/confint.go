package mixlogitfit

import (
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/mixlogit"
	"gonum.org/v1/gonum/stat/distuv"
)

// ConfInt returns the Wald intervals Estimate ∓ z·SE at the given level,
// z = Φ⁻¹((1 + level)/2), on the scale of Ω (NaN where SE is NaN). They
// are the intervals every engine of the C interface reports; on this
// model's boundary parameters (σ near 0, π₁ near 0 or 1) they can reach
// outside the parameter space, which the standard errors do not know.
func (r *Result) ConfInt(level float64) (lo, hi mixlogit.Params, err error) {
	if !(level > 0 && level < 1) {
		return lo, hi, errs.Invalidf("level", "is %g; must lie strictly between 0 and 1", level)
	}
	z := distuv.UnitNormal.Quantile((1 + level) / 2)
	for k, v := range r.Estimate {
		lo[k], hi[k] = v-z*r.SE[k], v+z*r.SE[k]
	}
	return lo, hi, nil
}
