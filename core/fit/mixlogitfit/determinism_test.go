package mixlogitfit

import (
	"math"
	"testing"
)

// numbers flattens every number of a result except the timings.
func numbers(r *Result) []float64 {
	v := append([]float64{}, r.Estimate[:]...)
	v = append(v, r.Vcov[:]...)
	v = append(v, r.SE[:]...)
	v = append(v, r.LogLik)
	v = append(v, r.Gradient[:]...)
	v = append(v, r.Posterior...)
	v = append(v, float64(r.Iterations), r.MCVcov[0], r.LogLikMC, r.LogLikMCSE,
		float64(r.SampleSize), float64(r.TotalDraws), float64(r.NewtonSteps), r.ESSMean, r.ESSMin)
	v = append(v, r.MCVcov[:]...)
	v = append(v, r.MCSE[:]...)
	for _, it := range r.Trace {
		v = append(v, float64(it.Iter), it.LogLik, float64(it.SampleSize), float64(it.Augmentations),
			it.DeltaQ, it.ASE, it.Lower, it.Upper, it.ESSMean, it.ESSMin)
		v = append(v, it.Estimate[:]...)
	}
	return v
}

// TestWorkersBitIdentical: 1, 2 and 4 workers give bit-identical results
// (per-subject random streams, sums over fixed blocks of subjects).
func TestWorkersBitIdentical(t *testing.T) {
	m := testModel(t, 150, 12, 9)
	for _, method := range []Method{MCEM, Quadrature} {
		var ref []float64
		for _, w := range []int{1, 2, 4} {
			got := numbers(fit(t, m, method, func(o *Options) { o.Workers, o.Seed = w, 42 }))
			if ref == nil {
				ref = got
				continue
			}
			if len(got) != len(ref) {
				t.Fatalf("%v, %d workers: %d numbers, %d with 1 worker", method, w, len(got), len(ref))
			}
			for k := range got {
				if math.Float64bits(got[k]) != math.Float64bits(ref[k]) {
					t.Fatalf("%v, %d workers: number %d is %v, %v with 1 worker", method, w, k, got[k], ref[k])
				}
			}
		}
	}
}

// TestSeed: the same seed repeats the fit exactly; another seed gives
// another Monte Carlo sample and so another estimate.
func TestSeed(t *testing.T) {
	m := testModel(t, 150, 12, 9)
	a := fit(t, m, MCEM, func(o *Options) { o.Seed = 7 })
	b := fit(t, m, MCEM, func(o *Options) { o.Seed = 7 })
	c := fit(t, m, MCEM, func(o *Options) { o.Seed = 8 })
	if a.Estimate != b.Estimate || a.TotalDraws != b.TotalDraws {
		t.Errorf("seed 7 twice: %v and %v", a.Estimate, b.Estimate)
	}
	if a.Estimate == c.Estimate {
		t.Errorf("seeds 7 and 8 give the same estimate %v", a.Estimate)
	}
}
