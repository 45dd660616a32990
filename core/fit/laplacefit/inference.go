package laplacefit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"gonum.org/v1/gonum/stat/distuv"
)

// inference computes the gradient at the optimum and the standard errors:
// from the Hessian of −2 log L in (θ, β) for slow fits whose θ is inside
// its bounds, else conditional on θ̂ from the last PIRLS factor. v is the
// objective at the optimum.
func inference(m *laplace.Model, opt *Options, r *Result, v float64) error {
	vcov, se, err := conditionalVcov(m, opt.Fast, r.Theta)
	if err != nil {
		return err
	}
	r.Vcov, r.SE, r.SEMethod = vcov, se, "conditional"
	if opt.Fast {
		r.Gradient, err = fastGradient(m, r.Theta, v)
		return err
	}
	if opt.NoHessian {
		return nil
	}
	nt := m.NTheta()
	x := append(append([]float64(nil), r.Theta...), r.Beta...)
	if nearBound(m, r.Theta) {
		return nil
	}
	f := func(y []float64) (float64, error) { return objective(m, opt.NAGQ, y[:nt], y[nt:]) }
	optimum := m.LastMode(false)
	restart := func() { _ = m.StartFrom(optimum) } // a mode of this model: cannot fail
	h, _, err := steps(f, x, v, nt, se, restart)
	if err != nil {
		return err
	}
	grad, hess, _, err := derivatives(f, x, v, h, restart)
	if err != nil {
		return err
	}
	r.Gradient, r.Hessian = grad, hess
	if cov, ok := covariance(hess, len(x)); ok {
		p := m.P()
		r.ParVcov, r.SEMethod = cov, "hessian"
		r.Vcov, r.SE = make([]float64, p*p), make([]float64, p)
		n := len(x)
		for j := 0; j < p; j++ {
			for i := 0; i < p; i++ {
				r.Vcov[j*p+i] = cov[(nt+j)*n+nt+i]
			}
			r.SE[j] = math.Sqrt(r.Vcov[j*p+j])
		}
	}
	return nil
}

// nearBound reports a diagonal θ within two finite-difference steps of
// its bound 0, where central differences would leave the parameter space
// (the steps are at most derivStep·max(1, θ), or a fraction of the
// standard error that a θ this close to 0 would exceed).
func nearBound(m *laplace.Model, theta []float64) bool {
	for i, l := range m.Lower() {
		if l == 0 && theta[i] < 2*derivStep {
			return true
		}
	}
	return false
}

// fastGradient is the gradient of the fast objective in θ by central
// differences (forward ones next to a bound).
func fastGradient(m *laplace.Model, theta []float64, v float64) ([]float64, error) {
	g := make([]float64, len(theta))
	lo := m.Lower()
	for i, t := range theta {
		h := derivStep * max(1, math.Abs(t))
		y := append([]float64(nil), theta...)
		y[i] = t + h
		fp, err := m.LaplaceFast(y)
		if err != nil {
			return nil, err
		}
		if t-h < lo[i] {
			g[i] = (fp - v) / h
			continue
		}
		y[i] = t - h
		fm, err := m.LaplaceFast(y)
		if err != nil {
			return nil, err
		}
		g[i] = (fp - fm) / (2 * h)
	}
	return g, nil
}

// ConfInt returns the Wald intervals β̂ ∓ z·SE at the given level, z =
// Φ⁻¹((1 + level)/2): lme4's confint(method = "Wald") for the fixed
// effects of a glmer fit (SEMethod says where SE comes from).
func (r *Result) ConfInt(level float64) (lo, hi []float64, err error) {
	if !(level > 0 && level < 1) {
		return nil, nil, errs.Invalidf("level", "is %g; must lie strictly between 0 and 1", level)
	}
	z := distuv.UnitNormal.Quantile((1 + level) / 2)
	lo, hi = make([]float64, len(r.Beta)), make([]float64, len(r.Beta))
	for k, v := range r.Beta {
		lo[k], hi[k] = v-z*r.SE[k], v+z*r.SE[k]
	}
	return lo, hi, nil
}
