package cholesky

import "github.com/glmmgo/glmmgo/core/dense"

// SelectedInverse computes Z = (L₀·L₀ᵀ)⁻¹ on the pattern of L₀, the leading
// block of L before the border rows (the factor of the matrix's non-border
// part), and returns it in the layout of the values (read it with
// Symbolic.Entry; entries at the border rows are not set). For supernode J
// with diagonal block L_JJ and rows R below it (before the border), and U =
// L_RJ·L_JJ⁻¹ (Takahashi et al. 1973):
//
//	Z_RJ = −Z_RR·U,   Z_JJ = (L_JJ·L_JJᵀ)⁻¹ − Uᵀ·Z_RJ,
//
// where Z_RR lies in the pattern of the supernodes after J (R is a clique
// of the filled graph), computed first. The returned slice is reused by
// the next call.
func (f *Factor) SelectedInverse() []float64 {
	s := f.S
	n0 := s.N - s.Border
	if len(f.inv) < len(f.Val) {
		f.inv = make([]float64, len(f.Val))
	}
	z := f.inv[:len(f.Val)]
	for J := s.Supernodes() - 1; J >= 0; J-- {
		first, ncols, rows, blk := s.block(f.Val, J)
		if first >= n0 {
			continue
		}
		nr := len(rows)
		nR := rowsBefore(rows, n0) - ncols
		zb := z[s.valPtr[J]:s.valPtr[J+1]]
		ut := f.growU(ncols * nR)
		upperU(ut, blk, nr, ncols, nR)
		zrr := f.gatherZ(z, rows[ncols:ncols+nR])
		// Z_RJ = −Z_RR·U, into the block's rows R
		zrj := f.growWork(nR * ncols)
		f.prod.MulABt(nR, ncols, nR, zrr, nR, ut, ncols, zrj, nR)
		for c := 0; c < ncols; c++ {
			for i := 0; i < nR; i++ {
				zb[c*nr+ncols+i] = -zrj[c*nR+i]
			}
		}
		diagonalZ(zb, blk, nr, ncols, nR, ut, f.growTinv(ncols*ncols))
	}
	return z
}

// upperU sets ut (ncols × nR, leading dimension ncols) to Uᵀ for U =
// L_RJ·L_JJ⁻¹, by solving U·L_JJ = L_RJ from the last column back.
func upperU(ut, blk []float64, nr, ncols, nR int) {
	for i := 0; i < nR; i++ {
		u := ut[i*ncols : (i+1)*ncols]
		for c := ncols - 1; c >= 0; c-- {
			v := blk[c*nr+ncols+i]
			for l := c + 1; l < ncols; l++ {
				v -= u[l] * blk[c*nr+l]
			}
			u[c] = v / blk[c*nr+c]
		}
	}
}

// diagonalZ sets the lower triangle of Z_JJ = (L_JJ·L_JJᵀ)⁻¹ − Uᵀ·Z_RJ in
// the block zb, with Z_RJ already in zb's rows below the diagonal block;
// tinv is scratch of ncols².
func diagonalZ(zb, blk []float64, nr, ncols, nR int, ut, tinv []float64) {
	dense.LowerInverse(tinv, blk, nr, ncols)
	for b := 0; b < ncols; b++ {
		for a := b; a < ncols; a++ {
			v := 0.0
			for r := a; r < ncols; r++ { // (L⁻ᵀL⁻¹)[a,b] = Σ_r L⁻¹[r,a]·L⁻¹[r,b]
				v += tinv[a*ncols+r] * tinv[b*ncols+r]
			}
			for i := 0; i < nR; i++ { // − Σ_i U[i,a]·Z_RJ[i,b]
				v -= ut[i*ncols+a] * zb[b*nr+ncols+i]
			}
			zb[b*nr+a] = v
		}
	}
}

// gatherZ returns Z on rows × rows (both triangles, leading dimension
// len(rows)) from the supernodes holding those columns.
func (f *Factor) gatherZ(z []float64, rows []int32) []float64 {
	s := f.S
	nR := len(rows)
	if len(f.gathr) < nR*nR {
		f.gathr = make([]float64, nR*nR)
	}
	g := f.gathr[:nR*nR]
	curJ := -1
	for i2, r2 := range rows {
		J2, first2 := s.Supernode(int(r2))
		rows2 := s.superRows(J2)
		if J2 != curJ {
			for k, r := range rows2 {
				f.rel[r] = int32(k)
			}
			curJ = J2
		}
		col := z[s.valPtr[J2]+int64(int(r2)-first2)*int64(len(rows2)):]
		for i1 := i2; i1 < nR; i1++ {
			v := col[f.rel[rows[i1]]]
			g[i2*nR+i1] = v
			g[i1*nR+i2] = v
		}
	}
	return g
}

func (f *Factor) growTinv(n int) []float64 {
	if len(f.tinv) < n {
		f.tinv = make([]float64, n)
	}
	return f.tinv[:n]
}

func (f *Factor) growU(n int) []float64 {
	if len(f.utmp) < n {
		f.utmp = make([]float64, n)
	}
	return f.utmp[:n]
}

func (f *Factor) growWork(n int) []float64 {
	if len(f.work) < n {
		f.work = make([]float64, n)
	}
	return f.work[:n]
}
