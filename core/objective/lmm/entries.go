package lmm

// termEntries holds one observation's nonzeros in the trailing rows of the
// terms after the first: for each such term, its k rows of the
// observation's level and the weighted values √w·z there.
type termEntries struct {
	row []int32
	val []float64
}

func newTermEntries(terms []termInfo) termEntries {
	ne := 0
	for r := 1; r < len(terms); r++ {
		ne += terms[r].k
	}
	return termEntries{row: make([]int32, ne), val: make([]float64, ne)}
}

// load fills the entries of observation i from zw = √w·Z (per term).
func (e *termEntries) load(i int, terms []termInfo, zw [][]float64, rows *tailRows) {
	n := len(terms[0].codes)
	j := 0
	for r := 1; r < len(terms); r++ {
		t := terms[r]
		g := rows.levelRow(r, int(t.codes[i]))
		for c := 0; c < t.k; c++ {
			e.row[j] = int32(g + c)
			e.val[j] = zw[r][c*n+i]
			j++
		}
	}
}
