package mcla

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/response"
)

func tiny() Data {
	return Data{Response: response.Response{Family: family.Bernoulli, Y: []float64{0, 1, 1}}, N: 3, P: 1, Q: 2, NVC: 1, X: []float64{1, 1, 1}, ZRow: []int64{0, 1, 2}, ZCol: []int64{0, 1, 0}, ZVal: []float64{1, 1, 1}, VCOf: []int64{0, 0}}
}

func TestNewRejects(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Data)
		arg  string
	}{
		{"family", func(d *Data) { d.Family = 9 }, "family"},
		{"n zero", func(d *Data) { d.N = 0 }, "n"},
		{"p negative", func(d *Data) { d.P = -1 }, "p"},
		{"q zero", func(d *Data) { d.Q = 0 }, "q"},
		{"nvc zero", func(d *Data) { d.NVC = 0 }, "nvc"},
		{"nvc > q", func(d *Data) { d.NVC = 3 }, "nvc"},
		{"y length", func(d *Data) { d.Y = d.Y[:2] }, "y"},
		{"y nan", func(d *Data) { d.Y[1] = math.NaN() }, "y"},
		{"y not binary", func(d *Data) { d.Y[1] = 2 }, "y"},
		{"x inf", func(d *Data) { d.X[2] = math.Inf(1) }, "x"},
		{"x length", func(d *Data) { d.X = d.X[:1] }, "x"},
		{"weights negative", func(d *Data) { d.Weights = []float64{1, -1, 1} }, "weights"},
		{"weights zero", func(d *Data) { d.Weights = []float64{0, 0, 0} }, "weights"},
		{"weights nan", func(d *Data) { d.Weights = []float64{1, math.NaN(), 1} }, "weights"},
		{"trials bernoulli", func(d *Data) { d.Trials = []float64{1, 2, 1} }, "ntrials"},
		{"binomial y > n", func(d *Data) { d.Family = family.Binomial; d.Trials = []float64{1, 1, 1}; d.Y[0] = 3 }, "y"},
		{"binomial trials frac", func(d *Data) { d.Family = family.Binomial; d.Trials = []float64{1, 1.5, 1} }, "ntrials"},
		{"poisson negative", func(d *Data) { d.Family = family.Poisson; d.Y[0] = -1 }, "y"},
		{"poisson fraction", func(d *Data) { d.Family = family.Poisson; d.Y[0] = 0.5 }, "y"},
		{"z row", func(d *Data) { d.ZRow[0] = 3 }, "z_row"},
		{"z col", func(d *Data) { d.ZCol[0] = -1 }, "z_col"},
		{"z val", func(d *Data) { d.ZVal[0] = math.Inf(-1) }, "z_val"},
		{"z empty column", func(d *Data) { d.ZCol = []int64{0, 0, 0} }, "z_col"},
		{"vc length", func(d *Data) { d.VCOf = []int64{0} }, "vc_of_column"},
		{"vc range", func(d *Data) { d.VCOf = []int64{0, 1} }, "vc_of_column"},
		{"vc unused", func(d *Data) { d.NVC = 2 }, "vc_of_column"},
	}
	for _, c := range cases {
		d := tiny()
		c.edit(&d)
		_, err := New(d)
		e, ok := err.(*errs.Error)
		if !ok || e.Kind != errs.Invalid || e.Arg != c.arg {
			t.Errorf("%s: got %v, want an invalid-argument error naming %q", c.name, err, c.arg)
		}
	}
	if _, err := New(tiny()); err != nil {
		t.Fatalf("valid data rejected: %v", err)
	}
}

func TestImportanceSamplesAndParRejects(t *testing.T) {
	good := func() importance.Params {
		return importance.Params{Zeta: 5, P: [3]float64{1. / 3, 1. / 3, 1. / 3}, UStar: []float64{0, 0}, DStar: []float64{1, 1},
			SigmaInv: []float64{2, 0.5, 0.5, 2}}
	}
	cases := []struct {
		name string
		edit func(*importance.Params)
		arg  string
	}{
		{"zeta zero", func(p *importance.Params) { p.Zeta = 0 }, "zeta"},
		{"zeta nan", func(p *importance.Params) { p.Zeta = math.NaN() }, "zeta"},
		{"p sum", func(p *importance.Params) { p.P = [3]float64{0.5, 0.5, 0.5} }, "p_mix"},
		{"p negative", func(p *importance.Params) { p.P = [3]float64{-0.5, 0.5, 1} }, "p_mix"},
		{"u_star length", func(p *importance.Params) { p.UStar = []float64{0} }, "u_star"},
		{"u_star nan", func(p *importance.Params) { p.UStar[0] = math.NaN() }, "u_star"},
		{"d_star zero", func(p *importance.Params) { p.DStar[1] = 0 }, "d_star"},
		{"sigma_inv not pd", func(p *importance.Params) { p.SigmaInv = []float64{1, 2, 2, 1} }, "sigma_inv"},
		{"sigma_inv asym", func(p *importance.Params) { p.SigmaInv = []float64{2, 0.5, 0.4, 2} }, "sigma_inv"},
		{"sigma_inv missing", func(p *importance.Params) { p.SigmaInv = nil }, "sigma_inv"},
	}
	for _, c := range cases {
		m, _ := New(tiny())
		p := good()
		c.edit(&p)
		err := m.SetImportance(p, 1)
		if e, ok := err.(*errs.Error); !ok || e.Arg != c.arg {
			t.Errorf("%s: got %v, want an error naming %q", c.name, err, c.arg)
		}
	}
	m, _ := New(tiny())
	var res Result
	if err := m.Evaluate([]float64{0, 1}, 1, &res); errs.KindOf(err) != errs.State {
		t.Errorf("objective before samples: %v", err)
	}
	if err := m.SetSamples(1, []float64{0, 0}, 1); errs.KindOf(err) != errs.State {
		t.Errorf("samples before importance: %v", err)
	}
	if err := m.SetImportance(good(), 1); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		m    int
		umat []float64
	}{{0, nil}, {2, []float64{1, 2, 3}}, {1, []float64{math.NaN(), 0}}} {
		if err := m.SetSamples(bad.m, bad.umat, 1); errs.KindOf(err) != errs.Invalid {
			t.Errorf("samples m=%d %v accepted: %v", bad.m, bad.umat, err)
		}
	}
	if err := m.SetSamples(2, []float64{0.1, -0.3, 0.2, 0.5}, 1); err != nil {
		t.Fatal(err)
	}
	if err := m.Evaluate([]float64{0, 1, 1}, 1, &res); errs.KindOf(err) != errs.Invalid {
		t.Errorf("par of wrong length: %v", err)
	}
	if err := m.Evaluate([]float64{math.Inf(1), 1}, 1, &res); errs.KindOf(err) != errs.Invalid {
		t.Errorf("infinite beta: %v", err)
	}
	for _, nu := range []float64{0, -1} {
		res.Value = 0
		if err := m.Evaluate([]float64{0, nu}, 1, &res); errs.KindOf(err) != errs.Domain || !math.IsInf(res.Value, -1) {
			t.Errorf("nu = %g: %v, value %v (want a domain error and -Inf)", nu, err, res.Value)
		}
	}
	res.Gradient = make([]float64, 3)
	if err := m.Evaluate([]float64{0, 1}, 1, &res); errs.KindOf(err) != errs.Invalid {
		t.Errorf("gradient buffer of wrong length: %v", err)
	}
}
