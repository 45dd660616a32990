package laplace

import (
	"testing"
)

// benchEval times one evaluation of the Laplace objective (β given) near
// lme4's optimum, alternating between two nearby points so that every
// evaluation runs PIRLS from the other point's mode, as an optimiser's
// evaluations do.
func benchEval(b *testing.B, name string, fast bool) {
	m := referenceModel(b, name)
	var ref = glmmReferences(b)
	for _, r := range ref {
		if r.Name != name || r.NAGQ != 1 {
			continue
		}
		nt := m.NTheta()
		th0 := r.Theta
		th1 := append([]float64(nil), th0...)
		th1[0] *= 1.01
		be := r.Beta
		steps := 0
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			th := th0
			if i%2 == 1 {
				th = th1
			}
			var err error
			if fast {
				_, err = m.LaplaceFast(th[:nt])
			} else {
				_, err = m.Laplace(th[:nt], be)
			}
			if err != nil {
				b.Fatal(err)
			}
			it, _ := m.Iterations(fast)
			steps += it + 1
		}
		b.ReportMetric(float64(steps)/float64(b.N), "pirls-steps/op")
		return
	}
	b.Fatal("no reference")
}

func BenchmarkVerbAggLaplace(b *testing.B)     { benchEval(b, "VerbAgg", false) }
func BenchmarkVerbAggLaplaceFast(b *testing.B) { benchEval(b, "VerbAgg", true) }
func BenchmarkCbppLaplace(b *testing.B)        { benchEval(b, "cbpp", false) }
