package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/glmmgo/glmmgo/core/fit/lmmfit"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/internal/refdata"
)

// demoLMM fits two of the lme4 reference models and prints them in
// lme4's layout, with lme4's optimum alongside.
func demoLMM() error {
	refs, err := refdata.References()
	if err != nil {
		return err
	}
	for _, name := range []string{"sleepstudy_reml", "insteval_ml"} {
		for _, ref := range refs {
			if ref.Name == name {
				if err := fitAndPrint(ref); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func fitAndPrint(ref refdata.Reference) error {
	t0 := time.Now()
	d, err := refdata.Build(ref)
	if err != nil {
		return err
	}
	terms := make([]lmm.Term, len(d.Terms))
	for i, t := range d.Terms {
		terms[i] = lmm.Term{Name: t.Name, Codes: t.Codes, NLevels: t.NLevels, K: t.K, Z: t.Z}
	}
	m, err := lmm.New(lmm.Data{Y: d.Y, X: d.X, P: d.P, XNames: d.XNames, Terms: terms})
	if err != nil {
		return err
	}
	defer m.Close()
	res, err := lmmfit.Fit(m, lmmfit.Options{REML: ref.REML})
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	crit := "ML"
	if ref.REML {
		crit = "REML"
	}
	fmt.Printf("Linear mixed model fit by %s: %s  (data: %s, %d observations)\n", crit, ref.Formula, ref.Dataset, res.NObs)
	fmt.Printf("%s criterion %.4f (lme4 %.4f)   AIC %.1f   BIC %.1f   logLik %.2f\n",
		map[bool]string{true: "REML", false: "deviance"}[ref.REML], res.Objective, ref.Objective, res.AIC, res.BIC, res.LogLik)
	fmt.Println("Random effects:")
	order := m.TermOrder()
	pos := 0
	for _, ti := range order {
		name, nl, k := m.TermInfo(ti)
		// θ of a k-column term is its lower-triangular template, column by
		// column; the standard deviations are σ times the row norms.
		tm := make([]float64, k*k)
		for j := 0; j < k; j++ {
			for i := j; i < k; i++ {
				tm[j*k+i] = res.Theta[pos]
				pos++
			}
		}
		for i := 0; i < k; i++ {
			var s float64
			for j := 0; j <= i; j++ {
				s += tm[j*k+i] * tm[j*k+i]
			}
			fmt.Printf("  %-10s col %d  Std.Dev. %10.4f   (%d levels)\n", name, i+1, res.Sigma*math.Sqrt(s), nl)
		}
	}
	fmt.Printf("  %-10s        Std.Dev. %10.4f   (lme4 %.4f)\n", "Residual", res.Sigma, ref.Sigma)
	fmt.Println("Fixed effects:")
	shown := min(len(res.Beta), 6)
	for i := 0; i < shown; i++ {
		fmt.Printf("  %-14s %12.4f  SE %9.4f  t %8.2f   (lme4 %.4f, SE %.4f)\n",
			res.BetaNames[i], res.Beta[i], res.SE[i], res.Beta[i]/res.SE[i], ref.Beta[i], ref.BetaSE[i])
	}
	if shown < len(res.Beta) {
		fmt.Printf("  ... and %d more\n", len(res.Beta)-shown)
	}
	fmt.Printf("theta %s   (lme4 %s)\n", floats(res.Theta), floats(ref.Theta))
	fmt.Printf("%d evaluations, converged %v, singular %v; fit in %.2f s (lme4 1.1-31 took %.2f s for this fit when the reference was made)\n\n",
		res.Evals, res.Converged, res.Singular, elapsed.Seconds(), ref.Lme4Seconds)
	return nil
}

func floats(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.5f", x)
	}
	return "[" + strings.Join(s, " ") + "]"
}
