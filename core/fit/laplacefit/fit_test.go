package laplacefit

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
)

// TestOptionsChecked: bad options are invalid-argument (or domain) errors
// naming their option, before any work.
func TestOptionsChecked(t *testing.T) {
	m := modelOf(t, "cbpp")
	cases := []struct {
		name string
		opt  Options
		arg  string
	}{
		{"nAGQ too large", Options{NAGQ: 26}, "nAGQ"},
		{"nAGQ negative", Options{NAGQ: -1}, "nAGQ"},
		{"nAGQ with fast", Options{NAGQ: 5, Fast: true}, "nAGQ"},
		{"start length", Options{Start: []float64{1, 2}}, "start"},
		{"start NaN", Options{Start: []float64{math.NaN()}}, "start"},
		{"start below bound", Options{Start: []float64{-1}}, "start"},
		{"negative workers", Options{Workers: -2}, "workers"},
		{"rhoend above rhobeg", Options{Rhobeg: 0.1, Rhoend: 0.2}, "rhobeg"},
		{"negative maxeval", Options{MaxEval: -1}, "maxeval"},
	}
	for _, c := range cases {
		_, err := Fit(m, c.opt)
		var e *errs.Error
		if !errors.As(err, &e) || e.Arg != c.arg || (e.Kind != errs.Invalid && e.Kind != errs.Domain) {
			t.Errorf("%s: got %v, want an error naming %s", c.name, err, c.arg)
		}
	}
	if _, err := Fit(modelOf(t, "VerbAgg"), Options{NAGQ: 3}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("quadrature with two terms: %v", err)
	}
}

// TestFastFitReport: a fast fit reports conditional standard errors, a
// gradient in θ near zero, no slow stage, and the start it used.
func TestFastFitReport(t *testing.T) {
	r, err := Fit(modelOf(t, "cbpp"), Options{Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.SEMethod != "conditional" || r.SlowStage.Evals != 0 || !r.Converged || len(r.Gradient) != 1 || r.Hessian != nil {
		t.Errorf("fast fit report: %+v", r)
	}
	if math.Abs(r.Gradient[0]) > 1e-2 {
		t.Errorf("gradient %g at the optimum", r.Gradient[0])
	}
	if r.Start.Theta == nil || math.IsNaN(r.Start.Objective) {
		t.Errorf("start report %+v", r.Start)
	}
	if r.Deviance-r.MinusTwoLogLik != 2*r.SaturatedLogLik || math.Abs(-2*r.SaturatedLogLik-83.95671) > 1e-5 {
		t.Errorf("scales: −2 log L %.6f, deviance %.6f, saturated %.6f", r.MinusTwoLogLik, r.Deviance, r.SaturatedLogLik)
	}
}

// TestSlowFitReport: at a slow fit's optimum the Newton step H⁻¹g (in
// (θ, β)) is below 1e−3 standard errors, the Hessian gives the standard
// errors, and the AIC counts θ and β.
func TestSlowFitReport(t *testing.T) {
	r, err := Fit(modelOf(t, "Mmmec"), Options{NAGQ: 11})
	if err != nil {
		t.Fatal(err)
	}
	if r.SEMethod != "hessian" || len(r.Gradient) != 3 || len(r.Hessian) != 9 || r.NPar != 3 {
		t.Fatalf("slow fit report: %+v", r)
	}
	n := 3
	for i := 0; i < n; i++ {
		var step float64 // (H⁻¹g)ᵢ = (ParVcov·g/2)ᵢ
		for j := 0; j < n; j++ {
			step += r.ParVcov[j*n+i] * r.Gradient[j] / 2
		}
		if se := math.Sqrt(r.ParVcov[i*n+i]); math.Abs(step) > 1e-3*se {
			t.Errorf("parameter %d: a Newton step of %g (%g SE) remains", i, step, step/se)
		}
	}
	if math.Abs(r.AIC-(r.MinusTwoLogLik+6)) > 1e-12 {
		t.Errorf("AIC %g, −2 log L %g", r.AIC, r.MinusTwoLogLik)
	}
}

// TestWorkersSameResult: one and two workers give bit-identical fits (the
// factor's own bit-identity across workers, on factors large enough to
// split, is package lmm's TestSetWorkersSameBits).
func TestWorkersSameResult(t *testing.T) {
	var first *Result
	for _, w := range []int{1, 2} {
		r, err := Fit(modelOf(t, "Contraception"), Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r
			continue
		}
		same := r.MinusTwoLogLik == first.MinusTwoLogLik && r.SlowStage.Evals == first.SlowStage.Evals
		for i := range r.Beta {
			same = same && r.Beta[i] == first.Beta[i] && r.SE[i] == first.SE[i]
		}
		for i := range r.Theta {
			same = same && r.Theta[i] == first.Theta[i]
		}
		if !same {
			t.Errorf("2 workers differ from 1: %v %v vs %v %v", r.Theta, r.Beta, first.Theta, first.Beta)
		}
	}
}

// TestCancel: the progress callback stops a fit with ErrCancelled.
func TestCancel(t *testing.T) {
	calls := 0
	_, err := Fit(modelOf(t, "cbpp"), Options{Progress: func(st Stage, eval int, f float64, x []float64) bool {
		calls++
		return st != StageSlow || eval < 5
	}})
	if !errors.Is(err, errs.ErrCancelled) || calls == 0 {
		t.Errorf("got %v after %d calls", err, calls)
	}
}

// TestStartGiven: a start of θ and β skips the fast stage and reaches the
// same optimum.
func TestStartGiven(t *testing.T) {
	m := modelOf(t, "cbpp")
	r, err := Fit(m, Options{Start: []float64{0.6, -1.4, -1, -1.1, -1.6}})
	if err != nil {
		t.Fatal(err)
	}
	if r.FastStage.Evals != 0 || !r.Converged || math.Abs(r.MinusTwoLogLik-184.0526) > 1e-3 {
		t.Errorf("fast evals %d, converged %v, −2 log L %.5f", r.FastStage.Evals, r.Converged, r.MinusTwoLogLik)
	}
}

// TestSingularFit: a fit whose variance goes to zero is flagged, with
// conditional standard errors (the Hessian would step outside θ ≥ 0).
func TestSingularFit(t *testing.T) {
	g, d := singularData()
	m, err := laplace.New(d)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	r, err := Fit(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Singular || r.SEMethod != "conditional" {
		t.Errorf("θ %v: singular %v, SEs %s", r.Theta, r.Singular, r.SEMethod)
	}
	if math.Abs(r.Beta[0]-g) > 1e-3 {
		t.Errorf("β %v, want logit(0.4) = %g", r.Beta, g)
	}
}

// TestProgressPoint: the slow stage reports its points as (θ, β), not in
// the optimiser's coordinates: the Laplace objective at a reported point
// is the reported value.
func TestProgressPoint(t *testing.T) {
	m := modelOf(t, "cbpp")
	var x []float64
	var f float64
	_, err := Fit(m, Options{Progress: func(st Stage, eval int, v float64, p []float64) bool {
		if st == StageSlow && eval == 7 {
			x, f = append([]float64(nil), p...), v
		}
		return true
	}})
	if err != nil || len(x) != 5 {
		t.Fatalf("%v, point %v", err, x)
	}
	m2 := modelOf(t, "cbpp")
	v, err := m2.Laplace(x[:1], x[1:])
	if err != nil || math.Abs(v-f) > 1e-8*math.Abs(f) {
		t.Errorf("objective at the reported point %.10g, reported %.10g (%v)", v, f, err)
	}
}

// TestConfInt: the Wald interval is β̂ ∓ 1.959964·SE at 95%, and a level
// outside (0, 1) is an error naming it.
func TestConfInt(t *testing.T) {
	r := &Result{Beta: []float64{1, -2}, SE: []float64{0.5, 0.25}}
	lo, hi, err := r.ConfInt(0.95)
	if err != nil || math.Abs(lo[0]-(1-1.959963984540054*0.5)) > 1e-12 || math.Abs(hi[1]-(-2+1.959963984540054*0.25)) > 1e-12 {
		t.Errorf("%v %v %v", lo, hi, err)
	}
	if _, _, err := r.ConfInt(1); err == nil || !strings.Contains(err.Error(), "level") {
		t.Errorf("level 1: %v", err)
	}
}
