package lmm

import (
	"slices"
)

// Grouped downdate. When the first term is scalar (k₁ = 1) and so are all
// the later terms, L₂₁ = Λ_t·A₂₁·Λ₁·L₁₁⁻ᵀ has entries
//
//	L₂₁[i,a] = λ_i · A₂₁[i,a] · λ₁ / √(λ₁²·c_a + 1),   c_a = (Z₁′WZ₁)_aa,
//
// so the downdate is
//
//	(L₂₁·L₂₁′)[i,j] = λ_i·λ_j · Σ_a f(c_a)·A₂₁[i,a]·A₂₁[j,a],  f(c) = λ₁²/(λ₁²c + 1).
//
// Levels a with equal c_a share f, so Σ_a splits into Σ_g f(c_g)·P_g[i,j]
// with P_g = Σ_{a: c_a = c_g} A₂₁[i,a]·A₂₁[j,a] independent of θ. Without
// weights c_a is the number of observations of level a: for InstEval
// (2 972 students, 86 distinct counts) the sum has 1.7 M terms in place of
// 4.7 M, read sequentially instead of scattered, and every entry of the
// trailing block is written once. The θ-free products P_g are stored per
// trailing column j, per row i ≥ j of the downdate's pattern, as a short
// list of (group, value) pairs. The products depend on the weights, so
// they belong to the numeric phase and are rebuilt by Refill.

// maxGroups bounds the groups so that a group id fits in a byte and the
// per-θ factors f stay in a fixed-size array (no bounds checks).
const maxGroups = 256

// maxGroupedShare is the largest ratio of the grouped downdate's terms to
// the level-by-level one's for which grouping pays.
const maxGroupedShare = 0.6

type groupedDowndate struct {
	on     bool
	ngrp   int
	c      [maxGroups]float64 // c_g
	f      [maxGroups]float64 // f(c_g) for the current θ
	colPtr []int32            // s+1, into row/ptr
	row    []int32            // pattern rows i ≥ j of each column
	ptr    []int32            // len(row)+1, into grp/val
	grp    []uint8
	val    []float64
	split  []int // column ranges of about equal work, one per worker
}

// levelGroups returns the distinct diagonal values c_g of a scalar first
// term's block (increasing) and each level's group, or ok false when there
// are too many groups for grouping to pay.
func levelGroups(c []float64) (cs []float64, gid []uint8, ok bool) {
	// Count the distinct values first, stopping as soon as there are too
	// many: with PIRLS weights every level has its own c, and a sort of
	// all of them on every Refill would cost more than the rest of the
	// check.
	limit := min(maxGroups, len(c)/2)
	seen := make(map[float64]struct{}, limit+1)
	for _, v := range c {
		seen[v] = struct{}{}
		if len(seen) > limit {
			return nil, nil, false
		}
	}
	cs = slices.Clone(c)
	slices.Sort(cs)
	cs = slices.Compact(cs)
	gid = make([]uint8, len(c))
	for a, v := range c {
		k, _ := slices.BinarySearch(cs, v)
		gid[a] = uint8(k)
	}
	return cs, gid, true
}

// build sets up the grouped downdate if it applies (scalar terms only) and
// saves work: its term count must be at most maxGroupedShare of the
// level-by-level downdate's. Otherwise it turns the grouped downdate off.
func (g *groupedDowndate) build(first *diagBlock, off *offBlock, ix *columnIndex, rows *tailRows, workers int) {
	g.on = false
	if first.k != 1 || !rows.scalar {
		return
	}
	cs, gid, ok := levelGroups(first.a)
	if !ok {
		return
	}
	ungrouped := 0.0
	for a := 0; a < off.levels(); a++ {
		n := float64(off.colPtr[a+1] - off.colPtr[a])
		ungrouped += n * (n + 1) / 2
	}
	gb := newGroupedBuilder(off, ix, rows, gid, len(cs), ungrouped)
	limit := int(maxGroupedShare * ungrouped)
	for j := 0; j < rows.s; j++ {
		gb.column(j)
		if len(gb.val) > limit {
			return
		}
	}
	g.ngrp = len(cs)
	copy(g.c[:], cs)
	g.colPtr, g.row, g.ptr = gb.colPtr, slices.Clip(gb.row), slices.Clip(gb.ptr)
	g.grp, g.val = slices.Clip(gb.grp), slices.Clip(gb.val)
	work := make([]float64, rows.s)
	for j := range work {
		e0, e1 := g.colPtr[j], g.colPtr[j+1]
		work[j] = float64(g.ptr[e1]-g.ptr[e0]) + 4*float64(e1-e0)
	}
	g.split = splitColumns(work, tasksPerWorker*workers, 4e5)
	g.on = true
}

// setFactors computes f(c_g) for the first term's λ₁ at the current θ.
func (g *groupedDowndate) setFactors(lam float64) {
	l2 := lam * lam
	for k := 0; k < g.ngrp; k++ {
		g.f[k] = l2 / (l2*g.c[k] + 1)
	}
}

// rankUpdate does the grouped downdate of columns j0..j1−1 of the lower
// triangle of the trailing block t, as worker w, with lr the per-row λ of
// the trailing block.
func (g *groupedDowndate) rankUpdate(t downdateTarget, w int, lr []float64, j0, j1 int) {
	fg := &g.f
	for j := j0; j < j1; j++ {
		col, pos := t.column(w, j)
		lj := lr[j]
		e0, e1 := int(g.colPtr[j]), int(g.colPtr[j+1])
		rows := g.row[e0:e1]
		ptr := g.ptr[e0 : e1+1]
		for e, r := range rows {
			t0, t1 := ptr[e], ptr[e+1]
			gs := g.grp[t0:t1]
			vs := g.val[t0:t1]
			vs = vs[:len(gs)]
			acc := 0.0
			for q, gg := range gs {
				acc += fg[gg] * vs[q]
			}
			if pos != nil {
				col[pos[r]] -= lj * lr[r] * acc
				continue
			}
			col[r] -= lj * lr[r] * acc
		}
	}
}

// groupedBuilder forms the products P_g column by column of the trailing
// block. For the rows of the other terms, the (row, group) sums are kept
// in a pool, chained per row; for the rows of X and y, which every level
// touches, in a dense array per group.
type groupedBuilder struct {
	off         *offBlock
	ix          *columnIndex
	qT, s, nxy  int
	gid         []uint8 // group of each level
	lvl         []int32 // level of each position of off's pattern
	slot, stamp []int32 // (group, row) → pool entry, valid when stamp matches the column
	rowStamp    []int32
	rowHead     []int32   // last pool entry of the row in this column
	accXY       []float64 // the X and y rows' sums, per group
	gStamp      []int32
	groups      []uint8 // groups touching this column
	poolG       []uint8
	poolV       []float64
	poolNext    []int32
	touched     []int32 // term rows touched in this column
	colPtr      []int32
	row, ptr    []int32
	grp         []uint8
	val         []float64
}

func newGroupedBuilder(off *offBlock, ix *columnIndex, rows *tailRows, gid []uint8, ngrp int, ungrouped float64) *groupedBuilder {
	qT, s := rows.qT, rows.s
	b := &groupedBuilder{off: off, ix: ix, qT: qT, s: s, nxy: s - qT, gid: gid,
		lvl: make([]int32, len(off.rows)), slot: make([]int32, qT*ngrp), stamp: make([]int32, qT*ngrp),
		rowStamp: make([]int32, qT), rowHead: make([]int32, qT), accXY: make([]float64, ngrp*(s-qT)),
		gStamp: make([]int32, ngrp), colPtr: make([]int32, s+1)}
	for a := 0; a < off.levels(); a++ {
		for p := off.colPtr[a]; p < off.colPtr[a+1]; p++ {
			b.lvl[p] = int32(a)
		}
	}
	// room for 0.4 of the level-by-level terms (InstEval needs 0.36) and,
	// for the rows, at most one per entry of the lower triangle
	est := int(0.4 * ungrouped)
	nrow := min(est, rows.s*(rows.s+1)/2)
	b.row = make([]int32, 0, nrow)
	b.ptr = make([]int32, 1, nrow+1)
	b.grp = make([]uint8, 0, est)
	b.val = make([]float64, 0, est)
	return b
}

// column forms and appends column j's products.
func (b *groupedBuilder) column(j int) {
	b.poolG, b.poolV, b.poolNext, b.touched, b.groups = b.poolG[:0], b.poolV[:0], b.poolNext[:0], b.touched[:0], b.groups[:0]
	tag := int32(j + 1)
	a1 := b.off.a
	for e := b.ix.colPtr[j]; e < b.ix.colPtr[j+1]; e++ {
		p, end := int(b.ix.pos[e]), int(b.ix.end[e])
		gg := int(b.gid[b.lvl[p]])
		if b.gStamp[gg] != tag {
			b.gStamp[gg] = tag
			b.groups = append(b.groups, uint8(gg))
		}
		vj := a1[p]
		pp := b.addTermRows(gg, p, end-b.nxy, vj, tag)
		acc := b.accXY[gg*b.nxy : (gg+1)*b.nxy]
		r0 := int(b.off.rows[pp]) - b.qT
		for i, v := range a1[pp:end] {
			acc[r0+i] += v * vj
		}
	}
	b.emitTermRows()
	b.emitXYRows(j)
	b.colPtr[j+1] = int32(len(b.row))
}

// addTermRows adds group gg's products with vj over the term rows of
// positions p..xy−1 to the pool, and returns the first position past them.
func (b *groupedBuilder) addTermRows(gg, p, xy int, vj float64, tag int32) int {
	a1 := b.off.a
	pp := p
	for ; pp < xy; pp++ {
		r := b.off.rows[pp]
		v := a1[pp] * vj
		key := gg*b.qT + int(r)
		if b.stamp[key] == tag {
			b.poolV[b.slot[key]] += v
			continue
		}
		b.stamp[key] = tag
		b.slot[key] = int32(len(b.poolV))
		if b.rowStamp[r] != tag {
			b.rowStamp[r] = tag
			b.rowHead[r] = -1
			b.touched = append(b.touched, r)
		}
		b.poolG = append(b.poolG, uint8(gg))
		b.poolV = append(b.poolV, v)
		b.poolNext = append(b.poolNext, b.rowHead[r])
		b.rowHead[r] = int32(len(b.poolV) - 1)
	}
	return pp
}

// emitTermRows appends the pooled term rows of the column, increasing,
// each with its (group, value) list.
func (b *groupedBuilder) emitTermRows() {
	slices.Sort(b.touched)
	for _, r := range b.touched {
		b.row = append(b.row, r)
		for q := b.rowHead[r]; q >= 0; q = b.poolNext[q] {
			b.grp = append(b.grp, b.poolG[q])
			b.val = append(b.val, b.poolV[q])
		}
		b.ptr = append(b.ptr, int32(len(b.val)))
	}
}

// emitXYRows appends column j's rows of X and y (those ≥ j), each with
// every group touching the column, and clears their sums.
func (b *groupedBuilder) emitXYRows(j int) {
	slices.Sort(b.groups)
	for r := max(j, b.qT); r < b.s; r++ {
		b.row = append(b.row, int32(r))
		for _, gg := range b.groups {
			b.grp = append(b.grp, gg)
			b.val = append(b.val, b.accXY[int(gg)*b.nxy+r-b.qT])
		}
		b.ptr = append(b.ptr, int32(len(b.val)))
	}
	for _, gg := range b.groups {
		clear(b.accXY[int(gg)*b.nxy : (int(gg)+1)*b.nxy])
	}
}
