package mixlogitfit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/mixlogit"
	"gonum.org/v1/gonum/mat"
)

// Fit fits the two-class mixture to the model's data by opt.Method.
func Fit(m *mixlogit.Model, opt Options) (*Result, error) {
	t0 := time.Now()
	if err := opt.resolve(); err != nil {
		return nil, err
	}
	if err := opt.checkMemory(m.N()); err != nil {
		return nil, err
	}
	lik, err := m.Likelihood(opt.Workers)
	if err != nil {
		return nil, err
	}
	res := &Result{Method: opt.Method}
	if opt.Start != nil {
		copy(res.Start[:], opt.Start)
	} else {
		res.Start = DataStart(m, opt.Workers)
	}
	res.Time.Start = time.Since(t0)
	t1 := time.Now()
	var at *exactEval
	switch opt.Method {
	case Quadrature:
		at, err = fitQuadrature(lik, res.Start, opt, res, t0)
	case MCEM:
		err = fitMCEM(m, res.Start, opt, res, t0)
	}
	if err != nil {
		return nil, err
	}
	res.Time.Fit = time.Since(t1)
	t2 := time.Now()
	if err := finish(lik, res, at); err != nil {
		return nil, err
	}
	res.Time.Inference = time.Since(t2)
	res.Time.Total = time.Since(t0)
	return res, nil
}

// finish applies the labelling β₁ < β₂ and adds what both methods report:
// the exact log-likelihood, its gradient and the posterior class
// probabilities at the estimate, and for the quadrature fit the inverse
// observed information. at, if not nil, is the exact evaluation at the
// estimate (before relabelling), which then need not be repeated.
func finish(lik *mixlogit.Likelihood, res *Result, at *exactEval) error {
	p, swapped := res.Estimate.Ordered()
	if at == nil || at.p != res.Estimate {
		g, h := make([]float64, P), make([]float64, P*P)
		f, err := lik.Eval(res.Estimate, g, h)
		if err != nil {
			return err
		}
		at = &exactEval{res.Estimate, f, g, h}
	}
	g, h := at.g, at.h
	if swapped {
		res.Estimate = p
		g, h = swapVector(g), mixlogit.SwapMatrix(h)
		copy(res.Vcov[:], mixlogit.SwapMatrix(res.Vcov[:]))
		copy(res.MCVcov[:], mixlogit.SwapMatrix(res.MCVcov[:]))
		res.SE, res.MCSE = swapParams(res.SE), swapParams(res.MCSE)
	}
	res.LogLik = at.f
	copy(res.Gradient[:], g)
	if res.Method == Quadrature {
		info := make([]float64, P*P)
		for k := range h {
			info[k] = -h[k]
		}
		setVcov(res, info)
		res.MCSE, res.LogLikMC, res.LogLikMCSE = nanParams(), math.NaN(), math.NaN()
		for k := range res.MCVcov {
			res.MCVcov[k] = math.NaN()
		}
		res.ESSMean, res.ESSMin = math.NaN(), math.NaN()
	}
	var err error
	res.Posterior, err = lik.Posterior(res.Estimate)
	return err
}

// swapVector rewrites a gradient in Ω for the swapped labelling.
func swapVector(g []float64) []float64 {
	out := make([]float64, P)
	for k := range P {
		out[k] = g[mixlogit.SwapPermutation[k]]
	}
	out[mixlogit.Pi1] = -out[mixlogit.Pi1]
	return out
}

// swapParams permutes standard errors for the swapped labelling.
func swapParams(p mixlogit.Params) mixlogit.Params {
	var out mixlogit.Params
	for k := range P {
		out[k] = p[mixlogit.SwapPermutation[k]]
	}
	return out
}

// setVcov sets Vcov = info⁻¹ and SE from the information matrix info, or
// NaNs with InfoPosDef false if info is not positive definite.
func setVcov(res *Result, info []float64) {
	inv, ok := invertSPD(info)
	res.InfoPosDef = ok
	for k := range res.Vcov {
		res.Vcov[k] = math.NaN()
	}
	res.SE = nanParams()
	if !ok {
		return
	}
	copy(res.Vcov[:], inv)
	for k := range P {
		res.SE[k] = math.Sqrt(inv[k+P*k])
	}
}

// invertSPD inverts a symmetric positive definite P×P matrix by Cholesky
// (the one use of gonum's dense routines here), reporting false when it is
// not positive definite.
func invertSPD(a []float64) ([]float64, bool) {
	s := mat.NewSymDense(P, append([]float64(nil), a...))
	var ch mat.Cholesky
	if !ch.Factorize(s) {
		return nil, false
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return nil, false
	}
	out := make([]float64, P*P)
	for i := range P {
		for j := range P {
			out[i+P*j] = inv.At(i, j)
		}
	}
	return out, true
}
