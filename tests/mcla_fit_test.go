package tests

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fit/mclafit"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refcase"
)

func caseData(c *refcase.Case) mcla.Data {
	fam := map[string]family.Code{"bernoulli": family.Bernoulli, "poisson": family.Poisson, "binomial": family.Binomial}[c.Family]
	d := mcla.Data{Response: response.Response{Family: fam, Y: c.Y, Weights: c.Weights}, N: c.N, P: c.P, Q: c.Q, NVC: c.NVC, X: c.X, ZRow: c.Z.Row, ZCol: c.Z.Col, ZVal: c.Z.Val, VCOf: c.VCOf()}
	if fam == family.Binomial {
		d.Trials = c.NTrials
	}
	return d
}

// TestMCLAFitThroughABI: a salamander fit run by a C program equals, bit for
// bit, the Go fit with the same options, for 1 and 2 workers and from an
// options struct shorter than the library's (its missing fields take the
// defaults); every result conveys its value, read after the model was
// freed.
func TestMCLAFitThroughABI(t *testing.T) {
	exe := compileC(t, "mcla_fit", "mcla_fit.c")
	c, err := refcase.Load(refcase.Dir() + "/salamander_m300_mle.json")
	if err != nil {
		t.Fatal(err)
	}
	path := writeCase(t, c)
	const m, seed = 1200, 77
	calls := 0 // progress calls over every maximisation of the staged fit (heartbeats, iter < 0, apart)
	want, err := mclafit.Run(caseData(c), mclafit.Options{M: m, Seed: seed, Progress: func(iter int, _ float64, _ []float64) bool {
		if iter >= 0 {
			calls++
		}
		return true
	}})
	if err != nil {
		t.Fatal(err)
	}
	z, pv := want.ZTests()
	lo, hi, _ := want.ConfInt(0.9)
	umat := make([]float64, m*c.Q)
	if err := want.UMatrix(umat); err != nil {
		t.Fatal(err)
	}
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	expect := map[string][]float64{
		"par": want.Par(), "value": {want.Value}, "gradient": want.Gradient, "hessian": want.Hessian,
		"converged": {b2f(want.Converged)}, "iterations": {float64(want.Iter)}, "evaluations": {float64(want.Evals)},
		"ess": {want.ESS}, "ess_warning": {b2f(want.ESSWarning)}, "counts": {float64(want.M1), float64(want.M2), float64(want.M3)},
		"se": want.SE, "z": z, "pvalue": pv, "vcov": want.Vcov, "mcse": want.MCSE, "mcvcov": want.MCVcov,
		"lower90": lo, "upper90": hi, "used_pql": {1}, "par_init": want.Start, "u_star": want.UStar, "d_star": want.DStar,
		"umat_first_row": {umat[0]}, "umat_corner": {umat[m-1], umat[m*c.Q-1]},
		"progress_calls": {float64(calls)}, "progress_npar": {float64(c.P + c.NVC)}, "progress_bad_beats": {0},
		"sigma_inv": want.SigmaInv, "hessian_negdef": {b2f(want.HessianNegDef)}, "dispersion": {0}, "seconds_len": {4},
	}
	if want.Iter == 1 || !want.Converged {
		t.Fatalf("fit: %d iterations, converged %v", want.Iter, want.Converged)
	}
	for _, args := range [][]string{{"1"}, {"2"}, {"1", "short"}} {
		workers := strings.Join(args, " ")
		out := runC(t, exe, append([]string{path, strconv.Itoa(m), strconv.Itoa(seed)}, args...)...)
		if !strings.Contains(out, "umat_short 1 len") {
			t.Errorf("short u-matrix buffer: %q", out[strings.Index(out, "umat_short"):])
		}
		lines := strings.Split(out, "\n")
		var kept []string
		for _, l := range lines {
			if !strings.HasPrefix(l, "umat_short") {
				kept = append(kept, l)
			}
		}
		got := parseLines(t, strings.Join(kept, "\n"))
		for k, w := range expect {
			g := got[k]
			if len(g) != len(w) {
				t.Errorf("workers %s: %s has %d values, want %d", workers, k, len(g), len(w))
				continue
			}
			for i := range w {
				if g[i] != w[i] && !(math.IsNaN(g[i]) && math.IsNaN(w[i])) {
					t.Errorf("workers %s: %s[%d] = %.17g, Go fit %.17g", workers, k, i, g[i], w[i])
				}
			}
		}
		// The callback saw the log-likelihood of the accepted points; the
		// last call is at or below the final value.
		if got["progress_last_value"][0] > want.Value {
			t.Errorf("progress value %v above the maximum %v", got["progress_last_value"][0], want.Value)
		}
	}
	// Cancelling from the callback after 2 iterations: no fit handle.
	out := parseLines(t, runC(t, exe, path, strconv.Itoa(m), strconv.Itoa(seed), "1", "cancel", "2"))
	if out["status"][0] != 4 || out["calls"][0] != 2 || out["fit_zero"][0] != 1 || out["after_cancel"][0] != 6 {
		t.Errorf("cancel: status %v after %v calls, fit handle 0: %v, a result then %v", out["status"], out["calls"], out["fit_zero"], out["after_cancel"])
	}
}

// TestMCLAFitErrorsThroughABI: bad inputs give the documented status and a
// message naming the argument.
func TestMCLAFitErrorsThroughABI(t *testing.T) {
	exe := compileC(t, "mcla_fit_errors", "mcla_fit_errors.c")
	c, err := refcase.Load(refcase.Dir() + "/boothhobert_m100_mle.json")
	if err != nil {
		t.Fatal(err)
	}
	out := runC(t, exe, writeCase(t, c))
	want := map[string]string{
		"estimates_before_run": "1 what", "m_negative": "1 m", "p1_zero": "1 p_mix", "p_sum": "1 p_mix", "zeta": "1 zeta",
		"rmax": "1 rmax", "iterlim": "1 iterlim", "par_init": "1 start", "opt_null": "1 opt", "estimator": "1 estimator",
		"blockwise":          "1 10 ess_above_joint",
		"confint_before_run": "6 fit", "y_not_binary": "1 y", "dispersion_bernoulli": "1 dispersion",
		"negbin_no_dispersion": "8 dispersion", "x_null": "1 x", "out_null": "1 out", "all_zero": "1 y",
		"wrong_kind": "6 model", "mcla_on_fit": "6 h", "freed": "6 model",
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.SplitN(line, " ", 2)
		w, ok := want[f[0]]
		if !ok {
			t.Errorf("unexpected line %q", line)
			continue
		}
		seen[f[0]] = true
		if f[1] != w {
			t.Errorf("%s: got %q, want %q", f[0], f[1], w)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("saw %d cases of %d: %s", len(seen), len(want), fmt.Sprint(seen))
	}
}

// TestNegBinDispersionThroughABI: the dispersion estimated by a fit (its
// range in the options) equals the Go estimate bit for bit, profile
// included; a negative binomial model without a size cannot be fitted at a
// known size until glmmgo_mcla_set_dispersion gives it, and then equals
// the Go fit at that size bit for bit.
func TestNegBinDispersionThroughABI(t *testing.T) {
	exe := compileC(t, "mcla_nb", "mcla_nb.c")
	// 60 groups of 5 counts, y = group index mod 4 + position: any counts do.
	const g, k = 60, 5
	n := g * k
	c := &refcase.Case{Family: "negbinomial", N: n, P: 2, Q: g, NVC: 1, M: 1, Zeta: 5,
		PMix: []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, NRandom: []int{g}}
	for i := 0; i < n; i++ {
		c.Y = append(c.Y, float64((i*7)%5+(i/k)%4))
		c.NTrials, c.Weights = append(c.NTrials, 1), append(c.Weights, 1)
		c.Z.Row, c.Z.Col, c.Z.Val = append(c.Z.Row, int64(i)), append(c.Z.Col, int64(i/k)), append(c.Z.Val, 1)
	}
	c.X = make([]float64, 2*n)
	for i := 0; i < n; i++ {
		c.X[i], c.X[n+i] = 1, float64(i%k)-2
	}
	c.UStar, c.DStar, c.SigmaInv, c.UMat = make([]float64, g), make([]float64, g), make([]float64, g*g), make([]float64, g)
	c.Par = []float64{0, 0, 1}
	d := mcla.Data{Response: response.Response{Family: family.NegBinomial, Y: c.Y, Dispersion: 1}, N: n, P: 2, Q: g, NVC: 1, X: c.X, ZRow: c.Z.Row, ZCol: c.Z.Col, ZVal: c.Z.Val, VCOf: c.VCOf()}
	want, err := mclafit.FitDispersion(d, mclafit.Options{M: 600, Seed: 5}, 0.3, 30)
	if err != nil {
		t.Fatal(err)
	}
	got := parseLines(t, runC(t, exe, writeCase(t, c), "600", "5"))
	if got["r"][0] != want.Dispersion || got["loglik"][0] != want.LogLik {
		t.Errorf("r %v loglik %v, Go %v %v", got["r"], got["loglik"], want.Dispersion, want.LogLik)
	}
	for i, v := range want.Fit.Par() {
		if got["par"][i] != v {
			t.Errorf("par[%d] = %v, Go %v", i, got["par"][i], v)
		}
	}
	var profile []float64
	for _, pt := range want.Profile {
		profile = append(profile, pt[0])
	}
	for _, pt := range want.Profile {
		profile = append(profile, pt[1])
	}
	if len(got["profile"]) != len(profile) {
		t.Errorf("profile %v, Go %v", got["profile"], want.Profile)
	} else {
		for i, v := range profile {
			if got["profile"][i] != v {
				t.Errorf("profile[%d] = %v, Go %v", i, got["profile"][i], v)
			}
		}
	}
	if got["bad_range"][0] != 1 || got["no_size"][0] != 8 {
		t.Errorf("bad range status %v, fit without a size %v", got["bad_range"], got["no_size"])
	}
	d.Dispersion = 2
	at2, err := mclafit.Run(d, mclafit.Options{M: 600, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got["r2_dispersion"][0] != 2 || got["r2_loglik_len"][0] != 0 || got["r2_value"][0] != at2.Value {
		t.Errorf("fit at r = 2: dispersion %v, loglik length %v, value %v (Go %v)", got["r2_dispersion"], got["r2_loglik_len"], got["r2_value"], at2.Value)
	}
	for i, v := range at2.Par() {
		if g := append(got["r2_beta"], got["r2_nu"]...); g[i] != v {
			t.Errorf("fit at r = 2: par[%d] = %v, Go %v", i, g[i], v)
		}
	}
}
