package projbfgs

import (
	"errors"
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

func rosenbrock(x, g []float64) (float64, error) {
	a, b := 1-x[0], x[1]-x[0]*x[0]
	g[0] = -2*a - 400*x[0]*b
	g[1] = 200 * b
	return a*a + 100*b*b, nil
}

func TestRosenbrock(t *testing.T) {
	for _, c := range []struct {
		name   string
		lo, hi []float64
		want   []float64
	}{
		{"unbounded", nil, nil, []float64{1, 1}},
		{"bound inactive", []float64{-2, -2}, []float64{2, 2}, []float64{1, 1}},
		// x₁ ≤ 0.5 is active: the minimum over x₀ of (1−x₀)² + 100(0.5−x₀²)²
		// (GradTol 1e-8 relative to f ≈ 0.09 is what f's rounding resolves)
		{"bound active", []float64{-2, -2}, []float64{2, 0.5}, []float64{0.70856, 0.5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Minimize(optim.Problem{FuncGrad: rosenbrock, Lower: c.lo, Upper: c.hi}, []float64{-1.2, 1}, optim.Settings{GradTol: 1e-8})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != optim.GradientConvergence {
				t.Fatalf("status %v after %d evaluations", res.Status, res.Evals)
			}
			for i := range c.want {
				if math.Abs(res.X[i]-c.want[i]) > 1e-3 {
					t.Errorf("x = %v, want %v", res.X, c.want)
				}
			}
			t.Logf("%d iterations, %d evaluations", res.Iter, res.Evals)
		})
	}
}

// A bound variable with a zero gradient that is a local maximum along the
// variable: f = −x₀² + x₀⁴ + (x₁ − 1)² on x₀ ≥ 0, started on the bound.
// The projected gradient is zero there; the probe finds the descent.
func TestProbeLeavesSaddleOnBound(t *testing.T) {
	f := func(x, g []float64) (float64, error) {
		g[0] = -2*x[0] + 4*x[0]*x[0]*x[0]
		g[1] = 2 * (x[1] - 1)
		return -x[0]*x[0] + x[0]*x[0]*x[0]*x[0] + (x[1]-1)*(x[1]-1), nil
	}
	res, err := Minimize(optim.Problem{FuncGrad: f, Lower: []float64{0, math.Inf(-1)}}, []float64{0, 3}, optim.Settings{GradTol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Status.Converged() || math.Abs(res.X[0]-math.Sqrt(0.5)) > 1e-6 || math.Abs(res.X[1]-1) > 1e-6 {
		t.Errorf("x = %v (%v), want [√½ 1]", res.X, res.Status)
	}
	// a true minimum on the bound stays there
	g := func(x, gr []float64) (float64, error) {
		gr[0] = 2 * x[0]
		return x[0] * x[0], nil
	}
	res, err = Minimize(optim.Problem{FuncGrad: g, Lower: []float64{0}}, []float64{0}, optim.Settings{})
	if err != nil || res.X[0] != 0 || res.Status != optim.GradientConvergence {
		t.Errorf("x = %v (%v, %v), want 0 converged", res.X, res.Status, err)
	}
}

func TestLimitsAndErrors(t *testing.T) {
	if _, err := Minimize(optim.Problem{Func: func([]float64) (float64, error) { return 0, nil }}, []float64{1}, optim.Settings{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("no FuncGrad: %v", err)
	}
	if _, err := Minimize(optim.Problem{FuncGrad: rosenbrock}, []float64{math.NaN(), 1}, optim.Settings{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("NaN start: %v", err)
	}
	res, err := Minimize(optim.Problem{FuncGrad: rosenbrock}, []float64{-1.2, 1}, optim.Settings{MaxEval: 5})
	if err != nil || res.Status != optim.EvaluationLimit || res.Status.Converged() {
		t.Errorf("5 evaluations: %v %v", res.Status, err)
	}
	calls := 0
	res, err = Minimize(optim.Problem{FuncGrad: rosenbrock}, []float64{-1.2, 1},
		optim.Settings{Progress: func(int, float64, []float64) bool { calls++; return calls < 3 }})
	if !errors.Is(err, errs.ErrCancelled) || res.Status != optim.Cancelled || calls != 3 {
		t.Errorf("cancel: %v %v after %d", res.Status, err, calls)
	}
	boom := errors.New("boom")
	_, err = Minimize(optim.Problem{FuncGrad: func(x, g []float64) (float64, error) { return 0, boom }}, []float64{1}, optim.Settings{})
	if !errors.Is(err, boom) {
		t.Errorf("function error: %v", err)
	}
}
