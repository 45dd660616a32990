package lmm

import (
	"sort"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/sparse/cholesky"
)

// selectedInverse holds the entries of Z = A⁻¹ = (L_Z·L_Zᵀ)⁻¹, A = Λ′Z′WZΛ + I,
// that the gradient needs: those on the pattern of A — every pair of
// random effects that share an observation. By the blocks of the factor
// (Takahashi, Fagan and Chin 1973, "Formation of a sparse bus impedance
// matrix and its application to short circuit study"; the recurrences of
// core/sparse/cholesky written for the blocked factor):
//
//	Z₂₂ = (L₂₂L₂₂′)⁻¹ on the later terms' rows (dense, or selected on the sparse pattern)
//	Z₂₁[:, a] = −Z₂₂·W_a,  W_a = L₂₁[:, a]·L₁₁,a⁻¹  (rows: level a's pattern, a clique of L₂₂)
//	Z₁₁,a = L₁₁,a⁻ᵀL₁₁,a⁻¹ − W_a′·Z₂₁[:, a]
type selectedInverse struct {
	z11 []float64 // first term: one k×k block per level
	z21 []float64 // Z₂₁ on L₂₁'s pattern: k values per position of off.rows (term rows only)
	// the trailing block: dense (z22, qT×qT) or sparse (sym, sp)
	z22 []float64
	sym *cholesky.Symbolic
	sp  []float64
	qT  int
	// the dense case's scratch: L₂₂⁻¹ on the term rows and its transpose
	linv, linvT []float64
	mul         dense.Multiplier
	inverter    lowerInverter
	x1          []float64 // scratch k×k
	w           []float64 // scratch: W_a, k values per row
}

// tailEntry returns Z₂₂[i, j].
func (z *selectedInverse) tailEntry(i, j int) float64 {
	if z.z22 != nil {
		return z.z22[min(i, j)*z.qT+max(i, j)]
	}
	return z.sym.Entry(z.sp, max(i, j), min(i, j))
}

// selectedInverse computes Z's needed entries from the current factor
// (L₂₁ set).
func (m *Model) selectedInverse() *selectedInverse {
	z := m.inv
	if z == nil {
		k := m.first.k
		z = &selectedInverse{z11: make([]float64, len(m.first.f)), z21: make([]float64, len(m.off.rows)*k),
			qT: m.rows.qT, x1: make([]float64, k*k)}
		m.inv = z
	}
	switch t := m.tail.(type) {
	case *denseTail:
		z.denseTail(t)
	case *sparseTail:
		z.sym, z.sp = t.sym, t.fac.SelectedInverse()
	}
	for a := 0; a < m.first.l; a++ {
		m.selectedInverseFirst(z, a)
	}
	return z
}

// denseTail sets Z₂₂ = L₂₂⁻ᵀL₂₂⁻¹ on the term rows: the triangular inverse
// X = L₂₂⁻¹ (lowerInverter), then Z's lower triangle by block columns with
// the product kernel of core/dense: Z[j₀:, J] = X[j₀:, j₀:]ᵀ·X[j₀:, J], the
// rows above j₀ of X's block column being zero (a third of the full
// product's flops). tailEntry reads the lower triangle only.
func (z *selectedInverse) denseTail(t *denseTail) {
	qT := z.qT
	if z.z22 == nil {
		z.z22, z.linv, z.linvT = make([]float64, qT*qT), make([]float64, qT*qT), make([]float64, qT*qT)
	}
	z.inverter.invert(z.linv, t.f, t.s, qT)
	for c := 0; c < qT; c++ {
		for r := c; r < qT; r++ {
			z.linvT[r*qT+c] = z.linv[c*qT+r]
		}
	}
	const nb = 128
	for j0 := 0; j0 < qT; j0 += nb {
		nc, m := min(nb, qT-j0), qT-j0
		off := j0*qT + j0
		z.mul.MulABt(m, nc, m, z.linvT[off:], qT, z.linvT[off:], qT, z.z22[off:], qT)
	}
}

// selectedInverseFirst sets Z₂₁[:, a] and Z₁₁,a for level a of the first term.
func (m *Model) selectedInverseFirst(z *selectedInverse, a int) {
	k, qT := m.first.k, m.rows.qT
	lo, hi := m.off.colPtr[a], m.off.colPtr[a+1]
	for hi > lo && int(m.off.rows[hi-1]) >= qT {
		hi-- // rows are sorted: X and y last
	}
	nr := hi - lo
	dense.LowerInverse(z.x1, m.first.level(a), k, k)
	z.w = z.w[:0]
	for pp := lo; pp < hi; pp++ {
		z.w = append(z.w, m.off.w[pp*k:(pp+1)*k]...)
		dense.LowerTMulVec(z.x1, k, z.w[len(z.w)-k:], 1) // (L₂₁[row, a]·X₁)′
	}
	for i := 0; i < nr; i++ {
		zi := z.z21[(lo+i)*k : (lo+i+1)*k]
		clear(zi)
		ri := int(m.off.rows[lo+i])
		for j := 0; j < nr; j++ {
			v := z.tailEntry(ri, int(m.off.rows[lo+j]))
			for c := 0; c < k; c++ {
				zi[c] -= v * z.w[j*k+c]
			}
		}
	}
	blk := z.z11[a*k*k : (a+1)*k*k]
	crossprodTwo(blk, z.x1, nil, k, 0)
	for i := 0; i < nr; i++ {
		zi := z.z21[(lo+i)*k : (lo+i+1)*k]
		for c2 := 0; c2 < k; c2++ {
			for c1 := 0; c1 < k; c1++ {
				blk[c2*k+c1] -= z.w[i*k+c1] * zi[c2]
			}
		}
	}
}

// offPosition returns the position in off.rows of trailing row row within
// level a's column.
func (m *Model) offPosition(a, row int) int {
	lo, hi := m.off.colPtr[a], m.off.colPtr[a+1]
	rs := m.off.rows[lo:hi]
	return lo + sort.Search(len(rs), func(i int) bool { return int(rs[i]) >= row })
}
