package lmm

import (
	"errors"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

// refillData returns the models the refill tests use: every synthetic
// model and the small lme4 reference models, by name.
func refillData(t *testing.T) map[string]Data {
	out := syntheticModels()
	for _, ref := range references(t) {
		if ref.NObs <= 1000 {
			out[ref.Name] = buildData(t, ref)
		}
	}
	return out
}

// newWeightsAndResponse returns PIRLS-like weights in [0.2, 5) and a
// perturbed response for d.
func newWeightsAndResponse(d Data, seed uint64) (w, y []float64) {
	r := splitmix(seed)
	w = make([]float64, len(d.Y))
	y = make([]float64, len(d.Y))
	for i := range w {
		w[i] = 0.2 + 4.8*r.unif()
		y[i] = d.Y[i] + r.unif() - 0.5
	}
	return w, y
}

// TestRefillMatchesNew refills a model with a new response and weights
// and checks it against a model built from scratch with them: the
// objective (ML and REML) at three θ to 1e-12 relative, β̂ and σ̂ to
// 1e-12, on every synthetic and small reference model (grouped and
// level-by-level downdates, scalar and vector terms, with and without
// weights before).
func TestRefillMatchesNew(t *testing.T) {
	data := refillData(t)
	names := make([]string, 0, len(data))
	for name := range data {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			d := data[name]
			w, y := newWeightsAndResponse(d, 11)
			m, err := New(d)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if _, err := m.Objective(syntheticThetas(m.Lower())[1], false); err != nil {
				t.Fatal(err) // a factor of the old numbers, which Refill must discard
			}
			if err := m.Refill(y, w); err != nil {
				t.Fatal(err)
			}
			fresh := d
			fresh.Y, fresh.Weights = y, w
			want, err := New(fresh)
			if err != nil {
				t.Fatal(err)
			}
			defer want.Close()
			compareModels(t, m, want)
		})
	}
}

// compareModels checks that m and want agree at the θ given, or at three
// if none are.
func compareModels(t *testing.T, m, want *Model, thetas ...[]float64) {
	t.Helper()
	if m.grp.on != want.grp.on {
		t.Errorf("grouped downdate %v, from scratch %v", m.grp.on, want.grp.on)
	}
	if thetas == nil {
		thetas = syntheticThetas(m.Lower())
	}
	for _, th := range thetas {
		for _, reml := range []bool{false, true} {
			got, err := m.Objective(th, reml)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := want.Objective(th, reml)
			if err != nil {
				t.Fatal(err)
			}
			if rel := math.Abs(got-exp) / math.Abs(exp); rel > 1e-12 {
				t.Errorf("θ=%v reml=%v: refilled %.17g, new %.17g (rel %.2g)", th, reml, got, exp, rel)
			}
		}
		a, err := m.Solve(th, false)
		if err != nil {
			t.Fatal(err)
		}
		b, err := want.Solve(th, false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range b.Beta {
			if math.Abs(a.Beta[i]-b.Beta[i]) > 1e-12*(math.Abs(b.Beta[i])+b.SE[i]) {
				t.Errorf("θ=%v: β[%d] refilled %.17g, new %.17g", th, i, a.Beta[i], b.Beta[i])
			}
		}
		if math.Abs(a.Sigma-b.Sigma) > 1e-12*b.Sigma {
			t.Errorf("θ=%v: σ refilled %.17g, new %.17g", th, a.Sigma, b.Sigma)
		}
	}
}

// TestRefillRoundTrip refills InstEval (where the grouped downdate
// applies) with PIRLS-like weights, which turn it off, and back with unit
// weights and the original response, which must restore both the grouped
// downdate and the recorded objective exactly.
func TestRefillRoundTrip(t *testing.T) {
	if testing.Short() || testSkipLarge {
		t.Skip("InstEval (left out under -short, and by TestEveryFactorKind under the race detector)")
	}
	var d Data
	for _, ref := range references(t) {
		if ref.Name == "insteval_ml" {
			d = buildData(t, ref)
		}
	}
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	th := []float64{0.46387228713415102, 0.69799112044189404}
	before, err := m.Objective(th, false)
	if err != nil {
		t.Fatal(err)
	}
	if !m.grp.on {
		t.Fatal("grouped downdate not used on InstEval")
	}
	w, y := newWeightsAndResponse(d, 12)
	if err := m.Refill(y, w); err != nil {
		t.Fatal(err)
	}
	if m.grp.on {
		t.Error("grouped downdate still on with distinct weights")
	}
	fresh := d
	fresh.Y, fresh.Weights = y, w
	want, err := New(fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	compareModels(t, m, want, th)
	if err := m.Refill(d.Y, nil); err != nil {
		t.Fatal(err)
	}
	after, err := m.Objective(th, false)
	if err != nil {
		t.Fatal(err)
	}
	if !m.grp.on || after != before {
		t.Errorf("back to unit weights: objective %.17g (grouped %v), before %.17g", after, m.grp.on, before)
	}
}

// TestRefillKeepsResponse: y nil keeps the response, weights nil means
// unit weights.
func TestRefillKeepsResponse(t *testing.T) {
	d := syntheticModels()["vectortail"]
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	th := syntheticThetas(m.Lower())[1]
	want, _ := m.Objective(th, true)
	w, _ := newWeightsAndResponse(d, 13)
	if err := m.Refill(nil, w); err != nil {
		t.Fatal(err)
	}
	if err := m.Refill(nil, d.Weights); err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Objective(th, true); got != want {
		t.Errorf("objective %.17g after refilling the same data, %.17g before", got, want)
	}
	unit := d
	unit.Weights = nil
	u, err := New(unit)
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if err := m.Refill(nil, nil); err != nil {
		t.Fatal(err)
	}
	compareModels(t, m, u)
}

func TestRefillValidation(t *testing.T) {
	d := small()
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		y, w []float64
		arg  string
	}{
		{"y length", d.Y[:7], nil, "y"},
		{"NaN in y", []float64{1, 2, nan, 4, 5, 6, 7, 8}, nil, "y"},
		{"weights length", nil, []float64{1, 2}, "weights"},
		{"zero weight", nil, []float64{1, 1, 1, 1, 0, 1, 1, 1}, "weights"},
		{"infinite weight", nil, []float64{1, 1, 1, 1, math.Inf(1), 1, 1, 1}, "weights"},
	} {
		err := m.Refill(tc.y, tc.w)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Arg != tc.arg {
			t.Errorf("%s: error %v, want Invalid naming %q", tc.name, err, tc.arg)
		}
	}
	// a rejected refill leaves the model as it was
	th := []float64{0.7}
	got, _ := m.Objective(th, false)
	m2, _ := New(d)
	defer m2.Close()
	if want, _ := m2.Objective(th, false); got != want {
		t.Errorf("objective %.17g after rejected refills, %.17g fresh", got, want)
	}
	m.Close()
	if err := m.Refill(slices.Clone(d.Y), nil); errs.KindOf(err) != errs.State {
		t.Errorf("refill of a closed model: %v, want a State error", err)
	}
}
