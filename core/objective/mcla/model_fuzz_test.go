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
	f := r.Importance(q)
	return importance.Params{Zeta: f.Zeta, P: f.P, UStar: f.UStar, DStar: f.DStar, SigmaInv: f.SigmaInv}
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
	for k := range m.Samples() {
		if lf := m.LogImportance(k); math.IsNaN(lf) || math.IsInf(lf, 0) {
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
