package lmm

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

func refByName(t *testing.T, name string) refdata.Reference {
	t.Helper()
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no reference %s", name)
	return refdata.Reference{}
}

// TestHessianSleepstudySeed checks both Hessians of sleepstudy's ML
// deviance at lme4's optimum against MixedModels.jl's published
// ForwardDiff values (MixedModels.jl documentation, "Gradient and Hessian
// via ForwardDiff.jl"): its Hessian is the σ-fixed one, at its own,
// slightly different optimum, hence 2e-3; the profiled Hessian at the same
// θ̂ (computed with ForwardDiff on the profiled objective) to 1e-3.
func TestHessianSleepstudySeed(t *testing.T) {
	ref := refByName(t, "sleepstudy_ml")
	m := newRef(t, ref)
	fixed := []float64{45.4126, 35.9366, 6.35492, 35.9366, 465.74, 203.992, 6.35492, 203.992, 963.952}
	profiled := []float64{40.891, 31.522, -14.530, 31.522, 461.446, 183.617, -14.530, 183.617, 867.588}
	for _, c := range []struct {
		mode SigmaMode
		want []float64
		tol  float64
	}{{SigmaFixed, fixed, 2e-3}, {SigmaProfiled, profiled, 1e-3}} {
		h := make([]float64, 9)
		if err := m.Hessian(ref.Theta, false, c.mode, h); err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: %.6g", c.mode, h)
		for i := range h {
			if d := math.Abs(h[i]-c.want[i]) / math.Abs(c.want[i]); d > c.tol {
				t.Errorf("%v Hessian[%d] = %.6g, MixedModels.jl %.6g (rel %.2g)", c.mode, i, h[i], c.want[i], d)
			}
		}
	}
	g := make([]float64, 3)
	if _, err := m.Gradient(ref.Theta, false, g); err != nil {
		t.Fatal(err)
	}
	for i, v := range g { // lme4's optimum: the gradient is the optimiser's tolerance
		if math.Abs(v) > 2e-3 {
			t.Errorf("gradient[%d] = %g at lme4's optimum", i, v)
		}
	}
}

// TestHessianDyestuff2Seed: θ̂ = 0 on the bound; the gradient is exactly 0
// there (Λ = 0 makes ∂A and ũ vanish) and MixedModels.jl's Hessian is
// 28.76868076413998.
func TestHessianDyestuff2Seed(t *testing.T) {
	ref := refByName(t, "dyestuff2_ml")
	m := newRef(t, ref)
	g := make([]float64, 1)
	if _, err := m.Gradient([]float64{0}, false, g); err != nil {
		t.Fatal(err)
	}
	if g[0] != 0 {
		t.Errorf("gradient %g at θ = 0, want exactly 0", g[0])
	}
	for _, mode := range []SigmaMode{SigmaFixed, SigmaProfiled} {
		h := make([]float64, 1)
		if err := m.Hessian([]float64{0}, false, mode, h); err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(h[0]-28.76868076413998) / 28.76868076413998; d > 1e-6 {
			t.Errorf("%v Hessian %.12g, MixedModels.jl 28.76868076413998 (rel %.2g)", mode, h[0], d)
		}
	}
}

// TestHessianFiniteDifferences checks the profiled Hessian against second
// differences of the objective on the reference models.
func TestHessianFiniteDifferences(t *testing.T) {
	for _, name := range []string{"sleepstudy_reml", "penicillin_ml", "pastes_ml", "dyestuff_reml"} {
		ref := refByName(t, name)
		m := newRef(t, ref)
		th := ref.ObjectiveAt[1].Theta
		nt := len(th)
		h := make([]float64, nt*nt)
		if err := m.Hessian(th, ref.REML, SigmaProfiled, h); err != nil {
			t.Fatal(err)
		}
		f := func(x []float64) float64 { v, _ := m.Objective(x, ref.REML); return v }
		for i := 0; i < nt; i++ {
			for j := 0; j < nt; j++ {
				e := 1e-4 * math.Max(1, math.Abs(th[i]))
				ej := 1e-4 * math.Max(1, math.Abs(th[j]))
				at := func(di, dj float64) float64 {
					x := append([]float64(nil), th...)
					x[i] += di
					x[j] += dj
					return f(x)
				}
				fd := (at(e, ej) - at(e, -ej) - at(-e, ej) + at(-e, -ej)) / (4 * e * ej)
				if d := math.Abs(h[j*nt+i]-fd) / math.Max(1, math.Abs(fd)); d > 1e-4 {
					t.Errorf("%s: H[%d,%d] = %.8g, second differences %.8g", name, i, j, h[j*nt+i], fd)
				}
			}
		}
	}
}
