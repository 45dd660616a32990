package mclafit

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// fakeCluster is an Evaluator standing for several processes: each Worker
// holds a contiguous range of batches, and the split is drawn at random
// at every new sample, so the fit sees arbitrary assignments of batches.
// Every worker gets its own copy of the data through the encoded spec, as
// a process on another machine would.
type fakeCluster struct {
	workers []*Worker
	bounds  []int // worker i holds batches bounds[i]..bounds[i+1]−1
	r       *rand.Rand
	d, sums int
	samples int // Sample calls
	calls   int // Partials calls
	corrupt func(req *Request, dst []float64)
}

func newFakeCluster(t testing.TB, d mcla.Data, k int, seed uint64) *fakeCluster {
	c := &fakeCluster{r: rand.New(rand.NewPCG(seed, 7)), d: d.P + d.NVC}
	for range k {
		w, err := NewWorker(d)
		if err != nil {
			t.Fatal(err)
		}
		c.workers = append(c.workers, w)
	}
	c.sums = c.workers[0].model.SumsLen()
	return c
}

func (c *fakeCluster) Sample(spec *SampleSpec) error {
	c.samples++
	enc := spec.Encode()
	nb := parallel.NumBatches(spec.M)
	k := min(len(c.workers), nb)
	// k−1 distinct random cut points in 1..nb−1.
	cuts := c.r.Perm(nb - 1)[:k-1]
	c.bounds = append(c.bounds[:0], 0, nb)
	for _, x := range cuts {
		c.bounds = append(c.bounds, x+1)
	}
	sortInts(c.bounds)
	for i := 0; i < k; i++ {
		s, err := DecodeSpec(enc, len(spec.Beta), len(spec.UStar))
		if err != nil {
			return err
		}
		if err := c.workers[i].Sample(s, c.bounds[i], c.bounds[i+1], 1); err != nil {
			return err
		}
	}
	return nil
}

func sortInts(v []int) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

func (c *fakeCluster) Partials(req *Request, dst []float64) error {
	c.calls++
	bl := len(dst) / (req.G1 - req.G0)
	for i := 0; i+1 < len(c.bounds); i++ {
		g0, g1 := max(req.G0, c.bounds[i]), min(req.G1, c.bounds[i+1])
		if g0 >= g1 {
			continue
		}
		sub := *req
		sub.G0, sub.G1 = g0, g1
		if err := c.workers[i].Partials(&sub, 1, dst[(g0-req.G0)*bl:(g1-req.G0)*bl]); err != nil {
			return err
		}
	}
	if c.corrupt != nil {
		c.corrupt(req, dst)
	}
	return nil
}

// sameFit reports the first difference between two fits, bit for bit.
func sameFit(a, b *Fit) string {
	eq := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	}
	switch {
	case !eq(a.Par(), b.Par()):
		return "estimates"
	case !eq(a.SE, b.SE) || !eq(a.MCSE, b.MCSE) || !eq(a.MCSEGlmm, b.MCSEGlmm):
		return "standard errors"
	case !eq(a.Hessian, b.Hessian) || a.Value != b.Value || a.ESS != b.ESS:
		return "value, Hessian or ESS"
	case a.M != b.M || a.Iter != b.Iter || a.Evals != b.Evals || len(a.Stages) != len(b.Stages) || a.FinalStage != b.FinalStage:
		return "m, iterations or stages"
	}
	return ""
}

// TestEvaluatorIdentical: a fit whose sample lives in several workers,
// with batches split among them at random at every new sample, is the
// in-process fit bit for bit — for glmm's single stage, for staged fits
// that grow m, with m small enough that the jackknife's groups cut
// through batches, and with m = "auto".
func TestEvaluatorIdentical(t *testing.T) {
	d := salamander(t)
	cases := []struct {
		name string
		opt  Options
	}{
		{"single stage, jackknife groups within batches", Options{M: 1500, Stages: 1, Seed: 3}},
		{"stages and growth", Options{M: 20000, PilotM: 2000, Stages: 2, Seed: 4}},
		{"auto", Options{Auto: true, PilotM: 1000, MMax: 20000, Stages: 2, Seed: 5, ESSTarget: 50}},
	}
	if raceEnabled || testing.Short() {
		cases = cases[:1]
	}
	for _, tc := range cases {
		local, err := Run(d, tc.opt)
		if err != nil {
			t.Fatal(tc.name, err)
		}
		for _, k := range []int{2, 3} {
			c := newFakeCluster(t, d, k, uint64(k))
			opt := tc.opt
			opt.Evaluator = c
			remote, err := Run(d, opt)
			if err != nil {
				t.Fatal(tc.name, err)
			}
			if why := sameFit(local, remote); why != "" {
				t.Errorf("%s, %d workers: %s differ: %v vs %v", tc.name, k, why, remote.Par(), local.Par())
			}
			t.Logf("%s, %d workers: m = %d, %d samples set, %d calls", tc.name, k, remote.M, c.samples, c.calls)
		}
	}
}

// TestEvaluatorBadPartials: an evaluator that answers with broken partials
// (a NaN, a count that is not the batch's) or fails stops the fit with an
// error naming the partials or carrying its own.
func TestEvaluatorBadPartials(t *testing.T) {
	d := salamander(t)
	cases := []struct {
		name    string
		corrupt func(req *Request, dst []float64)
		kind    errs.Kind
		msg     string
	}{
		{"NaN", func(_ *Request, dst []float64) { dst[5] = math.NaN() }, errs.Invalid, "partials"},
		{"count", func(_ *Request, dst []float64) { dst[0]++ }, errs.Invalid, "counts"},
	}
	for _, tc := range cases {
		c := newFakeCluster(t, d, 2, 1)
		c.corrupt = tc.corrupt
		_, err := Run(d, Options{M: 600, Stages: 1, Seed: 1, Evaluator: c})
		if errs.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v", tc.name, err)
		}
	}
	_, err := Run(d, Options{M: 600, Stages: 1, Seed: 1, Evaluator: failing{}})
	if err == nil || !strings.Contains(err.Error(), "worker 2 is gone") {
		t.Errorf("failing evaluator: %v", err)
	}
}

type failing struct{}

func (failing) Sample(*SampleSpec) error { return nil }
func (failing) Partials(*Request, []float64) error {
	return errs.Statef("worker 2 is gone")
}

// TestWorkerBadInput: a worker refuses a spec or request that does not fit
// its model or its batches.
func TestWorkerBadInput(t *testing.T) {
	d := salamander(t)
	w, err := NewWorker(d)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, 10)
	if err := w.Partials(&Request{Kind: BatchPartials, M: 10}, 1, dst); errs.KindOf(err) != errs.State {
		t.Errorf("partials before a sample: %v", err)
	}
	spec := &SampleSpec{M: 1000, Seed: 1, Beta: make([]float64, d.P), UStar: make([]float64, d.Q), DStar: make([]float64, d.Q), Zeta: 5, P: [3]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}}
	for j := range spec.DStar {
		spec.DStar[j] = 1
	}
	enc := spec.Encode()
	if _, err := DecodeSpec(enc[:len(enc)-1], d.P, d.Q); errs.KindOf(err) != errs.Invalid {
		t.Errorf("short spec: %v", err)
	}
	bad := append([]float64(nil), enc...)
	bad[1] = 0.5
	if _, err := DecodeSpec(bad, d.P, d.Q); errs.KindOf(err) != errs.Invalid {
		t.Errorf("m = 0.5: %v", err)
	}
	back, err := DecodeSpec(enc, d.P, d.Q)
	if err != nil || !back.sameDensity(spec) || back.M != spec.M {
		t.Fatalf("round trip: %v", err)
	}
	if err := w.Sample(back, 2, 5, 1); errs.KindOf(err) != errs.Invalid {
		t.Errorf("batches [2, 5) of 4: %v", err)
	}
	if err := w.Sample(back, 1, 3, 1); err != nil {
		t.Fatal(err)
	}
	req := &Request{Kind: BatchPartials, Par: []float64{0, 0, 0, 0, 1, 1}, M: 1000, Lo: 0, Hi: 1000, G0: 0, G1: 2}
	if err := w.Partials(req, 1, make([]float64, req.Len(w.model))); errs.KindOf(err) != errs.Invalid {
		t.Errorf("a batch the worker does not hold: %v", err)
	}
	req.G0 = 1
	if err := w.Partials(req, 1, make([]float64, req.Len(w.model))); err != nil {
		t.Errorf("its own batch: %v", err)
	}
	var res mcla.Result
	if err := w.model.Evaluate(req.Par, 1, &res); errs.KindOf(err) != errs.State {
		t.Errorf("Evaluate on part of a sample: %v", err)
	}
}
