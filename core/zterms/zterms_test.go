package zterms

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// rebuild returns Z (dense, n×q column-major) from the terms.
func rebuild(g *Terms, n, q int) []float64 {
	d := make([]float64, n*q)
	for j := 0; j < q; j++ {
		t := g.Terms[g.Term[j]]
		for i := 0; i < n; i++ {
			if t.Codes[i] == g.Level[j] {
				d[j*n+i] = t.Z[i]
			}
		}
	}
	return d
}

func csr(t *testing.T, n, q int, trip [][3]float64) *sparse.CSR {
	var r, c []int64
	var v []float64
	for _, e := range trip {
		r, c, v = append(r, int64(e[0])), append(c, int64(e[1])), append(v, e[2])
	}
	z, err := sparse.FromTriplets(n, q, r, c, v)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// TestGrouping: crossed components stay one term each; a component with
// two nonzeros per row (two factors sharing a variance) splits into two
// terms of the same component; rows without a nonzero fall in an extra
// level; Z is rebuilt exactly from the terms in every case.
func TestGrouping(t *testing.T) {
	// 6 rows; columns 0–2: factor A (component 0), 3–4: factor B
	// (component 1), 5–6: factor C sharing component 1 with B, column 7:
	// component 2, present in rows 0–2 only.
	var trip [][3]float64
	for i := 0; i < 6; i++ {
		trip = append(trip, [3]float64{float64(i), float64(i % 3), 1}, [3]float64{float64(i), float64(3 + i%2), 0.5 + float64(i)},
			[3]float64{float64(i), float64(5 + i/3), -1})
		if i < 3 {
			trip = append(trip, [3]float64{float64(i), 7, 2})
		}
	}
	z := csr(t, 6, 8, trip)
	vc := []int{0, 0, 0, 1, 1, 1, 1, 2}
	g, err := FromCSR(z, vc)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Terms) != 4 {
		t.Fatalf("%d terms, want 4 (A, B, C split from B, the partial one)", len(g.Terms))
	}
	wantVC := []int{0, 1, 1, 2}
	for k, v := range g.VC {
		if v != wantVC[k] {
			t.Errorf("term %d: component %d, want %d", k, v, wantVC[k])
		}
	}
	if g.Empty[3] != 1 || g.Terms[3].NLevels != 2 || g.Empty[0] != -1 {
		t.Errorf("extra levels %v, term 3 has %d levels", g.Empty, g.Terms[3].NLevels)
	}
	want := z.Dense()
	got := rebuild(g, 6, 8)
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("rebuilt Z differs at %d: %g vs %g", k, got[k], want[k])
		}
	}
}

// TestSingleLevel: a component of one column present in every row cannot
// be a grouped term.
func TestSingleLevel(t *testing.T) {
	var trip [][3]float64
	for i := 0; i < 4; i++ {
		trip = append(trip, [3]float64{float64(i), 0, 1}, [3]float64{float64(i), float64(1 + i%2), 1})
	}
	_, err := FromCSR(csr(t, 4, 3, trip), []int{0, 1, 1})
	if errs.KindOf(err) != errs.Invalid {
		t.Errorf("got %v", err)
	}
}
