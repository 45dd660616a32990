package lmm

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/dense"
)

// deviance at (θ, σ) with β profiled, from DevianceParts (lme4's devcomp):
// ldL2 − ldW + n·log(2πσ²) + pwrss/σ² (ML).
func devianceAtSigma(t *testing.T, m *Model, theta []float64, sigma float64) float64 {
	t.Helper()
	dp, err := m.DevianceParts(theta)
	if err != nil {
		t.Fatal(err)
	}
	n := float64(m.N())
	return dp.LogDetL - dp.LogDetW + n*math.Log(2*math.Pi*sigma*sigma) + dp.PWRSS/(sigma*sigma)
}

// TestWaldSleepstudy: the Wald standard errors of θ and σ against 2·J⁻¹,
// J the second differences of the deviance in (θ, σ) computed from the
// deviance parts (an evaluation of the objective, not its derivatives).
func TestWaldSleepstudy(t *testing.T) {
	ref := refByName(t, "sleepstudy_ml")
	m := newRef(t, ref)
	w, err := m.WaldAt(ref.Theta, false)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := m.Solve(ref.Theta, false)
	if err != nil {
		t.Fatal(err)
	}
	x := append(append([]float64(nil), ref.Theta...), sol.Sigma)
	nx := len(x)
	f := func(x []float64) float64 { return devianceAtSigma(t, m, x[:nx-1], x[nx-1]) }
	J := make([]float64, nx*nx)
	for i := 0; i < nx; i++ {
		for j := 0; j < nx; j++ {
			hi, hj := 1e-4*math.Max(1, math.Abs(x[i])), 1e-4*math.Max(1, math.Abs(x[j]))
			at := func(a, b float64) float64 {
				y := append([]float64(nil), x...)
				y[i] += a
				y[j] += b
				return f(y)
			}
			J[j*nx+i] = (at(hi, hj) - at(hi, -hj) - at(-hi, hj) + at(-hi, -hj)) / (4 * hi * hj)
		}
	}
	inv, ok := dense.InverseLU(nx, J)
	if !ok {
		t.Fatal("singular J")
	}
	for i := 0; i < nx-1; i++ {
		want := math.Sqrt(2 * inv[i*nx+i])
		if d := math.Abs(w.ThetaSE[i]-want) / want; d > 1e-3 {
			t.Errorf("SE(θ%d) = %.6g, second differences %.6g", i, w.ThetaSE[i], want)
		}
	}
	sigmaSE := w.VarCorrSE[len(w.VarCorrSE)-1]
	if want := math.Sqrt(2 * inv[nx*nx-1]); math.Abs(sigmaSE-want)/want > 1e-3 {
		t.Errorf("SE(σ) = %.6g, second differences %.6g", sigmaSE, want)
	}
	t.Logf("SE θ %v, VarCorr SE %v", w.ThetaSE, w.VarCorrSE)
	for i, v := range w.VarCorrSE {
		if !(v > 0) {
			t.Errorf("VarCorr SE[%d] = %g", i, v)
		}
	}
}

// TestWaldDyestuff2: θ̂ = 0 on its bound has no Wald SE (NaN); σ's is the
// closed form σ/√(2n) of a model without random effects.
func TestWaldDyestuff2(t *testing.T) {
	ref := refByName(t, "dyestuff2_ml")
	m := newRef(t, ref)
	w, err := m.WaldAt([]float64{0}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(w.ThetaSE[0]) {
		t.Errorf("SE(θ) on the bound = %g, want NaN", w.ThetaSE[0])
	}
	sol, _ := m.Solve([]float64{0}, false)
	want := sol.Sigma / math.Sqrt(2*float64(m.N()))
	if got := w.VarCorrSE[len(w.VarCorrSE)-1]; math.Abs(got-want)/want > 1e-8 {
		t.Errorf("SE(σ) = %.12g, closed form %.12g", got, want)
	}
}
