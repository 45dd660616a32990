package pql

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/neldermead"
	"github.com/glmmgo/glmmgo/core/pirls"
)

// DenseLimit bounds the memory of the dense path: its q×q system and the
// Newton iteration's copies of it.
const DenseLimit = 4 << 30

// fitDense is PQL with the dense q×q Newton iteration of package pirls.
func fitDense(pr pirls.Problem, vcOf []int, nvc int, opt Options) (*Result, error) {
	if need := 8 * 3 * float64(pr.Q) * float64(pr.Q); need > DenseLimit {
		return nil, errs.Invalidf("z", "Z cannot be grouped into terms (a variance component of one column present in every row) and the dense PQL path would need %.3g GB for q = %d, above its limit of %.3g GB", need/1e9, pr.Q, float64(DenseLimit)/1e9)
	}
	if err := budget.Need("q", fmt.Sprintf("the dense PQL path's q×q penalised system and its copies for q = %d", pr.Q), 3*budget.Doubles(pr.Q, pr.Q)); err != nil {
		return nil, err
	}
	solver, err := pirls.New(pr)
	if err != nil {
		return nil, err
	}
	a := make([]float64, pr.Q)
	setA := func(sigma []float64) {
		for j, t := range vcOf {
			a[j] = sigma[t]
		}
	}
	var cur pirls.Result
	warmB, warmS := make([]float64, pr.P), make([]float64, pr.Q)
	outer := func(sigma []float64) (float64, error) {
		if err := opt.Inner.Checkpoint.Check(); err != nil {
			return 0, err
		}
		setA(sigma)
		if err := solver.Solve(a, warmB, warmS, opt.Inner, &cur); err != nil {
			if errs.KindOf(err) == errs.Numeric {
				return math.Inf(1), nil // a σ the inner problem cannot handle: avoid it
			}
			return 0, err
		}
		copy(warmB, cur.Beta)
		copy(warmS, cur.S)
		var ss float64
		for _, v := range cur.S {
			ss += v * v
		}
		return cur.LogDet/2 + ss/2 - cur.LogLik, nil
	}
	start := make([]float64, nvc)
	for t := range start {
		start[t] = 1
	}
	nm, err := neldermead.Minimize(optim.Problem{Func: outer}, start, opt.NelderMead)
	if err != nil {
		return nil, err
	}
	if math.IsInf(nm.F, 1) {
		return nil, errs.Numericf("pql", "the penalised likelihood could not be maximised at any standard deviation tried")
	}
	res := &Result{Sigma: make([]float64, nvc), Nu: make([]float64, nvc), Evals: nm.Evals, Converged: nm.Status.Converged(), Dense: true}
	for t, s := range nm.X {
		res.Sigma[t] = math.Abs(s)
		res.Nu[t] = s * s
	}
	// Re-solve at the returned σ so that β̃ and s̃ belong to it.
	setA(res.Sigma)
	var fin pirls.Result
	if err := solver.Solve(a, warmB, nil, opt.Inner, &fin); err != nil {
		return nil, err
	}
	var ss float64
	for _, v := range fin.S {
		ss += v * v
	}
	res.Value = fin.LogDet/2 + ss/2 - fin.LogLik
	res.Beta, res.S = fin.Beta, fin.S
	res.UStar, res.DStar = make([]float64, pr.Q), make([]float64, pr.Q)
	for j, t := range vcOf {
		res.UStar[j] = a[j] * fin.S[j]
		sd := math.Max(res.Sigma[t], SigmaFloor)
		res.DStar[j] = sd * sd
	}
	return res, nil
}
