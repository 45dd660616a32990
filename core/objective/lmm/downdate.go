package lmm

// The downdate L₂₂ −= L₂₁·L₂₁′ (MixedModels.jl's rankUpdate!) is the
// second largest cost per θ after the dense factorisation. Done level by
// level of the first term, its writes would scatter over the whole s×s
// block; done column by column of the trailing block (each column
// gathering the levels that touch it, from an index built once) every
// write lands in one column that stays in cache, and columns can be
// shared among goroutines without locks.

// columnIndex is the column view of L₂₁'s pattern: for trailing column j,
// the positions p (into offBlock.rows and .w) with rows[p] == j, each with
// the end of its level's list, so that the rows ≥ j of that level are
// p..end−1.
type columnIndex struct {
	colPtr []int   // s+1
	pos    []int32 // positions into rows/w
	end    []int32 // end of the level's list for each entry of pos
	split  []int   // column ranges of about equal work, one per worker
}

// newColumnIndex builds the index of the pattern of b (s trailing rows)
// and splits the columns among workers by the number of products each
// needs.
func newColumnIndex(b *offBlock, s, workers int) columnIndex {
	ix := columnIndex{colPtr: make([]int, s+1), pos: make([]int32, len(b.rows)), end: make([]int32, len(b.rows))}
	for _, r := range b.rows {
		ix.colPtr[r+1]++
	}
	for j := 0; j < s; j++ {
		ix.colPtr[j+1] += ix.colPtr[j]
	}
	next := append([]int(nil), ix.colPtr[:s]...)
	work := make([]float64, s)
	for a := 0; a < b.levels(); a++ {
		end := b.colPtr[a+1]
		for p := b.colPtr[a]; p < end; p++ {
			j := b.rows[p]
			ix.pos[next[j]] = int32(p)
			ix.end[next[j]] = int32(end)
			next[j]++
			work[j] += float64(end - p)
		}
	}
	ix.split = splitColumns(work, tasksPerWorker*workers, 2e5)
	return ix
}

// splitColumns returns the boundaries of ranges column ranges of about
// equal total work, or a single range when the total is below minWork (a
// small system is not worth a hand-off).
func splitColumns(work []float64, ranges int, minWork float64) []int {
	s := len(work)
	total := 0.0
	for _, w := range work {
		total += w
	}
	if ranges < 1 {
		ranges = 1
	}
	if total < minWork {
		return []int{0, s}
	}
	split := make([]int, ranges+1)
	acc, w := 0.0, 1
	for j := 0; j < s && w < ranges; j++ {
		acc += work[j]
		if acc >= total*float64(w)/float64(ranges) {
			split[w] = j + 1
			w++
		}
	}
	for ; w <= ranges; w++ {
		split[w] = s
	}
	return split
}

// rankUpdate subtracts L₂₁·L₂₁′ from columns j0..j1−1 of the lower
// triangle of the trailing block t, as worker w.
func (ix *columnIndex) rankUpdate(t downdateTarget, w int, b *offBlock, j0, j1 int) {
	if b.k == 1 {
		ix.rankUpdateScalar(t, w, b, j0, j1)
		return
	}
	k := b.k
	for j := j0; j < j1; j++ {
		col, pos := t.column(w, j)
		for e := ix.colPtr[j]; e < ix.colPtr[j+1]; e++ {
			p, end := int(ix.pos[e]), int(ix.end[e])
			wj := b.w[p*k : (p+1)*k]
			for pp := p; pp < end; pp++ {
				wi := b.w[pp*k : (pp+1)*k]
				sum := 0.0
				for c, v := range wi {
					sum += v * wj[c]
				}
				r := b.rows[pp]
				if pos != nil {
					r = pos[r]
				}
				col[r] -= sum
			}
		}
	}
}

// rankUpdateScalar is rankUpdate for a scalar first term (k = 1).
func (ix *columnIndex) rankUpdateScalar(t downdateTarget, w int, b *offBlock, j0, j1 int) {
	for j := j0; j < j1; j++ {
		col, pos := t.column(w, j)
		for e := ix.colPtr[j]; e < ix.colPtr[j+1]; e++ {
			p, end := int(ix.pos[e]), int(ix.end[e])
			wj := b.w[p]
			if wj == 0 {
				continue
			}
			ws := b.w[p:end]
			rs := b.rows[p:end]
			if pos == nil {
				for i, r := range rs {
					col[r] -= ws[i] * wj
				}
				continue
			}
			for i, r := range rs {
				col[pos[r]] -= ws[i] * wj
			}
		}
	}
}
