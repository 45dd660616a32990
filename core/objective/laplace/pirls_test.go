package laplace

import (
	"math"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
)

// largeCounts is a Poisson model with counts in the hundreds: from β = 0,
// u = 0 (η = the offset, means near 1) the first Fisher step overshoots
// to η in the hundreds, where the penalised deviance overflows, so PIRLS
// must halve it.
func largeCounts() Data {
	d := smallData(smallCase{"poisson", family.Poisson, family.DefaultLink, 1, 0}, 3)
	for i := range d.Y {
		d.Y[i] = 150 + math.Floor(100*float64(i%7)/7)
	}
	return d
}

// TestStepHalving: the first search halves steps and still reaches the
// oracle's mode.
func TestStepHalving(t *testing.T) {
	d := largeCounts()
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	th := []float64{0.5, 0.3}
	if _, err := m.LaplaceFast(th); err != nil {
		t.Fatal(err)
	}
	md := m.LastMode(true)
	if md.Halvings == 0 {
		t.Errorf("no step was halved (%d steps)", md.Iter)
	}
	u, b, _, _ := newOracle(d, m, th).solve(t, []float64{math.Log(200), 0}, true) // the oracle does not halve: a start near the mode
	compare(t, "u", md.U, u, 1e-10)
	compare(t, "beta", md.Beta, b, 1e-10)
	t.Logf("%d steps, %d halvings", md.Iter, md.Halvings)
}

// TestFailureNamesTheCulprit: a search cut short reports a numerical
// error that says where it was and what moved most.
func TestFailureNamesTheCulprit(t *testing.T) {
	m, err := New(largeCounts())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.SetTolerance(Tolerance{MaxIter: 2})
	_, err = m.LaplaceFast([]float64{0.5, 0.3})
	if errs.KindOf(err) != errs.Numeric {
		t.Fatalf("got %v, want a numerical error", err)
	}
	for _, want := range []string{"PIRLS failed (no convergence)", "θ = [0.5 0.3]", "step 3", "penalised deviance", "observation", "term g"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	// the model recovers with the default settings
	m.SetTolerance(Tolerance{})
	if _, err := m.LaplaceFast([]float64{0.5, 0.3}); err != nil {
		t.Errorf("after a failure: %v", err)
	}
}

// TestNotFiniteStart: a β at which an observation has probability 0 is
// refused with the observation named.
func TestNotFiniteStart(t *testing.T) {
	d := smallData(smallCases[2], 5) // binomial cloglog
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	_, err = m.Laplace([]float64{0.5, 0.5}, []float64{800, 0})
	if errs.KindOf(err) != errs.Numeric || !strings.Contains(err.Error(), "observation") {
		t.Errorf("got %v", err)
	}
}

// TestBadInput: each fault is an invalid-argument error naming its
// argument.
func TestBadInput(t *testing.T) {
	base := func() Data { return smallData(smallCases[2], 5) } // binomial with trials
	cases := []struct {
		name, arg string
		edit      func(*Data)
	}{
		{"non-binary Bernoulli response", "y", func(d *Data) { d.Family, d.Trials, d.Link = family.Bernoulli, nil, family.Logit; d.Y[3] = 2 }},
		{"negative count", "y", func(d *Data) { d.Family, d.Trials, d.Link = family.Poisson, nil, family.Log; d.Y[0] = -1 }},
		{"zero trials", "ntrials", func(d *Data) { d.Trials[4], d.Y[4] = 0, 0 }},
		{"offset of wrong length", "offset", func(d *Data) { d.Offset = d.Offset[:10] }},
		{"a family the engine lacks", "family", func(d *Data) { d.Family = 9 }},
		{"a link of another family", "link", func(d *Data) { d.Link = family.Log }},
		{"observed curvature with probit", "link", func(d *Data) { d.Link, d.Observed = family.Probit, true }},
		{"NaN in X", "X", func(d *Data) { d.X[5] = math.NaN() }},
		{"no terms", "terms", func(d *Data) { d.Terms = nil }},
		{"no observations", "y", func(d *Data) { d.Y = nil }},
	}
	for _, c := range cases {
		d := base()
		c.edit(&d)
		_, err := New(d)
		if e, ok := err.(*errs.Error); !ok || e.Kind != errs.Invalid || e.Arg != c.arg {
			t.Errorf("%s: got %v, want an invalid-argument error naming %s", c.name, err, c.arg)
		}
	}
}

// TestBadParameters: θ and β are checked before any work.
func TestBadParameters(t *testing.T) {
	m, err := New(smallData(smallCases[0], 5))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, c := range []struct {
		theta, beta []float64
		kind        errs.Kind
		arg         string
	}{
		{[]float64{1}, []float64{0, 0}, errs.Invalid, "theta"},
		{[]float64{1, math.NaN()}, []float64{0, 0}, errs.Invalid, "theta"},
		{[]float64{1, -0.5}, []float64{0, 0}, errs.Domain, "theta"},
		{[]float64{1, 1}, []float64{0}, errs.Invalid, "beta"},
		{[]float64{1, 1}, []float64{0, math.Inf(1)}, errs.Invalid, "beta"},
	} {
		_, err := m.Laplace(c.theta, c.beta)
		if e, ok := err.(*errs.Error); !ok || e.Kind != c.kind || e.Arg != c.arg {
			t.Errorf("θ %v β %v: got %v", c.theta, c.beta, err)
		}
	}
	if _, err := m.AGQ([]float64{1, 1}, []float64{0, 0}, 3); errs.KindOf(err) != errs.Invalid {
		t.Errorf("AGQ with two terms: %v", err)
	}
}

// TestResetForgetsTheLastMode: after Reset, the fast and slow values at a
// point are bit for bit those of a fresh model, whatever was evaluated
// before; without it the warm start from another point's mode may differ
// in the last bits.
func TestResetForgetsTheLastMode(t *testing.T) {
	d := smallData(smallCase{"poisson", family.Poisson, family.DefaultLink, 1, 0}, 5)
	fresh := func() *Model {
		m, err := New(d)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	th, beta := []float64{0.7, 0.2}, []float64{0.3, -0.1}
	m0 := fresh()
	defer m0.Close()
	wantFast, err := m0.LaplaceFast(th)
	if err != nil {
		t.Fatal(err)
	}
	wantSlow, err := m0.Laplace(th, beta)
	if err != nil {
		t.Fatal(err)
	}
	m := fresh()
	defer m.Close()
	for _, other := range [][]float64{{2.5, 0.01}, {0.05, 1.9}} {
		if _, err := m.LaplaceFast(other); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Laplace(other, []float64{-1, 0.4}); err != nil {
			t.Fatal(err)
		}
		m.Reset()
		if m.LastMode(true) != nil || m.LastMode(false) != nil {
			t.Fatal("a mode survived Reset")
		}
		gotFast, err := m.LaplaceFast(th)
		if err != nil {
			t.Fatal(err)
		}
		m.Reset()
		gotSlow, err := m.Laplace(th, beta)
		if err != nil {
			t.Fatal(err)
		}
		if math.Float64bits(gotFast) != math.Float64bits(wantFast) || math.Float64bits(gotSlow) != math.Float64bits(wantSlow) {
			t.Errorf("after Reset: fast %.17g slow %.17g, a fresh model %.17g and %.17g", gotFast, gotSlow, wantFast, wantSlow)
		}
		m.Reset()
	}
}
