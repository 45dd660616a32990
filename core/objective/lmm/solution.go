package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
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

// Solve evaluates the model at θ and returns the solution there.
func (m *Model) Solve(theta []float64, reml bool) (*Solution, error) {
	if err := m.Evaluate(theta); err != nil {
		return nil, err
	}
	s, p, qT := m.s, m.p, m.qT
	sol := &Solution{Theta: append([]float64(nil), theta...), REML: reml, Objective: m.criterion(reml),
		PWRSS: m.r2, LogDetL: m.ldL2, LogDetRX: m.ldRX2,
		Deviance: m.criterion(false), REMLCrit: m.criterion(true)}
	df := float64(m.n)
	if reml {
		df -= float64(p)
	}
	sol.Sigma = math.Sqrt(m.r2 / df)

	// Back-substitution Lᵀ x = c over the tail without y, c = y's row of L.
	x := make([]float64, s-1)
	for i := 0; i < s-1; i++ {
		x[i] = m.d[i*s+s-1]
	}
	for i := s - 2; i >= 0; i-- {
		col := m.d[i*s : (i+1)*s]
		v := x[i]
		for r := i + 1; r < s-1; r++ {
			v -= col[r] * x[r]
		}
		x[i] = v / col[i]
	}
	sol.Beta = append([]float64(nil), x[qT:qT+p]...)

	// First term: L₁₁ᵀ u = c₁ − Wᵀ x, level by level.
	k1 := m.k1
	q1 := m.terms[0].q
	q := q1 + qT
	sol.U = make([]float64, q)
	copy(sol.U[q1:], x[:qT])
	rhs := make([]float64, k1)
	for a := 0; a < m.l1; a++ {
		lo, hi := m.colPtr[a], m.colPtr[a+1]
		for c := 0; c < k1; c++ {
			v := 0.0
			for pp := lo; pp < hi; pp++ {
				row := int(m.rows[pp])
				if row == s-1 {
					v += m.wt1[pp*k1+c]
				} else {
					v -= m.wt1[pp*k1+c] * x[row]
				}
			}
			rhs[c] = v
		}
		Lb := m.l11[a*k1*k1 : (a+1)*k1*k1]
		u := sol.U[a*k1 : (a+1)*k1]
		for c := k1 - 1; c >= 0; c-- {
			v := rhs[c]
			for r := c + 1; r < k1; r++ {
				v -= Lb[c*k1+r] * u[r]
			}
			u[c] = v / Lb[c*k1+c]
		}
	}
	sol.B = make([]float64, q)
	off := 0
	for r, t := range m.terms {
		L := m.lam[m.lamOff[r] : m.lamOff[r]+t.k*t.k]
		for l := 0; l < t.nlevels; l++ {
			u := sol.U[off+l*t.k : off+(l+1)*t.k]
			b := sol.B[off+l*t.k : off+(l+1)*t.k]
			for c := 0; c < t.k; c++ {
				v := 0.0
				for cp := 0; cp <= c; cp++ {
					v += L[cp*t.k+c] * u[cp]
				}
				b[c] = v
			}
		}
		off += t.q
	}

	// vcov(β̂) = σ² (R_X R_Xᵀ)⁻¹ with R_X the fixed-effects block of L.
	rinv := lowerInverse(m.d[qT*s+qT:], s, p)
	sol.Vcov = make([]float64, p*p)
	s2 := sol.Sigma * sol.Sigma
	for j := 0; j < p; j++ {
		for i := 0; i < p; i++ {
			v := 0.0
			for r := max(i, j); r < p; r++ {
				v += rinv[i*p+r] * rinv[j*p+r]
			}
			sol.Vcov[j*p+i] = s2 * v
		}
	}
	sol.SE = make([]float64, p)
	for i := range sol.SE {
		sol.SE[i] = math.Sqrt(sol.Vcov[i*p+i])
	}
	return sol, nil
}

// lowerInverse returns the inverse (n×n, column-major, lower) of the lower
// triangular n×n matrix at a with leading dimension lda, column by column.
func lowerInverse(a []float64, lda, n int) []float64 {
	inv := make([]float64, n*n)
	for j := 0; j < n; j++ {
		x := inv[j*n : (j+1)*n]
		x[j] = 1
		for i := j; i < n; i++ {
			xi := x[i] / a[i*lda+i]
			x[i] = xi
			if xi == 0 {
				continue
			}
			col := a[i*lda : i*lda+n]
			for r := i + 1; r < n; r++ {
				x[r] -= xi * col[r]
			}
		}
	}
	return inv
}

// CondVar returns the conditional covariance matrices of the random effects
// b given y at θ and σ (lme4's ranef(condVar = TRUE), which like
// MixedModels.jl ignores the uncertainty in β̂): for term t (model order)
// and level l, the k×k column-major block σ² Λₜ [(L_Z L_Zᵀ)⁻¹]ₗ Λₜᵀ at
// out[t][l*k*k:(l+1)*k*k]. It evaluates the model at θ first; its cost is
// dominated by inverting the dense block of the terms after the first.
func (m *Model) CondVar(theta []float64, sigma float64) ([][]float64, error) {
	if !finite(sigma) || sigma < 0 {
		return nil, errs.Invalidf("sigma", "%g is not a standard deviation", sigma)
	}
	if err := m.Evaluate(theta); err != nil {
		return nil, err
	}
	s, qT, k1 := m.s, m.qT, m.k1
	dinv := lowerInverse(m.d, s, qT) // (L_tail,Z)⁻¹, qT×qT
	// V holds the blocks of (L_Z L_Zᵀ)⁻¹ before scaling by Λ and σ².
	V := make([][]float64, len(m.terms))
	for r, t := range m.terms {
		V[r] = make([]float64, t.nlevels*t.k*t.k)
	}
	// First term, level a: columns X₁ = L₁₁⁻¹ (upper rows) and
	// Y = −D⁻¹ W X₁ (tail rows); the block is X₁ᵀX₁ + YᵀY.
	x1 := make([]float64, k1*k1)
	wx := make([]float64, k1)
	y := make([]float64, qT*k1)
	for a := 0; a < m.l1; a++ {
		Lb := m.l11[a*k1*k1 : (a+1)*k1*k1]
		inv := lowerInverse(Lb, k1, k1)
		copy(x1, inv)
		clear(y)
		for pp := m.colPtr[a]; pp < m.colPtr[a+1]; pp++ {
			row := int(m.rows[pp])
			if row >= qT {
				break // rows are sorted: X and y follow
			}
			for c := 0; c < k1; c++ { // (W X₁)[row, c]
				v := 0.0
				for r := c; r < k1; r++ {
					v += m.wt1[pp*k1+r] * x1[c*k1+r]
				}
				wx[c] = v
			}
			col := dinv[row*qT : (row+1)*qT]
			for c := 0; c < k1; c++ {
				f := wx[c]
				yc := y[c*qT : (c+1)*qT]
				for i := row; i < qT; i++ {
					yc[i] -= f * col[i]
				}
			}
		}
		blk := V[0][a*k1*k1 : (a+1)*k1*k1]
		for j := 0; j < k1; j++ {
			for i := 0; i < k1; i++ {
				v := 0.0
				for r := 0; r < k1; r++ {
					v += x1[i*k1+r] * x1[j*k1+r]
				}
				yi, yj := y[i*qT:(i+1)*qT], y[j*qT:(j+1)*qT]
				for r := range yi {
					v += yi[r] * yj[r]
				}
				blk[j*k1+i] = v
			}
		}
	}
	// Later terms: the Gram matrix of D⁻¹'s columns of each level.
	for r := 1; r < len(m.terms); r++ {
		t := m.terms[r]
		for l := 0; l < t.nlevels; l++ {
			g := t.tail + l*t.k
			blk := V[r][l*t.k*t.k : (l+1)*t.k*t.k]
			for j := 0; j < t.k; j++ {
				for i := 0; i < t.k; i++ {
					ci, cj := dinv[(g+i)*qT:(g+i+1)*qT], dinv[(g+j)*qT:(g+j+1)*qT]
					v := 0.0
					for rr := g + max(i, j); rr < qT; rr++ {
						v += ci[rr] * cj[rr]
					}
					blk[j*t.k+i] = v
				}
			}
		}
	}
	// Scale: σ² Λ V Λᵀ.
	s2 := sigma * sigma
	for r, t := range m.terms {
		k := t.k
		L := m.lam[m.lamOff[r] : m.lamOff[r]+k*k]
		tmp := make([]float64, k*k)
		for l := 0; l < t.nlevels; l++ {
			blk := V[r][l*k*k : (l+1)*k*k]
			for j := 0; j < k; j++ { // tmp = V Λᵀ
				for i := 0; i < k; i++ {
					v := 0.0
					for c := 0; c <= j; c++ {
						v += blk[c*k+i] * L[c*k+j]
					}
					tmp[j*k+i] = v
				}
			}
			for j := 0; j < k; j++ { // blk = σ² Λ tmp
				for i := 0; i < k; i++ {
					v := 0.0
					for c := 0; c <= i; c++ {
						v += L[c*k+i] * tmp[j*k+c]
					}
					blk[j*k+i] = s2 * v
				}
			}
		}
	}
	return V, nil
}
