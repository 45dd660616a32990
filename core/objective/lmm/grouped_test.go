package lmm

import (
	"math"
	"testing"
)

// TestGroupedDowndate checks the grouped downdate against the level-by-level
// one on InstEval (where it applies) at every listed θ.
func TestGroupedDowndate(t *testing.T) {
	for _, ref := range references(t) {
		if ref.Name != "insteval_ml" {
			continue
		}
		m := newRef(t, ref)
		if !m.grp.on {
			t.Fatal("grouped downdate not used on InstEval")
		}
		for _, oa := range ref.ObjectiveAt {
			m.grp.on = true
			g, err := m.Objective(oa.Theta, false)
			if err != nil {
				t.Fatal(err)
			}
			m.grp.on = false
			u, err := m.Objective(oa.Theta, false)
			if err != nil {
				t.Fatal(err)
			}
			if rel := math.Abs(g-u) / math.Abs(u); rel > 1e-12 {
				t.Errorf("θ=%v: grouped %.15g, level by level %.15g (rel %.2g)", oa.Theta, g, u, rel)
			}
		}
	}
}
