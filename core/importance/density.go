// Package importance is glmm's importance density for the random effects,
// the three-component mixture
//
//	f̃(u) = p₁·t_ζ(u; 0, D*) + p₂·N(u; u*, D*) + p₃·N(u; u*, Σ̃)
//
// (Knudson, Monte Carlo Likelihood Approximation for Generalized Linear
// Mixed Models, PhD thesis, University of Minnesota, 2016, and glmm's C
// code), in one type that validates its parameters, evaluates
// log f̃ and draws from f̃ — as gonum's distmv.Normal carries LogProb and
// Rand from one factor. D* is diagonal (the PQL variances per column of Z);
// Σ̃ is given by its inverse
//
//	Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓ″(η*ᵢ))) Z + D*⁻¹,   η* = o + Xβ_pql + Zu*,
//
// (SigmaInv builds it q×q, SigmaInvSparse in compressed rows), factored
// once for both the log density and the draws. The multivariate t has
// density
//
//	Γ((ζ+q)/2) / (Γ(ζ/2) (ζπ)^{q/2}) · |D*|^{−1/2} · (1 + u′D*⁻¹u/ζ)^{−(ζ+q)/2}
//
// and, as in glmm, it is centred at 0, not at u*: the MCLA objective must
// reproduce glmm's values exactly (Params.TAtUStar centres it at u*, an
// option of glmmgo's fits). The mixture is summed in log space with a max
// shift, so tiny component densities do not underflow to log 0.
//
// Draws. glmm draws m uniforms U_k and takes m₁ = #{U_k < p₁},
// m₂ = #{U_k < p₁+p₂} − m₁, m₃ = m − m₁ − m₂: the counts are multinomial,
// not fixed proportions. Here sample k is drawn from the component its own
// U_k picks, so the counts are glmm's, and the components are interleaved
// instead of stacked (glmm rbinds all t draws, then the others). The MCLA
// objective does not depend on the order of the samples; interleaving
// makes every run of blocks (such as the rows of a partial computed on
// another machine) a sample of the whole mixture.
//
// Streams. Each fixed block b of parallel.BlockSize samples has two PCG
// streams seeded from (seed, 2b) for the draws and (seed, 2b+1) for the
// component uniforms, so the sample is the same for any number of workers
// and can be drawn block by block straight into the MCLA model
// (mcla.Model.SetSampler), never held twice. (glmm instead seeds one
// stream per core, so its sample changes with the core count.)
//
// t_ζ(0, D*) = √D*·z/√(χ²_ζ/ζ) with z standard normal and χ²_ζ a
// Gamma(ζ/2, 2) draw (Marsaglia and Tsang, ACM TOMS 26, 2000, with the
// U^{1/a} boost for shapes below 1); N(u*, Σ̃) = u* + x with x ~ N(0, Σ̃)
// from one triangular solve per draw, by the factor below.
//
// The factor of Σ̃⁻¹. Given q×q (Params.SigmaInv, glmm's form and the C
// ABI's), Σ̃⁻¹ = R′R is factored dense and x = R⁻¹z: O(q²) per draw, and
// q² doubles held twice. Given in compressed rows (Params.SigmaInvCSR, as
// the fits build it), Σ̃⁻¹ is factored sparse when
//
//	q ≥ SparseMinQ = 200 and nnz(L) ≤ ¼·q(q+1)/2,
//
// with L the Cholesky factor of P′Σ̃⁻¹P = LL′ in an approximate minimum
// degree order P (packages sparse/amd and sparse/cholesky; the pattern is
// that of Z′Z, whose every observation couples its columns of Z into a
// clique, as in Bates et al. 2015, J. Stat. Softw. 67(1), sec. 3), and then
// x = P·L⁻ᵀz (Cov x = P(LL′)⁻¹P′ = Σ̃), O(nnz(L)) per draw, log|Σ̃⁻¹| =
// 2 Σ log L_kk, and no q×q array is formed. Otherwise it is expanded to
// q×q and factored dense, exactly as when given so. Measured (draws of
// N(u*, Σ̃) for Poisson models with two crossed factors, BenchmarkDrawSigma
// on a shared 2-core machine, medians of 3): with L a fifth of a dense
// triangle (balanced factors) a draw costs 110 µs sparse against 366 µs
// dense at q = 1000 and 3.9 ms against 13.9 ms at q = 5000; with L 1.2%
// and 0.2% full (one factor of 50 levels) 26 µs against 340 µs and 104 µs
// against 14.3 ms. So the sparse path pays up to at least a quarter full,
// where its factor still needs half the dense one's memory. Below q = 200 a dense draw costs tens of microseconds
// whatever the pattern, and the small models (salamander's q = 120, the
// glmm reference cases) keep the dense factor's draws, glmm's, exactly.
// The quadratic form (u−u*)′Σ̃⁻¹(u−u*) of the log density runs on Σ̃⁻¹'s
// own rows whenever it is a quarter full or less, on either path.
//
// Product is the same mixture per block of random effects, multiplied
// over the blocks, for the blockwise MCLA estimator (see product.go).
package importance

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/sparse"
	"github.com/glmmgo/glmmgo/core/sparse/cholesky"
)

// Params are the importance-sampling parameters as glmm stores them.
type Params struct {
	Zeta     float64    // degrees of freedom of the t component, > 0
	P        [3]float64 // mixture probabilities, summing to 1
	UStar    []float64  // centre of the normal components (length q)
	DStar    []float64  // diagonal of D* (length q), > 0
	SigmaInv []float64  // Σ̃⁻¹, q×q column-major; may be nil when P[2] == 0 or SigmaInvCSR is given
	// SigmaInvCSR is Σ̃⁻¹ in compressed rows (both triangles, columns
	// increasing), in place of SigmaInv (SigmaInvSparse builds it). The
	// density then factors it sparse when that pays (see the package
	// comment) and never forms the q×q matrix; else dense, as SigmaInv.
	SigmaInvCSR *sparse.CSR
	// TAtUStar centres the t component at u* instead of glmm's 0 (an
	// option of glmmgo's fits; glmm's objective and the reference values
	// use 0).
	TAtUStar bool
	// TSigma makes the t component t_ζ(u*, Σ̃): centred at u* with the
	// normal component's scale Σ̃ instead of D*. In many dimensions it is
	// the defensive component that matters: at the typical distance of a
	// N(u*, Σ̃) draw its density is within a few e-folds of the normal's,
	// and far more than the normal's where the draws are more spread than
	// Σ̃ says, which bounds their importance weights (see package mclafit).
	// Needs SigmaInv.
	TSigma bool
}

// Density is a validated importance density. It keeps copies of what it
// needs and is safe for concurrent use.
type Density struct {
	q        int
	p        [3]float64
	logP     [3]float64 // −Inf where a probability is 0
	zeta     float64
	tAtUStar bool
	tSigma   bool
	uStar    []float64
	dInv     []float64  // 1/D*
	sd       []float64  // √D*
	tCentre  []float64  // 0, or u* with TAtUStar
	tConst   float64    // log normalising constant of the t component
	tPow     float64    // (ζ+q)/2
	nConst1  float64    // log normalising constant of N(u*, D*)
	nConst2  float64    // log normalising constant of N(u*, Σ̃)
	sigInv   *dense.SPD // the dense factor (nil on the sparse path)
	// The sparse path: P′Σ̃⁻¹P = LLᵀ, factor row k the random effect
	// perm[k] (nil on the dense path). Its solves only read the factor.
	chol         *cholesky.Factor
	perm         []int
	logDetSigInv float64   // log|Σ̃⁻¹|
	sigInvDense  []float64 // Σ̃⁻¹ expanded from SigmaInvCSR on the dense path
	// Σ̃⁻¹ itself in compressed rows when it is sparse (a quarter full or
	// less): then (u−u*)′Σ̃⁻¹(u−u*) costs its nonzeros, not the q²/2 of the
	// dense factor. Z′WZ + D⁻¹ is this sparse whenever few random effects
	// share observations (salamander: 840 of 14 400 entries).
	sigInvSparse *sparse.CSR
}

// New validates p for q random effects and prepares the density: Σ̃⁻¹ is
// factored here, once, for both LogProb and Draw.
func New(q int, p Params) (*Density, error) { return newDensity(q, p, SparseMinQ) }

// newDensity is New with the sparse path allowed from minQ random effects
// on (tests force it on small models).
func newDensity(q int, p Params, minQ int) (*Density, error) {
	if err := checkParams(q, p); err != nil {
		return nil, err
	}
	d := &Density{q: q, p: p.P, zeta: p.Zeta, tAtUStar: p.TAtUStar || p.TSigma, tSigma: p.TSigma, uStar: append([]float64(nil), p.UStar...),
		dInv: make([]float64, q), sd: make([]float64, q), tCentre: make([]float64, q)}
	var logDetD float64
	for j, v := range p.DStar {
		d.dInv[j] = 1 / v
		d.sd[j] = math.Sqrt(v)
		logDetD += math.Log(v)
	}
	if d.tAtUStar {
		copy(d.tCentre, p.UStar)
	}
	for i, v := range p.P {
		d.logP[i] = math.Log(v)
	}
	fq := float64(q)
	d.tPow = (p.Zeta + fq) / 2
	d.tConst = lgammaDiff(p.Zeta/2, fq/2) - fq/2*(math.Log(p.Zeta)+math.Log(math.Pi)) - logDetD/2
	d.nConst1 = -fq/2*math.Log(2*math.Pi) - logDetD/2
	switch {
	case p.SigmaInvCSR != nil:
		if p.SigmaInv != nil {
			return nil, errs.Invalidf("sigma_inv", "is given both dense and in compressed rows; give one")
		}
		if err := d.setSigmaInvCSR(p.SigmaInvCSR, minQ); err != nil {
			return nil, err
		}
	case p.P[2] > 0 || p.SigmaInv != nil || p.TSigma:
		if err := d.setSigmaInv(p.SigmaInv); err != nil {
			return nil, err
		}
	}
	if p.TSigma {
		// |Σ̃|^{−1/2} = |Σ̃⁻¹|^{1/2} in place of |D*|^{−1/2}.
		d.tConst += logDetD/2 + d.logDetSigInv/2
	}
	return d, nil
}

// setSigmaInv validates Σ̃⁻¹ and keeps its factor and, when sparse, its
// nonzeros.
func (d *Density) setSigmaInv(s []float64) error {
	q := d.q
	if err := budget.Need("sigma_inv", fmt.Sprintf("the Cholesky factor of Σ̃⁻¹ (q·q = %d·%d doubles)", q, q), budget.Doubles(q, q)); err != nil {
		return err
	}
	if err := checkSigmaInv(q, s); err != nil {
		return err
	}
	d.sigInv = new(dense.SPD)
	if !d.sigInv.Factor(q, s) {
		return errNotPD()
	}
	d.logDetSigInv = d.sigInv.LogDet()
	d.nConst2 = -float64(q)/2*math.Log(2*math.Pi) + d.logDetSigInv/2
	nnz := 0
	for _, v := range s {
		if v != 0 {
			nnz++
		}
	}
	if nnz <= q*q/4 {
		d.sigInvSparse = sparse.FromDense(q, q, s)
	}
	return nil
}

// Q is the dimension of the random effects.
func (d *Density) Q() int { return d.q }

// SparseFactor reports whether Σ̃⁻¹ is factored sparse, and the nonzeros of
// that factor.
func (d *Density) SparseFactor() (bool, int64) {
	if d.chol == nil {
		return false, 0
	}
	return true, d.chol.S.NNZ
}

// DenseSigmaInv returns the q×q Σ̃⁻¹ a density given SigmaInvCSR expanded
// on the dense path (do not modify), and nil otherwise.
func (d *Density) DenseSigmaInv() []float64 { return d.sigInvDense }

// LogProb returns log f̃(u). It does not allocate.
func (d *Density) LogProb(u []float64) float64 {
	var tq, nq1 float64
	for j, v := range u {
		tq += v * v * d.dInv[j]
		r := v - d.uStar[j]
		nq1 += r * r * d.dInv[j]
	}
	if d.tAtUStar {
		tq = nq1
	}
	var comp [3]float64
	comp[2] = math.Inf(-1)
	if d.logP[2] > math.Inf(-1) || d.tSigma {
		qs := d.quadSigmaInv(u)
		comp[2] = d.logP[2] + d.nConst2 - qs/2
		if d.tSigma {
			tq = qs
		}
	}
	comp[0] = d.logP[0] + d.tConst - d.tPow*math.Log1p(tq/d.zeta)
	comp[1] = d.logP[1] + d.nConst1 - nq1/2
	if math.IsNaN(comp[2]) {
		// (u−u*)′Σ̃⁻¹(u−u*) ≥ 0 for Σ̃⁻¹ positive definite; NaN comes only from
		// overflow (Inf − Inf between terms of opposite sign) far from u*,
		// where the component's density is 0.
		comp[2] = math.Inf(-1)
	}
	a := math.Max(comp[0], math.Max(comp[1], comp[2]))
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log(math.Exp(comp[0]-a)+math.Exp(comp[1]-a)+math.Exp(comp[2]-a))
}

// quadSigmaInv is (u−u*)′Σ̃⁻¹(u−u*), by the sparse rows or the factor.
func (d *Density) quadSigmaInv(u []float64) float64 {
	if d.sigInvSparse != nil {
		return d.sigInvSparse.QuadForm(u, d.uStar)
	}
	return d.sigInv.QuadForm(u, d.uStar)
}

// lgammaDiff is log Γ(a+h) − log Γ(a) for a > 0, h ≥ 0. For large a the
// two log-gammas are huge and nearly equal (their difference is about
// h·log a, their rounding error about a·log a·2⁻⁵³), so from a = 100 on it
// uses Stirling's series for the difference instead:
//
//	h log a + (a+h−½) log1p(h/a) − h + S(a+h) − S(a),
//	S(x) = 1/(12x) − 1/(360x³),
//
// whose next term is below 1/(1260 a⁵) < 1e-13. Without it a t component
// with ζ = 2·10⁴ loses 11 digits, with ζ = 10¹⁷ all of them, and with ζ
// near the largest double its density is NaN.
func lgammaDiff(a, h float64) float64 {
	if a < 100 {
		l1, _ := math.Lgamma(a + h)
		l0, _ := math.Lgamma(a)
		return l1 - l0
	}
	s := func(x float64) float64 { return 1/(12*x) - 1/(360*x*x*x) }
	return h*math.Log(a) + (a+h-0.5)*math.Log1p(h/a) - h + (s(a+h) - s(a))
}
