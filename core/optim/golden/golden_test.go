package golden

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

func TestQuadraticAndCount(t *testing.T) {
	calls := 0
	f := func(x []float64) (float64, error) {
		calls++
		return (x[0] - 0.3) * (x[0] - 0.3), nil
	}
	const tol = 1e-6
	r, err := Minimize(optim.Problem{Func: f, Lower: []float64{-1}, Upper: []float64{2}}, optim.Settings{StepTol: tol})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != optim.StepConvergence || math.Abs(r.X[0]-0.3) > tol || r.Step > tol {
		t.Errorf("%+v", r)
	}
	// Two evaluations, then one per shrink by 1/φ: the width after k shrinks
	// is 3/φ^k, so k = ⌈log(3/tol)/log φ⌉.
	want := 2 + int(math.Ceil(math.Log(3/tol)/math.Log(1/invPhi)))
	if calls != want || r.Evals != want {
		t.Errorf("%d calls, %d evaluations counted; want %d", calls, r.Evals, want)
	}
}

// TestEndpointMinimum: a decreasing function ends at the upper bound.
func TestEndpointMinimum(t *testing.T) {
	r, err := Minimize(optim.Problem{Func: func(x []float64) (float64, error) { return -x[0], nil },
		Lower: []float64{0}, Upper: []float64{1}}, optim.Settings{StepTol: 1e-8})
	if err != nil || 1-r.X[0] > 1e-8 {
		t.Errorf("%+v %v", r, err)
	}
}

func TestLimitsCancelAndErrors(t *testing.T) {
	f := func(x []float64) (float64, error) { return math.Cos(x[0]), nil }
	p := optim.Problem{Func: f, Lower: []float64{2}, Upper: []float64{4}}
	r, err := Minimize(p, optim.Settings{StepTol: 1e-12, MaxEval: 10})
	if err != nil || r.Status != optim.EvaluationLimit || r.Evals != 10 {
		t.Errorf("limit: %+v %v", r, err)
	}
	r, err = Minimize(p, optim.Settings{StepTol: 1e-6, Progress: func(k int, _ float64, _ []float64) bool { return k < 5 }})
	if err != errs.ErrCancelled || r.Status != optim.Cancelled || r.Evals != 5 {
		t.Errorf("cancel: %+v %v", r, err)
	}
	boom := errs.Numericf("f", "boom")
	if _, err := Minimize(optim.Problem{Func: func([]float64) (float64, error) { return 0, boom }, Lower: []float64{0}, Upper: []float64{1}},
		optim.Settings{StepTol: 0.1}); err != boom {
		t.Errorf("error not returned: %v", err)
	}
	for _, bad := range []optim.Problem{
		{Lower: []float64{0}, Upper: []float64{1}},
		{Func: f, Lower: []float64{1}, Upper: []float64{0}},
		{Func: f, Lower: []float64{0}, Upper: []float64{math.Inf(1)}},
		{Func: f, Lower: []float64{0, 1}, Upper: []float64{1, 2}},
	} {
		if _, err := Minimize(bad, optim.Settings{StepTol: 0.1}); errs.KindOf(err) != errs.Invalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := Minimize(p, optim.Settings{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("zero tolerance: %v", err)
	}
}
