package cholesky

import "sort"

// block returns supernode J's first column, column count, rows and block
// of values in val.
func (s *Symbolic) block(val []float64, J int) (first, ncols int, rows []int32, blk []float64) {
	return int(s.super[J]), int(s.super[J+1] - s.super[J]), s.superRows(J), val[s.valPtr[J]:s.valPtr[J+1]]
}

// rowsBefore returns how many of the increasing rows are below m.
func rowsBefore(rows []int32, m int) int {
	return sort.Search(len(rows), func(i int) bool { return int(rows[i]) >= m })
}

// SolveLeading overwrites x (length ≥ m) with L_m⁻¹·x, L_m the leading m×m
// block of L (forward substitution).
func (f *Factor) SolveLeading(x []float64, m int) {
	s := f.S
	for J := 0; J < s.Supernodes() && int(s.super[J]) < m; J++ {
		first, ncols, rows, blk := s.block(f.Val, J)
		nr := len(rows)
		cut := rowsBefore(rows, m)
		for c := 0; c < ncols && first+c < m; c++ {
			col := blk[c*nr : c*nr+cut]
			xc := x[first+c] / col[c]
			x[first+c] = xc
			for k := c + 1; k < cut; k++ {
				x[rows[k]] -= col[k] * xc
			}
		}
	}
}

// SolveLeadingT overwrites x (length ≥ m) with L_m⁻ᵀ·x, L_m the leading
// m×m block of L (back substitution; with m = N and no border, the whole
// Lᵀ). The solves only read the factor, so goroutines may solve with one
// Factor at once.
func (f *Factor) SolveLeadingT(x []float64, m int) {
	s := f.S
	for J := s.Supernodes() - 1; J >= 0; J-- {
		first, ncols, rows, blk := s.block(f.Val, J)
		if first >= m {
			continue
		}
		nr := len(rows)
		cut := rowsBefore(rows, m)
		for c := min(ncols, m-first) - 1; c >= 0; c-- {
			col := blk[c*nr : c*nr+cut]
			v := x[first+c]
			for k := c + 1; k < cut; k++ {
				v -= col[k] * x[rows[k]]
			}
			x[first+c] = v / col[c]
		}
	}
}

// Row sets out[j] = L[r, j] for j < r (zero off the pattern), for a border
// row r, which every column reaches.
func (f *Factor) Row(r int, out []float64) {
	s := f.S
	clear(out[:r])
	for J := 0; J < s.Supernodes() && int(s.super[J]) < r; J++ {
		first, ncols, rows, blk := s.block(f.Val, J)
		nr := len(rows)
		k := rowsBefore(rows, r)
		if k == nr || int(rows[k]) != r {
			continue
		}
		for c := 0; c < ncols && first+c < r; c++ {
			out[first+c] = blk[c*nr+k]
		}
	}
}

// Border returns the border block of L (the last Border rows and
// columns), column-major with leading dimension Border.
func (f *Factor) Border() []float64 {
	s := f.S
	J := s.Supernodes() - 1
	return f.Val[s.valPtr[J]:s.valPtr[J+1]]
}

// Entry returns the entry (i, j) of the lower triangle of the matrix held
// in val with this structure (i ≥ j; zero off the pattern).
func (s *Symbolic) Entry(val []float64, i, j int) float64 {
	col, rows := s.Column(val, j)
	k := rowsBefore(rows, i)
	if k < len(rows) && int(rows[k]) == i {
		return col[k]
	}
	return 0
}
