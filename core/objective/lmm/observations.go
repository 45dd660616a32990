package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
)

// observations is what the model keeps of the data to refill its
// cross-products: the response, X's kept columns and √w (the terms keep
// their codes and Z), with scratch for the weighted values.
type observations struct {
	n   int
	p   int       // columns of X kept
	y   []float64 // response
	x   []float64 // n×p, X's kept columns
	sw  []float64 // √wᵢ
	ldW float64   // Σ log wᵢ

	zw   [][]float64 // scratch: √w·Z per term (model order)
	rows []float64   // scratch: √w·[X y] for rowBlock observations, by rows
	gram []float64   // scratch: the Gram matrix of [√w·X, √w·y]
}

// setWeights sets √w and Σ log w from w (nil: unit weights).
func (o *observations) setWeights(w []float64) {
	o.ldW = 0
	if w == nil {
		for i := range o.sw {
			o.sw[i] = 1
		}
		return
	}
	for i, v := range w {
		o.sw[i] = math.Sqrt(v)
		o.ldW += math.Log(v)
	}
}

// keep copies y and the kept columns of the n×P matrix x, and sizes the
// scratch for the terms.
func (o *observations) keep(y, x []float64, kept []int, terms []termInfo) {
	n := o.n
	o.p = len(kept)
	o.y = append([]float64(nil), y...)
	o.x = make([]float64, n*o.p)
	for jj, j := range kept {
		copy(o.x[jj*n:(jj+1)*n], x[j*n:(j+1)*n])
	}
	o.zw = make([][]float64, len(terms))
	for r, t := range terms {
		o.zw[r] = make([]float64, n*t.k)
	}
	nxy := o.p + 1
	o.rows = make([]float64, min(n, rowBlock)*nxy)
	o.gram = make([]float64, nxy*nxy)
}

// column returns column jj of [X y] (the kept columns, then y).
func (o *observations) column(jj int) []float64 {
	if jj == o.p {
		return o.y
	}
	return o.x[jj*o.n : (jj+1)*o.n]
}

// rowBlock is the number of observations whose weighted X and y
// weightedRows lays out at a time: 512 rows of a few dozen columns stay in
// the L2 cache while the blocks are filled from them.
const rowBlock = 512

// weightedRows returns √w·[X y] for the observations i0..i1−1 by rows
// (p+1 values per observation), in the scratch.
func (o *observations) weightedRows(i0, i1 int) []float64 {
	nxy := o.p + 1
	xy := o.rows[:(i1-i0)*nxy]
	for jj := 0; jj < nxy; jj++ {
		src := o.column(jj)[i0:i1]
		sw := o.sw[i0:i1]
		for ii, v := range src {
			xy[ii*nxy+jj] = sw[ii] * v
		}
	}
	return xy
}

// weightTerms sets the scratch √w·Z of every term.
func (o *observations) weightTerms(terms []termInfo) {
	n := o.n
	for r, t := range terms {
		zw := o.zw[r]
		for c := 0; c < t.k; c++ {
			for i := 0; i < n; i++ {
				zw[c*n+i] = o.sw[i] * t.z[c*n+i]
			}
		}
	}
}

// xyGram returns the Gram matrix of [√w·X, √w·y] over the kept columns
// (lower triangle, order p+1) in the scratch.
func (o *observations) xyGram() []float64 {
	nxy := o.p + 1
	cols := make([][]float64, nxy)
	for jj := range cols {
		cols[jj] = o.column(jj)
	}
	dense.GramScaled(o.n, cols, o.sw, o.gram)
	return o.gram
}
