package dense

import "math"

// Column rank: which columns of a model matrix X carry information. R's
// qr() (LINPACK dqrdc2, tolerance 1e-7), which lme4 and glm use to drop
// aliased columns, is the rule; IndependentColumns applies it by modified
// Gram–Schmidt, and GramFullRank is a cheap test, from the Gram matrix that
// a caller has formed anyway, that no column can be aliased.

// aliasTol is R's qr() tolerance: a column whose part orthogonal to the
// kept columns is below aliasTol of its own norm is aliased.
const aliasTol = 1e-7

// IndependentColumns returns the columns of the n×p column-major matrix x
// that are linearly independent of the columns before them (kept), and
// the others (dropped), both increasing. A column is dropped when its part
// orthogonal to the kept columns has norm at most 1e-7 of its own norm (or
// it is zero). Modified Gram–Schmidt is repeated for a column only when it
// cancelled more than half its norm (Kahan and Parlett's "twice is
// enough"), which keeps the basis orthonormal to working precision.
func IndependentColumns(x []float64, n, p int) (kept, dropped []int) {
	q := make([]float64, 0, n*p)
	v := make([]float64, n)
	for j := 0; j < p; j++ {
		copy(v, x[j*n:(j+1)*n])
		norm0 := norm2(v)
		orthogonalise(v, q, n, norm0)
		nv := norm2(v)
		if norm0 == 0 || nv <= aliasTol*norm0 {
			dropped = append(dropped, j)
			continue
		}
		for i := range v {
			v[i] /= nv
		}
		q = append(q, v...)
		kept = append(kept, j)
	}
	return kept, dropped
}

// orthogonalise removes from v (of norm norm0) its components along the
// orthonormal columns of q (each of length n), a second time if the first
// pass cancelled more than half the norm.
func orthogonalise(v, q []float64, n int, norm0 float64) {
	before := norm0
	for pass := 0; pass < 2; pass++ {
		for c := 0; c*n < len(q); c++ {
			qc := q[c*n : (c+1)*n]
			dot := 0.0
			for i, qi := range qc {
				dot += qi * v[i]
			}
			if dot == 0 {
				continue
			}
			for i, qi := range qc {
				v[i] -= dot * qi
			}
		}
		after := norm2(v)
		if after > 0.5*before {
			return
		}
		before = after
	}
}

// GramFullRank reports whether the first p columns behind the Gram matrix
// g (lower triangle read, leading dimension ld ≥ p) are certainly
// independent. In the Cholesky factor R of their Gram matrix, R_jj² is the
// squared norm of column j's part orthogonal to the columns before it;
// when every R_jj² exceeds 1e-8·‖x_j‖² — far above both IndependentColumns'
// 1e-14 (its 1e-7 squared) and the rounding error of forming the Gram
// matrix (~p·ε·‖x_j‖²) — no column is aliased. False means "decide by
// IndependentColumns", not "rank deficient".
func GramFullRank(g []float64, ld, p int) bool {
	a := make([]float64, p*p)
	for j := 0; j < p; j++ {
		for i := j; i < p; i++ {
			a[j*p+i] = g[j*ld+i]
		}
	}
	for j := 0; j < p; j++ {
		d := a[j*p+j]
		for l := 0; l < j; l++ {
			d -= a[l*p+j] * a[l*p+j]
		}
		if !(d > 1e-8*g[j*ld+j]) {
			return false
		}
		d = math.Sqrt(d)
		a[j*p+j] = d
		for i := j + 1; i < p; i++ {
			s := a[j*p+i]
			for l := 0; l < j; l++ {
				s -= a[l*p+i] * a[l*p+j]
			}
			a[j*p+i] = s / d
		}
	}
	return true
}

func norm2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
