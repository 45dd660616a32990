package cholesky

import (
	"fmt"
	"slices"
)

// Options control Analyse. The zero value sets no limits.
type Options struct {
	// MaxNNZ stops the analysis, with a *TooDenseError, as soon as the
	// factor is known to hold more nonzeros (0: no limit).
	MaxNNZ int64
	// MaxBytes refuses, with a *TooDenseError, a factor whose symbolic
	// structure and numeric values would need more memory (0: no limit).
	// It is checked before they are allocated.
	MaxBytes int64
}

// TooDenseError reports a factor over the limits of Options: at least NNZ
// nonzeros, or Bytes of memory.
type TooDenseError struct {
	NNZ   int64 // nonzeros of L counted before stopping (a lower bound if the count stopped early)
	Bytes int64 // memory the factor needs (0 if the count stopped early)
}

func (e *TooDenseError) Error() string {
	if e.Bytes > 0 {
		return fmt.Sprintf("the sparse factor needs %d bytes (%d nonzeros)", e.Bytes, e.NNZ)
	}
	return fmt.Sprintf("the sparse factor has more than %d nonzeros", e.NNZ)
}

// update is one supernode's update of a later one: rows p1.. of supernode
// K's block, of which rows p1..p2−1 fall in the later supernode's columns.
type update struct {
	k, p1, p2 int32
}

// Symbolic is the structure of a factor: its order, the postorder that
// renumbers the pattern's rows, the supernodes and their rows, the layout
// of the values and the update schedule. It is immutable after Analyse and
// may be shared by several Factors.
type Symbolic struct {
	N, Border int
	// Perm renumbers the rows: row r of the Pattern is row Inv[r] of the
	// factor, and Perm[Inv[r]] = r. The border rows keep their numbers.
	Perm, Inv []int32
	Parent    []int32 // elimination tree of the factor's rows (−1 for the root)
	NNZ       int64   // nonzeros of L, diagonal included
	Flops     float64 // multiply-adds of the numeric factorisation, Σ_j c_j² for column counts c_j

	super    []int32 // first column of each supernode, and N
	colSuper []int32 // supernode of each column
	rowPtr   []int64
	rows     []int32 // each supernode's rows: its columns, then the rows below, increasing
	valPtr   []int64 // each supernode's block: nrows × ncols, column-major
	updPtr   []int64
	upd      []update
	maxUpd   int // largest update block, rows × columns
	maxRows  int // most rows of a supernode
}

// Analyse finds the structure of the Cholesky factor of a matrix with
// pattern p.
func Analyse(p Pattern, opt Options) (*Symbolic, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	n0 := p.N - p.Border
	st := newStars(&p, nil)
	post := postorder(eliminationTree(st))
	inv := make([]int32, p.N)
	for k, r := range post {
		inv[r] = int32(k)
	}
	for r := n0; r < p.N; r++ {
		inv[r] = int32(r)
	}
	st = newStars(&p, inv)
	parent := eliminationTree(st)
	count, nnz, ok := columnCounts(st, parent, opt.MaxNNZ)
	if !ok {
		return nil, &TooDenseError{NNZ: nnz}
	}
	s := &Symbolic{N: p.N, Border: p.Border, Inv: inv, Perm: make([]int32, p.N), Parent: make([]int32, p.N)}
	for r, k := range inv {
		s.Perm[k] = int32(r)
	}
	s.setTree(parent, count)
	sn := relax(fundamentalSupernodes(parent, count, p.Border))
	if p.Border > 0 {
		sn = append(sn, supernode{first: n0, ncols: p.Border, nrows: p.Border, nnz: trapezoid(p.Border, p.Border), parent: -1})
		for i := range sn[:len(sn)-1] {
			if sn[i].parent < 0 {
				sn[i].parent = len(sn) - 1
			}
		}
	}
	if need := symbolicBytes(sn, p.N); opt.MaxBytes > 0 && need > opt.MaxBytes {
		return nil, &TooDenseError{NNZ: s.NNZ, Bytes: need}
	}
	s.layout(sn)
	s.structure(sn, st, inv)
	s.schedule()
	return s, nil
}

// setTree records the elimination tree over all N rows (the border rows a
// chain after the others) and the counts of nonzeros and flops.
func (s *Symbolic) setTree(parent, count []int32) {
	n0, b := len(parent), s.Border
	for j := 0; j < n0; j++ {
		s.Parent[j] = parent[j]
		if parent[j] < 0 && b > 0 {
			s.Parent[j] = int32(n0)
		}
		c := float64(count[j]) + float64(b)
		s.NNZ += int64(count[j]) + int64(b)
		s.Flops += c * c
	}
	for j := n0; j < s.N; j++ {
		s.Parent[j] = int32(j + 1)
		c := float64(s.N - j)
		s.NNZ += int64(s.N - j)
		s.Flops += c * c
	}
	if s.N > 0 {
		s.Parent[s.N-1] = -1
	}
}

// symbolicBytes is the memory of the structure and values of supernodes sn
// for order n: values, rows, an update bound, and per-row arrays.
func symbolicBytes(sn []supernode, n int) int64 {
	var vals, rows int64
	maxRows := 0
	for _, x := range sn {
		vals += int64(x.nrows) * int64(x.ncols)
		rows += int64(x.nrows)
		maxRows = max(maxRows, x.nrows)
	}
	return 8*vals + 4*rows + 12*rows + 40*int64(n) + 8*int64(maxRows)*int64(maxRows)
}

// layout sets the supernodes' column ranges and the offsets of their rows
// and values.
func (s *Symbolic) layout(sn []supernode) {
	ns := len(sn)
	s.super = make([]int32, ns+1)
	s.colSuper = make([]int32, s.N)
	s.rowPtr = make([]int64, ns+1)
	s.valPtr = make([]int64, ns+1)
	for J, x := range sn {
		s.super[J] = int32(x.first)
		for c := x.first; c < x.first+x.ncols; c++ {
			s.colSuper[c] = int32(J)
		}
		s.rowPtr[J+1] = s.rowPtr[J] + int64(x.nrows)
		s.valPtr[J+1] = s.valPtr[J] + int64(x.nrows)*int64(x.ncols)
		s.maxRows = max(s.maxRows, x.nrows)
	}
	s.super[ns] = int32(s.N)
	s.rows = make([]int32, s.rowPtr[ns])
}

// structure fills each supernode's rows: its columns, the rows of the
// cliques that start in it and of its children's blocks below it, then the
// border rows.
func (s *Symbolic) structure(sn []supernode, st *stars, inv []int32) {
	n0 := s.N - s.Border
	mark := make([]int32, s.N)
	for i := range mark {
		mark[i] = -1
	}
	head := make([]int32, len(sn)) // children lists
	next := make([]int32, len(sn))
	for i := range head {
		head[i] = -1
	}
	for J := len(sn) - 1; J >= 0; J-- {
		if p := sn[J].parent; p >= 0 {
			next[J] = head[p]
			head[p] = int32(J)
		}
	}
	var below []int32
	for J, x := range sn {
		rows := s.superRows(J)
		last := x.first + x.ncols - 1
		below = below[:0]
		add := func(r int32) {
			if int(r) > last && int(r) < n0 && mark[r] != int32(J) {
				mark[r] = int32(J)
				below = append(below, r)
			}
		}
		for c := x.first; c <= last && c < n0; c++ {
			for _, q := range st.cliques(c) {
				for _, r := range st.clique(q) {
					add(inv[r])
				}
			}
		}
		for K := head[J]; K >= 0; K = next[K] {
			for _, r := range s.superRows(int(K)) {
				add(r)
			}
		}
		slices.Sort(below)
		k := 0
		for c := x.first; c <= last; c++ {
			rows[k] = int32(c)
			k++
		}
		k += copy(rows[k:], below)
		for r := max(n0, last+1); r < s.N; r++ {
			rows[k] = int32(r)
			k++
		}
		if k != len(rows) {
			panic(fmt.Sprintf("cholesky: supernode %d has %d rows, %d predicted", J, k, len(rows)))
		}
	}
}

// schedule lists, for every supernode J, the earlier supernodes whose rows
// reach J's columns, in increasing order, with the rows concerned.
func (s *Symbolic) schedule() {
	ns := len(s.super) - 1
	s.updPtr = make([]int64, ns+1)
	s.forEachUpdate(func(J int, _ update) { s.updPtr[J+1]++ })
	for J := 0; J < ns; J++ {
		s.updPtr[J+1] += s.updPtr[J]
	}
	s.upd = make([]update, s.updPtr[ns])
	next := slices.Clone(s.updPtr[:ns])
	s.forEachUpdate(func(J int, u update) {
		s.upd[next[J]] = u
		next[J]++
		m := int(s.rowPtr[u.k+1]-s.rowPtr[u.k]) - int(u.p1)
		s.maxUpd = max(s.maxUpd, m*int(u.p2-u.p1))
	})
}

// forEachUpdate calls f for every update, the updating supernodes K in
// increasing order.
func (s *Symbolic) forEachUpdate(f func(J int, u update)) {
	ns := len(s.super) - 1
	for K := 0; K < ns; K++ {
		rows := s.superRows(K)
		ncols := int(s.super[K+1] - s.super[K])
		for p := ncols; p < len(rows); {
			J := s.colSuper[rows[p]]
			end := s.super[J+1]
			q := p
			for q < len(rows) && rows[q] < end {
				q++
			}
			f(int(J), update{k: int32(K), p1: int32(p), p2: int32(q)})
			p = q
		}
	}
}

// superRows returns supernode J's rows.
func (s *Symbolic) superRows(J int) []int32 { return s.rows[s.rowPtr[J]:s.rowPtr[J+1]] }

// Supernodes returns the number of supernodes.
func (s *Symbolic) Supernodes() int { return len(s.super) - 1 }

// ValueLen returns the length of the values of a factor.
func (s *Symbolic) ValueLen() int64 { return s.valPtr[len(s.valPtr)-1] }

// Bytes returns the memory of the structure and of one factor's values and
// workspace.
func (s *Symbolic) Bytes() int64 {
	ns := int64(len(s.super) - 1)
	return 8*s.ValueLen() + 4*int64(len(s.rows)) + 12*int64(len(s.upd)) + 8*(ns+1)*4 +
		4*4*int64(s.N) + 8*int64(s.maxUpd) + 8*int64(s.maxRows)*int64(s.maxRows)
}

// Column returns column j's part of the values val: the slice of its
// supernode's block holding column j, and the rows it stands for (the
// supernode's rows; the entries at rows before j are not part of L).
func (s *Symbolic) Column(val []float64, j int) (col []float64, rows []int32) {
	J := s.colSuper[j]
	rows = s.superRows(int(J))
	nr := int64(len(rows))
	off := s.valPtr[J] + int64(j-int(s.super[J]))*nr
	return val[off : off+nr], rows
}

// Supernode returns the supernode of column j and its first column.
func (s *Symbolic) Supernode(j int) (J, first int) {
	J = int(s.colSuper[j])
	return J, int(s.super[J])
}

// ColumnRows returns the rows of column j's supernode (column j holds the
// ones from j on).
func (s *Symbolic) ColumnRows(j int) []int32 { return s.superRows(int(s.colSuper[j])) }

// Position returns the index in a factor's values of entry (i, j), i ≥ j,
// or −1 if the structure does not hold it.
func (s *Symbolic) Position(i, j int) int64 {
	J := s.colSuper[j]
	rows := s.superRows(int(J))
	k := rowsBefore(rows, i)
	if k == len(rows) || int(rows[k]) != i || i < j {
		return -1
	}
	return s.valPtr[J] + int64(j-int(s.super[J]))*int64(len(rows)) + int64(k)
}
