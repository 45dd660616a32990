package lmmfit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/internal/refdata"
)

func model(t testing.TB, ref refdata.Reference) *lmm.Model {
	t.Helper()
	md, err := refdata.Build(ref)
	if err != nil {
		t.Fatal(err)
	}
	d := lmm.Data{Y: md.Y, X: md.X, P: md.P, XNames: md.XNames}
	for _, tm := range md.Terms {
		d.Terms = append(d.Terms, lmm.Term{Name: tm.Name, Codes: tm.Codes, NLevels: tm.NLevels, K: tm.K, Z: tm.Z})
	}
	m, err := lmm.New(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// Tolerances against lme4 (its fits used bobyqa with rhoend 1e-10):
//   - optimum objective: no worse than lme4's by more than 1e-6 relative
//     (and, as it happens, within 1e-8 of it);
//   - θ: 2e-4 absolute (the criterion is flat near the optimum: a 1e-4
//     change in θ moves it by ~1e-8 relative);
//   - β, σ, standard errors: 1e-4 relative (or 1e-4·SE absolute for β).
func TestFitsMatchLme4(t *testing.T) {
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		if ref.NObs > 10000 && testing.Short() {
			continue
		}
		t.Run(ref.Name, func(t *testing.T) {
			m := model(t, ref)
			res, err := Fit(m, Options{REML: ref.REML})
			if err != nil {
				t.Fatal(err)
			}
			rel := (res.Objective - ref.Objective) / math.Abs(ref.Objective)
			t.Logf("evals %d (lme4 %d), objective rel diff %.2g, θ %v", res.Evals, ref.Lme4Feval, rel, res.Theta)
			if rel > 1e-6 {
				t.Errorf("objective %.12g, lme4 %.12g (worse by %.2g relative)", res.Objective, ref.Objective, rel)
			}
			if !res.Converged {
				t.Errorf("not converged: %s", res.Message)
			}
			for i := range ref.Theta {
				if math.Abs(res.Theta[i]-ref.Theta[i]) > 2e-4 {
					t.Errorf("θ[%d] = %.8g, lme4 %.8g", i, res.Theta[i], ref.Theta[i])
				}
			}
			if d := math.Abs(res.Sigma-ref.Sigma) / ref.Sigma; d > 1e-4 {
				t.Errorf("σ = %.8g, lme4 %.8g", res.Sigma, ref.Sigma)
			}
			for i := range ref.Beta {
				if d := math.Abs(res.Beta[i] - ref.Beta[i]); d > 1e-4*ref.BetaSE[i] && d > 1e-4*math.Abs(ref.Beta[i]) {
					t.Errorf("β[%s] = %.8g, lme4 %.8g", ref.BetaNames[i], res.Beta[i], ref.Beta[i])
				}
				if d := math.Abs(res.SE[i]-ref.BetaSE[i]) / ref.BetaSE[i]; d > 1e-4 {
					t.Errorf("se[%s] = %.8g, lme4 %.8g", ref.BetaNames[i], res.SE[i], ref.BetaSE[i])
				}
			}
			wantSingular := false
			for _, th := range ref.Theta {
				if th < SingularTol {
					wantSingular = true
				}
			}
			if res.Singular != wantSingular {
				t.Errorf("singular = %v, lme4's θ %v", res.Singular, ref.Theta)
			}
			if want := -2*res.LogLik + 2*float64(res.NPar); math.Abs(res.AIC-want) > 1e-9*want {
				t.Errorf("AIC %v, want %v", res.AIC, want)
			}
		})
	}
}

// TestDyestuff2Singular: the ML fit of Dyestuff2 has θ̂ = 0 exactly on the
// boundary; the fit must end there, flagged, with b̃ = 0.
func TestDyestuff2Singular(t *testing.T) {
	refs, _ := refdata.References()
	for _, ref := range refs {
		if ref.Name != "dyestuff2_ml" {
			continue
		}
		m := model(t, ref)
		res, err := Fit(m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Singular || res.Theta[0] > 1e-6 {
			t.Fatalf("θ = %v, singular %v", res.Theta, res.Singular)
		}
		for _, b := range res.B {
			if math.Abs(b) > 1e-5 {
				t.Fatalf("b̃ = %v at a singular fit", res.B)
			}
		}
		cv, err := res.CondVar(m)
		if err != nil {
			t.Fatal(err)
		}
		if cv[0][0] > 1e-10 {
			t.Errorf("conditional variance %v at θ = 0", cv[0][0])
		}
		return
	}
	t.Fatal("no dyestuff2_ml reference")
}

func TestCancel(t *testing.T) {
	refs, _ := refdata.References()
	m := model(t, refs[0])
	calls := 0
	_, err := Fit(m, Options{Progress: func(k int, f float64, th []float64) bool { calls++; return k < 4 }})
	if err == nil || calls != 5 { // iteration 0 (the start's choice), then 1..4
		t.Fatalf("err %v after %d calls", err, calls)
	}
	if _, err := Fit(m, Options{Start: []float64{-1}}); err == nil {
		t.Fatal("negative θ₀ accepted")
	}
	if _, err := Fit(m, Options{Start: []float64{1, 2}}); err == nil {
		t.Fatal("wrong-length θ₀ accepted")
	}
}

// TestChooseStart: the moment estimates start InstEval's fit near lme4's
// optimum; Penicillin's, where they are worse than lme4's start, starts
// from lme4's; either way the start's criterion is the lower, and the fit
// counts the evaluation spent choosing, and reports it to the callback.
func TestChooseStart(t *testing.T) {
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		if ref.Name != "insteval_ml" && ref.Name != "penicillin_ml" {
			continue
		}
		m := model(t, ref)
		def, mom := DefaultTheta(m), m.MomentTheta()
		start, sv := ChooseStart(m, ref.REML)
		fd, _ := m.Objective(def, ref.REML)
		fm, _ := m.Objective(mom, ref.REML)
		t.Logf("%s: moment θ %v (lme4 %v); criterion %.8g at lme4's start, %.8g at the moments'", ref.Name, mom, ref.Theta, fd, fm)
		if want := math.Min(fd, fm); sv.f != want {
			t.Errorf("%s: start criterion %g, want the lower %g", ref.Name, sv.f, want)
		}
		wantMoment := ref.Name == "insteval_ml"
		if got := start[0] == mom[0]; got != wantMoment {
			t.Errorf("%s: started from the moments: %v, want %v", ref.Name, got, wantMoment)
		}
		if wantMoment {
			for i := range mom {
				if math.Abs(mom[i]-ref.Theta[i]) > 0.03 {
					t.Errorf("moment θ[%d] = %g, lme4's optimum %g", i, mom[i], ref.Theta[i])
				}
			}
		}
		calls := 0
		res, err := Fit(m, Options{REML: ref.REML, Progress: func(int, float64, []float64) bool { calls++; return true }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Evals != calls {
			t.Errorf("%s: %d evaluations reported, %d seen by the callback (the start's choice included)", ref.Name, res.Evals, calls)
		}
	}
}
