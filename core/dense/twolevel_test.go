package dense

import (
	"fmt"
	"math"
	"testing"
)

// oneLevel is the one-level right-looking algorithm with panels of
// blockSize, every sum a chain of fused multiply-adds in increasing order
// from zero (as the tile kernels compute them): the factorisation before
// the outer blocks were introduced, the oracle of TestTwoLevelSameBits.
func oneLevel(n int, a []float64, lda int) error {
	li := make([]float64, blockSize*blockSize)
	for k0 := 0; k0 < n; k0 += blockSize {
		kb := min(blockSize, n-k0)
		if err := unblockedAxpy(kb, a[k0*lda+k0:], lda, k0); err != nil {
			return err
		}
		clear(li)
		for j := 0; j < kb; j++ {
			x := li[j*kb : j*kb+kb]
			x[j] = 1
			for i := j; i < kb; i++ {
				xi := x[i] / a[(k0+i)*lda+k0+i]
				x[i] = xi
				if xi == 0 {
					continue
				}
				col := a[(k0+i)*lda+k0 : (k0+i)*lda+k0+kb]
				axpyNeg(xi, col[i+1:kb], x[i+1:kb])
			}
		}
		r0 := k0 + kb
		p := make([]float64, kb)
		for i := r0; i < n; i++ {
			for j := 0; j < kb; j++ {
				acc := 0.0
				for l := 0; l <= j; l++ {
					acc = math.FMA(a[(k0+l)*lda+i], li[l*kb+j], acc)
				}
				p[j] = acc
			}
			for j := 0; j < kb; j++ {
				a[(k0+j)*lda+i] = p[j]
			}
		}
		for j := r0; j < n; j++ {
			for i := j; i < n; i++ {
				acc := 0.0
				for l := 0; l < kb; l++ {
					acc = math.FMA(a[(k0+l)*lda+i], a[(k0+l)*lda+j], acc)
				}
				a[j*lda+i] -= acc
			}
		}
	}
	return nil
}

// TestTwoLevelSameBits: with a fused multiply-add kernel the outer blocks
// leave every entry of the factor bit-identical to the one-level
// algorithm's, for orders around the block boundaries and any number of
// workers.
func TestTwoLevelSameBits(t *testing.T) {
	if kernelName() == "go 12x4" {
		t.Skip("the portable kernel does not fuse multiply-adds")
	}
	sizes := []int{95, 385, 769, 1900} // 1900: two column blocks of the trailing update
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, n := range sizes {
		for _, workers := range []int{1, 2, 3} {
			if n > 1000 && workers == 3 {
				continue
			}
			lda := n + 1
			var a []float64
			if n > 1000 {
				a = make([]float64, lda*n)
				d := diagDominant(n)
				for j := 0; j < n; j++ {
					copy(a[j*lda:j*lda+n], d[j*n:(j+1)*n])
				}
			} else {
				a = spd(n, lda, uint64(n))
			}
			want := append([]float64(nil), a...)
			if err := oneLevel(n, want, lda); err != nil {
				t.Fatal(err)
			}
			f := &Factorizer{Workers: workers}
			if err := f.Factor(n, a, lda); err != nil {
				t.Fatal(err)
			}
			f.Close()
			for j := 0; j < n; j++ {
				for i := j; i < n; i++ {
					if a[j*lda+i] != want[j*lda+i] {
						t.Fatalf("n=%d workers=%d: L[%d,%d] = %.17g, one-level %.17g", n, workers, i, j, a[j*lda+i], want[j*lda+i])
					}
				}
			}
		}
	}
}

// diagDominant returns an n×n symmetric matrix with entries in [−1, 1)
// off the diagonal and n on it: positive definite by Gershgorin's theorem,
// and cheap to build at any order.
func diagDominant(n int) []float64 {
	a := make([]float64, n*n)
	s := uint64(12345)
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			s ^= s << 13
			s ^= s >> 7
			s ^= s << 17
			v := float64(s>>11)/(1<<52) - 1
			if i == j {
				v = float64(n)
			}
			a[j*n+i], a[i*n+j] = v, v
		}
	}
	return a
}

// BenchmarkFactor is the factorisation at the orders of InstEval's
// trailing block and of crossed designs, with its rate in GFLOP/s
// (n³/3 flops).
func BenchmarkFactor(b *testing.B) {
	for _, n := range []int{1157, 4000, 10000} {
		for _, workers := range []int{1, 0} {
			name := fmt.Sprintf("n=%d/workers=%d", n, workers)
			b.Run(name, func(b *testing.B) {
				if n > 4000 && testing.Short() {
					b.Skip("-short")
				}
				a0 := diagDominant(n)
				a := make([]float64, len(a0))
				copy(a, a0) // fault the pages in before timing
				f := &Factorizer{Workers: workers}
				defer f.Close()
				b.ReportAllocs()
				for b.Loop() {
					copy(a, a0)
					if err := f.Factor(n, a, n); err != nil {
						b.Fatal(err)
					}
				}
				nf := float64(n)
				b.ReportMetric(nf*nf*nf/3/(b.Elapsed().Seconds()/float64(b.N))/1e9, "GFLOP/s")
			})
		}
	}
}

// axpyNeg sets y −= s·x (the oracle's axpy) (len(y) ≥ len(x)), four at a time.
func axpyNeg(s float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs := x[i : i+4 : i+4]
		ys := y[i : i+4 : i+4]
		ys[0] -= s * xs[0]
		ys[1] -= s * xs[1]
		ys[2] -= s * xs[2]
		ys[3] -= s * xs[3]
	}
	for ; i < len(x); i++ {
		y[i] -= s * x[i]
	}
}

// unblockedAxpy is the unblocked factorisation by axpys, as it was first
// written: the oracle of the matrix-vector form.
func unblockedAxpy(kb int, a []float64, lda, off int) error {
	for j := 0; j < kb; j++ {
		cj := a[j*lda : j*lda+kb]
		for l := 0; l < j; l++ {
			cl := a[l*lda : l*lda+kb]
			s := cl[j]
			if s == 0 {
				continue
			}
			axpyNeg(s, cl[j:kb], cj[j:kb])
		}
		d := cj[j]
		if !(d > 0) || math.IsInf(d, 1) {
			return fmt.Errorf("pivot %d is %g", off+j, d)
		}
		d = math.Sqrt(d)
		cj[j] = d
		inv := 1 / d
		for i, v := range cj[j+1 : kb] {
			cj[j+1+i] = v * inv
		}
	}
	return nil
}
