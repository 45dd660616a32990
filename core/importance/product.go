package importance

import (
	"github.com/glmmgo/glmmgo/core/checkpoint"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// Product is the importance density of the blockwise MCLA estimator: a
// product over blocks of random effects,
//
//	f̃(u) = Π_b f̃_b(u_b),   f̃_b = p₁ t_ζ(·; 0, D*_b) + p₂ N(u*_b, D*_b) + p₃ N(u*_b, Σ̃_b),
//
// each factor the mixture of Density restricted to block b's columns, with
// Σ̃_b⁻¹ the principal sub-block of Σ̃⁻¹ on them. When the blocks are the
// conditionally independent blocks of the design (zterms.BlocksOf),
// Σ̃⁻¹ = Z′WZ + D*⁻¹ is block diagonal over them, so Σ̃_b is exactly the
// block of Σ̃ and N(u*_b, Σ̃_b) the Laplace normal of block b; otherwise
// the coupling entries between blocks are ignored. Each factor has its
// own t component (a product of t's, not one t in q dimensions) and picks
// its mixture component independently of the others.
//
// Draws. Sample k's blocks are drawn in block order from the streams of
// its sample block (as Density's draws: (seed, 2s) for the draws and
// (seed, 2s+1) for the component uniforms of sample block s), one
// component uniform per block per sample. With a single block of all
// columns in order this is exactly Density's sequence, so the product
// density of one block draws, and evaluates, bit for bit what Density
// does.
type Product struct {
	q    int
	p    [3]float64
	cols [][]int
	dens []*Density
	maxQ int // the largest block
}

// NewProduct validates p for q random effects and cols, a partition of
// 0..q−1 into blocks of increasing columns, and builds the density of
// each block (Σ̃_b⁻¹ factored once, sparse by Density's rule when given in
// compressed rows).
func NewProduct(q int, p Params, cols [][]int) (*Product, error) {
	if err := checkParams(q, p); err != nil {
		return nil, err
	}
	if err := checkPartition(q, cols); err != nil {
		return nil, err
	}
	switch {
	case p.SigmaInvCSR != nil:
		if p.SigmaInv != nil {
			return nil, errs.Invalidf("sigma_inv", "is given both dense and in compressed rows; give one")
		}
		if err := checkSigmaInvCSR(q, p.SigmaInvCSR); err != nil {
			return nil, err
		}
	case p.SigmaInv != nil:
		if err := checkSigmaInv(q, p.SigmaInv); err != nil {
			return nil, err
		}
	}
	pr := &Product{q: q, p: p.P, cols: cols, dens: make([]*Density, len(cols))}
	local := make([]int, q) // column → its index within its block
	for _, c := range cols {
		for k, j := range c {
			local[j] = k
		}
	}
	for b, c := range cols {
		d, err := New(len(c), restrict(p, c, local))
		if err != nil {
			return nil, err
		}
		pr.dens[b] = d
		pr.maxQ = max(pr.maxQ, len(c))
	}
	return pr, nil
}

// checkPartition: every column of 0..q−1 lies in exactly one non-empty
// block, in increasing order within it.
func checkPartition(q int, cols [][]int) error {
	if len(cols) < 1 {
		return errs.Invalidf("blocks", "there are no blocks; need at least one")
	}
	seen := make([]bool, q)
	n := 0
	for b, c := range cols {
		if len(c) == 0 {
			return errs.Invalidf("blocks", "block %d has no column", b)
		}
		for k, j := range c {
			if j < 0 || j >= q || seen[j] || k > 0 && j <= c[k-1] {
				return errs.Invalidf("blocks", "block %d: column %d is out of range, repeated or out of order", b, j)
			}
			seen[j] = true
			n++
		}
	}
	if n != q {
		return errs.Invalidf("blocks", "cover %d of the q = %d columns; every column must lie in one block", n, q)
	}
	return nil
}

// restrict is p on the columns c (local: each column's index in its block).
func restrict(p Params, c, local []int) Params {
	r := Params{Zeta: p.Zeta, P: p.P, TAtUStar: p.TAtUStar, TSigma: p.TSigma,
		UStar: make([]float64, len(c)), DStar: make([]float64, len(c))}
	for k, j := range c {
		r.UStar[k], r.DStar[k] = p.UStar[j], p.DStar[j]
	}
	switch {
	case p.SigmaInvCSR != nil:
		r.SigmaInvCSR = subCSR(p.SigmaInvCSR, c, local)
	case p.SigmaInv != nil:
		qb, q := len(c), len(p.UStar)
		r.SigmaInv = make([]float64, qb*qb)
		for kb, jb := range c {
			for ka, ja := range c {
				r.SigmaInv[kb*qb+ka] = p.SigmaInv[jb*q+ja]
			}
		}
	}
	return r
}

// subCSR is the principal sub-matrix of s on the columns c (increasing),
// with local the index of each column within c.
func subCSR(s *sparse.CSR, c, local []int) *sparse.CSR {
	in := make(map[int]bool, len(c))
	for _, j := range c {
		in[j] = true
	}
	out := &sparse.CSR{Rows: len(c), Cols: len(c), RowPtr: make([]int, 1, len(c)+1)}
	for _, i := range c {
		for e := s.RowPtr[i]; e < s.RowPtr[i+1]; e++ {
			if j := s.Col[e]; in[j] {
				out.Col = append(out.Col, local[j])
				out.Val = append(out.Val, s.Val[e])
			}
		}
		out.RowPtr = append(out.RowPtr, len(out.Col))
	}
	return out
}

// Q is the dimension of the random effects.
func (p *Product) Q() int { return p.q }

// NumBlocks is the number of blocks.
func (p *Product) NumBlocks() int { return len(p.cols) }

// Cols returns block b's columns (do not modify).
func (p *Product) Cols(b int) []int { return p.cols[b] }

// Block returns the density of block b, over its columns in order.
func (p *Product) Block(b int) *Density { return p.dens[b] }

// ScratchLen is the length of the scratch DrawTo and LogProbs need: twice
// the largest block.
func (p *Product) ScratchLen() int { return 2 * p.maxQ }

// SparseFactor reports whether some block's Σ̃_b⁻¹ is factored sparse, and
// the nonzeros of all the sparse factors.
func (p *Product) SparseFactor() (bool, int64) {
	any, nnz := false, int64(0)
	for _, d := range p.dens {
		s, n := d.SparseFactor()
		any, nnz = any || s, nnz+n
	}
	return any, nnz
}

// LogProbs writes log f̃_b(u_b) of every block of u (length q) into dst
// (length NumBlocks), with scratch of length at least ScratchLen. It does
// not allocate.
func (p *Product) LogProbs(u, dst, scratch []float64) {
	for b, c := range p.cols {
		ub := scratch[:len(c)]
		for k, j := range c {
			ub[k] = u[j]
		}
		dst[b] = p.dens[b].LogProb(ub)
	}
}

// LogProb returns log f̃(u) = Σ_b log f̃_b(u_b).
func (p *Product) LogProb(u []float64) float64 {
	return p.LogProbSum(u, make([]float64, p.ScratchLen()))
}

// LogProbSum is LogProb with scratch of length at least ScratchLen; it
// does not allocate.
func (p *Product) LogProbSum(u, scratch []float64) float64 {
	var s float64
	for b, c := range p.cols {
		ub := scratch[:len(c)]
		for k, j := range c {
			ub[k] = u[j]
		}
		s += p.dens[b].LogProb(ub)
	}
	return s
}

// DrawTo writes samples lo..hi−1 of the sample with seed into dst
// (sample-major, as Density.DrawTo), with scratch of length at least
// ScratchLen; it allocates nothing. Any range gives the same samples.
func (p *Product) DrawTo(seed uint64, lo, hi int, dst, scratch []float64) {
	q := p.q
	for s := lo / parallel.BlockSize; s*parallel.BlockSize < hi; s++ {
		slo := s * parallel.BlockSize
		r, rc := streams(seed, s)
		for k := slo; k < min(slo+parallel.BlockSize, hi); k++ {
			for b, c := range p.cols {
				row, z := scratch[:len(c)], scratch[p.maxQ:p.maxQ+len(c)]
				p.dens[b].draw(component(rc.Float64(), p.p), r, row, z)
				if k < lo {
					continue // drawn only to advance the streams
				}
				out := dst[(k-lo)*q : (k-lo+1)*q]
				for i, j := range c {
					out[j] = row[i]
				}
			}
		}
	}
}

// Draw is DrawTo with its own scratch.
func (p *Product) Draw(seed uint64, lo, hi int, dst []float64) {
	p.DrawTo(seed, lo, hi, dst, make([]float64, p.ScratchLen()))
}

// CountsChecked returns how many of the m·NumBlocks block draws of the
// first m samples each mixture component made (block by block over up to
// workers goroutines, exact sums), checking cp.
func (p *Product) CountsChecked(m int, seed uint64, workers int, cp *checkpoint.Checkpoint) (m1, m2, m3 int, err error) {
	per := make([][3]int, parallel.NumBlocks(m))
	nb := len(p.cols)
	err = parallel.RunChecked(len(per), workers, cp, func(_, s int) error {
		lo, hi := parallel.BlockRange(s, m)
		_, rc := streams(seed, s)
		for range (hi - lo) * nb {
			per[s][component(rc.Float64(), p.p)]++
		}
		return nil
	})
	var c [3]int
	for _, ps := range per {
		c[0], c[1], c[2] = c[0]+ps[0], c[1]+ps[1], c[2]+ps[2]
	}
	return c[0], c[1], c[2], err
}
