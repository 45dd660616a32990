package laplacefit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
)

// SingularTol is the threshold below which a diagonal θ counts as zero
// (lme4's isSingular).
const SingularTol = 1e-4

// summarise fills the results at the optimum r.Theta (and r.Beta for slow
// fits): the mode and the approximation there, residuals, variance
// components, conditional variances, then the derivatives and the
// standard errors.
func summarise(m *laplace.Model, opt *Options, r *Result) error {
	var v float64
	var err error
	if opt.Fast {
		v, err = m.LaplaceFast(r.Theta)
	} else {
		v, err = objective(m, opt.NAGQ, r.Theta, r.Beta)
	}
	if err != nil {
		return err
	}
	md := m.LastMode(opt.Fast)
	r.Beta = md.Beta
	describe(m, r)
	r.MinusTwoLogLik, r.LogLik = v, -v/2
	r.SaturatedLogLik = m.LogConst() + m.Saturated()
	r.Deviance = v + 2*r.SaturatedLogLik
	r.PenalisedDev = -2*(md.LogLik-r.SaturatedLogLik) + md.USSQ
	r.USSQ, r.LogDetL = md.USSQ, md.LogDetL
	r.AIC = v + 2*float64(r.NPar)
	r.BIC = v + math.Log(float64(r.NObs))*float64(r.NPar)
	r.U, r.B, r.LinearPred = md.U, md.B, md.Eta
	residuals(m, r)
	if r.VarCorr, err = m.VarCorr(r.Theta); err != nil {
		return err
	}
	lm, err := m.WorkingLMM(opt.Fast)
	if err != nil {
		return err
	}
	if r.CondVar, err = lm.CondVar(r.Theta, 1); err != nil {
		return err
	}
	r.Converged = r.FastStage.Converged || opt.Start != nil && !opt.Fast && r.FastStage.Evals == 0
	r.Converged = r.Converged && (opt.Fast || r.SlowStage.Converged)
	r.Message = message(r, opt.Fast)
	return inference(m, opt, r, v)
}

// describe fills the model's description.
func describe(m *laplace.Model, r *Result) {
	resp := m.Response()
	r.Family, r.Link = resp.Family, resp.Family.Resolve(resp.Link)
	r.NObs, r.NPar = m.N(), m.P()+m.NTheta()
	r.BetaNames, r.Kept, r.Dropped, r.TermOrder = m.XNames(), m.Kept(), m.Dropped(), m.TermOrder()
	lo := m.Lower()
	for i, l := range lo {
		if l == 0 && r.Theta[i] < SingularTol {
			r.Singular = true
		}
	}
}

// residuals fills the fitted values and lme4's residuals at η̃.
func residuals(m *laplace.Model, r *Result) {
	resp := m.Response()
	n := m.N()
	r.Fitted = make([]float64, n)
	r.ResidResponse, r.ResidPearson, r.ResidDeviance = make([]float64, n), make([]float64, n), make([]float64, n)
	for i, eta := range r.LinearPred {
		y, nt, w := resp.Y[i], resp.Trial(i), resp.Weight(i)
		pt := resp.Family.At(resp.Link, y, eta, nt, resp.Dispersion)
		mu := pt.Mean
		r.Fitted[i] = mu
		if resp.Family == family.Binomial || resp.Family == family.Bernoulli {
			r.Fitted[i] = mu / nt
		}
		r.ResidResponse[i] = (y - mu) / trialsOf(resp.Family, nt)
		r.ResidPearson[i] = (y - mu) * math.Sqrt(w/resp.Family.Variance(mu, nt, resp.Dispersion))
		d := 2 * w * (resp.Family.Saturated(y, nt, resp.Dispersion) - pt.LogLik)
		r.ResidDeviance[i] = math.Copysign(math.Sqrt(math.Max(d, 0)), y-mu)
	}
}

// trialsOf is the divisor of the response residual: the trials for the
// binomial (proportions), 1 otherwise.
func trialsOf(c family.Code, nt float64) float64 {
	if c == family.Binomial {
		return nt
	}
	return 1
}

func totalIter(m *laplace.Model) int {
	t := 0
	for _, fast := range []bool{true, false} {
		if md := m.LastMode(fast); md != nil {
			t += md.Total
		}
	}
	return t
}

func message(r *Result, fast bool) string {
	if fast {
		return "fast stage: " + r.FastStage.Status
	}
	msg := "slow stage: " + r.SlowStage.Status
	if r.FastStage.Evals > 0 {
		msg = "fast stage: " + r.FastStage.Status + "; " + msg
	}
	return msg
}
