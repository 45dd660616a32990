package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
)

// Solution holds the estimates at one θ: the conditional estimates of β and
// σ given θ, their covariance, and the conditional modes of the random
// effects (lme4's getME/fixef/vcov/ranef at that θ).
type Solution struct {
	Theta     []float64 // θ, model order
	REML      bool
	Objective float64   // REML criterion if REML, else ML deviance
	Deviance  float64   // ML deviance at θ
	REMLCrit  float64   // REML criterion at θ
	Beta      []float64 // β̂ for the kept columns of X
	SE        []float64 // standard errors of β̂
	Vcov      []float64 // p×p covariance of β̂, column-major
	Sigma     float64   // σ̂: √(r²/n) for ML, √(r²/(n−p)) for REML
	PWRSS     float64   // r², the penalised weighted residual sum of squares
	LogDetL   float64   // log|L_Z|²
	LogDetRX  float64   // log|R_X|²
	U         []float64 // spherical modes ũ: term by term (model order), level by level, k values each
	B         []float64 // b̃ = Λũ, same layout
}

// Solve evaluates the model at θ and returns the solution there: the
// factor's last column solved backwards gives β̂ and the later terms'
// modes, and the first term's follow level by level.
func (m *Model) Solve(theta []float64, reml bool) (*Solution, error) {
	if err := m.Evaluate(theta); err != nil {
		return nil, err
	}
	if !m.l21 {
		m.updateL21()
	}
	sol := m.criteria(theta, reml)
	x := m.tail.solveT()
	qT := m.rows.qT
	sol.Beta = append([]float64(nil), x[qT:qT+m.p]...)
	sol.U = m.modes(x)
	sol.B = make([]float64, len(sol.U))
	m.lam.mulModes(sol.B, sol.U, m.terms)
	sol.Vcov, sol.SE = m.vcov(sol.Sigma)
	return sol, nil
}

// criteria returns a Solution with the criteria and σ̂ of the current
// factor.
func (m *Model) criteria(theta []float64, reml bool) *Solution {
	sol := &Solution{Theta: append([]float64(nil), theta...), REML: reml, Objective: m.criterion(reml),
		PWRSS: m.r2, LogDetL: m.ldL2, LogDetRX: m.ldRX2,
		Deviance: m.criterion(false), REMLCrit: m.criterion(true)}
	df := float64(m.n)
	if reml {
		df -= float64(m.p)
	}
	sol.Sigma = math.Sqrt(m.r2 / df)
	return sol
}

// modes returns ũ from x, the solution over the trailing rows before y
// (factor order): the later terms' modes are x's first qT elements, put
// back term by term, level by level; the first term's solve
// L₁₁′u_a = c_a − L₂₁[:,a]′x level by level (c_a: y's row of L₂₁).
func (m *Model) modes(x []float64) []float64 {
	u := make([]float64, m.terms[0].q+m.rows.qT)
	m.modesInto(x, u)
	return u
}

// modesInto is modes into u.
func (m *Model) modesInto(x, u []float64) {
	k := m.first.k
	q1 := m.terms[0].q
	for r := 1; r < len(m.terms); r++ {
		t := m.terms[r]
		for l := 0; l < t.nlevels; l++ {
			g := m.rows.levelRow(r, l)
			copy(u[q1+t.tail+l*t.k:q1+t.tail+(l+1)*t.k], x[g:g+t.k])
		}
	}
	for a := 0; a < m.first.l; a++ {
		ua := u[a*k : (a+1)*k]
		m.off.residualRHS(a, x, m.rows.s-1, ua)
		dense.LowerTSolve(m.first.level(a), k, ua)
	}
}

// residualRHS sets v = c − L₂₁[:,a]′x for level a, where c is the row yRow
// (y's) of L₂₁ and x holds the solution at the other trailing rows.
func (b *offBlock) residualRHS(a int, x []float64, yRow int, v []float64) {
	k := b.k
	lo, hi := b.colPtr[a], b.colPtr[a+1]
	for c := 0; c < k; c++ {
		s := 0.0
		for pp := lo; pp < hi; pp++ {
			row := int(b.rows[pp])
			if row == yRow {
				s += b.w[pp*k+c]
			} else {
				s -= b.w[pp*k+c] * x[row]
			}
		}
		v[c] = s
	}
}

// vcov returns σ²·(R_X·R_X′)⁻¹, the covariance of β̂ (R_X the fixed-effects
// block of the factor), and the standard errors.
func (m *Model) vcov(sigma float64) (vcov, se []float64) {
	p := m.p
	rinv := make([]float64, p*p)
	rx, ld := m.tail.fixedBlock()
	dense.LowerInverse(rinv, rx, ld, p)
	vcov = make([]float64, p*p)
	dense.LowerCrossprod(vcov, rinv, p)
	s2 := sigma * sigma
	for i := range vcov {
		vcov[i] *= s2
	}
	se = make([]float64, p)
	for i := range se {
		se[i] = math.Sqrt(vcov[i*p+i])
	}
	return vcov, se
}
