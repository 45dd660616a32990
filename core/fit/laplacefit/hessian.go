package laplacefit

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// derivStep is the step of the finite differences of a fast fit's θ and
// of the first, scale-finding pass of a slow fit's, relative to
// max(1, |θ|): lme4's deriv12 uses 1e−4 absolute.
const derivStep = 1e-3

// stepFraction is a slow fit's finite-difference step as a fraction of
// each parameter's standard error: small enough that the differences'
// truncation error (of order step², relative) stays near 1e−4·(the
// fourth derivative's scale), large enough that the objective's noise ε
// (PIRLS stops within about 1e−10 relative) moves the Hessian by only
// ε/(2·0.02²) relative. Steps fixed in absolute terms fail one way or the
// other: 1e−4 is too small for VerbAgg's β (noise moves its SEs by 3e−4),
// 1e−3 too large for Contraception's I(age²) coefficient (whose standard
// error is 7e−4: truncation moves it by 3e−4).
const stepFraction = 0.02

// steps returns the finite-difference step of each parameter: for β,
// stepFraction of its standard error given θ (se); for θ, stepFraction of
// √(2/H_θθ), H_θθ from a second difference with the step derivStep·
// max(1, θ) (2 evaluations each), or that step itself where the second
// difference is not positive.
func steps(f func([]float64) (float64, error), x []float64, f0 float64, nt int, se []float64, restart func()) (h []float64, evals int, err error) {
	h = make([]float64, len(x))
	for i := nt; i < len(x); i++ {
		h[i] = stepFraction * se[i-nt]
		if !(h[i] > 0) || math.IsInf(h[i], 0) {
			h[i] = derivStep * max(1, abs(x[i]))
		}
	}
	for i := 0; i < nt; i++ {
		h0 := derivStep * max(1, abs(x[i]))
		y := append([]float64(nil), x...)
		y[i] = x[i] + h0
		restart()
		fp, err := f(y)
		if err != nil {
			return nil, evals, err
		}
		y[i] = x[i] - h0
		restart()
		fm, err := f(y)
		if err != nil {
			return nil, evals, err
		}
		evals += 2
		h[i] = h0
		if d2 := (fp - 2*f0 + fm) / (h0 * h0); d2 > 0 {
			h[i] = stepFraction * math.Sqrt(2/d2)
		}
	}
	return h, evals, nil
}

// derivatives returns the gradient and the Hessian (column-major) of f at
// x, where f(x) = f0, by central differences with steps h: first and
// second differences along each axis, and for each pair the symmetric
// cross difference
//
//	(f(x+hᵢ+hⱼ) + f(x−hᵢ−hⱼ) − f(x±hᵢ) − f(x±hⱼ) + 2f(x)) / (2hᵢhⱼ)
//
// which reuses the axis points: all with errors of order h², 2n + n(n−1)
// evaluations. (lme4's deriv12 takes the cross differences one-sided,
// with errors of order h: on Contraception, whose I(age²) column makes
// third derivatives large, that moves the standard errors by 0.2% at its
// step of 1e−4.) Before each evaluation restart (if not nil) is called,
// so that every search starts from the optimum's mode. It stops at f's
// first error.
func derivatives(f func([]float64) (float64, error), x []float64, f0 float64, h []float64, restart func()) (grad, hess []float64, evals int, err error) {
	n := len(x)
	at := func(i, j int, s float64) (float64, error) {
		y := append([]float64(nil), x...)
		y[i] += s * h[i]
		if j >= 0 {
			y[j] += s * h[j]
		}
		evals++
		if restart != nil {
			restart()
		}
		return f(y)
	}
	grad, hess = make([]float64, n), make([]float64, n*n)
	fp, fm := make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		if fp[i], err = at(i, -1, 1); err != nil {
			return nil, nil, evals, err
		}
		if fm[i], err = at(i, -1, -1); err != nil {
			return nil, nil, evals, err
		}
		grad[i] = (fp[i] - fm[i]) / (2 * h[i])
		hess[i*n+i] = (fp[i] - 2*f0 + fm[i]) / (h[i] * h[i])
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			pp, err := at(i, j, 1)
			if err != nil {
				return nil, nil, evals, err
			}
			mm, err := at(i, j, -1)
			if err != nil {
				return nil, nil, evals, err
			}
			hess[i*n+j] = (pp + mm - fp[i] - fm[i] - fp[j] - fm[j] + 2*f0) / (2 * h[i] * h[j])
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
