package mcla

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refcase"
)

// unitBernoulli builds an unweighted Bernoulli model with n rows, p columns
// of X, rows of Z with 1..w entries (ragged, so the ELL has zero padding),
// and m samples of scale su.
func unitBernoulli(t testing.TB, n, p, w, m int, su float64, seed uint64) (*Model, Data) {
	return rowModel(t, family.Bernoulli, n, p, w, m, su, seed)
}

// rowModel is unitBernoulli for Bernoulli (unit weights) or Poisson (weights
// in [0.5, 1.5)).
func rowModel(t testing.TB, fam family.Code, n, p, w, m int, su float64, seed uint64) (*Model, Data) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 11))
	ga, gb := 7, 5
	if n < 12 {
		ga, gb = 1, 1
	}
	q := ga + gb
	d := Data{Response: response.Response{Family: fam, Y: make([]float64, n)}, N: n, P: p, Q: q, NVC: 2, X: make([]float64, n*p), VCOf: make([]int64, q)}
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			d.X[j*n+i] = r.NormFloat64()
		}
		if p > 0 {
			d.X[i] = 1
		}
		k := min(1+r.IntN(w), q)
		cols := r.Perm(q)[:k]
		for e, c := range cols {
			if e == 0 {
				c = i % q // every column of Z is used
			} else if c == i%q {
				continue
			}
			d.ZRow = append(d.ZRow, int64(i))
			d.ZCol = append(d.ZCol, int64(c))
			d.ZVal = append(d.ZVal, 0.5+r.Float64())
		}
		d.Y[i] = float64(r.IntN(2))
		if fam == family.Poisson {
			d.Y[i] = float64(r.IntN(6))
			if d.Weights == nil {
				d.Weights = make([]float64, n)
			}
			d.Weights[i] = 0.5 + r.Float64()
		}
	}
	for j := ga; j < q; j++ {
		d.VCOf[j] = 1
	}
	mod, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	imp := importance.Params{Zeta: 5, P: [3]float64{0.2, 0.3, 0.5}, UStar: make([]float64, q), DStar: make([]float64, q), SigmaInv: make([]float64, q*q)}
	for j := 0; j < q; j++ {
		imp.UStar[j] = 0.3 * r.NormFloat64()
		imp.DStar[j] = 0.5 + r.Float64()
		imp.SigmaInv[j*q+j] = 1/imp.DStar[j] + 2
	}
	if err := mod.SetImportance(imp, 1); err != nil {
		t.Fatal(err)
	}
	umat := make([]float64, m*q)
	for i := range umat {
		umat[i] = su * r.NormFloat64()
	}
	if err := mod.SetSamples(m, umat, 1); err != nil {
		t.Fatal(err)
	}
	return mod, d
}

// withGo runs f with the assembly row kernels switched off.
func withGo(f func()) {
	old := useAVX2
	useAVX2 = false
	defer func() { useAVX2 = old }()
	f()
}

// TestRowsSIMDMatchesGo compares the assembly row loops (unweighted
// Bernoulli, Poisson) with the Go loops on one sample at a time: log f, dv and X′r, for ragged n, several p and Z
// widths, and η from moderate to beyond the fast exp range.
func TestRowsSIMDMatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2+FMA")
	}
	for _, fam := range []family.Code{family.Bernoulli, family.Poisson} {
		for _, n := range []int{2, 3, 4, 5, 38, 64, 131, 360} {
			for _, p := range []int{1, 3, 4, 5, 6, 9} {
				for _, su := range []float64{0.5, 5, 60, 400, 800} {
					name := fmt.Sprintf("%v/n=%d/p=%d/su=%g", fam, n, p, su)
					m, _ := rowModel(t, fam, n, p, 3, 20, su, uint64(n*100+p))
					simd := m.rowsBernoulliUnitSIMD
					if fam == family.Poisson {
						simd = m.rowsPoissonSIMD
					}
					if n >= 4 && m.simd == nil {
						t.Fatalf("%s: no packed data", name)
					}
					r := rand.New(rand.NewPCG(uint64(n), uint64(p)))
					xb := make([]float64, n)
					for i := range xb {
						xb[i] = su * r.NormFloat64()
					}
					ws := &workerScratch{eta: make([]float64, n), ex: make([]float64, n), lanes: make([]float64, laneLen(p))}
					dv1, dv2 := make([]float64, n), make([]float64, n)
					g1, g2 := make([]float64, p), make([]float64, p)
					fell := 0
					for k := 0; k < m.Samples(); k++ {
						u := sampleOf(m, k)
						if _, ok := simd(xb, u, dv1, g1, ws); !ok {
							fell++
						}
						v1 := m.rows(xb, u, dv1, g1, ws)
						var v2 float64
						withGo(func() { v2 = m.rows(xb, u, dv2, g2, ws) })
						// Poisson terms w(yη − μ) may cancel: measure against
						// Σ w(y|η| + μ).
						vs, rs := 0.0, make([]float64, n)
						for i := range rs {
							rs[i] = 1
							if fam == family.Poisson {
								vs += m.w[i]*m.y[i]*math.Abs(m.eta(i, xb, u)) + dv2[i]
								rs[i] = m.w[i]*m.y[i] + dv2[i]
							}
						}
						if !close13(v1, v2, vs) {
							t.Fatalf("%s sample %d: log f %.17g, Go %.17g", name, k, v1, v2)
						}
						for i := range dv1 {
							if !close13(dv1[i], dv2[i], 0) {
								t.Fatalf("%s sample %d: dv[%d] %.17g, Go %.17g", name, k, i, dv1[i], dv2[i])
							}
						}
						for j := range g1 {
							// rᵢ = yᵢ − c′ᵢ is a difference of numbers in [0, 1]:
							// its error is measured against Σᵢ|xᵢⱼ|.
							scale := 0.0
							for i := 0; i < n; i++ {
								scale += math.Abs(m.xRows[i*p+j]) * rs[i]
							}
							if !close13(g1[j], g2[j], scale) {
								t.Fatalf("%s sample %d: X′r[%d] %.17g, Go %.17g", name, k, j, g1[j], g2[j])
							}
						}
					}
					// The kernel must run in range and hand over beyond it.
					if n >= 4 && su <= 5 && fell > 0 {
						t.Errorf("%s: %d samples fell back to Go", name, fell)
					}
					if n >= 40 && su >= 800 && fell == 0 {
						t.Errorf("%s: no sample fell back to Go", name)
					}
				}
			}
		}
	}
}

// close13 is |a − b| ≤ 1e-13·max(|a|, |b|, scale) (cancellation in sums is
// measured against scale), or both NaN (e^η overflowed in both).
func close13(a, b, scale float64) bool {
	if a == b || math.IsNaN(a) && math.IsNaN(b) {
		return true
	}
	return math.Abs(a-b) <= 1e-13*max(math.Abs(a), math.Abs(b), scale)
}

// TestEvaluateSIMDMatchesGo compares value, gradient and Hessian of the
// whole objective with and without the assembly kernel.
func TestEvaluateSIMDMatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2+FMA")
	}
	for _, fam := range []family.Code{family.Bernoulli, family.Poisson} {
		for _, n := range []int{7, 40, 101} {
			for _, b0 := range []float64{0.3, -4, 750, -750} {
				if fam == family.Poisson && b0 == 750 {
					continue // e^η overflows
				}
				m, _ := rowModel(t, fam, n, 3, 2, 400, 1, uint64(n))
				par := []float64{b0, -0.4, 0.3, 0.8, 1.7}
				d := m.NPar()
				r1 := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
				r2 := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
				if err := m.Evaluate(par, 2, &r1); err != nil {
					t.Fatal(err)
				}
				var err error
				withGo(func() { err = m.Evaluate(par, 2, &r2) })
				if err != nil {
					t.Fatal(err)
				}
				if !close13(r1.Value, r2.Value, 0) {
					t.Errorf("%v n=%d β₀=%g: value %.17g, Go %.17g", fam, n, b0, r1.Value, r2.Value)
				}
				gs, hs := 0.0, 0.0
				for _, g := range r2.Gradient {
					gs = max(gs, math.Abs(g))
				}
				for _, h := range r2.Hessian {
					hs = max(hs, math.Abs(h))
				}
				// The Hessian is E[gg′] − E[g]E[g]′ over the weighted samples
				// (Finish): ulp-level differences in g come back multiplied
				// by |E[g]|². For Poisson, whose scores hardly vary at
				// β₀ = −4, that is the scale its error is measured against.
				if fam == family.Poisson {
					hs = max(hs, gs*gs)
				}
				for i := range r1.Gradient {
					if !close13(r1.Gradient[i], r2.Gradient[i], gs) {
						t.Errorf("%v n=%d β₀=%g: gradient[%d] %.17g, Go %.17g", fam, n, b0, i, r1.Gradient[i], r2.Gradient[i])
					}
				}
				for i := range r1.Hessian {
					if !close13(r1.Hessian[i], r2.Hessian[i], hs) {
						t.Errorf("%v n=%d β₀=%g: Hessian[%d] %.17g, Go %.17g", fam, n, b0, i, r1.Hessian[i], r2.Hessian[i])
					}
				}
			}
		}
	}
}

// TestGoFallbackMatchesNaive forces the Go row loop (and plain addScaled)
// and checks unweighted Bernoulli values against the naive evaluation and
// across worker counts, with η in and beyond the fast exp range.
func TestGoFallbackMatchesNaive(t *testing.T) {
	withGo(func() {
		m, d := unitBernoulli(t, 41, 3, 2, 200, 1, 3)
		d.Weights = make([]float64, d.N) // naiveValue wants them spelt out
		for i := range d.Weights {
			d.Weights[i] = 1
		}
		for _, b0 := range []float64{0.2, 750} {
			par := []float64{b0, -0.4, 0.3, 0.8, 1.7}
			var r1, r2 Result
			if err := m.Evaluate(par, 1, &r1); err != nil {
				t.Fatal(err)
			}
			if err := m.Evaluate(par, 2, &r2); err != nil {
				t.Fatal(err)
			}
			if r1.Value != r2.Value {
				t.Errorf("β₀=%g: value %v with 1 worker, %v with 2", b0, r1.Value, r2.Value)
			}
			if want := naiveValue(m, d, par); relErr(r1.Value, want) > 1e-12 {
				t.Errorf("β₀=%g: value %.15g, naive %.15g", b0, r1.Value, want)
			}
		}
	})
}

// TestAddScaled: the vector axpy rounds exactly as the plain loop.
func TestAddScaled(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for n := 0; n < 40; n++ {
		x, y, want := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = r.NormFloat64(), r.NormFloat64()
		}
		a := r.NormFloat64()
		for i := range want {
			want[i] = y[i] + float64(a*x[i])
		}
		addScaled(y, a, x)
		for i := range y {
			if y[i] != want[i] {
				t.Fatalf("n=%d: y[%d] = %v, want %v", n, i, y[i], want[i])
			}
		}
	}
}

// BenchmarkRowsSalamander times the row loop alone on salamander (ns per
// sample), with the assembly kernel and with the Go loop, interleavable in
// one process.
func BenchmarkRowsSalamander(b *testing.B) {
	c, err := refcase.Load(refcase.Dir() + "/salamander_m300_mle.json")
	if err != nil {
		b.Fatal(err)
	}
	m := modelFromCase(b, c)
	var res Result
	if err := m.Evaluate(c.Par, 1, &res); err != nil { // sets Xβ
		b.Fatal(err)
	}
	ws := m.scratch.perW[0]
	xb := m.scratch.xb
	for _, simd := range []bool{true, false} {
		b.Run(fmt.Sprintf("simd=%v", simd), func(b *testing.B) {
			old := useAVX2
			useAVX2 = useAVX2 && simd
			defer func() { useAVX2 = old }()
			k := 0
			for b.Loop() {
				_ = m.rows(xb, sampleOf(m, k), ws.d, ws.g[:m.p], ws)
				if k++; k == m.Samples() {
					k = 0
				}
			}
		})
	}
}

// BenchmarkRowsPoisson times the Poisson row loop on a synthetic model of
// salamander's shape (n = 360, p = 4, 1–2 entries per row of Z), kernel and
// Go loop.
func BenchmarkRowsPoisson(b *testing.B) {
	m, _ := rowModel(b, family.Poisson, 360, 4, 2, 1000, 0.5, 1)
	xb := make([]float64, m.n)
	ws := &workerScratch{eta: make([]float64, m.n), ex: make([]float64, m.n), lanes: make([]float64, laneLen(m.p))}
	dv, g := make([]float64, m.n), make([]float64, m.p)
	for _, simd := range []bool{true, false} {
		b.Run(fmt.Sprintf("simd=%v", simd), func(b *testing.B) {
			old := useAVX2
			useAVX2 = useAVX2 && simd
			defer func() { useAVX2 = old }()
			k := 0
			for b.Loop() {
				_ = m.rows(xb, sampleOf(m, k), dv, g, ws)
				if k++; k == m.Samples() {
					k = 0
				}
			}
		})
	}
}
