package lmm

import (
	"fmt"
	"math"
	"sort"
	"testing"
)

// fdGradient returns finite differences of the criterion with steps h·max(1, |θᵢ|):
// central of fourth order, or one-sided of second order where θᵢ sits on its bound.
func fdGradient(t *testing.T, m *Model, theta []float64, reml bool, h0 float64) []float64 {
	t.Helper()
	g := make([]float64, len(theta))
	th := append([]float64(nil), theta...)
	lower := m.Lower()
	for i := range theta {
		h := h0 * math.Max(1, math.Abs(theta[i]))
		at := func(d float64) float64 {
			th[i] = theta[i] + d
			v, err := m.Objective(th, reml)
			if err != nil {
				t.Fatal(err)
			}
			th[i] = theta[i]
			return v
		}
		if theta[i]-2*h < lower[i] {
			g[i] = (-3*at(0) + 4*at(h) - at(2*h)) / (2 * h)
		} else {
			g[i] = (8*(at(h)-at(-h)) - (at(2*h) - at(-2*h))) / (12 * h)
		}
	}
	return g
}

// checkGradient compares Gradient with finite differences at θ: each
// element within tol relative to the gradient's largest element (or 1),
// plus the differences' own error — their rounding, 1e-12·|f|/h, and their
// change when the step is halved.
func checkGradient(t *testing.T, m *Model, theta []float64, reml bool, tol float64) {
	t.Helper()
	got := make([]float64, m.NTheta())
	v, err := m.Gradient(theta, reml, got)
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-5
	coarse := fdGradient(t, m, theta, reml, 2*h)
	want := fdGradient(t, m, theta, reml, h)
	if v0, _ := m.Objective(theta, reml); v != v0 {
		t.Errorf("value %g, Objective %g", v, v0)
	}
	scale := 1.0
	for _, g := range want {
		scale = math.Max(scale, math.Abs(g))
	}
	for i := range got {
		fdErr := 1e-12*math.Abs(v)/h + math.Abs(coarse[i]-want[i])
		if d := math.Abs(got[i] - want[i]); d > tol*scale+fdErr || math.IsNaN(d) {
			t.Errorf("θ=%v reml=%v: ∂/∂θ%d = %.10g, finite differences %.10g (diff %.2g, allowed %.2g)", theta, reml, i, got[i], want[i], d, tol*scale+fdErr)
		}
	}
}

func TestGradientFiniteDifferencesReference(t *testing.T) {
	for _, ref := range references(t) {
		if ref.NObs > 10000 {
			continue
		}
		t.Run(ref.Name, func(t *testing.T) {
			m := newRef(t, ref)
			for _, oa := range ref.ObjectiveAt {
				for _, reml := range []bool{false, true} {
					checkGradient(t, m, oa.Theta, reml, 1e-6)
				}
			}
		})
	}
}

func TestGradientFiniteDifferencesSynthetic(t *testing.T) {
	models := syntheticModels()
	models["nested"] = nested(11, 120, 30, 600)
	models["locallycrossed"] = locallyCrossed(12, 8, 4, 6, 3, true, true)
	models["randomcrossed"] = randomCrossed(13, 40, 30, 5)
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, kind := range []FactorKind{FactorDense, FactorSparse} {
			d := models[name]
			d.Factor = kind
			t.Run(fmt.Sprintf("%s/%v", name, kind), func(t *testing.T) {
				m, err := New(d)
				if err != nil {
					t.Fatal(err)
				}
				defer m.Close()
				if kind == FactorSparse && m.Factor().Kind != FactorSparse {
					t.Skip("not sparse")
				}
				for _, th := range syntheticThetas(m.Lower()) {
					for _, reml := range []bool{false, true} {
						checkGradient(t, m, th, reml, 1e-6)
					}
				}
			})
		}
	}
}

// TestGradientAllocatesNothing: after the first call on a model, Gradient
// allocates nothing (ML and REML), with either trailing factor.
func TestGradientAllocatesNothing(t *testing.T) {
	for _, c := range []struct {
		name string
		kind FactorKind
	}{{"sleepstudy_reml", FactorDense}, {"penicillin_ml", FactorDense}, {"pastes_ml", FactorDense}, {"penicillin_ml", FactorSparse}, {"pastes_ml", FactorSparse}} {
		name := c.name
		ref := refByName(t, name)
		d := buildData(t, ref)
		d.Factor = c.kind
		m, err := New(d)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		g := make([]float64, m.NTheta())
		for _, reml := range []bool{false, true} {
			if _, err := m.Gradient(ref.Theta, reml, g); err != nil {
				t.Fatal(err)
			}
			if n := testing.AllocsPerRun(5, func() { m.Gradient(ref.Theta, reml, g) }); n != 0 {
				t.Errorf("%s reml=%v: %v allocations per gradient", name, reml, n)
			}
		}
	}
}

// TestGradientInstEval: the gradient on InstEval (n = 73 421, a dense
// trailing block of 1128 lecturers and the sparse one) against finite
// differences, ML and REML. Skipped with -short and under the race
// detector (minutes there).
func TestGradientInstEval(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("InstEval: long")
	}
	ref := refByName(t, "insteval_ml")
	for _, kind := range []FactorKind{FactorDense, FactorSparse} {
		d := buildData(t, ref)
		d.Factor = kind
		m, err := New(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, reml := range []bool{false, true} {
			checkGradient(t, m, ref.ObjectiveAt[1].Theta, reml, 1e-6)
		}
		m.Close()
	}
}
