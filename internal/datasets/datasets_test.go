package datasets

import (
	"testing"

	"github.com/glmmgo/glmmgo/internal/refcase"
)

// TestSalamanderMatchesGlmm: the design built from the CSV is glmm's (the
// reference case holds glmm's own X, Z and y).
func TestSalamanderMatchesGlmm(t *testing.T) {
	s, err := Salamander()
	if err != nil {
		t.Fatal(err)
	}
	c, err := refcase.Load(refcase.Dir() + "/salamander_m300_mle.json")
	if err != nil {
		t.Fatal(err)
	}
	d := s.Data
	if d.N != c.N || d.P != c.P || d.Q != c.Q || d.NVC != c.NVC {
		t.Fatalf("dims %d %d %d %d vs %d %d %d %d", d.N, d.P, d.Q, d.NVC, c.N, c.P, c.Q, c.NVC)
	}
	for i := range d.Y {
		if d.Y[i] != c.Y[i] {
			t.Fatalf("y[%d]", i)
		}
	}
	for i := range d.X {
		if d.X[i] != c.X[i] {
			t.Fatalf("X[%d]", i)
		}
	}
	dense := func(rows, cols []int64, vals []float64) map[[2]int64]float64 {
		m := map[[2]int64]float64{}
		for k := range rows {
			m[[2]int64{rows[k], cols[k]}] += vals[k]
		}
		return m
	}
	a, b := dense(d.ZRow, d.ZCol, d.ZVal), dense(c.Z.Row, c.Z.Col, c.Z.Val)
	if len(a) != len(b) {
		t.Fatalf("Z has %d entries, glmm's %d", len(a), len(b))
	}
	for k, v := range b {
		if a[k] != v {
			t.Fatalf("Z%v = %v, glmm %v", k, a[k], v)
		}
	}
	for j, v := range c.VCOf() {
		if d.VCOf[j] != v {
			t.Fatalf("component of column %d", j)
		}
	}
}
