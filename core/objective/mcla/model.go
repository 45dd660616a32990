package mcla

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// Data describes a GLMM for the MCLA objective. Slices are the caller's; New
// copies what it keeps.
type Data struct {
	Family  family.Code
	N, P, Q int
	Y       []float64 // length N
	Trials  []float64 // length N, or nil for all ones
	Weights []float64 // length N, or nil for all ones
	X       []float64 // N×P, column-major
	ZRow    []int64   // triplets of Z (N×Q), 0-based
	ZCol    []int64
	ZVal    []float64
	NVC     int     // T, the number of variance components
	VCOf    []int64 // length Q: the component (0..T-1) of each column of Z
	// Dispersion is the negative binomial size r (> 0, known); 0 for the
	// other families.
	Dispersion float64
}

// Model is a validated GLMM with, once set, an importance density and samples.
type Model struct {
	fam     family.Code
	n, p, q int
	nvc     int
	y, nt   []float64
	w       []float64
	x       []float64 // column-major n×p
	xRows   []float64 // the same, row-major, for the per-sample score X′r
	wn, wy  []float64 // wᵢNᵢ and wᵢyᵢ (negative binomial: wᵢ(yᵢ+r) and wᵢyᵢ)
	// Negative binomial only (package family): its ℓ is the binomial kernel
	// at η − log r with yᵢ + r trials, plus Σ wᵢyᵢ log r. etaOff is the
	// shift −log r, logFConst that sum; both are zero otherwise.
	etaOff    float64
	logFConst float64
	disp      float64
	// unitWeights: every wᵢ = 1 (and so every term of Σ wᵢ log(1+e^{−|η|})
	// can share one log).
	unitWeights bool
	z           *sparse.ELL
	simd        *simdRows // packed copies for the assembly row kernel (nil: none)
	vcOf        []int
	qt          []float64 // columns per component, as float64

	dens *importance.Density

	// Samples, set by SetSamples: u in sample-major order (row k of glmm's
	// u-matrix is u[k*q:(k+1)*q]), log f̃(u_k), and sₜ(u_k) at ss[k*T+t].
	m       int
	u       []float64
	logFt   []float64
	ss      []float64
	scratch evalScratch
}

// New validates d and returns a model without importance density or samples.
func New(d Data) (*Model, error) {
	if !d.Family.Valid() {
		return nil, errs.Invalidf("family", "is %d; use 1 (Bernoulli), 2 (Poisson), 3 (binomial) or 4 (negative binomial)", int32(d.Family))
	}
	if msg := d.Family.CheckDispersion(d.Dispersion); msg != "" {
		return nil, errs.Invalidf("dispersion", "%s", msg)
	}
	if d.N < 1 {
		return nil, errs.Invalidf("n", "is %d; need at least one observation", d.N)
	}
	if d.P < 0 {
		return nil, errs.Invalidf("p", "is %d; must be non-negative", d.P)
	}
	if d.Q < 1 {
		return nil, errs.Invalidf("q", "is %d; need at least one random effect", d.Q)
	}
	if d.NVC < 1 || d.NVC > d.Q {
		return nil, errs.Invalidf("nvc", "is %d; must be between 1 and q = %d", d.NVC, d.Q)
	}
	if d.P > 0 && d.N > math.MaxInt/d.P {
		return nil, errs.Invalidf("p", "n*p = %d*%d overflows", d.N, d.P)
	}
	if len(d.Y) != d.N {
		return nil, errs.Invalidf("y", "has length %d, want n = %d", len(d.Y), d.N)
	}
	if len(d.X) != d.N*d.P {
		return nil, errs.Invalidf("x", "has length %d, want n*p = %d", len(d.X), d.N*d.P)
	}
	if d.Trials != nil && len(d.Trials) != d.N {
		return nil, errs.Invalidf("ntrials", "has length %d, want n = %d", len(d.Trials), d.N)
	}
	if d.Weights != nil && len(d.Weights) != d.N {
		return nil, errs.Invalidf("weights", "has length %d, want n = %d", len(d.Weights), d.N)
	}
	m := &Model{fam: d.Family, n: d.N, p: d.P, q: d.Q, nvc: d.NVC}
	m.nt = ones(d.Trials, d.N)
	m.w = ones(d.Weights, d.N)
	if err := checkFinite("ntrials", m.nt); err != nil {
		return nil, err
	}
	if err := checkFinite("weights", m.w); err != nil {
		return nil, err
	}
	if err := checkFinite("y", d.Y); err != nil {
		return nil, err
	}
	if err := checkFinite("x", d.X); err != nil {
		return nil, err
	}
	var wsum float64
	for i, v := range m.w {
		if v < 0 {
			return nil, errs.Invalidf("weights", "element %d is %g; weights must be non-negative", i, v)
		}
		wsum += v
	}
	if wsum == 0 {
		return nil, errs.Invalidf("weights", "are all zero")
	}
	for i, v := range d.Y {
		if msg := d.Family.CheckResponse(v, m.nt[i]); msg != "" {
			if d.Family == family.Binomial && (m.nt[i] < 0 || m.nt[i] != math.Trunc(m.nt[i])) {
				return nil, errs.Invalidf("ntrials", "element %d is %g: %s", i, m.nt[i], msg)
			}
			return nil, errs.Invalidf("y", "element %d is %g: %s", i, v, msg)
		}
	}
	if d.Family != family.Binomial {
		for i, v := range m.nt {
			if v != 1 {
				return nil, errs.Invalidf("ntrials", "element %d is %g; the %v family has one trial per observation (pass NULL)", i, v, d.Family)
			}
		}
	}
	z, err := sparse.FromTriplets(d.N, d.Q, d.ZRow, d.ZCol, d.ZVal)
	if err != nil {
		return nil, err
	}
	for j, c := range z.ColumnCounts() {
		if c == 0 {
			return nil, errs.Invalidf("z_col", "column %d of Z has no nonzero entry; its random effect is not in the model", j)
		}
	}
	if len(d.VCOf) != d.Q {
		return nil, errs.Invalidf("vc_of_column", "has length %d, want q = %d", len(d.VCOf), d.Q)
	}
	m.vcOf = make([]int, d.Q)
	m.qt = make([]float64, d.NVC)
	for j, t := range d.VCOf {
		if t < 0 || t >= int64(d.NVC) {
			return nil, errs.Invalidf("vc_of_column", "element %d is %d, outside 0..%d", j, t, d.NVC-1)
		}
		m.vcOf[j] = int(t)
		m.qt[t]++
	}
	for t, c := range m.qt {
		if c == 0 {
			return nil, errs.Invalidf("vc_of_column", "variance component %d has no column of Z", t)
		}
	}
	m.y = append([]float64(nil), d.Y...)
	m.x = append([]float64(nil), d.X...)
	m.xRows = make([]float64, d.N*d.P)
	for j := 0; j < d.P; j++ {
		for i := 0; i < d.N; i++ {
			m.xRows[i*d.P+j] = d.X[j*d.N+i]
		}
	}
	m.wn, m.wy = make([]float64, d.N), make([]float64, d.N)
	m.unitWeights = true
	for i := range m.w {
		m.wn[i], m.wy[i] = m.w[i]*m.nt[i], m.w[i]*m.y[i]
		m.unitWeights = m.unitWeights && m.w[i] == 1
	}
	if d.Family == family.NegBinomial {
		r := d.Dispersion
		m.disp, m.etaOff = r, -math.Log(r)
		for i := range m.w {
			m.wn[i] = m.w[i] * (m.y[i] + r)
			m.logFConst += m.wy[i] * math.Log(r)
		}
	}
	m.z = z.ToELL()
	m.simd = newSIMDRows(m)
	return m, nil
}

func ones(v []float64, n int) []float64 {
	if v != nil {
		return append([]float64(nil), v...)
	}
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

func checkFinite(arg string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errs.Invalidf(arg, "element %d is %g; must be finite", i, x)
		}
	}
	return nil
}

// Dims returns n, p, q and T.
func (m *Model) Dims() (n, p, q, nvc int) { return m.n, m.p, m.q, m.nvc }

// NPar is the length of par = (β, ν).
func (m *Model) NPar() int { return m.p + m.nvc }

// Samples is the number of samples set.
func (m *Model) Samples() int { return m.m }

// Family is the response family.
func (m *Model) Family() family.Code { return m.fam }

// Dispersion is the negative binomial size r, 0 for other families.
func (m *Model) Dispersion() float64 { return m.disp }
