// Package zterms turns a random-effects design given as glmm gives it — a
// sparse n×q matrix Z and, for each column, its variance component — into
// the grouped terms of the linear mixed model engine (package lmm), whose
// blocked factor of Λ′Z′WZΛ + I then serves PQL, the Laplace
// approximation and the importance sampler's N(u*, Σ̃) component alike.
//
// A term is a grouping factor: each observation falls in one level and
// carries one value z there. A variance component whose rows each have at
// most one nonzero among its columns is such a term already: its columns
// are the levels. A component that has rows with several nonzeros (two
// random formulas sharing one variance, as glmm's varcomps.equal allows, or
// a design with overlapping groups) is split into several terms that share
// its variance: its columns are coloured greedily, in column order, so that
// no row has two nonzeros of one colour, and each colour is a term. The
// split changes nothing in the model: Z's columns, Λ's diagonal and so
// Λ′Z′WZΛ + I are the same matrices, only their blocks are arranged for the
// factorisation.
//
// Observations with no nonzero in a term fall in an extra level of it with
// z = 0, which adds a zero column to Z (a random effect that stays 0 and
// contributes nothing to log|L|²) and is dropped when mapping back.
package zterms

import (
	"fmt"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// Terms is a design in grouped form.
type Terms struct {
	Terms []lmm.Term // scalar terms (K = 1)
	VC    []int      // the variance component of each term
	Term  []int      // for each column of Z: its term
	Level []int      // and its level there
	Empty []int      // for each term, its extra level of observations without a nonzero in it, or −1
}

// FromCSR groups the n×q matrix z whose column j belongs to variance
// component vcOf[j] (the caller has checked the map). Explicit zeros count
// as no entry. It fails
// (with an invalid-argument error) where a term would have a single level
// or more levels than observations, which the engine's terms cannot
// represent.
func FromCSR(z *sparse.CSR, vcOf []int) (*Terms, error) {
	if len(vcOf) != z.Cols {
		return nil, errs.Invalidf("vc_of_column", "has length %d, want q = %d", len(vcOf), z.Cols)
	}
	colour := colourColumns(z, vcOf)
	out := &Terms{Term: make([]int, z.Cols), Level: make([]int, z.Cols)}
	index := map[[2]int]int{} // (component, colour) → term
	for j, t := range vcOf {
		key := [2]int{t, colour[j]}
		k, ok := index[key]
		if !ok {
			k = len(out.VC)
			index[key] = k
			out.VC = append(out.VC, t)
			out.Terms = append(out.Terms, lmm.Term{Name: fmt.Sprintf("vc%d.%d", t, colour[j]), K: 1})
		}
		out.Term[j], out.Level[j] = k, out.Terms[k].NLevels
		out.Terms[k].NLevels++
	}
	if err := out.fill(z); err != nil {
		return nil, err
	}
	return out, nil
}

// fill sets every term's codes and values from the rows of z, adding the
// extra level where some observation has no nonzero in a term.
func (g *Terms) fill(z *sparse.CSR) error {
	n := z.Rows
	nt := len(g.Terms)
	g.Empty = make([]int, nt)
	for k := range g.Terms {
		g.Terms[k].Codes = make([]int, n)
		g.Terms[k].Z = make([]float64, n)
		for i := range g.Terms[k].Codes {
			g.Terms[k].Codes[i] = -1
		}
	}
	for i := 0; i < n; i++ {
		for p := z.RowPtr[i]; p < z.RowPtr[i+1]; p++ {
			if v := z.Val[p]; v != 0 {
				j := z.Col[p]
				t := &g.Terms[g.Term[j]]
				t.Codes[i], t.Z[i] = g.Level[j], v
			}
		}
	}
	for k := range g.Terms {
		t := &g.Terms[k]
		g.Empty[k] = -1
		for i, c := range t.Codes {
			if c < 0 {
				if g.Empty[k] < 0 {
					g.Empty[k] = t.NLevels
					t.NLevels++
				}
				t.Codes[i] = g.Empty[k]
			}
		}
		if t.NLevels < 2 || t.NLevels > n {
			return errs.Invalidf("z", "variance component %d's term %s has %d levels for %d observations; a grouped term needs 2 to n", g.VC[k], t.Name, t.NLevels, n)
		}
	}
	return nil
}

// colourColumns gives each column a colour such that no row has two
// nonzeros of one component with one colour: greedy, column by column,
// the smallest colour the column's rows leave free.
func colourColumns(z *sparse.CSR, vcOf []int) []int {
	colour := make([]int, z.Cols)
	for j := range colour {
		colour[j] = -1
	}
	rowsOf := columnRows(z)
	var taken []bool
	for j := 0; j < z.Cols; j++ {
		taken = taken[:0]
		for _, i := range rowsOf[j] {
			for p := z.RowPtr[i]; p < z.RowPtr[i+1]; p++ {
				o := z.Col[p]
				if o == j || z.Val[p] == 0 || vcOf[o] != vcOf[j] || colour[o] < 0 {
					continue
				}
				for len(taken) <= colour[o] {
					taken = append(taken, false)
				}
				taken[colour[o]] = true
			}
		}
		c := 0
		for c < len(taken) && taken[c] {
			c++
		}
		colour[j] = c
	}
	return colour
}

// columnRows lists, for each column, the rows with a nonzero in it.
func columnRows(z *sparse.CSR) [][]int {
	cnt := make([]int, z.Cols)
	for p, j := range z.Col {
		if z.Val[p] != 0 {
			cnt[j]++
		}
	}
	rows := make([][]int, z.Cols)
	for j := range rows {
		rows[j] = make([]int, 0, cnt[j])
	}
	for i := 0; i < z.Rows; i++ {
		for p := z.RowPtr[i]; p < z.RowPtr[i+1]; p++ {
			if z.Val[p] != 0 {
				rows[z.Col[p]] = append(rows[z.Col[p]], i)
			}
		}
	}
	return rows
}
