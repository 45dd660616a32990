package dense

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// SPD is the Cholesky factorisation A = RᵀR of a symmetric positive
// definite n×n matrix, R upper triangular, by LAPACK's dpotrf (gonum's
// lapack64.Potrf). R is stored row by row, R[i][j] at r[i*n+j] — the same
// array is L = Rᵀ column by column, so A = L·Lᵀ in glmmgo's column-major
// terms.
//
// It serves the matrices factored once or a few times per fit — the
// importance density's Σ̃⁻¹, PIRLS's q×q system, a Hessian — where the
// results (the Monte Carlo sample, the PQL estimates) must stay bit for bit
// what they are; Factorizer, the blocked factorisation with the tile
// kernel, is several times faster from a few hundred rows on but rounds
// differently. The zero value is ready to use; Factor reuses its storage.
type SPD struct {
	n int
	r []float64
}

// Factor factors the n×n matrix whose upper triangle is read from the
// column-major a (a[j*n+i], i ≤ j); a is not modified. It reports false
// when the matrix is not positive definite (then the SPD is unusable until
// the next successful Factor).
func (c *SPD) Factor(n int, a []float64) bool {
	if cap(c.r) < n*n {
		c.r = make([]float64, n*n)
	}
	r := c.r[:n*n]
	for j := 0; j < n; j++ {
		for i := 0; i <= j; i++ {
			r[i*n+j] = a[j*n+i]
		}
	}
	return c.FactorInPlace(n, r)
}

// FactorInPlace factors the n×n matrix whose upper triangle r holds row by
// row (A[i][j], i ≤ j, at r[i*n+j]; equivalently its lower triangle column
// by column) and keeps r, overwritten by R, without copying. The strict
// lower triangle of r (row by row) is not referenced.
func (c *SPD) FactorInPlace(n int, r []float64) bool {
	c.n, c.r = n, r
	_, ok := lapack64.Potrf(c.sym())
	if !ok {
		c.n = 0
	}
	return ok
}

func (c *SPD) sym() blas64.Symmetric {
	return blas64.Symmetric{Uplo: blas.Upper, N: c.n, Stride: max(c.n, 1), Data: c.r}
}

func (c *SPD) tri() blas64.Triangular {
	return blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: c.n, Stride: max(c.n, 1), Data: c.r}
}

// N is the order of the factored matrix (0 after a failed Factor).
func (c *SPD) N() int { return c.n }

// R returns the factor, row by row (do not modify).
func (c *SPD) R() []float64 { return c.r[:c.n*c.n] }

// LogDet returns log|A| = 2 Σ log Rᵢᵢ.
func (c *SPD) LogDet() float64 {
	var d float64
	for i := 0; i < c.n; i++ {
		d += 2 * math.Log(c.r[i*c.n+i])
	}
	return d
}

// SolveVec overwrites b (length n) with A⁻¹b: Rᵀy = b, then Rx = y.
func (c *SPD) SolveVec(b []float64) {
	x := blas64.Vector{N: len(b), Inc: 1, Data: b}
	t := c.tri()
	blas64.Trsv(blas.Trans, t, x)
	blas64.Trsv(blas.NoTrans, t, x)
}

// SolveRows overwrites the n×k matrix B, stored row by row (B[i][l] at
// b[i*k+l]), with A⁻¹B (LAPACK's dpotrs).
func (c *SPD) SolveRows(b []float64, k int) {
	lapack64.Potrs(c.tri(), blas64.General{Rows: c.n, Cols: k, Stride: max(k, 1), Data: b})
}

// SolveR overwrites x with R⁻¹x by back substitution: if x ~ N(0, I), the
// result is ~ N(0, A⁻¹). It does not allocate.
func (c *SPD) SolveR(x []float64) {
	n := c.n
	for i := n - 1; i >= 0; i-- {
		ri := c.r[i*n : (i+1)*n]
		t := x[i]
		for j := i + 1; j < n; j++ {
			t -= ri[j] * x[j]
		}
		x[i] = t / ri[i]
	}
}

// QuadForm returns (u−m)ᵀA(u−m) = ‖R(u−m)‖², a sum of squares (never
// negative by cancellation). It does not allocate.
func (c *SPD) QuadForm(u, m []float64) float64 {
	n := c.n
	var s float64
	for i := 0; i < n; i++ {
		row := c.r[i*n+i : (i+1)*n]
		var t float64
		for k, r := range row {
			t += r * (u[i+k] - m[i+k])
		}
		s += t * t
	}
	return s
}

// Inverse writes A⁻¹ into dst (n×n, column-major, both triangles) by
// LAPACK's dpotri.
func (c *SPD) Inverse(dst []float64) {
	n := c.n
	w := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: n, Stride: max(n, 1), Data: append([]float64(nil), c.r[:n*n]...)}
	lapack64.Potri(w)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := w.Data[i*n+j]
			dst[j*n+i], dst[i*n+j] = v, v
		}
	}
}
