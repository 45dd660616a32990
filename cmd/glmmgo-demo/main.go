// Command glmmgo-demo is the README's demonstration on bundled data:
//
//   - linear mixed models fitted like lme4 (sleepstudy by REML, InstEval by
//     ML), printed with lme4's published optimum alongside;
//   - GLMMs by the Laplace approximation and adaptive quadrature (cbpp,
//     grouseticks, VerbAgg), beside lme4's glmer fits of the same models;
//   - glmm's Monte Carlo likelihood approximation for the salamander mating
//     data (Bernoulli, crossed female and male effects) on glmm's own
//     samples, side by side with glmm's values, and the objective timed at
//     m = 10⁵ samples on 1 and all workers;
//   - the two-class mixture of logistic random-intercept models on simulated
//     data, fitted by maximum likelihood and by Monte Carlo EM.
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refcase"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "glmmgo-demo:", err)
		os.Exit(1)
	}
}

func model(c *refcase.Case, m int, umat []float64) (*mcla.Model, error) {
	mod, err := mcla.New(mcla.Data{Response: response.Response{Family: family.Bernoulli, Y: c.Y}, N: c.N, P: c.P, Q: c.Q, X: c.X,
		ZRow: c.Z.Row, ZCol: c.Z.Col, ZVal: c.Z.Val, NVC: c.NVC, VCOf: c.VCOf()})
	if err != nil {
		return nil, err
	}
	imp := importance.Params{Zeta: c.Zeta, UStar: c.UStar, DStar: c.DStar, SigmaInv: c.SigmaInv}
	copy(imp.P[:], c.PMix)
	if err := mod.SetImportance(imp, 0); err != nil {
		return nil, err
	}
	return mod, mod.SetSamples(m, umat, 0)
}

func run() error {
	if err := demoLMM(); err != nil {
		return err
	}
	if err := demoGLMM(); err != nil {
		return err
	}
	if err := demoMCLA(); err != nil {
		return err
	}
	return demoMixlogit()
}

func demoMCLA() error {
	c, err := refcase.Load(filepath.Join(refcase.Dir(), "salamander_m300_mle.json"))
	if err != nil {
		return err
	}
	mod, err := model(c, c.M, c.UMat)
	if err != nil {
		return err
	}
	d := mod.NPar()
	res := mcla.Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := mod.Evaluate(c.Par, 0, &res); err != nil {
		return err
	}
	names := []string{"CrossR/R", "CrossR/W", "CrossW/R", "CrossW/W", "nu Female", "nu Male"}
	fmt.Printf("Salamander mating (n = %d, p = %d, q = %d, nvc = %d), MCLA on glmm's %d samples\n", c.N, c.P, c.Q, c.NVC, c.M)
	fmt.Printf("at glmm's MCLA estimate; glmm 1.4.5's own values alongside\n\n")
	fmt.Printf("%-18s %14s %14s\n", "", "glmmgo", "glmm")
	fmt.Printf("%-18s %14.8f %14.8f\n", "log-likelihood", res.Value, c.Value)
	for i, n := range names {
		fmt.Printf("%-18s %14.3e %14.3e   gradient\n", n, res.Gradient[i], c.Gradient[i])
	}
	worst := math.Abs(res.Value-c.Value) / math.Abs(c.Value)
	for i := range res.Hessian {
		worst = math.Max(worst, math.Abs(res.Hessian[i]-c.Hessian[i])/math.Max(1, math.Abs(c.Hessian[i])))
	}
	fmt.Printf("\nstandard errors from the observed information:\n")
	se := standardErrors(res.Hessian, d)
	for i, n := range names {
		fmt.Printf("  %-16s %10.4f  (glmm %.4f)\n", n, se[i], c.SE[i])
	}
	fmt.Printf("largest relative difference from glmm (value, Hessian): %.2e\n\n", worst)

	const m = 100_000
	r := rand.New(rand.NewPCG(2026, 11))
	big := make([]float64, m*c.Q)
	for j := 0; j < c.Q; j++ {
		for k := 0; k < m; k++ {
			big[j*m+k] = c.UStar[j] + math.Sqrt(c.DStar[j])*r.NormFloat64()
		}
	}
	t0 := time.Now()
	mod, err = model(c, m, big)
	if err != nil {
		return err
	}
	fmt.Printf("m = %d samples set (importance density precomputed) in %.2f s\n", m, time.Since(t0).Seconds())
	for _, w := range []int{1, parallel.Available()} {
		_ = mod.Evaluate(c.Par, w, &res)
		const reps = 3
		t0 = time.Now()
		for range reps {
			if err := mod.Evaluate(c.Par, w, &res); err != nil {
				return err
			}
		}
		el := time.Since(t0).Seconds() / reps
		fmt.Printf("value+gradient+Hessian, %d worker(s): %.3f s per evaluation, %.2f µs per sample, value %.10f\n", w, el, el/m*1e6, res.Value)
	}
	return nil
}

// standardErrors are the square roots of the diagonal of (−H)⁻¹, NaN if
// −H is not positive definite.
func standardErrors(h []float64, d int) []float64 {
	a := make([]float64, d*d)
	for i := range h {
		a[i] = -h[i]
	}
	se := make([]float64, d)
	var c dense.SPD
	if !c.Factor(d, a) {
		for i := range se {
			se[i] = math.NaN()
		}
		return se
	}
	inv := make([]float64, d*d)
	c.Inverse(inv)
	for i := range se {
		se[i] = math.Sqrt(inv[i*d+i])
	}
	return se
}
