// Package importance is glmm's importance density for the random effects,
// the three-component mixture
//
//	f̃(u) = p₁·t_ζ(u; 0, D*) + p₂·N(u; u*, D*) + p₃·N(u; u*, Σ̃)
//
// (Knudson, Benson, Geyer and Jones, the glmm parallel-computing paper, §2,
// and glmm's C code). D* is diagonal (the PQL variances per column of Z); Σ̃
// is given by its inverse Σ̃⁻¹ = Z′ diag(w c″(η*)) Z + D*⁻¹. The multivariate
// t has density
//
//	Γ((ζ+q)/2) / (Γ(ζ/2) (ζπ)^{q/2}) · |D*|^{−1/2} · (1 + u′D*⁻¹u/ζ)^{−(ζ+q)/2}
//
// and, as in glmm, it is centred at 0, not at u*: the MCLA objective must
// reproduce glmm's values exactly. The mixture is summed in log space with a
// max shift, so tiny component densities do not underflow to log 0.
package importance

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"gonum.org/v1/gonum/mat"
)

// Params are the importance-sampling parameters as glmm stores them.
type Params struct {
	Zeta     float64    // degrees of freedom of the t component, > 0
	P        [3]float64 // mixture probabilities, summing to 1
	UStar    []float64  // centre of the normal components (length q)
	DStar    []float64  // diagonal of D* (length q), > 0
	SigmaInv []float64  // Σ̃⁻¹, q×q column-major; may be nil when P[2] == 0
	// TAtUStar centres the t component at u* instead of glmm's 0 (an
	// option of glmmgo's fits; glmm's objective and the reference values
	// use 0).
	TAtUStar bool
}

// Density evaluates log f̃. It keeps copies of what it needs.
type Density struct {
	q         int
	logP      [3]float64 // −Inf where a probability is 0
	uStar     []float64
	dInv      []float64 // 1/D*
	tConst    float64   // log normalising constant of the t component
	tPow      float64   // (ζ+q)/2
	zeta      float64
	tAtUStar  bool
	nConst1   float64   // log normalising constant of N(u*, D*)
	nConst2   float64   // log normalising constant of N(u*, Σ̃)
	cholUpper []float64 // R with R′R = Σ̃⁻¹, row-major upper triangle (row i holds R[i][i:])
	rowStart  []int
	// Σ̃⁻¹ itself in compressed rows when it is sparse (a quarter full or
	// less): then (u−u*)′Σ̃⁻¹(u−u*) costs its nonzeros, not the q²/2 of the
	// dense factor. Z′WZ + D⁻¹ is this sparse whenever few random effects
	// share observations (salamander: 840 of 14 400 entries).
	spPtr []int
	spCol []int32
	spVal []float64
}

// pTolerance is how far p₁+p₂+p₃ may be from 1: glmm's exact float test
// rejects its own default 1/3 printed to 15 digits.
const pTolerance = 1e-8

// New validates p for q random effects and prepares the density.
func New(q int, p Params) (*Density, error) {
	if q < 1 {
		return nil, errs.Invalidf("q", "is %d; need at least one random effect", q)
	}
	if !(p.Zeta > 0) || math.IsInf(p.Zeta, 0) {
		return nil, errs.Invalidf("zeta", "is %g; the t degrees of freedom must be positive and finite", p.Zeta)
	}
	var sum float64
	for i, v := range p.P {
		if !(v >= 0 && v <= 1) {
			return nil, errs.Invalidf("p_mix", "element %d is %g; probabilities must lie in [0, 1]", i, v)
		}
		sum += v
	}
	if math.Abs(sum-1) > pTolerance {
		return nil, errs.Invalidf("p_mix", "sums to %.17g, not 1", sum)
	}
	if len(p.UStar) != q {
		return nil, errs.Invalidf("u_star", "has length %d, want q = %d", len(p.UStar), q)
	}
	if len(p.DStar) != q {
		return nil, errs.Invalidf("d_star", "has length %d, want q = %d", len(p.DStar), q)
	}
	d := &Density{q: q, zeta: p.Zeta, tAtUStar: p.TAtUStar, uStar: append([]float64(nil), p.UStar...), dInv: make([]float64, q)}
	var logDetD float64
	for j := 0; j < q; j++ {
		if u := p.UStar[j]; math.IsNaN(u) || math.IsInf(u, 0) {
			return nil, errs.Invalidf("u_star", "element %d is %g; must be finite", j, u)
		}
		v := p.DStar[j]
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, errs.Invalidf("d_star", "element %d is %g; variances must be positive and finite", j, v)
		}
		if math.IsInf(1/v, 0) {
			return nil, errs.Invalidf("d_star", "element %d is %g; too small: its inverse overflows", j, v)
		}
		d.dInv[j] = 1 / v
		logDetD += math.Log(v)
	}
	for i, v := range p.P {
		d.logP[i] = math.Log(v)
	}
	fq := float64(q)
	d.tPow = (p.Zeta + fq) / 2
	d.tConst = lgammaDiff(p.Zeta/2, fq/2) - fq/2*(math.Log(p.Zeta)+math.Log(math.Pi)) - logDetD/2
	log2pi := fq / 2 * math.Log(2*math.Pi)
	d.nConst1 = -log2pi - logDetD/2
	if p.P[2] > 0 || p.SigmaInv != nil {
		if err := d.setSigmaInv(p.SigmaInv); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// setSigmaInv validates Σ̃⁻¹ (finite, symmetric, positive definite) and keeps
// its Cholesky factor.
func (d *Density) setSigmaInv(s []float64) error {
	q := d.q
	if len(s) != q*q {
		return errs.Invalidf("sigma_inv", "has length %d, want q*q = %d", len(s), q*q)
	}
	for k, v := range s {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("sigma_inv", "element (%d, %d) is %g; must be finite", k%q, k/q, v)
		}
	}
	for j := 0; j < q; j++ {
		for i := j + 1; i < q; i++ {
			a, b := s[j*q+i], s[i*q+j]
			if math.Abs(a-b) > 1e-10*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) {
				return errs.Invalidf("sigma_inv", "is not symmetric: (%d, %d) = %g but (%d, %d) = %g", i, j, a, j, i, b)
			}
		}
	}
	sym := mat.NewSymDense(q, nil)
	for j := 0; j < q; j++ {
		for i := 0; i <= j; i++ {
			sym.SetSym(i, j, s[j*q+i])
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(sym); !ok {
		return errs.Invalidf("sigma_inv", "is not positive definite")
	}
	var r mat.TriDense
	ch.UTo(&r)
	d.cholUpper = make([]float64, 0, q*(q+1)/2)
	d.rowStart = make([]int, q)
	for i := 0; i < q; i++ {
		d.rowStart[i] = len(d.cholUpper)
		for j := i; j < q; j++ {
			d.cholUpper = append(d.cholUpper, r.At(i, j))
		}
	}
	d.nConst2 = -float64(q)/2*math.Log(2*math.Pi) + ch.LogDet()/2
	nnz := 0
	for _, v := range s {
		if v != 0 {
			nnz++
		}
	}
	if nnz <= q*q/4 {
		d.spPtr = make([]int, q+1)
		for i := 0; i < q; i++ {
			for j := 0; j < q; j++ {
				if v := s[j*q+i]; v != 0 {
					d.spCol = append(d.spCol, int32(j))
					d.spVal = append(d.spVal, v)
				}
			}
			d.spPtr[i+1] = len(d.spVal)
		}
	}
	return nil
}

// Q is the dimension of the random effects.
func (d *Density) Q() int { return d.q }

// LogDensity returns log f̃(u). It does not allocate.
func (d *Density) LogDensity(u []float64) float64 {
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
	comp[0] = d.logP[0] + d.tConst - d.tPow*math.Log1p(tq/d.zeta)
	comp[1] = d.logP[1] + d.nConst1 - nq1/2
	comp[2] = math.Inf(-1)
	if d.logP[2] > math.Inf(-1) {
		comp[2] = d.logP[2] + d.nConst2 - d.quadSigmaInv(u)/2
	}
	a := math.Max(comp[0], math.Max(comp[1], comp[2]))
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log(math.Exp(comp[0]-a)+math.Exp(comp[1]-a)+math.Exp(comp[2]-a))
}

// quadSigmaInv is (u−u*)′Σ̃⁻¹(u−u*) = ‖R(u−u*)‖², or the sparse sum
// Σᵢ rᵢ Σⱼ Σ̃⁻¹ᵢⱼ rⱼ with r = u − u*.
func (d *Density) quadSigmaInv(u []float64) float64 {
	var s float64
	q := d.q
	if d.spPtr != nil {
		us := d.uStar[:q]
		u = u[:q]
		for i := 0; i < q; i++ {
			var t float64
			for k := d.spPtr[i]; k < d.spPtr[i+1]; k++ {
				j := d.spCol[k]
				t += d.spVal[k] * (u[j] - us[j])
			}
			s += (u[i] - us[i]) * t
		}
		return s
	}
	for i := 0; i < q; i++ {
		row := d.cholUpper[d.rowStart[i] : d.rowStart[i]+q-i]
		var t float64
		for k, r := range row {
			t += r * (u[i+k] - d.uStar[i+k])
		}
		s += t * t
	}
	return s
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
