package parallel

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glmmgo/glmmgo/core/checkpoint"
	"github.com/glmmgo/glmmgo/core/errs"
)

// accumulate feeds samples (b_k, x_k) into a fresh partial.
func accumulate(bs []float64, xs [][]float64) *Partial {
	p := NewPartial(len(xs[0]))
	for k, b := range bs {
		w := p.Weight(b)
		for i, v := range xs[k] {
			p.Sums[i] += w * v
		}
	}
	return p
}

func TestPartialMatchesDirectSum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const m = 1000
	bs := make([]float64, m)
	xs := make([][]float64, m)
	for k := range bs {
		bs[k] = 50 * r.NormFloat64() // e^b overflows for some k: the shift must handle it
		xs[k] = []float64{r.NormFloat64(), 1}
	}
	p := accumulate(bs, xs)
	a := math.Inf(-1)
	for _, b := range bs {
		a = math.Max(a, b)
	}
	var s0, s1 float64
	for k, b := range bs {
		w := math.Exp(b - a)
		s0 += w
		s1 += w * xs[k][0]
	}
	if want := a + math.Log(s0/m); math.Abs(p.LogMean()-want) > 1e-12*math.Abs(want) {
		t.Errorf("log mean %v, want %v", p.LogMean(), want)
	}
	if got, want := p.Sums[0]/p.S0, s1/s0; math.Abs(got-want) > 1e-12 {
		t.Errorf("weighted mean %v, want %v", got, want)
	}
	if got := p.Sums[1] / p.S0; math.Abs(got-1) > 1e-14 {
		t.Errorf("weights do not normalise: %v", got)
	}
}

func TestMergeEqualsWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	bs := make([]float64, 700)
	xs := make([][]float64, len(bs))
	for k := range bs {
		bs[k] = -1e3 + 30*r.NormFloat64()
		xs[k] = []float64{r.Float64(), r.Float64() * 3}
	}
	whole := accumulate(bs, xs)
	for _, cut := range []int{1, 256, 511, 699} {
		left, right := accumulate(bs[:cut], xs[:cut]), accumulate(bs[cut:], xs[cut:])
		left.Merge(right)
		if left.Count != whole.Count || math.Abs(left.LogMean()-whole.LogMean()) > 1e-12*math.Abs(whole.LogMean()) {
			t.Errorf("cut %d: merged %v/%d, whole %v/%d", cut, left.LogMean(), left.Count, whole.LogMean(), whole.Count)
		}
		for i := range whole.Sums {
			if g, w := left.Sums[i]/left.S0, whole.Sums[i]/whole.S0; math.Abs(g-w) > 1e-12 {
				t.Errorf("cut %d: mean %d merged %v whole %v", cut, i, g, w)
			}
		}
	}
}

func TestEmptyAndMinusInf(t *testing.T) {
	p := NewPartial(1)
	p.Weight(math.Inf(-1))
	if p.Count != 1 || !math.IsInf(p.LogMean(), -1) {
		t.Errorf("all-zero weights: count %d log mean %v", p.Count, p.LogMean())
	}
	q := accumulate([]float64{2}, [][]float64{{5}})
	p.Merge(q)
	if p.Count != 2 || math.Abs(p.LogMean()-(2+math.Log(0.5))) > 1e-15 || p.Sums[0] != 5 {
		t.Errorf("merge into empty: %+v", p)
	}
}

func TestFlattenRoundTripAndValidation(t *testing.T) {
	p := accumulate([]float64{1, 3}, [][]float64{{1, 2}, {3, 4}})
	buf := make([]float64, FlatLen(2))
	p.Flatten(buf)
	q := NewPartial(2)
	if err := q.Unflatten(buf, "partials"); err != nil {
		t.Fatal(err)
	}
	if q.Count != p.Count || q.Max != p.Max || q.S0 != p.S0 || q.Sums[1] != p.Sums[1] {
		t.Errorf("round trip %+v != %+v", q, p)
	}
	bad := [][]float64{
		{-1, 0, 1, 1, 0, 0},
		{1.5, 0, 1, 1, 0, 0},
		{1, math.NaN(), 1, 1, 0, 0},
		{1, 0, 0, 0, 0, 0},
		{1, 0, 1, 1, math.Inf(1), 0},
		{1, 0, 1, 0.5, 0, 0},
		{1, 0, 1, 1, 0},
	}
	for i, b := range bad {
		if err := q.Unflatten(b, "partials"); err == nil {
			t.Errorf("case %d: %v accepted", i, b)
		}
	}
}

func TestRunReportsLowestFailingTask(t *testing.T) {
	for _, w := range []int{1, 2, 8} {
		out := make([]int, 100)
		err := Run(100, w, func(_, task int) error {
			out[task] = task * task
			if task == 37 || task == 80 {
				return errTask(task)
			}
			return nil
		})
		if err != errTask(37) {
			t.Errorf("workers %d: error %v, want task 37's", w, err)
		}
	}
}

type errTask int

func (e errTask) Error() string { return "task failed" }

func TestBlocks(t *testing.T) {
	if NumBlocks(0) != 0 || NumBlocks(1) != 1 || NumBlocks(BlockSize) != 1 || NumBlocks(BlockSize+1) != 2 {
		t.Error("NumBlocks")
	}
	lo, hi := BlockRange(1, BlockSize+7)
	if lo != BlockSize || hi != BlockSize+7 {
		t.Errorf("last block [%d,%d)", lo, hi)
	}
	if Workers(0) != Available() || Workers(1) != 1 || Workers(1000) != Available() {
		t.Error("Workers")
	}
}

func TestBatches(t *testing.T) {
	for _, m := range []int{1, 255, 256, 1000, MaxBatches * BlockSize, MaxBatches*BlockSize + 1, 10_000_000} {
		s, nb, ng := BatchBlocks(m), NumBlocks(m), NumBatches(m)
		if ng > MaxBatches || (s > 1 && nb <= (s/2)*MaxBatches) {
			t.Errorf("m = %d: %d blocks in %d batches of %d", m, nb, ng, s)
		}
		next := 0
		for g := range ng {
			b0, b1 := BatchBlockRange(g, m)
			lo, hi := BatchRange(g, m)
			if b0 >= b1 || lo != next || lo != b0*BlockSize {
				t.Fatalf("m = %d batch %d: blocks [%d, %d), samples [%d, %d)", m, g, b0, b1, lo, hi)
			}
			next = hi
		}
		if next != m {
			t.Errorf("m = %d: batches end at %d", m, next)
		}
	}
	if BatchBlocks(2*MaxBatches*BlockSize) != 2 || BatchBlocks(MaxBatches*BlockSize) != 1 {
		t.Error("batch sizes are not the smallest powers of two")
	}
}

// TestESS: the partial's effective sample size is Kish's, merged or not,
// and survives a round trip through the flat form.
func TestESS(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	bs := make([]float64, 900)
	xs := make([][]float64, len(bs))
	for k := range bs {
		bs[k] = 3 * r.NormFloat64()
		xs[k] = []float64{1}
	}
	var s1, s2 float64
	for _, b := range bs {
		s1 += math.Exp(b)
		s2 += math.Exp(2 * b)
	}
	want := s1 * s1 / s2
	p := accumulate(bs[:400], xs[:400])
	p.Merge(accumulate(bs[400:], xs[400:]))
	if got := p.ESS(); math.Abs(got-want) > 1e-12*want {
		t.Errorf("ESS %v, want %v", got, want)
	}
	flat := make([]float64, FlatLen(1))
	p.Flatten(flat)
	q := NewPartial(1)
	if err := q.Unflatten(flat, "p"); err != nil || q.ESS() != p.ESS() {
		t.Errorf("round trip: %v, ESS %v", err, q.ESS())
	}
	flat[3] = flat[2] * 2 // S2 > S0
	if err := q.Unflatten(flat, "p"); err == nil {
		t.Error("an S2 above S0 accepted")
	}
	if NewPartial(0).ESS() != 0 {
		t.Error("empty partial has an ESS")
	}
}

// TestRunChecked: the checkpoint is checked while workers run, and when it
// stops no new task starts and RunChecked returns errs.ErrCancelled.
func TestRunChecked(t *testing.T) {
	for _, workers := range []int{1, 2} {
		calls := 0
		cp := checkpoint.New(func() bool { calls++; return false })
		var done atomic.Int64
		err := RunChecked(1000, workers, cp, func(_, _ int) error {
			time.Sleep(time.Millisecond)
			done.Add(1)
			return nil
		})
		if !errors.Is(err, errs.ErrCancelled) || calls != 1 || done.Load() >= 1000 {
			t.Errorf("workers %d: %v after %d calls, %d tasks run", workers, err, calls, done.Load())
		}
		if err := RunChecked(100, workers, checkpoint.New(func() bool { return true }), func(_, _ int) error { return nil }); err != nil {
			t.Errorf("workers %d: %v", workers, err)
		}
	}
}
