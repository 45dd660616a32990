package mclafit

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/datasets"
	"gonum.org/v1/gonum/mat"
)

func salamander(t testing.TB) mcla.Data {
	s, err := datasets.Salamander()
	if err != nil {
		t.Fatal(err)
	}
	return s.Data
}

// TestSalamanderAgainstGlmm: at m = 10⁴ our estimates agree with glmm's
// within Monte Carlo error.
//
// Salamander's importance weights are very uneven at m = 10⁴ (the
// effective sample size ranges from about 1 to 200 across seeds), so one
// fit's MCSE can badly understate its Monte Carlo error (it is itself a
// Monte Carlo estimate). The test therefore fits three seeds and measures
// our MC error by their spread, s_ours² = sample variance/3 for the mean.
// glmm's MC error comes from two glmm 1.4.5 fits at m = 10⁴ (glmmA and
// glmmB below): each difference a − b has variance 2s², pooled over the
// six parameters (their SEs are alike). Each parameter's mean over our seeds must lie within
// 3·√(s_ours² + s_glmm²/2) of the mean of glmm's two fits.
func TestSalamanderAgainstGlmm(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("three m = 10^4 fits (skipped with -short or -race)")
	}
	d := salamander(t)
	const seeds = 3
	var fits []*Fit
	for seed := uint64(1); seed <= seeds; seed++ {
		f, err := Run(d, Options{M: 10000, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if !f.Converged || !f.HessianNegDef {
			t.Errorf("seed %d: converged %v, -H positive definite %v", seed, f.Converged, f.HessianNegDef)
		}
		for i, g := range f.Gradient {
			if math.Abs(g) > 1e-4 {
				t.Errorf("seed %d: gradient[%d] = %g at the maximum", seed, i, g)
			}
		}
		t.Logf("seed %d: par %.3f, SE %.3f, MCSE %.3f, ESS %.1f (warning %v), %d trust iterations",
			seed, f.Par(), f.SE, f.MCSE, f.ESS, f.ESSWarning, f.Iter)
		if f.ESSWarning != (f.ESS < DefaultESSWarn) {
			t.Errorf("seed %d: ESS warning %v at ESS %g", seed, f.ESSWarning, f.ESS)
		}
		fits = append(fits, f)
	}
	glmmA := []float64{1.20, 0.66, -2.30, 1.18, 1.79, 1.32}
	glmmB := []float64{1.23, 0.32, -2.00, 0.92, 1.46, 1.64}
	var s2 float64
	for i := range glmmA {
		s2 += (glmmA[i] - glmmB[i]) * (glmmA[i] - glmmB[i]) / 2 / float64(len(glmmA))
	}
	for i := range glmmA {
		var mean, v float64
		for _, f := range fits {
			mean += f.Par()[i] / seeds
		}
		for _, f := range fits {
			v += (f.Par()[i] - mean) * (f.Par()[i] - mean) / (seeds - 1)
		}
		gm := (glmmA[i] + glmmB[i]) / 2
		tol := 3 * math.Sqrt(v/seeds+s2/2)
		t.Logf("par[%d]: mean %.4f (seed SD %.4f); glmm mean %.4f, tolerance %.3f", i, mean, math.Sqrt(v), gm, tol)
		if math.Abs(mean-gm) > tol {
			t.Errorf("par[%d]: mean over seeds %g, glmm's %g and %g", i, mean, glmmA[i], glmmB[i])
		}
	}
}

// TestWorkersIdentical: 1, 2 and 4 workers give bit-identical fits.
func TestWorkersIdentical(t *testing.T) {
	d := salamander(t)
	m := 1500 // six blocks, some with t, some with normal samples
	if raceEnabled {
		m = 600
	}
	var first *Fit
	for _, w := range []int{1, 2, 4} {
		f, err := Run(d, Options{M: m, Seed: 9, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = f
			continue
		}
		same := f.Value == first.Value && f.Iter == first.Iter && f.ESS == first.ESS
		for i, v := range f.Par() {
			same = same && v == first.Par()[i] && f.MCSE[i] == first.MCSE[i] && f.SE[i] == first.SE[i]
		}
		for i, v := range f.Hessian {
			same = same && v == first.Hessian[i]
		}
		if !same {
			t.Errorf("%d workers differ from 1: %v vs %v", w, f.Par(), first.Par())
		}
	}
	// A different seed gives a different sample.
	f, err := Run(d, Options{M: m, Seed: 10, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if f.Value == first.Value {
		t.Error("seed does not change the sample")
	}
}

// simulate draws a GLMM with one grouping factor of g levels, k
// observations each, η = β₀ + β₁x + u, u ~ N(0, ν).
func simulate(fam family.Code, g, k int, beta []float64, nu, disp float64, seed uint64) mcla.Data {
	r := rand.New(rand.NewPCG(seed, 99))
	n := g * k
	d := mcla.Data{Response: response.Response{Family: fam, Y: make([]float64, n), Dispersion: disp}, N: n, P: 2, Q: g, NVC: 1, X: make([]float64, 2*n), VCOf: make([]int64, g)}
	u := make([]float64, g)
	for j := range u {
		u[j] = math.Sqrt(nu) * r.NormFloat64()
	}
	for i := 0; i < n; i++ {
		j := i / k
		x := float64(i%k)/float64(k-1) - 0.5
		d.X[i], d.X[n+i] = 1, x
		d.ZRow, d.ZCol, d.ZVal = append(d.ZRow, int64(i)), append(d.ZCol, int64(j)), append(d.ZVal, 1)
		eta := beta[0] + beta[1]*x + u[j]
		mu := math.Exp(eta)
		switch fam {
		case family.Bernoulli:
			if r.Float64() < 1/(1+math.Exp(-eta)) {
				d.Y[i] = 1
			}
		case family.Binomial:
			if d.Trials == nil {
				d.Trials = make([]float64, n)
			}
			d.Trials[i] = float64(1 + i%4)
			for range int(d.Trials[i]) {
				if r.Float64() < 1/(1+math.Exp(-eta)) {
					d.Y[i]++
				}
			}
		case family.Poisson:
			d.Y[i] = poisson(r, mu)
		case family.NegBinomial: // Poisson with a Gamma(r, μ/r) mean
			d.Y[i] = poisson(r, gammaDraw(r, disp)*mu/disp)
		}
	}
	return d
}

func poisson(r *rand.Rand, mu float64) float64 {
	l, k, p := math.Exp(-mu), 0.0, 1.0
	for {
		p *= r.Float64()
		if p < l {
			return k
		}
		k++
	}
}

func gammaDraw(r *rand.Rand, a float64) float64 { // a ≥ 1 here
	d, c := a-1.0/3, 1/math.Sqrt(9*(a-1.0/3))
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(r.Float64()) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// TestRecoversSimulatedParameters: bacteria-like Bernoulli data (100
// subjects × 6 visits), binomial (1–4 trials), Poisson and negative
// binomial counts, three
// simulated data sets each. The estimates vary with the data set (the
// realised random effects), so the test averages them: the mean estimate
// must lie within 3.5·√(mean SE²/3 + mean MCSE²) of the truth (glmm's
// MCSE: at these effective sample sizes the jackknife's can be +Inf), and
// every SE and MCSE must be positive and the SEs and glmm's MCSEs finite.
// The fits are glmm's single stage: at m = 1500 the effective sample size
// of these q = 100 models is tens at best, too few for a staged density
// to settle.
func TestRecoversSimulatedParameters(t *testing.T) {
	cases := []struct {
		name string
		fam  family.Code
		disp float64
	}{
		{"bacteria-like", family.Bernoulli, 0},
		{"binomial", family.Binomial, 0},
		{"poisson", family.Poisson, 0},
		{"negative binomial", family.NegBinomial, 3},
	}
	truth := []float64{1, -0.5, 1}
	const sets = 3
	m := 1500
	if raceEnabled {
		m = 400
	}
	for _, c := range cases {
		mean, se2, mc2 := make([]float64, 3), make([]float64, 3), make([]float64, 3)
		for seed := uint64(21); seed < 21+sets; seed++ {
			d := simulate(c.fam, 100, 6, truth[:2], truth[2], c.disp, seed)
			f, err := Run(d, Options{M: m, Seed: 3, Stages: 1})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !f.Converged {
				t.Errorf("%s: trust did not converge", c.name)
			}
			for i, v := range f.Par() {
				g := f.MCSEGlmm[i]
				if !(f.SE[i] > 0) || !(f.MCSE[i] > 0) || !(g > 0) || math.IsInf(f.SE[i], 0) || math.IsInf(g, 0) {
					t.Errorf("%s: SE %v MCSE %v (glmm's %v)", c.name, f.SE[i], f.MCSE[i], g)
				}
				mean[i] += v / sets
				se2[i] += f.SE[i] * f.SE[i] / sets
				mc2[i] += g * g / sets
			}
		}
		for i, m := range mean {
			tol := 3.5 * math.Sqrt(se2[i]/sets+mc2[i])
			t.Logf("%s: mean par[%d] = %.3f (truth %.3f, tolerance %.3f)", c.name, i, m, truth[i], tol)
			if math.Abs(m-truth[i]) > tol {
				t.Errorf("%s: mean par[%d] = %g, truth %g (tolerance %g)", c.name, i, m, truth[i], tol)
			}
		}
	}
}

// TestInference: z, p and intervals follow from the SEs; the u-matrix
// regenerated by UMatrix gives back the fit's objective value.
func TestInference(t *testing.T) {
	d := simulate(family.Poisson, 30, 6, []float64{0.5, 0.4}, 0.6, 0, 5)
	opt := Options{M: 700, Seed: 4}
	f, err := Run(d, opt)
	if err != nil {
		t.Fatal(err)
	}
	z, p := f.ZTests()
	lo, hi, err := f.ConfInt(0.95)
	if err != nil {
		t.Fatal(err)
	}
	par := f.Par()
	for i := range par {
		if math.Abs(z[i]-par[i]/f.SE[i]) > 1e-15*math.Abs(z[i]) {
			t.Errorf("z[%d]", i)
		}
		want := math.Erfc(math.Abs(z[i])/math.Sqrt2) / 2
		if i < f.P {
			want *= 2
		}
		if math.Abs(p[i]-want) > 1e-15 {
			t.Errorf("p[%d] = %g, want %g", i, p[i], want)
		}
		if math.Abs((hi[i]-lo[i])/(2*f.SE[i])-1.959963984540054) > 1e-12 || math.Abs((hi[i]+lo[i])/2-par[i]) > 1e-12 {
			t.Errorf("interval %d: [%g, %g]", i, lo[i], hi[i])
		}
	}
	if _, _, err := f.ConfInt(1); err == nil {
		t.Error("level 1 accepted")
	}
	umat := make([]float64, f.M*f.Q)
	if err := f.UMatrix(umat); err != nil {
		t.Fatal(err)
	}
	model, err := mcla.New(d)
	if err != nil {
		t.Fatal(err)
	}
	imp := f.importanceParams(t, d, opt)
	if err := model.SetImportance(imp, 1); err != nil {
		t.Fatal(err)
	}
	if err := model.SetSamples(f.M, umat, 1); err != nil {
		t.Fatal(err)
	}
	var res mcla.Result
	if err := model.Evaluate(par, 1, &res); err != nil {
		t.Fatal(err)
	}
	if res.Value != f.Value {
		t.Errorf("value on the regenerated u-matrix %.17g, fit %.17g", res.Value, f.Value)
	}
	// mcvcov = H⁻¹ V H⁻¹ (computed by the fit as a sum of squares).
	var mo mcla.Moments
	if err := model.Moments(par, 1, &mo); err != nil {
		t.Fatal(err)
	}
	dd := len(par)
	hm := mat.NewDense(dd, dd, append([]float64(nil), f.Hessian...))
	var hinv, tmp, mv mat.Dense
	if err := hinv.Inverse(hm); err != nil {
		t.Fatal(err)
	}
	tmp.Mul(&hinv, mat.NewDense(dd, dd, mo.V))
	mv.Mul(&tmp, &hinv)
	scale := 0.0 // the largest MC variance: rounding is relative to it
	for i := range dd {
		scale = math.Max(scale, mv.At(i, i))
	}
	for i := range dd {
		for j := range dd {
			if w := mv.At(i, j); math.Abs(f.MCVcovGlmm[j*dd+i]-w) > 1e-9*scale {
				t.Errorf("glmm's mcvcov[%d,%d] = %g, H⁻¹VH⁻¹ %g", i, j, f.MCVcovGlmm[j*dd+i], w)
			}
		}
	}
	if f.ESS != mo.ESS {
		t.Errorf("ESS %v vs %v", f.ESS, mo.ESS)
	}
	if err := f.UMatrix(umat[1:]); err == nil {
		t.Error("short u-matrix buffer accepted")
	}
}

// importanceParams rebuilds the fit's density from its public fields.
func (f *Fit) importanceParams(t *testing.T, d mcla.Data, opt Options) importance.Params {
	t.Helper()
	if err := opt.resolve(f.P+f.NVC, f.P); err != nil {
		t.Fatal(err)
	}
	p := importance.Params{Zeta: opt.Zeta, P: opt.P, UStar: f.UStar, DStar: f.DStar, SigmaInv: f.SigmaInv, TSigma: f.TSigma}
	if f.SigmaInv == nil {
		p.SigmaInvCSR = f.SigmaInvCSR
	}
	return p
}

func TestProgressAndStartingValues(t *testing.T) {
	d := simulate(family.Bernoulli, 30, 5, []float64{0.3, 1}, 1, 0, 8)
	calls := 0
	_, err := Run(d, Options{M: 500, Progress: func(iter int, v float64, par []float64) bool {
		calls++
		return false
	}})
	if err != errs.ErrCancelled || calls != 1 {
		t.Errorf("cancel: %v after %d calls", err, calls)
	}
	f, err := Run(d, Options{M: 500, Start: []float64{0, 0, 2}, Stages: 1})
	if err != nil {
		t.Fatal(err)
	}
	if f.PQL != nil || f.Start[2] != 2 || math.Abs(f.DStar[0]-2) > 1e-15 || f.UStar[0] != 0 {
		t.Errorf("start not used: PQL %v, start %v, D* %v", f.PQL != nil, f.Start, f.DStar[0])
	}
	f, err = Run(d, Options{M: 500, Start: []float64{0, 0, 2}})
	if err != nil || f.PQL != nil || f.Stages[0].Centre[2] != 2 {
		t.Errorf("staged fit: the first density is not at the start: %v, %v", err, f.Stages[0].Centre)
	}
	g, err := Run(d, Options{M: 500, NoPQL: true})
	if err != nil || g.Start[2] != 1 || g.Start[0] != 0 {
		t.Errorf("NoPQL start %v, %v", g.Start, err)
	}
}

// TestBadInputs: every bad input gives an invalid-argument error naming it.
func TestBadInputs(t *testing.T) {
	good := func() mcla.Data { return simulate(family.Bernoulli, 10, 4, []float64{0, 1}, 1, 0, 2) }
	cases := []struct {
		name string
		data func(*mcla.Data)
		opt  func(*Options)
		arg  string
	}{
		{"m zero", nil, func(o *Options) { o.M = 0 }, "m"},
		{"p1 zero", nil, func(o *Options) { o.P = [3]float64{0, 0.5, 0.5} }, "p_mix"},
		{"p sum", nil, func(o *Options) { o.P = [3]float64{0.5, 0.5, 0.5} }, "p_mix"},
		{"p negative", nil, func(o *Options) { o.P = [3]float64{1.2, -0.2, 0} }, "p_mix"},
		{"zeta", nil, func(o *Options) { o.Zeta = -1 }, "zeta"},
		{"rmax", nil, func(o *Options) { o.RMax = 1 }, "rmax"},
		{"iterlim", nil, func(o *Options) { o.IterLim = -3 }, "iterlim"},
		{"start length", nil, func(o *Options) { o.Start = []float64{0, 1} }, "start"},
		{"start variance", nil, func(o *Options) { o.Start = []float64{0, 1, 0} }, "start"},
		{"start NaN", nil, func(o *Options) { o.Start = []float64{math.NaN(), 1, 1} }, "start"},
		{"all zero", func(d *mcla.Data) { clear(d.Y) }, nil, "y"},
		{"all one", func(d *mcla.Data) {
			for i := range d.Y {
				d.Y[i] = 1
			}
		}, nil, "y"},
		{"one level", func(d *mcla.Data) {
			d.Q = 1
			d.VCOf = d.VCOf[:1]
			clear(d.ZCol)
		}, nil, "vc_of_column"},
		{"y not 0/1", func(d *mcla.Data) { d.Y[3] = 2 }, nil, "y"},
		{"nb without dispersion", func(d *mcla.Data) { d.Family = family.NegBinomial }, nil, "dispersion"},
		{"dispersion for bernoulli", func(d *mcla.Data) { d.Dispersion = 2 }, nil, "dispersion"},
		{"family", func(d *mcla.Data) { d.Family = 7 }, nil, "family"},
	}
	for _, c := range cases {
		d := good()
		opt := Options{M: 100}
		if c.data != nil {
			c.data(&d)
		}
		if c.opt != nil {
			c.opt(&opt)
		}
		_, err := Run(d, opt)
		e, ok := err.(*errs.Error)
		if !ok || e.Kind != errs.Invalid || e.Arg != c.arg {
			t.Errorf("%s: got %v, want an invalid-argument error naming %s", c.name, err, c.arg)
		}
	}
}

// TestWeightsEqualDuplicates: weight 2 on every observation is the same
// likelihood as every row twice, through PQL, Σ̃, the objective and the
// inference: the fits agree to trust's stopping tolerance (the two runs
// stop at points within about 1e-7 of each other; mishandled weights would
// show at the scale of the MCSE or SE, 1e-1).
func TestWeightsEqualDuplicates(t *testing.T) {
	d := simulate(family.Poisson, 25, 4, []float64{0.5, 0.3}, 0.7, 0, 12)
	w := d
	w.Weights = make([]float64, d.N)
	for i := range w.Weights {
		w.Weights[i] = 2
	}
	dup := d
	dup.N = 2 * d.N
	dup.Y = append(append([]float64(nil), d.Y...), d.Y...)
	dup.X = make([]float64, 2*dup.N)
	for j := range 2 {
		col := d.X[j*d.N : (j+1)*d.N]
		copy(dup.X[j*dup.N:], col)
		copy(dup.X[j*dup.N+d.N:], col)
	}
	dup.ZRow, dup.ZCol, dup.ZVal = nil, nil, nil
	for k := range d.ZRow {
		dup.ZRow = append(dup.ZRow, d.ZRow[k], d.ZRow[k]+int64(d.N))
		dup.ZCol = append(dup.ZCol, d.ZCol[k], d.ZCol[k])
		dup.ZVal = append(dup.ZVal, d.ZVal[k], d.ZVal[k])
	}
	a, err := Run(w, Options{M: 500, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(dup, Options{M: 500, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range a.Par() {
		if math.Abs(v-b.Par()[i]) > 1e-5 || math.Abs(a.SE[i]-b.SE[i]) > 1e-5 || math.Abs(a.MCSE[i]-b.MCSE[i]) > 1e-5 {
			t.Errorf("par[%d]: weighted %g (SE %g, MCSE %g), duplicated %g (SE %g, MCSE %g)", i, v, a.SE[i], a.MCSE[i], b.Par()[i], b.SE[i], b.MCSE[i])
		}
	}
	if math.Abs(a.Value-b.Value) > 1e-8*math.Abs(b.Value) {
		t.Errorf("value %v vs %v", a.Value, b.Value)
	}
}
