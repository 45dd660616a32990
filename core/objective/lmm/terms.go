package lmm

import (
	"math"
	"slices"
	"sort"
)

// termInfo is a term in the model's order, with the model's copy of its
// data and its place in θ and in the trailing block.
type termInfo struct {
	name    string
	orig    int // index in Data.Terms
	nlevels int
	k       int
	q       int // nlevels·k
	theta   int // offset of the term's θ
	tail    int // first row in the trailing block (terms after the first)
	codes   []int32
	z       []float64 // n×k, column-major
}

// orderTerms returns the indices of terms by decreasing number of levels,
// ties in input order: lme4's order, which puts the largest term first,
// where its diagonal block costs nothing to factor.
func orderTerms(terms []Term) []int {
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return terms[order[a]].NLevels > terms[order[b]].NLevels })
	return order
}

// newTerms copies the terms in the model's order and lays them out: each
// term's θ (its template's lower triangle column by column, diagonal
// elements bounded below by 0) and, for the terms after the first, their
// rows in the trailing block. It returns the terms, θ's lower bounds and
// qT, the number of trailing rows that belong to terms.
func newTerms(data []Term, n int) (terms []termInfo, lower []float64, qT int) {
	ntheta := 0
	for rank, oi := range orderTerms(data) {
		tm := data[oi]
		ti := termInfo{name: tm.Name, orig: oi, nlevels: tm.NLevels, k: tm.K, q: tm.NLevels * tm.K, theta: ntheta,
			codes: make([]int32, n), z: slices.Clone(tm.Z)}
		for i, c := range tm.Codes {
			ti.codes[i] = int32(c)
		}
		for c := 0; c < tm.K; c++ {
			for r := c; r < tm.K; r++ {
				if r == c {
					lower = append(lower, 0)
				} else {
					lower = append(lower, math.Inf(-1))
				}
			}
		}
		ntheta += tm.K * (tm.K + 1) / 2
		if rank > 0 {
			ti.tail = qT
			qT += ti.q
		}
		terms = append(terms, ti)
	}
	return terms, lower, qT
}
