package laplacefit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refdata"
)

func modelOf(t testing.TB, name string) *laplace.Model {
	t.Helper()
	g, err := refdata.BuildGLMM(name)
	if err != nil {
		t.Fatal(err)
	}
	fam := map[string]family.Code{"bernoulli": family.Bernoulli, "binomial": family.Binomial, "poisson": family.Poisson}[g.Family]
	d := laplace.Data{Response: response.Response{Family: fam, Y: g.Y, Trials: g.Trials, Offset: g.Offset}, X: g.X, P: g.P, XNames: g.XNames}
	for _, tm := range g.Terms {
		d.Terms = append(d.Terms, lmm.Term{Name: tm.Name, Codes: tm.Codes, NLevels: tm.NLevels, K: tm.K, Z: tm.Z})
	}
	m, err := laplace.New(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// checkValues are the optima MixedModels.jl's tests, lme4 1.1-31 and
// glmmTMB agree on to 1e−3: −2 log L, or MixedModels.jl's deviance where
// mm is set (AGQ fits, which those packages report on that scale).
var checkValues = []struct {
	name string
	fast bool
	nAGQ int
	want float64
	mm   bool
	sd   []float64 // random-effect standard deviations, where given
}{
	{"cbpp", false, 1, 184.0526, false, nil},
	{"Contraception", false, 1, 2361.5458, false, nil},
	{"Contraception", true, 1, 2361.6572, false, nil},
	{"Contraception", false, 7, 2360.8761, true, nil},
	{"VerbAgg", false, 1, 8151.3997, false, []float64{1.339691, 0.495288}},
	{"VerbAgg", true, 1, 8151.5833, false, nil},
	{"grouseticks", false, 1, 1780.5427, false, nil},
	{"Mmmec", false, 11, 655.25335, true, nil},
}

// TestCheckValues fits each model and compares the optimum with the check
// value (to 1e−3) and with lme4's fit (ours no worse than lme4's by more
// than 1e−6 relative). Under the race detector (or -short) only the small
// models are fitted.
func TestCheckValues(t *testing.T) {
	refs, err := refdata.GLMMReferences()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checkValues {
		if (raceEnabled || testing.Short()) && (c.name == "VerbAgg" || c.name == "grouseticks") {
			continue
		}
		m := modelOf(t, c.name)
		r, err := Fit(m, Options{Fast: c.fast, NAGQ: c.nAGQ})
		if err != nil {
			t.Fatalf("%s fast=%v nAGQ=%d: %v", c.name, c.fast, c.nAGQ, err)
		}
		got := r.MinusTwoLogLik
		if c.mm {
			got = r.Deviance
		}
		t.Logf("%s fast=%v nAGQ=%d: %.5f (check %.5f), θ %.6f, β %.5f, SE %.5f (%s), evals %d+%d, PIRLS %d, start from LMM %v (%.4f vs default %.4f), %v",
			c.name, c.fast, c.nAGQ, got, c.want, r.Theta, r.Beta, r.SE, r.SEMethod, r.FastStage.Evals, r.SlowStage.Evals, r.PIRLSIter, r.Start.FromLMM, r.Start.LMM, r.Start.Default, r.Time)
		if math.Abs(got-c.want) > 1e-3 {
			t.Errorf("%s fast=%v nAGQ=%d: %.5f, check value %.5f", c.name, c.fast, c.nAGQ, got, c.want)
		}
		for i, sd := range c.sd {
			if g := r.VarCorr[i].SD[0]; math.Abs(g-sd) > 2e-4*sd {
				t.Errorf("%s: sd %d = %.6f, check value %.6f", c.name, i, g, sd)
			}
		}
		for _, ref := range refs {
			k := c.nAGQ
			if c.fast {
				k = 0
			}
			if ref.Name != c.name || ref.NAGQ != k {
				continue
			}
			lme4 := ref.MinusTwoLogLik
			ours := r.MinusTwoLogLik
			if c.mm {
				ours = r.Deviance
			}
			t.Logf("   lme4 %.6f (ours − lme4 = %.2e)", lme4, ours-lme4)
			if ours > lme4+1e-6*math.Abs(lme4) {
				t.Errorf("%s: our optimum %.6f is worse than lme4's %.6f", c.name, ours, lme4)
			}
		}
		if !r.Converged {
			t.Errorf("%s: not converged: %s", c.name, r.Message)
		}
	}
}
