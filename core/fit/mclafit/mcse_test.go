package mclafit

import (
	"math"
	"sort"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/neldermead"
)

// quadratureLogLik is the exact log-likelihood of a Bernoulli GLMM with one
// scalar random effect per group (simulate's design, Z the group
// indicators): Σⱼ log ∫ Πᵢ f(yᵢ | β, u) φ(u; 0, ν) du, each integral by the
// trapezoid rule in z = u/√ν on [−9, 9] with 1801 points (the integrand is
// smooth and its tails below e⁻⁴⁰, so the rule is exact to rounding).
func quadratureLogLik(d mcla.Data, beta []float64, nu float64) float64 {
	if !(nu > 0) {
		return math.Inf(-1)
	}
	groups := make(map[int64][]int)
	for k, i := range d.ZRow {
		groups[d.ZCol[k]] = append(groups[d.ZCol[k]], int(i))
	}
	const npt, lim = 1801, 9.0
	h := 2 * lim / (npt - 1)
	var ll float64
	for _, rows := range groups {
		lw := make([]float64, npt)
		mx := math.Inf(-1)
		for k := range lw {
			z := -lim + float64(k)*h
			u := math.Sqrt(nu) * z
			s := -z * z / 2
			for _, i := range rows {
				eta := beta[0] + beta[1]*d.X[d.N+i] + u
				s += d.Y[i]*eta - math.Log1p(math.Exp(eta))
			}
			lw[k] = s
			mx = math.Max(mx, s)
		}
		var sum float64
		for k, v := range lw {
			w := 1.0
			if k == 0 || k == npt-1 {
				w = 0.5
			}
			sum += w * math.Exp(v-mx)
		}
		ll += mx + math.Log(sum*h/math.Sqrt(2*math.Pi))
	}
	return ll
}

// quadratureMLE maximises quadratureLogLik over (β₀, β₁, log ν).
func quadratureMLE(t *testing.T, d mcla.Data) []float64 {
	t.Helper()
	f := func(x []float64) (float64, error) { return -quadratureLogLik(d, x[:2], math.Exp(x[2])), nil }
	r, err := neldermead.Minimize(optim.Problem{Func: f}, []float64{0, 0, 0}, optim.Settings{InitStep: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	return []float64{r.X[0], r.X[1], math.Exp(r.X[2])}
}

// TestJackknifeMCSEMatchesSeedSpread: on a model whose likelihood is known
// exactly (one scalar random effect, 1-D quadrature), automatic MCLA fits
// (staged densities, m grown to an ESS of 300 and MCSEs of a tenth of an
// SE) over many seeds scatter around the exact MLE, and the jackknife MCSE
// each fit reports matches that scatter: for every parameter, the sd of
// the estimates over the seeds divided by the median reported MCSE lies in
// [0.5, 2] (with 16 seeds the sd itself is known to about ±18%, so an
// honest MCSE gives a ratio near 1, and one that understates the error
// tenfold, as glmm's formula did on salamander, fails). Fits of glmm's
// single density at a fixed small m are not alike enough for this test:
// their ESS ranges from 1 to 200 over the seeds, the few fits with a tiny
// ESS dominate the sd and report large MCSEs themselves, so the median
// MCSE says little about the sd (TestJackknifeHugeAtTinyESS checks them).
func TestJackknifeMCSEMatchesSeedSpread(t *testing.T) {
	d := simulate(family.Bernoulli, 24, 6, []float64{0.3, 1.2}, 1.5, 0, 5)
	mle := quadratureMLE(t, d)
	seeds := 16
	if raceEnabled {
		seeds = 8
	}
	par := make([][]float64, seeds)
	mcse := make([][]float64, 3)
	for s := range seeds {
		f, err := Run(d, Options{Auto: true, PilotM: 1024, ESSTarget: 300, RelMCSE: 0.1, Seed: uint64(100 + s), Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		par[s] = f.Par()
		for i, v := range f.MCSE {
			mcse[i] = append(mcse[i], v)
		}
	}
	for i, name := range []string{"β₀", "β₁", "ν"} {
		var mean, ss float64
		for _, p := range par {
			mean += p[i] / float64(seeds)
		}
		for _, p := range par {
			ss += (p[i] - mean) * (p[i] - mean)
		}
		sd := math.Sqrt(ss / float64(seeds-1))
		med := median(mcse[i])
		t.Logf("%s: exact MLE %.4f, mean over %d seeds %.4f, sd %.4f, median MCSE %.4f, ratio %.2f", name, mle[i], seeds, mean, sd, med, sd/med)
		if seeds >= 16 && !(sd/med >= 0.5 && sd/med <= 2) {
			t.Errorf("%s: sd over seeds %.4f vs median MCSE %.4f: ratio %.2f outside [0.5, 2]", name, sd, med, sd/med)
		}
		if tol := 4*sd/math.Sqrt(float64(seeds)) + 1e-3; math.Abs(mean-mle[i]) > tol {
			t.Errorf("%s: mean over seeds %.4f, exact MLE %.4f: differ by more than %.4f", name, mean, mle[i], tol)
		}
	}
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// TestJackknifeHugeAtTinyESS: a fit whose weights rest on a handful of
// samples must not report a small MCSE. glmm's single density at m = 1024
// on the quadrature test's model has, at this seed, an effective sample
// size near 1; its jackknife MCSEs must then be at least half a standard
// error each (they are +Inf: 1.4 effective groups are too few to estimate
// a spread from).
func TestJackknifeHugeAtTinyESS(t *testing.T) {
	d := simulate(family.Bernoulli, 24, 6, []float64{0.3, 1.2}, 1.5, 0, 5)
	f, err := Run(d, Options{M: 1024, Seed: 104, Workers: 2, Stages: 1})
	if err != nil {
		t.Fatal(err)
	}
	if f.ESS > 5 {
		t.Fatalf("ESS %.1f: the test needs a seed whose ESS is tiny", f.ESS)
	}
	for i, se := range f.SE {
		t.Logf("parameter %d: SE %.3f, jackknife MCSE %.3g, glmm's MCSE %.3g (ESS %.1f)", i, se, f.MCSE[i], f.MCSEGlmm[i], f.ESS)
		if !(f.MCSE[i] >= 0.5*se) {
			t.Errorf("parameter %d: MCSE %.3g at ESS %.1f is below half its SE %.3g", i, f.MCSE[i], f.ESS, se)
		}
	}
}

// TestStagesRaiseESS: on salamander, rebuilding the importance density at
// each stage's estimate raises the effective sample size of an equal-sized
// sample well above glmm's single density at the PQL estimate.
func TestStagesRaiseESS(t *testing.T) {
	m := 2048
	if raceEnabled {
		m = 1024
	}
	f, err := Run(salamander(t), Options{M: m, PilotM: m, Seed: 4, Workers: 2, Stages: 3})
	if err != nil {
		t.Fatal(err)
	}
	for s, st := range f.Stages {
		t.Logf("stage %d: m %d, ESS %.1f, guarded %v, estimate %.3f", s+1, st.M, st.ESS, st.Guarded, st.Par)
	}
	if len(f.Stages) < 2 {
		t.Fatalf("%d stage(s): staging stopped before a second density", len(f.Stages))
	}
	first, final := f.Stages[0].ESS, f.Stages[f.FinalStage].ESS
	if !(final >= 2*first) {
		t.Errorf("the final stage's ESS %.1f is not twice the first stage's %.1f", final, first)
	}
	one, err := Run(salamander(t), Options{M: m, Seed: 4, Workers: 2, Stages: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("glmm's single density: ESS %.1f", one.ESS)
	if len(one.Stages) != 1 || one.TSigma {
		t.Errorf("stages = 1: %d stage(s), t at Σ̃ %v; want glmm's single stage", len(one.Stages), one.TSigma)
	}
	if !(final >= 10*one.ESS) {
		t.Errorf("the final stage's ESS %.1f is not 10 times glmm's single density's %.1f", final, one.ESS)
	}
}

// TestAutoStopsAtCaps: m = "auto" whose targets cannot be met stops at
// MMax (or TimeMax) and says so; one whose targets are easy stops with
// them met; and the automatic fit is bit-identical for 1 and 2 workers.
func TestAutoStopsAtCaps(t *testing.T) {
	d := simulate(family.Bernoulli, 24, 6, []float64{0.3, 1.2}, 1.5, 0, 5)
	capped := Options{Auto: true, PilotM: 512, MMax: 2048, ESSTarget: 1e6, Seed: 7, Stages: 2}
	var fits [2]*Fit
	for w := range 2 {
		o := capped
		o.Workers = w + 1
		f, err := Run(d, o)
		if err != nil {
			t.Fatal(err)
		}
		fits[w] = f
	}
	f := fits[0]
	if f.AutoStop != CapM || f.M != 2048 || f.TargetMet {
		t.Errorf("capped by MMax: stop %v, m %d, target met %v; want %v at m 2048", f.AutoStop, f.M, f.TargetMet, CapM)
	}
	g := fits[1]
	same := g.M == f.M && g.Value == f.Value && g.ESS == f.ESS && len(g.Stages) == len(f.Stages)
	for i := range f.Par() {
		same = same && g.Par()[i] == f.Par()[i] && g.MCSE[i] == f.MCSE[i]
	}
	if !same {
		t.Errorf("m auto: 2 workers differ from 1: m %d vs %d, %v vs %v", g.M, f.M, g.Par(), f.Par())
	}

	timed := capped
	timed.MMax, timed.TimeMax = 1<<30, 1 // 1 ns: a second stage or the first growth would pass it
	h, err := Run(d, timed)
	if err != nil {
		t.Fatal(err)
	}
	if h.AutoStop != CapTime || h.M != 512 || len(h.Stages) != 1 {
		t.Errorf("capped by TimeMax: stop %v at m %d after %d stages; want %v at the pilot's 512 after one stage",
			h.AutoStop, h.M, len(h.Stages), CapTime)
	}

	easy := Options{Auto: true, PilotM: 512, ESSTarget: 50, RelMCSE: 0.5, Seed: 7, Stages: 2, Workers: 2}
	e, err := Run(d, easy)
	if err != nil {
		t.Fatal(err)
	}
	if e.AutoStop != TargetReached || !e.TargetMet || e.ESS < 50 {
		t.Errorf("easy targets: stop %v, target met %v, ESS %.1f", e.AutoStop, e.TargetMet, e.ESS)
	}
	for i, se := range e.SE {
		if e.MCSE[i] > 0.5*se {
			t.Errorf("easy targets met with MCSE %.3g above 0.5 SE %.3g", e.MCSE[i], se)
		}
	}
}
