package lmm

import (
	"slices"
	"sort"
)

// tailProducts holds the θ-free cross-products of the trailing block,
// A₂₂ = [Z_t X y]′W[Z_t X y] (Z_t: the terms after the first), in the
// factor's row order. The term rows are kept as blocks, one k_I×k_J block
// for each pair of levels (I, J) that share an observation — for one term
// after the first, its diagonal blocks only — so the memory follows the
// data, not s²; the rows of X and y are dense. Λ′·A₂₂·Λ is formed block by
// block into the factor (scaleInflate of either trailing factor).
type tailProducts struct {
	qT, nxy int
	// the levels of the terms after the first as blocks, by first row
	bFirst  []int32 // first row of block b
	bK      []int32 // rows of block b
	bTerm   []int32 // term of block b
	blockOf []int32 // block of each term row
	// block column b holds the blocks bRow[bPtr[b]:bPtr[b+1]], itself first,
	// then later ones by increasing row; values at bOff (column-major k_I×k_J,
	// the diagonal blocks whole)
	bPtr []int32
	bRow []int32
	bOff []int64
	val  []float64
	xz   []float64 // [X y]′W·Z_t: nxy values per term row (column j at xz[j·nxy:])
	xx   []float64 // [X y]′W·[X y], lower triangle, nxy×nxy
	tmp  []float64 // scratch of scaledBlock: two blocks of max(k, nxy)×k
}

// newTailProducts finds the blocks (the symbolic phase): the levels of the
// terms after the first as laid out by rows, and the pairs of them that
// share an observation.
func newTailProducts(terms []termInfo, rows *tailRows) tailProducts {
	p := tailProducts{qT: rows.qT, nxy: rows.s - rows.qT, blockOf: make([]int32, rows.qT)}
	for r := 1; r < len(terms); r++ {
		for _, g := range rows.start[r] {
			p.bFirst = append(p.bFirst, g)
			p.bK = append(p.bK, int32(terms[r].k))
			p.bTerm = append(p.bTerm, int32(r))
		}
	}
	order := make([]int, len(p.bFirst))
	for b := range order {
		order[b] = b
	}
	sort.Slice(order, func(a, b int) bool { return p.bFirst[order[a]] < p.bFirst[order[b]] })
	p.bFirst, p.bK, p.bTerm = permute(p.bFirst, order), permute(p.bK, order), permute(p.bTerm, order)
	for b, g := range p.bFirst {
		for c := int32(0); c < p.bK[b]; c++ {
			p.blockOf[g+c] = int32(b)
		}
	}
	p.pattern(terms, rows)
	p.xz = make([]float64, p.qT*p.nxy)
	p.xx = make([]float64, p.nxy*p.nxy)
	maxK := 1
	for _, k := range p.bK {
		maxK = max(maxK, int(k))
	}
	p.tmp = make([]float64, 2*max(maxK, p.nxy)*maxK)
	return p
}

func permute[T any](x []T, order []int) []T {
	out := make([]T, len(x))
	for i, o := range order {
		out[i] = x[o]
	}
	return out
}

// pattern lists the blocks of each block column: its diagonal block and
// the later blocks sharing an observation with it.
func (p *tailProducts) pattern(terms []termInfo, rows *tailRows) {
	nb := len(p.bFirst)
	var pairs []uint64 // (column block, row block), row > column
	if len(terms) > 2 {
		bs := make([]int32, len(terms)-1)
		for i := range terms[0].codes {
			for r := 1; r < len(terms); r++ {
				bs[r-1] = p.blockOf[rows.levelRow(r, int(terms[r].codes[i]))]
			}
			for a := range bs {
				for b := range bs {
					if bs[a] < bs[b] {
						pairs = append(pairs, uint64(bs[a])<<32|uint64(bs[b]))
					}
				}
			}
		}
		slices.Sort(pairs)
		pairs = slices.Compact(pairs)
	}
	p.bPtr = make([]int32, nb+1)
	p.bRow = make([]int32, 0, nb+len(pairs))
	q := 0
	for b := 0; b < nb; b++ {
		p.bRow = append(p.bRow, int32(b))
		for ; q < len(pairs) && int(pairs[q]>>32) == b; q++ {
			p.bRow = append(p.bRow, int32(pairs[q]&0xffffffff))
		}
		p.bPtr[b+1] = int32(len(p.bRow))
	}
	p.bOff = make([]int64, len(p.bRow)+1)
	for b := 0; b < nb; b++ {
		for e := p.bPtr[b]; e < p.bPtr[b+1]; e++ {
			p.bOff[e+1] = p.bOff[e] + int64(p.bK[b])*int64(p.bK[p.bRow[e]])
		}
	}
	p.val = make([]float64, p.bOff[len(p.bRow)])
}

// block returns the values of block (I, J), I ≥ J, and its leading
// dimension k_I.
func (p *tailProducts) block(I, J int32) ([]float64, int) {
	lo, hi := int(p.bPtr[J]), int(p.bPtr[J+1])
	e := lo
	if I != J {
		e = lo + 1 + sort.Search(hi-lo-1, func(x int) bool { return p.bRow[lo+1+x] >= I })
	}
	return p.val[p.bOff[e]:p.bOff[e+1]], int(p.bK[I])
}

// clear zeroes the products before a fill.
func (p *tailProducts) clear() {
	clear(p.val)
	clear(p.xz)
}

// fillRows adds, for the observations i0, i0+1, … (as many as xy has
// rows), the products of their entries in the rows of the other terms
// with each other and with X and y, whose weighted values are the rows of
// xy (nxy per observation, row-major).
func (p *tailProducts) fillRows(i0 int, xy []float64, terms []termInfo, zw [][]float64, e *termEntries, rows *tailRows) {
	nxy := p.nxy
	for ii := 0; ii*nxy < len(xy); ii++ {
		e.load(i0+ii, terms, zw, rows)
		x := xy[ii*nxy : (ii+1)*nxy]
		for b, rb := range e.row {
			vb := e.val[b]
			if vb == 0 {
				continue
			}
			for j := b; j < len(e.row); j++ {
				p.add(e.row[j], rb, e.val[j]*vb)
			}
			cxy := p.xz[int(rb)*nxy : int(rb+1)*nxy]
			for jj, v := range x {
				cxy[jj] += v * vb
			}
		}
	}
}

// add adds v to the entry (ri, rj) of the term rows and, within a
// diagonal block, to its mirror image (the blocks are held whole).
func (p *tailProducts) add(ri, rj int32, v float64) {
	if ri < rj {
		ri, rj = rj, ri
	}
	I, J := p.blockOf[ri], p.blockOf[rj]
	blk, ld := p.block(I, J)
	ci, cj := int(ri-p.bFirst[I]), int(rj-p.bFirst[J])
	blk[cj*ld+ci] += v
	if I == J && ci != cj {
		blk[ci*ld+cj] += v
	}
}

// fillGram sets the X and y rows' products among themselves from the Gram
// matrix g of [√w·X, √w·y] (order nxy, lower triangle).
func (p *tailProducts) fillGram(g []float64) {
	copy(p.xx, g[:p.nxy*p.nxy])
}

// scaledBlock sets out (k_I×k_J, column-major) to L_I′·A·L_J for the block
// A (leading dimension kI) and the templates LI, LJ (nil: identity, for
// the rows of X and y), in the order of operations of the dense
// algorithm: first each column of A·L_J, summing over the template's
// nonzeros in increasing order, then each row of L_I′ times it. tmp holds
// kI·kJ values.
func scaledBlock(out, tmp, a []float64, kI, kJ int, LI, LJ []float64) {
	for cj := 0; cj < kJ; cj++ {
		t := tmp[cj*kI : (cj+1)*kI]
		if LJ == nil {
			copy(t, a[cj*kI:(cj+1)*kI])
		} else {
			clear(t)
			for c := cj; c < kJ; c++ {
				f := LJ[cj*kJ+c]
				if f == 0 {
					continue
				}
				for r, v := range a[c*kI : (c+1)*kI] {
					t[r] += v * f
				}
			}
		}
		o := out[cj*kI : (cj+1)*kI]
		if LI == nil {
			copy(o, t)
			continue
		}
		for ci := range o {
			sum := 0.0
			for c := ci; c < kI; c++ {
				sum += LI[ci*kI+c] * t[c]
			}
			o[ci] = sum
		}
	}
}

// templateOf returns block b's template (Λ of its term).
func (p *tailProducts) templateOf(b int32, lam *lambda) []float64 {
	return lam.template(int(p.bTerm[b]))
}

// scaleInflateDense sets the lower triangle of the dense s×s matrix f to
// Λ_t′·A₂₂·Λ_t + I, the identity on the rows of the terms only
// (MixedModels.jl's copyscaleinflate!).
func (p *tailProducts) scaleInflateDense(f []float64, lam *lambda, rows *tailRows) {
	s, qT, nxy := rows.s, p.qT, p.nxy
	for j := 0; j < s; j++ {
		clear(f[j*s+j : (j+1)*s])
	}
	for c := 0; c < nxy; c++ { // X and y among themselves: unscaled
		col := f[(qT+c)*s+qT:]
		for r := c; r < nxy; r++ {
			col[r] = p.xx[c*nxy+r]
		}
	}
	if rows.scalar {
		p.scaleScalarDense(f, s, rows.scale)
		return
	}
	out, work := p.scratch()
	for J := range p.bFirst {
		gJ, kJ := int(p.bFirst[J]), int(p.bK[J])
		LJ := p.templateOf(int32(J), lam)
		for e := p.bPtr[J]; e < p.bPtr[J+1]; e++ {
			I := p.bRow[e]
			gI, kI := int(p.bFirst[I]), int(p.bK[I])
			scaledBlock(out, work, p.val[p.bOff[e]:p.bOff[e+1]], kI, kJ, p.templateOf(I, lam), LJ)
			for cj := 0; cj < kJ; cj++ {
				col := f[(gJ+cj)*s:]
				for ci := 0; ci < kI; ci++ {
					if int32(J) != I || ci >= cj {
						col[gI+ci] = out[cj*kI+ci]
					}
				}
			}
		}
		scaledBlock(out, work, p.xzBlock(gJ, kJ), nxy, kJ, nil, LJ)
		for cj := 0; cj < kJ; cj++ {
			copy(f[(gJ+cj)*s+qT:(gJ+cj+1)*s], out[cj*nxy:(cj+1)*nxy])
			f[(gJ+cj)*s+gJ+cj]++
		}
	}
}

// xzBlock returns the X and y rows of the kJ term columns from gJ, as an
// nxy×kJ column-major block.
func (p *tailProducts) xzBlock(gJ, kJ int) []float64 {
	return p.xz[gJ*p.nxy : (gJ+kJ)*p.nxy]
}

// scaleScalarDense is scaleInflateDense when Λ_t is a scale λ per row
// (lr): f_ij = λ_i·a_ij·λ_j.
func (p *tailProducts) scaleScalarDense(f []float64, s int, lr []float64) {
	qT, nxy := p.qT, p.nxy
	for J, gJ := range p.bFirst {
		j := int(gJ)
		lj := lr[j]
		col := f[j*s : (j+1)*s]
		for e := p.bPtr[J]; e < p.bPtr[J+1]; e++ {
			i := p.bFirst[p.bRow[e]]
			col[i] = lr[i] * p.val[p.bOff[e]] * lj
		}
		col[j]++
		xz := p.xz[j*nxy : (j+1)*nxy]
		for r, v := range xz {
			col[qT+r] = lr[qT+r] * v * lj
		}
	}
}

// scratch returns scaledBlock's two blocks.
func (p *tailProducts) scratch() (out, work []float64) {
	h := len(p.tmp) / 2
	return p.tmp[:h], p.tmp[h:]
}
