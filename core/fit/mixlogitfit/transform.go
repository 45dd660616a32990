package mixlogitfit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The quadrature fit works on ψ = (β₁, β₂, log σ₁, log σ₂, logit π₁), on
// which the parameter space is all of R⁵. These convert points and
// derivatives between ψ and Ω.

func toPsi(p mixlogit.Params) []float64 {
	return []float64{p[mixlogit.Beta1], p[mixlogit.Beta2],
		math.Log(p[mixlogit.Sigma1]), math.Log(p[mixlogit.Sigma2]),
		math.Log(p[mixlogit.Pi1] / (1 - p[mixlogit.Pi1]))}
}

// fromPsi maps ψ to Ω; a ψ whose image is not a valid Ω in floating point
// (σ overflowing or underflowing, π₁ rounding to 0 or 1) is a Domain error.
func fromPsi(psi []float64) (mixlogit.Params, error) {
	p := mixlogit.Params{psi[0], psi[1], math.Exp(psi[2]), math.Exp(psi[3]), 1 / (1 + math.Exp(-psi[4]))}
	if err := p.Check("par"); err != nil {
		return p, errs.Domainf("par", "%v", err)
	}
	return p, nil
}

// jacobian returns dΩ/dψ (diagonal) and d²Ω/dψ² (diagonal) at Ω = p.
func jacobian(p mixlogit.Params) (d1, d2 [P]float64) {
	d1 = [P]float64{1, 1, p[mixlogit.Sigma1], p[mixlogit.Sigma2], p[mixlogit.Pi1] * (1 - p[mixlogit.Pi1])}
	d2 = [P]float64{0, 0, p[mixlogit.Sigma1], p[mixlogit.Sigma2], d1[4] * (1 - 2*p[mixlogit.Pi1])}
	return d1, d2
}

// chainRule turns the gradient g and Hessian h in Ω into those in ψ, in
// place: ∂/∂ψ_a = Ω′_a ∂/∂Ω_a and ∂²/∂ψ_a∂ψ_b = Ω′_a Ω′_b ∂²/∂Ω_a∂Ω_b +
// δ_ab Ω″_a ∂/∂Ω_a (the map is coordinatewise).
func chainRule(p mixlogit.Params, g, h []float64) {
	d1, d2 := jacobian(p)
	for b := range P {
		for a := range P {
			h[a+P*b] *= d1[a] * d1[b]
		}
		h[b+P*b] += d2[b] * g[b]
	}
	for a := range P {
		g[a] *= d1[a]
	}
}
