package mclafit

import (
	"fmt"
	"testing"
)

// BenchmarkSalamander times whole salamander fits (PQL, sampling, trust,
// inference) at m = 10³, 10⁴, 10⁵ on 1 and 2 workers, and reports the trust
// iterations. Run one at a time on a shared machine, e.g.
//
//	go test ./core/fit/mclafit -run - -bench Salamander -benchtime 3x -benchmem
func BenchmarkSalamander(b *testing.B) {
	d := salamander(b)
	for _, m := range []int{1000, 10000, 100000} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("m=%d/workers=%d", m, w), func(b *testing.B) {
				b.ReportAllocs()
				var f *Fit
				for b.Loop() {
					var err error
					if f, err = Run(d, Options{M: m, Seed: 1, Workers: w}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(f.Iter), "trust-iters")
				b.ReportMetric(f.PQLTime.Seconds(), "pql-s")
				b.ReportMetric(f.SampleTime.Seconds(), "sample-s")
				b.ReportMetric(f.TrustTime.Seconds(), "trust-s")
			})
		}
	}
}
