package pirls

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
	"gonum.org/v1/gonum/mat"
)

// randomProblem is a crossed two-factor design with a covariate, weights and
// an offset.
func randomProblem(t *testing.T, fam family.Code, disp float64) (Problem, []float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, uint64(fam)))
	const n, g1, g2 = 120, 8, 5
	q := g1 + g2
	x := make([]float64, 2*n)
	y, w, off, nt := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var row, col []int64
	var val []float64
	for i := range n {
		x[i], x[n+i] = 1, r.NormFloat64()
		row = append(row, int64(i), int64(i))
		col = append(col, int64(i%g1), int64(g1+i%g2))
		val = append(val, 1, 0.5+r.Float64())
		w[i] = 0.5 + r.Float64()
		off[i] = 0.3 * r.NormFloat64()
		nt[i] = 1
		eta := 0.2 + 0.5*x[n+i] + off[i] + r.NormFloat64()
		switch fam {
		case family.Bernoulli:
			if r.Float64() < 1/(1+math.Exp(-eta)) {
				y[i] = 1
			}
		case family.Binomial:
			nt[i] = float64(1 + r.IntN(6))
			for range int(nt[i]) {
				if r.Float64() < 1/(1+math.Exp(-eta)) {
					y[i]++
				}
			}
		default:
			y[i] = float64(r.IntN(int(3*math.Exp(eta)) + 1))
		}
	}
	z, err := sparse.FromTriplets(n, q, row, col, val)
	if err != nil {
		t.Fatal(err)
	}
	a := make([]float64, q)
	for j := range a {
		a[j] = 0.8
		if j >= g1 {
			a[j] = -0.5 // negative scales are allowed (PQL's σ may wander)
		}
	}
	return Problem{Response: response.Response{Family: fam, Y: y, Trials: nt, Weights: w, Offset: off, Dispersion: disp}, N: n, P: 2, Q: q, X: x, Z: z}, a
}

// TestStationaryAndLogDet checks the solution against dense algebra: the
// gradient of P vanishes, and log|AZ′WZA + I| matches a dense Cholesky.
func TestStationaryAndLogDet(t *testing.T) {
	for _, c := range []struct {
		fam  family.Code
		disp float64
	}{{family.Bernoulli, 0}, {family.Binomial, 0}, {family.Poisson, 0}, {family.NegBinomial, 2.5}} {
		pr, a := randomProblem(t, c.fam, c.disp)
		s, err := New(pr)
		if err != nil {
			t.Fatal(err)
		}
		var res Result
		if err := s.Solve(a, nil, nil, Options{}, &res); err != nil {
			t.Fatalf("%v: %v", c.fam, err)
		}
		n, q := pr.N, pr.Q
		zd := pr.Z.Dense()
		gb := make([]float64, pr.P)
		gs := make([]float64, q)
		wv := make([]float64, n)
		for j := range gs {
			gs[j] = -res.S[j]
		}
		for i := range n {
			eta := pr.Offset[i] + pr.X[i]*res.Beta[0] + pr.X[n+i]*res.Beta[1]
			for j := range q {
				eta += zd[j*n+i] * a[j] * res.S[j]
			}
			if math.Abs(eta-res.Eta[i]) > 1e-12 {
				t.Fatalf("%v: eta[%d] %v vs %v", c.fam, i, eta, res.Eta[i])
			}
			_, d1, cw := c.fam.LogLik(pr.Y[i], eta, pr.Trials[i], pr.Dispersion)
			r := pr.Weights[i] * d1
			wv[i] = pr.Weights[i] * cw
			gb[0] += pr.X[i] * r
			gb[1] += pr.X[n+i] * r
			for j := range q {
				gs[j] += a[j] * zd[j*n+i] * r
			}
		}
		for _, g := range append(gb, gs...) {
			if math.Abs(g) > 1e-8 {
				t.Errorf("%v: gradient %v at the solution", c.fam, append(gb, gs...))
				break
			}
		}
		cm := mat.NewSymDense(q, nil)
		for j := range q {
			for k := j; k < q; k++ {
				var v float64
				for i := range n {
					v += a[j] * zd[j*n+i] * wv[i] * zd[k*n+i] * a[k]
				}
				if j == k {
					v++
				}
				cm.SetSym(j, k, v)
			}
		}
		var ch mat.Cholesky
		ch.Factorize(cm)
		if math.Abs(ch.LogDet()-res.LogDet) > 1e-10 {
			t.Errorf("%v: log det %v, dense %v", c.fam, res.LogDet, ch.LogDet())
		}
		// Warm start from the solution converges at once to the same point.
		var again Result
		if err := s.Solve(a, res.Beta, res.S, Options{}, &again); err != nil || again.Iter > 1 ||
			math.Abs(again.Penalised-res.Penalised) > 1e-12*math.Abs(res.Penalised) {
			t.Errorf("%v: warm start: %v iterations, P %v vs %v, %v", c.fam, again.Iter, again.Penalised, res.Penalised, err)
		}
	}
}

func TestInvalid(t *testing.T) {
	pr, a := randomProblem(t, family.Poisson, 0)
	s, _ := New(pr)
	var res Result
	if err := s.Solve(a[:3], nil, nil, Options{}, &res); err == nil {
		t.Error("short a accepted")
	}
	a[0] = math.NaN()
	if err := s.Solve(a, nil, nil, Options{}, &res); err == nil {
		t.Error("NaN scale accepted")
	}
	bad := pr
	bad.Y = bad.Y[:4]
	if _, err := New(bad); err == nil {
		t.Error("short y accepted")
	}
	bad = pr
	bad.Family = family.NegBinomial
	if _, err := New(bad); err == nil {
		t.Error("negative binomial without dispersion accepted")
	}
	// Collinear X: the fixed-effects block is singular.
	col := pr
	col.X = append(append([]float64(nil), pr.X[:pr.N]...), pr.X[:pr.N]...)
	s2, _ := New(col)
	a[0] = 0.8
	if err := s2.Solve(a, nil, nil, Options{}, &res); err == nil {
		t.Error("collinear X accepted")
	}
}
