package mixlogit

import (
	"math"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

func goodData() Data {
	x := NormalCovariate(20, 4, 1)
	d, _, err := Simulate(Params{-1, 1, 1, 1, 0.5}, 20, 4, x, 2)
	if err != nil {
		panic(err)
	}
	return d
}

// TestBadData: each malformed input is an Invalid error naming the argument.
func TestBadData(t *testing.T) {
	cases := []struct {
		name, arg, msg string
		edit           func(d *Data)
	}{
		{"T = 0", "T", "at least one occasion", func(d *Data) { d.T = 0; d.Y, d.X = nil, nil }},
		{"negative T", "T", "is -1", func(d *Data) { d.T = -1 }},
		{"too few subjects", "n", "at least 10 subjects", func(d *Data) { d.N, d.Y, d.X = 5, d.Y[:20], d.X[:20] }},
		{"y too short", "y", "has length 79", func(d *Data) { d.Y = d.Y[:79] }},
		{"x too long", "x", "has length 81", func(d *Data) { d.X = append(d.X, 0) }},
		{"n*T overflow", "n", "overflows", func(d *Data) { d.N = math.MaxInt / 2 }},
		{"non-binary y", "y", "[3, 2]", func(d *Data) { d.Y[3+20*2] = 2 }},
		{"fractional y", "y", "is 0.5", func(d *Data) { d.Y[0] = 0.5 }},
		{"NaN y", "y", "is NaN", func(d *Data) { d.Y[7] = math.NaN() }},
		{"NaN x", "x", "[5, 1]", func(d *Data) { d.X[5+20] = math.NaN() }},
		{"Inf x", "x", "+Inf", func(d *Data) { d.X[0] = math.Inf(1) }},
		{"all zeros", "y", "both 0 and 1", func(d *Data) { clear(d.Y) }},
		{"x zero", "x", "not identifiable", func(d *Data) { clear(d.X) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := goodData()
			c.edit(&d)
			_, err := New(d)
			checkInvalid(t, err, c.arg, c.msg)
		})
	}
	if _, err := New(goodData()); err != nil {
		t.Fatalf("good data rejected: %v", err)
	}
}

func checkInvalid(t *testing.T, err error, arg, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %q", arg)
	}
	var e *errs.Error
	if !asErr(err, &e) || e.Kind != errs.Invalid || e.Arg != arg {
		t.Fatalf("error %v (kind %v), want Invalid naming %q", err, errs.KindOf(err), arg)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not say %q", err, msg)
	}
}

func asErr(err error, e **errs.Error) bool {
	v, ok := err.(*errs.Error)
	*e = v
	return ok
}

// TestBadParams: starting values outside the parameter space.
func TestBadParams(t *testing.T) {
	cases := []struct {
		p   []float64
		msg string
	}{
		{[]float64{0, 1, 1, 1, 0}, "pi1 is 0"},
		{[]float64{0, 1, 1, 1, 1}, "pi1 is 1"},
		{[]float64{0, 1, 1, 1, 1.5}, "(0, 1)"},
		{[]float64{0, 1, 0, 1, 0.5}, "sigma1 is 0"},
		{[]float64{0, 1, 1, -2, 0.5}, "sigma2 is -2"},
		{[]float64{math.NaN(), 1, 1, 1, 0.5}, "beta1 is NaN"},
		{[]float64{0, 1, 1, 1}, "has length 4"},
	}
	for _, c := range cases {
		_, err := ParamsFrom("start", c.p)
		checkInvalid(t, err, "start", c.msg)
	}
	if _, err := ParamsFrom("start", []float64{-1, 1, 0.5, 2, 0.3}); err != nil {
		t.Fatal(err)
	}
}

// TestSwap: the likelihood is invariant under relabelling, and SwapMatrix
// maps its Hessian to the Hessian at the swapped parameters.
func TestSwap(t *testing.T) {
	m, err := New(goodData())
	if err != nil {
		t.Fatal(err)
	}
	l, _ := m.Likelihood(1)
	p := Params{1, -0.5, 0.7, 1.3, 0.35}
	g, h := make([]float64, NumParams), make([]float64, NumParams*NumParams)
	gs, hs := make([]float64, NumParams), make([]float64, NumParams*NumParams)
	f, _ := l.Eval(p, g, h)
	q, swapped := p.Ordered()
	if !swapped || q != p.Swapped() || q[Beta1] > q[Beta2] {
		t.Fatalf("Ordered(%v) = %v, %v", p, q, swapped)
	}
	fs, _ := l.Eval(q, gs, hs)
	if math.Abs(f-fs) > 1e-12*math.Abs(f) {
		t.Errorf("loglik %v, swapped %v", f, fs)
	}
	hm := SwapMatrix(h)
	for k := range hm {
		if math.Abs(hm[k]-hs[k]) > 1e-9*(1+math.Abs(hs[k])) {
			t.Errorf("swapped Hessian element %d: %v, want %v", k, hm[k], hs[k])
		}
	}
}
