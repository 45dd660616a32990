package mcla

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/response"
)

// randomModel builds a valid model from a seed: x scales X, u scales the
// samples (and D*), and wmode picks unit, fractional, zero-padded or huge
// weights.
func randomModel(seed uint64, fam family.Code, x, u float64, wmode int) (*Model, error) {
	s := seed | 1
	next := func() float64 { // xorshift, uniform in [-1, 1)
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		return float64(s>>11)/float64(1<<52) - 1
	}
	const n, p, q = 9, 2, 4
	d := Data{Response: response.Response{Family: fam, Y: make([]float64, n)}, N: n, P: p, Q: q, NVC: 2, X: make([]float64, n*p), VCOf: []int64{0, 0, 1, 1}}
	if fam == family.Binomial {
		d.Trials = make([]float64, n)
	}
	if wmode > 0 {
		d.Weights = make([]float64, n)
	}
	if fam == family.NegBinomial {
		d.Dispersion = 0.5 + 2*(next()+1)
	}
	for i := 0; i < n; i++ {
		d.X[i] = 1
		d.X[n+i] = x * next()
		d.ZRow = append(d.ZRow, int64(i), int64(i))
		d.ZCol = append(d.ZCol, int64(i%2), int64(2+(i*5)%2))
		d.ZVal = append(d.ZVal, 1, x*next())
		switch fam {
		case family.Bernoulli:
			d.Y[i] = float64(int(next()+1) % 2)
		case family.Poisson, family.NegBinomial:
			d.Y[i] = math.Floor(4 * (next() + 1))
		case family.Binomial:
			d.Trials[i] = math.Floor(3*(next()+1)) + 1
			d.Y[i] = math.Floor((next() + 1) / 2 * (d.Trials[i] + 1))
			d.Y[i] = math.Min(d.Y[i], d.Trials[i])
		}
		switch wmode {
		case 1:
			d.Weights[i] = 1.5 + next()
		case 2:
			d.Weights[i] = float64(i % 2)
		case 3:
			d.Weights[i] = 1e300 * (1.5 + next())
		}
	}
	m, err := New(d)
	if err != nil {
		return nil, err
	}
	imp := importance.Params{Zeta: 4, P: [3]float64{0.25, 0.25, 0.5}, UStar: make([]float64, q), DStar: make([]float64, q), SigmaInv: make([]float64, q*q)}
	for j := 0; j < q; j++ {
		imp.UStar[j] = u * 0.1 * next()
		imp.DStar[j] = u * u * (1 + next()/2)
		imp.SigmaInv[j*q+j] = 1 / imp.DStar[j]
	}
	if err := m.SetImportance(imp, 1); err != nil {
		return nil, err
	}
	const ms = 40
	umat := make([]float64, ms*q)
	for i := range umat {
		umat[i] = u * 2 * next()
	}
	if err := m.SetSamples(ms, umat, 1); err != nil {
		return nil, err
	}
	return m, nil
}

// TestNumericFaults evaluates models at extreme parameters: linear
// predictors near and beyond exp's range (|η| = 700 … 1e300), variances
// from 1e-300 to 1e300, a ν so small that one sample carries all the
// weight, and a ν so small that e^b overflows. Each gives finite value,
// gradient and Hessian agreeing with a naive evaluation of the value, or
// a numerical-failure status saying why (never NaN or ∞ with success).
func TestNumericFaults(t *testing.T) {
	type want int
	const (
		finite  want = iota // must succeed with finite numbers
		either              // finite numbers, or a Numeric error
		numeric             // must be a Numeric error
	)
	cases := []struct {
		name string
		fam  family.Code
		b0   float64
		nu   float64
		want want
	}{
		{"bernoulli eta 700", family.Bernoulli, 700, 1, finite},
		{"bernoulli eta -745", family.Bernoulli, -745, 1, finite},
		{"bernoulli eta 1e4", family.Bernoulli, 1e4, 1, finite},
		{"bernoulli eta -1e300", family.Bernoulli, -1e300, 1, either},
		{"binomial eta 710", family.Binomial, 710, 1, finite},
		{"binomial eta -1e5", family.Binomial, -1e5, 1, finite},
		{"poisson eta 300", family.Poisson, 300, 1, finite},
		{"poisson eta 700", family.Poisson, 700, 1, either},
		{"poisson eta 710", family.Poisson, 710, 1, numeric},
		{"poisson eta -1e4", family.Poisson, -1e4, 1, finite},
		{"nu 1e300", family.Bernoulli, 0.2, 1e300, finite},
		{"nu 1e-6 one sample dominates", family.Bernoulli, 0.2, 1e-6, finite},
		{"nu 1e-150 e^b overflows", family.Bernoulli, 0.2, 1e-150, either},
		{"nu 1e-300", family.Poisson, 0.2, 1e-300, either},
		{"nu 5e-324", family.Binomial, 0.2, 5e-324, either},
		{"nu max", family.Binomial, 0.2, math.MaxFloat64, either},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, d := synthetic(t, c.fam, 24, 300, 11)
			d.Weights = m.w // synthetic's data with the weights the model holds
			par := []float64{c.b0, 0.1, -0.2, c.nu, c.nu}
			dd := m.NPar()
			res := Result{Gradient: make([]float64, dd), Hessian: make([]float64, dd*dd)}
			err := m.Evaluate(par, 2, &res)
			checkResult(t, c.name, m, err, &res)
			switch {
			case err != nil && (c.want == finite || errs.KindOf(err) != errs.Numeric):
				t.Fatalf("%v", err)
			case err == nil && c.want == numeric:
				t.Fatalf("no error; value %g", res.Value)
			case err == nil:
				if want := naiveValue(m, d, par); math.Abs(res.Value-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("value %.17g, naive %.17g", res.Value, want)
				}
			}
			if err != nil {
				t.Logf("%s: %v", c.name, err)
			} else {
				t.Logf("%s: value %g", c.name, res.Value)
			}
		})
	}
}
