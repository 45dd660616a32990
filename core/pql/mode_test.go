package pql

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/internal/refcase"
)

// TestModeAtBothPaths: the conditional mode at a (β, σ) other than PQL's
// is the same on the blocked factor and by the dense Newton iteration, and
// at PQL's own (β̃, σ) it is PQL's u*.
func TestModeAtBothPaths(t *testing.T) {
	c, err := refcase.Load(refcase.Dir() + "/salamander_m300_pql.json")
	if err != nil {
		t.Fatal(err)
	}
	pr, vc := problem(t, c)
	pqlFit, err := Fit(pr, vc, c.NVC, Options{})
	if err != nil {
		t.Fatal(err)
	}
	at, err := ModeAt(pr, vc, pqlFit.Beta, pqlFit.Sigma, Options{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "u* at PQL's estimate", at, pqlFit.UStar, 1e-6)
	beta, sigma := []float64{1.02, 0.32, -1.95, 0.99}, []float64{1.18, 1.12}
	blk, err := ModeAt(pr, vc, beta, sigma, Options{})
	if err != nil {
		t.Fatal(err)
	}
	den, err := ModeAt(pr, vc, beta, sigma, Options{Dense: true})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "u*", blk, den, 1e-6)
	for _, f := range []struct {
		fam  family.Code
		disp float64
	}{{family.Poisson, 0}, {family.NegBinomial, 2}} {
		pr, vc, nvc := crossedProblem(t, f.fam, f.disp, false)
		sigma := make([]float64, nvc)
		for i := range sigma {
			sigma[i] = 0.7 + 0.1*float64(i)
		}
		beta := make([]float64, pr.P)
		beta[0] = 0.3
		blk, err := ModeAt(pr, vc, beta, sigma, Options{})
		if err != nil {
			t.Fatal(err)
		}
		den, err := ModeAt(pr, vc, beta, sigma, Options{Dense: true})
		if err != nil {
			t.Fatal(err)
		}
		near(t, f.fam.String()+" u*", blk, den, 1e-6)
	}
	if _, err := ModeAt(pr, vc[1:], beta, sigma, Options{}); err == nil {
		t.Error("a short column map accepted")
	}
}
