package dense

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// lowerRand returns a random k×k lower triangular matrix with a diagonal
// in [1, 2) (well conditioned) and garbage in the upper triangle, which
// the routines must not read.
func lowerRand(k int, r *rand.Rand) []float64 {
	l := make([]float64, k*k)
	for j := 0; j < k; j++ {
		for i := 0; i < k; i++ {
			switch {
			case i == j:
				l[j*k+i] = 1 + r.Float64()
			case i > j:
				l[j*k+i] = r.Float64() - 0.5
			default:
				l[j*k+i] = math.NaN()
			}
		}
	}
	return l
}

// lowerAt reads L[i,j], zero above the diagonal.
func lowerAt(l []float64, k, i, j int) float64 {
	if i < j {
		return 0
	}
	return l[j*k+i]
}

func matMul(a, b []float64, k int) []float64 {
	c := make([]float64, k*k)
	for j := 0; j < k; j++ {
		for i := 0; i < k; i++ {
			for l := 0; l < k; l++ {
				c[j*k+i] += a[l*k+i] * b[j*k+l]
			}
		}
	}
	return c
}

// full returns L as a full matrix (zeros above the diagonal).
func full(l []float64, k int) []float64 {
	f := make([]float64, k*k)
	for j := 0; j < k; j++ {
		for i := j; i < k; i++ {
			f[j*k+i] = l[j*k+i]
		}
	}
	return f
}

func transpose(a []float64, k int) []float64 {
	t := make([]float64, k*k)
	for j := 0; j < k; j++ {
		for i := 0; i < k; i++ {
			t[i*k+j] = a[j*k+i]
		}
	}
	return t
}

func closeTo(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %.15g, want %.15g", what, i, got[i], want[i])
		}
	}
}

var sizes = []int{1, 2, 3, 5, 8}

func TestSmallCholesky(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range sizes {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			l := full(lowerRand(k, r), k)
			a := matMul(l, transpose(l, k), k) // SPD with factor l
			for j := 0; j < k; j++ {           // the upper triangle is not read
				for i := 0; i < j; i++ {
					a[j*k+i] = math.NaN()
				}
			}
			SmallCholesky(a, k)
			closeTo(t, "L", a, l)
		})
	}
}

func TestCongruence(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range sizes {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			l := lowerRand(k, r)
			a := make([]float64, k*k)
			for i := range a {
				a[i] = r.Float64() - 0.5
			}
			lf := full(l, k)
			want := matMul(transpose(lf, k), matMul(a, lf, k), k)
			wantT := matMul(lf, matMul(a, transpose(lf, k), k), k)
			out := make([]float64, k*k)
			work := make([]float64, k*k)
			Congruence(out, a, l, work, k)
			closeTo(t, "LᵀAL", out, want)
			CongruenceT(out, a, l, work, k)
			closeTo(t, "LALᵀ", out, wantT)
			in := append([]float64(nil), a...) // out may be a
			Congruence(in, in, l, work, k)
			closeTo(t, "LᵀAL in place", in, want)
		})
	}
}

func TestLowerMulAndSolve(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, k := range sizes {
		for _, inc := range []int{1, 3} {
			t.Run(fmt.Sprintf("k=%d,inc=%d", k, inc), func(t *testing.T) {
				l := lowerRand(k, r)
				x := make([]float64, k)
				for i := range x {
					x[i] = r.Float64() - 0.5
				}
				lx, ltx := make([]float64, k), make([]float64, k)
				for i := 0; i < k; i++ {
					for j := 0; j < k; j++ {
						lx[i] += lowerAt(l, k, i, j) * x[j]
						ltx[i] += lowerAt(l, k, j, i) * x[j]
					}
				}
				strided := func(v []float64) []float64 {
					s := make([]float64, (k-1)*inc+1)
					for i := range s {
						s[i] = -7 // between the elements: must be left alone
					}
					for i, vi := range v {
						s[i*inc] = vi
					}
					return s
				}
				gather := func(s []float64) []float64 {
					v := make([]float64, k)
					for i := range v {
						v[i] = s[i*inc]
					}
					for i := range s {
						if i%inc != 0 && s[i] != -7 {
							t.Fatalf("element %d between the strided ones changed", i)
						}
					}
					return v
				}
				y := strided(x)
				LowerMulVec(l, k, y, inc)
				closeTo(t, "Lx", gather(y), lx)
				y = strided(x)
				LowerTMulVec(l, k, y, inc)
				closeTo(t, "Lᵀx", gather(y), ltx)
				y = append([]float64(nil), lx...)
				LowerSolve(l, k, y)
				closeTo(t, "L⁻¹Lx", y, x)
				y = append([]float64(nil), ltx...)
				LowerTSolve(l, k, y)
				closeTo(t, "L⁻ᵀLᵀx", y, x)
			})
		}
	}
}

func TestLowerInverseAndCrossprod(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, k := range sizes {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			const lda = 11 // a sub-matrix of a larger one
			l := lowerRand(k, r)
			a := make([]float64, (k-1)*lda+k)
			for j := 0; j < k; j++ {
				copy(a[j*lda:j*lda+k], l[j*k:(j+1)*k])
			}
			inv := make([]float64, k*k)
			for i := range inv {
				inv[i] = math.NaN() // LowerInverse must clear it
			}
			LowerInverse(inv, a, lda, k)
			id := make([]float64, k*k)
			for i := 0; i < k; i++ {
				id[i*k+i] = 1
			}
			closeTo(t, "L·L⁻¹", matMul(full(l, k), inv, k), id)
			cp := make([]float64, k*k)
			LowerCrossprod(cp, inv, k)
			closeTo(t, "L⁻ᵀL⁻¹", cp, matMul(transpose(inv, k), inv, k))
		})
	}
}

func TestIndependentColumns(t *testing.T) {
	const n = 6
	one := []float64{1, 1, 1, 1, 1, 1}
	x1 := []float64{0, 1, 2, 3, 4, 5}
	x2 := []float64{3, 1, 4, 1, 5, 9}
	alias := make([]float64, n) // 2·one − x1
	almost := make([]float64, n)
	for i := range alias {
		alias[i] = 2*one[i] - x1[i]
		almost[i] = alias[i] + 1e-6*x2[i] // independent above R's tolerance
	}
	zero := make([]float64, n)
	for _, tc := range []struct {
		name          string
		cols          [][]float64
		kept, dropped []int
		gramFull      bool
	}{
		{"independent", [][]float64{one, x1, x2}, []int{0, 1, 2}, nil, true},
		{"aliased", [][]float64{one, x1, alias, x2}, []int{0, 1, 3}, []int{2}, false},
		{"zero column", [][]float64{one, zero, x1}, []int{0, 2}, []int{1}, false},
		{"nearly aliased", [][]float64{one, x1, almost}, []int{0, 1, 2}, nil, false},
		{"none", nil, nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := len(tc.cols)
			x := make([]float64, 0, n*p)
			for _, c := range tc.cols {
				x = append(x, c...)
			}
			kept, dropped := IndependentColumns(x, n, p)
			if fmt.Sprint(kept) != fmt.Sprint(tc.kept) || fmt.Sprint(dropped) != fmt.Sprint(tc.dropped) {
				t.Errorf("kept %v dropped %v, want %v and %v", kept, dropped, tc.kept, tc.dropped)
			}
			g := make([]float64, p*p)
			Gram(n, tc.cols, g)
			if got := GramFullRank(g, p, p); got != tc.gramFull {
				t.Errorf("GramFullRank = %v, want %v", got, tc.gramFull)
			}
		})
	}
}

// TestGramScaled checks that scaling rows while packing gives exactly the
// Gram matrix of the explicitly scaled columns.
func TestGramScaled(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, sz := range [][2]int{{1, 1}, {300, 9}, {1000, 29}} {
		n, p := sz[0], sz[1]
		cols := make([][]float64, p)
		scaled := make([][]float64, p)
		sw := make([]float64, n)
		for i := range sw {
			sw[i] = math.Sqrt(0.5 + r.Float64())
		}
		for j := range cols {
			cols[j] = make([]float64, n)
			scaled[j] = make([]float64, n)
			for i := range cols[j] {
				cols[j][i] = r.NormFloat64()
				scaled[j][i] = sw[i] * cols[j][i]
			}
		}
		g, want := make([]float64, p*p), make([]float64, p*p)
		GramScaled(n, cols, sw, g)
		Gram(n, scaled, want)
		for j := 0; j < p; j++ {
			for i := j; i < p; i++ {
				if g[j*p+i] != want[j*p+i] {
					t.Fatalf("n=%d p=%d: g[%d,%d] = %.17g, scaled columns give %.17g", n, p, i, j, g[j*p+i], want[j*p+i])
				}
			}
		}
	}
}

// Factor the 2×2 block Λᵀ·A·Λ + I of a random-intercept-and-slope term:
// ΛᵀAΛ + I = [7.75 7; 7 13], so L₁₁ = √7.75, L₂₁ = 7/L₁₁, L₂₂ = √(13 − L₂₁²).
func ExampleSmallCholesky() {
	a := []float64{4, 2, 2, 3}     // A, column-major
	lam := []float64{1, 0.5, 0, 2} // Λ, lower
	m := make([]float64, 4)
	Congruence(m, a, lam, make([]float64, 4), 2)
	m[0]++
	m[3]++
	SmallCholesky(m, 2)
	fmt.Printf("L = [%.4f 0; %.4f %.4f]\n", m[0], m[1], m[3])
	// Output: L = [2.7839 0; 2.5145 2.5841]
}
