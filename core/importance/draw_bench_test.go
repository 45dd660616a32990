package importance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/parallel"
)

// BenchmarkDraw times one block of draws from each mixture component at
// q = 120 (salamander's size) and q = 1000, and the log density of a block.
//
//	go test ./core/importance -run - -bench Draw -benchtime 200x
func BenchmarkDraw(b *testing.B) {
	for _, q := range []int{120, 1000} {
		imp := params(q)
		for c := range 3 {
			imp.P = [3]float64{}
			imp.P[c] = 1
			d, err := New(q, imp)
			if err != nil {
				b.Fatal(err)
			}
			dst := make([]float64, parallel.BlockSize*q)
			b.Run(fmt.Sprintf("q=%d/component=%d", q, c), func(b *testing.B) {
				for b.Loop() {
					d.Draw(1, 0, parallel.BlockSize, dst)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*parallel.BlockSize), "ns/sample")
			})
			if c == 2 {
				b.Run(fmt.Sprintf("q=%d/logprob", q), func(b *testing.B) {
					for b.Loop() {
						for k := range parallel.BlockSize {
							d.LogProb(dst[k*q : (k+1)*q])
						}
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*parallel.BlockSize), "ns/sample")
				})
			}
		}
		b.Run(fmt.Sprintf("q=%d/normals", q), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			z := make([]float64, q)
			for b.Loop() {
				for range parallel.BlockSize {
					for j := range z {
						z[j] = r.NormFloat64()
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*parallel.BlockSize), "ns/sample")
		})
	}
}
