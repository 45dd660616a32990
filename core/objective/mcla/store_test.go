package mcla

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// sampled is the synthetic model with mrows samples drawn from its own
// importance density (seed 5), kept or redrawn at each evaluation.
func sampled(t *testing.T, fam family.Code, mrows int, kept bool) *Model {
	t.Helper()
	m, _ := synthetic(t, fam, 40, 1, 6)
	if !kept {
		m.SetSampleMemory(1)
	}
	if err := m.SetSampler(mrows, drawFrom(m), 2); err != nil {
		t.Fatal(err)
	}
	if m.SamplesKept() != kept {
		t.Fatalf("samples kept: %v, want %v", m.SamplesKept(), kept)
	}
	return m
}

func drawFrom(m *Model) Sampler {
	d := m.dens
	return func(lo, hi int, dst, z []float64) { d.DrawTo(5, lo, hi, dst, z) }
}

// evaluation is every bit of an evaluation at par.
func evaluation(t *testing.T, m *Model, par []float64, workers int) []float64 {
	t.Helper()
	d := len(par)
	res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := m.Evaluate(par, workers, &res); err != nil {
		t.Fatal(err)
	}
	return append(append([]float64{res.Value}, res.Gradient...), res.Hessian...)
}

func sameBits(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}

// TestRedrawnEqualsKept: samples redrawn from their streams at every
// evaluation give the kept samples' results bit for bit, for 1 and 3
// workers, below and above the size at which batches hold several blocks.
func TestRedrawnEqualsKept(t *testing.T) {
	par := []float64{0.2, -0.1, 0.3, 0.8, 1.3}
	for _, mrows := range []int{700, parallel.MaxBatches*parallel.BlockSize + 300} {
		want := evaluation(t, sampled(t, family.Poisson, mrows, true), par, 1)
		redrawn := sampled(t, family.Poisson, mrows, false)
		for _, w := range []int{1, 3} {
			if got := evaluation(t, redrawn, par, w); !sameBits(got, want) {
				t.Errorf("m = %d, %d workers: redrawn samples give %v, kept %v", mrows, w, got[:3], want[:3])
			}
		}
		var a, b Moments
		if err := redrawn.Moments(par, 2, &a); err != nil {
			t.Fatal(err)
		}
		if err := sampled(t, family.Poisson, mrows, true).Moments(par, 1, &b); err != nil {
			t.Fatal(err)
		}
		if a.ESS != b.ESS || !sameBits(a.V, b.V) {
			t.Errorf("m = %d: moments of redrawn samples differ", mrows)
		}
	}
}

// TestGrowEqualsFresh: growing the samples from m₁ to m₂ (past a block
// boundary and past the batch size change) gives the model set with m₂
// samples at once, kept or redrawn, and a growth past the sample memory
// drops the stored samples.
func TestGrowEqualsFresh(t *testing.T) {
	par := []float64{0.2, -0.1, 0.3, 0.8, 1.3}
	m2 := 2*parallel.MaxBatches*parallel.BlockSize + 77
	want := evaluation(t, sampled(t, family.Binomial, m2, true), par, 1)
	for _, kept := range []bool{true, false} {
		m := sampled(t, family.Binomial, 1000, kept)
		for _, k := range []int{1000, 4000, m2} {
			if err := m.Grow(k, 2); err != nil {
				t.Fatal(err)
			}
		}
		if got := evaluation(t, m, par, 2); !sameBits(got, want) {
			t.Errorf("kept %v: grown samples give %v, fresh %v", kept, got[:3], want[:3])
		}
	}
	m := sampled(t, family.Binomial, 1000, true)
	m.SetSampleMemory(int64(3000 * m.q * 8))
	if err := m.Grow(4000, 1); err != nil || m.SamplesKept() {
		t.Errorf("growing past the sample memory: %v, kept %v", err, m.SamplesKept())
	}
	if err := m.Grow(10, 1); err == nil {
		t.Error("shrinking accepted")
	}
	u, _ := synthetic(t, family.Binomial, 40, 300, 6)
	if err := u.Grow(600, 1); err == nil {
		t.Error("a u-matrix grew")
	}
}

// TestBatchPartialsMergeToEvaluate: the batch partials, merged in batch
// order, are the evaluation bit for bit, and cover parallel.BatchRange.
func TestBatchPartialsMergeToEvaluate(t *testing.T) {
	par := []float64{0.2, -0.1, 0.3, 0.8, 1.3}
	mrows := 3*parallel.MaxBatches*parallel.BlockSize + 5
	m := sampled(t, family.Bernoulli, mrows, true)
	parts, err := m.BatchPartials(par, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != parallel.NumBatches(mrows) {
		t.Fatalf("%d batch partials, want %d", len(parts), parallel.NumBatches(mrows))
	}
	tot := parallel.NewPartial(m.SumsLen())
	for g, p := range parts {
		lo, hi := parallel.BatchRange(g, mrows)
		if p.Count != int64(hi-lo) {
			t.Errorf("batch %d counts %d samples, want %d", g, p.Count, hi-lo)
		}
		tot.Merge(p)
	}
	d := len(par)
	res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := m.Finish(par, tot, &res); err != nil {
		t.Fatal(err)
	}
	got := append(append([]float64{res.Value}, res.Gradient...), res.Hessian...)
	if want := evaluation(t, m, par, 1); !sameBits(got, want) {
		t.Errorf("merged batch partials %v, evaluation %v", got[:3], want[:3])
	}
}

// TestAdoptSamplesShares: a model adopting another's samples evaluates as
// one given a copy of them, without copying; a model of another shape is
// refused; a new density on the adopting model leaves the source intact.
func TestAdoptSamplesShares(t *testing.T) {
	par := []float64{0.2, -0.1, 0.3, 0.8, 1.3}
	src := sampled(t, family.Poisson, 900, true)
	want := evaluation(t, src, par, 1)
	_, d := synthetic(t, family.Poisson, 40, 1, 6)
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AdoptSamples(src); err != nil {
		t.Fatal(err)
	}
	if &m.smp.blocks[0].u[0] != &src.smp.blocks[0].u[0] {
		t.Error("the samples were copied")
	}
	if got := evaluation(t, m, par, 2); !sameBits(got, want) {
		t.Error("the adopting model evaluates differently")
	}
	other, _ := synthetic(t, family.Poisson, 40, 1, 7)
	if err := m.SetDensity(other.dens, 1); err != nil {
		t.Fatal(err)
	}
	if got := evaluation(t, src, par, 1); !sameBits(got, want) {
		t.Error("a new density on the adopting model changed the source's evaluation")
	}
	small, _ := rowModel(t, family.Poisson, 30, 2, 1, 10, 0.5, 1)
	if err := small.AdoptSamples(src); err == nil {
		t.Error("samples of another shape adopted")
	}
}
