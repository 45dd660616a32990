package zterms

import "github.com/glmmgo/glmmgo/core/sparse"

// Blocks are the conditionally independent blocks of the random effects:
// the connected components of the graph on Z's columns in which two
// columns are linked when some observation has a nonzero in both. Given
// β and the variances, u's prior covariance is diagonal and every
// observation's linear predictor involves the columns of one block only,
// so the joint density of (y, u) factors over the blocks, and
//
//	f(y) = Π_free f(y_i | β) · Π_b ∫ f(y_b | u_b) f(u_b) du_b,
//
// with y_b the observations of block b and "free" the observations with
// no nonzero in Z, whose likelihood needs no integral. (Nested designs
// split into one block per outermost group; crossed designs are one
// block.) Explicit zeros count as no entry, as in FromCSR.
type Blocks struct {
	Of   []int   // the block of each column of Z
	Row  []int   // the block of each observation, −1 when its row of Z is zero
	Cols [][]int // each block's columns, increasing
	Rows [][]int // each block's observations, increasing
	Free []int   // the observations with no random effect, increasing
}

// N is the number of blocks.
func (b *Blocks) N() int { return len(b.Cols) }

// BlocksOf finds the blocks of z by union–find over each row's nonzero
// columns (with path halving; the root of a set is its smallest column).
// Blocks are numbered in the order of their smallest column.
func BlocksOf(z *sparse.CSR) *Blocks {
	parent := make([]int, z.Cols)
	for j := range parent {
		parent[j] = j
	}
	find := func(j int) int {
		for parent[j] != j {
			parent[j] = parent[parent[j]]
			j = parent[j]
		}
		return j
	}
	for i := 0; i < z.Rows; i++ {
		first := -1
		for p := z.RowPtr[i]; p < z.RowPtr[i+1]; p++ {
			if z.Val[p] == 0 {
				continue
			}
			j := find(z.Col[p])
			if first < 0 {
				first = j
				continue
			}
			if j != first {
				lo, hi := min(j, first), max(j, first)
				parent[hi] = lo
				first = lo
			}
		}
	}
	b := &Blocks{Of: make([]int, z.Cols), Row: make([]int, z.Rows)}
	index := make([]int, z.Cols) // root column → block, for roots
	for j := range parent {
		r := find(j)
		if r == j {
			index[j] = len(b.Cols)
			b.Cols = append(b.Cols, nil)
		}
		b.Of[j] = index[r]
		b.Cols[b.Of[j]] = append(b.Cols[b.Of[j]], j)
	}
	b.Rows = make([][]int, len(b.Cols))
	for i := 0; i < z.Rows; i++ {
		b.Row[i] = -1
		for p := z.RowPtr[i]; p < z.RowPtr[i+1]; p++ {
			if z.Val[p] != 0 {
				b.Row[i] = b.Of[z.Col[p]]
				break
			}
		}
		if b.Row[i] < 0 {
			b.Free = append(b.Free, i)
			continue
		}
		b.Rows[b.Row[i]] = append(b.Rows[b.Row[i]], i)
	}
	return b
}
