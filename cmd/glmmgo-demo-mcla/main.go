// Command glmmgo-demo-mcla fits glmm's salamander model by Monte Carlo
// likelihood approximation and prints a glmm-style summary:
//
//	glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male),
//	     varcomps.names = c("F", "M"), data = salamander,
//	     family.glmm = bernoulli.glmm, m = 10^4)
//
// Flags set m, the seed and the number of workers. The estimates do not
// depend on the number of workers.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/glmmgo/glmmgo/core/fit/mclafit"
	"github.com/glmmgo/glmmgo/internal/datasets"
)

func main() {
	m := flag.Int("m", 10000, "Monte Carlo sample size")
	seed := flag.Uint64("seed", 1, "seed of the importance sample")
	workers := flag.Int("workers", 0, "threads (0 = all CPUs)")
	flag.Parse()
	if err := run(os.Stdout, *m, *seed, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "glmmgo-demo-mcla:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, m int, seed uint64, workers int) error {
	s, err := datasets.Salamander()
	if err != nil {
		return err
	}
	t0 := time.Now()
	f, err := mclafit.Run(s.Data, mclafit.Options{M: m, Seed: seed, Workers: workers})
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	Summary(w, f, s.BetaNames, s.VCNames)
	fmt.Fprintf(w, "\nMonte Carlo sample: m = %d (%d t, %d N(u*,D*), %d N(u*,Sigma)), seed %d, effective sample size %.1f\n",
		f.M, f.M1, f.M2, f.M3, seed, f.ESS)
	fmt.Fprintf(w, "Time: %.3f s (PQL %.3f, sampling %.3f, trust %.3f, inference %.3f)\n", elapsed.Seconds(),
		f.PQLTime.Seconds(), f.SampleTime.Seconds(), f.TrustTime.Seconds(), f.InferenceTime.Seconds())
	return nil
}

// Summary prints the fit as glmm's summary does, with the Monte Carlo
// standard errors glmm prints through mcse().
func Summary(w io.Writer, f *mclafit.Fit, betaNames, vcNames []string) {
	if !f.Converged {
		fmt.Fprintln(w, "WARNING: the trust region did not converge; the estimates are not maximum likelihood estimates.")
	}
	fmt.Fprintf(w, "Log-likelihood approximation (no normalising constants): %.4f; trust iterations: %d (%d evaluations)\n\n", f.Value, f.Iter, f.Evals)
	z, p := f.ZTests()
	fmt.Fprintln(w, "Fixed Effects:")
	fmt.Fprintf(w, "%-10s %10s %10s %8s %10s %10s %10s\n", "", "Estimate", "Std. Error", "z value", "Pr(>|z|)", "MCSE", "glmm MCSE")
	for i, name := range betaNames {
		fmt.Fprintf(w, "%-10s %10.4f %10.4f %8.3f %10.3g %10.4f %10.4f %s\n", name, f.Beta[i], f.SE[i], z[i], p[i], f.MCSE[i], f.MCSEGlmm[i], stars(p[i]))
	}
	fmt.Fprintln(w, "\nVariance Components for Random Effects (P-values are one-tailed):")
	fmt.Fprintf(w, "%-10s %10s %10s %8s %10s %10s %10s\n", "", "Estimate", "Std. Error", "z value", "Pr(>|z|)/2", "MCSE", "glmm MCSE")
	for t, name := range vcNames {
		i := f.P + t
		fmt.Fprintf(w, "%-10s %10.4f %10.4f %8.3f %10.3g %10.4f %10.4f %s\n", name, f.Nu[t], f.SE[i], z[i], p[i], f.MCSE[i], f.MCSEGlmm[i], stars(p[i]))
	}
	fmt.Fprintln(w, "(MCSE: the delete-a-group jackknife over the sample's blocks, which follows the spread of estimates over seeds; glmm MCSE: glmm's formula, for comparison)")
	fmt.Fprintln(w, "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
	if f.ESSWarning {
		fmt.Fprintf(w, "\nWARNING: the importance weights' effective sample size is %.1f of m = %d; the Monte Carlo standard errors themselves are unreliable. Increase m.\n", f.ESS, f.M)
	}
}

func stars(p float64) string {
	switch {
	case p < 0.001:
		return "***"
	case p < 0.01:
		return "**"
	case p < 0.05:
		return "*"
	case p < 0.1:
		return "."
	}
	return ""
}
