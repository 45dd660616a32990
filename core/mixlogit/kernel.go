package mixlogit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/fastmath"
)

// The inner loops over one subject's occasions. Each occasion costs one
// exponential, e = e^{−|η|}, from which p = logit⁻¹(η), p(1 − p) = e/(1+e)²
// and the softplus log(1 + e^η) = max(η, 0) + log(1 + e) follow; the logs
// are summed as the log of a product of factors in [1, 2], taken once per
// productSpan occasions (2^512 cannot overflow), so a subject costs one log
// instead of T.
const productSpan = 512

// softplusSum returns Σ_j log(1 + e^{βx_j + z}).
func softplusSum(beta, z float64, x []float64) float64 {
	var lin float64
	prod := 1.0
	for j, xj := range x {
		eta := beta*xj + z
		lin += math.Max(eta, 0)
		prod *= 1 + fastmath.Exp(-math.Abs(eta))
		if (j+1)%productSpan == 0 {
			lin += math.Log(prod)
			prod = 1
		}
	}
	return lin + math.Log(prod)
}

// modeSums returns Σ_j p_j and Σ_j p_j(1 − p_j), the derivatives in z of
// the softplus sum.
func modeSums(beta, z float64, x []float64) (sp, spq float64) {
	for _, xj := range x {
		eta := beta*xj + z
		e := fastmath.Exp(-math.Abs(eta))
		inv := 1 / (1 + e)
		p := inv
		if eta < 0 {
			p = e * inv
		}
		sp += p
		spq += e * inv * inv
	}
	return sp, spq
}

// nodeSums returns Σ_j softplus(η_j), Σ_j p_j x_j and Σ_j p_j(1−p_j) x_j²
// for η_j = βx_j + z: the value and the β-derivatives of h_i.
func nodeSums(beta, z float64, x []float64) (sp, spx, spqxx float64) {
	prod := 1.0
	for j, xj := range x {
		eta := beta*xj + z
		e := fastmath.Exp(-math.Abs(eta))
		s := 1 + e
		inv := 1 / s
		p := inv
		if eta < 0 {
			p = e * inv
		}
		sp += math.Max(eta, 0)
		prod *= s
		if (j+1)%productSpan == 0 {
			sp += math.Log(prod)
			prod = 1
		}
		spx += p * xj
		spqxx += e * inv * inv * xj * xj
	}
	return sp + math.Log(prod), spx, spqxx
}
