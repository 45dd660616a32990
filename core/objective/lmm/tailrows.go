package lmm

// tailRows maps the s rows (and columns) of the trailing block to what
// they hold, in the factor's order: the random effects of the terms after
// the first (qT rows, each level's k rows together, the levels in the
// order of the factor — term by term for a dense trailing block, a
// fill-reducing order for a sparse one), then X's kept columns, then y.
// The Λ scaling of the trailing block and of the first term's block
// against it reads this map.
type tailRows struct {
	s, qT  int
	term   []int32   // term (index into the model's terms) of each row, −1 for X and y
	group  []int32   // first row of the row's level (the row itself for X and y)
	start  [][]int32 // start[r][l]: first row of level l of term r ≥ 1
	scalar bool      // every term after the first has k = 1: Λ is a scale per row
	scale  []float64 // scalar case: λ of each row at the current θ, 1 for X and y
}

// naturalStarts lays the later terms' levels out term by term, level by
// level: the dense trailing block's order.
func naturalStarts(terms []termInfo) [][]int32 {
	start := make([][]int32, len(terms))
	for r := 1; r < len(terms); r++ {
		t := terms[r]
		start[r] = make([]int32, t.nlevels)
		for l := range start[r] {
			start[r][l] = int32(t.tail + l*t.k)
		}
	}
	return start
}

func newTailRows(terms []termInfo, qT, s int, start [][]int32) tailRows {
	t := tailRows{s: s, qT: qT, term: make([]int32, s), group: make([]int32, s), start: start, scalar: true, scale: make([]float64, s)}
	for r := 1; r < len(terms); r++ {
		tm := terms[r]
		if tm.k != 1 {
			t.scalar = false
		}
		for _, g := range start[r] {
			for c := int32(0); c < int32(tm.k); c++ {
				t.term[g+c] = int32(r)
				t.group[g+c] = g
			}
		}
	}
	for row := qT; row < s; row++ {
		t.term[row] = -1
		t.group[row] = int32(row)
		t.scale[row] = 1
	}
	return t
}

// levelRow returns the first row of level l of term r ≥ 1.
func (t *tailRows) levelRow(r, l int) int { return int(t.start[r][l]) }

// setScale sets the per-row λ of the scalar case from Λ's templates.
func (t *tailRows) setScale(lam *lambda) {
	if !t.scalar {
		return
	}
	for row, r := range t.term[:t.qT] {
		t.scale[row] = lam.template(int(r))[0]
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
