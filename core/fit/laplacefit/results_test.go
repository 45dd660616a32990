package laplacefit

import (
	"math"
	"slices"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

// TestResultsMatchLme4: at lme4's optimum (θ, β), the results agree with
// lme4's: fitted values, Pearson, deviance and response residuals, the
// first term's conditional modes and variances, AIC and BIC (on lme4's
// −2 log L), the random-effect SDs, and the standard errors from the
// Hessian of −2 log L. lme4's PIRLS stops at a relative change of 1e−7,
// so the mode-based values agree to 2e−5 relative. Its vcov for glmer
// comes from its own finite differences of that noisy deviance, 1% off for
// cbpp; the standard errors are compared instead with numDeriv's
// Richardson-extrapolated Hessian of lme4's deviance function with its
// PIRLS tolerance at 1e−13 (se_tight), to 1e−4.
func TestResultsMatchLme4(t *testing.T) {
	refs, err := refdata.GLMMReferences()
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		if ref.NAGQ != 1 {
			continue
		}
		m := modelOf(t, ref.Name)
		r, err := At(m, ref.Theta, ref.Beta, Options{})
		if err != nil {
			t.Fatalf("%s: %v", ref.Name, err)
		}
		lr := ref.Results
		n := len(lr.Fitted)
		closeTo(t, ref.Name+" fitted", r.Fitted[:n], lr.Fitted, 2e-5)
		closeTo(t, ref.Name+" pearson", r.ResidPearson[:n], lr.Pearson, 2e-5)
		closeTo(t, ref.Name+" deviance residuals", r.ResidDeviance[:n], lr.Deviance, 2e-5)
		closeTo(t, ref.Name+" response residuals", r.ResidResponse[:n], lr.Response, 2e-5)
		_, nl, _ := m.TermInfo(0)
		b := slices.Clone(r.B[:nl])
		slices.Sort(b)
		closeTo(t, ref.Name+" b", b, lr.BSorted, 2e-5)
		cv := make([]float64, nl)
		for l := range cv {
			cv[l] = r.CondVar[0][l]
		}
		slices.Sort(cv)
		closeTo(t, ref.Name+" condVar", cv, lr.CondVarSorted, 2e-5)
		sd := make([]float64, len(r.VarCorr))
		for i, v := range r.VarCorr {
			sd[i] = v.SD[0]
		}
		closeTo(t, ref.Name+" sd", sd, lr.SD, 1e-12)
		// lme4's −2 log L carries its PIRLS error (up to 6e−4 for cbpp)
		closeTo(t, ref.Name+" AIC", []float64{r.AIC, r.BIC}, []float64{lr.AIC, lr.BIC}, 5e-6)
		p := len(r.Beta)
		se := make([]float64, p)
		for j := range se {
			se[j] = math.Sqrt(lr.Vcov[j*p+j])
		}
		t.Logf("%s: SE %.6f (%s), accurate %.6f, lme4's vcov %.6f", ref.Name, r.SE, r.SEMethod, ref.SETight, se)
		if r.SEMethod != "hessian" {
			t.Errorf("%s: SEs from %s", ref.Name, r.SEMethod)
		}
		closeTo(t, ref.Name+" SE", r.SE, ref.SETight, 1e-4)
	}
}

func closeTo(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			t.Errorf("%s[%d] = %.10g, lme4 %.10g", what, i, got[i], want[i])
			return
		}
	}
}
