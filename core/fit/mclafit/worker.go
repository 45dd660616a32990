package mclafit

import (
	"math"
	"slices"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/pql"
	"github.com/glmmgo/glmmgo/core/sparse"
	"github.com/glmmgo/glmmgo/core/zterms"
)

// SampleSpec describes a fit's sample completely and compactly (O(p + q)
// numbers): a process that has the model's data rebuilds the importance
// density from it — Σ̃⁻¹ at η* = o + Xβ + Zu* with D*, exactly as the fit
// built it — and draws any block of the M samples from Seed.
type SampleSpec struct {
	M            int
	Seed         uint64
	Beta         []float64 // the fixed effects of η*
	UStar, DStar []float64
	Zeta         float64
	P            [3]float64
	TAtUStar     bool
	TSigma       bool
	SampleMemory int64 // Options.SampleMemory, resolved
	// Blockwise: the product density over the design's blocks
	// (zterms.BlocksOf) and the blockwise estimator.
	Blockwise bool
}

// specVersion leads an encoded SampleSpec.
const specVersion = 1

// specHead is the number of values before β in an encoded SampleSpec.
const specHead = 10

// SpecLen is the length of an encoded SampleSpec for p fixed effects and q
// random effects.
func SpecLen(p, q int) int { return specHead + p + 2*q }

// Encode writes s as float64s (the seed as two exact 32-bit halves), the
// form in which it travels between processes.
func (s *SampleSpec) Encode() []float64 {
	flags := 0.0
	if s.TAtUStar {
		flags++
	}
	if s.TSigma {
		flags += 2
	}
	if s.Blockwise {
		flags += 4
	}
	out := []float64{specVersion, float64(s.M), float64(s.Seed >> 32), float64(s.Seed & 0xffffffff), s.Zeta,
		s.P[0], s.P[1], s.P[2], flags, float64(s.SampleMemory)}
	out = append(out, s.Beta...)
	out = append(out, s.UStar...)
	return append(out, s.DStar...)
}

// DecodeSpec reads an encoded SampleSpec of a model with p fixed effects
// and q random effects, checking what the density's own checks do not.
func DecodeSpec(v []float64, p, q int) (*SampleSpec, error) {
	if len(v) != SpecLen(p, q) {
		return nil, errs.Invalidf("spec", "has length %d, want %d (10 + p + 2q)", len(v), SpecLen(p, q))
	}
	if v[0] != specVersion {
		return nil, errs.Invalidf("spec", "is of version %g, want %d", v[0], specVersion)
	}
	whole := func(x, hi float64) bool { return x >= 0 && x <= hi && x == math.Trunc(x) }
	if !whole(v[1], math.MaxInt32*float64(parallel.BlockSize)) || v[1] < 1 {
		return nil, errs.Invalidf("spec", "m = %g is not a positive whole number", v[1])
	}
	if !whole(v[2], 0xffffffff) || !whole(v[3], 0xffffffff) || !whole(v[8], 7) {
		return nil, errs.Invalidf("spec", "seed halves %g, %g and flags %g are not whole numbers in range", v[2], v[3], v[8])
	}
	if math.Abs(v[9]) > 1<<62 || v[9] != math.Trunc(v[9]) {
		return nil, errs.Invalidf("spec", "sample memory %g is not a whole number of bytes", v[9])
	}
	for i, x := range v[specHead:] {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, errs.Invalidf("spec", "element %d is %g; must be finite", specHead+i, x)
		}
	}
	f := int(v[8])
	return &SampleSpec{M: int(v[1]), Seed: uint64(v[2])<<32 | uint64(v[3]), Zeta: v[4], P: [3]float64{v[5], v[6], v[7]},
		TAtUStar: f&1 != 0, TSigma: f&2 != 0, Blockwise: f&4 != 0, SampleMemory: int64(v[9]),
		Beta:  slices.Clone(v[specHead : specHead+p]),
		UStar: slices.Clone(v[specHead+p : specHead+p+q]), DStar: slices.Clone(v[specHead+p+q:])}, nil
}

// sameDensity reports whether s and t describe the same density (their m
// may differ).
func (s *SampleSpec) sameDensity(t *SampleSpec) bool {
	return t != nil && s.Seed == t.Seed && s.Zeta == t.Zeta && s.P == t.P && s.TAtUStar == t.TAtUStar &&
		s.TSigma == t.TSigma && s.Blockwise == t.Blockwise && slices.Equal(s.Beta, t.Beta) && slices.Equal(s.UStar, t.UStar) && slices.Equal(s.DStar, t.DStar)
}

// sampleSpec describes the fit's current density and m samples from it.
func (f *Fit) sampleSpec(m int, opt Options) *SampleSpec {
	return &SampleSpec{M: m, Seed: f.seed, Beta: slices.Clone(f.densityBeta), UStar: slices.Clone(f.UStar),
		DStar: slices.Clone(f.DStar), Zeta: opt.Zeta, P: opt.P, TAtUStar: opt.TAtUStar, TSigma: f.TSigma,
		SampleMemory: opt.SampleMemory, Blockwise: f.product != nil}
}

// builtDensity is an importance density and its Σ̃⁻¹: in compressed rows,
// and q×q when the density factored it dense (nil on the sparse path).
type builtDensity struct {
	params     importance.Params // what the density was built from
	density    *importance.Density
	sigmaInv   []float64
	sigmaInvCS *sparse.CSR
}

// buildDensity builds the importance density s describes on the data d
// (z its Z): Σ̃⁻¹ at η* = o + Xβ + Zu*, factored inside importance.New;
// built in compressed rows from Z's rows when the plan for Z
// (importance.PlanFor) is sparse, else q×q as glmm builds it.
func buildDensity(d mcla.Data, z *sparse.CSR, s *SampleSpec, sparsePlan bool) (builtDensity, error) {
	eta := pql.FixedOffset(d.Offset, d.X, d.N, s.Beta[:d.P])
	z.MulVecAdd(eta, eta, s.UStar)
	p := importance.Params{Zeta: s.Zeta, P: s.P, UStar: s.UStar, DStar: s.DStar, TAtUStar: s.TAtUStar, TSigma: s.TSigma}
	var b builtDensity
	if sparsePlan {
		p.SigmaInvCSR = importance.SigmaInvSparse(&d.Response, z, eta, s.DStar)
		b.sigmaInvCS = p.SigmaInvCSR
	} else {
		p.SigmaInv = importance.SigmaInv(&d.Response, z, eta, s.DStar)
		b.sigmaInv = p.SigmaInv
	}
	b.params = p
	dens, err := importance.New(d.Q, p)
	if err != nil {
		return b, err
	}
	b.density = dens
	if b.sigmaInv == nil {
		b.sigmaInv = dens.DenseSigmaInv() // the rows' rule may still have chosen the dense factor
	}
	return b, nil
}

// Worker is one process's part of a distributed fit: the model's data
// (given once), the density of the current sample (rebuilt from its
// SampleSpec), and the blocks of the batches it was given, drawn from the
// fit's seed by block index and kept (or redrawn) between calls.
type Worker struct {
	data    mcla.Data
	z       *sparse.CSR
	model   *mcla.Model
	spec    *SampleSpec
	built   *SampleSpec // the spec the density was built from
	density *importance.Density
	product *importance.Product // the spec's product density when it is blockwise
	blocks  [][]int             // the columns of each of the design's blocks
	g0, g1  int
	sparse  bool // the plan for Z's Σ̃⁻¹ (importance.PlanFor) is sparse
}

// NewWorker makes a worker for the data d (validated as mcla.New does).
func NewWorker(d mcla.Data) (*Worker, error) {
	model, err := mcla.New(d)
	if err != nil {
		return nil, err
	}
	z, err := sparse.FromTriplets(d.N, d.Q, d.ZRow, d.ZCol, d.ZVal)
	if err != nil {
		return nil, err
	}
	plan, err := importance.PlanFor(z)
	if err != nil {
		return nil, err
	}
	return &Worker{data: d, z: z, model: model, sparse: plan.Sparse, blocks: zterms.BlocksOf(z).Cols}, nil
}

// Sample sets the worker's sample to batches g0..g1−1 of the sample spec
// describes (parallel.NumBatches(spec.M) batches in all). The density is
// rebuilt only when it changed.
func (w *Worker) Sample(spec *SampleSpec, g0, g1, workers int) error {
	w.spec = nil
	if len(spec.Beta) != w.data.P || len(spec.UStar) != w.data.Q || len(spec.DStar) != w.data.Q {
		w.model.DropSamples()
		return errs.Invalidf("spec", "is for p = %d and q = %d, the model has p = %d and q = %d", len(spec.Beta), len(spec.UStar), w.data.P, w.data.Q)
	}
	// The same density and seed (a larger m, or batches handed out again
	// after a worker was lost): the blocks already drawn are kept.
	reuse := spec.sameDensity(w.built)
	if !reuse {
		w.model.DropSamples()
		w.built, w.density, w.product = nil, nil, nil
		b, err := buildDensity(w.data, w.z, spec, w.sparse)
		if err != nil {
			return err
		}
		if err := w.setDensity(b, spec, workers); err != nil {
			return err
		}
		w.built, w.density = spec, b.density
	}
	w.model.SetSampleMemory(spec.SampleMemory)
	seed, dens, prod := spec.Seed, w.density, w.product
	draw := func(lo, hi int, dst, z []float64) { dens.DrawTo(seed, lo, hi, dst, z) }
	if prod != nil {
		draw = func(lo, hi int, dst, z []float64) { prod.DrawTo(seed, lo, hi, dst, z) }
	}
	if err := w.model.SetSamplerBatches(spec.M, draw, g0, g1, workers, reuse); err != nil {
		return err
	}
	w.spec, w.g0, w.g1 = spec, g0, g1
	return nil
}

// setDensity sets b's density on the worker's model, or with
// spec.Blockwise the product density over the design's blocks built from
// the same parameters, as the fit builds it.
func (w *Worker) setDensity(b builtDensity, spec *SampleSpec, workers int) error {
	if !spec.Blockwise {
		return w.model.SetDensity(b.density, workers)
	}
	prod, err := importance.NewProduct(w.data.Q, b.params, w.blocks)
	if err != nil {
		return err
	}
	w.product = prod
	return w.model.SetProduct(prod, workers)
}

// RequestLen is the length of the answer to req from this worker's
// current sample (Partials's dst).
func (w *Worker) RequestLen(req *Request) int { return req.Len(w.model) }

// Partials answers req for the worker's batches (req.G0..req.G1−1 must lie
// within them), writing req.Len values into dst.
func (w *Worker) Partials(req *Request, workers int, dst []float64) error {
	if w.spec == nil {
		return errs.Statef("the worker has no sample: call Sample first")
	}
	if req.M != w.spec.M {
		return errs.Invalidf("m", "is %d; the worker's sample has m = %d", req.M, w.spec.M)
	}
	if req.G0 < w.g0 || req.G1 > w.g1 || req.G0 >= req.G1 {
		return errs.Invalidf("batch_begin", "batches [%d, %d) are not a non-empty part of the worker's [%d, %d)", req.G0, req.G1, w.g0, w.g1)
	}
	if len(dst) != req.Len(w.model) {
		return errs.Invalidf("partials", "has length %d, want %d", len(dst), req.Len(w.model))
	}
	n, bl := req.G1-req.G0, req.BatchLen(w.model)
	switch req.Kind {
	case BatchPartials:
		ps := grow(nil, n, w.model.NewPartial)
		if err := w.model.BatchPieces(req.Par, req.Lo, req.Hi, req.G0, req.G1, workers, ps); err != nil {
			return err
		}
		for i, p := range ps {
			p.Flatten(dst[i*bl : (i+1)*bl])
		}
	case MomentPartials:
		p1, p2 := make([]*parallel.Partial, n), make([]*parallel.Partial, n)
		if err := w.model.MomentPieces(req.Par, req.G0, req.G1, workers, p1, p2); err != nil {
			return err
		}
		k := p1[0].FlatSize()
		for i := range n {
			p1[i].Flatten(dst[i*bl : i*bl+k])
			p2[i].Flatten(dst[i*bl+k : (i+1)*bl])
		}
	default:
		return errs.Invalidf("what", "is %d; want %d (batch partials) or %d (moment partials)", req.Kind, BatchPartials, MomentPartials)
	}
	return nil
}
