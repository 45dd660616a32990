package lmm

import (
	"github.com/glmmgo/glmmgo/core/sparse/amd"
	"github.com/glmmgo/glmmgo/core/sparse/cholesky"
)

// levelCliques is the structure of the trailing block's term rows at the
// level of the later terms' levels (vertex v = base[r] + l for level l of
// term r ≥ 1): one clique per level of the first term (the later levels
// its observations fall in, which its elimination joins) and, with two or
// more later terms, one per observation (the later levels it couples in
// A₂₂).
type levelCliques struct {
	base   []int   // first vertex of each term (index 0 unused)
	weight []int32 // rows of each vertex (its term's k)
	ptr    []int
	v      []int32
	nfirst int // the first nfirst cliques are the first term's levels'
}

func newLevelCliques(terms []termInfo, byLevel *levelObs) *levelCliques {
	lc := &levelCliques{base: make([]int, len(terms)), ptr: []int{0}}
	nv := 0
	for r := 1; r < len(terms); r++ {
		lc.base[r] = nv
		nv += terms[r].nlevels
		for l := 0; l < terms[r].nlevels; l++ {
			lc.weight = append(lc.weight, int32(terms[r].k))
		}
	}
	stamp := make([]int32, nv)
	for i := range stamp {
		stamp[i] = -1
	}
	t1 := terms[0]
	for a := 0; a < t1.nlevels; a++ {
		for _, i := range byLevel.of(a) {
			for r := 1; r < len(terms); r++ {
				v := lc.base[r] + int(terms[r].codes[i])
				if stamp[v] != int32(a) {
					stamp[v] = int32(a)
					lc.v = append(lc.v, int32(v))
				}
			}
		}
		lc.close()
	}
	lc.nfirst = t1.nlevels
	if len(terms) > 2 {
		for i := range t1.codes {
			for r := 1; r < len(terms); r++ {
				lc.v = append(lc.v, int32(lc.base[r]+int(terms[r].codes[i])))
			}
			lc.close()
		}
	}
	return lc
}

// close ends the current clique.
func (lc *levelCliques) close() { lc.ptr = append(lc.ptr, len(lc.v)) }

// patternNNZ returns the nonzeros of the lower triangle of the trailing
// block's pattern (rows, with nxy border rows), a lower bound on the
// factor's: the distinct neighbours of every vertex, found through the
// cliques holding it.
func (lc *levelCliques) patternNNZ(nxy int) int64 {
	nv := len(lc.weight)
	inc := make([]int32, len(lc.v)) // cliques by vertex
	ptr := make([]int, nv+1)
	for _, v := range lc.v {
		ptr[v+1]++
	}
	for v := 0; v < nv; v++ {
		ptr[v+1] += ptr[v]
	}
	next := append([]int(nil), ptr[:nv]...)
	for c := 0; c+1 < len(lc.ptr); c++ {
		for _, v := range lc.v[lc.ptr[c]:lc.ptr[c+1]] {
			inc[next[v]] = int32(c)
			next[v]++
		}
	}
	stamp := make([]int32, nv)
	for i := range stamp {
		stamp[i] = -1
	}
	var twice, rows int64 // off-diagonal entries of both triangles, term rows
	for v := 0; v < nv; v++ {
		stamp[v] = int32(v)
		kv := int64(lc.weight[v])
		rows += kv
		twice += kv * (kv - 1)
		for _, c := range inc[ptr[v]:ptr[v+1]] {
			for _, u := range lc.v[lc.ptr[c]:lc.ptr[c+1]] {
				if stamp[u] != int32(v) {
					stamp[u] = int32(v)
					twice += kv * int64(lc.weight[u])
				}
			}
		}
	}
	b := int64(nxy)
	return twice/2 + rows + rows*b + b*(b+1)/2
}

// order returns a fill-reducing order of the later levels (vertices): by
// approximate minimum degree on the graph joining each level of the first
// term to the later levels it meets (its clique, not expanded), the first
// term's levels eliminated first — the Schur complement is then ordered
// from the pattern of the block eliminated, as the factor forms it — and
// the other cliques (pairs of later levels sharing an observation) as
// edges.
func (lc *levelCliques) order() ([]int32, error) {
	nv := len(lc.weight)
	n := nv + lc.nfirst
	ptr := make([]int, n+1)
	for c := 0; c+1 < len(lc.ptr); c++ {
		cl := lc.v[lc.ptr[c]:lc.ptr[c+1]]
		if c < lc.nfirst {
			ptr[nv+c+1] += len(cl)
			continue
		}
		for a := range cl {
			ptr[cl[a]+1] += len(cl) - 1 - a
		}
	}
	for v := 0; v < n; v++ {
		ptr[v+1] += ptr[v]
	}
	adj := make([]int32, ptr[n])
	next := append([]int(nil), ptr[:n]...)
	for c := 0; c+1 < len(lc.ptr); c++ {
		cl := lc.v[lc.ptr[c]:lc.ptr[c+1]]
		if c < lc.nfirst {
			next[nv+c] += copy(adj[next[nv+c]:], cl)
			continue
		}
		for a := range cl {
			for _, b := range cl[a+1:] {
				adj[next[cl[a]]] = b
				next[cl[a]]++
			}
		}
	}
	weight := make([]int32, n)
	copy(weight, lc.weight)
	first := make([]int32, lc.nfirst)
	for a := range first {
		first[a] = int32(nv + a)
		weight[nv+a] = 1
	}
	order, err := amd.Order(amd.Graph{N: n, Ptr: ptr, Adj: adj, Weight: weight}, amd.Options{First: first})
	if err != nil {
		return nil, err
	}
	out := order[:0]
	for _, v := range order {
		if int(v) < nv {
			out = append(out, v)
		}
	}
	return out, nil
}

// rowsInOrder returns the first row of each vertex when the vertices are
// laid out in the given order, each taking its weight in rows.
func (lc *levelCliques) rowsInOrder(order []int32) []int32 {
	rowOf := make([]int32, len(lc.weight))
	row := int32(0)
	for _, v := range order {
		rowOf[v] = row
		row += lc.weight[v]
	}
	return rowOf
}

// pattern is the trailing block's structure over rows laid out by rowOf
// (each vertex its weight in rows), with the nxy rows of X and y as the
// border.
func (lc *levelCliques) pattern(rowOf []int32, qT, nxy int) cholesky.Pattern {
	p := cholesky.Pattern{N: qT + nxy, Border: nxy, Ptr: make([]int, len(lc.ptr))}
	for c := 0; c+1 < len(lc.ptr); c++ {
		for _, v := range lc.v[lc.ptr[c]:lc.ptr[c+1]] {
			for k := int32(0); k < lc.weight[v]; k++ {
				p.Rows = append(p.Rows, rowOf[v]+k)
			}
		}
		p.Ptr[c+1] = len(p.Rows)
	}
	return p
}

// starts returns each later level's first row in the factor, whose rows
// are the pattern's renumbered by inv. A level's rows stay consecutive
// (they form a chain of the elimination tree, which the postorder keeps
// together); a violation is a bug.
func (lc *levelCliques) starts(rowOf, inv []int32) [][]int32 {
	start := make([][]int32, len(lc.base))
	for r := 1; r < len(lc.base); r++ {
		end := len(lc.weight)
		if r+1 < len(lc.base) {
			end = lc.base[r+1]
		}
		start[r] = make([]int32, end-lc.base[r])
		for l := range start[r] {
			v := lc.base[r] + l
			g := inv[rowOf[v]]
			for k := int32(1); k < lc.weight[v]; k++ {
				if inv[rowOf[v]+k] != g+k {
					panic("lmm: a level's rows are not consecutive in the sparse factor's order")
				}
			}
			start[r][l] = g
		}
	}
	return start
}
