package mclafit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/trust"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/pql"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// Fit is a finished MCLA fit. Matrices are column-major.
type Fit struct {
	P, NVC, Q, M int // fixed effects, variance components, random effects, samples

	Beta, Nu []float64 // the estimate θ̂ = (β̂, ν̂)
	Value    float64   // l_m(θ̂)
	Gradient []float64 // ∇l_m(θ̂), length P+NVC
	Hessian  []float64 // ∇²l_m(θ̂), (P+NVC)²

	Converged bool // trust's termination test was met
	Iter      int  // trust iterations
	Evals     int  // objective evaluations

	PQL           *pql.Result // nil when starting values replaced PQL
	Start         []float64   // where trust started: (β_pql, ν_pql) or the caller's
	UStar, DStar  []float64   // the importance density's centre and D* diagonal
	SigmaInv      []float64   // Σ̃⁻¹ of the importance density, Q×Q
	M1, M2, M3    int         // samples from each mixture component
	Vcov          []float64   // −H⁻¹
	SE            []float64   // √diag(−H⁻¹); NaN where −H⁻¹ has a negative diagonal
	HessianNegDef bool        // −H is positive definite (else the SEs are suspect)
	MCVcov        []float64   // H⁻¹ V H⁻¹, glmm's mcvcov
	MCSE          []float64   // √diag(MCVcov)
	ESS           float64     // Kish effective sample size at θ̂
	ESSWarning    bool        // ESS < Options.ESSWarn
	PQLTime       time.Duration
	SampleTime    time.Duration
	TrustTime     time.Duration
	InferenceTime time.Duration

	density *importance.Density // the density sampled from
	seed    uint64              // the sample's seed
}

// Par returns (β̂, ν̂) as one slice.
func (f *Fit) Par() []float64 { return append(append([]float64(nil), f.Beta...), f.Nu...) }

// Run fits the model d by MCLA.
func Run(d mcla.Data, opt Options) (*Fit, error) {
	model, err := mcla.New(d)
	if err != nil {
		return nil, err
	}
	_, p, q, nvc := model.Dims()
	if err := opt.resolve(p+nvc, p); err != nil {
		return nil, err
	}
	if err := checkIdentifiable(d); err != nil {
		return nil, err
	}
	z, err := sparse.FromTriplets(d.N, q, d.ZRow, d.ZCol, d.ZVal)
	if err != nil {
		return nil, err
	}
	fit := &Fit{P: p, NVC: nvc, Q: q, M: opt.M, seed: opt.Seed}

	// 1. Starting values and the centre of the importance density.
	t0 := time.Now()
	if err := fit.start(d, z, opt); err != nil {
		return nil, err
	}
	fit.PQLTime = time.Since(t0)

	// 2. The importance density (samples are drawn in maximise).
	t0 = time.Now()
	if err := fit.setDensity(d, z, opt); err != nil {
		return nil, err
	}
	if err := fit.maximise(model, opt, t0); err != nil {
		return nil, err
	}
	return fit, nil
}

// start sets Start, u* and D*: from PQL (glmm's default), or from the
// caller's Start or β = 0, ν = 1 (NoPQL) with u* = 0 and D* = diag(ν).
func (f *Fit) start(d mcla.Data, z *sparse.CSR, opt Options) error {
	p, q := f.P, f.Q
	vcOf := make([]int, q)
	for j, t := range d.VCOf {
		vcOf[j] = int(t)
	}
	var beta0, nu0 []float64
	f.UStar, f.DStar = make([]float64, q), make([]float64, q)
	if opt.Start == nil && !opt.NoPQL {
		pr := pirls.Problem{Response: d.Response, N: d.N, P: p, Q: q, X: d.X, Z: z}
		res, err := pql.Fit(pr, vcOf, f.NVC, pql.Options{})
		if err != nil {
			return err
		}
		f.PQL = res
		beta0, nu0 = res.Beta, res.Nu
		copy(f.UStar, res.UStar)
		copy(f.DStar, res.DStar)
	} else {
		beta0, nu0 = make([]float64, p), make([]float64, f.NVC)
		if opt.Start != nil {
			copy(beta0, opt.Start[:p])
			copy(nu0, opt.Start[p:])
		} else {
			for t := range nu0 {
				nu0[t] = 1
			}
		}
		for j, t := range vcOf {
			sd := math.Max(math.Sqrt(nu0[t]), pql.SigmaFloor)
			f.DStar[j] = sd * sd
		}
	}
	// trust starts at ν_pql (glmm's par.init), which may be below the
	// floor; a zero variance is outside the parameter space, so start such a
	// component at the floor instead.
	f.Start = append(append([]float64(nil), beta0...), nu0...)
	for t := range nu0 {
		f.Start[p+t] = math.Max(f.Start[p+t], pql.SigmaFloor*pql.SigmaFloor)
	}
	return nil
}

// setDensity builds the importance density once: Σ̃⁻¹ at
// η* = o + Xβ₀ + Zu*, factored inside importance.New for both the log
// density and the draws.
func (f *Fit) setDensity(d mcla.Data, z *sparse.CSR, opt Options) error {
	n := d.N
	eta := make([]float64, n)
	copy(eta, d.Offset)
	for j := 0; j < f.P; j++ {
		for i := 0; i < n; i++ {
			eta[i] += d.X[j*n+i] * f.Start[j]
		}
	}
	z.MulVecAdd(eta, eta, f.UStar)
	f.SigmaInv = importance.SigmaInv(&d.Response, z, eta, f.DStar)
	dens, err := importance.New(f.Q, importance.Params{Zeta: opt.Zeta, P: opt.P, UStar: f.UStar, DStar: f.DStar,
		SigmaInv: f.SigmaInv, TAtUStar: opt.TAtUStar})
	if err != nil {
		return err
	}
	f.density = dens
	f.M1, f.M2, f.M3 = dens.Counts(f.M, f.seed)
	return nil
}

// draw writes samples lo..hi−1 of the fit's sample into dst, with z
// (length q) as scratch.
func (f *Fit) draw(lo, hi int, dst, z []float64) { f.density.DrawTo(f.seed, lo, hi, dst, z) }

// maximise sets the fit's importance density and samples on model, runs
// trust from f.Start and fills the results. sampleStart is when the
// sampling stage began (for SampleTime).
func (f *Fit) maximise(model *mcla.Model, opt Options, sampleStart time.Time) error {
	if err := model.SetDensity(f.density, opt.Workers); err != nil {
		return err
	}
	if err := model.SetSampler(f.M, f.draw, opt.Workers); err != nil {
		return err
	}
	f.SampleTime = time.Since(sampleStart)

	// 3. Trust-region maximisation of l_m, as the minimisation of −l_m.
	t0 := time.Now()
	tr, err := trust.Minimize(optim.Problem{FuncGradHess: negLogLik(model, opt.Workers)}, f.Start,
		optim.Settings{InitStep: opt.RInit, MaxStep: opt.RMax, MaxIter: opt.IterLim, Progress: progress(opt.Progress)})
	if err != nil {
		return err
	}
	f.TrustTime = time.Since(t0)
	f.Beta, f.Nu = tr.X[:f.P], tr.X[f.P:]
	f.Value, f.Gradient, f.Hessian = -tr.F, negate(tr.Gradient), negate(tr.Hessian)
	f.Converged, f.Iter, f.Evals = tr.Status.Converged(), tr.Iter, tr.Evals

	// 4–5. Inference.
	t0 = time.Now()
	if err := f.infer(model, tr.X, opt); err != nil {
		return err
	}
	f.InferenceTime = time.Since(t0)
	return nil
}

// negLogLik is −l_m as the minimiser wants it: value, gradient and Hessian
// of the MCLA log-likelihood, negated (exactly: negation does not round).
func negLogLik(model *mcla.Model, workers int) func(x, g, h []float64) (float64, error) {
	var ev mcla.Result
	return func(x, g, h []float64) (float64, error) {
		ev.Gradient, ev.Hessian = g, h
		err := model.Evaluate(x, workers, &ev)
		negate(g)
		negate(h)
		return -ev.Value, err
	}
}

// progress reports the log-likelihood, not its negative, to the caller's
// callback.
func progress(p optim.Progress) optim.Progress {
	if p == nil {
		return nil
	}
	return func(iter int, f float64, x []float64) bool { return p(iter, -f, x) }
}

// negate changes the sign of every element of v in place and returns it.
func negate(v []float64) []float64 {
	for i, x := range v {
		v[i] = -x
	}
	return v
}

// checkIdentifiable rejects data whose MCLA fit has no finite maximum:
// every response at the bottom (or, for Bernoulli and binomial, the top) of
// its range with fixed effects to estimate, or a variance component with a
// single level.
func checkIdentifiable(d mcla.Data) error {
	allLow, allHigh := true, true
	binary := d.Family == family.Bernoulli || d.Family == family.Binomial
	for i, y := range d.Y {
		if d.Weight(i) == 0 {
			continue
		}
		allLow = allLow && y == 0
		allHigh = allHigh && binary && y == d.Trial(i)
	}
	if allLow && d.P > 0 {
		return errs.Invalidf("y", "every response is 0: the fixed effects have no finite maximum likelihood estimate")
	}
	if allHigh && d.P > 0 {
		return errs.Invalidf("y", "every response is a success: the fixed effects have no finite maximum likelihood estimate")
	}
	cols := make([]int, d.NVC)
	for _, t := range d.VCOf {
		cols[t]++
	}
	for t, c := range cols {
		if c < 2 {
			return errs.Invalidf("vc_of_column", "variance component %d has %d column of Z (one level): its variance cannot be estimated", t, c)
		}
	}
	return nil
}

// infer fills standard errors, mcvcov, MCSE and ESS at θ̂ = x.
func (f *Fit) infer(model *mcla.Model, x []float64, opt Options) error {
	dd := f.P + f.NVC
	h := make([]float64, dd*dd) // the Hessian, symmetrised
	negH := make([]float64, dd*dd)
	for j := 0; j < dd; j++ {
		for i := 0; i < dd; i++ {
			h[j*dd+i] = (f.Hessian[j*dd+i] + f.Hessian[i*dd+j]) / 2
			negH[j*dd+i] = -h[j*dd+i]
		}
	}
	var ch dense.SPD
	f.HessianNegDef = ch.Factor(dd, negH)
	hinv, ok := dense.InverseLU(dd, h)
	f.standardErrors(hinv, ok)
	var mo mcla.Moments
	if err := model.Moments(x, opt.Workers, &mo); err != nil {
		return err
	}
	f.ESS = mo.ESS
	f.ESSWarning = f.ESS < opt.ESSWarn
	if !ok {
		return nil
	}
	// H⁻¹VH⁻¹, glmm's mcvcov, as a sum of squares (dense.SandwichPSD): the
	// MC variances are never negative by cancellation when one parameter's
	// MC error is far below the others'.
	mc, ok := dense.SandwichPSD(dd, hinv, mo.V)
	if !ok {
		return errs.Numericf("mcvcov", "eigendecomposition of the score variance failed")
	}
	f.MCVcov = mc
	for j := range f.MCSE {
		f.MCSE[j] = math.Sqrt(mc[j*dd+j])
	}
	return nil
}

// standardErrors sets Vcov = −H⁻¹ and SE = √diag(−H⁻¹) (NaN where the
// diagonal is negative) from hinv = H⁻¹; for a singular Hessian (ok false)
// the SEs are +Inf, as glmm makes them, and the covariances NaN.
func (f *Fit) standardErrors(hinv []float64, ok bool) {
	dd := f.P + f.NVC
	f.Vcov, f.SE = make([]float64, dd*dd), make([]float64, dd)
	f.MCVcov, f.MCSE = make([]float64, dd*dd), make([]float64, dd)
	if !ok {
		for i := range f.SE {
			f.SE[i], f.MCSE[i] = math.Inf(1), math.NaN()
		}
		for i := range f.Vcov {
			f.Vcov[i], f.MCVcov[i] = math.NaN(), math.NaN()
		}
		return
	}
	for j := 0; j < dd; j++ {
		for i := 0; i < dd; i++ {
			f.Vcov[j*dd+i] = -hinv[j*dd+i]
		}
		f.SE[j] = math.Sqrt(-hinv[j*dd+j])
	}
}
