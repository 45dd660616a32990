package laplace

import (
	"math"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fastmath"
)

// The pass over the observations at each PIRLS step is the engine's
// innermost loop after the factorisation. For the canonical links of the
// binary and Poisson families it is written out here on plain slices
// (y, trials, prior weights), one exponential and one logarithm per
// observation; the other families and links go through Response.At.

// kernel selects the written-out pass, if any.
type kernel int

const (
	kernelGeneric kernel = iota
	kernelLogit          // Bernoulli or binomial, logit link
	kernelPoisson        // Poisson, log link
)

// obsData are the response's slices with the defaults filled in.
type obsData struct {
	y, trials, w []float64
}

func newObsData(m *Model) obsData {
	r := &m.resp
	d := obsData{y: r.Y, trials: r.Trials, w: r.Weights}
	if d.trials == nil {
		d.trials = ones(m.n)
	}
	if d.w == nil {
		d.w = ones(m.n)
	}
	return d
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// chooseKernel picks the pass for the model's family and link.
func (m *Model) chooseKernel() kernel {
	r := &m.resp
	switch {
	case !m.canonical:
		return kernelGeneric
	case r.Family == family.Bernoulli || r.Family == family.Binomial:
		return kernelLogit
	case r.Family == family.Poisson:
		return kernelPoisson
	}
	return kernelGeneric
}

// points sets the scores and working weights (floored at minWeight) at η
// and returns Σ wᵢℓᵢ(ηᵢ) without constants.
func (m *Model) points(eta, score, wt []float64) float64 {
	switch m.kern {
	case kernelLogit:
		return m.od.logitPoints(eta, score, wt)
	case kernelPoisson:
		return m.od.poissonPoints(eta, score, wt)
	}
	var l float64
	for i, e := range eta {
		li, d1, w := m.point(i, e)
		l += li
		score[i], wt[i] = d1, math.Max(w, minWeight)
	}
	return l
}

// logitPoints: ℓ = w(yη − N·log(1+e^η)), ℓ′ = w(y − Np), W = wNp(1−p).
func (d *obsData) logitPoints(eta, score, wt []float64) float64 {
	y, nt, w := d.y[:len(eta)], d.trials[:len(eta)], d.w[:len(eta)]
	score, wt = score[:len(eta)], wt[:len(eta)]
	var l float64
	for i, e := range eta {
		sp, p, pq := fastmath.Logistic(e)
		wi := w[i]
		if wi == 0 {
			score[i], wt[i] = 0, minWeight
			continue
		}
		l += wi * (y[i]*e - nt[i]*sp)
		score[i] = wi * (y[i] - nt[i]*p)
		wt[i] = math.Max(wi*nt[i]*pq, minWeight)
	}
	return l
}

// poissonPoints: ℓ = w(yη − e^η), ℓ′ = w(y − e^η), W = w·e^η.
func (d *obsData) poissonPoints(eta, score, wt []float64) float64 {
	y, w := d.y[:len(eta)], d.w[:len(eta)]
	score, wt = score[:len(eta)], wt[:len(eta)]
	var l float64
	for i, e := range eta {
		mu := fastmath.Exp(e)
		wi := w[i]
		if wi == 0 {
			score[i], wt[i] = 0, minWeight
			continue
		}
		l += wi * (y[i]*e - mu)
		score[i] = wi * (y[i] - mu)
		wt[i] = math.Max(wi*mu, minWeight)
	}
	return l
}
