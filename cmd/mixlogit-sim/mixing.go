package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/glmmgo/glmmgo/core/fit/mixlogitfit"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// mixing compares, on the first data set, the E-step samplers: the
// importance sampler of package mixlogitfit (independent draws; its
// effective sample size per draw, from the trace of an MCEM fit) and the
// reference implementation's chain (Wang's course project), run here at
// the truth: per subject, K iterations of class | z by its conditional and
// z | class by independence Metropolis–Hastings with the prior N(0, σ_c²)
// as proposal, the first burn discarded. For the chain it reports the
// acceptance rate of the z step, the lag-1 autocorrelation of z and the
// effective sample size K′(1 − ρ₁)/(1 + ρ₁) of an AR(1) chain with that
// autocorrelation, as a share of the K′ = K − burn kept draws.
func mixing(w io.Writer, c config) error {
	x := covariate(c)
	d, _, err := mixlogit.Simulate(c.truth, c.n, c.t, x, c.seed+1)
	if err != nil {
		return err
	}
	m, err := mixlogit.New(d)
	if err != nil {
		return err
	}
	const K, burn = 500, 100
	var acc, rho, ess float64
	for i := range m.N() {
		a, r := referenceChain(m, i, c.truth, K, burn, rand.New(rand.NewPCG(c.seed, uint64(i))))
		acc += a / float64(m.N())
		rho += r / float64(m.N())
		ess += (1 - r) / (1 + r) / float64(m.N())
	}
	fmt.Fprintf(w, "E-step samplers on data set 1 (n = %d, T = %d)\n", c.n, c.t)
	fmt.Fprintf(w, "reference Gibbs/MH chain at the truth (K = %d, burn-in %d): z-step acceptance %.3f, lag-1 autocorrelation of z %.3f, AR(1) ESS per kept draw %.3f\n", K, burn, acc, rho, ess)
	opt := mixlogitfit.DefaultOptions()
	opt.Workers, opt.Seed = c.workers, c.seed
	res, err := mixlogitfit.Fit(m, opt)
	if err != nil {
		return err
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, it := range res.Trace {
		lo, hi = math.Min(lo, it.ESSMean), math.Max(hi, it.ESSMean)
	}
	fmt.Fprintf(w, "mixlogitfit importance sampler (t%g at the conditional modes, 10 %% of draws from the prior): independent draws (autocorrelation 0); Kish ESS per draw, mean over subjects, %.3f–%.3f over the %d iterations; at the estimate mean %.3f, smallest subject %.3f\n\n",
		opt.DF, lo, hi, len(res.Trace), res.ESSMean, res.ESSMin)
	return nil
}

// referenceChain runs the reference sampler for subject i at p and returns
// the z step's acceptance rate and the lag-1 autocorrelation of the kept z.
func referenceChain(m *mixlogit.Model, i int, p mixlogit.Params, K, burn int, r *rand.Rand) (accept, rho1 float64) {
	z, accepted := 0.0, 0
	kept := make([]float64, 0, K-burn)
	for k := range K {
		// Class given z.
		var lc [2]float64
		for c := range 2 {
			s := p.Sigma(c)
			lc[c] = math.Log(p.Pi(c)) - math.Log(s) - 0.5*z*z/(s*s) + m.LogCond(i, p.Beta(c), z)
		}
		c := 1
		if r.Float64() < 1/(1+math.Exp(lc[1]-lc[0])) {
			c = 0
		}
		// z given the class: the prior as proposal, so the acceptance
		// probability is the likelihood ratio.
		zs := p.Sigma(c) * r.NormFloat64()
		if math.Log(r.Float64()) < m.LogCond(i, p.Beta(c), zs)-m.LogCond(i, p.Beta(c), z) {
			z = zs
			accepted++
		}
		if k >= burn {
			kept = append(kept, z)
		}
	}
	return float64(accepted) / float64(K), lag1(kept)
}

func lag1(v []float64) float64 {
	var mean float64
	for _, x := range v {
		mean += x / float64(len(v))
	}
	var num, den float64
	for k, x := range v {
		den += (x - mean) * (x - mean)
		if k > 0 {
			num += (x - mean) * (v[k-1] - mean)
		}
	}
	if den == 0 {
		return 1
	}
	return num / den
}
