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
	if w < 1 || w > downWorkers() {
		w = downWorkers()
	}
	cur := m.chol.Workers
	if cur == 0 {
		cur = downWorkers()
	}
	if w == cur {
		return
	}
	m.chol.Workers = w
	m.buildDownIndex(w)
	m.buildGrouped(w)
}
