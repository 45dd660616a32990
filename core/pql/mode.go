package pql

import (
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/zterms"
)

// ModeAt returns u*, the conditional mode of the random effects given the
// data at (β, σ) — the maximiser over u of ℓ(β, u) − Σⱼ u_j²/(2σ²_t(j)),
// with the observed curvature as PQL weighs it — in Z's column order. It
// is the slow mode of the Laplace engine on the blocked factor, or, where
// Z cannot be grouped, the dense Newton iteration of package pirls with the
// fixed effects in the offset (within DenseLimit). An MCLA fit centres the
// importance density of its later stages here, at its own estimate.
func ModeAt(pr pirls.Problem, vcOf []int, beta, sigma []float64, opt Options) ([]float64, error) {
	if len(vcOf) != pr.Q || len(beta) != pr.P {
		return nil, errs.Invalidf("vc_of_column", "has length %d and beta %d, want q = %d and p = %d", len(vcOf), len(beta), pr.Q, pr.P)
	}
	if !opt.Dense {
		terms, err := zterms.FromCSR(pr.Z, vcOf)
		if err == nil {
			return modeBlocked(pr, terms, vcOf, beta, sigma, opt)
		}
		if errs.KindOf(err) != errs.Invalid {
			return nil, err
		}
	}
	return modeDense(pr, vcOf, beta, sigma, opt)
}

// modeBlocked is ModeAt on the Laplace engine's blocked factor.
func modeBlocked(pr pirls.Problem, terms *zterms.Terms, vcOf []int, beta, sigma []float64, opt Options) ([]float64, error) {
	m, err := laplace.New(laplace.Data{Response: pr.Response, X: pr.X, P: pr.P, Terms: terms.Terms, Observed: true})
	if err != nil {
		return nil, err
	}
	defer m.Close()
	if d := m.Dropped(); len(d) > 0 {
		return nil, errs.Numericf("x", "column %d of X is aliased with the ones before it", d[0])
	}
	m.SetWorkers(opt.Workers)
	m.SetTolerance(opt.Blocked)
	b := &blocked{m: m, terms: terms, theta: make([]float64, len(terms.Terms)), pos: make([]int, len(terms.Terms))}
	for r, orig := range m.TermOrder() {
		b.pos[orig] = r
	}
	for k, t := range terms.VC {
		b.theta[b.pos[k]] = sigma[t]
	}
	if _, err := m.Laplace(b.theta, beta); err != nil {
		return nil, err
	}
	res := &Result{Sigma: sigma}
	b.mapMode(res, m.LastMode(false), pr.Q, vcOf)
	return res.UStar, nil
}

// modeDense is ModeAt by the dense Newton iteration, with Xβ in the
// offset and no fixed effects to estimate.
func modeDense(pr pirls.Problem, vcOf []int, beta, sigma []float64, opt Options) ([]float64, error) {
	if need := 8 * 3 * float64(pr.Q) * float64(pr.Q); need > DenseLimit {
		return nil, errs.Invalidf("z", "Z cannot be grouped into terms and the dense mode would need %.3g GB for q = %d, above its limit of %.3g GB", need/1e9, pr.Q, float64(DenseLimit)/1e9)
	}
	r := pr.Response
	r.Offset = FixedOffset(pr.Offset, pr.X, pr.N, beta[:pr.P])
	solver, err := pirls.New(pirls.Problem{Response: r, N: pr.N, Q: pr.Q, Z: pr.Z})
	if err != nil {
		return nil, err
	}
	a := make([]float64, pr.Q)
	for j, t := range vcOf {
		a[j] = sigma[t]
	}
	var res pirls.Result
	if err := solver.Solve(a, nil, nil, opt.Inner, &res); err != nil {
		return nil, err
	}
	u := make([]float64, pr.Q)
	for j := range u {
		u[j] = a[j] * res.S[j]
	}
	return u, nil
}

// FixedOffset returns o + Xβ (length n; X is n×len(β) column-major, o may
// be nil): the offset of a problem in u alone, with the fixed effects held
// at β.
func FixedOffset(offset, x []float64, n int, beta []float64) []float64 {
	off := make([]float64, n)
	copy(off, offset)
	for j, b := range beta {
		for i := range off {
			off[i] += x[j*n+i] * b
		}
	}
	return off
}
