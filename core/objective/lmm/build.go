package lmm

import (
	"slices"
)

// build computes, once, the first term's diagonal blocks, the sparsity
// pattern and values of its cross-products with the tail, and the dense
// tail cross-product matrix, from the weighted data.
func (m *Model) build(xw, yw []float64, zw [][]float64) {
	n, s := m.n, m.s
	t1 := m.terms[0]
	m.k1, m.l1 = t1.k, t1.nlevels
	k1 := m.k1

	// Tail row metadata.
	m.rowTerm = make([]int32, s)
	m.rowGroup = make([]int32, s)
	m.scalar = true
	for r := 1; r < len(m.terms); r++ {
		t := m.terms[r]
		if t.k != 1 {
			m.scalar = false
		}
		for row := t.tail; row < t.tail+t.q; row++ {
			m.rowTerm[row] = int32(r)
			m.rowGroup[row] = int32(t.tail + (row-t.tail)/t.k*t.k)
		}
	}
	for row := m.qT; row < s; row++ {
		m.rowTerm[row] = -1
		m.rowGroup[row] = int32(row)
	}

	// The tail entries of observation i: rows (increasing) and values.
	ne := s - m.qT
	for r := 1; r < len(m.terms); r++ {
		ne += m.terms[r].k
	}
	erow := make([]int32, 0, ne)
	eval := make([]float64, 0, ne)
	entries := func(i int) {
		erow, eval = erow[:0], eval[:0]
		for r := 1; r < len(m.terms); r++ {
			t := m.terms[r]
			g := t.tail + int(t.codes[i])*t.k
			for c := 0; c < t.k; c++ {
				erow = append(erow, int32(g+c))
				eval = append(eval, zw[r][c*n+i])
			}
		}
		for jj, j := range m.kept {
			erow = append(erow, int32(m.qT+jj))
			eval = append(eval, xw[j*n+i])
		}
		erow = append(erow, int32(s-1))
		eval = append(eval, yw[i])
	}

	// Observations grouped by the first term's level (counting sort).
	start := make([]int, m.l1+1)
	for _, c := range t1.codes {
		start[c+1]++
	}
	for a := 0; a < m.l1; a++ {
		start[a+1] += start[a]
	}
	obs := make([]int, n)
	fill := slices.Clone(start[:m.l1])
	for i, c := range t1.codes {
		obs[fill[c]] = i
		fill[c]++
	}

	// Z₁′Z₁ blocks.
	m.a11 = make([]float64, m.l1*k1*k1)
	z1 := zw[0]
	for i, c := range t1.codes {
		blk := m.a11[int(c)*k1*k1:]
		for cc := 0; cc < k1; cc++ {
			for r := 0; r < k1; r++ {
				blk[cc*k1+r] += z1[r*n+i] * z1[cc*n+i]
			}
		}
	}

	// Pattern of the first term against the tail: per level, the union of
	// its observations' tail rows (X and y rows always).
	stamp := make([]int32, s)
	for i := range stamp {
		stamp[i] = -1
	}
	m.colPtr = make([]int, m.l1+1)
	var rows []int32
	for a := 0; a < m.l1; a++ {
		first := len(rows)
		for _, i := range obs[start[a]:start[a+1]] {
			entries(i)
			for _, r := range erow {
				if stamp[r] != int32(a) {
					stamp[r] = int32(a)
					rows = append(rows, r)
				}
			}
		}
		slices.Sort(rows[first:])
		m.colPtr[a+1] = len(rows)
	}
	m.rows = rows
	m.at1 = make([]float64, len(rows)*k1)
	m.wt1 = make([]float64, len(rows)*k1)
	pos := make([]int32, s)
	for a := 0; a < m.l1; a++ {
		for p := m.colPtr[a]; p < m.colPtr[a+1]; p++ {
			pos[rows[p]] = int32(p)
		}
		for _, i := range obs[start[a]:start[a+1]] {
			entries(i)
			for c := 0; c < k1; c++ {
				z := z1[c*n+i]
				if z == 0 {
					continue
				}
				for e, r := range erow {
					m.at1[int(pos[r])*k1+c] += z * eval[e]
				}
			}
		}
	}

	// The dense tail: Σᵢ eᵢeᵢ′ over the tail entries, lower triangle, then
	// mirrored so that the Λ scaling can read whole columns.
	m.att = make([]float64, s*s)
	for i := 0; i < n; i++ {
		entries(i)
		for b, rb := range erow {
			vb := eval[b]
			if vb == 0 {
				continue
			}
			col := m.att[int(rb)*s:]
			for e := b; e < len(erow); e++ {
				col[erow[e]] += eval[e] * vb
			}
		}
	}
	for j := 0; j < s; j++ {
		for i := j + 1; i < s; i++ {
			m.att[i*s+j] = m.att[j*s+i]
		}
	}

	// Per-θ storage.
	m.d = make([]float64, s*s)
	m.l11 = make([]float64, m.l1*k1*k1)
	m.lamRow = make([]float64, s)
	m.tmp = make([]float64, s)
	m.lamOff = make([]int, len(m.terms))
	off := 0
	for r, t := range m.terms {
		m.lamOff[r] = off
		off += t.k * t.k
	}
	m.lam = make([]float64, off)
	m.theta = make([]float64, m.ntheta)
	m.buildDownIndex(downWorkers())
}
