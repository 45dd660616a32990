package laplace

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"gonum.org/v1/gonum/integrate/quad"
)

// MaxAGQ is the largest number of quadrature nodes, lme4's limit.
const MaxAGQ = 25

// levelIndex lists the observations by level of the one scalar term:
// level j's are obs[start[j]:start[j+1]], increasing.
type levelIndex struct {
	start []int
	obs   []int
}

func newLevelIndex(codes []int32, nl int) *levelIndex {
	ix := &levelIndex{start: make([]int, nl+1), obs: make([]int, len(codes))}
	for _, c := range codes {
		ix.start[c+1]++
	}
	for j := 0; j < nl; j++ {
		ix.start[j+1] += ix.start[j]
	}
	next := append([]int(nil), ix.start[:nl]...)
	for i, c := range codes {
		ix.obs[next[c]] = i
		next[c]++
	}
	return ix
}

// HermiteRule returns the n-point Gauss–Hermite rule for the weight
// e^{−x²/2}: nodes x_k and weights ω_k with Σ ω_k f(x_k) = ∫ f(x) e^{−x²/2} dx
// for polynomials f of degree < 2n. It rescales gonum's rule for e^{−x²}
// (x = √2·t, ω = √2·w).
func HermiteRule(n int) (x, w []float64) {
	x, w = make([]float64, n), make([]float64, n)
	quad.Hermite{}.FixedLocations(x, w, math.Inf(-1), math.Inf(1))
	for k := range x {
		x[k] *= math.Sqrt2
		w[k] *= math.Sqrt2
	}
	return x, w
}

// CanAGQ reports whether the model has the one scalar random-effects term
// adaptive Gauss–Hermite quadrature needs.
func (m *Model) CanAGQ() bool { return m.byLvl != nil }

// AGQ returns −2 log L(θ, β) by adaptive Gauss–Hermite quadrature with
// nAGQ nodes per level, centred at the conditional mode with spread
// 1/L_jj (the Laplace factor's diagonal). nAGQ = 1 is Laplace. The model
// must have a single scalar term (CanAGQ).
func (m *Model) AGQ(theta, beta []float64, nAGQ int) (float64, error) {
	if nAGQ < 1 || nAGQ > MaxAGQ {
		return math.NaN(), errs.Invalidf("nAGQ", "is %d; use 1 (Laplace) to %d nodes", nAGQ, MaxAGQ)
	}
	if nAGQ > 1 && !m.CanAGQ() {
		return math.NaN(), errs.Invalidf("nAGQ", "is %d; adaptive Gauss-Hermite quadrature needs a single scalar random-effects term, the model has %d terms (the first with %d columns)", nAGQ, len(m.terms), m.terms[0].k)
	}
	if nAGQ == 1 {
		return m.Laplace(theta, beta)
	}
	if err := m.modeAt(theta, beta); err != nil {
		return math.NaN(), err
	}
	x, w := HermiteRule(nAGQ)
	var total float64
	for j := 0; j < m.terms[0].nlevels; j++ {
		total += m.agqLevel(j, theta[0], x, w)
	}
	return -2*total - 2*m.logConst, nil
}

// agqLevel returns log L_j (without constants) of level j by the rule
// (x, w) at the slow fit's mode, for the one scalar term with template λ.
func (m *Model) agqLevel(j int, lam float64, x, w []float64) float64 {
	ws, t, ix := &m.ws, &m.terms[0], m.byLvl
	obs := ix.obs[ix.start[j]:ix.start[j+1]]
	var c float64 // Σ Wᵢzᵢ² of the level
	for _, i := range obs {
		c += ws.wt[i] * t.z[i] * t.z[i]
	}
	ljj := math.Sqrt(1 + lam*lam*c) // the Laplace factor's diagonal
	return m.levelIntegral(obs, m.slow.u[j], ljj, lam, x, w) - math.Log(ljj) - 0.5*math.Log(2*math.Pi)
}

// levelIntegral returns log Σ_k ω_k exp(g(ũ + x_k/L) + x_k²/2) for one
// level, g(u) = Σ_{i∈level} wᵢℓᵢ(ηᵢ(u)) − u²/2 and ηᵢ(u) = η̃ᵢ +
// λzᵢ(u − ũ), shifted by g(ũ) so that the exponentials stay in range.
func (m *Model) levelIntegral(obs []int, mode, ljj, lam float64, x, w []float64) float64 {
	ws, t := &m.ws, &m.terms[0]
	g := func(u float64) float64 {
		v := -u * u / 2
		for _, i := range obs {
			l, _, _ := m.point(i, ws.eta[i]+lam*t.z[i]*(u-mode))
			v += l
		}
		return v
	}
	g0 := g(mode)
	var sum float64
	for k, xk := range x {
		sum += w[k] * math.Exp(g(mode+xk/ljj)+xk*xk/2-g0)
	}
	return g0 + math.Log(sum)
}
