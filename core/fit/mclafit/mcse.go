package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/trust"
	"github.com/glmmgo/glmmgo/core/parallel"
	"gonum.org/v1/gonum/stat/distuv"
)

// minGroups is the fewest groups the jackknife uses when there are enough
// samples: with G groups its variance estimate has about G − 1 degrees of
// freedom, so 32 keeps the MCSE itself within about ±13% (when the weights
// are well behaved).
const minGroups = 32

// minEffectiveGroups is the fewest effective groups (GroupES) from which
// the jackknife estimates a covariance; below it the MCSE is +Inf. With
// fewer, the variance estimate has under three degrees of freedom, and
// even made median-unbiased it is, for one of several parameters, often
// many times too small: salamander at m = 1000 with glmm's density and an
// ESS of 1.4 (1.37 effective groups) gave one parameter an MCSE of 0.04
// standard errors, while such fits move by about one standard error from
// seed to seed.
const minEffectiveGroups = 5

// Jackknife is the delete-a-group jackknife estimate of the Monte Carlo
// covariance of θ̂ (see the package comment), with what it rests on.
type Jackknife struct {
	Cov     []float64 // d×d, column-major
	Groups  int       // G, the number of groups of samples deleted in turn
	GroupES float64   // Kish's effective number of groups (Σ W_g)²/Σ W_g², W_g a group's weight
	// MaxShare is the largest share of the importance weight any one group
	// holds; near 1, one group carries the estimate.
	MaxShare float64
	// Undefined is the number of groups without which the estimate is
	// undefined (the others' weights all underflow to zero) or could not
	// be found (no negative definite Hessian, no maximum): then, as when
	// GroupES < minEffectiveGroups, Cov is +Inf on its diagonal.
	Undefined int
	// Resolved is the number of groups holding more than resolveShare of
	// the weight, whose deletion was re-solved by a full maximisation.
	Resolved int
	// DF = GroupES − 1, the degrees of freedom the variance estimate is
	// taken to have, and Inflation = DF/χ²_DF(½) the factor Cov includes
	// to make it median-unbiased.
	DF, Inflation float64
}

// jackknife estimates the Monte Carlo covariance of the estimate x from
// groups of consecutive samples: the batches of the objective when there
// are at least minGroups of them, else min(m, minGroups) equal ranges.
func jackknife(model sampleSet, x []float64, workers int) (*Jackknife, error) {
	parts, sizes, err := groupPartials(model, x, workers)
	if err != nil {
		return nil, err
	}
	d, G := len(x), len(parts)
	jk := &Jackknife{Cov: make([]float64, d*d), Groups: G}
	jk.GroupES, jk.MaxShare = groupWeights(parts)
	if G < 2 {
		fill(jk.Cov, math.NaN())
		return jk, nil
	}
	jk.DF = jk.GroupES - 1
	jk.Inflation = smallDFInflation(jk.DF)
	if jk.GroupES < minEffectiveGroups { // no spread to estimate: see minEffectiveGroups
		infDiagonal(jk.Cov, d)
		return jk, nil
	}
	deleted, err := deleteOne(model, x, parts, jk)
	if err != nil {
		return nil, err
	}
	if err := resolveHeavy(model, x, parts, deleted, workers, jk); err != nil {
		return nil, err
	}
	for _, th := range deleted {
		if math.IsNaN(th[0]) { // neither a Newton step nor a re-solve
			jk.Undefined++
		}
	}
	if jk.Undefined > 0 {
		infDiagonal(jk.Cov, d)
		return jk, nil
	}
	jackknifeCov(x, deleted, sizes, jk.Cov)
	for i := range jk.Cov {
		jk.Cov[i] *= jk.Inflation
	}
	return jk, nil
}

// smallDFInflation is ν/χ²_ν(½), the factor that makes a variance
// estimate distributed as σ²χ²_ν/ν median-unbiased for σ²: about 1 + 0.7/ν
// for many degrees of freedom, 2.2 for one, 231 for 0.19 and +Inf below
// 0.02 (the estimate rests on a single group).
func smallDFInflation(nu float64) float64 {
	if !(nu >= 0.02) {
		return math.Inf(1)
	}
	return nu / distuv.ChiSquared{K: nu}.Quantile(0.5)
}

// groupPartials returns the partials of the jackknife's groups at x and
// the number of samples in each.
func groupPartials(model sampleSet, x []float64, workers int) ([]*parallel.Partial, []int, error) {
	m := model.Samples()
	if parallel.NumBatches(m) >= minGroups {
		parts, err := model.BatchPartials(x, workers, nil)
		if err != nil {
			return nil, nil, err
		}
		sizes := make([]int, len(parts))
		for g := range parts {
			lo, hi := parallel.BatchRange(g, m)
			sizes[g] = hi - lo
		}
		return parts, sizes, nil
	}
	G := min(m, minGroups)
	parts, sizes := make([]*parallel.Partial, G), make([]int, G)
	for g := range G {
		lo, hi := g*m/G, (g+1)*m/G
		parts[g], sizes[g] = model.NewPartial(), hi-lo
		if err := model.Partial(x, lo, hi, workers, parts[g]); err != nil {
			return nil, nil, err
		}
	}
	return parts, sizes, nil
}

// groupWeights returns Kish's effective number of groups (Σ W_g)²/Σ W_g²
// and the largest share of the total weight in one group. For the
// blockwise estimator every block has its own weights: the effective
// number is the smallest block's and the share the largest.
func groupWeights(parts []*parallel.Partial) (ess, maxShare float64) {
	ess = math.Inf(1)
	for _, stream := range weightStreams(parts) {
		var s2 float64
		for _, sh := range streamShares(stream) {
			s2 += sh * sh
			maxShare = math.Max(maxShare, sh)
		}
		ess = math.Min(ess, 1/s2)
	}
	return ess, maxShare
}

// weightStreams returns the groups' partials of each set of importance
// weights: the groups' partials themselves for the joint estimator, and
// for the blockwise one, per block, the groups' partials of that block.
func weightStreams(parts []*parallel.Partial) [][]*parallel.Partial {
	if len(parts) == 0 || parts[0].Blocks == nil {
		return [][]*parallel.Partial{parts}
	}
	out := make([][]*parallel.Partial, len(parts[0].Blocks))
	for b := range out {
		out[b] = make([]*parallel.Partial, len(parts))
		for g, p := range parts {
			out[b][g] = p.Blocks[b]
		}
	}
	return out
}

// noWeight reports whether p has no weight: every log-weight of some
// block (the joint estimator: of the sample) is −Inf.
func noWeight(p *parallel.Partial) bool {
	if p.Blocks == nil {
		return p.S0 == 0
	}
	for _, b := range p.Blocks {
		if b.S0 == 0 {
			return true
		}
	}
	return false
}

// deleteOne returns, for each group g, the estimate without it, θ₋g: one
// Newton step from x on the estimating equations of the other groups,
// θ₋g = x − H₋g⁻¹ ∇₋g with ∇₋g and H₋g the MCLA gradient and Hessian
// of their samples at x. (When −H₋g is not positive definite the step uses
// the whole sample's Hessian.) Each "all but g" partial is a prefix and a
// suffix merged, never a difference, so a group holding nearly all the
// weight is deleted without cancellation.
func deleteOne(model sampleSet, x []float64, parts []*parallel.Partial, jk *Jackknife) ([][]float64, error) {
	d, G, n := len(x), len(parts), model.SumsLen()
	prefix := make([]*parallel.Partial, G) // prefix[g]: groups 0..g−1
	acc := parallel.NewPartial(n)
	for g := range G {
		prefix[g] = parallel.NewPartial(n)
		prefix[g].Merge(acc)
		acc.Merge(parts[g])
	}
	whole := mcla.Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := model.Finish(x, acc, &whole); err != nil {
		return nil, err
	}
	res := mcla.Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	out := make([][]float64, G)
	suffix, rest := parallel.NewPartial(n), parallel.NewPartial(n)
	for g := G - 1; g >= 0; g-- {
		rest.Reset()
		rest.Merge(prefix[g])
		rest.Merge(suffix)
		out[g] = append([]float64(nil), x...)
		err := model.Finish(x, rest, &res)
		switch {
		case err != nil && errs.KindOf(err) == errs.Numeric && noWeight(rest):
			jk.Undefined++
		case err != nil:
			return nil, err
		default:
			if !newtonStep(out[g], res.Gradient, res.Hessian, whole.Hessian) {
				fill(out[g], math.NaN()) // resolveHeavy re-solves it
			}
		}
		suffix = prepend(parts[g], suffix)
	}
	return out, nil
}

// prepend returns p merged with s (p first), reusing s's storage.
func prepend(p, s *parallel.Partial) *parallel.Partial {
	c := parallel.NewPartial(len(p.Sums))
	c.Merge(p)
	c.Merge(s)
	return c
}

// newtonStep adds −H⁻¹∇ to x, with H the Hessian h when −h is positive
// definite, else the fallback; it reports false, leaving x, when neither
// is.
func newtonStep(x, grad, h, fallback []float64) bool {
	d := len(x)
	neg := make([]float64, d*d)
	for i, v := range h {
		neg[i] = -v
	}
	var ch dense.SPD
	if !ch.Factor(d, neg) {
		for i, v := range fallback {
			neg[i] = -v
		}
		if !ch.Factor(d, neg) {
			return false
		}
	}
	step := append([]float64(nil), grad...)
	ch.SolveVec(step) // (−H)⁻¹∇
	for i, s := range step {
		x[i] += s
	}
	return true
}

// jackknifeCov writes the delete-a-group jackknife covariance for groups of
// unequal sizes (Busing, Meijer and van der Leeden, Statistics and
// Computing 9, 1999): with h_g = m/m_g, pseudo-values
// θ̃_g = h_g θ̂ − (h_g − 1) θ₋g, their mean-like centre
// θ̂_J = Gθ̂ − Σ_g (1 − 1/h_g) θ₋g, and
//
//	Cov = (1/G) Σ_g (θ̃_g − θ̂_J)(θ̃_g − θ̂_J)′ / (h_g − 1),
//
// which for equal groups is ((G−1)/G) Σ_g (θ₋g − θ̄)(θ₋g − θ̄)′.
func jackknifeCov(x []float64, deleted [][]float64, sizes []int, cov []float64) {
	d, G := len(x), len(deleted)
	m := 0
	for _, s := range sizes {
		m += s
	}
	centre := make([]float64, d)
	for i, v := range x {
		centre[i] = float64(G) * v
	}
	for g, th := range deleted {
		f := 1 - float64(sizes[g])/float64(m)
		for i, v := range th {
			centre[i] -= f * v
		}
	}
	clear(cov)
	dev := make([]float64, d)
	for g, th := range deleted {
		h := float64(m) / float64(sizes[g])
		for i := range d {
			dev[i] = h*x[i] - (h-1)*th[i] - centre[i]
		}
		for j := range d {
			for i := range d {
				cov[j*d+i] += dev[i] * dev[j] / (h - 1) / float64(G)
			}
		}
	}
}

// infDiagonal sets the d×d matrix c to +Inf on its diagonal, 0 elsewhere.
func infDiagonal(c []float64, d int) {
	clear(c)
	for i := range d {
		c[i*d+i] = math.Inf(1)
	}
}

func fill(v []float64, x float64) {
	for i := range v {
		v[i] = x
	}
}

// resolveShare is the share of the importance weight above which a
// group's deletion is re-solved in full rather than by one Newton step: a
// group that heavy moves the estimate too far for the step to be
// accurate, and at most 1/resolveShare groups can be that heavy.
const resolveShare = 0.1

// resolveIter bounds the trust iterations of a re-solve: each evaluates
// the whole sample, and a heavy group's deletion is a Monte Carlo estimate
// whose last digits matter little (grouseticks at m = 10⁴: 100 iterations
// for each of ten heavy groups took 40 s per jackknife).
const resolveIter = 25

// resolveHeavy replaces the one-step estimates θ₋g of the heavy groups
// (and of those whose Newton step had no negative definite Hessian, NaN)
// by the maximiser of the MCLA log-likelihood of the other groups'
// samples (trust region from θ̂; the one-step value is kept if that
// fails).
func resolveHeavy(model sampleSet, x []float64, parts []*parallel.Partial, deleted [][]float64, workers int, jk *Jackknife) error {
	shares := weightShares(parts)
	for g, sh := range shares {
		if sh <= resolveShare && !math.IsNaN(deleted[g][0]) {
			continue
		}
		tr, err := trust.Minimize(optim.Problem{FuncGradHess: withoutGroup(model, g, workers)}, x,
			optim.Settings{InitStep: 1, MaxStep: 100, MaxIter: resolveIter})
		if err != nil {
			if errs.KindOf(err) == errs.Numeric {
				continue
			}
			return err
		}
		copy(deleted[g], tr.X)
		jk.Resolved++
	}
	return nil
}

// withoutGroup is −l₋g(θ), the negated MCLA log-likelihood of every
// jackknife group but g, with its gradient and Hessian, for trust.
func withoutGroup(model sampleSet, g, workers int) func(th, grad, h []float64) (float64, error) {
	var ev mcla.Result
	rest := parallel.NewPartial(model.SumsLen())
	return func(th, grad, h []float64) (float64, error) {
		parts, _, err := groupPartials(model, th, workers)
		if err != nil {
			return math.Inf(1), err
		}
		rest.Reset()
		for k, p := range parts {
			if k != g {
				rest.Merge(p)
			}
		}
		ev.Gradient, ev.Hessian = grad, h
		err = model.Finish(th, rest, &ev)
		negate(grad)
		negate(h)
		return -ev.Value, err
	}
}

// weightShares returns each group's share of the total weight (the
// blockwise estimator: its largest share in any block).
func weightShares(parts []*parallel.Partial) []float64 {
	sh := make([]float64, len(parts))
	for _, stream := range weightStreams(parts) {
		for g, v := range streamShares(stream) {
			sh[g] = math.Max(sh[g], v)
		}
	}
	return sh
}

// streamShares returns each partial's share of the total weight.
func streamShares(parts []*parallel.Partial) []float64 {
	a := math.Inf(-1)
	for _, p := range parts {
		if p.S0 > 0 {
			a = math.Max(a, p.Max)
		}
	}
	sh := make([]float64, len(parts))
	var tot float64
	for g, p := range parts {
		if p.S0 > 0 {
			sh[g] = p.S0 * math.Exp(p.Max-a)
			tot += sh[g]
		}
	}
	for g := range sh {
		sh[g] /= tot
	}
	return sh
}
