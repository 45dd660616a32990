package laplace

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/response"
	"gonum.org/v1/gonum/mat"
)

// splitmix is Vigna's splitmix64 generator, for reproducible data.
type splitmix uint64

func (s *splitmix) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *splitmix) unif() float64 { return float64(s.next()>>11) / (1 << 53) }

// smallCase is a small GLMM with crossed terms (the first with k columns:
// intercept, then a covariate), an offset and prior weights.
type smallCase struct {
	name string
	fam  family.Code
	link family.Link
	k    int
	r    float64 // NB size
}

var smallCases = []smallCase{
	{"bernoulli-logit", family.Bernoulli, family.DefaultLink, 1, 0},
	{"bernoulli-probit-slope", family.Bernoulli, family.Probit, 2, 0},
	{"binomial-cloglog", family.Binomial, family.CLogLog, 1, 0},
	{"poisson-slope", family.Poisson, family.DefaultLink, 2, 0},
	{"negbin", family.NegBinomial, family.DefaultLink, 1, 3},
}

// smallData builds n = 90 observations: X = (1, x), term g1 (9 levels,
// k columns), term g2 (5 levels), an offset in ±0.2 and weights in
// [0.5, 1.5), responses drawn around a linear predictor with random
// effects.
func smallData(c smallCase, seed uint64) Data {
	const n = 90
	r := splitmix(seed)
	x := make([]float64, n)
	X := make([]float64, 2*n)
	y, off, w, trials := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	g1, g2 := make([]int, n), make([]int, n)
	z1 := make([]float64, c.k*n)
	for i := range x {
		x[i] = 2*r.unif() - 1
		X[i], X[n+i] = 1, x[i]
		g1[i], g2[i] = i%9, (i/9+i)%5
		z1[i] = 1
		if c.k == 2 {
			z1[n+i] = x[i]
		}
		off[i] = 0.4*r.unif() - 0.2
		w[i] = 0.5 + r.unif()
		eta := 0.3 + 0.8*x[i] + 0.7*(float64(g1[i])/8-0.5) + 0.5*(float64(g2[i])/4-0.5)
		switch c.fam {
		case family.Bernoulli:
			y[i] = b2f(r.unif() < 1/(1+math.Exp(-eta)))
		case family.Binomial:
			trials[i] = float64(1 + i%4)
			for k := 0; k < int(trials[i]); k++ {
				y[i] += b2f(r.unif() < 1-math.Exp(-math.Exp(eta)))
			}
		default:
			y[i] = math.Floor(math.Exp(eta+1) * 2 * r.unif())
		}
	}
	resp := response.Response{Family: c.fam, Link: c.link, Y: y, Weights: w, Offset: off, Dispersion: c.r}
	if c.fam == family.Binomial {
		resp.Trials = trials
	}
	return Data{Response: resp, X: X, P: 2, Terms: []lmm.Term{
		{Name: "g1", Codes: g1, NLevels: 9, K: c.k, Z: z1},
		{Name: "g2", Codes: g2, NLevels: 5, K: 1, Z: ones(n)},
	}}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// oracle is a dense, independent solution of the penalised problem: ZΛ
// built column by column, Fisher scoring with gonum's dense solver until
// the gradient vanishes to 1e−13, and log|Λ′Z′WZΛ + I| from a dense
// Cholesky factor.
type oracle struct {
	d     Data
	ZL    *mat.Dense // n×q, ZΛ in the model's term order
	n, q  int
	order []int
}

func newOracle(d Data, m *Model, theta []float64) *oracle {
	n := len(d.Y)
	o := &oracle{d: d, n: n, q: m.Q(), order: m.TermOrder()}
	o.ZL = mat.NewDense(n, o.q, nil)
	off, th := 0, 0
	for _, ti := range o.order {
		t := d.Terms[ti]
		k := t.K
		for l := 0; l < t.NLevels; l++ {
			for c := 0; c < k; c++ { // column c of level l's block of ZΛ
				for i := 0; i < n; i++ {
					if t.Codes[i] != l {
						continue
					}
					v, idx := 0.0, th
					for cc := 0; cc < k; cc++ {
						for rr := cc; rr < k; rr++ {
							if cc == c {
								v += t.Z[rr*n+i] * theta[idx]
							}
							idx++
						}
					}
					o.ZL.Set(i, off+l*k+c, v)
				}
			}
		}
		off += t.NLevels * k
		th += k * (k + 1) / 2
	}
	return o
}

// solve returns the mode (u, β) — β fixed unless fast — the penalised
// deviance and log|L|² there.
func (o *oracle) solve(t *testing.T, beta []float64, fast bool) (u, b []float64, pdev, logDet float64) {
	n, q, p := o.n, o.q, o.d.P
	X := mat.NewDense(n, p, nil)
	for j := 0; j < p; j++ {
		for i := 0; i < n; i++ {
			X.Set(i, j, o.d.X[j*n+i])
		}
	}
	np := q
	if fast {
		np += p
	}
	A := mat.NewDense(n, np, nil) // [ZΛ X] or ZΛ
	A.Slice(0, n, 0, q).(*mat.Dense).Copy(o.ZL)
	if fast {
		A.Slice(0, n, q, np).(*mat.Dense).Copy(X)
	}
	par := make([]float64, np)
	b = append([]float64(nil), beta...)
	if fast {
		copy(par[q:], beta)
	}
	eta := make([]float64, n)
	for it := 0; it < 200; it++ {
		o.eta(eta, A, X, par, b, fast)
		H := mat.NewSymDense(np, nil)
		g := mat.NewVecDense(np, nil)
		for j := 0; j < q; j++ {
			H.SetSym(j, j, 1)
			g.SetVec(j, -par[j])
		}
		for i := 0; i < n; i++ {
			pt := o.d.At(i, eta[i])
			for j := 0; j < np; j++ {
				aj := A.At(i, j)
				g.SetVec(j, g.AtVec(j)+aj*pt.Score)
				for k := j; k < np; k++ {
					H.SetSym(j, k, H.At(j, k)+aj*pt.Fisher*A.At(i, k))
				}
			}
		}
		var step mat.VecDense
		if err := step.SolveVec(H, g); err != nil {
			t.Fatal(err)
		}
		for j := range par {
			par[j] += step.AtVec(j)
		}
		if mat.Norm(g, math.Inf(1)) < 1e-13 {
			break
		}
	}
	o.eta(eta, A, X, par, b, fast)
	u = par[:q]
	if fast {
		b = par[q:]
	}
	ll := 0.0
	for i := 0; i < n; i++ {
		ll += o.d.At(i, eta[i]).LogLik
	}
	pdev = -2*ll + mat.Dot(mat.NewVecDense(q, u), mat.NewVecDense(q, u))
	C := mat.NewSymDense(q, nil)
	for j := 0; j < q; j++ {
		for k := j; k < q; k++ {
			v := b2f(j == k)
			for i := 0; i < n; i++ {
				v += o.ZL.At(i, j) * math.Max(o.d.At(i, eta[i]).Fisher, minWeight) * o.ZL.At(i, k)
			}
			C.SetSym(j, k, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(C) {
		t.Fatal("oracle: C not positive definite")
	}
	return u, b, pdev, ch.LogDet()
}

// eta sets η = o + [ZΛ X]·par (fast) or o + Xβ + ZΛ·par.
func (o *oracle) eta(eta []float64, A, X *mat.Dense, par, beta []float64, fast bool) {
	var v mat.VecDense
	v.MulVec(A, mat.NewVecDense(len(par), par))
	if !fast {
		var xb mat.VecDense
		xb.MulVec(X, mat.NewVecDense(len(beta), beta))
		v.AddVec(&v, &xb)
	}
	for i := range eta {
		eta[i] = v.AtVec(i) + o.d.OffsetAt(i)
	}
}

// TestPIRLSMatchesDenseOracle: on small models of every family and link
// (scalar and vector terms, offsets, weights), the mode, the penalised
// deviance and log|L|² agree with the dense oracle to 1e−10, for β given
// (Laplace) and β in PIRLS (LaplaceFast), at two θ.
func TestPIRLSMatchesDenseOracle(t *testing.T) {
	for _, c := range smallCases {
		t.Run(c.name, func(t *testing.T) {
			d := smallData(c, 7)
			m, err := New(d)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			thetas := [][]float64{{0.8, 0.5}, {1.6, 0.2}}
			if c.k == 2 {
				thetas = [][]float64{{0.8, 0.3, 0.6, 0.5}, {1.6, -0.4, 0.2, 0.2}}
			}
			for _, th := range thetas {
				o := newOracle(d, m, th)
				beta := []float64{0.2, 0.6}
				for _, fast := range []bool{false, true} {
					var val float64
					if fast {
						val, err = m.LaplaceFast(th)
					} else {
						val, err = m.Laplace(th, beta)
					}
					if err != nil {
						t.Fatal(err)
					}
					md := m.LastMode(fast)
					u, b, pdev, logDet := o.solve(t, beta, fast)
					compare(t, "u", md.U, u, 1e-10)
					compare(t, "beta", md.Beta, b, 1e-10)
					gotPdev := -2*(md.LogLik-m.LogConst()) + md.USSQ
					if math.Abs(gotPdev-pdev) > 1e-10*math.Abs(pdev) || math.Abs(md.LogDetL-logDet) > 1e-10*math.Max(1, logDet) {
						t.Errorf("θ %v fast %v: penalised deviance %.14g, oracle %.14g; log|L|² %.14g, oracle %.14g", th, fast, gotPdev, pdev, md.LogDetL, logDet)
					}
					if want := pdev - 2*m.LogConst() + logDet; math.Abs(val-want) > 1e-10*math.Abs(want) {
						t.Errorf("θ %v fast %v: −2 log L %.14g, oracle %.14g", th, fast, val, want)
					}
				}
			}
		})
	}
}

func compare(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			t.Errorf("%s[%d] = %.14g, oracle %.14g", what, i, got[i], want[i])
			return
		}
	}
}
