//go:build !noasm

package dense

import (
	"math"
	"math/rand/v2"
	"testing"
)

// withKernel runs f with the kernel chosen by avx512 and avx2 (and its
// tile shape), if the CPU has it, restoring the default after.
func withKernel(t *testing.T, avx512, avx2 bool, f func()) {
	if avx512 && !useAVX512 || avx2 && !(useAVX2 || useAVX512) {
		t.Skip("the CPU lacks this kernel")
	}
	saved512, saved2, smr, snr := useAVX512, useAVX2, mr, nr
	defer func() { useAVX512, useAVX2, mr, nr = saved512, saved2, smr, snr }()
	useAVX512, useAVX2 = avx512, avx2
	mr, nr = 12, 4
	if avx512 {
		mr, nr = 24, 8
	}
	f()
}

// TestEveryKernel: each kernel the CPU has computes the tile and the
// chunked subtraction of the portable one (to rounding: the Go kernel does
// not fuse), and the factorisation through it matches the textbook one.
func TestEveryKernel(t *testing.T) {
	for _, kc := range []struct {
		name         string
		avx512, avx2 bool
	}{{"avx512", true, false}, {"avx2", false, true}, {"go", false, false}} {
		t.Run(kc.name, func(t *testing.T) {
			withKernel(t, kc.avx512, kc.avx2, func() {
				r := rand.New(rand.NewPCG(7, 8))
				for _, k := range []int{1, 5, 96, 97, 300} {
					a := make([]float64, k*mr)
					b := make([]float64, k*nr)
					for i := range a {
						a[i] = r.NormFloat64()
					}
					for i := range b {
						b[i] = r.NormFloat64()
					}
					var x, y tile
					kernelGo(k, a, b, &x)
					kernel(k, a, b, &y)
					ldc := mr + 5
					c1 := make([]float64, nr*ldc)
					for i := range c1 {
						c1[i] = r.NormFloat64()
					}
					c2 := append([]float64(nil), c1...)
					kernelSub(k, a, b, c1, ldc)
					kernelSubGo(k, a, b, c2, ldc)
					for i := 0; i < mr*nr; i++ {
						if math.Abs(x[i]-y[i]) > 1e-12*(1+math.Abs(x[i])) {
							t.Fatalf("k=%d: tile entry %d: Go %g, kernel %g", k, i, x[i], y[i])
						}
					}
					for i := range c1 {
						if math.Abs(c1[i]-c2[i]) > 1e-12*(1+math.Abs(c2[i])) {
							t.Fatalf("k=%d: C entry %d: Go %g, kernel %g", k, i, c2[i], c1[i])
						}
					}
				}
				for _, sz := range [][2]int{{1, 1}, {7, 3}, {8, 5}, {33, 17}, {96, 95}, {101, 40}} {
					m, nn := sz[0], sz[1]
					am := make([]float64, (m+2)*nn)
					x := make([]float64, nn)
					for i := range am {
						am[i] = r.NormFloat64()
					}
					for i := range x {
						x[i] = r.NormFloat64()
					}
					y1 := make([]float64, m)
					for i := range y1 {
						y1[i] = r.NormFloat64()
					}
					y2 := append([]float64(nil), y1...)
					subMulVec(m, nn, am, m+2, x, y1)
					subMulVecGo(m, nn, am, m+2, x, y2)
					for i := range y1 {
						if y1[i] != y2[i] {
							t.Fatalf("subMulVec %v: y[%d] = %.17g, Go %.17g", sz, i, y1[i], y2[i])
						}
					}
				}
				n := 500
				a := spd(n, n, 3)
				want := append([]float64(nil), a...)
				naive(n, want, n)
				f := &Factorizer{Workers: 2}
				defer f.Close()
				if err := f.Factor(n, a, n); err != nil {
					t.Fatal(err)
				}
				for i := range a {
					if i%n >= i/n && math.Abs(a[i]-want[i]) > 1e-12 {
						t.Fatalf("L entry %d: %g, textbook %g", i, a[i], want[i])
					}
				}
			})
		})
	}
}
