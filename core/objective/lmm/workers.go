package lmm

// SetWorkers sets how many goroutines later evaluations may use: 0, a
// negative count or more than GOMAXPROCS mean GOMAXPROCS (the default).
// Each goroutine owns whole columns of the downdate and whole column
// panels of the dense factorisation, so results do not depend on the
// count. Changing it re-plans the downdate's split of the columns, which
// costs about as much as that part of New; setting the current count again
// costs nothing.
func (m *Model) SetWorkers(w int) {
	if m.closed {
		return
	}
	if w < 1 || w > maxWorkers() {
		w = maxWorkers()
	}
	if w == m.workers {
		return
	}
	m.workers = w
	m.tail.setWorkers(w)
	m.index = newColumnIndex(&m.off, m.rows.s, w)
	m.grp.build(&m.first, &m.off, &m.index, &m.rows, w)
}
