package mcla

import (
	"errors"
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/fuzzdata"
)

// Fuzz targets for the validation layer and the objective. Each checks
// that no panic escapes, that every error is a classified *errs.Error
// (never Internal) with a message, and that a success yields finite
// numbers. Run one for a while with, e.g.,
//
//	go test -run XXX -fuzz ^FuzzEvaluate$ -fuzztime 60s ./core/objective/mcla
//
// or all of them with scripts/fuzz.sh.

// checkErr fails t unless err is nil or a classified error with a message.
func checkErr(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: unclassified error %T %v", what, err, err)
	}
	if e.Kind == errs.Internal || e.Kind < errs.Invalid || e.Kind > errs.State {
		t.Fatalf("%s: error of kind %v: %v", what, e.Kind, err)
	}
	if len(e.Error()) < 10 {
		t.Fatalf("%s: message %q says too little", what, e.Error())
	}
	if e.Kind == errs.Invalid && e.Arg == "" {
		t.Fatalf("%s: invalid-argument error names no argument: %v", what, err)
	}
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// fuzzData decodes a Data whose sizes, lengths, indices and values may all
// be wrong.
func fuzzData(r *fuzzdata.Reader) Data {
	d := Data{Response: response.Response{Family: family.Code(r.Int(0, 5))}, N: r.Int(-1, 7), P: r.Int(-1, 3), Q: r.Int(-1, 5)}
	d.NVC = r.Int(-1, 3)
	if d.Family == family.NegBinomial || r.Byte() > 240 {
		d.Dispersion = r.Positive()
	}
	n, p, q := max(d.N, 0), max(d.P, 0), max(d.Q, 0)
	d.Y = make([]float64, r.Len(n))
	for i := range d.Y {
		if r.Bool() {
			d.Y[i] = float64(r.Int(0, 3))
		} else {
			d.Y[i] = r.Float()
		}
	}
	if r.Bool() {
		d.Trials = make([]float64, r.Len(n))
		for i := range d.Trials {
			d.Trials[i] = float64(r.Int(-1, 5))
			if r.Byte() > 240 {
				d.Trials[i] = r.Float()
			}
		}
	}
	if r.Bool() {
		d.Weights = make([]float64, r.Len(n))
		for i := range d.Weights {
			d.Weights[i] = r.Positive()
		}
	}
	d.X = r.Floats(r.Len(n * p))
	nnz := r.Int(0, 12)
	lr, lc, lv := r.Len(nnz), r.Len(nnz), r.Len(nnz)
	for k := 0; k < nnz; k++ {
		if k < lr {
			d.ZRow = append(d.ZRow, int64(r.Int(-1, n)))
		}
		if k < lc {
			d.ZCol = append(d.ZCol, int64(r.Int(-1, q)))
		}
		if k < lv {
			d.ZVal = append(d.ZVal, r.Float())
		}
	}
	d.VCOf = make([]int64, r.Len(q))
	for j := range d.VCOf {
		d.VCOf[j] = int64(r.Int(-1, max(d.NVC, 0)))
	}
	return d
}

// fuzzImportance decodes importance parameters for q random effects.
func fuzzImportance(r *fuzzdata.Reader, q int) importance.Params {
	p := importance.Params{Zeta: r.Positive()}
	switch r.Int(0, 3) {
	case 0:
		p.P = [3]float64{0.2, 0.4, 0.4}
	case 1:
		p.P = [3]float64{1, 0, 0}
	case 2:
		p.P = [3]float64{0, 1, 0}
	default:
		p.P = [3]float64{r.Float(), r.Float(), r.Float()}
	}
	p.UStar = r.Floats(r.Len(q))
	p.DStar = make([]float64, r.Len(q))
	for j := range p.DStar {
		p.DStar[j] = r.Positive()
	}
	if r.Byte() < 200 {
		p.SigmaInv = make([]float64, r.Len(q*q))
		if len(p.SigmaInv) == q*q {
			// Mostly a diagonally dominant symmetric matrix, then disturbed.
			for i := 0; i < q; i++ {
				for j := 0; j <= i; j++ {
					v := r.Float()
					if i == j {
						v = float64(q) + r.Positive()
					} else if r.Byte() < 220 {
						v = math.Mod(v, 1)
					}
					p.SigmaInv[j*q+i], p.SigmaInv[i*q+j] = v, v
				}
			}
			if r.Byte() > 240 {
				p.SigmaInv[r.Int(0, q*q-1)] = r.Float()
			}
		} else {
			for k := range p.SigmaInv {
				p.SigmaInv[k] = r.Float()
			}
		}
	}
	return p
}

// fuzzSamples decodes an m×q u-matrix (m may be wrong for its length).
func fuzzSamples(r *fuzzdata.Reader, q int) (int, []float64) {
	m := r.Int(-1, 9)
	return m, r.Floats(r.Len(max(m, 0) * q))
}

// fuzzPar decodes par = (β, ν) for a model.
func fuzzPar(r *fuzzdata.Reader, m *Model) []float64 {
	par := make([]float64, r.Len(m.NPar()))
	for i := range par {
		if i >= m.p {
			par[i] = r.Positive()
		} else {
			par[i] = r.Float()
		}
	}
	return par
}

// checkResult checks an evaluation's outcome: a classified error, or a
// finite value, gradient and Hessian with a symmetric Hessian.
func checkResult(t *testing.T, what string, m *Model, err error, res *Result) {
	t.Helper()
	checkErr(t, what, err)
	if err != nil {
		if errs.KindOf(err) == errs.Domain && !math.IsInf(res.Value, -1) {
			t.Fatalf("%s: domain error with value %g, want -Inf", what, res.Value)
		}
		return
	}
	if math.IsNaN(res.Value) || math.IsInf(res.Value, 0) {
		t.Fatalf("%s: value %g with no error", what, res.Value)
	}
	if !allFinite(res.Gradient) || !allFinite(res.Hessian) {
		t.Fatalf("%s: non-finite derivatives with no error: gradient %v hessian %v", what, res.Gradient, res.Hessian)
	}
	// Symmetric to rounding: the g g′ sums are accumulated as (w gᵢ) gⱼ, so
	// the two triangles differ in the last bits of E[gᵢgⱼ], which can be
	// far larger than the covariance E[gᵢgⱼ] − ḡᵢḡⱼ left after cancellation.
	d := m.NPar()
	g := res.Gradient
	for i := 0; i < d; i++ {
		for j := 0; j < i; j++ {
			a, b := res.Hessian[i*d+j], res.Hessian[j*d+i]
			scale := math.Max(math.Abs(res.Hessian[i*d+i]), math.Abs(res.Hessian[j*d+j]))
			scale = math.Max(scale, math.Max(g[i]*g[i], g[j]*g[j]))
			if math.Abs(a-b) > 1e-9*math.Max(scale, math.Max(math.Abs(a), math.Abs(b))) {
				t.Fatalf("%s: Hessian not symmetric at (%d, %d): %g vs %g", what, i, j, a, b)
			}
		}
	}
}

// FuzzNew: any Data either builds a model with the dimensions asked for or
// is rejected with a classified error; a model built goes on through the
// whole pipeline with fuzzed importance, samples and par.
func FuzzNew(f *testing.F) {
	f.Add([]byte{1, 3, 1, 2, 1})
	f.Add([]byte("\x01\x06\x02\x03\x02\x00\x01\x00\x01\x01\x00\x10\x20\x30\x40\x50\x60\x70\x80\x90"))
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := fuzzdata.New(b)
		d := fuzzData(r)
		m, err := New(d)
		checkErr(t, "New", err)
		if err != nil {
			return
		}
		if n, p, q, nvc := m.Dims(); n != d.N || p != d.P || q != d.Q || nvc != d.NVC {
			t.Fatalf("Dims %d %d %d %d for data %d %d %d %d", n, p, q, nvc, d.N, d.P, d.Q, d.NVC)
		}
		pipeline(t, r, m)
	})
}

// pipeline drives a valid model through SetImportance, SetSamples and
// Evaluate with fuzzed arguments, checking each outcome.
func pipeline(t *testing.T, r *fuzzdata.Reader, m *Model) {
	_, _, q, _ := m.Dims()
	err := m.SetImportance(fuzzImportance(r, q), 1)
	checkErr(t, "SetImportance", err)
	if err != nil {
		return
	}
	mr, u := fuzzSamples(r, q)
	err = m.SetSamples(mr, u, 1)
	checkErr(t, "SetSamples", err)
	if err != nil {
		if m.Samples() != 0 {
			t.Fatalf("SetSamples failed (%v) but %d samples remain", err, m.Samples())
		}
		return
	}
	for k, lf := range m.LogImportance() {
		if math.IsNaN(lf) || math.IsInf(lf, 0) {
			t.Fatalf("log importance density of sample %d is %g with no error", k, lf)
		}
	}
	par := fuzzPar(r, m)
	d := m.NPar()
	res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	err = m.Evaluate(par, 1, &res)
	checkResult(t, "Evaluate", m, err, &res)
	if err != nil {
		return
	}
	// Two workers give the same bits; a partial of every sample finishes
	// to the same result.
	res2 := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := m.Evaluate(par, 2, &res2); err != nil || math.Float64bits(res2.Value) != math.Float64bits(res.Value) {
		t.Fatalf("two workers: %v, value %g vs %g", err, res2.Value, res.Value)
	}
	p := parallel.NewPartial(m.SumsLen())
	if err := m.Partial(par, 0, m.Samples(), 1, p); err != nil {
		t.Fatalf("Partial after a successful Evaluate: %v", err)
	}
	res3 := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := m.Finish(par, p, &res3); err != nil || res3.Value != res.Value {
		t.Fatalf("Finish of the whole partial: %v, value %g vs %g", err, res3.Value, res.Value)
	}
}

// FuzzSetImportance: fuzzed importance parameters on a valid model, then
// samples and an evaluation.
func FuzzSetImportance(f *testing.F) {
	f.Add([]byte{10, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{200, 3, 130, 7, 150, 2, 235, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := New(tiny())
		if err != nil {
			t.Fatal(err)
		}
		pipeline(t, fuzzdata.New(b), m)
	})
}

// FuzzSetSamples: fuzzed samples (with hostile values) under a fixed
// valid importance density, then an evaluation at ordinary par.
func FuzzSetSamples(f *testing.F) {
	f.Add([]byte{3, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{9, 200, 5, 220, 19, 240, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := New(tiny())
		if err != nil {
			t.Fatal(err)
		}
		if err := m.SetImportance(importance.Params{Zeta: 5, P: [3]float64{0.3, 0.3, 0.4}, UStar: []float64{0.1, -0.1},
			DStar: []float64{1, 0.5}, SigmaInv: []float64{3, 0.5, 0.5, 2}}, 1); err != nil {
			t.Fatal(err)
		}
		r := fuzzdata.New(b)
		mr, u := fuzzSamples(r, 2)
		err = m.SetSamples(mr, u, 1)
		checkErr(t, "SetSamples", err)
		if err != nil {
			return
		}
		res := Result{Gradient: make([]float64, 2), Hessian: make([]float64, 4)}
		checkResult(t, "Evaluate", m, m.Evaluate([]float64{0.2, 1.3}, 1, &res), &res)
	})
}

// FuzzEvaluate: a well-formed random model (family, sizes, scales of X, Z,
// the samples and par all chosen by the input, including extreme scales)
// evaluates to finite numbers or a classified error.
func FuzzEvaluate(f *testing.F) {
	f.Add(uint64(1), uint8(1), uint8(0), uint8(0), uint8(0), 0.5, 1.0)
	f.Add(uint64(2), uint8(2), uint8(3), uint8(1), uint8(2), 700.0, 1e-12)
	f.Add(uint64(3), uint8(3), uint8(2), uint8(2), uint8(1), -800.0, 1e12)
	f.Add(uint64(4), uint8(1), uint8(1), uint8(3), uint8(3), 40.0, 1e-200)
	f.Fuzz(func(t *testing.T, seed uint64, famb, xs, us, ws uint8, beta0, nu float64) {
		scales := []float64{1, 30, 400, 1e6}
		m, err := randomModel(seed, family.Code(1+famb%4), scales[xs%4], scales[us%4], int(ws%4))
		if err != nil {
			checkErr(t, "random model", err)
			return
		}
		d := m.NPar()
		par := make([]float64, d)
		par[0] = beta0
		for i := 1; i < m.p; i++ {
			par[i] = 0.1 * float64(i)
		}
		for i := m.p; i < d; i++ {
			par[i] = nu * float64(1+i-m.p)
		}
		res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
		checkResult(t, "Evaluate", m, m.Evaluate(par, 1, &res), &res)
	})
}

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

// TestHardenNumericFaults evaluates models at extreme parameters: linear
// predictors near and beyond exp's range (|η| = 700 … 1e300), variances
// from 1e-300 to 1e300, a ν so small that one sample carries all the
// weight, and a ν so small that e^b overflows. Each gives finite value,
// gradient and Hessian agreeing with a naive evaluation of the value, or
// a numerical-failure status saying why (never NaN or ∞ with success).
func TestHardenNumericFaults(t *testing.T) {
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
