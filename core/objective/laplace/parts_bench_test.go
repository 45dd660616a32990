package laplace

import "testing"

// BenchmarkParts times the parts of one PIRLS step on VerbAgg's slow
// factor: the pass over the observations, Refill and Solve.
func BenchmarkParts(b *testing.B) {
	b.Run("VerbAgg", func(b *testing.B) {
		var ref = glmmReferences(b)
		for _, x := range ref {
			if x.Name == "VerbAgg" && x.NAGQ == 1 {
				benchParts(b, "VerbAgg", x.Theta, x.Beta)
			}
		}
	})
	b.Run("InstEvalBinary", func(b *testing.B) {
		benchParts(b, "InstEvalBinary", []float64{0.476, 0.796}, []float64{-0.160, -0.136})
	})
}

func benchParts(b *testing.B, name string, theta, beta []float64) {
	m := referenceModel(b, name)
	if _, err := m.Laplace(theta, beta); err != nil {
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
			if _, err := lm.Solve(theta, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		for b.Loop() {
			if err := lm.Evaluate(theta); err != nil {
				b.Fatal(err)
			}
		}
	})
}
