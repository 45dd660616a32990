package lmm_test

import (
	"fmt"

	"github.com/glmmgo/glmmgo/core/objective/lmm"
)

// The gradient and the two Hessians of a random-intercept model's ML
// deviance: 12 observations in 4 groups of 3. (lme4's devfun for
// y ~ 1 + (1|g) on these data, differentiated by numDeriv, gives 33.6579,
// −2.2592 and 5.163 at θ = 1.5.)
func ExampleModel_Gradient() {
	y := []float64{9.1, 10.2, 9.7, 12.0, 11.4, 12.9, 8.3, 8.9, 7.8, 10.6, 11.1, 10.0}
	x := make([]float64, len(y)) // the intercept
	codes := make([]int, len(y))
	for i := range y {
		x[i], codes[i] = 1, i/3
	}
	m, err := lmm.New(lmm.Data{Y: y, X: x, P: 1,
		Terms: []lmm.Term{{Name: "g", Codes: codes, NLevels: 4, K: 1, Z: x}}})
	if err != nil {
		panic(err)
	}
	defer m.Close()
	theta := []float64{1.5}
	g := make([]float64, 1)
	dev, _ := m.Gradient(theta, false, g)
	hp, hf := make([]float64, 1), make([]float64, 1)
	_ = m.Hessian(theta, false, lmm.SigmaProfiled, hp)
	_ = m.Hessian(theta, false, lmm.SigmaFixed, hf)
	fmt.Printf("deviance %.4f, gradient %.4f\n", dev, g[0])
	fmt.Printf("Hessian: profiled %.3f, σ fixed %.3f\n", hp[0], hf[0])
	// Output:
	// deviance 33.6579, gradient -2.2592
	// Hessian: profiled 5.163, σ fixed 9.135
}
