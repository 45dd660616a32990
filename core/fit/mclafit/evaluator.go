package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// Evaluator holds a fit's sample somewhere else — in other processes or on
// other machines — and evaluates it for the fit. The fit keeps everything
// else (the trust maximisation, the stages, the automatic m, the
// inference) and asks only for the partials of batches of samples
// (package parallel), which it merges in batch order: the same arithmetic,
// in the same order, as the fit in one process, so the result is the same
// bit for bit whichever processes computed which batches. The samples are
// never sent: each process draws the blocks it holds from the fit's seed,
// block by block (Worker does this).
type Evaluator interface {
	// Sample is called whenever the fit's sample changes (a stage's
	// density, or a larger m): from then on Partials evaluates the
	// spec.M samples that spec describes.
	Sample(spec *SampleSpec) error
	// Partials writes the flattened partials (parallel.Partial.Flatten)
	// that req asks for into dst (length req.Len of the fit's model, an
	// equal share per batch), batch by batch.
	Partials(req *Request, dst []float64) error
}

// Kind is what a Request asks for.
type Kind int

const (
	// BatchPartials: for each batch, the MCLA partial of its samples
	// within [Lo, Hi) at Par (mcla.Model.BatchPieces).
	BatchPartials Kind = 1
	// MomentPartials: for each batch, the two partials of the importance
	// diagnostics at Par, the sums of e^b and of e^{2b} g g′
	// (mcla.Model.MomentPieces), one after the other.
	MomentPartials Kind = 2
)

// Request asks for the partials of batches G0..G1−1 of the current sample
// of M samples.
type Request struct {
	Kind   Kind
	Par    []float64
	M      int
	Lo, Hi int // samples; MomentPartials always covers whole batches
	G0, G1 int // batches
}

// BatchLen is the length of one batch's flattened answer for model's
// estimator (mcla.Model.FlatSizes).
func (r *Request) BatchLen(model *mcla.Model) int {
	batch, moments := model.FlatSizes()
	if r.Kind == MomentPartials {
		return moments
	}
	return batch
}

// Len is the length of the whole answer.
func (r *Request) Len(model *mcla.Model) int { return (r.G1 - r.G0) * r.BatchLen(model) }

// sampleSet is what a fit needs of its sample. *mcla.Model has every
// method but setSample; localSet adds it for the sample in this process,
// remoteSet implements them all on an Evaluator.
type sampleSet interface {
	Samples() int
	SumsLen() int
	NewPartial() *parallel.Partial
	SamplesKept() bool
	Evaluate(par []float64, workers int, res *mcla.Result) error
	BatchPartials(par []float64, workers int, dst []*parallel.Partial) ([]*parallel.Partial, error)
	Partial(par []float64, lo, hi, workers int, dst *parallel.Partial) error
	Moments(par []float64, workers int, out *mcla.Moments) error
	Finish(par []float64, tot *parallel.Partial, res *mcla.Result) error
	Grow(m, workers int) error
	// setSample sets the fit's current density and m samples from it.
	setSample(f *Fit, m int, opt Options) error
}

// localSet is the fit's sample held by this process.
type localSet struct{ *mcla.Model }

func (l localSet) setSample(f *Fit, m int, opt Options) error {
	if err := f.setOn(l.Model, opt.Workers); err != nil {
		return err
	}
	return l.SetSampler(m, f.draw, opt.Workers)
}

// remoteSet is the fit's sample held by an Evaluator; model (without
// samples) turns merged partials into results.
type remoteSet struct {
	model *mcla.Model
	ev    Evaluator
	spec  *SampleSpec
	kept  bool
	flat  []float64
	parts []*parallel.Partial
	mom1  []*parallel.Partial
	mom2  []*parallel.Partial
}

func (r *remoteSet) Samples() int {
	if r.spec == nil {
		return 0
	}
	return r.spec.M
}

func (r *remoteSet) SumsLen() int                  { return r.model.SumsLen() }
func (r *remoteSet) NewPartial() *parallel.Partial { return r.model.NewPartial() }
func (r *remoteSet) SamplesKept() bool             { return r.kept }

func (r *remoteSet) Finish(par []float64, tot *parallel.Partial, res *mcla.Result) error {
	return r.model.Finish(par, tot, res)
}

func (r *remoteSet) setSample(f *Fit, m int, opt Options) error {
	// The model evaluates nothing here, but its estimator (and so the
	// shape of the partials it finishes) follows the density's.
	if err := f.setOn(r.model, opt.Workers); err != nil {
		return err
	}
	return r.sample(f.sampleSpec(m, opt))
}

func (r *remoteSet) Grow(m, _ int) error {
	if r.spec == nil || m < r.spec.M {
		return errs.Statef("only a sample that is set can grow")
	}
	s := *r.spec
	s.M = m
	return r.sample(&s)
}

func (r *remoteSet) sample(spec *SampleSpec) error {
	r.spec = nil
	if err := r.ev.Sample(spec); err != nil {
		return err
	}
	_, _, q, _ := r.model.Dims()
	r.spec = spec
	r.kept = spec.SampleMemory <= 0 || float64(spec.M)*float64(q)*8 <= float64(spec.SampleMemory)
	return nil
}

// ask checks par, sends req for batches g0..g1−1 and reads the answer,
// checking that each batch's counts are its samples' in [lo, hi).
func (r *remoteSet) ask(kind Kind, par []float64, lo, hi, g0, g1 int) error {
	if r.spec == nil {
		return errs.Statef("set the importance density and samples before evaluating")
	}
	if err := r.model.CheckPar(par); err != nil {
		return err
	}
	req := &Request{Kind: kind, Par: par, M: r.spec.M, Lo: lo, Hi: hi, G0: g0, G1: g1}
	if n := req.Len(r.model); len(r.flat) != n {
		r.flat = make([]float64, n)
	}
	clear(r.flat)
	if err := r.ev.Partials(req, r.flat); err != nil {
		return err
	}
	return r.read(req)
}

// read unflattens the answer to req into r.parts or r.mom1 and r.mom2.
func (r *remoteSet) read(req *Request) error {
	n, bl := req.G1-req.G0, req.BatchLen(r.model)
	if req.Kind == BatchPartials {
		r.parts = grow(r.parts, n, r.model.NewPartial)
	} else {
		r.mom1, r.mom2 = grow(r.mom1, n, func() *parallel.Partial { p, _ := r.model.MomentPartials(); return p }),
			grow(r.mom2, n, func() *parallel.Partial { _, p := r.model.MomentPartials(); return p })
	}
	k := 0
	if req.Kind == MomentPartials {
		k = r.mom1[0].FlatSize()
	}
	for i := range n {
		g := req.G0 + i
		lo, hi := parallel.BatchRange(g, req.M)
		want := int64(max(0, min(hi, req.Hi)-max(lo, req.Lo)))
		src := r.flat[i*bl : (i+1)*bl]
		var err error
		if req.Kind == BatchPartials {
			err = unflatten(r.parts[i], src, g, want)
		} else if err = unflatten(r.mom1[i], src[:k], g, want); err == nil {
			err = unflatten(r.mom2[i], src[k:], g, want)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// unflatten reads batch g's partial, which must count want samples.
func unflatten(p *parallel.Partial, src []float64, g int, want int64) error {
	if err := p.Unflatten(src, "partials"); err != nil {
		e := err.(*errs.Error)
		return errs.Invalidf("partials", "batch %d: %s", g, e.Msg)
	}
	if p.Count != want {
		return errs.Invalidf("partials", "batch %d counts %d samples, want %d", g, p.Count, want)
	}
	return nil
}

// grow returns ps with n partials, made by newPartial where missing.
func grow(ps []*parallel.Partial, n int, newPartial func() *parallel.Partial) []*parallel.Partial {
	for len(ps) < n {
		ps = append(ps, newPartial())
	}
	return ps[:n]
}

func (r *remoteSet) allBatches(kind Kind, par []float64) error {
	return r.ask(kind, par, 0, r.spec.M, 0, parallel.NumBatches(r.spec.M))
}

func (r *remoteSet) Evaluate(par []float64, _ int, res *mcla.Result) error {
	if err := r.checked(par, res); err != nil {
		return err
	}
	if err := r.allBatches(BatchPartials, par); err != nil {
		return err
	}
	tot := r.model.NewPartial()
	for _, p := range r.parts {
		tot.Merge(p)
	}
	return r.model.Finish(par, tot, res)
}

// checked is Evaluate's check of par: a Domain error sets the value −Inf.
func (r *remoteSet) checked(par []float64, res *mcla.Result) error {
	if r.spec == nil {
		return errs.Statef("set the importance density and samples before evaluating")
	}
	err := r.model.CheckPar(par)
	if err != nil && errs.KindOf(err) == errs.Domain {
		res.Value = math.Inf(-1)
	}
	return err
}

func (r *remoteSet) BatchPartials(par []float64, _ int, dst []*parallel.Partial) ([]*parallel.Partial, error) {
	if r.spec == nil {
		return dst, errs.Statef("set the importance density and samples before evaluating")
	}
	if err := r.allBatches(BatchPartials, par); err != nil {
		return dst, err
	}
	dst = grow(dst, len(r.parts), r.model.NewPartial)
	for g, p := range r.parts {
		dst[g].Reset()
		dst[g].Merge(p)
	}
	return dst, nil
}

func (r *remoteSet) Partial(par []float64, lo, hi, _ int, dst *parallel.Partial) error {
	if r.spec == nil {
		return errs.Statef("set the importance density and samples before evaluating")
	}
	m := r.spec.M
	if lo < 0 || hi > m || lo >= hi {
		return errs.Invalidf("rows", "range [%d, %d) is not a non-empty part of [0, %d)", lo, hi, m)
	}
	per := parallel.BlockSize * parallel.BatchBlocks(m)
	if err := r.ask(BatchPartials, par, lo, hi, lo/per, (hi-1)/per+1); err != nil {
		return err
	}
	dst.Reset()
	for _, p := range r.parts {
		dst.Merge(p)
	}
	for i, v := range dst.Sums {
		if v != v || v-v != 0 {
			return errs.Numericf("par", "sum %d of the partial is %g: a sample's score or its square overflows at this par", i, v)
		}
	}
	return nil
}

func (r *remoteSet) Moments(par []float64, _ int, out *mcla.Moments) error {
	if r.spec == nil {
		return errs.Statef("set the importance density and samples before evaluating")
	}
	if err := r.allBatches(MomentPartials, par); err != nil {
		return err
	}
	t1, t2 := r.model.MomentPartials()
	for g := range r.mom1 {
		t1.Merge(r.mom1[g])
		t2.Merge(r.mom2[g])
	}
	return mcla.FinishMoments(t1, t2, out)
}
