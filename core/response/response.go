// Package response is the response side of a GLMM: the family and its
// link, the observations y, the binomial trials N, prior weights w, an offset o in the
// linear predictor and the negative binomial dispersion r — everything about
// the data except the design matrices — with its checks as named functions
// and its per-observation log-likelihood.
//
// With linear predictor ηᵢ = oᵢ + (Xβ)ᵢ + (Zu)ᵢ, the log-likelihood is
//
//	ℓ(η) = Σᵢ wᵢ ℓᵢ(ηᵢ),   ℓᵢ(η) = yᵢη − c(η; Nᵢ)   (exponential families)
//
// without the constants that depend on y alone (glmm omits them; LogConst
// returns them), and for the negative binomial with log link and known size
// r, ℓᵢ(η) = yᵢη − (yᵢ + r)·log(1 + e^η/r) (package family). The MCLA
// objective, PIRLS/PQL and the importance density's curvature
// Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓᵢ″)) Z + D⁻¹ all read the response through this type,
// with the family's default link (LogLik). The Laplace engine reads it with
// any link of the family (At: probit and cloglog for binary responses).
package response

import "github.com/glmmgo/glmmgo/core/family"

// Response is the response of a GLMM. Slices are the caller's; a consumer
// that keeps them copies them (see Copy).
type Response struct {
	Family     family.Code
	Y          []float64   // length n
	Trials     []float64   // length n, or nil for all ones (binomial only)
	Weights    []float64   // length n, or nil for all ones
	Offset     []float64   // length n, or nil for all zeros
	Dispersion float64     // negative binomial size r > 0; 0 for the other families
	Link       family.Link // family.DefaultLink (0): logit for binary responses, log for counts
}

// N is the number of observations.
func (r *Response) N() int { return len(r.Y) }

// Trial is Nᵢ (1 when Trials is nil).
func (r *Response) Trial(i int) float64 {
	if r.Trials == nil {
		return 1
	}
	return r.Trials[i]
}

// Weight is wᵢ (1 when Weights is nil).
func (r *Response) Weight(i int) float64 {
	if r.Weights == nil {
		return 1
	}
	return r.Weights[i]
}

// OffsetAt is oᵢ (0 when Offset is nil).
func (r *Response) OffsetAt(i int) float64 {
	if r.Offset == nil {
		return 0
	}
	return r.Offset[i]
}

// LogLik returns, for observation i at linear predictor η (offset
// included), the weighted log-likelihood wᵢℓᵢ(η) without its constant, its
// derivative wᵢℓᵢ′(η) and the weighted curvature wᵢ·(−ℓᵢ″(η)) ≥ 0 (the
// working weight). An observation with weight 0 contributes 0 to all three,
// whatever η.
func (r *Response) LogLik(i int, eta float64) (l, d1, w float64) {
	wi := r.Weight(i)
	if wi == 0 {
		return 0, 0, 0
	}
	l, d1, w = r.Family.LogLik(r.Y[i], eta, r.Trial(i), r.Dispersion)
	return wi * l, wi * d1, wi * w
}

// At returns observation i at linear predictor η (offset included) under
// the response's link: wᵢℓᵢ(η) without its constant, its derivative
// wᵢℓᵢ′(η), the weighted Fisher information wᵢ·E[−ℓᵢ″(η)] (package family)
// and the mean E yᵢ (not weighted). An observation with weight 0
// contributes 0 to the first three.
func (r *Response) At(i int, eta float64) family.Point {
	pt := r.Family.At(r.Link, r.Y[i], eta, r.Trial(i), r.Dispersion)
	wi := r.Weight(i)
	if wi != 1 {
		if wi == 0 {
			return family.Point{Mean: pt.Mean}
		}
		pt.LogLik, pt.Score, pt.Fisher = wi*pt.LogLik, wi*pt.Score, wi*pt.Fisher
	}
	return pt
}

// Saturated is Σᵢ wᵢ·ℓᵢ at the saturated fit (each mean equal to yᵢ),
// without LogLik's constants: the deviance of a fit is 2·(Saturated −
// Σᵢ wᵢℓᵢ), and Saturated + LogConst is the saturated log-likelihood.
func (r *Response) Saturated() float64 {
	var s float64
	for i, y := range r.Y {
		if wi := r.Weight(i); wi != 0 {
			s += wi * r.Family.Saturated(y, r.Trial(i), r.Dispersion)
		}
	}
	return s
}

// LogConst is Σᵢ wᵢ·(the constant LogLik omits): log C(Nᵢ, yᵢ) for the
// binomial, −log yᵢ! for Poisson, log Γ(yᵢ+r) − log Γ(r) − log yᵢ! − yᵢ log r
// for the negative binomial (which depends on r), 0 for Bernoulli.
func (r *Response) LogConst() float64 {
	var c float64
	for i, y := range r.Y {
		var k float64
		if r.Family == family.NegBinomial {
			k = family.LogConstNB(y, r.Dispersion)
		} else {
			k = r.Family.LogConst(y, r.Trial(i))
		}
		c += r.Weight(i) * k
	}
	return c
}

// Copy returns a deep copy of r.
func (r *Response) Copy() Response {
	c := *r
	c.Y = clone(r.Y)
	c.Trials, c.Weights, c.Offset = clone(r.Trials), clone(r.Weights), clone(r.Offset)
	return c
}

func clone(v []float64) []float64 {
	if v == nil {
		return nil
	}
	return append([]float64(nil), v...)
}
