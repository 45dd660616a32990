package neldermead

import (
	"errors"
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

func minimize(f func(x []float64) (float64, error), x0 []float64, set optim.Settings) (*optim.Result, error) {
	return Minimize(optim.Problem{Func: f}, x0, set)
}

func TestRosenbrockAndQuadratic(t *testing.T) {
	rosen := func(x []float64) (float64, error) {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		return a*a + 100*b*b, nil
	}
	r, err := minimize(rosen, []float64{-1.2, 1}, optim.Settings{})
	if err != nil || r.Status != optim.StepConvergence || math.Abs(r.X[0]-1) > 1e-5 || math.Abs(r.X[1]-1) > 1e-5 {
		t.Errorf("Rosenbrock: %+v %v", r, err)
	}
	// A 1-D problem (PQL with one variance component) and a 3-D bowl.
	one, err := minimize(func(x []float64) (float64, error) { return (x[0] - 1.3) * (x[0] - 1.3), nil }, []float64{1}, optim.Settings{})
	if err != nil || math.Abs(one.X[0]-1.3) > 1e-6 {
		t.Errorf("1-D: %+v %v", one, err)
	}
	bowl := func(x []float64) (float64, error) {
		return (x[0]-1)*(x[0]-1) + 3*(x[1]+2)*(x[1]+2) + 0.5*(x[2]-0.25)*(x[2]-0.25) + 0.3*(x[0]-1)*(x[1]+2), nil
	}
	b, _ := minimize(bowl, []float64{0, 0, 0}, optim.Settings{})
	for i, w := range []float64{1, -2, 0.25} {
		if math.Abs(b.X[i]-w) > 1e-5 {
			t.Errorf("bowl x[%d] = %g, want %g", i, b.X[i], w)
		}
	}
}

func TestInfinityAvoidedAndErrorsStop(t *testing.T) {
	// +Inf below 0.5 is a wall; the minimum is at 0.7.
	f := func(x []float64) (float64, error) {
		if x[0] < 0.5 {
			return math.Inf(1), nil
		}
		return (x[0] - 0.7) * (x[0] - 0.7), nil
	}
	r, err := minimize(f, []float64{2}, optim.Settings{})
	if err != nil || math.Abs(r.X[0]-0.7) > 1e-5 {
		t.Errorf("wall: %+v %v", r, err)
	}
	boom := errors.New("boom")
	calls := 0
	_, err = minimize(func(x []float64) (float64, error) {
		calls++
		if calls == 5 {
			return 0, boom
		}
		return x[0] * x[0], nil
	}, []float64{1, 1}, optim.Settings{})
	if err != boom {
		t.Errorf("error not propagated: %v", err)
	}
	if _, err := minimize(f, nil, optim.Settings{}); err == nil {
		t.Error("empty start accepted")
	}
	if _, err := Minimize(optim.Problem{}, []float64{1}, optim.Settings{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("no function: %v", err)
	}
	r, _ = minimize(func(x []float64) (float64, error) { return -x[0], nil }, []float64{0}, optim.Settings{MaxEval: 50})
	if r.Status != optim.EvaluationLimit || r.Evals > 52 {
		t.Errorf("unbounded problem: %+v", r)
	}
}

func TestProgressCancels(t *testing.T) {
	calls := 0
	r, err := minimize(func(x []float64) (float64, error) { return x[0] * x[0], nil }, []float64{3}, optim.Settings{
		Progress: func(iter int, f float64, x []float64) bool {
			calls++
			return iter < 4
		}})
	if err != errs.ErrCancelled || calls != 4 || r == nil || r.Status != optim.Cancelled || r.Iter != 4 {
		t.Errorf("cancel: %+v %v after %d calls", r, err, calls)
	}
}
