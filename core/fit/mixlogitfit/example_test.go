package mixlogitfit_test

import (
	"fmt"

	"github.com/glmmgo/glmmgo/core/fit/mixlogitfit"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// Both fits on data simulated with well-separated classes.
func Example() {
	truth := mixlogit.Params{-1, 1.5, 1, 2, 0.6}
	n, t := 300, 20
	x := mixlogit.NormalCovariate(n, t, 1)
	d, _, err := mixlogit.Simulate(truth, n, t, x, 2)
	if err != nil {
		panic(err)
	}
	m, err := mixlogit.New(d)
	if err != nil {
		panic(err)
	}
	for _, method := range []mixlogitfit.Method{mixlogitfit.Quadrature, mixlogitfit.MCEM} {
		opt := mixlogitfit.DefaultOptions()
		opt.Method, opt.Seed = method, 1
		res, err := mixlogitfit.Fit(m, opt)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-10s converged %v, log-likelihood %.2f\n", method, res.Converged, res.LogLik)
		for k, name := range mixlogit.ParamNames {
			fmt.Printf("  %-6s %6.3f (SE %.3f)\n", name, res.Estimate[k], res.SE[k])
		}
	}
	// Output:
	// quadrature converged true, log-likelihood -3320.81
	//   beta1  -1.071 (SE 0.051)
	//   beta2   1.485 (SE 0.084)
	//   sigma1  1.083 (SE 0.088)
	//   sigma2  2.025 (SE 0.181)
	//   pi1     0.597 (SE 0.030)
	// mcem       converged true, log-likelihood -3320.84
	//   beta1  -1.066 (SE 0.051)
	//   beta2   1.493 (SE 0.084)
	//   sigma1  1.065 (SE 0.085)
	//   sigma2  2.053 (SE 0.182)
	//   pi1     0.597 (SE 0.030)
}
