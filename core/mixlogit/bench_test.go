package mixlogit

import "testing"

// BenchmarkEval500x20: one evaluation of ℓ, ∇ℓ and ∇²ℓ at n = 500, T = 20
// (the simulation study's size) at the simulation truth.
func BenchmarkEval500x20(b *testing.B) {
	c := quadCases[2]
	m := quadModel(b, c, 500)
	for _, w := range []struct {
		name    string
		workers int
	}{{"workers=1", 1}, {"workers=2", 2}} {
		b.Run(w.name, func(b *testing.B) {
			l, _ := m.Likelihood(w.workers)
			g, h := make([]float64, NumParams), make([]float64, NumParams*NumParams)
			for b.Loop() {
				if _, err := l.Eval(c.p, g, h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
