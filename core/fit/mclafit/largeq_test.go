package mclafit

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// poissonCrossed is a Poisson model with an intercept and a covariate and
// two crossed factors of qa and qb levels (every level used), log means
// β₀ + β₁x + a + b with a ~ N(0, νa), b ~ N(0, νb): core/pql's benchmark
// design.
func poissonCrossed(n, qa, qb int, beta []float64, nu [2]float64, seed uint64) mcla.Data {
	r := rand.New(rand.NewPCG(seed, 3))
	q := qa + qb
	d := mcla.Data{Response: response.Response{Family: family.Poisson, Y: make([]float64, n)}, N: n, P: 2, Q: q, NVC: 2,
		X: make([]float64, 2*n), VCOf: make([]int64, q)}
	a, b := make([]float64, qa), make([]float64, qb)
	for j := range a {
		a[j] = math.Sqrt(nu[0]) * r.NormFloat64()
	}
	for j := range b {
		b[j] = math.Sqrt(nu[1]) * r.NormFloat64()
	}
	for j := qa; j < q; j++ {
		d.VCOf[j] = 1
	}
	for i := range n {
		ia, ib := r.IntN(qa), r.IntN(qb)
		if i < qa {
			ia = i
		}
		if i < qb {
			ib = i
		}
		x := r.NormFloat64()
		d.X[i], d.X[n+i] = 1, x
		d.ZRow, d.ZCol, d.ZVal = append(d.ZRow, int64(i), int64(i)), append(d.ZCol, int64(ia), int64(qa+ib)), append(d.ZVal, 1, 1)
		d.Y[i] = poisson(r, math.Exp(beta[0]+beta[1]*x+a[ia]+b[ib]))
	}
	return d
}

// TestLargeQSparseDensity: a crossed Poisson model with q = 3 000 random
// effects fits by MCLA with the importance density's Σ̃⁻¹ factored sparse,
// within a memory limit that two dense q×q matrices (144 MB) would exceed,
// and its estimates agree with the values the data were drawn from.
// (Dense, each N(u*, Σ̃) draw would cost a q² triangular solve.)
func TestLargeQSparseDensity(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a q = 3000 fit (skipped with -short or -race)")
	}
	const qa, qb = 2950, 50
	beta := []float64{0.3, 0.4}
	d := poissonCrossed(6000, qa, qb, beta, [2]float64{0.25, 0.16}, 1)
	old := budget.Limit()
	if err := budget.SetLimit(120 << 20); err != nil {
		t.Fatal(err)
	}
	defer budget.SetLimit(old)
	if budget.Doubles(qa+qb, qa+qb)*2 <= float64(budget.Limit()) {
		t.Fatal("the limit does not exclude the dense path")
	}
	start := time.Now()
	f, err := Run(d, Options{M: 1000, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("q = %d: %v (PQL %v, sampling %v, trust %v); %d stages; sparse factor %v with %d nonzeros; β̂ = %.3f (SE %.3f, MCSE %.3f), ν̂ = %.3f, ESS %.1f",
		qa+qb, time.Since(start).Round(time.Millisecond), f.PQLTime.Round(time.Millisecond), f.SampleTime.Round(time.Millisecond),
		f.TrustTime.Round(time.Millisecond), len(f.Stages), f.SparseFactor, f.FactorNNZ, f.Beta, f.SE[:2], f.MCSE[:2], f.Nu, f.ESS)
	if !f.SparseFactor || f.SigmaInv != nil || f.SigmaInvCSR == nil {
		t.Fatalf("sparse factor %v, dense Sigma inverse held %v", f.SparseFactor, f.SigmaInv != nil)
	}
	if f.M3 == 0 {
		t.Fatal("no draws from N(u*, Sigma)")
	}
	// The slope is estimated sharply whatever the realised random effects
	// (the intercept absorbs their means); the variances within a factor
	// 1.5 of those drawn from (50 levels of the second factor).
	if tol := 4 * f.SE[1]; !(math.Abs(f.Beta[1]-beta[1]) <= tol) {
		t.Errorf("slope %g, drawn from %g (tolerance %g)", f.Beta[1], beta[1], tol)
	}
	for k, nu := range []float64{0.25, 0.16} {
		if r := f.Nu[k] / nu; !(r > 1/1.5 && r < 1.5) {
			t.Errorf("nu[%d] = %g, drawn from %g", k, f.Nu[k], nu)
		}
	}
}

// TestCentreBlockedMatchesDense: the conditional mode a later stage
// centres its density at is the same (to the solvers' tolerance) found on
// the blocked factor, as fits on the sparse factor find it, or by the
// dense Newton iteration, as the others do; D* is the same.
func TestCentreBlockedMatchesDense(t *testing.T) {
	d := poissonCrossed(1200, 350, 50, []float64{0.3, 0.4}, [2]float64{0.25, 0.16}, 2)
	z, err := sparse.FromTriplets(d.N, d.Q, d.ZRow, d.ZCol, d.ZVal)
	if err != nil {
		t.Fatal(err)
	}
	vcOf := columnComponents(d.VCOf)
	theta := []float64{0.25, 0.35, 0.3, 0.2}
	var centres [2]*Fit
	for k, sp := range []bool{false, true} {
		f := &Fit{P: 2, NVC: 2, Q: d.Q, UStar: make([]float64, d.Q), DStar: make([]float64, d.Q), sparsePlan: sp, beat: newHeartbeat(nil)}
		if err := f.centreAt(d, z, vcOf, theta); err != nil {
			t.Fatal(err)
		}
		centres[k] = f
	}
	for j := range d.Q {
		a, b := centres[0].UStar[j], centres[1].UStar[j]
		if math.Abs(a-b) > 1e-6*(1+math.Abs(a)) {
			t.Fatalf("u*[%d]: dense %.10g, blocked %.10g", j, a, b)
		}
		if centres[0].DStar[j] != centres[1].DStar[j] {
			t.Fatalf("D*[%d]: dense %g, blocked %g", j, centres[0].DStar[j], centres[1].DStar[j])
		}
	}
}
