package mixlogitfit

import (
	"math"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

// TestBadOptions: invalid options and starting values are Invalid errors
// naming the argument.
func TestBadOptions(t *testing.T) {
	m := testModel(t, 30, 5, 1)
	cases := []struct {
		name, arg, msg string
		edit           func(*Options)
	}{
		{"pi1 above 1", "start", "pi1 is 1.5", func(o *Options) { o.Start = []float64{-1, 1, 1, 1, 1.5} }},
		{"pi1 zero", "start", "pi1 is 0", func(o *Options) { o.Start = []float64{-1, 1, 1, 1, 0} }},
		{"negative pi1", "start", "(0, 1)", func(o *Options) { o.Start = []float64{-1, 1, 1, 1, -0.2} }},
		{"sigma zero", "start", "sigma2 is 0", func(o *Options) { o.Start = []float64{-1, 1, 1, 0, 0.5} }},
		{"sigma negative", "start", "sigma1 is -1", func(o *Options) { o.Start = []float64{-1, 1, -1, 1, 0.5} }},
		{"NaN start", "start", "beta2 is NaN", func(o *Options) { o.Start = []float64{-1, math.NaN(), 1, 1, 0.5} }},
		{"short start", "start", "has length 3", func(o *Options) { o.Start = []float64{-1, 1, 1} }},
		{"method", "method", "is 7", func(o *Options) { o.Method = 7 }},
		{"workers", "workers", "is -1", func(o *Options) { o.Workers = -1 }},
		{"max_iter", "max_iter", "is -3", func(o *Options) { o.MaxIter = -3 }},
		{"initial_samples", "initial_samples", "is 2", func(o *Options) { o.InitialSamples = 2 }},
		{"max_samples", "max_samples", "is 20", func(o *Options) { o.InitialSamples, o.MaxSamples = 40, 20 }},
		{"alpha", "alpha", "is 0.7", func(o *Options) { o.Alpha = 0.7 }},
		{"gamma", "gamma", "is -0.1", func(o *Options) { o.Gamma = -0.1 }},
		{"augment", "augment_divisor", "is 0.5", func(o *Options) { o.AugmentDivisor = 0.5 }},
		{"tol", "tol", "is -1", func(o *Options) { o.Tol = -1 }},
		{"df", "df", "is 0.5", func(o *Options) { o.DF = 0.5 }},
		{"memory", "max_samples", "max_samples <= 1118481", func(o *Options) { o.MaxSamples = 1 << 30 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt := DefaultOptions()
			c.edit(&opt)
			_, err := Fit(m, opt)
			if err == nil {
				t.Fatalf("no error")
			}
			e, ok := err.(*errs.Error)
			if !ok || e.Kind != errs.Invalid || e.Arg != c.arg || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %q (kind %v), want Invalid naming %q and saying %q", err, errs.KindOf(err), c.arg, c.msg)
			}
		})
	}
}

// TestCancel: a progress callback that returns false stops either fit.
func TestCancel(t *testing.T) {
	m := testModel(t, 60, 10, 2)
	for _, method := range []Method{MCEM, Quadrature} {
		opt := DefaultOptions()
		opt.Method = method
		calls := 0
		opt.Progress = func(iter int, value float64, par []float64) bool {
			calls++
			return iter < 2
		}
		_, err := Fit(m, opt)
		if errs.KindOf(err) != errs.Cancelled || calls != 2 {
			t.Errorf("%v: error %v after %d calls, want cancelled after 2", method, err, calls)
		}
	}
}
