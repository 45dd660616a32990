package dense

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// spd returns a random n×n SPD matrix (column-major, leading dimension lda)
// with a well spread spectrum: B·Bᵀ/n + I.
func spd(n, lda int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]float64, n*n)
	for i := range b {
		b[i] = r.NormFloat64()
	}
	a := make([]float64, lda*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			s := 0.0
			for l := 0; l < n; l++ {
				s += b[i+l*n] * b[j+l*n]
			}
			a[i+j*lda] = s / float64(n)
		}
		a[j+j*lda] += 1
	}
	return a
}

// naive is the textbook unblocked Cholesky, the oracle.
func naive(n int, a []float64, lda int) {
	for j := 0; j < n; j++ {
		for l := 0; l < j; l++ {
			for i := j; i < n; i++ {
				a[i+j*lda] -= a[j+l*lda] * a[i+l*lda]
			}
		}
		d := math.Sqrt(a[j+j*lda])
		for i := j; i < n; i++ {
			a[i+j*lda] /= d
		}
	}
}

func TestFactorMatchesNaive(t *testing.T) {
	for _, tc := range []struct{ n, lda, workers int }{
		{1, 1, 1}, {3, 5, 1}, {7, 7, 2}, {95, 95, 2}, {96, 100, 1}, {97, 97, 2},
		{200, 203, 2}, {400, 400, 2}, {400, 401, 1}, {333, 333, 3},
	} {
		a := spd(tc.n, tc.lda, uint64(tc.n))
		want := append([]float64(nil), a...)
		naive(tc.n, want, tc.lda)
		f := &Factorizer{Workers: tc.workers}
		if err := f.Factor(tc.n, a, tc.lda); err != nil {
			t.Fatalf("n=%d: %v", tc.n, err)
		}
		f.Close()
		worst := 0.0
		for j := 0; j < tc.n; j++ {
			for i := j; i < tc.n; i++ {
				worst = math.Max(worst, math.Abs(a[i+j*tc.lda]-want[i+j*tc.lda]))
			}
		}
		if worst > 1e-12 {
			t.Errorf("n=%d lda=%d workers=%d: max |L-Lnaive| = %g", tc.n, tc.lda, tc.workers, worst)
		}
	}
}

func TestKernelGoMatchesAssembly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{1, 2, 5, 96} {
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
		for i := range x {
			if math.Abs(x[i]-y[i]) > 1e-12*(1+math.Abs(x[i])) {
				t.Fatalf("k=%d: entry %d Go %g vs kernel %g", k, i, x[i], y[i])
			}
		}
	}
}

func TestNotPositiveDefinite(t *testing.T) {
	for _, n := range []int{3, 150} {
		a := spd(n, n, 9)
		a[(n-1)+(n-1)*n] = -5 // last pivot goes negative
		f := &Factorizer{}
		err := f.Factor(n, a, n)
		f.Close()
		if err == nil {
			t.Fatalf("n=%d: want an error for an indefinite matrix", n)
		}
	}
	a := []float64{math.NaN()}
	if err := new(Factorizer).Factor(1, a, 1); err == nil {
		t.Fatal("want an error for a NaN pivot")
	}
}

func TestFactorAllocatesNothing(t *testing.T) {
	n := 300
	a0 := spd(n, n, 5)
	a := make([]float64, len(a0))
	f := &Factorizer{Workers: 2}
	defer f.Close()
	copy(a, a0)
	_ = f.Factor(n, a, n)
	allocs := testing.AllocsPerRun(5, func() {
		copy(a, a0)
		if err := f.Factor(n, a, n); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Factor allocates %v times per call after the first", allocs)
	}
}

const benchN = 1128

func BenchmarkFactor1128(b *testing.B) {
	a0 := spd(benchN, benchN, 1)
	a := make([]float64, len(a0))
	f := &Factorizer{}
	defer f.Close()
	b.ReportAllocs()
	for b.Loop() {
		copy(a, a0)
		if err := f.Factor(benchN, a, benchN); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFactor1128Serial(b *testing.B) {
	a0 := spd(benchN, benchN, 1)
	a := make([]float64, len(a0))
	f := &Factorizer{Workers: 1}
	for b.Loop() {
		copy(a, a0)
		if err := f.Factor(benchN, a, benchN); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGonumPotrf1128 is the baseline: gonum's Dpotrf on the same matrix.
func BenchmarkGonumPotrf1128(b *testing.B) {
	a0 := spd(benchN, benchN, 1)
	a := make([]float64, len(a0))
	for b.Loop() {
		copy(a, a0)
		// gonum is row-major; the lower column-major factor is its upper one.
		m := blas64.Symmetric{N: benchN, Stride: benchN, Data: a, Uplo: blas.Upper}
		if _, ok := lapack64.Potrf(m); !ok {
			b.Fatal("not PD")
		}
	}
}

func TestKernelSub(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	k, ldc := 7, mr+3
	a := make([]float64, k*mr)
	b := make([]float64, k*nr)
	for i := range a {
		a[i] = r.NormFloat64()
	}
	for i := range b {
		b[i] = r.NormFloat64()
	}
	c1 := make([]float64, nr*ldc)
	for i := range c1 {
		c1[i] = r.NormFloat64()
	}
	c2 := append([]float64(nil), c1...)
	kernelSub(k, a, b, c1, ldc)
	kernelSubGo(k, a, b, c2, ldc)
	for i := range c1 {
		if math.Abs(c1[i]-c2[i]) > 1e-12 {
			t.Fatalf("entry %d: %g vs %g", i, c1[i], c2[i])
		}
	}
}

func TestGram(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {7, 3}, {300, 9}, {1000, 29}, {513, 13}} {
		n, p := sz[0], sz[1]
		cols := make([][]float64, p)
		for j := range cols {
			cols[j] = make([]float64, n)
			for i := range cols[j] {
				cols[j][i] = float64((i*7+j*13)%11) - 5 + 0.25*float64(j)
			}
		}
		g := make([]float64, p*p)
		Gram(n, cols, g)
		for j := 0; j < p; j++ {
			for i := j; i < p; i++ {
				s := 0.0
				for l := 0; l < n; l++ {
					s += cols[i][l] * cols[j][l]
				}
				if d := g[j*p+i] - s; d > 1e-9*(1+abs(s)) || d < -1e-9*(1+abs(s)) {
					t.Fatalf("n=%d p=%d: g[%d,%d] = %g, want %g", n, p, i, j, g[j*p+i], s)
				}
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestFactorColumns: factoring the first ncol columns of an m×m matrix
// gives the first ncol columns of its full factor and leaves the rest.
func TestFactorColumns(t *testing.T) {
	for _, tc := range []struct{ m, ncol, workers int }{
		{5, 2, 1}, {100, 7, 2}, {300, 96, 2}, {500, 200, 1}, {600, 400, 2}, {500, 500, 2}, {50, 0, 1},
	} {
		lda := tc.m + 2
		a := spd(tc.m, lda, uint64(tc.m+tc.ncol))
		want := append([]float64(nil), a...)
		naive(tc.m, want, lda)
		got := append([]float64(nil), a...)
		f := &Factorizer{Workers: tc.workers}
		if err := f.FactorColumns(tc.m, tc.ncol, got, lda); err != nil {
			t.Fatal(err)
		}
		f.Close()
		for j := 0; j < tc.m; j++ {
			for i := j; i < tc.m; i++ {
				w := want[j*lda+i]
				if j >= tc.ncol {
					w = a[j*lda+i] // untouched
				}
				if d := math.Abs(got[j*lda+i] - w); d > 1e-12 {
					t.Fatalf("m=%d ncol=%d: entry (%d,%d) = %g, want %g", tc.m, tc.ncol, i, j, got[j*lda+i], w)
				}
			}
		}
	}
}

func TestMulABt(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var p Multiplier
	for _, tc := range []struct{ m, n, k int }{{1, 1, 1}, {3, 5, 2}, {30, 17, 40}, {100, 50, 96}, {7, 300, 13}, {4, 4, 0}} {
		lda, ldb, ldc := tc.m+1, tc.n+3, tc.m+2
		a := make([]float64, lda*tc.k)
		b := make([]float64, ldb*tc.k)
		for i := range a {
			a[i] = r.NormFloat64()
		}
		for i := range b {
			b[i] = r.NormFloat64()
		}
		c := make([]float64, ldc*tc.n)
		for i := range c {
			c[i] = 99
		}
		p.MulABt(tc.m, tc.n, tc.k, a, lda, b, ldb, c, ldc)
		for j := 0; j < tc.n; j++ {
			for i := 0; i < tc.m; i++ {
				s := 0.0
				for l := 0; l < tc.k; l++ {
					s += a[l*lda+i] * b[l*ldb+j]
				}
				if math.Abs(c[j*ldc+i]-s) > 1e-12*(1+math.Abs(s)) {
					t.Fatalf("%v: C[%d,%d] = %g, want %g", tc, i, j, c[j*ldc+i], s)
				}
			}
		}
	}
}
