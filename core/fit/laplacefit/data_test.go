package laplacefit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/response"
)

// singularData is 40 groups of 5 Bernoulli responses with the same
// pattern (2 of 5 are 1) in every group: no group effect, θ̂ = 0, β̂ =
// logit(0.4).
func singularData() (float64, laplace.Data) {
	const g, per = 40, 5
	n := g * per
	y, x, z := make([]float64, n), make([]float64, n), make([]float64, n)
	codes := make([]int, n)
	for i := range y {
		y[i] = float64(i % per % 2)
		x[i], z[i] = 1, 1
		codes[i] = i / per
	}
	return math.Log(2.0 / 3.0), laplace.Data{Response: response.Response{Family: family.Bernoulli, Y: y}, X: x, P: 1,
		Terms: []lmm.Term{{Name: "g", Codes: codes, NLevels: g, K: 1, Z: z}}}
}
