package main

import (
	"fmt"
	"time"

	"github.com/glmmgo/glmmgo/core/fit/mixlogitfit"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// demoMixlogit fits the two-class mixture of logistic random-intercept
// models to data simulated with well-separated classes (n = 500, T = 20),
// by maximum likelihood and by Monte Carlo EM, beside the truth.
func demoMixlogit() error {
	truth := mixlogit.Params{-1, 1.5, 1, 2, 0.6}
	const n, t = 500, 20
	d, _, err := mixlogit.Simulate(truth, n, t, mixlogit.NormalCovariate(n, t, 2025), 2026)
	if err != nil {
		return err
	}
	m, err := mixlogit.New(d)
	if err != nil {
		return err
	}
	fmt.Printf("\nTwo-class mixture of logistic random-intercept models, %d subjects on %d occasions (simulated);\n", n, t)
	fmt.Printf("class 1 has the smaller slope\n\n")
	fits := map[mixlogitfit.Method]*mixlogitfit.Result{}
	for _, method := range []mixlogitfit.Method{mixlogitfit.Quadrature, mixlogitfit.MCEM} {
		opt := mixlogitfit.DefaultOptions()
		opt.Method, opt.Seed = method, 1
		t0 := time.Now()
		res, err := mixlogitfit.Fit(m, opt)
		if err != nil {
			return err
		}
		fits[method] = res
		fmt.Printf("%-10s %.2f s, %d iterations, converged %v, exact log-likelihood %.4f\n", method, time.Since(t0).Seconds(),
			res.Iterations, res.Converged, res.LogLik)
	}
	q, mc := fits[mixlogitfit.Quadrature], fits[mixlogitfit.MCEM]
	fmt.Printf("\n%-8s %7s %10s %8s %10s %8s %16s\n", "", "truth", "quadrature", "SE", "MCEM", "MCSE", "(MCEM - MLE)/MCSE")
	for k, name := range mixlogit.ParamNames {
		fmt.Printf("%-8s %7.3f %10.4f %8.4f %10.4f %8.4f %16.2f\n", name, truth[k], q.Estimate[k], q.SE[k], mc.Estimate[k], mc.MCSE[k],
			(mc.Estimate[k]-q.Estimate[k])/mc.MCSE[k])
	}
	return nil
}
