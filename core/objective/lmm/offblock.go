package lmm

import (
	"slices"

	"github.com/glmmgo/glmmgo/core/dense"
)

// offBlock is L₂₁, the first term's block against the trailing block,
// stored by the first term's levels (MixedModels.jl's BlockedSparse): level
// a's k columns have nonzeros only in the trailing rows its observations
// touch — the levels of the other terms they fall in — and in every row of
// X and y. Those rows, increasing, are rows[colPtr[a]:colPtr[a+1]] (X and
// y last), each with k values.
type offBlock struct {
	k      int
	colPtr []int
	rows   []int32
	a      []float64 // Λ-free values, Z_t′WZ₁ and [X y]′WZ₁
	w      []float64 // L₂₁ = Λ_t′·a·Λ₁·L₁₁⁻ᵀ at the current θ
	pos    []int32   // scratch of fill: position of a trailing row in a level's list
}

// levelObs lists the observations by the first term's level (a stable
// counting sort): level a's are obs[start[a]:start[a+1]], increasing.
type levelObs struct {
	start []int
	obs   []int
}

func newLevelObs(codes []int32, l int) levelObs {
	lo := levelObs{start: make([]int, l+1), obs: make([]int, len(codes))}
	for _, c := range codes {
		lo.start[c+1]++
	}
	for a := 0; a < l; a++ {
		lo.start[a+1] += lo.start[a]
	}
	next := slices.Clone(lo.start[:l])
	for i, c := range codes {
		lo.obs[next[c]] = i
		next[c]++
	}
	return lo
}

// of returns level a's observations.
func (lo *levelObs) of(a int) []int { return lo.obs[lo.start[a]:lo.start[a+1]] }

// newOffBlock finds the pattern (the symbolic phase): for each level of
// the first term, the union of the trailing rows of its observations' other
// terms, then the rows of X and y.
func newOffBlock(terms []termInfo, byLevel *levelObs, rows *tailRows) offBlock {
	k, l := terms[0].k, terms[0].nlevels
	b := offBlock{k: k, colPtr: make([]int, l+1), pos: make([]int32, rows.s)}
	stamp := make([]int32, rows.qT)
	for i := range stamp {
		stamp[i] = -1
	}
	var list []int32
	for a := 0; a < l; a++ {
		first := len(list)
		for _, i := range byLevel.of(a) {
			for r := 1; r < len(terms); r++ {
				t := terms[r]
				g := rows.levelRow(r, int(t.codes[i]))
				for c := 0; c < t.k; c++ {
					if stamp[g+c] != int32(a) {
						stamp[g+c] = int32(a)
						list = append(list, int32(g+c))
					}
				}
			}
		}
		slices.Sort(list[first:])
		for row := rows.qT; row < rows.s; row++ {
			list = append(list, int32(row))
		}
		b.colPtr[a+1] = len(list)
	}
	b.rows = slices.Clip(list)
	b.a = make([]float64, len(list)*k)
	b.w = make([]float64, len(list)*k)
	return b
}

// levels returns the number of levels (block columns).
func (b *offBlock) levels() int { return len(b.colPtr) - 1 }

// fillTerms adds, to the rows of the other terms, Z_t′WZ₁ from the
// weighted Z of every term, level by level of the first term (its
// observations in increasing order, so each sum runs in observation
// order).
func (b *offBlock) fillTerms(terms []termInfo, zw [][]float64, byLevel *levelObs, e *termEntries, rows *tailRows) {
	k, n := b.k, len(terms[0].codes)
	z1 := zw[0]
	for a := 0; a < b.levels(); a++ {
		for p := b.colPtr[a]; p < b.colPtr[a+1]; p++ {
			b.pos[b.rows[p]] = int32(p)
		}
		for _, i := range byLevel.of(a) {
			e.load(i, terms, zw, rows)
			for c := 0; c < k; c++ {
				z := z1[c*n+i]
				if z == 0 {
					continue
				}
				for j, r := range e.row {
					b.a[int(b.pos[r])*k+c] += z * e.val[j]
				}
			}
		}
	}
}

// fillRows adds, to the rows of X and y, the products of the first
// term's weighted Z with the weighted X and y of the observations i0,
// i0+1, …: the rows of xy (nxy per observation, row-major).
func (b *offBlock) fillRows(i0 int, xy []float64, nxy int, z1 []float64, codes []int32) {
	k, n := b.k, len(codes)
	for ii := 0; ii*nxy < len(xy); ii++ {
		i := i0 + ii
		p0 := b.colPtr[codes[i]+1] - nxy
		x := xy[ii*nxy : (ii+1)*nxy]
		for c := 0; c < k; c++ {
			z := z1[c*n+i]
			if z == 0 {
				continue
			}
			for jj, v := range x {
				b.a[(p0+jj)*k+c] += z * v
			}
		}
	}
}

// rdivFirst sets w = a·Λ₁·L₁₁⁻ᵀ level by level (MixedModels.jl's rmulΛ!
// then rdiv!); for k = 1 the two are one factor λ/L_aa per level.
func (b *offBlock) rdivFirst(lam []float64, first *diagBlock) {
	k := b.k
	if k == 1 {
		for a := 0; a < b.levels(); a++ {
			f := lam[0] / first.f[a]
			for p := b.colPtr[a]; p < b.colPtr[a+1]; p++ {
				b.w[p] = b.a[p] * f
			}
		}
		return
	}
	for a := 0; a < b.levels(); a++ {
		Lb := first.level(a)
		for p := b.colPtr[a]; p < b.colPtr[a+1]; p++ {
			w := b.w[p*k : (p+1)*k]
			copy(w, b.a[p*k:(p+1)*k])
			dense.LowerTMulVec(lam, k, w, 1) // the row times Λ₁
			dense.LowerSolve(Lb, k, w)       // times L₁₁⁻ᵀ
		}
	}
}

// lmulLambdaT sets w ← Λ_t′·w on the rows of the other terms
// (MixedModels.jl's lmulΛ!); the rows of X and y are not scaled.
func (b *offBlock) lmulLambdaT(lam *lambda, rows *tailRows) {
	k := b.k
	if rows.scalar {
		for p, row := range b.rows {
			if int(row) >= rows.qT {
				continue
			}
			f := rows.scale[row]
			w := b.w[p*k : (p+1)*k]
			for c := range w {
				w[c] *= f
			}
		}
		return
	}
	for p := 0; p < len(b.rows); {
		L, kt, _, ok := rows.level(int(b.rows[p]), lam)
		if !ok {
			p++
			continue
		}
		// a level's kt rows are consecutive in the list: the pattern holds
		// all of them or none
		for c := 0; c < k; c++ {
			dense.LowerTMulVec(L, kt, b.w[p*k+c:], k)
		}
		p += kt
	}
}
