package pql

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// poissonCrossed is the benchmark design: n Poisson counts with an
// intercept and a covariate, and two crossed factors of qa and qb levels
// (two variance components), every level used, log means
// 0.2 + 0.3x + a + b with a ~ N(0, 0.5²), b ~ N(0, 0.3²).
func poissonCrossed(n, qa, qb int, seed uint64) (pirls.Problem, []int) {
	r := rand.New(rand.NewPCG(seed, 3))
	q := qa + qb
	a, b := make([]float64, qa), make([]float64, qb)
	for j := range a {
		a[j] = 0.5 * r.NormFloat64()
	}
	for j := range b {
		b[j] = 0.3 * r.NormFloat64()
	}
	x, y := make([]float64, 2*n), make([]float64, n)
	row, col, val := make([]int64, 0, 2*n), make([]int64, 0, 2*n), make([]float64, 0, 2*n)
	for i := 0; i < n; i++ {
		ia, ib := r.IntN(qa), r.IntN(qb)
		if i < qa {
			ia = i
		}
		if i < qb {
			ib = i
		}
		x[i], x[n+i] = 1, r.NormFloat64()
		mu := math.Exp(0.2 + 0.3*x[n+i] + a[ia] + b[ib])
		y[i] = poisson(r, mu)
		row, col, val = append(row, int64(i), int64(i)), append(col, int64(ia), int64(qa+ib)), append(val, 1, 1)
	}
	z, err := sparse.FromTriplets(n, q, row, col, val)
	if err != nil {
		panic(err)
	}
	vc := make([]int, q)
	for j := qa; j < q; j++ {
		vc[j] = 1
	}
	return pirls.Problem{Response: response.Response{Family: family.Poisson, Y: y}, N: n, P: 2, Q: q, X: x, Z: z}, vc
}

// poisson draws a Poisson count by inversion (means here are small).
func poisson(r *rand.Rand, mu float64) float64 {
	u, p, k := r.Float64(), math.Exp(-mu), 0.0
	s := p
	for u > s && k < 1000 {
		k++
		p *= mu / k
		s += p
	}
	return k
}

// BenchmarkPQL times PQL on the Poisson design with two crossed factors
// and n = 20 000: balanced (q/2 levels each) and unbalanced (q − 100 and
// 100 levels), blocked and — at q = 1 500, and at 3 000 with
// GLMMGO_BENCH_DENSE=1 — the dense path it replaces.
//
//	go test ./core/pql -run - -bench PQL -benchtime 1x -count 3
func BenchmarkPQL(b *testing.B) {
	const n = 20000
	for _, q := range []int{1500, 3000, 5000} {
		for _, design := range []string{"balanced", "unbalanced"} {
			qa, qb := q/2, q-q/2
			if design == "unbalanced" {
				qa, qb = q-100, 100
			}
			pr, vc := poissonCrossed(n, qa, qb, 1)
			paths := []bool{false}
			if q == 1500 || q == 3000 && os.Getenv("GLMMGO_BENCH_DENSE") != "" {
				paths = append(paths, true)
			}
			for _, dense := range paths {
				name := fmt.Sprintf("q=%d/%s/blocked", q, design)
				if dense {
					name = fmt.Sprintf("q=%d/%s/dense", q, design)
				}
				b.Run(name, func(b *testing.B) {
					var r *Result
					for b.Loop() {
						var err error
						if r, err = Fit(pr, vc, 2, Options{Dense: dense}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(r.Evals), "evals")
					b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/float64(r.Evals)*1e3, "ms/eval")
					b.ReportMetric(r.Sigma[0], "sigma1")
					b.ReportMetric(r.Sigma[1], "sigma2")
				})
			}
		}
	}
}

// BenchmarkPQLLarge is PQL at q = 50 000 (n = 100 000 Poisson counts; a
// factor of 49 900 levels crossed with one of 100): the blocked factor's
// first block is diagonal and its trailing block 100 + 3 rows, where the
// dense path would need q² doubles (20 GB) per copy.
func BenchmarkPQLLarge(b *testing.B) {
	pr, vc := poissonCrossed(100000, 49900, 100, 2)
	var r *Result
	for b.Loop() {
		var err error
		if r, err = Fit(pr, vc, 2, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.Evals), "evals")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/float64(r.Evals)*1e3, "ms/eval")
}
