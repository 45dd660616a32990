package lmm

import (
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/sparse/cholesky"
)

// sparseTail holds the trailing block as a supernodal sparse factor
// (core/sparse/cholesky) in a fill-reducing order of the later levels,
// with X and y as its dense border rows. Its structure comes from the
// symbolic analysis in New; per θ it is filled (scaleInflate, the
// downdate), then refactored.
type sparseTail struct {
	s, qT, nxy int
	sym        *cholesky.Symbolic
	fac        *cholesky.Factor
	dst        []int64 // position in the factor's values of each of tailProducts' block values (−1: above a diagonal)
	pos        [][]int32
	posJ       []int // the supernode each worker's pos maps
	x          []float64
}

func newSparseTail(sym *cholesky.Symbolic, rows *tailRows, prod *tailProducts, workers int) *sparseTail {
	t := &sparseTail{s: rows.s, qT: rows.qT, nxy: rows.s - rows.qT, sym: sym, fac: cholesky.NewFactor(sym)}
	t.setWorkers(workers)
	t.dst = make([]int64, len(prod.val))
	for J := range prod.bFirst {
		gJ, kJ := int(prod.bFirst[J]), int(prod.bK[J])
		for e := prod.bPtr[J]; e < prod.bPtr[J+1]; e++ {
			I := prod.bRow[e]
			gI, kI := int(prod.bFirst[I]), int(prod.bK[I])
			for cj := 0; cj < kJ; cj++ {
				for ci := 0; ci < kI; ci++ {
					d := int64(-1)
					if int32(J) != I || ci >= cj {
						d = t.position(gI+ci, gJ+cj)
					}
					t.dst[prod.bOff[e]+int64(cj*kI+ci)] = d
				}
			}
		}
	}
	return t
}

// sparseTailBytes is the memory of a sparse trailing factor: the factor
// and the positions of the products in it.
func sparseTailBytes(sym *cholesky.Symbolic, qT int) int64 {
	return sym.Bytes() + 8*int64(qT)*4
}

// position returns the index in the factor's values of entry (i, j), i ≥ j,
// which the structure must hold.
func (t *sparseTail) position(i, j int) int64 {
	d := t.sym.Position(i, j)
	if d < 0 {
		panic("lmm: an entry of A₂₂ outside the sparse factor's structure")
	}
	return d
}

// scaleInflate sets the factor's values to Λ_t′·A₂₂·Λ_t + I, the identity
// on the rows of the terms only, with the dense algorithm's operations.
func (t *sparseTail) scaleInflate(p *tailProducts, lam *lambda, rows *tailRows) {
	val := t.fac.Val
	clear(val)
	b := t.fac.Border()
	for c := 0; c < t.nxy; c++ {
		copy(b[c*t.nxy+c:(c+1)*t.nxy], p.xx[c*t.nxy+c:(c+1)*t.nxy])
	}
	if rows.scalar {
		lr := rows.scale
		for J, gJ := range p.bFirst {
			j := int(gJ)
			lj := lr[j]
			for e := p.bPtr[J]; e < p.bPtr[J+1]; e++ {
				i := p.bFirst[p.bRow[e]]
				val[t.dst[p.bOff[e]]] = lr[i] * p.val[p.bOff[e]] * lj
			}
			col, _ := t.sym.Column(val, j)
			col[j-t.first(j)]++
			xy := col[len(col)-t.nxy:]
			for r, v := range p.xz[j*t.nxy : (j+1)*t.nxy] {
				xy[r] = lr[t.qT+r] * v * lj
			}
		}
		return
	}
	out, work := p.scratch()
	for J := range p.bFirst {
		gJ, kJ := int(p.bFirst[J]), int(p.bK[J])
		LJ := p.templateOf(int32(J), lam)
		for e := p.bPtr[J]; e < p.bPtr[J+1]; e++ {
			I := p.bRow[e]
			kI := int(p.bK[I])
			scaledBlock(out, work, p.val[p.bOff[e]:p.bOff[e+1]], kI, kJ, p.templateOf(I, lam), LJ)
			for q, d := range t.dst[p.bOff[e]:p.bOff[e+1]] {
				if d >= 0 {
					val[d] = out[q]
				}
			}
		}
		scaledBlock(out, work, p.xzBlock(gJ, kJ), t.nxy, kJ, nil, LJ)
		for cj := 0; cj < kJ; cj++ {
			col, _ := t.sym.Column(val, gJ+cj)
			copy(col[len(col)-t.nxy:], out[cj*t.nxy:(cj+1)*t.nxy])
			col[gJ+cj-t.first(gJ+cj)]++
		}
	}
}

// first returns the first column of column j's supernode (column j's
// diagonal is at index j − first of its column slice).
func (t *sparseTail) first(j int) int {
	_, f := t.sym.Supernode(j)
	return f
}

// column gives worker w column j and the positions of the rows in it,
// mapping the rows of j's supernode when the worker moves to a new one.
func (t *sparseTail) column(w, j int) ([]float64, []int32) {
	J, _ := t.sym.Supernode(j)
	if t.posJ[w] != J {
		for i, r := range t.sym.ColumnRows(j) {
			t.pos[w][r] = int32(i)
		}
		t.posJ[w] = J
	}
	col, _ := t.sym.Column(t.fac.Val, j)
	return col, t.pos[w]
}

func (t *sparseTail) cholUnblocked() error {
	if err := t.fac.Factorize(); err != nil {
		if b := t.fac.Border(); !(b[t.nxy*t.nxy-1] > 0) {
			return errPerfectFit(b[t.nxy*t.nxy-1])
		}
		return errs.Numericf("theta", "the blocked system is not positive definite at this θ: %v", err)
	}
	return nil
}

func (t *sparseTail) addLogDiag(acc float64, r0, r1 int) float64 {
	return acc + t.fac.LogDiag(r0, r1)
}

func (t *sparseTail) residual() float64 { return t.fac.Diag(t.s - 1) }

func (t *sparseTail) solveT() []float64 {
	x := make([]float64, t.s-1)
	t.solveTInto(x)
	return x
}

func (t *sparseTail) solveTInto(x []float64) {
	if len(t.x) < t.s {
		t.x = make([]float64, t.s)
	}
	t.fac.Row(t.s-1, t.x)
	copy(x, t.x[:t.s-1])
	t.fac.SolveLeadingT(x, t.s-1)
}

func (t *sparseTail) fixedBlock() ([]float64, int) { return t.fac.Border(), t.nxy }

func (t *sparseTail) setWorkers(w int) {
	t.fac.SetWorkers(w)
	for len(t.pos) < w {
		t.pos = append(t.pos, make([]int32, t.s))
		t.posJ = append(t.posJ, -1)
	}
}

func (t *sparseTail) close() { t.fac.Close() }
