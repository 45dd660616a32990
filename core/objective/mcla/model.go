package mcla

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/checkpoint"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// Data describes a GLMM for the MCLA objective. Slices are the caller's; New
// copies what it keeps.
type Data struct {
	response.Response // family, y (length N), trials, weights, offset, dispersion
	N, P, Q           int
	X                 []float64 // N×P, column-major
	ZRow, ZCol        []int64   // triplets of Z (N×Q), 0-based
	ZVal              []float64
	NVC               int     // the number of variance components
	VCOf              []int64 // length Q: the component (0..NVC-1) of each column of Z
}

// Model is a validated GLMM with, once set, an importance density and samples.
type Model struct {
	fam     family.Code
	n, p, q int
	nvc     int
	y, nt   []float64
	w       []float64
	off     []float64 // the offset, nil for none
	x       []float64 // column-major n×p
	xRows   []float64 // the same, row-major, for the per-sample score X′r
	wn, wy  []float64 // wᵢNᵢ and wᵢyᵢ (negative binomial: wᵢ(yᵢ+r) and wᵢyᵢ)
	// Negative binomial only (package family): its ℓ is the binomial kernel
	// at η − log r with yᵢ + r trials, plus Σ wᵢyᵢ log r. etaOff is the
	// shift −log r, logFConst that sum; both are zero otherwise.
	etaOff    float64
	logFConst float64
	size      float64 // r (negative binomial only)
	// unitWeights: every wᵢ = 1 (and so every term of Σ wᵢ log(1+e^{−|η|})
	// can share one log).
	unitWeights bool
	z           *sparse.ELL
	simd        *simdRows // packed copies for the assembly row kernel (nil: none)
	vcOf        []int
	qt          []float64 // columns per component, as float64

	dens *importance.Density
	// The product density of the blockwise estimator and its blocks (nil
	// for the joint estimator; SetProduct).
	prod   *importance.Product
	layout *blockLayout
	cp     *checkpoint.Checkpoint // checked by long loops (SetCheckpoint)

	// The samples (nil until set) and the most bytes of them to keep in
	// memory (0: no limit; see SetSampleMemory).
	smp          *store
	sampleMemory int64
	scratch      evalScratch
}

// New validates d and returns a model without importance density or samples.
func New(d Data) (*Model, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	z, err := sparse.FromTriplets(d.N, d.Q, d.ZRow, d.ZCol, d.ZVal)
	if err != nil {
		return nil, err
	}
	if err := checkColumns(z); err != nil {
		return nil, err
	}
	if err := needRows(z); err != nil {
		return nil, err
	}
	m := &Model{fam: d.Family, n: d.N, p: d.P, q: d.Q, nvc: d.NVC}
	if m.vcOf, m.qt, err = components(d.Q, d.NVC, d.VCOf); err != nil {
		return nil, err
	}
	m.setResponse(&d.Response)
	m.x = append([]float64(nil), d.X...)
	m.xRows = make([]float64, d.N*d.P)
	for j := 0; j < d.P; j++ {
		for i := 0; i < d.N; i++ {
			m.xRows[i*d.P+j] = d.X[j*d.N+i]
		}
	}
	m.z = z.ToELL()
	m.simd = newSIMDRows(m)
	return m, nil
}

// needRows checks the memory of Z's padded rows (sparse.ELL, and its copy
// packed for the assembly kernel) against the limit: n·w entries of 12
// bytes each, twice, with w the most nonzeros in one row — a single dense
// row of Z makes every row that wide.
func needRows(z *sparse.CSR) error {
	w := 0
	for i := 0; i < z.Rows; i++ {
		w = max(w, z.RowPtr[i+1]-z.RowPtr[i])
	}
	return budget.Need("z_row", fmt.Sprintf("Z stored by rows padded to its longest row (n·w = %d·%d entries)", z.Rows, w),
		24*float64(z.Rows)*float64(w))
}

// setResponse keeps copies of the response and the per-observation
// products the row kernels use.
func (m *Model) setResponse(r *response.Response) {
	n := m.n
	m.y = append([]float64(nil), r.Y...)
	m.nt, m.w = ones(r.Trials, n), ones(r.Weights, n)
	if r.Offset != nil {
		m.off = append([]float64(nil), r.Offset...)
	}
	m.wn, m.wy = make([]float64, n), make([]float64, n)
	m.unitWeights = true
	for i := range m.w {
		m.wn[i], m.wy[i] = m.w[i]*m.nt[i], m.w[i]*m.y[i]
		m.unitWeights = m.unitWeights && m.w[i] == 1
	}
	if r.Family == family.NegBinomial {
		rr := r.Dispersion
		m.etaOff = -math.Log(rr)
		m.size = rr
		for i := range m.w {
			m.wn[i] = m.w[i] * (m.y[i] + rr)
			m.logFConst += m.wy[i] * math.Log(rr)
		}
	}
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

// SetCheckpoint makes the model's long loops — drawing and preparing
// samples, evaluations, moments — check cp (nil: none) at least every
// checkpoint.Interval, and return errs.ErrCancelled when it stops.
func (m *Model) SetCheckpoint(cp *checkpoint.Checkpoint) { m.cp = cp }

// Dims returns n, p, q and the number of variance components.
func (m *Model) Dims() (n, p, q, nvc int) { return m.n, m.p, m.q, m.nvc }

// NPar is the length of par = (β, ν).
func (m *Model) NPar() int { return m.p + m.nvc }

// Samples is the number of samples set.
func (m *Model) Samples() int {
	if m.smp == nil {
		return 0
	}
	return m.smp.m
}
