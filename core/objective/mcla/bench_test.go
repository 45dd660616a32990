package mcla

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refcase"
)

// BenchmarkSalamander measures value+gradient+Hessian on the salamander model
// (n = 360, p = 4, q = 120, nvc = 2) with m = 10⁵ samples drawn from N(u*, D*).
// ns/sample = ns/op ÷ 10⁵ is the per-sample cost, the figure to compare with
// glmm's C code.
func BenchmarkSalamander(b *testing.B) { benchSalamander(b, 100000, []int{1, 2}) }

// BenchmarkSalamanderSmall is BenchmarkSalamander at m = 2000 on one worker,
// small enough for callgrind's instruction counts.
func BenchmarkSalamanderSmall(b *testing.B) { benchSalamander(b, 2000, []int{1}) }

func benchSalamander(b *testing.B, m int, workers []int) {
	c, err := refcase.Load(refcase.Dir() + "/salamander_m300_mle.json")
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	c.M = m
	c.UMat = make([]float64, m*c.Q)
	for j := 0; j < c.Q; j++ {
		for k := 0; k < m; k++ {
			c.UMat[j*m+k] = c.UStar[j] + r.NormFloat64()*math.Sqrt(c.DStar[j])
		}
	}
	mod := modelFromCase(b, c)
	d := mod.NPar()
	for _, w := range workers {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
			b.ReportAllocs()
			for b.Loop() {
				if err := mod.Evaluate(c.Par, w, &res); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(m), "ns/sample")
		})
	}
}
