package trust

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// rosen is Rosenbrock's function with exact derivatives.
func rosen(x, g, h []float64) (float64, error) {
	a, b := 1-x[0], x[1]-x[0]*x[0]
	g[0] = -2*a - 400*x[0]*b
	g[1] = 200 * b
	h[0] = 2 - 400*b + 800*x[0]*x[0]
	h[1] = -400 * x[0]
	h[2] = h[1]
	h[3] = 200
	return a*a + 100*b*b, nil
}

func problem(f func(x, g, h []float64) (float64, error)) optim.Problem {
	return optim.Problem{FuncGradHess: f}
}

func TestRosenbrock(t *testing.T) {
	r, err := Minimize(problem(rosen), []float64{-1.2, 1}, optim.Settings{InitStep: 1, MaxStep: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Status.Converged() || math.Abs(r.X[0]-1) > 1e-6 || math.Abs(r.X[1]-1) > 1e-6 {
		t.Errorf("%+v", r)
	}
	if r.Iter > 60 {
		t.Errorf("%d iterations", r.Iter)
	}
	// Value, gradient and Hessian are those of the returned point.
	g, h := make([]float64, 2), make([]float64, 4)
	f, _ := rosen(r.X, g, h)
	if f != r.F || g[0] != r.Gradient[0] || h[3] != r.Hessian[3] {
		t.Error("result's derivatives are not at its point")
	}
}

// TestDomainShrinks: x − log x has its minimum at 1 and is +∞ for x ≤ 0;
// the first Newton step from 5 leaves the domain and must be rejected.
func TestDomainShrinks(t *testing.T) {
	outside := 0
	f := func(x, g, h []float64) (float64, error) {
		if x[0] <= 0 {
			outside++
			return math.Inf(1), errs.Domainf("par", "x = %g", x[0])
		}
		g[0] = 1 - 1/x[0]
		h[0] = 1 / (x[0] * x[0])
		return x[0] - math.Log(x[0]), nil
	}
	r, err := Minimize(problem(f), []float64{5}, optim.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Status.Converged() || math.Abs(r.X[0]-1) > 1e-6 || outside == 0 {
		t.Errorf("%+v after %d points outside the domain", r, outside)
	}
	if _, err := Minimize(problem(f), []float64{-1}, optim.Settings{}); errs.KindOf(err) != errs.Domain {
		t.Errorf("infeasible start: %v", err)
	}
}

// TestIndefiniteAndHardCase: (x²−1)² + y² starting at the saddle (0, 0),
// where the gradient vanishes and the Hessian is indefinite (trust's hard
// case), and at (0.1, 0.5) (boundary steps).
func TestIndefiniteAndHardCase(t *testing.T) {
	f := func(x, g, h []float64) (float64, error) {
		a := x[0]*x[0] - 1
		g[0], g[1] = 4*x[0]*a, 2*x[1]
		h[0], h[1], h[2], h[3] = 12*x[0]*x[0]-4, 0, 0, 2
		return a*a + x[1]*x[1], nil
	}
	for _, x0 := range [][]float64{{0, 0}, {0.1, 0.5}} {
		r, err := Minimize(problem(f), x0, optim.Settings{InitStep: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Status.Converged() || math.Abs(math.Abs(r.X[0])-1) > 1e-5 || math.Abs(r.X[1]) > 1e-5 {
			t.Errorf("from %v: %+v", x0, r)
		}
	}
}

func TestNewtonOnQuadratic(t *testing.T) {
	// A convex quadratic: one Newton step, then a step with zero change.
	f := func(x, g, h []float64) (float64, error) {
		g[0], g[1] = 2*(x[0]-3)+(x[1]+1), (x[0]-3)+4*(x[1]+1)
		h[0], h[1], h[2], h[3] = 2, 1, 1, 4
		return (x[0]-3)*(x[0]-3) + (x[0]-3)*(x[1]+1) + 2*(x[1]+1)*(x[1]+1), nil
	}
	r, err := Minimize(problem(f), []float64{0, 0}, optim.Settings{})
	if err != nil || r.Iter > 2 || math.Abs(r.X[0]-3) > 1e-12 || math.Abs(r.X[1]+1) > 1e-12 {
		t.Errorf("%+v %v", r, err)
	}
	if r.Status != optim.ValueConvergence {
		t.Errorf("status %v", r.Status)
	}
}

func TestProgressCancelsAndLimits(t *testing.T) {
	calls := 0
	r, err := Minimize(problem(rosen), []float64{-1.2, 1}, optim.Settings{InitStep: 1, Progress: func(iter int, v float64, x []float64) bool {
		calls++
		return iter < 3
	}})
	if err != errs.ErrCancelled || calls != 3 || r == nil || r.Iter != 3 || r.Status != optim.Cancelled {
		t.Errorf("cancel: %v after %d calls", err, calls)
	}
	r, err = Minimize(problem(rosen), []float64{-1.2, 1}, optim.Settings{InitStep: 1, MaxIter: 2})
	if err != nil || r.Status != optim.IterationLimit || r.Iter != 2 {
		t.Errorf("iterlim: %+v %v", r, err)
	}
	if _, err := Minimize(problem(rosen), []float64{math.NaN(), 1}, optim.Settings{}); err == nil {
		t.Error("NaN start accepted")
	}
	if _, err := Minimize(problem(rosen), []float64{0, 1}, optim.Settings{InitStep: 10, MaxStep: 1}); err == nil {
		t.Error("rmax < rinit accepted")
	}
	if _, err := Minimize(optim.Problem{}, []float64{0, 1}, optim.Settings{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("no derivatives: %v", err)
	}
}
