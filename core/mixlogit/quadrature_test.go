package mixlogit

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// bruteLogI is log ∫ φ(u) e^{h(β, σu)} du by composite 20-point
// Gauss–Legendre on 400 panels of width 1/8 covering [−25, 25] (z = σu),
// computed with the math package's exp and log1p: a rule independent of the
// package's (trapezoidal, mode-centred). The integrand is below φ(u), so
// the truncation error is below 1e-130, and each panel resolves the
// logistic factors, whose poles lie π/σ ≥ π/10 from the real axis.
func bruteLogI(y, x []float64, beta, sigma float64) float64 {
	const lim, panels = 25.0, 400
	logf := func(u float64) float64 {
		z := sigma * u
		s := -0.5*u*u - 0.5*math.Log(2*math.Pi)
		for j := range y {
			eta := beta*x[j] + z
			s += y[j]*eta - (math.Max(eta, 0) + math.Log1p(math.Exp(-math.Abs(eta))))
		}
		return s
	}
	// Scale by the largest value on a fine grid so that no term underflows.
	mx := math.Inf(-1)
	for u := -lim; u <= lim; u += 0.01 {
		mx = math.Max(mx, logf(u))
	}
	width := 2 * lim / panels
	var sum float64
	for p := range panels {
		a := -lim + float64(p)*width
		sum += quad.Fixed(func(u float64) float64 { return math.Exp(logf(u) - mx) }, a, a+width, 20, quad.Legendre{}, 1)
	}
	return mx + math.Log(sum)
}

type quadCase struct {
	name string
	t    int
	xsd  float64
	p    Params
}

// quadCases span short and long series, tiny and large σ and large |βx|;
// the last is the truth of Wang's course project (σ₂ = 10), where many
// subjects have all-0 or all-1 responses and their integrands are far
// from Gaussian: a 40-node adaptive Gauss–Hermite rule errs by 1e-3 there.
var quadCases = []quadCase{
	{"T1 large sigma", 1, 1, Params{-1, 2, 2, 5, 0.3}},
	{"T3", 3, 1, Params{-1, 1.5, 1, 2, 0.6}},
	{"T20 simulation truth", 20, 1, Params{-1, 1.5, 1, 2, 0.6}},
	{"T20 large beta x", 20, 2, Params{-3, 3, 0.5, 5, 0.5}},
	{"T50 small sigma", 50, 1, Params{0.2, 0.5, 0.05, 3, 0.2}},
	{"T20 course-project truth", 20, 1, Params{1, 1.5, 1, 10, 0.7}},
}

func quadModel(t testing.TB, c quadCase, n int) *Model {
	x := NormalCovariate(n, c.t, 7)
	for k := range x {
		x[k] *= c.xsd
	}
	d, _, err := Simulate(c.p, n, c.t, x, 11)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLogLikBruteForce: every class integral to 1e-11 and the
// log-likelihood to 1e-9 against composite Gauss–Legendre.
func TestLogLikBruteForce(t *testing.T) {
	for _, c := range quadCases {
		t.Run(c.name, func(t *testing.T) {
			m := quadModel(t, c, 12)
			l, err := m.Likelihood(1)
			if err != nil {
				t.Fatal(err)
			}
			var want float64
			for i := range m.N() {
				y, x := m.Subject(i)
				var li [2]float64
				for cl := range 2 {
					ci, err := l.integrate(i, c.p.Beta(cl), c.p.Sigma(cl))
					if err != nil {
						t.Fatal(err)
					}
					li[cl] = bruteLogI(y, x, c.p.Beta(cl), c.p.Sigma(cl))
					if d := math.Abs(ci.LogI - li[cl]); d > 1e-11 {
						t.Errorf("subject %d class %d: log I = %.15g, brute force %.15g (diff %.2e, %d nodes)", i, cl+1, ci.LogI, li[cl], d, ci.Nodes)
					}
				}
				want += math.Log(c.p.Pi(0)*math.Exp(li[0]) + c.p.Pi(1)*math.Exp(li[1]))
			}
			got, err := l.Eval(c.p, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(got - want); d > 1e-9 {
				t.Errorf("loglik = %.15g, brute force %.15g (diff %.2e)", got, want, d)
			}
		})
	}
}
