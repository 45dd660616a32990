package laplacefit

import (
	"gonum.org/v1/gonum/mat"
)

// derivStep is the relative step of the finite differences: lme4's
// deriv12 uses 1e−4 absolute; relative to max(1, |x|) it suits β of any
// scale too.
const derivStep = 1e-4

// derivatives returns the gradient and the Hessian (column-major) of f at
// x, where f(x) = f0, by finite differences as lme4's deriv12 takes them:
// central first and second differences along each axis (errors of order
// h²) and, for each pair, the cross difference
// (f(x+hᵢ+hⱼ) − f(x+hᵢ) − f(x+hⱼ) + f(x))/(hᵢhⱼ) (error of order h):
// 2n + n(n−1)/2 evaluations. It stops at f's first error.
func derivatives(f func([]float64) (float64, error), x []float64, f0 float64) (grad, hess []float64, evals int, err error) {
	n := len(x)
	h := make([]float64, n)
	for i, v := range x {
		h[i] = derivStep * max(1, abs(v))
	}
	at := func(i, j int, si float64) (float64, error) {
		y := append([]float64(nil), x...)
		y[i] += si * h[i]
		if j >= 0 {
			y[j] += h[j]
		}
		evals++
		return f(y)
	}
	grad, hess = make([]float64, n), make([]float64, n*n)
	fp := make([]float64, n)
	for i := 0; i < n; i++ {
		if fp[i], err = at(i, -1, 1); err != nil {
			return nil, nil, evals, err
		}
		fm, err := at(i, -1, -1)
		if err != nil {
			return nil, nil, evals, err
		}
		grad[i] = (fp[i] - fm) / (2 * h[i])
		hess[i*n+i] = (fp[i] - 2*f0 + fm) / (h[i] * h[i])
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v, err := at(i, j, 1)
			if err != nil {
				return nil, nil, evals, err
			}
			hess[i*n+j] = (v - fp[i] - fp[j] + f0) / (h[i] * h[j])
			hess[j*n+i] = hess[i*n+j]
		}
	}
	return grad, hess, evals, nil
}

// covariance returns 2·H⁻¹, the covariance of the estimates when H is the
// Hessian of −2 log L, or ok false when H is not positive definite.
func covariance(hess []float64, n int) (cov []float64, ok bool) {
	sym := mat.NewSymDense(n, append([]float64(nil), hess...))
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, false
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return nil, false
	}
	cov = make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			cov[j*n+i] = 2 * inv.At(i, j)
		}
	}
	return cov, true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
