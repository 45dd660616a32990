package lmm

import "runtime"

// The downdate D −= W·Wᵀ (W the first term's off-diagonal block) is the
// second largest cost per θ after the dense factorisation. Done level by
// level of the first term, its writes scatter over the whole s×s matrix;
// done column by column of D (each column gathering the levels that touch
// it, from an index built once) every write lands in one column that stays
// in cache, and columns can be shared among goroutines without locks.

// downIndex is the column view of W's pattern: for tail column j, the
// positions p (into rows/wt1) with rows[p] == j, each with the end of its
// level's list, so that the rows ≥ j of that level are p..end.
type downIndex struct {
	colPtr []int   // s+1
	pos    []int32 // positions into rows/wt1
	end    []int32 // end of the level's list for each entry of pos
	split  []int   // column ranges of equal work, one per worker
}

func (m *Model) buildDownIndex(workers int) {
	s := m.s
	ix := &m.dix
	ix.colPtr = make([]int, s+1)
	for _, r := range m.rows {
		ix.colPtr[r+1]++
	}
	for j := 0; j < s; j++ {
		ix.colPtr[j+1] += ix.colPtr[j]
	}
	ix.pos = make([]int32, len(m.rows))
	ix.end = make([]int32, len(m.rows))
	fill := append([]int(nil), ix.colPtr[:s]...)
	work := make([]float64, s)
	for a := 0; a < m.l1; a++ {
		for p := m.colPtr[a]; p < m.colPtr[a+1]; p++ {
			j := m.rows[p]
			ix.pos[fill[j]] = int32(p)
			ix.end[fill[j]] = int32(m.colPtr[a+1])
			fill[j]++
			work[j] += float64(m.colPtr[a+1] - p)
		}
	}
	if workers < 1 {
		workers = 1
	}
	total := 0.0
	for _, w := range work {
		total += w
	}
	ix.split = make([]int, workers+1)
	acc, w := 0.0, 1
	for j := 0; j < s && w < workers; j++ {
		acc += work[j]
		if acc >= total*float64(w)/float64(workers) {
			ix.split[w] = j + 1
			w++
		}
	}
	for ; w <= workers; w++ {
		ix.split[w] = s
	}
	ix.split[workers] = s
	// a small system is not worth a hand-off
	if total < 2e5 {
		ix.split = []int{0, s}
	}
}

// downdate subtracts W·Wᵀ from the lower triangle of d.
func (m *Model) downdate() {
	nw := len(m.dix.split) - 1
	if nw == 1 {
		m.downdateColumns(0, m.s)
		return
	}
	m.startDownWorkers(nw)
	m.downWG.Add(nw - 1)
	for w := 1; w < nw; w++ {
		m.downJobs[w-1] <- w
	}
	m.downdateColumns(m.dix.split[0], m.dix.split[1])
	m.downWG.Wait()
}

func (m *Model) startDownWorkers(nw int) {
	if len(m.downJobs) >= nw-1 {
		return
	}
	for len(m.downJobs) < nw-1 {
		ch := make(chan int, 1)
		m.downJobs = append(m.downJobs, ch)
		go func() {
			for w := range ch {
				m.downdateColumns(m.dix.split[w], m.dix.split[w+1])
				m.downWG.Done()
			}
		}()
	}
}

func (m *Model) stopDownWorkers() {
	for _, ch := range m.downJobs {
		close(ch)
	}
	m.downJobs = nil
}

// downdateColumns does columns j0..j1−1.
func (m *Model) downdateColumns(j0, j1 int) {
	s, k1 := m.s, m.k1
	ix := &m.dix
	rows, w := m.rows, m.wt1
	for j := j0; j < j1; j++ {
		col := m.d[j*s : (j+1)*s]
		for e := ix.colPtr[j]; e < ix.colPtr[j+1]; e++ {
			p, end := int(ix.pos[e]), int(ix.end[e])
			if k1 == 1 {
				wj := w[p]
				if wj == 0 {
					continue
				}
				ws := w[p:end]
				rs := rows[p:end]
				for i, r := range rs {
					col[r] -= ws[i] * wj
				}
				continue
			}
			wj := w[p*k1 : (p+1)*k1]
			for pp := p; pp < end; pp++ {
				wi := w[pp*k1 : (pp+1)*k1]
				sum := 0.0
				for c, v := range wi {
					sum += v * wj[c]
				}
				col[rows[pp]] -= sum
			}
		}
	}
}

// downWorkers returns the number of goroutines the downdate may use.
func downWorkers() int { return runtime.GOMAXPROCS(0) }
