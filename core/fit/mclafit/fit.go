package mclafit

import (
	"fmt"
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/pql"
	"github.com/glmmgo/glmmgo/core/sparse"
	"github.com/glmmgo/glmmgo/core/zterms"
)

// Fit is a finished MCLA fit. Matrices are column-major.
type Fit struct {
	P, NVC, Q, M int // fixed effects, variance components, random effects, samples

	Beta, Nu []float64 // the estimate θ̂ = (β̂, ν̂)
	Value    float64   // l_m(θ̂)
	Gradient []float64 // ∇l_m(θ̂), length P+NVC
	Hessian  []float64 // ∇²l_m(θ̂), (P+NVC)²

	Converged   bool        // Convergence == Converged
	Convergence Convergence // why the fit did (not) converge
	Iter        int         // trust iterations of the final maximisation
	TotalIter   int         // trust iterations of every maximisation (stages, growth); progress counts these
	Evals       int         // objective evaluations

	PQL           *pql.Result // nil when starting values replaced PQL
	Start         []float64   // where trust started: (β_pql, ν_pql) or the caller's
	UStar, DStar  []float64   // the importance density's centre and D* diagonal
	SigmaInv      []float64   // Σ̃⁻¹ of the importance density, Q×Q; nil when it was factored sparse
	SigmaInvCSR   *sparse.CSR // Σ̃⁻¹ in compressed rows (both triangles) when it was built so (q ≥ 200 with a sparse plan); else nil
	SparseFactor  bool        // Σ̃⁻¹ was factored sparse (package importance's rule), never held Q×Q
	FactorNNZ     int64       // nonzeros of that sparse factor
	TSigma        bool        // its t component is t_ζ(u*, Σ̃) (staged fits), not glmm's t_ζ(0, D*)
	M1, M2, M3    int         // samples from each mixture component (blockwise: block draws, M per block)
	Vcov          []float64   // −H⁻¹
	SE            []float64   // √diag(−H⁻¹); NaN where −H⁻¹ has a negative diagonal
	HessianNegDef bool        // −H is positive definite (else the SEs are suspect)
	MCVcov        []float64   // the Monte Carlo covariance of θ̂: the delete-a-group jackknife's (see the package comment)
	MCSE          []float64   // √diag(MCVcov)
	MCVcovGlmm    []float64   // glmm's mcvcov H⁻¹ V H⁻¹ (for comparison)
	MCSEGlmm      []float64   // √diag(MCVcovGlmm)
	Jackknife     *Jackknife  // what MCVcov rests on
	ESS           float64     // Kish effective sample size at θ̂ (blockwise: the smallest block's)
	Blockwise     bool        // the blockwise estimator was used (Options.Estimator)
	Blocks        int         // the conditionally independent blocks of the random effects
	JointESS      float64     // blockwise: the ESS of the joint weights Π_b over the same samples, for comparison; else ESS
	ESSWarning    bool        // ESS < Options.ESSWarn
	Stages        []Stage     // the importance densities, in order
	FinalStage    int         // the index in Stages of the density the fit's results come from
	Guarded       bool        // the maximisation ended against guardShare: a maximum lies beyond where the sample is reliable
	AutoStop      AutoStop    // with Options.Auto: why m stopped growing
	TargetMet     bool        // with Options.Auto: ESS and every MCSE met their targets
	SamplesKept   bool        // the u-matrix was held in memory (else redrawn at every evaluation)
	PQLTime       time.Duration
	SampleTime    time.Duration
	TrustTime     time.Duration
	InferenceTime time.Duration

	density      *importance.Density // the density sampled from
	product      *importance.Product // blockwise: the product density sampled from (else nil)
	blockCols    [][]int             // blockwise: each block's columns
	densityBeta  []float64           // the β of η* at which it was built
	seed         uint64              // the sample's seed
	sampleMemory int64               // Options.SampleMemory, resolved
	roundTime    time.Duration       // the last round of Auto's growth, for predicting the next
	roundM       int
	sparsePlan   bool       // Σ̃⁻¹ is factored sparse (importance.PlanFor): no q×q system anywhere
	workers      int        // Options.Workers
	beat         *heartbeat // the running fit's checkpoint
	xScale       []float64  // max |x_ij| of each column of X
}

// Par returns (β̂, ν̂) as one slice.
func (f *Fit) Par() []float64 { return append(append([]float64(nil), f.Beta...), f.Nu...) }

// Run fits the model d by MCLA.
func Run(d mcla.Data, opt Options) (*Fit, error) {
	f, _, err := run(d, opt, newHeartbeat(opt.Progress))
	if f != nil {
		f.beat = nil // the caller's callback is not kept
	}
	return f, err
}

// run fits d with the fit's heartbeat and also returns the model holding
// the fit's final sample.
func run(d mcla.Data, opt Options, beat *heartbeat) (*Fit, sampleSet, error) {
	started := time.Now()
	model, err := mcla.New(d)
	if err != nil {
		return nil, nil, err
	}
	_, p, q, nvc := model.Dims()
	if err := opt.resolve(p+nvc, p); err != nil {
		return nil, nil, err
	}
	if err := checkIdentifiable(d); err != nil {
		return nil, nil, err
	}
	z, err := sparse.FromTriplets(d.N, q, d.ZRow, d.ZCol, d.ZVal)
	if err != nil {
		return nil, nil, err
	}
	plan, err := importance.PlanFor(z)
	if err != nil {
		return nil, nil, err
	}
	blocks := zterms.BlocksOf(z)
	blockwise, err := opt.blockwise(blocks.N())
	if err != nil {
		return nil, nil, err
	}
	nb := 0
	if blockwise {
		nb = blocks.N()
	}
	if err := checkMemory(q, nvc, nb, plan, opt); err != nil {
		return nil, nil, err
	}
	model.SetSampleMemory(opt.SampleMemory)
	model.SetCheckpoint(beat.cp)
	var samples sampleSet = localSet{model}
	if opt.Evaluator != nil {
		samples = &remoteSet{model: model, ev: opt.Evaluator}
	}
	fit := &Fit{P: p, NVC: nvc, Q: q, sampleMemory: opt.SampleMemory, beat: beat, xScale: columnScales(d.X, d.N, p),
		sparsePlan: plan.Sparse, workers: opt.Workers, Blocks: blocks.N(), Blockwise: blockwise}
	if blockwise {
		fit.blockCols = blocks.Cols
	}
	vcOf := columnComponents(d.VCOf)

	// 1. Starting values and the centre of the first importance density.
	t0 := time.Now()
	if err := fit.start(d, z, vcOf, opt); err != nil {
		return nil, nil, err
	}
	fit.PQLTime = time.Since(t0)

	// 2–5. The stages of importance densities, each sampled, maximised and
	// inferred from; then the last one's sample at its final size.
	data := fitData{d: d, z: z, vcOf: vcOf}
	if err := fit.runStages(samples, data, opt, started); err != nil {
		return nil, nil, err
	}
	if err := fit.finalSize(samples, data, opt, started); err != nil {
		return nil, nil, err
	}
	if fit.product != nil {
		fit.M1, fit.M2, fit.M3, err = fit.product.CountsChecked(fit.M, fit.seed, opt.Workers, beat.cp)
	} else {
		fit.M1, fit.M2, fit.M3, err = fit.density.CountsChecked(fit.M, fit.seed, opt.Workers, beat.cp)
	}
	if err != nil {
		return nil, nil, err
	}
	fit.SamplesKept = samples.SamplesKept()
	return fit, samples, nil
}

// columnComponents is the component of each column of Z, as ints.
func columnComponents(vc []int64) []int {
	out := make([]int, len(vc))
	for j, t := range vc {
		out[j] = int(t)
	}
	return out
}

// start sets Start, u* and D*: from PQL (glmm's default), or from the
// caller's Start or β = 0, ν = 1 (NoPQL) with u* = 0 and D* = diag(ν).
func (f *Fit) start(d mcla.Data, z *sparse.CSR, vcOf []int, opt Options) error {
	p, q := f.P, f.Q
	var beta0, nu0 []float64
	f.UStar, f.DStar = make([]float64, q), make([]float64, q)
	if opt.Start == nil && !opt.NoPQL {
		if err := f.beat.enter(PhasePQL); err != nil {
			return err
		}
		pr := pirls.Problem{Response: d.Response, N: d.N, P: p, Q: q, X: d.X, Z: z}
		res, err := pql.Fit(pr, vcOf, f.NVC, pql.Options{Inner: pirls.Options{Checkpoint: f.beat.cp}})
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

// checkMemory refuses, before the sample and the importance densities are
// made, a fit whose sample and Σ̃⁻¹ together exceed the memory limit
// (package budget): the largest sample the fit may hold in this process
// (the stages' pilot sample, m, or with an automatic m its cap m.max; kept
// or, beyond the sample memory, only its per-sample values; none when an
// Evaluator holds it), and the importance density's Σ̃⁻¹ and its Cholesky
// factor as plan holds them: sparse (its rows and factor), or two dense
// q×q matrices (PQL runs on the blocked factor; its dense path, for
// designs that cannot be grouped, checks its own q×q system). The argument
// named is the larger part's: m for the sample, q for Σ̃⁻¹. Each sample is
// also checked when it is made (mcla.Model.SetSampler, Grow).
// The blockwise estimator (nb blocks, else 0) keeps nb log densities per
// sample instead of nvc + 1 values.
func checkMemory(q, nvc, nb int, plan *importance.Plan, opt Options) error {
	m := max(opt.M, opt.PilotM)
	if opt.Auto {
		m = max(m, opt.MMax)
	}
	kept := opt.SampleMemory <= 0 || float64(m)*float64(q)*8 <= float64(opt.SampleMemory)
	samples := mcla.StoreBytes(m, q, nvc, kept)
	if nb > 0 {
		samples = mcla.BlockStoreBytes(m, q, nb, kept)
	}
	if opt.Evaluator != nil {
		samples = 0
	}
	sigma := plan.Bytes
	arg := "m"
	if sigma > samples {
		arg = "q"
	}
	how := "2 dense q×q matrices"
	if plan.Sparse {
		how = fmt.Sprintf("sparse, a factor of %d nonzeros", plan.FactorNNZ)
	}
	what := fmt.Sprintf("the fit's sample (m = %d samples of q = %d, %s) and the importance density's Σ̃⁻¹ and its Cholesky factor (%s, %s)",
		m, q, budget.Format(samples), how, budget.Format(sigma))
	return budget.Need(arg, what, samples+sigma)
}
