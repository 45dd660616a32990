package mclafit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/optim"
)

// Options of a fit. Zero values select glmm's defaults where glmm has one,
// and glmmgo's own otherwise.
type Options struct {
	M       int        // Monte Carlo sample size, ≥ 1 (required unless Auto)
	P       [3]float64 // mixture probabilities p₁, p₂, p₃; all zero means (1/3, 1/3, 1/3)
	Zeta    float64    // t degrees of freedom, default 5
	Seed    uint64     // the sample is a function of (data, options, Seed)
	Workers int        // 0 = all CPUs; results do not depend on it
	RInit   float64    // trust radius at the start, default 10
	RMax    float64    // largest trust radius, default 1000
	IterLim int        // trust iterations, default 1000
	// Start, if not nil, are starting values (β, ν) used instead of PQL
	// (glmm's par.init). NoPQL without Start starts from β = 0, ν = 1
	// (glmm's doPQL = FALSE).
	Start []float64
	NoPQL bool
	// TAtUStar centres the importance density's t component at u* rather
	// than at 0 as glmm does (glmm's choice must be kept to reproduce its
	// objective; for a fit either is a valid importance density).
	TAtUStar bool
	// ESSWarn: the fit sets ESSWarning when the effective sample size at
	// the estimate is below it; 0 means DefaultESSWarn.
	ESSWarn float64
	// Progress, if not nil, is called between trust iterations with the
	// iteration, the current log-likelihood and (β, ν); returning false
	// cancels the fit (errs.ErrCancelled).
	Progress optim.Progress

	// Stages is the number of importance densities: the first at the PQL
	// estimate (or the start), each later one at the previous stage's
	// estimate, stopping early once the estimate no longer moves beyond
	// its MCSE. 1 is glmm's single stage; 0 means DefaultStages.
	Stages int
	// PilotM is the sample size of every stage but the last (at most M):
	// the last stage grows its sample to M, or, with Auto, from PilotM
	// until the targets are met. 0 means DefaultPilotM.
	PilotM int

	// Auto chooses the sample size: the last stage's sample grows from
	// PilotM, reusing the samples drawn, until the ESS reaches ESSTarget and
	// every parameter's MCSE is at most RelMCSE times its SE, or until MMax
	// samples or TimeMax of wall time (then Fit.AutoStop says which). M is
	// ignored.
	Auto      bool
	ESSTarget float64 // default 1000
	RelMCSE   float64 // default 0.1
	MMax      int     // default 10⁷
	// TimeMax bounds the wall time of the stages and of the growth of m:
	// a stage or a round of growth predicted to end past it is not begun
	// (the final inference, the jackknife included, still runs after it).
	// 0: no limit. A limit that is reached makes the result depend on the
	// machine's speed.
	TimeMax time.Duration

	// SampleMemory is the most bytes the u-matrix (m·q doubles) may take in
	// memory; a larger sample is redrawn block by block at every evaluation
	// (same results, more time). 0 means DefaultSampleMemory, negative no
	// limit.
	SampleMemory int64

	// Evaluator, if not nil, holds the sample in other processes and
	// evaluates it there (see Evaluator); the result is the same bit for
	// bit. Workers then counts this process's threads only.
	Evaluator Evaluator

	// Estimator chooses between glmm's joint importance-sampling
	// estimator and the blockwise one (see the package comment).
	Estimator Estimator
}

// Estimator is the MCLA estimator of a fit.
type Estimator int32

const (
	// EstimatorAuto: blockwise when the random effects split into two or
	// more conditionally independent blocks and the sample size is
	// automatic (Auto); otherwise joint, so that a fit with a given m
	// keeps glmm's estimator and stays comparable with glmm.
	EstimatorAuto Estimator = iota
	// EstimatorJoint: glmm's estimator, one importance-sampling average
	// over all random effects.
	EstimatorJoint
	// EstimatorBlockwise: one average per block (with a single block,
	// the joint estimator).
	EstimatorBlockwise
)

func (e Estimator) String() string {
	switch e {
	case EstimatorAuto:
		return "auto"
	case EstimatorJoint:
		return "joint"
	case EstimatorBlockwise:
		return "blockwise"
	}
	return "invalid"
}

// blockwise resolves the estimator for a design of nb blocks: whether the
// fit uses the blockwise estimator.
func (o *Options) blockwise(nb int) (bool, error) {
	switch o.Estimator {
	case EstimatorJoint:
		return false, nil
	case EstimatorBlockwise:
		return nb >= 2, nil
	}
	return o.Auto && nb >= 2, nil
}

// Defaults of the options glmm does not have.
const (
	DefaultStages    = 5
	DefaultPilotM    = 10000
	DefaultESSTarget = 1000
	DefaultRelMCSE   = 0.05
	DefaultMMax      = 10_000_000
	// DefaultSampleMemory: 4 GiB of samples (salamander, q = 120: 4.5
	// million) are kept; beyond that redrawing costs less than the memory.
	DefaultSampleMemory = 4 << 30
)

// DefaultESSWarn is the effective sample size below which a fit warns when
// Options.ESSWarn is 0: below about a hundred effective samples the Monte
// Carlo averages behind the estimate, its Hessian and the MCSEs rest on too
// few draws for the MCSEs themselves to be trusted.
const DefaultESSWarn = 100

func (o *Options) resolve(npar, p int) error {
	if o.Estimator < EstimatorAuto || o.Estimator > EstimatorBlockwise {
		return errs.Invalidf("estimator", "is %d; want %d (auto), %d (joint) or %d (blockwise)", o.Estimator, EstimatorAuto, EstimatorJoint, EstimatorBlockwise)
	}
	if err := o.resolveSize(); err != nil {
		return err
	}
	if o.P == [3]float64{} {
		o.P = [3]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	}
	if err := importance.CheckMixture(o.P); err != nil {
		return err
	}
	if o.P[0] == 0 {
		// The t component's heavy tails bound the importance weights
		// f_θ(u, y)/f̃(u): without it they can have infinite variance.
		return errs.Invalidf("p_mix", "p1 (the t component) is 0; it must be positive so that the importance weights have finite variance")
	}
	if o.Zeta == 0 {
		o.Zeta = 5
	}
	if err := importance.CheckZeta(o.Zeta); err != nil {
		return err
	}
	if err := checkDrawnZeta(o.Zeta); err != nil {
		return err
	}
	if o.RInit == 0 {
		o.RInit = 10
	}
	if o.RMax == 0 {
		o.RMax = 1000
	}
	if !(o.RInit > 0) || math.IsInf(o.RInit, 0) {
		return errs.Invalidf("rinit", "is %g; must be positive and finite", o.RInit)
	}
	if !(o.RMax >= o.RInit) || math.IsInf(o.RMax, 0) {
		return errs.Invalidf("rmax", "is %g; must be finite and at least rinit = %g", o.RMax, o.RInit)
	}
	if o.IterLim == 0 {
		o.IterLim = 1000
	}
	if o.IterLim < 1 {
		return errs.Invalidf("iterlim", "is %d; must be positive", o.IterLim)
	}
	if o.ESSWarn == 0 {
		o.ESSWarn = DefaultESSWarn
	}
	if !(o.ESSWarn >= 0) {
		return errs.Invalidf("ess_warn", "is %g; must be non-negative", o.ESSWarn)
	}
	if o.Start != nil {
		if len(o.Start) != npar {
			return errs.Invalidf("start", "has length %d, want p+nvc = %d", len(o.Start), npar)
		}
		for i, v := range o.Start {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errs.Invalidf("start", "element %d is %g; must be finite", i, v)
			}
			if i >= p && !(v > 1e-9) {
				return errs.Invalidf("start", "element %d (variance component %d) is %g; starting variances must exceed 1e-9", i, i-p, v)
			}
		}
	}
	return nil
}

// resolveSize checks and defaults the sample size, stages and the Auto
// targets.
func (o *Options) resolveSize() error {
	if o.Stages == 0 {
		o.Stages = DefaultStages
	}
	if o.Stages < 1 {
		return errs.Invalidf("stages", "is %d; must be at least 1", o.Stages)
	}
	if o.PilotM == 0 {
		o.PilotM = DefaultPilotM
	}
	if o.PilotM < 1 {
		return errs.Invalidf("m_pilot", "is %d; must be at least 1", o.PilotM)
	}
	if o.SampleMemory == 0 {
		o.SampleMemory = DefaultSampleMemory
	}
	if !o.Auto {
		if o.M < 1 {
			return errs.Invalidf("m", "is %d; need at least one Monte Carlo sample", o.M)
		}
		o.PilotM = min(o.PilotM, o.M)
		if o.Stages == 1 {
			o.PilotM = o.M // glmm's single sample, drawn at once
		}
		return nil
	}
	return o.resolveAuto()
}

func (o *Options) resolveAuto() error {
	if o.ESSTarget == 0 {
		o.ESSTarget = DefaultESSTarget
	}
	if o.RelMCSE == 0 {
		o.RelMCSE = DefaultRelMCSE
	}
	if o.MMax == 0 {
		o.MMax = DefaultMMax
	}
	if !(o.ESSTarget >= 1) || math.IsInf(o.ESSTarget, 0) {
		return errs.Invalidf("ess_target", "is %g; must be at least 1 and finite", o.ESSTarget)
	}
	if !(o.RelMCSE > 0) || math.IsInf(o.RelMCSE, 0) {
		return errs.Invalidf("rel_mcse", "is %g; must be positive and finite", o.RelMCSE)
	}
	if o.MMax < 1 {
		return errs.Invalidf("m_max", "is %d; must be at least 1", o.MMax)
	}
	if o.TimeMax < 0 {
		return errs.Invalidf("time_max", "is %v; must be non-negative (0: no limit)", o.TimeMax)
	}
	o.PilotM = min(o.PilotM, o.MMax)
	return nil
}
