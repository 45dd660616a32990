package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/pql"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// setDensity builds the importance density from u*, D* and β: Σ̃⁻¹ at
// η* = o + Xβ + Zu*, factored inside importance.New for both the log
// density and the draws.
func (f *Fit) setDensity(d mcla.Data, z *sparse.CSR, beta []float64, tSigma bool, opt Options) error {
	spec := &SampleSpec{Beta: beta, UStar: f.UStar, DStar: f.DStar, Zeta: opt.Zeta, P: opt.P, TAtUStar: opt.TAtUStar, TSigma: tSigma}
	b, err := buildDensity(d, z, spec, f.sparsePlan)
	f.SigmaInv, f.SigmaInvCSR = b.sigmaInv, b.sigmaInvCS
	if err != nil {
		return err
	}
	f.density, f.TSigma, f.densityBeta = b.density, tSigma, append([]float64(nil), beta...)
	f.SparseFactor, f.FactorNNZ = b.density.SparseFactor()
	f.product = nil
	if f.Blockwise {
		// The same mixture per block, Σ̃_b⁻¹ the block of Σ̃⁻¹ (which is
		// block diagonal over the blocks, so Σ̃_b is the block of Σ̃).
		prod, err := importance.NewProduct(d.Q, b.params, f.blockCols)
		if err != nil {
			return err
		}
		f.product = prod
	}
	return nil
}

// centreAt sets u* and D* for a density at θ = (β, ν): u* the conditional
// mode of u given y at θ, maximising log f(y|u; β) − Σⱼ u_j²/(2ν_t(j))
// (penalised IRLS with the fixed effects in the offset), and D* = diag(ν)
// floored as PQL floors it. With Σ̃⁻¹ at the same point, the normal
// component N(u*, Σ̃) is the Laplace approximation of the distribution of
// u given y at θ. A fit whose density factors Σ̃⁻¹ sparse finds the mode
// on the blocked factor (pql.ModeAt), never forming q×q; the others by the
// dense Newton iteration as before, warm-started at the previous centre.
func (f *Fit) centreAt(d mcla.Data, z *sparse.CSR, vcOf []int, theta []float64) error {
	if f.sparsePlan {
		return f.centreBlocked(d, z, vcOf, theta)
	}
	r := d.Response
	r.Offset = pql.FixedOffset(d.Offset, d.X, d.N, theta[:f.P])
	solver, err := pirls.New(pirls.Problem{Response: r, N: d.N, Q: f.Q, Z: z})
	if err != nil {
		return err
	}
	a := make([]float64, f.Q)
	s0 := make([]float64, f.Q)
	for j, t := range vcOf {
		a[j] = math.Sqrt(theta[f.P+t])
		s0[j] = f.UStar[j] / a[j] // warm start from the previous centre
	}
	var res pirls.Result
	if err := solver.Solve(a, nil, s0, pirls.Options{Checkpoint: f.beat.checkpoint()}, &res); err != nil {
		return err
	}
	for j, t := range vcOf {
		f.UStar[j] = a[j] * res.S[j]
		sd := math.Max(math.Sqrt(theta[f.P+t]), pql.SigmaFloor)
		f.DStar[j] = sd * sd
	}
	return nil
}

// centreBlocked is centreAt on the blocked factor of the Laplace engine
// (pql.ModeAt; its dense fallback, for designs that cannot be grouped,
// checks its own memory).
func (f *Fit) centreBlocked(d mcla.Data, z *sparse.CSR, vcOf []int, theta []float64) error {
	sigma := make([]float64, f.NVC)
	for t := range sigma {
		sigma[t] = math.Sqrt(theta[f.P+t])
	}
	pr := pirls.Problem{Response: d.Response, N: d.N, P: f.P, Q: f.Q, X: d.X, Z: z}
	u, err := pql.ModeAt(pr, vcOf, theta[:f.P], sigma, pql.Options{Inner: pirls.Options{Checkpoint: f.beat.checkpoint()}, Workers: f.workers})
	if err != nil {
		return err
	}
	copy(f.UStar, u)
	for j, t := range vcOf {
		sd := math.Max(sigma[t], pql.SigmaFloor)
		f.DStar[j] = sd * sd
	}
	return nil
}

// stageSeed is the seed of stage s's sample: the caller's for the first
// stage (so that one stage draws glmm's single sample as before), and a
// splitmix64 hash of (seed, s) for later stages, each a fresh sample.
func stageSeed(seed uint64, s int) uint64 {
	if s == 1 {
		return seed
	}
	z := seed + uint64(s)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// draw writes samples lo..hi−1 of the fit's sample into dst, with z
// (length 2q) as scratch.
func (f *Fit) draw(lo, hi int, dst, z []float64) {
	if f.product != nil {
		f.product.DrawTo(f.seed, lo, hi, dst, z)
		return
	}
	f.density.DrawTo(f.seed, lo, hi, dst, z)
}

// setOn sets the fit's importance density on model: the product density
// (and with it the blockwise estimator) or the joint one.
func (f *Fit) setOn(model *mcla.Model, workers int) error {
	if f.product != nil {
		return model.SetProduct(f.product, workers)
	}
	return model.SetDensity(f.density, workers)
}
