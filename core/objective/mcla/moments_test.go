package mcla

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/internal/refcase"
	"gonum.org/v1/gonum/mat"
)

// TestMomentsEqualSamples: when every sample is the same, v_k = 1/m, so
// ESS = m, V = g g′/m with g the gradient Evaluate returns, and
// log Σ e^b = value + log m: an independent check of the max shifts and
// normalisation.
func TestMomentsEqualSamples(t *testing.T) {
	m, _ := synthetic(t, family.Poisson, 30, 1, 4)
	q := m.q
	const k = 700
	u := append([]float64(nil), sampleOf(m, 0)...)
	umat := make([]float64, k*q)
	for j := range q {
		for i := range k {
			umat[j*k+i] = u[j]
		}
	}
	if err := m.SetSamples(k, umat, 1); err != nil {
		t.Fatal(err)
	}
	par := []float64{0.1, -0.2, 0.3, 0.7, 1.4}
	d := len(par)
	res := Result{Gradient: make([]float64, d)}
	if err := m.Evaluate(par, 1, &res); err != nil {
		t.Fatal(err)
	}
	var mo Moments
	if err := m.Moments(par, 2, &mo); err != nil {
		t.Fatal(err)
	}
	if math.Abs(mo.ESS-k) > 1e-9*k {
		t.Errorf("ESS %v, want %d", mo.ESS, k)
	}
	for i := range d {
		for j := range d {
			want := res.Gradient[i] * res.Gradient[j] / k
			if math.Abs(mo.V[i*d+j]-want) > 1e-10*math.Max(1, math.Abs(want)) {
				t.Errorf("V[%d,%d] = %v, want %v", i, j, mo.V[i*d+j], want)
			}
		}
	}
	if math.Abs(mo.LogSumW-(res.Value+math.Log(k))) > 1e-10 {
		t.Errorf("log sum of weights %v, value+log m %v", mo.LogSumW, res.Value+math.Log(k))
	}
}

// TestMcvcovAgainstGlmm: for each Bernoulli reference case at glmm's MLE,
// H⁻¹ V H⁻¹ equals glmm's mcvcov (its mcse.c computes the same quantity on
// the natural scale), and Moments is identical for 1 and 2 workers.
func TestMcvcovAgainstGlmm(t *testing.T) {
	for _, name := range []string{"boothhobert_m100_mle", "salamander_m300_mle"} {
		c, err := refcase.Load(refcase.Dir() + "/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := modelFromCase(t, c)
		d := m.NPar()
		var m1, m2 Moments
		if err := m.Moments(c.Par, 1, &m1); err != nil {
			t.Fatal(err)
		}
		if err := m.Moments(c.Par, 2, &m2); err != nil {
			t.Fatal(err)
		}
		if m1.ESS != m2.ESS || m1.V[d+1] != m2.V[d+1] {
			t.Errorf("%s: 1 and 2 workers differ", name)
		}
		if !(m1.ESS >= 1 && m1.ESS <= float64(c.M)) {
			t.Errorf("%s: ESS %v outside [1, m]", name, m1.ESS)
		}
		h := mat.NewDense(d, d, append([]float64(nil), c.Hessian...))
		var hi mat.Dense
		if err := hi.Inverse(h); err != nil {
			t.Fatal(err)
		}
		var tmp, out mat.Dense
		tmp.Mul(&hi, mat.NewDense(d, d, m1.V))
		out.Mul(&tmp, &hi)
		for i := range d {
			for j := range d {
				got, want := out.At(i, j), c.MCVCov[j*d+i]
				if math.Abs(got-want) > 1e-8*math.Max(1e-3, math.Abs(want)) {
					t.Errorf("%s: mcvcov[%d,%d] = %.12g, glmm %.12g", name, i, j, got, want)
				}
			}
			if se := math.Sqrt(out.At(i, i)); math.Abs(se-c.MCSE[i]) > 1e-8*c.MCSE[i] {
				t.Errorf("%s: mcse[%d] = %.12g, glmm %.12g", name, i, se, c.MCSE[i])
			}
		}
	}
}
