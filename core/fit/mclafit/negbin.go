package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/golden"
)

// DispersionFit is a negative binomial fit with its dispersion estimated.
type DispersionFit struct {
	Dispersion float64      // the estimated dispersion (size) r̂
	LogLik     float64      // full MCLA log-likelihood at (θ̂, r̂), constants included
	Fit        *Fit         // the fit at r̂ (inference is conditional on r̂)
	Profile    [][2]float64 // (r, profile log-likelihood) at every r evaluated
}

// FitDispersion estimates the negative binomial dispersion r together with
// (β, ν) by maximising the profile MCLA log-likelihood
//
//	L(r) = max_θ l_m(θ; r) + Σᵢ wᵢ LogConstNB(yᵢ, r)
//
// over log r in [log rLo, log rHi] by golden-section search
// (core/optim/golden, to 1% in r, well inside its sampling error). The
// family's constant (package family) depends on r and so must be included
// here, unlike in a fit at fixed r. The importance density and the u-matrix
// are those of a pilot fit at r₀ = √(rLo·rHi) (its last stage) and stay
// fixed, shared with every r's model without a copy, so L(r) is a smooth
// function of r (an importance-sampling estimate that reuses one sample);
// each r then costs one trust maximisation, warm-started from the previous
// optimum. The reported SEs and MCSEs are conditional on r̂: they
// ignore the uncertainty in r̂. d.Dispersion is ignored.
func FitDispersion(d mcla.Data, opt Options, rLo, rHi float64) (*DispersionFit, error) {
	if d.Family != family.NegBinomial {
		return nil, errs.Invalidf("family", "is %v; only the negative binomial family has a dispersion to estimate", d.Family)
	}
	if !(rLo > 0) || !(rHi > rLo) || math.IsInf(rHi, 0) {
		return nil, errs.Invalidf("r_range", "[%g, %g] must satisfy 0 < r_lo < r_hi < Inf", rLo, rHi)
	}
	if opt.Evaluator != nil {
		return nil, errs.Invalidf("evaluator", "estimating a negative binomial size runs in one process: give the size, or fit without a cluster")
	}
	pilot, pilotSet, err := run(atDispersion(d, math.Sqrt(rLo*rHi)), opt, newHeartbeat(opt.Progress))
	if err != nil {
		return nil, err
	}
	defer func() { pilot.beat = nil }() // the caller's callback is not kept
	pilotModel := pilotSet.(localSet).Model
	if err := opt.resolve(pilot.P+pilot.NVC, pilot.P); err != nil {
		return nil, err
	}
	pr := &profile{d: d, opt: opt, pilot: pilot, samples: pilotModel, start: pilot.Par(), fits: map[float64]*Fit{}, res: &DispersionFit{}}
	gs, err := golden.Minimize(optim.Problem{Func: pr.negative, Lower: []float64{math.Log(rLo)}, Upper: []float64{math.Log(rHi)}},
		optim.Settings{StepTol: 1e-2})
	if err != nil {
		return nil, err
	}
	pr.res.Dispersion, pr.res.Fit, pr.res.LogLik = math.Exp(gs.X[0]), pr.fits[gs.X[0]], -gs.F
	for _, f := range pr.fits {
		f.beat = nil
	}
	return pr.res, nil
}

// atDispersion is d with dispersion r.
func atDispersion(d mcla.Data, r float64) mcla.Data {
	d.Dispersion = r
	return d
}

// profile evaluates the profile log-likelihood on the pilot's sample.
type profile struct {
	d       mcla.Data
	opt     Options
	pilot   *Fit
	samples *mcla.Model      // the pilot's model, holding its density and sample
	start   []float64        // the previous optimum, where the next trust starts
	fits    map[float64]*Fit // by log r
	res     *DispersionFit
}

// negative returns −L(r) at x = (log r), for the minimiser.
func (p *profile) negative(x []float64) (float64, error) {
	v, err := p.at(x[0])
	return -v, err
}

// at fits θ at r = e^logr on the pilot's density and sample and returns
// L(r), recording the fit and the profile point.
func (p *profile) at(logr float64) (float64, error) {
	r := math.Exp(logr)
	dr := atDispersion(p.d, r)
	model, err := mcla.New(dr)
	if err != nil {
		return 0, err
	}
	if err := model.AdoptSamples(p.samples); err != nil {
		return 0, err
	}
	pl := p.pilot
	f := &Fit{P: pl.P, NVC: pl.NVC, Q: pl.Q, M: pl.M, PQL: pl.PQL, Start: pl.Start, UStar: pl.UStar, DStar: pl.DStar,
		SigmaInv: pl.SigmaInv, SigmaInvCSR: pl.SigmaInvCSR, SparseFactor: pl.SparseFactor, FactorNNZ: pl.FactorNNZ, M1: pl.M1, M2: pl.M2, M3: pl.M3, Stages: pl.Stages, SamplesKept: pl.SamplesKept,
		density: pl.density, product: pl.product, blockCols: pl.blockCols, Blockwise: pl.Blockwise, Blocks: pl.Blocks, seed: pl.seed, sampleMemory: pl.sampleMemory, TSigma: pl.TSigma, FinalStage: pl.FinalStage,
		beat: pl.beat, xScale: pl.xScale, sparsePlan: pl.sparsePlan, workers: pl.workers}
	model.SetCheckpoint(pl.beat.checkpoint())
	if err := f.fitAt(localSet{model}, p.start, p.opt); err != nil {
		return 0, err
	}
	copy(p.start, f.Par())
	v := f.Value + dr.LogConst()
	p.fits[logr] = f
	p.res.Profile = append(p.res.Profile, [2]float64{r, v})
	return v, nil
}
