package pql

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/bobyqa"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/zterms"
)

// blocked is the outer problem on the Laplace engine: Q(σ) from the fast
// mode (β and u in PIRLS) at θ = |σ| per term.
type blocked struct {
	m     *laplace.Model
	terms *zterms.Terms
	theta []float64
	pos   []int // model order position of each of terms' terms
}

// fitBlocked is PQL on the blocked factor. Its outer search is BOBYQA on
// σ ≥ 0 from σ = 1: Q is even in each σ_t, so its minimiser there is the
// one Nelder–Mead finds (glmm's search, kept on the dense path), with half
// the evaluations for the same accuracy (σ within 4e−7 of the dense
// path's in the tests).
func fitBlocked(pr pirls.Problem, terms *zterms.Terms, vcOf []int, nvc int, opt Options) (*Result, error) {
	resp := pr.Response
	m, err := laplace.New(laplace.Data{Response: resp, X: pr.X, P: pr.P, Terms: terms.Terms, Observed: true})
	if err != nil {
		if e, ok := err.(*errs.Error); ok && e.Arg == "terms" { // the grouped design's limits, in the caller's terms
			return nil, &errs.Error{Kind: e.Kind, Arg: "z", Msg: "PQL's blocked factor of Z: " + e.Msg}
		}
		return nil, err
	}
	defer m.Close()
	if d := m.Dropped(); len(d) > 0 {
		return nil, errs.Numericf("x", "the fixed-effects information X′WX (given the random effects) is singular: column %d of X is aliased with the ones before it", d[0])
	}
	m.SetWorkers(opt.Workers)
	m.SetTolerance(opt.Blocked)
	m.SetCheckpoint(opt.Inner.Checkpoint)
	b := &blocked{m: m, terms: terms, theta: make([]float64, len(terms.Terms)), pos: make([]int, len(terms.Terms))}
	for r, orig := range m.TermOrder() {
		b.pos[orig] = r
	}
	start := make([]float64, nvc)
	for t := range start {
		start[t] = 1
	}
	lower, upper := make([]float64, nvc), make([]float64, nvc)
	for t := range upper {
		upper[t] = math.Inf(1)
	}
	res0, err := bobyqa.Minimize(optim.Problem{Func: b.outer, Lower: lower, Upper: upper}, start, opt.outerSettings())
	if err != nil {
		return nil, err
	}
	if math.IsInf(res0.F, 1) {
		return nil, errs.Numericf("pql", "the penalised likelihood could not be maximised at any standard deviation tried")
	}
	res := &Result{Sigma: make([]float64, nvc), Nu: make([]float64, nvc), Evals: res0.Evals, Converged: res0.Status.Converged()}
	for t, s := range res0.X {
		res.Sigma[t] = math.Abs(s)
		res.Nu[t] = s * s
	}
	// The mode at the returned σ, so that β̃ and s̃ belong to it.
	if res.Value, err = b.q(res.Sigma); err != nil {
		return nil, err
	}
	b.columns(res, pr.Q, vcOf)
	return res, nil
}

// q is Q(σ) = ½(penalised deviance + log|L|²) at the fast mode.
func (b *blocked) q(sigma []float64) (float64, error) {
	for k, t := range b.terms.VC {
		b.theta[b.pos[k]] = math.Abs(sigma[t])
	}
	if _, err := b.m.LaplaceFast(b.theta); err != nil {
		return 0, err
	}
	pdev, logDet := b.m.PenalisedDeviance(true)
	return (pdev + logDet) / 2, nil
}

// outer is the search's function: Q, or +Inf where PIRLS fails (a σ to
// avoid, as the dense path does).
func (b *blocked) outer(sigma []float64) (float64, error) {
	if err := b.m.Checkpoint().Check(); err != nil {
		return 0, err
	}
	v, err := b.q(sigma)
	if err != nil {
		if errs.KindOf(err) == errs.Numeric {
			return math.Inf(1), nil
		}
		return 0, err
	}
	return v, nil
}

// columns maps the last mode to Z's columns: s̃, u* = |σ|·s̃, D*, β̃.
func (b *blocked) columns(res *Result, q int, vcOf []int) {
	md := b.m.LastMode(true)
	res.Beta = md.Beta
	b.mapMode(res, md, q, vcOf)
}

// mapMode maps the mode md (model order) to Z's columns: s̃, u* = |σ|·s̃,
// D*.
func (b *blocked) mapMode(res *Result, md *laplace.Mode, q int, vcOf []int) {
	res.S, res.UStar, res.DStar = make([]float64, q), make([]float64, q), make([]float64, q)
	off := make([]int, len(b.terms.Terms)) // first u of each term, model order
	acc := 0
	for r := range b.m.TermOrder() {
		_, nl, _ := b.m.TermInfo(r)
		off[r] = acc
		acc += nl
	}
	for j, t := range vcOf {
		k := b.terms.Term[j]
		s := md.U[off[b.pos[k]]+b.terms.Level[j]]
		res.S[j] = s
		res.UStar[j] = res.Sigma[t] * s
		sd := math.Max(res.Sigma[t], SigmaFloor)
		res.DStar[j] = sd * sd
	}
}
