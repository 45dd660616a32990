package laplace

import "testing"

// BenchmarkParts times the parts of one PIRLS step on VerbAgg's slow
// factor: the pass over the observations, Refill and Solve.
func BenchmarkParts(b *testing.B) {
	m := referenceModel(b, "VerbAgg")
	var ref = glmmReferences(b)
	r := ref[0]
	for _, x := range ref {
		if x.Name == "VerbAgg" && x.NAGQ == 1 {
			r = x
		}
	}
	if _, err := m.Laplace(r.Theta, r.Beta); err != nil {
		b.Fatal(err)
	}
	lm, _ := m.noXModel()
	ws := &m.ws
	b.Run("points", func(b *testing.B) {
		for b.Loop() {
			m.points(ws.eta, ws.score, ws.wt)
		}
	})
	b.Run("refill", func(b *testing.B) {
		for b.Loop() {
			if err := lm.Refill(ws.work, ws.wt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("solve", func(b *testing.B) {
		for b.Loop() {
			if _, err := lm.Solve(r.Theta, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		for b.Loop() {
			if err := lm.Evaluate(r.Theta); err != nil {
				b.Fatal(err)
			}
		}
	})
}
