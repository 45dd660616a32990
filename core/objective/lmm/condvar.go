package lmm

import (
	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/sparse/cholesky"
)

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
	if !m.l21 {
		m.updateL21()
	}
	// V holds the blocks of (L_Z L_Zᵀ)⁻¹ before scaling by Λ and σ².
	V := make([][]float64, len(m.terms))
	for r, t := range m.terms {
		V[r] = make([]float64, t.nlevels*t.k*t.k)
	}
	switch t := m.tail.(type) {
	case *denseTail:
		qT := m.rows.qT
		dinv := make([]float64, qT*qT) // the inverse of L₂₂'s term rows
		dense.LowerInverse(dinv, t.f, t.s, qT)
		m.condVarFirst(V[0], dinv)
		for r := 1; r < len(m.terms); r++ {
			m.condVarLater(r, V[r], dinv)
		}
	case *sparseTail:
		z := t.fac.SelectedInverse()
		m.condVarFirstSparse(V[0], t.sym, z)
		for r := 1; r < len(m.terms); r++ {
			m.condVarLaterSparse(r, V[r], t.sym, z)
		}
	}
	for r := range m.terms {
		m.scaleCondVar(r, V[r], sigma)
	}
	return V, nil
}

// condVarFirst sets the first term's blocks of (L_Z L_Zᵀ)⁻¹: for level a,
// the columns of L_Z⁻ᵀ… are X₁ = L₁₁⁻¹ (the level's own rows) and
// Y = −L₂₂⁻¹·L₂₁·X₁ (the trailing term rows), and the block is X₁′X₁ + Y′Y.
func (m *Model) condVarFirst(V, dinv []float64) {
	k, qT := m.first.k, m.rows.qT
	x1 := make([]float64, k*k)
	wx := make([]float64, k)
	y := make([]float64, qT*k)
	for a := 0; a < m.first.l; a++ {
		dense.LowerInverse(x1, m.first.level(a), k, k)
		clear(y)
		for pp := m.off.colPtr[a]; pp < m.off.colPtr[a+1]; pp++ {
			row := int(m.off.rows[pp])
			if row >= qT {
				break // rows are sorted: X and y follow
			}
			copy(wx, m.off.w[pp*k:(pp+1)*k]) // (L₂₁·X₁)[row, :]
			dense.LowerTMulVec(x1, k, wx, 1)
			col := dinv[row*qT : (row+1)*qT]
			for c, f := range wx {
				yc := y[c*qT : (c+1)*qT]
				for i := row; i < qT; i++ {
					yc[i] -= f * col[i]
				}
			}
		}
		crossprodTwo(V[a*k*k:(a+1)*k*k], x1, y, k, qT)
	}
}

// crossprodTwo sets blk (k×k) = X′X + Y′Y for the k×k X and the qT×k Y.
func crossprodTwo(blk, x, y []float64, k, qT int) {
	for j := 0; j < k; j++ {
		for i := 0; i < k; i++ {
			v := 0.0
			for r := 0; r < k; r++ {
				v += x[i*k+r] * x[j*k+r]
			}
			yi, yj := y[i*qT:(i+1)*qT], y[j*qT:(j+1)*qT]
			for r := range yi {
				v += yi[r] * yj[r]
			}
			blk[j*k+i] = v
		}
	}
}

// condVarLater sets term r's blocks (a term after the first): the Gram
// matrices of L₂₂⁻¹'s columns of each level.
func (m *Model) condVarLater(r int, V, dinv []float64) {
	t, qT := m.terms[r], m.rows.qT
	for l := 0; l < t.nlevels; l++ {
		g := m.rows.levelRow(r, l)
		blk := V[l*t.k*t.k : (l+1)*t.k*t.k]
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

// scaleCondVar scales term r's blocks to σ²·Λ·V·Λ′.
func (m *Model) scaleCondVar(r int, V []float64, sigma float64) {
	k := m.terms[r].k
	L := m.lam.template(r)
	work := make([]float64, k*k)
	s2 := sigma * sigma
	for l := 0; l < m.terms[r].nlevels; l++ {
		blk := V[l*k*k : (l+1)*k*k]
		dense.CongruenceT(blk, blk, L, work, k)
		for i := range blk {
			blk[i] *= s2
		}
	}
}

// condVarFirstSparse is condVarFirst from Z = (L₂₂L₂₂′)⁻¹ on the pattern of
// the sparse trailing factor: for level a, with W = L₂₁[:, a]·X₁ on the
// level's term rows (a clique of the trailing block, so Z holds every pair
// of them), the block is X₁′X₁ + W′·Z·W.
func (m *Model) condVarFirstSparse(V []float64, sym *cholesky.Symbolic, z []float64) {
	k, qT := m.first.k, m.rows.qT
	x1 := make([]float64, k*k)
	var rows []int
	var w []float64 // k values per row
	for a := 0; a < m.first.l; a++ {
		dense.LowerInverse(x1, m.first.level(a), k, k)
		rows, w = rows[:0], w[:0]
		for pp := m.off.colPtr[a]; pp < m.off.colPtr[a+1]; pp++ {
			row := int(m.off.rows[pp])
			if row >= qT {
				break // rows are sorted: X and y follow
			}
			rows = append(rows, row)
			w = append(w, m.off.w[pp*k:(pp+1)*k]...)
			dense.LowerTMulVec(x1, k, w[len(w)-k:], 1)
		}
		blk := V[a*k*k : (a+1)*k*k]
		crossprodTwo(blk, x1, nil, k, 0)
		for i, ri := range rows {
			for j, rj := range rows {
				zij := sym.Entry(z, max(ri, rj), min(ri, rj))
				for c2 := 0; c2 < k; c2++ {
					for c1 := 0; c1 < k; c1++ {
						blk[c2*k+c1] += w[i*k+c1] * zij * w[j*k+c2]
					}
				}
			}
		}
	}
}

// condVarLaterSparse sets term r's blocks from Z's diagonal blocks.
func (m *Model) condVarLaterSparse(r int, V []float64, sym *cholesky.Symbolic, z []float64) {
	t := m.terms[r]
	for l := 0; l < t.nlevels; l++ {
		g := m.rows.levelRow(r, l)
		blk := V[l*t.k*t.k : (l+1)*t.k*t.k]
		for j := 0; j < t.k; j++ {
			for i := 0; i < t.k; i++ {
				blk[j*t.k+i] = sym.Entry(z, g+max(i, j), g+min(i, j))
			}
		}
	}
}
