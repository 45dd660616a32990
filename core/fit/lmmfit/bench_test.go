package lmmfit

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/internal/refdata"
	"github.com/glmmgo/glmmgo/internal/simdata"
)

// The fit benchmarks time the whole fit (New included, as a user's call
// costs) and report the evaluations, the time of one evaluation at the
// optimum (the best of five), the trailing factor chosen and the peak
// resident set of the process (VmHWM: run one benchmark per process for a
// meaningful figure, e.g. -bench 'CrossedFit/levels=10000$'). The designs
// of 10 000 and 20 000 levels per factor run only with
// GLMMGO_BENCH_LARGE=1: they take minutes and gigabytes.

// peakRSS returns the process's peak resident set in bytes (Linux), or 0.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

func fromSim(d simdata.Data) lmm.Data {
	out := lmm.Data{Y: d.Y, X: d.X, P: d.P}
	for _, t := range d.Terms {
		out.Terms = append(out.Terms, lmm.Term{Name: t.Name, Codes: t.Codes, NLevels: t.NLevels, K: t.K, Z: t.Z})
	}
	return out
}

// benchFit fits d (ML) b.N times and reports what the package doc says.
func benchFit(b *testing.B, d lmm.Data) {
	b.ReportAllocs()
	var res *Result
	var m *lmm.Model
	for b.Loop() {
		if m != nil {
			m.Close()
		}
		var err error
		if m, err = lmm.New(d); err != nil {
			b.Fatal(err)
		}
		if res, err = Fit(m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	defer m.Close()
	b.StopTimer()
	best := time.Duration(1 << 62)
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		if _, err := m.Objective(res.Theta, false); err != nil {
			b.Fatal(err)
		}
		best = min(best, time.Since(t0))
	}
	fi := m.Factor()
	b.ReportMetric(float64(res.Evals), "evals")
	b.ReportMetric(best.Seconds()*1e3, "ms/θ")
	b.ReportMetric(peakRSS()/(1<<20), "peak-MB")
	b.ReportMetric(float64(fi.Bytes)/(1<<20), "factor-MB")
	b.Logf("%s trailing factor of order %d (%s), %d nonzeros; θ̂ %v, deviance %.10g", fi.Kind, fi.Order, fi.Reason, fi.NNZ, res.Theta, res.Deviance)
}

// BenchmarkInstEvalFitML is the whole ML fit of y ~ service*dept + (1|s) +
// (1|d) on InstEval, model construction included (lme4: 3.9 s here).
func BenchmarkInstEvalFitML(b *testing.B) {
	refs, _ := refdata.References()
	for _, ref := range refs {
		if ref.Name != "insteval_ml" {
			continue
		}
		md, err := refdata.Build(ref)
		if err != nil {
			b.Fatal(err)
		}
		d := lmm.Data{Y: md.Y, X: md.X, P: md.P, XNames: md.XNames}
		for _, tm := range md.Terms {
			d.Terms = append(d.Terms, lmm.Term{Name: tm.Name, Codes: tm.Codes, NLevels: tm.NLevels, K: tm.K, Z: tm.Z})
		}
		benchFit(b, d)
	}
}

func large(b *testing.B, levels int) {
	if levels >= 10000 && os.Getenv("GLMMGO_BENCH_LARGE") == "" {
		b.Skip("set GLMMGO_BENCH_LARGE=1 for designs of 10 000 levels and more")
	}
}

// BenchmarkCrossedFit fits y ~ x + (1|g) + (1|h) with g and h crossed at
// random, ~10 observations per level: the trailing block is dense, its
// factor (levels³/3 flops per θ) the whole cost.
func BenchmarkCrossedFit(b *testing.B) {
	for _, l := range []int{2000, 5000, 10000, 20000} {
		b.Run(fmt.Sprintf("levels=%d", l), func(b *testing.B) {
			large(b, l)
			benchFit(b, fromSim(simdata.Crossed(1, l, l, 10)))
		})
	}
}

// BenchmarkLocallyCrossedFit fits 20 000 pupils × 5 000 teachers crossed
// within 250 schools (20 teachers, 80 pupils, 5 observations per pupil;
// y ~ x + (1|pupil) + (1|teacher) + (1|school)): the trailing block is
// sparse.
func BenchmarkLocallyCrossedFit(b *testing.B) {
	benchFit(b, fromSim(simdata.LocallyCrossed(1, 250, 20, 80, 5, true, false)))
}

// BenchmarkNestedFit fits 100 000 pupils nested in 50 000 classes (two
// observations per pupil): a later block of 50 000 levels, refused dense
// before, sparse and small now.
func BenchmarkNestedFit(b *testing.B) {
	benchFit(b, fromSim(simdata.Nested(1, 100000, 50000, 2)))
}

// BenchmarkFitOptimizer times whole fits (model construction excluded)
// with each optimiser: sleepstudy and Penicillin (2–3 θ), InstEval (2 θ,
// n = 73 421) and the 20-θ maximal crossed design; evals counts criterion
// evaluations (with the gradient, for BFGS). Run with -count ≥ 3: the
// sub-benchmarks of one model alternate.
func BenchmarkFitOptimizer(b *testing.B) {
	refs, err := refdata.References()
	if err != nil {
		b.Fatal(err)
	}
	models := map[string]lmm.Data{"maximal20": fromSim(simdata.Maximal(1, 60, 40, 1))}
	for _, ref := range refs {
		switch ref.Name {
		case "sleepstudy_ml", "penicillin_ml", "insteval_ml":
			md, err := refdata.Build(ref)
			if err != nil {
				b.Fatal(err)
			}
			d := lmm.Data{Y: md.Y, X: md.X, P: md.P, XNames: md.XNames}
			for _, tm := range md.Terms {
				d.Terms = append(d.Terms, lmm.Term{Name: tm.Name, Codes: tm.Codes, NLevels: tm.NLevels, K: tm.K, Z: tm.Z})
			}
			models[ref.Name] = d
		}
	}
	for _, name := range []string{"sleepstudy_ml", "penicillin_ml", "insteval_ml", "maximal20"} {
		m, err := lmm.New(models[name])
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range []Optimizer{OptimizerBOBYQA, OptimizerBFGS} {
			b.Run(fmt.Sprintf("%s/%v", name, o), func(b *testing.B) {
				var res *Result
				for b.Loop() {
					if res, err = Fit(m, Options{Optimizer: o}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(res.Evals), "evals")
			})
		}
		m.Close()
	}
}
