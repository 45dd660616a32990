package dense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// InvertGaussJordan replaces the N×N column-major matrix a by its inverse
// by Gauss–Jordan elimination with partial pivoting; it reports false if a
// is singular. It allocates only the pivot indices: BOBYQA inverts its
// interpolation system this way after every change of a point.
func InvertGaussJordan(a []float64, N int) bool {
	piv := make([]int, N)
	for c := 0; c < N; c++ {
		p, best := c, math.Abs(a[c*N+c])
		for r := c + 1; r < N; r++ {
			if v := math.Abs(a[c*N+r]); v > best {
				p, best = r, v
			}
		}
		if best == 0 || math.IsNaN(best) {
			return false
		}
		piv[c] = p
		if p != c {
			for j := 0; j < N; j++ {
				a[j*N+c], a[j*N+p] = a[j*N+p], a[j*N+c]
			}
		}
		d := 1 / a[c*N+c]
		a[c*N+c] = 1
		for j := 0; j < N; j++ {
			a[j*N+c] *= d
		}
		for r := 0; r < N; r++ {
			if r == c {
				continue
			}
			f := a[c*N+r]
			if f == 0 {
				continue
			}
			a[c*N+r] = 0
			for j := 0; j < N; j++ {
				a[j*N+r] -= f * a[j*N+c]
			}
		}
	}
	for c := N - 1; c >= 0; c-- { // undo the row swaps as column swaps
		if p := piv[c]; p != c {
			for i := 0; i < N; i++ {
				a[c*N+i], a[p*N+i] = a[p*N+i], a[c*N+i]
			}
		}
	}
	return true
}

// InverseLU returns the inverse of the n×n column-major matrix a by LU
// factorisation with partial pivoting (LAPACK's dgetrf and dgetri through
// gonum), or false when a is singular; a is not modified.
func InverseLU(n int, a []float64) ([]float64, bool) {
	m := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			m.Set(i, j, a[j*n+i])
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(m); err != nil {
		return nil, false
	}
	out := make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			out[j*n+i] = inv.At(i, j)
		}
	}
	return out, true
}

// SandwichPSD returns B·V·Bᵀ (n×n, column-major) for an n×n matrix B and a
// symmetric positive semidefinite V (both column-major; V's two triangles
// are averaged). It computes it as (BL)(BL)ᵀ with V = LLᵀ from V's
// eigendecomposition, eigenvalues below zero (rounding) set to zero, so
// that every diagonal element is a sum of squares: never negative by
// cancellation, however small beside the others. It reports false if the
// eigendecomposition fails.
func SandwichPSD(n int, b, v []float64) ([]float64, bool) {
	vs := mat.NewSymDense(n, nil)
	for j := 0; j < n; j++ {
		for i := 0; i <= j; i++ {
			vs.SetSym(i, j, (v[j*n+i]+v[i*n+j])/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(vs, true) {
		return nil, false
	}
	lam := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	l := mat.NewDense(n, n, nil)
	for k, e := range lam {
		sq := math.Sqrt(math.Max(e, 0))
		for i := 0; i < n; i++ {
			l.Set(i, k, vecs.At(i, k)*sq)
		}
	}
	bm := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			bm.Set(i, j, b[j*n+i])
		}
	}
	var a mat.Dense
	a.Mul(bm, l)
	out := make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			var t float64
			for k := 0; k < n; k++ {
				t += a.At(i, k) * a.At(j, k)
			}
			out[j*n+i] = t
		}
	}
	return out, true
}
