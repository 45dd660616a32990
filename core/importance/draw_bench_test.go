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

// BenchmarkDrawSigma times a draw from N(u*, Σ̃) by the dense factor
// (u* + R⁻¹z, O(q²)) and by the sparse one (u* + P·L⁻ᵀz, O(nnz(L))), with
// Σ̃⁻¹ of a Poisson model with two crossed factors: balanced (q/2 levels
// each, n = 4q observations) and unbalanced (q − 50 and 50 levels). The
// sparse factor's share of a dense triangle is reported as "fill".
//
//	go test ./core/importance -run - -bench DrawSigma -count 3
func BenchmarkDrawSigma(b *testing.B) {
	for _, q := range []int{1000, 5000} {
		for _, design := range []struct {
			name   string
			qa, qb int
		}{{"balanced", q / 2, q / 2}, {"unbalanced", q - 50, 50}} {
			p, s := crossedSigmaInv(b, 4*q, design.qa, design.qb, 1)
			p.P = [3]float64{0, 0, 1}
			dd, err := New(q, p)
			if err != nil {
				b.Fatal(err)
			}
			p.SigmaInv, p.SigmaInvCSR = nil, s
			sd, err := newDensity(q, p, 0)
			if err != nil {
				b.Fatal(err)
			}
			_, nnz := sd.SparseFactor()
			fill := float64(nnz) / (float64(q) * float64(q+1) / 2)
			const k = 16
			dst := make([]float64, k*q)
			for _, path := range []struct {
				name string
				d    *Density
			}{{"dense", dd}, {"sparse", sd}} {
				b.Run(fmt.Sprintf("q=%d/%s/%s", q, design.name, path.name), func(b *testing.B) {
					for b.Loop() {
						path.d.Draw(1, 0, k, dst)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*k), "ns/sample")
					b.ReportMetric(fill, "fill")
				})
			}
		}
	}
}
