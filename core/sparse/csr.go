// Package sparse holds compressed sparse row storage built from 0-based
// triplets, the form in which callers pass the random-effects design Z.
//
// Rows are what the MCLA objective walks: η_i = (Xβ)_i + Σ_j Z_ij u_j touches
// the nonzeros of row i only, so a product Zu costs nnz(Z), not n·q as glmm's
// dense product does.
package sparse

import (
	"math"
	"sort"

	"github.com/glmmgo/glmmgo/core/errs"
)

// CSR is an r×c matrix in compressed sparse row form: the nonzeros of row i
// are Val[RowPtr[i]:RowPtr[i+1]] in columns Col[...] (increasing).
type CSR struct {
	Rows, Cols int
	RowPtr     []int
	Col        []int
	Val        []float64
}

// FromTriplets builds an r×c CSR matrix from triplets (row[k], col[k], val[k]),
// 0-based. Duplicate (row, col) pairs are summed, as Matrix::sparseMatrix does.
// The argument names in errors are those of the C ABI (z_row, z_col, z_val).
func FromTriplets(r, c int, row, col []int64, val []float64) (*CSR, error) {
	if len(row) != len(col) || len(row) != len(val) {
		return nil, errs.Invalidf("nnz", "triplet arrays differ in length (%d, %d, %d)", len(row), len(col), len(val))
	}
	for k := range row {
		if row[k] < 0 || row[k] >= int64(r) {
			return nil, errs.Invalidf("z_row", "entry %d is %d, outside 0..%d", k, row[k], r-1)
		}
		if col[k] < 0 || col[k] >= int64(c) {
			return nil, errs.Invalidf("z_col", "entry %d is %d, outside 0..%d", k, col[k], c-1)
		}
		if math.IsNaN(val[k]) || math.IsInf(val[k], 0) {
			return nil, errs.Invalidf("z_val", "entry %d is %g; values must be finite", k, val[k])
		}
	}
	order := make([]int, len(row))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool {
		ka, kb := order[a], order[b]
		if row[ka] != row[kb] {
			return row[ka] < row[kb]
		}
		return col[ka] < col[kb]
	})
	m := &CSR{Rows: r, Cols: c, RowPtr: make([]int, r+1)}
	prevRow, prevCol := -1, -1
	for _, k := range order {
		i, j := int(row[k]), int(col[k])
		if i == prevRow && j == prevCol {
			m.Val[len(m.Val)-1] += val[k]
			continue
		}
		m.Col = append(m.Col, j)
		m.Val = append(m.Val, val[k])
		m.RowPtr[i+1]++
		prevRow, prevCol = i, j
	}
	for i := 0; i < r; i++ {
		m.RowPtr[i+1] += m.RowPtr[i]
	}
	return m, nil
}

// NNZ is the number of stored entries.
func (m *CSR) NNZ() int { return len(m.Val) }

// MulVecAdd sets dst = base + M·x. len(dst) = len(base) = Rows, len(x) = Cols.
func (m *CSR) MulVecAdd(dst, base, x []float64) {
	for i := 0; i < m.Rows; i++ {
		s := base[i]
		for k := m.RowPtr[i]; k < m.RowPtr[i+1]; k++ {
			s += m.Val[k] * x[m.Col[k]]
		}
		dst[i] = s
	}
}

// ColumnCounts returns the number of stored entries with a nonzero value in
// each column.
func (m *CSR) ColumnCounts() []int {
	cnt := make([]int, m.Cols)
	for k, j := range m.Col {
		if m.Val[k] != 0 {
			cnt[j]++
		}
	}
	return cnt
}

// Dense returns M as a dense column-major Rows×Cols array (for tests and small
// problems).
func (m *CSR) Dense() []float64 {
	d := make([]float64, m.Rows*m.Cols)
	for i := 0; i < m.Rows; i++ {
		for k := m.RowPtr[i]; k < m.RowPtr[i+1]; k++ {
			d[m.Col[k]*m.Rows+i] += m.Val[k]
		}
	}
	return d
}
