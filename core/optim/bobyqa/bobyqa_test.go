package bobyqa

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// box minimises f within [lo, hi] by BOBYQA.
func box(f func([]float64) (float64, error), x0, lo, hi []float64, set optim.Settings) (*optim.Result, error) {
	return Minimize(optim.Problem{Func: f, Lower: lo, Upper: hi}, x0, set)
}

func inf(n int, sign float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Inf(int(sign))
	}
	return v
}

func TestRosenbrock(t *testing.T) {
	f := func(x []float64) (float64, error) {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		return a*a + 100*b*b, nil
	}
	res, err := box(f, []float64{-1.2, 1}, inf(2, -1), inf(2, 1), optim.Settings{InitStep: 0.1, StepTol: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.X[0]-1) > 1e-5 || math.Abs(res.X[1]-1) > 1e-5 || res.Status != optim.StepConvergence {
		t.Fatalf("x = %v after %d evaluations (%v)", res.X, res.Evals, res.Status)
	}
	t.Logf("Rosenbrock: %d evaluations, f = %g", res.Evals, res.F)
}

// TestBoundActive: the unconstrained minimum (−1, 2, −3, 0.5) violates the
// bounds x ≥ 0 in two coordinates; the solution is (0, 2, 0, 0.5).
func TestBoundActive(t *testing.T) {
	c := []float64{-1, 2, -3, 0.5}
	f := func(x []float64) (float64, error) {
		s := 0.0
		for i := range x {
			d := x[i] - c[i]
			s += float64(i+1) * d * d
		}
		s += 0.3 * (x[0] - c[0]) * (x[1] - c[1])
		return s, nil
	}
	lo := []float64{0, 0, 0, 0}
	res, err := box(f, []float64{1, 1, 1, 1}, lo, inf(4, 1), optim.Settings{StepTol: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	// With x₀ = 0 fixed, the x₁ term is minimised at x₁ = 2 + 0.3·1/(2·2)... solve exactly:
	// ∂/∂x₁: 4(x₁−2) + 0.3(x₀+1) = 0 at x₀ = 0 → x₁ = 2 − 0.075.
	want := []float64{0, 2 - 0.075, 0, 0.5}
	for i := range want {
		if math.Abs(res.X[i]-want[i]) > 1e-6 {
			t.Fatalf("x = %v, want %v (%d evaluations)", res.X, want, res.Evals)
		}
	}
	if res.X[0] < 0 || res.X[2] < 0 {
		t.Fatalf("bounds violated: %v", res.X)
	}
	t.Logf("bounded quadratic: %d evaluations", res.Evals)
}

// TestStartOnBound: the minimum is at the bound the start sits on.
func TestStartOnBound(t *testing.T) {
	f := func(x []float64) (float64, error) { return (x[0]+1)*(x[0]+1) + (x[1]-0.3)*(x[1]-0.3), nil }
	res, err := box(f, []float64{0, 1}, []float64{0, 0}, inf(2, 1), optim.Settings{StepTol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	if res.X[0] != 0 || math.Abs(res.X[1]-0.3) > 1e-7 {
		t.Fatalf("x = %v", res.X)
	}
}

func TestHigherDimension(t *testing.T) {
	// a convex non-separable function of 8 variables
	n := 8
	f := func(x []float64) (float64, error) {
		s := 0.0
		for i := 0; i < n; i++ {
			d := x[i] - float64(i)/4
			s += d * d * (1 + float64(i))
			if i > 0 {
				s += 0.5 * d * (x[i-1] - float64(i-1)/4)
			}
			s += math.Pow(d, 4)
		}
		return s, nil
	}
	res, err := box(f, make([]float64, n), inf(n, -1), inf(n, 1), optim.Settings{InitStep: 0.5, StepTol: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	if res.F > 1e-10 {
		t.Fatalf("f = %g at %v after %d evaluations", res.F, res.X, res.Evals)
	}
	t.Logf("8 variables: %d evaluations", res.Evals)
}

// TestSettingsRefused: settings that cannot work are refused before any
// evaluation, naming the setting: an infinite or NaN radius, a final radius
// below double precision at the start, an evaluation budget below the
// initial points, and an interpolation system beyond the memory limit.
func TestSettingsRefused(t *testing.T) {
	if err := budget.SetLimit(1 << 30); err != nil { // the same outcome on every machine
		t.Fatal(err)
	}
	defer budget.SetLimit(0)
	evals := 0
	f := func(x []float64) (float64, error) { evals++; return x[0] * x[0], nil }
	for _, tc := range []struct {
		n    int
		set  optim.Settings
		arg  string
		kind errs.Kind
	}{
		{1, optim.Settings{InitStep: math.Inf(1)}, "rhobeg", errs.Invalid},
		{1, optim.Settings{InitStep: math.NaN()}, "rhobeg", errs.Invalid},
		{1, optim.Settings{StepTol: math.NaN()}, "rhoend", errs.Invalid},
		{1, optim.Settings{StepTol: 5e-324}, "rhoend", errs.Invalid},
		{1, optim.Settings{StepTol: 1e-17}, "rhoend", errs.Invalid},
		{1, optim.Settings{MaxEval: 3}, "maxeval", errs.Invalid},
		{20100, optim.Settings{MaxEval: 100000}, "x", errs.Resource},
	} {
		evals = 0
		_, err := box(f, make([]float64, tc.n), inf(tc.n, -1), inf(tc.n, 1), tc.set)
		var e *errs.Error
		if !errors.As(err, &e) || e.Arg != tc.arg || e.Kind != tc.kind || evals != 0 {
			t.Errorf("n = %d, %+v: got %v after %d evaluations, want %v naming %s before any", tc.n, tc.set, err, evals, tc.kind, tc.arg)
		}
	}
}

func TestCancelAndErrors(t *testing.T) {
	f := func(x []float64) (float64, error) { return x[0] * x[0], nil }
	_, err := box(f, []float64{1}, inf(1, -1), inf(1, 1), optim.Settings{Progress: func(k int, _ float64, _ []float64) bool { return k < 3 }})
	if !errors.Is(err, errs.ErrCancelled) {
		t.Fatalf("want cancellation, got %v", err)
	}
	bad := errs.Numericf("f", "boom")
	_, err = box(func([]float64) (float64, error) { return 0, bad }, []float64{1}, inf(1, -1), inf(1, 1), optim.Settings{})
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Numeric || e.Arg != "start" || !strings.Contains(e.Msg, "f: boom") {
		t.Fatalf("want the objective's error at the start, got %v", err)
	}
	_, err = box(func(x []float64) (float64, error) {
		if x[0] > 1 {
			return 0, bad
		}
		return 0, nil
	}, []float64{1}, inf(1, -1), inf(1, 1), optim.Settings{InitStep: 0.5})
	if !errors.As(err, &e) || e.Arg != "rhobeg" || !strings.Contains(e.Msg, "f: boom") {
		t.Fatalf("want the objective's error at an initial point, named rhobeg, got %v", err)
	}
	res, err := box(f, []float64{1, 2}, inf(2, -1), inf(2, 1), optim.Settings{MaxEval: 8})
	if err != nil || res.Status != optim.EvaluationLimit || res.Evals > 8 {
		t.Fatalf("budget: %v %v %d", err, res.Status, res.Evals)
	}
	for _, tc := range []struct {
		x0, lo, hi []float64
	}{
		{[]float64{}, nil, nil},
		{[]float64{math.NaN()}, []float64{0}, []float64{1}},
		{[]float64{0}, []float64{1}, []float64{0}},
		{[]float64{0}, []float64{0}, []float64{1, 2}},
	} {
		if _, err := box(f, tc.x0, tc.lo, tc.hi, optim.Settings{}); errs.KindOf(err) != errs.Invalid {
			t.Errorf("%v: want an invalid-argument error, got %v", tc, err)
		}
	}
}
