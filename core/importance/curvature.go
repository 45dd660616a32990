package importance

import (
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// SigmaInv returns Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓ″(ηᵢ))) Z + diag(1/dstar), q×q
// column-major, at the linear predictor eta (offset included; the fit's
// η* = o + Xβ_pql + Zu*), with the response's family, trials, weights and
// dispersion. glmm's sampler uses the same curvature with the weights.
func SigmaInv(r *response.Response, z *sparse.CSR, eta, dstar []float64) []float64 {
	q := z.Cols
	s := make([]float64, q*q)
	for j, d := range dstar {
		s[j*q+j] = 1 / d
	}
	for i := 0; i < z.Rows; i++ {
		_, _, cw := r.LogLik(i, eta[i])
		for k1 := z.RowPtr[i]; k1 < z.RowPtr[i+1]; k1++ {
			for k2 := z.RowPtr[i]; k2 < z.RowPtr[i+1]; k2++ {
				s[z.Col[k1]*q+z.Col[k2]] += cw * z.Val[k1] * z.Val[k2]
			}
		}
	}
	return s
}
