package cholesky

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
)

// Factor is a numeric factor with the structure of a Symbolic: the caller
// writes the lower triangle of A into Val (through Symbolic.Column), then
// Factorize overwrites it with L. A Factor is not safe for concurrent use;
// Close releases its workers.
type Factor struct {
	S   *Symbolic
	Val []float64

	rel   []int32   // a supernode's map from row to position in its block
	work  []float64 // one update block
	chol  dense.Factorizer
	prod  dense.Multiplier
	inv   []float64 // selected inverse workspace (SelectedInverse)
	gathr []float64
	utmp  []float64
	tinv  []float64 // a diagonal block's inverse (SelectedInverse)
}

// NewFactor allocates a factor's values and workspace: Symbolic.Bytes
// tells how much, before.
func NewFactor(s *Symbolic) *Factor {
	return &Factor{S: s, Val: make([]float64, s.ValueLen()), rel: make([]int32, s.N), work: make([]float64, s.maxUpd)}
}

// SetWorkers sets the goroutines the dense steps may use (0: GOMAXPROCS).
func (f *Factor) SetWorkers(w int) { f.chol.Workers = w }

// Close stops the workers of the dense steps.
func (f *Factor) Close() { f.chol.Close() }

// Factorize overwrites the lower triangle of A in Val with its Cholesky
// factor L (the entries of each block above its diagonal are not read and
// may change). A pivot that is not positive is a numeric error naming its
// row.
func (f *Factor) Factorize() error {
	s := f.S
	for J := 0; J < s.Supernodes(); J++ {
		f.applyUpdates(J)
		first, ncols := int(s.super[J]), int(s.super[J+1]-s.super[J])
		nrows := int(s.rowPtr[J+1] - s.rowPtr[J])
		blk := f.Val[s.valPtr[J]:s.valPtr[J+1]]
		var err error
		if ncols*nrows <= smallSupernode {
			err = factorSmall(blk, nrows, ncols)
		} else {
			err = f.chol.FactorColumns(nrows, ncols, blk, nrows)
		}
		if err != nil {
			return errs.Numericf("a", "the matrix is not positive definite (in the supernode of rows %d..%d): %v", first, first+ncols-1, err)
		}
	}
	return nil
}

// applyUpdates subtracts from supernode J's block every earlier
// supernode's contribution L_K[rows ≥ J, :]·L_K[J's columns, :]ᵀ.
func (f *Factor) applyUpdates(J int) {
	s := f.S
	first := int(s.super[J])
	rowsJ := s.superRows(J)
	nrJ := len(rowsJ)
	blk := f.Val[s.valPtr[J]:s.valPtr[J+1]]
	for i, r := range rowsJ {
		f.rel[r] = int32(i)
	}
	for _, u := range s.upd[s.updPtr[J]:s.updPtr[J+1]] {
		K := int(u.k)
		rowsK := s.superRows(K)
		nrK := len(rowsK)
		ncK := int(s.super[K+1] - s.super[K])
		p1, p2 := int(u.p1), int(u.p2)
		m, c := nrK-p1, p2-p1
		lk := f.Val[s.valPtr[K]:s.valPtr[K+1]]
		C := f.work[:m*c]
		f.prod.MulABt(m, c, ncK, lk[p1:], nrK, lk[p1:], nrK, C, m)
		for jj := 0; jj < c; jj++ {
			dst := blk[(int(rowsK[p1+jj])-first)*nrJ:]
			src := C[jj*m : (jj+1)*m]
			rk := rowsK[p1:]
			for ii := jj; ii < m; ii++ {
				dst[f.rel[rk[ii]]] -= src[ii]
			}
		}
	}
}

// Diag returns L's diagonal entry of column j.
func (f *Factor) Diag(j int) float64 {
	col, _ := f.S.Column(f.Val, j)
	J, first := f.S.Supernode(j)
	_ = J
	return col[j-first]
}

// LogDiag returns Σ log L_jj over the columns j0 ≤ j < j1.
func (f *Factor) LogDiag(j0, j1 int) float64 {
	acc := 0.0
	for j := j0; j < j1; j++ {
		acc += math.Log(f.Diag(j))
	}
	return acc
}

// Workers returns the goroutines set by SetWorkers (0: GOMAXPROCS).
func (f *Factor) Workers() int { return f.chol.Workers }

// smallSupernode is the size (rows × columns) up to which a supernode is
// factored by plain loops: the blocked factorisation's packing costs more
// than such a block's arithmetic (a nested factor's supernodes are one
// column and the border rows).
const smallSupernode = 1024

// factorSmall factors the first ncols columns of the nrows-row block blk
// (leading dimension nrows) in place, column by column (left-looking):
// what dense.FactorColumns computes, without its packing.
func factorSmall(blk []float64, nrows, ncols int) error {
	for j := 0; j < ncols; j++ {
		cj := blk[j*nrows+j : (j+1)*nrows]
		for l := 0; l < j; l++ {
			cl := blk[l*nrows+j : (l+1)*nrows]
			s := cl[0]
			if s == 0 {
				continue
			}
			for i, v := range cl {
				cj[i] -= s * v
			}
		}
		d := cj[0]
		if !(d > 0) || math.IsInf(d, 1) {
			return errs.Numericf("a", "pivot %d is %g", j, d)
		}
		d = math.Sqrt(d)
		cj[0] = d
		inv := 1 / d
		for i := 1; i < len(cj); i++ {
			cj[i] *= inv
		}
	}
	return nil
}
