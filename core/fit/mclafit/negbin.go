package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/golden"
	"time"
)

// DispersionFit is a negative binomial fit with its dispersion estimated.
type DispersionFit struct {
	R       float64      // the estimated dispersion (size) r̂
	LogLik  float64      // full MCLA log-likelihood at (θ̂, r̂), constants included
	Fit     *Fit         // the fit at r̂ (inference is conditional on r̂)
	Profile [][2]float64 // (r, profile log-likelihood) at every r evaluated
}

// FitDispersion estimates the negative binomial dispersion r together with
// (β, ν) by maximising the profile MCLA log-likelihood
//
//	L(r) = max_θ l_m(θ; r) + Σᵢ wᵢ LogConstNB(yᵢ, r)
//
// over log r in [log rLo, log rHi] by golden-section search. The family's
// constant (package family) depends on r and so must be included here,
// unlike in a fit at fixed r. The importance density and the u-matrix are
// those of a pilot fit at r₀ = √(rLo·rHi) and stay fixed, so L(r) is a
// smooth function of r (an importance-sampling estimate that reuses one
// sample); each r then costs one trust maximisation, warm-started from the
// previous optimum. The reported SEs and MCSEs are conditional on r̂: they
// ignore the uncertainty in r̂. d.Dispersion is ignored.
func FitDispersion(d mcla.Data, opt Options, rLo, rHi float64) (*DispersionFit, error) {
	if d.Family != family.NegBinomial {
		return nil, errs.Invalidf("family", "is %v; only the negative binomial family has a dispersion to estimate", d.Family)
	}
	if !(rLo > 0) || !(rHi > rLo) || math.IsInf(rHi, 0) {
		return nil, errs.Invalidf("r_range", "[%g, %g] must satisfy 0 < r_lo < r_hi < Inf", rLo, rHi)
	}
	at := func(r float64) mcla.Data {
		e := d
		e.Dispersion = r
		return e
	}
	pilot, err := Run(at(math.Sqrt(rLo*rHi)), opt)
	if err != nil {
		return nil, err
	}
	if err := opt.resolve(pilot.P+pilot.T, pilot.P); err != nil {
		return nil, err
	}
	res := &DispersionFit{}
	start := pilot.Par()
	cache := map[float64]*Fit{}
	profile := func(logr float64) (float64, error) {
		r := math.Exp(logr)
		model, err := mcla.New(at(r))
		if err != nil {
			return 0, err
		}
		f := &Fit{P: pilot.P, T: pilot.T, Q: pilot.Q, M: pilot.M, PQL: pilot.PQL, UStar: pilot.UStar, DStar: pilot.DStar,
			SigmaInv: pilot.SigmaInv, M1: pilot.M1, M2: pilot.M2, M3: pilot.M3, sampler: pilot.sampler, familyCode: d.Family,
			ParInit: append([]float64(nil), start...)}
		if err := f.maximise(model, opt, time.Now()); err != nil {
			return 0, err
		}
		copy(start, f.Par())
		var c float64
		for i, y := range d.Y {
			w := 1.0
			if d.Weights != nil {
				w = d.Weights[i]
			}
			c += w * family.LogConstNB(y, r)
		}
		v := f.Value + c
		cache[logr] = f
		res.Profile = append(res.Profile, [2]float64{r, v})
		return v, nil
	}
	// The profile's maximum in log r, by golden-section search on −L.
	gs, err := golden.Minimize(optim.Problem{
		Func:  func(x []float64) (float64, error) { v, err := profile(x[0]); return -v, err },
		Lower: []float64{math.Log(rLo)}, Upper: []float64{math.Log(rHi)},
	}, optim.Settings{StepTol: 1e-2}) // r̂ to 1%, well inside its sampling error
	if err != nil {
		return nil, err
	}
	res.R, res.Fit = math.Exp(gs.X[0]), cache[gs.X[0]]
	res.LogLik = -gs.F
	return res, nil
}
