package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
)

// denseTail is L₂₂, the trailing block of the factor: the terms after the
// first, then X, then y, s = qT + p + 1 rows, held dense. It is the Schur
// complement of the first term's block, Λ_t′A₂₂Λ_t + I − L₂₁L₂₁′, which
// fills in wherever two levels of later terms share a level of the first
// (for crossed factors, almost everywhere): dense storage and the blocked
// Cholesky of core/dense are then the fast choice.
type denseTail struct {
	s, qT int
	a     []float64 // s×s θ-free cross-products, the lower triangle, and the upper too where a vector term's Λ scaling reads whole columns
	f     []float64 // s×s lower: Λ_t′aΛ_t + I, downdated, then factored, at the current θ
	tmp   []float64 // s scratch: one column of a·Λ_t
	chol  dense.Factorizer
}

func newDenseTail(s, qT int) denseTail {
	return denseTail{s: s, qT: qT, a: make([]float64, s*s), f: make([]float64, s*s), tmp: make([]float64, s)}
}

// fillRows adds, for the observations i0, i0+1, … (as many as xy has
// rows), the products of their entries in the rows of the other terms
// with each other (lower triangle) and with X and y, whose weighted values
// are the rows of xy (nxy = s−qT per observation, row-major). Each
// observation's products land in the few columns of its levels, so the
// writes stay in cache.
func (t *denseTail) fillRows(i0 int, xy []float64, terms []termInfo, zw [][]float64, e *termEntries) {
	nxy := t.s - t.qT
	for ii := 0; ii*nxy < len(xy); ii++ {
		e.load(i0+ii, terms, zw)
		x := xy[ii*nxy : (ii+1)*nxy]
		for b, rb := range e.row {
			vb := e.val[b]
			if vb == 0 {
				continue
			}
			col := t.a[int(rb)*t.s:]
			for j := b; j < len(e.row); j++ {
				col[e.row[j]] += e.val[j] * vb
			}
			cxy := col[t.qT:t.s]
			for jj, v := range x {
				cxy[jj] += v * vb
			}
		}
	}
}

// fillGram sets the X and y rows' products among themselves from the Gram
// matrix g of [√w·X, √w·y] (order s−qT, lower triangle).
func (t *denseTail) fillGram(g []float64) {
	nxy := t.s - t.qT
	for jj := 0; jj < nxy; jj++ {
		col := t.a[(t.qT+jj)*t.s:]
		for ii := jj; ii < nxy; ii++ {
			col[t.qT+ii] = g[jj*nxy+ii]
		}
	}
}

// mirror copies the lower triangle of a into the upper.
func (t *denseTail) mirror() {
	s := t.s
	for j := 0; j < s; j++ {
		for i := j + 1; i < s; i++ {
			t.a[i*s+j] = t.a[j*s+i]
		}
	}
}

// scaleInflate sets the lower triangle of f to Λ_t′·a·Λ_t + I, the
// identity on the rows of the terms only (MixedModels.jl's
// copyscaleinflate!).
func (t *denseTail) scaleInflate(lam *lambda, rows *tailRows) {
	if rows.scalar {
		t.scaleInflateScalar(rows.scale)
		return
	}
	for j := 0; j < t.s; j++ {
		t.columnTimesLambda(j, lam, rows)
		dst := t.f[j*t.s : (j+1)*t.s]
		for i := j; i < t.s; i++ {
			dst[i] = t.lambdaTRow(i, lam, rows)
		}
		if j < t.qT {
			dst[j]++
		}
	}
}

// scaleInflateScalar is scaleInflate when Λ_t is a scale λ per row:
// f_ij = λ_i·a_ij·λ_j.
func (t *denseTail) scaleInflateScalar(lr []float64) {
	s := t.s
	for j := 0; j < s; j++ {
		lj := lr[j]
		src := t.a[j*s+j : (j+1)*s]
		dst := t.f[j*s+j : (j+1)*s]
		l := lr[j:s]
		for i := range dst {
			dst[i] = l[i] * src[i] * lj
		}
		if j < t.qT {
			dst[0]++
		}
	}
}

// columnTimesLambda sets tmp to column j of a·Λ_t.
func (t *denseTail) columnTimesLambda(j int, lam *lambda, rows *tailRows) {
	s := t.s
	L, k, g, ok := rows.level(j, lam)
	if !ok {
		copy(t.tmp, t.a[j*s:(j+1)*s])
		return
	}
	cj := j - g
	clear(t.tmp)
	for c := cj; c < k; c++ {
		f := L[cj*k+c]
		if f == 0 {
			continue
		}
		col := t.a[(g+c)*s : (g+c+1)*s]
		for i, v := range col {
			t.tmp[i] += v * f
		}
	}
}

// lambdaTRow returns row i of Λ_t′·tmp.
func (t *denseTail) lambdaTRow(i int, lam *lambda, rows *tailRows) float64 {
	L, k, g, ok := rows.level(i, lam)
	if !ok {
		return t.tmp[i]
	}
	ci := i - g
	sum := 0.0
	for c := ci; c < k; c++ {
		sum += L[ci*k+c] * t.tmp[g+c]
	}
	return sum
}

// cholUnblocked factors f in place (MixedModels.jl's cholUnblocked!, here
// blocked: core/dense). A zero last pivot is y lying in the span of Z and
// X — a perfect fit — and is said so.
func (t *denseTail) cholUnblocked() error {
	s := t.s
	if err := t.chol.Factor(s, t.f, s); err != nil {
		if !(t.f[(s-1)*s+s-1] > 0) {
			return errs.Numericf("theta", "the penalised residual sum of squares is zero or not finite (a perfect fit?)")
		}
		return errs.Numericf("theta", "the blocked system is not positive definite at this θ: %v", err)
	}
	return nil
}

// addLogDiag returns acc + Σ log of the factor's diagonal over rows
// [r0, r1).
func (t *denseTail) addLogDiag(acc float64, r0, r1 int) float64 {
	for i := r0; i < r1; i++ {
		acc += math.Log(t.f[i*t.s+i])
	}
	return acc
}

// residual returns r, the factor's last diagonal element: r² is the
// penalised weighted residual sum of squares.
func (t *denseTail) residual() float64 { return t.f[(t.s-1)*t.s+t.s-1] }

// solveT returns x solving L′x = c over the rows before y, where c is y's
// row of the factor (MixedModels.jl's ldiv! with the adjoint): the
// trailing random effects ũ_t, then β̂.
func (t *denseTail) solveT() []float64 {
	s := t.s
	x := make([]float64, s-1)
	for i := range x {
		x[i] = t.f[i*s+s-1]
	}
	for i := s - 2; i >= 0; i-- {
		col := t.f[i*s : (i+1)*s]
		v := x[i]
		for r := i + 1; r < s-1; r++ {
			v -= col[r] * x[r]
		}
		x[i] = v / col[i]
	}
	return x
}

// close stops the factorisation's workers.
func (t *denseTail) close() { t.chol.Close() }
