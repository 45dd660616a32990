package lmm

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestDevianceParts checks the parts at two θ of each small reference
// model, and of sleepstudy with weights: they rebuild the ML deviance and
// the REML criterion of Objective, and the weighted residual sum of squares
// computed here directly from the data, y − Xβ̂ − ZΛũ, agrees with WRSS
// (which the model forms as PWRSS − ‖ũ‖²).
func TestDevianceParts(t *testing.T) {
	type model struct {
		name  string
		data  Data
		theta [][]float64
	}
	var models []model
	for _, ref := range references(t) {
		if ref.NObs > 1000 {
			continue
		}
		models = append(models, model{ref.Name, buildData(t, ref), [][]float64{ref.Theta, ref.ObjectiveAt[2].Theta}})
		if ref.Name == "sleepstudy_ml" {
			d := buildData(t, ref)
			d.Weights = make([]float64, len(d.Y))
			for i := range d.Weights {
				d.Weights[i] = 1 + float64(i%3)/2
			}
			models = append(models, model{"sleepstudy weighted", d, [][]float64{ref.Theta, ref.ObjectiveAt[2].Theta}})
		}
	}
	for _, mc := range models {
		m, err := New(mc.data)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		n, p := float64(m.N()), float64(m.P())
		for _, theta := range mc.theta {
			parts, err := m.DevianceParts(theta)
			if err != nil {
				t.Fatal(err)
			}
			close := func(what string, got, want, tol float64) {
				t.Helper()
				if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
					t.Errorf("%s θ=%v: %s = %.15g, want %.15g", mc.name, theta, what, got, want)
				}
			}
			ml, err := m.Objective(theta, false)
			if err != nil {
				t.Fatal(err)
			}
			reml, err := m.Objective(theta, true)
			if err != nil {
				t.Fatal(err)
			}
			close("ML deviance from the parts", parts.LogDetL-parts.LogDetW+n*(1+math.Log(2*math.Pi*parts.PWRSS/n)), ml, 1e-13)
			close("REML criterion from the parts",
				parts.LogDetL+parts.LogDetRX-parts.LogDetW+(n-p)*(1+math.Log(2*math.Pi*parts.PWRSS/(n-p))), reml, 1e-13)
			close("PWRSS = WRSS + USSQ", parts.WRSS+parts.USSQ, parts.PWRSS, 1e-13)
			close("WRSS", parts.WRSS, directWRSS(t, m, mc.data, theta), 1e-9)
			ldw := 0.0
			for _, w := range mc.data.Weights {
				ldw += math.Log(w)
			}
			close("LogDetW", parts.LogDetW, ldw, 1e-13)
		}
	}
}

// directWRSS is Σ wᵢ (yᵢ − xᵢβ̂ − zᵢΛũ)² from the data and the solution at θ.
func directWRSS(t *testing.T, m *Model, d Data, theta []float64) float64 {
	t.Helper()
	sol, err := m.Solve(theta, false)
	if err != nil {
		t.Fatal(err)
	}
	Z, Lam := denseSystem(m, d.Terms, theta)
	var b, zb mat.VecDense
	b.MulVec(Lam, mat.NewVecDense(len(sol.U), sol.U))
	zb.MulVec(Z, &b)
	wrss := 0.0
	for i := 0; i < m.N(); i++ {
		r := d.Y[i] - zb.AtVec(i)
		for j, col := range m.Kept() {
			r -= d.X[col*m.N()+i] * sol.Beta[j]
		}
		w := 1.0
		if d.Weights != nil {
			w = d.Weights[i]
		}
		wrss += w * r * r
	}
	return wrss
}
