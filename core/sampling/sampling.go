// Package sampling draws the Monte Carlo sample of random effects for an
// MCLA fit from glmm's importance density (package importance)
//
//	f̃ = p₁·t_ζ(0, D*) + p₂·N(u*, D*) + p₃·N(u*, Σ̃),
//	Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓ″(η*ᵢ))) Z + D*⁻¹,   η* = Xβ_pql + Zu*,
//
// (the glmm parallel-computing paper, §2; glmm's glmm.R). −ℓ″ is the
// family's curvature (c″ for the exponential families) with the
// observation weights, which glmm's sampler also uses.
//
// Counts. glmm draws m uniforms U_k and takes m₁ = #{U_k < p₁},
// m₂ = #{U_k < p₁+p₂} − m₁, m₃ = m − m₁ − m₂: the counts are multinomial,
// not fixed proportions. Here sample k is drawn from the component its own
// U_k picks (t if U_k < p₁, N(u*, D*) if U_k < p₁+p₂, else N(u*, Σ̃)), so
// the counts are glmm's, and the components are interleaved instead of
// stacked (glmm rbinds all t draws, then the others). The MCLA objective
// does not depend on the order of the samples; interleaving makes every
// run of blocks (such as the rows of a partial computed on another
// machine) a sample of the whole mixture.
//
// Streams. Each fixed block b of parallel.BlockSize rows has two PCG
// streams seeded from (seed, 2b) for the draws and (seed, 2b+1) for the
// component uniforms, so the u-matrix is the same for any number of
// workers and can be filled block by block straight into the MCLA model
// (mcla.Model.SetSamplesFunc), never held twice. (glmm instead seeds one
// stream per core, so its sample changes with the core count.)
//
// Draws: t_ζ(0, D*) = √D*·z/√(χ²_ζ/ζ) with z standard normal and χ²_ζ a
// Gamma(ζ/2, 2) draw (Marsaglia and Tsang, ACM TOMS 26, 2000, with the
// U^{1/a} boost for shapes below 1); N(u*, Σ̃) = u* + R⁻¹z where R′R = Σ̃⁻¹
// (Cholesky), one triangular solve per draw.
package sampling

import (
	"math"
	"math/rand/v2"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/sparse"
	"gonum.org/v1/gonum/mat"
)

// component returns the mixture component (0, 1, 2) that uniform u picks.
func component(u float64, p [3]float64) int {
	switch {
	case u < p[0]:
		return 0
	case u < p[0]+p[1]:
		return 1
	}
	return 2
}

// Counts returns (m₁, m₂, m₃) for m samples with seed: the number of
// samples each component draws.
func Counts(m int, p [3]float64, seed uint64) (m1, m2, m3 int) {
	var c [3]int
	for b := range parallel.NumBlocks(m) {
		lo, hi := parallel.BlockRange(b, m)
		r := rand.New(rand.NewPCG(seed, uint64(2*b+1)))
		for range hi - lo {
			c[component(r.Float64(), p)]++
		}
	}
	return c[0], c[1], c[2]
}

// Curvature describes the data for Σ̃⁻¹.
type Curvature struct {
	Family     family.Code
	Y          []float64
	Trials     []float64 // nil for ones
	Weights    []float64 // nil for ones
	Dispersion float64
	Z          *sparse.CSR
}

// SigmaInv returns Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓ″(ηᵢ))) Z + diag(1/dstar), q×q
// column-major, at linear predictor eta (η* = Xβ_pql + Zu*).
func SigmaInv(c Curvature, eta, dstar []float64) []float64 {
	z := c.Z
	q := z.Cols
	s := make([]float64, q*q)
	for j, d := range dstar {
		s[j*q+j] = 1 / d
	}
	for i := 0; i < z.Rows; i++ {
		nt, w := 1.0, 1.0
		if c.Trials != nil {
			nt = c.Trials[i]
		}
		if c.Weights != nil {
			w = c.Weights[i]
		}
		_, _, cw := c.Family.LogLik(c.Y[i], eta[i], nt, c.Dispersion)
		cw *= w
		for k1 := z.RowPtr[i]; k1 < z.RowPtr[i+1]; k1++ {
			for k2 := z.RowPtr[i]; k2 < z.RowPtr[i+1]; k2++ {
				s[z.Col[k1]*q+z.Col[k2]] += cw * z.Val[k1] * z.Val[k2]
			}
		}
	}
	return s
}

// Sampler fills rows of the u-matrix.
type Sampler struct {
	q       int
	m       int
	counts  [3]int
	p       [3]float64
	seed    uint64
	zeta    float64
	uStar   []float64
	sd      []float64 // √D*
	tCentre []float64 // 0, or u* with importance.Params.TAtUStar
	rUpper  []float64 // R row-major (full q×q, upper part used), R′R = Σ̃⁻¹; nil if p₃ = 0
}

// New prepares draws of m rows from the density with parameters imp (as
// validated by importance.New) and seed; the counts come from Counts.
func New(m int, imp importance.Params, seed uint64) (*Sampler, error) {
	q := len(imp.UStar)
	if _, err := importance.New(q, imp); err != nil {
		return nil, err
	}
	if m < 1 {
		return nil, errs.Invalidf("m", "is %d; need at least one sample", m)
	}
	m1, m2, m3 := Counts(m, imp.P, seed)
	s := &Sampler{q: q, m: m, counts: [3]int{m1, m2, m3}, p: imp.P, seed: seed, zeta: imp.Zeta,
		uStar: append([]float64(nil), imp.UStar...), sd: make([]float64, q)}
	for j, d := range imp.DStar {
		s.sd[j] = math.Sqrt(d)
	}
	s.tCentre = make([]float64, q)
	if imp.TAtUStar {
		copy(s.tCentre, imp.UStar)
	}
	if imp.P[2] > 0 {
		sym := mat.NewSymDense(q, nil)
		for j := 0; j < q; j++ {
			for i := 0; i <= j; i++ {
				sym.SetSym(i, j, imp.SigmaInv[j*q+i])
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(sym) {
			return nil, errs.Numericf("sigma_inv", "is not positive definite")
		}
		var r mat.TriDense
		ch.UTo(&r)
		s.rUpper = make([]float64, q*q)
		for i := 0; i < q; i++ {
			for j := i; j < q; j++ {
				s.rUpper[i*q+j] = r.At(i, j)
			}
		}
	}
	return s, nil
}

// Counts returns the sampler's (m₁, m₂, m₃).
func (s *Sampler) Counts() (m1, m2, m3 int) { return s.counts[0], s.counts[1], s.counts[2] }

// Fill writes rows lo..hi−1 (sample-major, dst has (hi−lo)·q values). Each
// block's stream is replayed from the block's first row, so any range gives
// the same rows; mcla.Model.SetSamplesFunc passes whole blocks.
func (s *Sampler) Fill(lo, hi int, dst []float64) {
	q := s.q
	z := make([]float64, q)
	for b := lo / parallel.BlockSize; b*parallel.BlockSize < hi; b++ {
		blo, bhi := parallel.BlockRange(b, s.m)
		r := rand.New(rand.NewPCG(s.seed, uint64(2*b)))
		rc := rand.New(rand.NewPCG(s.seed, uint64(2*b+1)))
		for k := blo; k < min(bhi, hi); k++ {
			var row []float64
			if k >= lo {
				row = dst[(k-lo)*q : (k-lo+1)*q]
			} else {
				row = z // drawn and discarded to advance the stream
			}
			s.draw(component(rc.Float64(), s.p), r, row, z)
		}
	}
}

// Component returns the mixture component (0: t, 1: N(u*, D*), 2: N(u*, Σ̃))
// of every row lo..hi−1 into dst.
func (s *Sampler) Component(lo, hi int, dst []int) {
	for b := lo / parallel.BlockSize; b*parallel.BlockSize < hi; b++ {
		blo, bhi := parallel.BlockRange(b, s.m)
		rc := rand.New(rand.NewPCG(s.seed, uint64(2*b+1)))
		for k := blo; k < min(bhi, hi); k++ {
			c := component(rc.Float64(), s.p)
			if k >= lo {
				dst[k-lo] = c
			}
		}
	}
}

func (s *Sampler) draw(comp int, r *rand.Rand, row, z []float64) {
	q := s.q
	switch comp {
	case 0:
		chi2 := 2 * gamma(r, s.zeta/2)
		scale := 1 / math.Sqrt(chi2/s.zeta)
		for j := range row {
			row[j] = s.tCentre[j] + s.sd[j]*r.NormFloat64()*scale
		}
	case 1:
		for j := range row {
			row[j] = s.uStar[j] + s.sd[j]*r.NormFloat64()
		}
	default:
		// Solve R x = z by back substitution (x ~ N(0, Σ̃)); z may alias row
		// only when the row is discarded, so draw into a scratch first.
		for j := range q {
			z[j] = r.NormFloat64()
		}
		for i := q - 1; i >= 0; i-- {
			ri := s.rUpper[i*q : (i+1)*q]
			t := z[i]
			for j := i + 1; j < q; j++ {
				t -= ri[j] * z[j]
			}
			z[i] = t / ri[i]
		}
		for j := range row {
			row[j] = s.uStar[j] + z[j]
		}
	}
}

// gamma draws Gamma(a, 1) by Marsaglia and Tsang's squeeze method.
func gamma(r *rand.Rand, a float64) float64 {
	if a < 1 {
		return gamma(r, a+1) * math.Pow(r.Float64(), 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
