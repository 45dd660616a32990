package dense

import "math"

// Small dense routines for the k×k blocks of block-diagonal systems (k is
// the number of columns of a random-effects term: 1, 2, rarely more than
// a dozen), where a call to the blocked factorisation would cost more than
// the arithmetic. Matrices are column-major with leading dimension k unless
// a routine says otherwise; "lower" means lower triangular, the strict
// upper triangle unread (and, where a routine writes a lower factor, zero).
// The sums run in a fixed order, so results do not depend on how callers
// batch their calls.

// SmallCholesky overwrites the k×k symmetric positive definite matrix a
// (lower triangle read) with its lower Cholesky factor L, A = L·Lᵀ, by the
// left-looking column algorithm, and zeroes the strict upper triangle. It
// does not test the pivots: it is meant for matrices that are SPD by
// construction (a Gram matrix plus the identity), and a non-finite input
// comes out as NaN for the caller's criterion to catch.
func SmallCholesky(a []float64, k int) {
	for j := 0; j < k; j++ {
		d := a[j*k+j]
		for l := 0; l < j; l++ {
			d -= a[l*k+j] * a[l*k+j]
		}
		d = math.Sqrt(d)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			s := a[j*k+i]
			for l := 0; l < j; l++ {
				s -= a[l*k+i] * a[l*k+j]
			}
			a[j*k+i] = s / d
		}
		for i := 0; i < j; i++ {
			a[j*k+i] = 0
		}
	}
}

// Congruence sets out = Lᵀ·A·L for a k×k matrix A and a lower L; work is
// k×k scratch. out may be a: A·L is formed in work first.
func Congruence(out, a, l, work []float64, k int) {
	for j := 0; j < k; j++ { // work = A·L
		for i := 0; i < k; i++ {
			s := 0.0
			for c := j; c < k; c++ {
				s += a[c*k+i] * l[j*k+c]
			}
			work[j*k+i] = s
		}
	}
	for j := 0; j < k; j++ { // out = Lᵀ·work
		for i := 0; i < k; i++ {
			s := 0.0
			for c := i; c < k; c++ {
				s += l[i*k+c] * work[j*k+c]
			}
			out[j*k+i] = s
		}
	}
}

// CongruenceT sets out = L·A·Lᵀ for a k×k matrix A and a lower L; work is
// k×k scratch. out may be a: A·Lᵀ is formed in work first.
func CongruenceT(out, a, l, work []float64, k int) {
	for j := 0; j < k; j++ { // work = A·Lᵀ
		for i := 0; i < k; i++ {
			s := 0.0
			for c := 0; c <= j; c++ {
				s += a[c*k+i] * l[c*k+j]
			}
			work[j*k+i] = s
		}
	}
	for j := 0; j < k; j++ { // out = L·work
		for i := 0; i < k; i++ {
			s := 0.0
			for c := 0; c <= i; c++ {
				s += l[c*k+i] * work[j*k+c]
			}
			out[j*k+i] = s
		}
	}
}

// LowerMulVec sets x ← L·x in place for a k×k lower L and the vector x
// with elements x[0], x[inc], …, x[(k−1)·inc]. Rows go from the last up,
// so every element read is still the input's.
func LowerMulVec(l []float64, k int, x []float64, inc int) {
	for c := k - 1; c >= 0; c-- {
		s := 0.0
		for r := 0; r <= c; r++ {
			s += l[r*k+c] * x[r*inc]
		}
		x[c*inc] = s
	}
}

// LowerTMulVec sets x ← Lᵀ·x in place for a k×k lower L and the vector x
// with elements x[0], x[inc], …, x[(k−1)·inc]. Rows go from the first
// down, so every element read is still the input's.
func LowerTMulVec(l []float64, k int, x []float64, inc int) {
	for c := 0; c < k; c++ {
		s := 0.0
		for r := c; r < k; r++ {
			s += l[c*k+r] * x[r*inc]
		}
		x[c*inc] = s
	}
}

// LowerSolve sets x ← L⁻¹·x (forward substitution) for a k×k lower L with
// a nonzero diagonal.
func LowerSolve(l []float64, k int, x []float64) {
	for c := 0; c < k; c++ {
		s := x[c]
		for r := 0; r < c; r++ {
			s -= l[r*k+c] * x[r]
		}
		x[c] = s / l[c*k+c]
	}
}

// LowerTSolve sets x ← L⁻ᵀ·x (back substitution) for a k×k lower L with a
// nonzero diagonal.
func LowerTSolve(l []float64, k int, x []float64) {
	for c := k - 1; c >= 0; c-- {
		s := x[c]
		for r := c + 1; r < k; r++ {
			s -= l[c*k+r] * x[r]
		}
		x[c] = s / l[c*k+c]
	}
}

// LowerInverse sets dst (n×n, leading dimension n) to the inverse of the
// n×n lower triangular matrix at a (leading dimension lda), column by
// column (column j solves L·x = e_j, starting at row j because L⁻¹ is
// lower too). The diagonal of a must be nonzero.
func LowerInverse(dst, a []float64, lda, n int) {
	clear(dst[:n*n])
	for j := 0; j < n; j++ {
		x := dst[j*n : (j+1)*n]
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
}

// LowerCrossprod sets dst = Lᵀ·L (n×n, both triangles) for an n×n lower L
// (leading dimension n). With L = R⁻¹ for a Cholesky factor R this is
// (R·Rᵀ)⁻¹, the inverse of the factored matrix.
func LowerCrossprod(dst, l []float64, n int) {
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			v := 0.0
			for r := max(i, j); r < n; r++ {
				v += l[i*n+r] * l[j*n+r]
			}
			dst[j*n+i] = v
		}
	}
}
