package trust

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"gonum.org/v1/gonum/mat"
)

// subproblem holds the eigendecomposition of B and Q′g for the current
// accepted point.
type subproblem struct {
	d      int
	b      []float64 // B column-major
	g      []float64 // gradient
	lambda []float64 // eigenvalues, ascending
	vecs   *mat.Dense
	gq     []float64
	p, w   []float64
	eig    mat.EigenSym
}

func (s *subproblem) init(d int) {
	s.d = d
	s.b, s.g = make([]float64, d*d), make([]float64, d)
	s.gq, s.p, s.w, s.lambda = make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	s.vecs = mat.NewDense(d, d, nil)
}

// setModel takes the gradient and Hessian at the current point and
// decomposes the Hessian.
func (s *subproblem) setModel(grad, hess []float64) error {
	d := s.d
	copy(s.g, grad)
	copy(s.b, hess)
	sym := mat.NewSymDense(d, nil)
	for j := 0; j < d; j++ {
		for i := 0; i <= j; i++ {
			// Symmetrise: the Monte Carlo Hessian is symmetric up to rounding.
			sym.SetSym(i, j, (s.b[j*d+i]+s.b[i*d+j])/2)
		}
	}
	if !s.eig.Factorize(sym, true) {
		return errs.Numericf("hessian", "eigendecomposition failed")
	}
	s.eig.Values(s.lambda)
	s.eig.VectorsTo(s.vecs)
	for k := 0; k < d; k++ {
		var t float64
		for i := 0; i < d; i++ {
			t += s.vecs.At(i, k) * s.g[i]
		}
		s.gq[k] = t
	}
	return nil
}

// step sets p = −Q w.
func (s *subproblem) step() []float64 {
	for i := range s.p {
		var t float64
		for k, wk := range s.w {
			t += s.vecs.At(i, k) * wk
		}
		s.p[i] = -t
	}
	return s.p
}

func norm(v []float64) float64 {
	var t float64
	for _, x := range v {
		t += x * x
	}
	return math.Sqrt(t)
}

// solve returns the step for radius r and whether it is a Newton step.
func (s *subproblem) solve(r float64) ([]float64, bool) {
	if s.lambda[0] > 0 && s.newton(r) {
		return s.step(), true
	}
	// With β_k = λ_k − λ_min ≥ 0: c1 = Σ_{β_k>0} (Q′g)_k²/β_k²,
	// c2 = Σ_{β_k=0} (Q′g)_k², c3 = ‖g‖².
	lmin := s.lambda[0]
	var c1, c2, c3 float64
	for k, l := range s.lambda {
		bk := l - lmin
		g2 := s.gq[k] * s.gq[k]
		c3 += g2
		if bk == 0 {
			c2 += g2
		} else {
			c1 += g2 / (bk * bk)
		}
	}
	if c2 > 0 || c1 > r*r {
		s.shifted(s.secular(r, c2, c3))
		return s.step(), false
	}
	return s.hardCase(r), false
}

// newton sets w = Λ⁻¹Q′g and reports whether the Newton step is inside
// the radius (‖p‖ = ‖w‖: Q is orthogonal).
func (s *subproblem) newton(r float64) bool {
	for k := range s.w {
		s.w[k] = s.gq[k] / s.lambda[k]
	}
	return norm(s.w) <= r
}

// shifted sets w = (Λ − λ_min + β)⁻¹Q′g, with 0 where the shift vanishes.
func (s *subproblem) shifted(beta float64) {
	lmin := s.lambda[0]
	for k, l := range s.lambda {
		den := l - lmin + beta
		if den == 0 {
			s.w[k] = 0
		} else {
			s.w[k] = s.gq[k] / den
		}
	}
}

// secular returns the shift β ≥ 0 at which ‖w(β)‖ = r: the root of
// φ(β) = 1/‖w(β)‖ − 1/r, which is increasing, in [0, ‖g‖/r], by Newton's
// method safeguarded by bisection.
func (s *subproblem) secular(r, c2, c3 float64) float64 {
	up := math.Sqrt(c3) / r
	if v, _ := s.phi(up, r, c2); v <= 0 {
		return up
	}
	lo, hi := 0.0, up
	beta := 0.0
	if c2 > 0 {
		beta = up / 2
	}
	for it := 0; it < 200; it++ {
		v, dv := s.phi(beta, r, c2)
		if v == 0 {
			break
		}
		if v < 0 {
			lo = beta
		} else {
			hi = beta
		}
		next := beta - v/dv
		if !(next > lo && next < hi) || math.IsInf(dv, 0) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-beta) <= 1e-15*math.Max(1, beta) || hi-lo <= 1e-15*math.Max(1, hi) {
			return next
		}
		beta = next
	}
	return beta
}

// phi returns φ(β) and φ′(β); c2 > 0 makes ‖w(0)‖ infinite.
func (s *subproblem) phi(beta, r, c2 float64) (float64, float64) {
	if beta == 0 && c2 > 0 {
		return -1 / r, math.Inf(1)
	}
	lmin := s.lambda[0]
	var s2, s3 float64
	for k, l := range s.lambda {
		den := l - lmin + beta
		if den == 0 {
			continue
		}
		t := s.gq[k] / den
		s2 += t * t
		s3 += t * t / den
	}
	nw := math.Sqrt(s2)
	return 1/nw - 1/r, s3 / (nw * nw * nw)
}

// hardCase: g ⟂ the λ_min eigenspace and β = 0 leaves the step short, so a
// multiple of a unit eigenvector of λ_min completes it to the boundary.
func (s *subproblem) hardCase(r float64) []float64 {
	s.shifted(0)
	p := s.step()
	if u := r - norm(p); u > 0 {
		for i := range p {
			p[i] += u * s.vecs.At(i, 0)
		}
	}
	return p
}

// predicted returns g′p + ½p′Bp.
func (s *subproblem) predicted(p []float64) float64 {
	d := s.d
	var t float64
	for j := 0; j < d; j++ {
		var bp float64
		for i := 0; i < d; i++ {
			bp += s.b[j*d+i] * p[i]
		}
		t += p[j] * (s.g[j] + bp/2)
	}
	return t
}
