package lmm

// fill is the numeric phase: it computes the θ-free cross-products of
// every block — Z₁′WZ₁ by level, [Z_t X y]′WZ₁ in L₂₁'s pattern, and
// [Z_t X y]′W[Z_t X y] dense — from the observations and √w, and the
// grouped downdate's products where it applies. gram is the Gram matrix of
// [√w·X, √w·y] over the kept columns (order p+1, lower triangle). Every
// sum runs over the observations in increasing order, so a model refilled
// with weights w has the numbers of a model built with them.
func (m *Model) fill(gram []float64) {
	o := &m.obs
	o.weightTerms(m.terms)
	t1 := m.terms[0]
	m.first.fill(o.zw[0], t1.codes)
	clear(m.off.a)
	m.off.fillTerms(m.terms, o.zw, &m.byLevel, &m.entries, &m.rows)
	m.prod.clear()
	nxy := m.p + 1
	for i0 := 0; i0 < m.n; i0 += rowBlock {
		xy := o.weightedRows(i0, min(i0+rowBlock, m.n))
		m.off.fillRows(i0, xy, nxy, o.zw[0], t1.codes)
		m.prod.fillRows(i0, xy, m.terms, o.zw, &m.entries, &m.rows)
	}
	m.prod.fillGram(gram)
	m.grp.build(&m.first, &m.off, &m.index, &m.rows, m.workers)
	m.l21 = false
}
