package mixlogitfit

import (
	"math"
	"math/rand/v2"

	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The E-step's Monte Carlo sample. For subject i and class c the proposal
// is a t distribution with DF degrees of freedom centred at the mode ẑ_ic
// of the conditional density of z given y_i and the class, with the
// Laplace scale s_ic there (mixlogit.ConditionalMode). Its tails are
// heavier than the target's, which are Gaussian (the N(0, σ_c²) prior
// times a likelihood bounded by 1), so the importance weights are bounded
// and have finite variance (Geweke, Econometrica 57:1317–1339, 1989). The
// draws of a subject are stratified by class: a share ρ_ic = 0.9 r̃_ic +
// 0.05 of them comes from class c, with r̃_ic the Laplace approximation of
// the posterior class probability, so that subjects whose class is clear
// spend few draws on the other class, and every class keeps at least
// minPerClass draws.
const (
	shareFloor  = 0.05
	minPerClass = 2
)

// proposal is the proposal of one subject and class: the t at the mode
// with the Laplace scale, mixed with the prior (defensiveShare).
type proposal struct {
	mode, scale float64
	logConst    float64 // log of the t density's normaliser: tLogConst(ν) − log(scale)
}

// defensiveShare is the share ε of the draws taken from the prior
// N(0, σ_c²) instead of the t. The mixture (1 − ε)·t + ε·prior is a
// defensive proposal (Hesterberg, Technometrics 37:185–194, 1995): the
// posterior is the prior times a likelihood of at most 1, so every weight
// is at most 1/ε times the largest likelihood, whatever the shape of the
// posterior. That matters when σ_c is large and a subject's responses are
// all 0 or all 1: the posterior of z is then flat on one side, out to a
// few σ_c, where a t fitted at the mode puts too few draws.
const defensiveShare = 0.1

// logDensity is the log density of the defensive mixture at z.
func (pr proposal) logDensity(z, nu, sigma float64) float64 {
	lt := math.Log1p(-defensiveShare) + pr.logConst + tLogDensity((z-pr.mode)/pr.scale, nu)
	u := z / sigma
	lp := math.Log(defensiveShare) - math.Log(sigma) - 0.5*math.Log(2*math.Pi) - 0.5*u*u
	mx := math.Max(lt, lp)
	return mx + math.Log(math.Exp(lt-mx)+math.Exp(lp-mx))
}

// classDraws are one subject's draws in one class and what the weights,
// the M-step and the ascent check need of each.
type classDraws struct {
	z    []float64 // draws of z
	logq []float64 // log proposal density at z
	h    []float64 // h_i(β_c, z) at the sampling parameters θ
	dh   []float64 // ∂h/∂β at θ (final stage: at its θ)
	d2h  []float64 // ∂²h/∂β² at θ (final stage: at its θ)
	hNew []float64 // h_i(β̃_c, z) at the M-step's β̃ (final stage: at its θ)
	lam  []float64 // ascent check: Λ, the draw's log p at θ̃ less that at θ
	w    []float64 // weights at θ, normalised over the subject's draws
}

func (d *classDraws) reset() {
	d.z, d.logq, d.h, d.hNew, d.w = d.z[:0], d.logq[:0], d.h[:0], d.hNew[:0], d.w[:0]
	d.dh, d.d2h, d.lam = d.dh[:0], d.d2h[:0], d.lam[:0]
}

// subjectDraws are one subject's sample at one MCEM iteration.
type subjectDraws struct {
	prop  [2]proposal
	share [2]float64
	cls   [2]classDraws
	ess   float64 // Kish's effective sample size of the weights
}

func (s *subjectDraws) size() int { return len(s.cls[0].z) + len(s.cls[1].z) }

// propose sets subject i's proposals and class shares at theta.
func (s *subjectDraws) propose(m *mixlogit.Model, i int, theta mixlogit.Params, nu float64) {
	var lc [2]float64
	tc := tLogConst(nu)
	for c := range 2 {
		md := m.ConditionalMode(i, theta.Beta(c), theta.Sigma(c))
		s.prop[c] = proposal{mode: md.Z, scale: md.S, logConst: tc - math.Log(md.S)}
		lc[c] = math.Log(theta.Pi(c)) + md.LogLaplace
		s.cls[c].reset()
	}
	r0 := 1 / (1 + math.Exp(lc[1]-lc[0]))
	s.share[0] = (1-2*shareFloor)*r0 + shareFloor
	s.share[1] = 1 - s.share[0]
}

// split divides m new draws between the classes by their shares.
func (s *subjectDraws) split(m int) [2]int {
	n0 := int(math.Round(float64(m) * s.share[0]))
	n0 = min(max(n0, minPerClass), m-minPerClass)
	return [2]int{n0, m - n0}
}

// draw appends m draws (split by class) from stream r and evaluates the
// proposal density and h_i with its β-derivatives at theta for each.
func (s *subjectDraws) draw(m *mixlogit.Model, i int, theta mixlogit.Params, nu float64, count int, r *rand.Rand) {
	n := s.split(count)
	for c := range 2 {
		d, pr := &s.cls[c], s.prop[c]
		for range n[c] {
			var z float64
			if r.Float64() < defensiveShare {
				z = theta.Sigma(c) * r.NormFloat64()
			} else {
				z = pr.mode + pr.scale*studentT(r, nu)
			}
			h, dh, d2h := m.LogCondBeta(i, theta.Beta(c), z)
			d.z = append(d.z, z)
			d.logq = append(d.logq, pr.logDensity(z, nu, theta.Sigma(c)))
			d.h = append(d.h, h)
			d.dh = append(d.dh, dh)
			d.d2h = append(d.d2h, d2h)
			d.hNew = append(d.hNew, 0)
			d.lam = append(d.lam, 0)
			d.w = append(d.w, 0)
		}
	}
}

// completeLog evaluates log p(y_i, z, class c | θ) + ½ log 2π, the
// complete-data log density of one draw given h = h_i(β_c, z), with the
// logarithms of π_c and σ_c taken once per θ.
type completeLog struct {
	c0, halfPrec [2]float64
}

func newCompleteLog(theta mixlogit.Params) completeLog {
	var l completeLog
	for c := range 2 {
		sig := theta.Sigma(c)
		l.c0[c] = math.Log(theta.Pi(c)) - math.Log(sig)
		l.halfPrec[c] = 0.5 / (sig * sig)
	}
	return l
}

func (l *completeLog) at(c int, z, h float64) float64 {
	return l.c0[c] - l.halfPrec[c]*z*z + h
}

// weigh sets the subject's importance weights at theta from the stored h
// (which must be at theta), normalised to sum to 1, and its ESS. Draw k of
// class c has weight ∝ p(y_i, z_k, c | θ) / (n_c q_ic(z_k)), n_c the
// class's number of draws: the stratified estimator of the posterior.
func (s *subjectDraws) weigh(theta mixlogit.Params) {
	lc := newCompleteLog(theta)
	mx := math.Inf(-1)
	for c := range 2 {
		d := &s.cls[c]
		ln := math.Log(float64(len(d.z)))
		for k, z := range d.z {
			d.w[k] = lc.at(c, z, d.h[k]) - d.logq[k] - ln
			mx = math.Max(mx, d.w[k])
		}
	}
	var sum float64
	for c := range 2 {
		for k, v := range s.cls[c].w {
			e := math.Exp(v - mx)
			s.cls[c].w[k] = e
			sum += e
		}
	}
	var s2 float64
	for c := range 2 {
		for k, v := range s.cls[c].w {
			v /= sum
			s.cls[c].w[k] = v
			s2 += v * v
		}
	}
	s.ess = 1 / s2
}
