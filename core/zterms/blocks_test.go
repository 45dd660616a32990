package zterms

import (
	"slices"
	"testing"
)

// TestBlocksOf: nested factors split into one block per outer group,
// crossed factors make one block, and a mixed design (a crossed pair
// beside an unrelated nested part, a row with no random effect and a row
// whose only entry is an explicit zero) gets exactly its components.
func TestBlocksOf(t *testing.T) {
	cases := []struct {
		name       string
		n, q       int
		trip       [][3]float64
		cols, rows [][]int
		free       []int
	}{
		{
			// Rows 0–5; outer groups (cols 0, 1) and inner ones (cols
			// 2–5), two inner per outer.
			name: "nested", n: 6, q: 6,
			trip: [][3]float64{{0, 0, 1}, {0, 2, 1}, {1, 0, 1}, {1, 3, 1}, {2, 0, 1}, {2, 3, 1},
				{3, 1, 1}, {3, 4, 1}, {4, 1, 1}, {4, 5, 1}, {5, 1, 1}, {5, 5, 1}},
			cols: [][]int{{0, 2, 3}, {1, 4, 5}}, rows: [][]int{{0, 1, 2}, {3, 4, 5}},
		},
		{
			// Two crossed factors of two levels each: every level meets
			// every other, one block.
			name: "crossed", n: 4, q: 4,
			trip: [][3]float64{{0, 0, 1}, {0, 2, 1}, {1, 0, 1}, {1, 3, 1}, {2, 1, 1}, {2, 2, 1}, {3, 1, 1}, {3, 3, 1}},
			cols: [][]int{{0, 1, 2, 3}}, rows: [][]int{{0, 1, 2, 3}},
		},
		{
			// Columns 0 and 3 crossed through rows 0 and 1; column 1 alone
			// (rows 2, 3); columns 2 and 4 linked by row 4 only (columns
			// listed out of order in the row); row 5 has no entry, row 6
			// only an explicit zero in column 0.
			name: "mixed", n: 7, q: 5,
			trip: [][3]float64{{0, 0, 1}, {0, 3, 2}, {1, 3, 1}, {2, 1, 1}, {3, 1, -1}, {4, 4, 1}, {4, 2, 1}, {6, 0, 0}},
			cols: [][]int{{0, 3}, {1}, {2, 4}}, rows: [][]int{{0, 1}, {2, 3}, {4}}, free: []int{5, 6},
		},
	}
	for _, c := range cases {
		b := BlocksOf(csr(t, c.n, c.q, c.trip))
		if b.N() != len(c.cols) {
			t.Errorf("%s: %d blocks, want %d", c.name, b.N(), len(c.cols))
			continue
		}
		for k := range c.cols {
			if !slices.Equal(b.Cols[k], c.cols[k]) || !slices.Equal(b.Rows[k], c.rows[k]) {
				t.Errorf("%s: block %d has columns %v rows %v, want %v and %v", c.name, k, b.Cols[k], b.Rows[k], c.cols[k], c.rows[k])
			}
			for _, j := range b.Cols[k] {
				if b.Of[j] != k {
					t.Errorf("%s: column %d is in block %d, Of says %d", c.name, j, k, b.Of[j])
				}
			}
			for _, i := range b.Rows[k] {
				if b.Row[i] != k {
					t.Errorf("%s: row %d is in block %d, Row says %d", c.name, i, k, b.Row[i])
				}
			}
		}
		if !slices.Equal(b.Free, c.free) {
			t.Errorf("%s: free rows %v, want %v", c.name, b.Free, c.free)
		}
		for _, i := range c.free {
			if b.Row[i] != -1 {
				t.Errorf("%s: free row %d has block %d", c.name, i, b.Row[i])
			}
		}
	}
}
