package mixlogit

import (
	"math"
	"math/rand/v2"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Simulate draws responses from the model with parameters p for the
// covariate x (column-major n×T, as in Data), using the stream seeded by
// seed: for each subject in turn its class (class 1 with probability π₁),
// its random intercept z ~ N(0, σ_c²) and its T responses. It returns the
// data and each subject's class (0 for class 1, 1 for class 2).
func Simulate(p Params, n, t int, x []float64, seed uint64) (Data, []int, error) {
	if err := p.Check("par"); err != nil {
		return Data{}, nil, err
	}
	if n < 1 || t < 1 || n > math.MaxInt/t || len(x) != n*t {
		return Data{}, nil, errs.Invalidf("x", "has length %d, want n*T with n = %d, T = %d positive", len(x), n, t)
	}
	r := rand.New(rand.NewPCG(seed, 0x6d69786c6f676974)) // "mixlogit"
	d := Data{N: n, T: t, Y: make([]float64, n*t), X: append([]float64(nil), x...)}
	class := make([]int, n)
	for i := range n {
		c := 1
		if r.Float64() < p[Pi1] {
			c = 0
		}
		class[i] = c
		z := p.Sigma(c) * r.NormFloat64()
		for j := range t {
			eta := p.Beta(c)*x[i+n*j] + z
			if r.Float64() < 1/(1+math.Exp(-eta)) {
				d.Y[i+n*j] = 1
			}
		}
	}
	return d, class, nil
}

// NormalCovariate draws an n×T covariate with independent N(0, 1) entries
// (column-major), as Wang's course project does; nil if n or T is not
// positive or n·T overflows.
func NormalCovariate(n, t int, seed uint64) []float64 {
	if n < 1 || t < 1 || n > math.MaxInt/t {
		return nil
	}
	r := rand.New(rand.NewPCG(seed, 0x636f76617269)) // "covari"
	x := make([]float64, n*t)
	for k := range x {
		x[k] = r.NormFloat64()
	}
	return x
}
