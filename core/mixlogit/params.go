package mixlogit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Indices of the parameters in every vector and (column-major) matrix of
// this package and its fits.
const (
	Beta1 = iota
	Beta2
	Sigma1
	Sigma2
	Pi1
	NumParams
)

// ParamNames are the parameters' names, in index order (R's coef() names).
var ParamNames = [NumParams]string{"beta1", "beta2", "sigma1", "sigma2", "pi1"}

// Params is Ω = (β₁, β₂, σ₁, σ₂, π₁).
type Params [NumParams]float64

// Beta is β_c for class c ∈ {0, 1} (class 1 and class 2).
func (p Params) Beta(c int) float64 { return p[Beta1+c] }

// Sigma is σ_c for class c ∈ {0, 1}.
func (p Params) Sigma(c int) float64 { return p[Sigma1+c] }

// Pi is π_c for class c ∈ {0, 1}.
func (p Params) Pi(c int) float64 {
	if c == 0 {
		return p[Pi1]
	}
	return 1 - p[Pi1]
}

// Swapped exchanges the class labels, which leaves the likelihood unchanged.
func (p Params) Swapped() Params {
	return Params{p[Beta2], p[Beta1], p[Sigma2], p[Sigma1], 1 - p[Pi1]}
}

// Ordered returns p under the labelling β₁ ≤ β₂, and whether it swapped.
func (p Params) Ordered() (Params, bool) {
	if p[Beta1] > p[Beta2] {
		return p.Swapped(), true
	}
	return p, false
}

// SwapPermutation is the permutation of parameter indices that Swapped
// applies (π₁ also changes sign in its derivatives: see SwapMatrix).
var SwapPermutation = [NumParams]int{Beta2, Beta1, Sigma2, Sigma1, Pi1}

// SwapMatrix rewrites a symmetric NumParams×NumParams matrix of covariances
// or second derivatives of Ω for the swapped labelling: rows and columns
// are permuted and those of π₁ change sign (π₁ becomes 1 − π₁).
func SwapMatrix(a []float64) []float64 {
	out := make([]float64, len(a))
	sign := func(k int) float64 {
		if k == Pi1 {
			return -1
		}
		return 1
	}
	for j := range NumParams {
		for i := range NumParams {
			pi, pj := SwapPermutation[i], SwapPermutation[j]
			out[i+NumParams*j] = sign(i) * sign(j) * a[pi+NumParams*pj]
		}
	}
	return out
}

// Check reports whether p lies in the parameter space: finite slopes,
// σ_c > 0 and finite, 0 < π₁ < 1. arg names the argument in the error.
func (p Params) Check(arg string) error {
	for k, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf(arg, "%s is %g; must be finite", ParamNames[k], v)
		}
	}
	for _, k := range []int{Sigma1, Sigma2} {
		if !(p[k] > 0) {
			return errs.Invalidf(arg, "%s is %g; standard deviations must be positive", ParamNames[k], p[k])
		}
	}
	if !(p[Pi1] > 0 && p[Pi1] < 1) {
		return errs.Invalidf(arg, "pi1 is %g; the class probability must lie in (0, 1)", p[Pi1])
	}
	return nil
}

// ParamsFrom copies a slice of NumParams values into Params, checking the
// length and the parameter space; arg names the argument in the error.
func ParamsFrom(arg string, v []float64) (Params, error) {
	var p Params
	if len(v) != NumParams {
		return p, errs.Invalidf(arg, "has length %d, want %d (beta1, beta2, sigma1, sigma2, pi1)", len(v), NumParams)
	}
	copy(p[:], v)
	return p, p.Check(arg)
}
