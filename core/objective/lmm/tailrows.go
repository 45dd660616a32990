package lmm

// tailRows maps the s rows (and columns) of the trailing block to what
// they hold: the random effects of the terms after the first (qT rows,
// each level's k rows together), then X's kept columns, then y. The Λ
// scaling of the trailing block and of the first term's block against it
// reads this map.
type tailRows struct {
	s, qT  int
	term   []int32   // term (index into the model's terms) of each row, −1 for X and y
	group  []int32   // first row of the row's level (the row itself for X and y)
	scalar bool      // every term after the first has k = 1: Λ is a scale per row
	scale  []float64 // scalar case: λ of each row at the current θ, 1 for X and y
}

func newTailRows(terms []termInfo, qT, s int) tailRows {
	t := tailRows{s: s, qT: qT, term: make([]int32, s), group: make([]int32, s), scalar: true, scale: make([]float64, s)}
	for r := 1; r < len(terms); r++ {
		tm := terms[r]
		if tm.k != 1 {
			t.scalar = false
		}
		for row := tm.tail; row < tm.tail+tm.q; row++ {
			t.term[row] = int32(r)
			t.group[row] = int32(tm.tail + (row-tm.tail)/tm.k*tm.k)
		}
	}
	for row := qT; row < s; row++ {
		t.term[row] = -1
		t.group[row] = int32(row)
		t.scale[row] = 1
	}
	return t
}

// setScale sets the per-row λ of the scalar case from Λ's templates.
func (t *tailRows) setScale(lam *lambda, terms []termInfo) {
	if !t.scalar {
		return
	}
	for r := 1; r < len(terms); r++ {
		tm := terms[r]
		v := lam.template(r)[0]
		for row := tm.tail; row < tm.tail+tm.q; row++ {
			t.scale[row] = v
		}
	}
}

// level returns, for a row of a term, the term's template and k and the
// first row g of the row's level (the row is column row−g of its level's
// block); ok is false for the rows of X and y.
func (t *tailRows) level(row int, lam *lambda) (L []float64, k, g int, ok bool) {
	r := t.term[row]
	if r < 0 {
		return nil, 0, 0, false
	}
	return lam.template(int(r)), lam.k[r], int(t.group[row]), true
}
