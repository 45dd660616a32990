package laplacefit_test

import (
	"fmt"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fit/laplacefit"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refdata"
)

// The cbpp model of lme4's glmer documentation,
// cbind(incidence, size − incidence) ~ period + (1 | herd).
func ExampleFit() {
	g, err := refdata.BuildGLMM("cbpp") // the data with R's model matrix
	if err != nil {
		panic(err)
	}
	herd := g.Terms[0]
	m, err := laplace.New(laplace.Data{
		Response: response.Response{Family: family.Binomial, Y: g.Y, Trials: g.Trials},
		X:        g.X, P: g.P, XNames: g.XNames,
		Terms: []lmm.Term{{Name: "herd", Codes: herd.Codes, NLevels: herd.NLevels, K: 1, Z: herd.Z}},
	})
	if err != nil {
		panic(err)
	}
	defer m.Close()
	r, err := laplacefit.Fit(m, laplacefit.Options{}) // Laplace, lme4's nAGQ = 1
	if err != nil {
		panic(err)
	}
	fmt.Printf("-2 log L %.3f, deviance (MixedModels.jl) %.3f\n", r.MinusTwoLogLik, r.Deviance)
	fmt.Printf("herd sd %.3f\n", r.VarCorr[0].SD[0])
	for j, name := range r.BetaNames {
		fmt.Printf("%-12s %7.3f (%.3f)\n", name, r.Beta[j], r.SE[j])
	}
	// Output:
	// -2 log L 184.053, deviance (MixedModels.jl) 100.096
	// herd sd 0.642
	// (Intercept)   -1.399 (0.232)
	// period2       -0.992 (0.307)
	// period3       -1.129 (0.327)
	// period4       -1.580 (0.427)
}
