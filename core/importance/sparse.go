package importance

import (
	"math"
	"slices"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// SigmaInvSparse returns Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓ″(ηᵢ))) Z + diag(1/dstar)
// (see SigmaInv) in compressed rows, both triangles, built from Z's rows
// without a q×q array: its entries are the diagonal and the pairs of
// columns some observation shares. Each entry is the same sum, in the same
// order, as SigmaInv's, so SigmaInvSparse(…).Dense() equals SigmaInv(…)
// bit for bit.
func SigmaInvSparse(r *response.Response, z *sparse.CSR, eta, dstar []float64) *sparse.CSR {
	s := sigmaInvPattern(z)
	for j, d := range dstar {
		s.Val[position(s, j, j)] = 1 / d
	}
	for i := 0; i < z.Rows; i++ {
		_, _, cw := r.LogLik(i, eta[i])
		for k1 := z.RowPtr[i]; k1 < z.RowPtr[i+1]; k1++ {
			for k2 := z.RowPtr[i]; k2 < z.RowPtr[i+1]; k2++ {
				// SigmaInv's entry (row Col[k2], column Col[k1]).
				s.Val[position(s, z.Col[k2], z.Col[k1])] += cw * z.Val[k1] * z.Val[k2]
			}
		}
	}
	return s
}

// sigmaInvPattern returns a CSR with the pattern of Z′Z + I (columns
// increasing along each row) and zero values.
func sigmaInvPattern(z *sparse.CSR) *sparse.CSR {
	q := z.Cols
	// The observations of each column of Z.
	colPtr := make([]int, q+1)
	for _, c := range z.Col {
		colPtr[c+1]++
	}
	for j := 0; j < q; j++ {
		colPtr[j+1] += colPtr[j]
	}
	obs := make([]int, len(z.Col))
	next := slices.Clone(colPtr[:q])
	for i := 0; i < z.Rows; i++ {
		for k := z.RowPtr[i]; k < z.RowPtr[i+1]; k++ {
			obs[next[z.Col[k]]] = i
			next[z.Col[k]]++
		}
	}
	s := &sparse.CSR{Rows: q, Cols: q, RowPtr: make([]int, q+1)}
	mark := make([]int, q)
	for j := range mark {
		mark[j] = -1
	}
	for j := 0; j < q; j++ {
		start := len(s.Col)
		mark[j] = j
		s.Col = append(s.Col, j)
		for _, i := range obs[colPtr[j]:colPtr[j+1]] {
			for k := z.RowPtr[i]; k < z.RowPtr[i+1]; k++ {
				if c := z.Col[k]; mark[c] != j {
					mark[c] = j
					s.Col = append(s.Col, c)
				}
			}
		}
		slices.Sort(s.Col[start:])
		s.RowPtr[j+1] = len(s.Col)
	}
	s.Val = make([]float64, len(s.Col))
	return s
}

// position returns the index in s's values of entry (i, j), which the
// pattern holds.
func position(s *sparse.CSR, i, j int) int {
	lo, hi := s.RowPtr[i], s.RowPtr[i+1]
	k, _ := slices.BinarySearch(s.Col[lo:hi], j)
	return lo + k
}

// checkSigmaInvCSR: Σ̃⁻¹ in compressed rows is q×q, well formed (columns
// increasing and in range along each row), finite and symmetric (to 1e-10
// relative, an absent entry being 0); positive definiteness is checked by
// its factorisation.
func checkSigmaInvCSR(q int, s *sparse.CSR) error {
	if s.Rows != q || s.Cols != q {
		return errs.Invalidf("sigma_inv", "is %d×%d, want q×q = %d×%d", s.Rows, s.Cols, q, q)
	}
	if len(s.RowPtr) != q+1 || s.RowPtr[0] != 0 || s.RowPtr[q] != len(s.Col) || len(s.Col) != len(s.Val) {
		return errs.Invalidf("sigma_inv", "has row pointers and entries that do not match: %d pointers, %d columns, %d values", len(s.RowPtr), len(s.Col), len(s.Val))
	}
	for i := 0; i < q; i++ {
		if s.RowPtr[i+1] < s.RowPtr[i] {
			return errs.Invalidf("sigma_inv", "row pointers decrease at row %d", i)
		}
		for k := s.RowPtr[i]; k < s.RowPtr[i+1]; k++ {
			if c := s.Col[k]; c < 0 || c >= q || k > s.RowPtr[i] && c <= s.Col[k-1] {
				return errs.Invalidf("sigma_inv", "row %d: column %d is out of range or out of order", i, c)
			}
			if v := s.Val[k]; math.IsNaN(v) || math.IsInf(v, 0) {
				return errs.Invalidf("sigma_inv", "element (%d, %d) is %g; must be finite", i, s.Col[k], v)
			}
		}
	}
	for i := 0; i < q; i++ {
		for k := s.RowPtr[i]; k < s.RowPtr[i+1]; k++ {
			j, a := s.Col[k], s.Val[k]
			b := 0.0
			lo, hi := s.RowPtr[j], s.RowPtr[j+1]
			if t, ok := slices.BinarySearch(s.Col[lo:hi], i); ok {
				b = s.Val[lo+t]
			}
			if math.Abs(a-b) > 1e-10*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) {
				return errs.Invalidf("sigma_inv", "is not symmetric: (%d, %d) = %g but (%d, %d) = %g", i, j, a, j, i, b)
			}
		}
	}
	return nil
}
