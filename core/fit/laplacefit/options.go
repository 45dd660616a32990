package laplacefit

import (
	"math"
	"strconv"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
)

// ThetaStart chooses the fast stage's starting θ.
type ThetaStart int

const (
	// StartAuto (the default) evaluates the fast objective at lme4's
	// default θ and at the θ of a linear mixed model fitted to the working
	// response of the model without random effects (MixedModels.jl pull
	// request 588), and starts from the lower.
	StartAuto ThetaStart = iota
	// StartDefault is lme4's start: 1 on the diagonal of every template,
	// 0 below it.
	StartDefault
	// StartLMM is the LMM's θ, always.
	StartLMM
)

// Options control Fit. Zero values select the defaults noted.
type Options struct {
	// Fast optimises θ alone, β̃(θ) from PIRLS (lme4's nAGQ = 0,
	// MixedModels.jl's fast = true). Otherwise (the default) the fast fit
	// is the first stage and (θ, β) are optimised from its optimum (lme4's
	// nAGQ ≥ 1, MixedModels.jl's fast = false).
	Fast bool
	// NAGQ is the number of adaptive Gauss–Hermite nodes of the second
	// stage: 1 (the default) is the Laplace approximation; 2..25 need one
	// scalar random-effects term and Fast false.
	NAGQ int
	// Start is where to start: θ (model order) for the fast stage, or θ
	// then β (the kept columns of X) for the second stage, skipping the
	// first. nil: ThetaStart's choice.
	Start      []float64
	ThetaStart ThetaStart
	// Rhobeg and Rhoend are BOBYQA's initial and final trust radii in the
	// optimiser's coordinates: θ itself in the fast stage; θ/0.25 and β in
	// units of five standard errors (from the fast stage) in the slow one.
	// Defaults 0.1 and 1e−4: the optimum's −2 log L to about 1e−7, θ to
	// about 1e−5 and β to 5e−4 standard errors (a tenth of those radii
	// changes no check value by more than 1e−6, at 10–30% more
	// evaluations).
	Rhobeg, Rhoend float64
	MaxEval        int // per stage; default 10000
	// NoHessian skips the finite-difference Hessian of the second stage's
	// objective (and so the standard errors from it: β's then come from
	// the last PIRLS factor, as for fast fits).
	NoHessian bool
	// Tolerance controls PIRLS (see laplace.Tolerance).
	Tolerance laplace.Tolerance
	// Workers bounds the goroutines of the factorisations: 0 means all
	// CPUs; results do not depend on it.
	Workers int
	// Progress, if set, is called after every evaluation on the calling
	// goroutine with the stage, the evaluation count, the objective
	// (−2 log L) and the point (θ, or θ and β; valid only during the
	// call). Returning false cancels the fit (errs.ErrCancelled).
	Progress func(stage Stage, eval int, objective float64, x []float64) bool
}

// Stage names a part of the fit.
type Stage int

const (
	StageStart   Stage = iota // choosing θ's start
	StageFast                 // θ optimised, β in PIRLS
	StageSlow                 // θ and β optimised
	StageHessian              // finite differences at the optimum
)

func (s Stage) String() string {
	return [...]string{"start", "fast", "slow", "hessian"}[s]
}

// resolve fills the defaults and checks the options against the model.
func (o *Options) resolve(m *laplace.Model) error {
	if o.NAGQ == 0 {
		o.NAGQ = 1
	}
	if o.NAGQ < 1 || o.NAGQ > laplace.MaxAGQ {
		return errs.Invalidf("nAGQ", "is %d; use 1 (Laplace) to %d", o.NAGQ, laplace.MaxAGQ)
	}
	if o.NAGQ > 1 && o.Fast {
		return errs.Invalidf("nAGQ", "is %d with fast = true; quadrature needs β in the optimiser (fast = false)", o.NAGQ)
	}
	if o.NAGQ > 1 && !m.CanAGQ() {
		return errs.Invalidf("nAGQ", "is %d; adaptive Gauss-Hermite quadrature needs a single scalar random-effects term", o.NAGQ)
	}
	if o.Rhobeg == 0 {
		o.Rhobeg = 0.1
	}
	if o.Rhoend == 0 {
		o.Rhoend = 1e-4
	}
	if !(o.Rhobeg > 0) || !(o.Rhoend > 0) || o.Rhoend > o.Rhobeg || math.IsInf(o.Rhobeg, 0) {
		return errs.Invalidf("rhobeg", "rhobeg %g and rhoend %g must be positive, finite and rhoend ≤ rhobeg", o.Rhobeg, o.Rhoend)
	}
	if o.MaxEval < 0 {
		return errs.Invalidf("maxeval", "is %d", o.MaxEval)
	}
	if o.MaxEval == 0 {
		o.MaxEval = 10000
	}
	if o.Workers < 0 {
		return errs.Invalidf("workers", "is %d; use 0 for all CPUs or a positive count", o.Workers)
	}
	if o.ThetaStart < StartAuto || o.ThetaStart > StartLMM {
		return errs.Invalidf("theta_start", "is %d", int(o.ThetaStart))
	}
	return o.checkStart(m)
}

// checkStart: Start has length NTheta (fast stage) or NTheta + P, finite,
// θ within its bounds.
func (o *Options) checkStart(m *laplace.Model) error {
	if o.Start == nil {
		return nil
	}
	nt, p := m.NTheta(), m.P()
	if len(o.Start) != nt && (o.Fast || len(o.Start) != nt+p) {
		want := "θ (" + strconv.Itoa(nt) + ")"
		if !o.Fast {
			want += " or θ and β (" + strconv.Itoa(nt+p) + ")"
		}
		return errs.Invalidf("start", "has length %d; want %s", len(o.Start), want)
	}
	lower := m.Lower()
	for i, v := range o.Start {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("start", "element %d is %g", i, v)
		}
		if i < nt && v < lower[i] {
			return errs.Domainf("start", "element %d is %g, below θ's lower bound %g", i, v, lower[i])
		}
	}
	return nil
}
