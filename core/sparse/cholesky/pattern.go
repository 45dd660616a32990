package cholesky

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Pattern is the structure of a symmetric matrix of order N whose rows are
// already in the order the factor will use: the entry (i, j) may be
// nonzero only if i == j, if i and j lie in a common clique, or if either
// is one of the last Border rows (dense rows, joined to every other).
type Pattern struct {
	N, Border int
	Ptr       []int   // clique c is Rows[Ptr[c]:Ptr[c+1]]
	Rows      []int32 // rows of the cliques, each below N−Border; unsorted, repeats ignored
}

// check validates the pattern.
func (p *Pattern) check() error {
	if p.N < 0 || p.N > math.MaxInt32 || p.Border < 0 || p.Border > p.N {
		return errs.Invalidf("pattern", "order %d with %d border rows", p.N, p.Border)
	}
	if len(p.Ptr) == 0 || p.Ptr[0] != 0 || p.Ptr[len(p.Ptr)-1] != len(p.Rows) {
		return errs.Invalidf("pattern", "clique pointers do not span the %d rows listed", len(p.Rows))
	}
	for c := 0; c+1 < len(p.Ptr); c++ {
		if p.Ptr[c+1] < p.Ptr[c] {
			return errs.Invalidf("pattern", "clique pointers decrease at clique %d", c)
		}
	}
	n0 := int32(p.N - p.Border)
	for k, r := range p.Rows {
		if r < 0 || r >= n0 {
			return errs.Invalidf("pattern", "entry %d is row %d, outside 0..%d", k, r, n0-1)
		}
	}
	return nil
}

// stars is the structure of a pattern's non-border part reduced to what
// the factor's structure depends on: for each clique, its first row m and
// the edges from m to its other rows. byRow lists, for each row k, the
// first rows m < k of the cliques holding k; byFirst lists, for each row m,
// the cliques whose first row it is.
type stars struct {
	n0         int
	rowPtr     []int
	byRow      []int32
	firstPtr   []int
	byFirst    []int32 // clique indices
	first      []int32 // first row of each clique (−1 if empty)
	cliquePtr  []int
	cliqueRows []int32
}

// newStars builds the star form of p, its rows relabelled by inv
// (inv[r] = new label of row r; nil: unchanged).
func newStars(p *Pattern, inv []int32) *stars {
	n0 := p.N - p.Border
	nc := len(p.Ptr) - 1
	s := &stars{n0: n0, rowPtr: make([]int, n0+1), firstPtr: make([]int, n0+1), first: make([]int32, nc),
		cliquePtr: p.Ptr, cliqueRows: p.Rows}
	label := func(r int32) int32 {
		if inv == nil {
			return r
		}
		return inv[r]
	}
	for c := 0; c < nc; c++ {
		m := int32(-1)
		for _, r := range p.Rows[p.Ptr[c]:p.Ptr[c+1]] {
			if lr := label(r); m < 0 || lr < m {
				m = lr
			}
		}
		s.first[c] = m
		if m < 0 {
			continue
		}
		s.firstPtr[m+1]++
		for _, r := range p.Rows[p.Ptr[c]:p.Ptr[c+1]] {
			if lr := label(r); lr != m {
				s.rowPtr[lr+1]++
			}
		}
	}
	for i := 0; i < n0; i++ {
		s.rowPtr[i+1] += s.rowPtr[i]
		s.firstPtr[i+1] += s.firstPtr[i]
	}
	s.byRow = make([]int32, s.rowPtr[n0])
	s.byFirst = make([]int32, s.firstPtr[n0])
	nextRow := append([]int(nil), s.rowPtr[:n0]...)
	nextFirst := append([]int(nil), s.firstPtr[:n0]...)
	for c := 0; c < nc; c++ {
		m := s.first[c]
		if m < 0 {
			continue
		}
		s.byFirst[nextFirst[m]] = int32(c)
		nextFirst[m]++
		for _, r := range p.Rows[p.Ptr[c]:p.Ptr[c+1]] {
			if lr := label(r); lr != m {
				s.byRow[nextRow[lr]] = m
				nextRow[lr]++
			}
		}
	}
	return s
}

// row returns the first rows of the cliques holding row k before it.
func (s *stars) row(k int) []int32 { return s.byRow[s.rowPtr[k]:s.rowPtr[k+1]] }

// cliques returns the cliques whose first row is m.
func (s *stars) cliques(m int) []int32 { return s.byFirst[s.firstPtr[m]:s.firstPtr[m+1]] }

// clique returns the rows of clique c (original labels).
func (s *stars) clique(c int32) []int32 { return s.cliqueRows[s.cliquePtr[c]:s.cliquePtr[c+1]] }
