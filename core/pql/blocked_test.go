package pql

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
	"github.com/glmmgo/glmmgo/internal/refcase"
)

// crossedProblem is a design with two crossed factors (g1 and g2 levels;
// values of the second not all 1), a covariate, prior weights and an
// offset; shared puts both factors in one variance component, whose rows
// then have two nonzeros.
func crossedProblem(t *testing.T, fam family.Code, disp float64, shared bool) (pirls.Problem, []int, int) {
	t.Helper()
	r := rand.New(rand.NewPCG(11, uint64(fam)))
	const n, g1, g2 = 150, 12, 7
	q := g1 + g2
	x := make([]float64, 2*n)
	y, w, off, nt := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var row, col []int64
	var val []float64
	re1, re2 := make([]float64, g1), make([]float64, g2)
	for j := range re1 {
		re1[j] = r.NormFloat64()
	}
	for j := range re2 {
		re2[j] = 0.7 * r.NormFloat64()
	}
	for i := range n {
		x[i], x[n+i] = 1, r.NormFloat64()
		row = append(row, int64(i), int64(i))
		col = append(col, int64(i%g1), int64(g1+(i/g1+i)%g2))
		val = append(val, 1, 0.5+r.Float64())
		w[i] = 0.5 + r.Float64()
		off[i] = 0.3 * r.NormFloat64()
		nt[i] = 1
		eta := 0.2 + 0.5*x[n+i] + off[i] + re1[i%g1] + re2[(i/g1+i)%g2]
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
	vc := make([]int, q)
	nvc := 1
	if !shared {
		nvc = 2
		for j := g1; j < q; j++ {
			vc[j] = 1
		}
	}
	resp := response.Response{Family: fam, Y: y, Weights: w, Offset: off, Dispersion: disp}
	if fam == family.Binomial {
		resp.Trials = nt
	}
	return pirls.Problem{Response: resp, N: n, P: 2, Q: q, X: x, Z: z}, vc, nvc
}

// TestBlockedMatchesDense: the blocked path and the dense path minimise
// the same Q: σ agree to 1e−6, β and u* to 1e−5, Q to 1e−9, on the
// reference cases and on crossed designs of every family, with weights
// and offsets, and with two factors sharing one variance.
func TestBlockedMatchesDense(t *testing.T) {
	type cse struct {
		name string
		pr   pirls.Problem
		vc   []int
		nvc  int
	}
	var cases []cse
	for _, name := range []string{"boothhobert_m100_pql", "salamander_m300_pql"} {
		c, err := refcase.Load(refcase.Dir() + "/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		pr, vc := problem(t, c)
		cases = append(cases, cse{name, pr, vc, c.NVC})
	}
	for _, f := range []struct {
		fam    family.Code
		disp   float64
		shared bool
	}{{family.Bernoulli, 0, false}, {family.Binomial, 0, false}, {family.Poisson, 0, false}, {family.NegBinomial, 2, false}, {family.Poisson, 0, true}} {
		pr, vc, nvc := crossedProblem(t, f.fam, f.disp, f.shared)
		name := f.fam.String()
		if f.shared {
			name += " shared"
		}
		cases = append(cases, cse{name, pr, vc, nvc})
	}
	for _, c := range cases {
		blk, err := Fit(c.pr, c.vc, c.nvc, Options{})
		if err != nil {
			t.Fatalf("%s blocked: %v", c.name, err)
		}
		den, err := Fit(c.pr, c.vc, c.nvc, Options{Dense: true})
		if err != nil {
			t.Fatalf("%s dense: %v", c.name, err)
		}
		if blk.Dense || !den.Dense {
			t.Fatalf("%s: paths %v %v", c.name, blk.Dense, den.Dense)
		}
		t.Logf("%s: σ blocked %.9f dense %.9f; Q %.12f %.12f; evaluations %d %d", c.name, blk.Sigma, den.Sigma, blk.Value, den.Value, blk.Evals, den.Evals)
		near(t, c.name+" σ", blk.Sigma, den.Sigma, 1e-6)
		near(t, c.name+" β", blk.Beta, den.Beta, 1e-5)
		near(t, c.name+" u*", blk.UStar, den.UStar, 1e-5)
		near(t, c.name+" Q", []float64{blk.Value}, []float64{den.Value}, 1e-9)
	}
}

func near(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			t.Errorf("%s[%d] = %.10g, dense %.10g", what, i, got[i], want[i])
		}
	}
}

// TestBeyondTheOldDenseLimit: a design whose second factor has more
// levels than the dense trailing block once allowed (20 000) is fitted on
// the blocked path (the LMM factor's sparse tail takes it), not refused.
// It takes ~20 s, so it is left out under -short and the race detector.
func TestBeyondTheOldDenseLimit(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a 40 002-observation fit: left out under -short and -race")
	}
	const g = 20001
	pr, vc := poissonCrossed(2*g, g, g, 5)
	res, err := Fit(pr, vc, 2, Options{})
	if err != nil {
		t.Fatalf("q = %d: %v", 2*g, err)
	}
	if res.Dense || math.IsNaN(res.Value) {
		t.Errorf("dense path %v, Q %v", res.Dense, res.Value)
	}
}
