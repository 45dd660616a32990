package lmm

import "github.com/glmmgo/glmmgo/core/dense"

// lowerInverter inverts a dense lower-triangular matrix by halves, the
// off-diagonal block by the blocked product kernel of core/dense:
//
//	[L₁₁    ]⁻¹   [X₁₁          ]
//	[L₂₁ L₂₂]   = [−X₂₂L₂₁X₁₁ X₂₂],  X₁₁ = L₁₁⁻¹, X₂₂ = L₂₂⁻¹,
//
// blocks of at most lowerInvLeaf columns by the plain loops of
// dense.LowerInverse. (The kernel multiplies A·Bᵀ, hence the transposed
// copies.)
type lowerInverter struct {
	mul          dense.Multiplier
	leaf, tr, tm []float64
}

const lowerInvLeaf = 64

// invert sets dst (n×n, leading dimension n) to the inverse of the n×n
// lower triangle of a (leading dimension lda).
func (v *lowerInverter) invert(dst, a []float64, lda, n int) {
	clear(dst[:n*n])
	if len(v.tr) < n*n {
		v.tr, v.tm = make([]float64, n*n), make([]float64, n*n)
		v.leaf = make([]float64, lowerInvLeaf*lowerInvLeaf)
	}
	v.block(dst, n, a, lda, 0, n)
}

// block inverts the diagonal block of rows and columns [r0, r0+m).
func (v *lowerInverter) block(dst []float64, ld int, a []float64, lda, r0, m int) {
	if m <= lowerInvLeaf {
		dense.LowerInverse(v.leaf, a[r0*lda+r0:], lda, m)
		for c := 0; c < m; c++ {
			copy(dst[(r0+c)*ld+r0+c:(r0+c)*ld+r0+m], v.leaf[c*m+c:(c+1)*m])
		}
		return
	}
	h := m / 2
	r1, m2 := r0+h, m-h
	v.block(dst, ld, a, lda, r0, h)
	v.block(dst, ld, a, lda, r1, m2)
	// T = L₂₁·X₁₁ (m2×h): A = L₂₁, B = X₁₁ᵀ
	transpose(v.tr, dst[r0*ld+r0:], ld, h, h)
	v.mul.MulABt(m2, h, h, a[r0*lda+r1:], lda, v.tr, h, v.tm, m2)
	// X₂₁ = −X₂₂·T: A = X₂₂, B = Tᵀ
	transpose(v.tr, v.tm, m2, m2, h)
	x21 := dst[r0*ld+r1:]
	v.mul.MulABt(m2, h, m2, dst[r1*ld+r1:], ld, v.tr, h, x21, ld)
	for c := 0; c < h; c++ {
		col := x21[c*ld : c*ld+m2]
		for i := range col {
			col[i] = -col[i]
		}
	}
}

// transpose sets dst (c×r, leading dimension c) to the transpose of the
// r×c matrix at src (leading dimension lds).
func transpose(dst, src []float64, lds, r, c int) {
	for j := 0; j < c; j++ {
		for i := 0; i < r; i++ {
			dst[i*c+j] = src[j*lds+i]
		}
	}
}
