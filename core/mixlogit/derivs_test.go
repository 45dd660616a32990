package mixlogit

import (
	"math"
	"testing"
)

// TestDerivativesFiniteDifferences checks ∇ℓ against central differences
// of ℓ and ∇²ℓ against central differences of ∇ℓ.
func TestDerivativesFiniteDifferences(t *testing.T) {
	for _, c := range quadCases {
		t.Run(c.name, func(t *testing.T) {
			m := quadModel(t, c, 40)
			l, err := m.Likelihood(2)
			if err != nil {
				t.Fatal(err)
			}
			// Away from the truth, so that the gradient is not small.
			p := c.p
			p[Beta1] += 0.2
			p[Sigma2] *= 0.8
			p[Pi1] = 0.5*p[Pi1] + 0.2
			g := make([]float64, NumParams)
			h := make([]float64, NumParams*NumParams)
			if _, err := l.Eval(p, g, h); err != nil {
				t.Fatal(err)
			}
			gp := make([]float64, NumParams)
			gm := make([]float64, NumParams)
			hs := make([]float64, NumParams*NumParams)
			for k := range NumParams {
				step := 1e-5 * math.Max(1, math.Abs(p[k]))
				if k == Pi1 || k == Sigma1 || k == Sigma2 {
					step = 1e-6 * p[k]
				}
				pp, pm := p, p
				pp[k] += step
				pm[k] -= step
				fp, err1 := l.Eval(pp, gp, hs)
				fm, err2 := l.Eval(pm, gm, hs)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				fd := (fp - fm) / (2 * step)
				if math.Abs(fd-g[k]) > 1e-6*(1+math.Abs(g[k])) {
					t.Errorf("d/d%s: analytic %.10g, finite difference %.10g", ParamNames[k], g[k], fd)
				}
				for j := range NumParams {
					fd := (gp[j] - gm[j]) / (2 * step)
					an := h[j+NumParams*k]
					if math.Abs(fd-an) > 1e-5*(1+math.Abs(an)) {
						t.Errorf("d²/d%s d%s: analytic %.10g, finite difference %.10g", ParamNames[j], ParamNames[k], an, fd)
					}
				}
			}
		})
	}
}

// TestEvalWorkersBitIdentical: ℓ, ∇ℓ, ∇²ℓ and the posterior do not depend
// on the number of workers, even in the last bit.
func TestEvalWorkersBitIdentical(t *testing.T) {
	m := quadModel(t, quadCases[2], 101) // 101 subjects: a ragged last block
	p := quadCases[2].p
	var ref []float64
	for _, w := range []int{1, 2, 3, 4} {
		l, err := m.Likelihood(w)
		if err != nil {
			t.Fatal(err)
		}
		g, h := make([]float64, NumParams), make([]float64, NumParams*NumParams)
		f, err := l.Eval(p, g, h)
		if err != nil {
			t.Fatal(err)
		}
		post, err := l.Posterior(p)
		if err != nil {
			t.Fatal(err)
		}
		got := append(append(append([]float64{f}, g...), h...), post...)
		if ref == nil {
			ref = got
			continue
		}
		for k := range got {
			if math.Float64bits(got[k]) != math.Float64bits(ref[k]) {
				t.Fatalf("%d workers: number %d is %v, %v with 1 worker", w, k, got[k], ref[k])
			}
		}
	}
}
