package mclafit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// Stage records one importance density of a fit and the MCLA estimate its
// sample gave (for the last stage: after its sample grew to the final m).
type Stage struct {
	Centre []float64 // θ the density was built at: the start (PQL) for stage 1, else the previous estimate
	M      int       // samples drawn from it
	Par    []float64 // the estimate θ̂
	SE     []float64
	MCSE   []float64 // the jackknife's
	ESS    float64   // effective sample size at θ̂
	Iter   int       // trust iterations of its last maximisation
	// Guarded: the maximisation ended against the guard (Fit.Guarded).
	Guarded bool
}

// minSettledDF is the fewest degrees of freedom (effective jackknife groups
// less one) an MCSE needs to decide that the estimate stopped moving: below
// it the MCSE is too uncertain to judge by.
const minSettledDF = 9

// maxSettledMCSE is the largest MCSE, in standard errors, with which a
// stage can settle: the next density's centre is then known to a fifth of
// the likelihood's own scale. (The effective sample size is sensitive to
// the centre: with q = 120 random effects a shift of half a standard error
// can divide it by ten.)
const maxSettledMCSE = 0.2

// runStages fits with up to opt.Stages importance densities: the first at
// the start (PQL), each later one at the estimate of the best stage so far,
// each with a fresh sample of opt.PilotM (glmm's single stage: opt.M), and
// stops early when a stage has settled (its estimate is within twice its
// MCSE of the point its density was built at, so a density built at the
// new estimate would be the same to Monte Carlo error). Each stage is a
// complete MCLA: its density is fixed before its sample is drawn. The fit
// continues with the best stage: the highest effective sample size at its
// estimate among the stages whose maximisation did not end against the
// guard (the estimate of a stage whose sample degenerated is a poor
// centre, and its density a poor final one). With Auto and TimeMax, a stage
// that would end past it (predicted from the last stage's time) is not
// begun.
func (f *Fit) runStages(model sampleSet, data fitData, opt Options, started time.Time) error {
	best, bestDensity := -1, densityState{}
	var last time.Duration
	for s := 1; s <= opt.Stages; s++ {
		centre := f.Start
		if s > 1 {
			centre = f.Stages[best].Par
			if opt.Auto && opt.TimeMax > 0 && time.Since(started)+last > opt.TimeMax {
				break
			}
		}
		t0 := time.Now()
		if err := f.newStage(model, data, centre, opt.PilotM, opt); err != nil {
			return err
		}
		last = time.Since(t0)
		if best < 0 || f.Stages[s-1].better(f.Stages[best]) {
			best, bestDensity = s-1, f.densityState()
		}
		if f.settled(centre) {
			break
		}
	}
	f.FinalStage = best
	if best == len(f.Stages)-1 {
		return nil
	}
	// Back to the best stage's density and sample (drawn again from its
	// seed), and its fit (the same maximisation, from the same point).
	f.restore(bestDensity)
	return f.sampleAndFit(model, opt.PilotM, f.Stages[best].Centre, opt)
}

// newStage builds a density at centre (the first at the start's u* and
// D*), draws m samples from it with the next stage's seed, fits and records
// the stage as the final one.
func (f *Fit) newStage(model sampleSet, data fitData, centre []float64, m int, opt Options) error {
	s := len(f.Stages) + 1
	if s > 1 {
		if err := f.centreAt(data.d, data.z, data.vcOf, centre); err != nil {
			return err
		}
	}
	f.seed = stageSeed(opt.Seed, s)
	if err := f.setDensity(data.d, data.z, centre[:f.P], opt.Stages > 1, opt); err != nil {
		return err
	}
	if err := f.sampleAndFit(model, m, centre, opt); err != nil {
		return err
	}
	f.Stages = append(f.Stages, f.stage(centre))
	f.FinalStage = s - 1
	return nil
}

// fitData is the model's data in the forms the densities are built from.
type fitData struct {
	d    mcla.Data
	z    *sparse.CSR
	vcOf []int
}

// better ranks stages for the final one: not ended against the guard,
// then the larger effective sample size.
func (s Stage) better(than Stage) bool {
	if s.Guarded != than.Guarded {
		return !s.Guarded
	}
	return s.ESS > than.ESS
}

// densityState is what a stage's density needs to be sampled again.
type densityState struct {
	density                *importance.Density
	product                *importance.Product
	densityBeta            []float64
	seed                   uint64
	uStar, dStar, sigmaInv []float64
	sigmaInvCSR            *sparse.CSR
	sparseFactor           bool
	factorNNZ              int64
}

func (f *Fit) densityState() densityState {
	return densityState{density: f.density, product: f.product, densityBeta: f.densityBeta, seed: f.seed, uStar: append([]float64(nil), f.UStar...),
		dStar: append([]float64(nil), f.DStar...), sigmaInv: f.SigmaInv, sigmaInvCSR: f.SigmaInvCSR, sparseFactor: f.SparseFactor, factorNNZ: f.FactorNNZ}
}

func (f *Fit) restore(st densityState) {
	f.density, f.product, f.densityBeta, f.seed, f.SigmaInv = st.density, st.product, st.densityBeta, st.seed, st.sigmaInv // TSigma is the same for every stage
	f.SigmaInvCSR, f.SparseFactor, f.FactorNNZ = st.sigmaInvCSR, st.sparseFactor, st.factorNNZ
	copy(f.UStar, st.uStar)
	copy(f.DStar, st.dStar)
}

// stage records the fit's current density and estimate.
func (f *Fit) stage(centre []float64) Stage {
	return Stage{Centre: append([]float64(nil), centre...), M: f.M, Par: f.Par(), SE: append([]float64(nil), f.SE...),
		MCSE: append([]float64(nil), f.MCSE...), ESS: f.ESS, Iter: f.Iter, Guarded: f.Guarded}
}

// settled reports whether the estimate is near the density's centre, with
// an MCSE resting on at least minSettledDF degrees of freedom and at most
// maxSettledMCSE standard errors.
func (f *Fit) settled(centre []float64) bool {
	if f.Jackknife == nil || !(f.Jackknife.DF >= minSettledDF) || !f.near(centre) {
		return false
	}
	for i := range f.SE {
		if !(f.MCSE[i] <= maxSettledMCSE*f.SE[i]) {
			return false
		}
	}
	return true
}

// near reports whether the maximisation did not end against the guard and
// every estimate lies within max(2√2 MCSE, nearSE·SE) of the density's
// centre: the centre is itself a Monte Carlo estimate with about the same
// MCSE when it is the previous estimate, so √2 times the MCSE is the
// typical difference of two; and a centre within a tenth of a standard
// error of the estimate gives a density as good as the sample can tell.
func (f *Fit) near(centre []float64) bool {
	if f.Guarded {
		return false
	}
	for i, v := range f.Par() {
		if !(math.Abs(v-centre[i]) <= math.Max(2*math.Sqrt2*f.MCSE[i], nearSE*f.SE[i])) {
			return false
		}
	}
	return true
}

// nearSE: see near.
const nearSE = 0.1
