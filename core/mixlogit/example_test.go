package mixlogit_test

import (
	"fmt"

	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The exact log-likelihood and the posterior class probabilities of
// simulated data.
func Example() {
	truth := mixlogit.Params{-1, 1.5, 1, 2, 0.6} // β₁, β₂, σ₁, σ₂, π₁
	n, t := 200, 20
	x := mixlogit.NormalCovariate(n, t, 1)
	d, class, err := mixlogit.Simulate(truth, n, t, x, 2)
	if err != nil {
		panic(err)
	}
	m, err := mixlogit.New(d)
	if err != nil {
		panic(err)
	}
	l, err := m.Likelihood(0)
	if err != nil {
		panic(err)
	}
	ll, err := l.Eval(truth, nil, nil)
	if err != nil {
		panic(err)
	}
	post, err := l.Posterior(truth)
	if err != nil {
		panic(err)
	}
	agree := 0
	for i := range n {
		if (post[i] > 0.5) == (class[i] == 0) {
			agree++
		}
	}
	fmt.Printf("log-likelihood at the truth: %.4f\n", ll)
	fmt.Printf("subjects classified as simulated: %d of %d\n", agree, n)
	// Output:
	// log-likelihood at the truth: -2201.0681
	// subjects classified as simulated: 193 of 200
}
