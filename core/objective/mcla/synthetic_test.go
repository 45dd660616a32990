package mcla

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/response"
)

// synthetic builds a small crossed model of the given family with weights,
// trials and two variance components, and m samples.
func synthetic(t testing.TB, fam family.Code, n, m int, seed uint64) (*Model, Data) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	const p, ga, gb = 3, 6, 4
	q := ga + gb
	d := Data{Response: response.Response{Family: fam, Y: make([]float64, n), Weights: make([]float64, n)}, N: n, P: p, Q: q, NVC: 2, X: make([]float64, n*p), VCOf: make([]int64, q)}
	if fam == family.Binomial {
		d.Trials = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		d.X[i] = 1
		d.X[n+i] = r.NormFloat64()
		d.X[2*n+i] = float64(i%3) - 1
		d.Weights[i] = 0.5 + r.Float64()
		a, b := i%ga, ga+(i*7)%gb
		d.ZRow = append(d.ZRow, int64(i), int64(i))
		d.ZCol = append(d.ZCol, int64(a), int64(b))
		d.ZVal = append(d.ZVal, 1, 0.5+r.Float64())
		drawResponse(&d, i, r)
	}
	for j := ga; j < q; j++ {
		d.VCOf[j] = 1
	}
	if fam == family.NegBinomial {
		d.Dispersion = 1.3
	}
	mod, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	imp := importance.Params{Zeta: 5, P: [3]float64{0.2, 0.3, 0.5}, UStar: make([]float64, q), DStar: make([]float64, q), SigmaInv: make([]float64, q*q)}
	for j := 0; j < q; j++ {
		imp.UStar[j] = 0.3 * r.NormFloat64()
		imp.DStar[j] = 0.5 + r.Float64()
		imp.SigmaInv[j*q+j] = 1/imp.DStar[j] + 2
		if j > 0 {
			imp.SigmaInv[j*q+j-1], imp.SigmaInv[(j-1)*q+j] = 0.3, 0.3
		}
	}
	if err := mod.SetImportance(imp, 1); err != nil {
		t.Fatal(err)
	}
	umat := make([]float64, m*q)
	for i := range umat {
		umat[i] = r.NormFloat64()
	}
	if err := mod.SetSamples(m, umat, 1); err != nil {
		t.Fatal(err)
	}
	return mod, d
}

var families = []family.Code{family.Bernoulli, family.Poisson, family.Binomial, family.NegBinomial}

// naiveValue evaluates l_m straight from the formulas in the package comment,
// with dense loops and no shared code beyond the cumulant and the density
// (and the response's offset accessor).
func naiveValue(m *Model, d Data, par []float64) float64 {
	bs := make([]float64, m.Samples())
	for k := 0; k < m.Samples(); k++ {
		u := sampleOf(m, k)
		var logF float64
		for i := 0; i < d.N; i++ {
			eta := d.OffsetAt(i)
			for j := 0; j < d.P; j++ {
				eta += d.X[j*d.N+i] * par[j]
			}
			for e := range d.ZRow {
				if int(d.ZRow[e]) == i {
					eta += d.ZVal[e] * u[d.ZCol[e]]
				}
			}
			nt := 1.0
			if d.Trials != nil {
				nt = d.Trials[i]
			}
			var c float64 // straight from the definitions, math package only
			switch d.Family {
			case family.Poisson:
				c = math.Exp(eta)
			case family.NegBinomial: // (y+r)·log(1 + e^η/r), as in package family
				c = (d.Y[i] + d.Dispersion) * math.Log1p(math.Exp(eta)/d.Dispersion)
			default:
				c = nt * (math.Max(eta, 0) + math.Log1p(math.Exp(-math.Abs(eta))))
			}
			logF += d.Weights[i] * (d.Y[i]*eta - c)
		}
		var logFnu float64
		for j, v := range u {
			nu := par[d.P+int(d.VCOf[j])]
			logFnu += -0.5*math.Log(2*math.Pi*nu) - v*v/(2*nu)
		}
		bs[k] = logFnu + logF - m.dens.LogProb(u)
	}
	a := math.Inf(-1)
	for _, b := range bs {
		a = math.Max(a, b)
	}
	var s float64
	for _, b := range bs {
		s += math.Exp(b - a)
	}
	return a + math.Log(s/float64(len(bs)))
}

func TestValueMatchesNaive(t *testing.T) {
	for _, fam := range families {
		m, d := synthetic(t, fam, 40, 300, 1)
		par := []float64{0.2, -0.4, 0.3, 0.8, 1.7}
		var res Result
		if err := m.Evaluate(par, 2, &res); err != nil {
			t.Fatal(err)
		}
		if want := naiveValue(m, d, par); relErr(res.Value, want) > 1e-12 {
			t.Errorf("%v: value %.15g, naive %.15g", fam, res.Value, want)
		}
	}
}

// TestDerivativesFiniteDifference checks the gradient against central
// differences of the value and the Hessian against differences of the
// gradient, at parameter values other than the reference ones.
func TestDerivativesFiniteDifference(t *testing.T) {
	for _, fam := range families {
		m, _ := synthetic(t, fam, 50, 400, 2)
		par := []float64{-0.3, 0.5, 0.1, 0.6, 2.2}
		d := len(par)
		res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
		if err := m.Evaluate(par, 1, &res); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < d; i++ {
			h := 1e-5 * math.Max(1, math.Abs(par[i]))
			plus, minus := append([]float64(nil), par...), append([]float64(nil), par...)
			plus[i] += h
			minus[i] -= h
			rp := Result{Gradient: make([]float64, d)}
			rm := Result{Gradient: make([]float64, d)}
			if err := m.Evaluate(plus, 1, &rp); err != nil {
				t.Fatal(err)
			}
			if err := m.Evaluate(minus, 1, &rm); err != nil {
				t.Fatal(err)
			}
			fd := (rp.Value - rm.Value) / (2 * h)
			if math.Abs(fd-res.Gradient[i]) > 1e-6*math.Max(1, math.Abs(fd)) {
				t.Errorf("%v: gradient[%d] = %.10g, finite difference %.10g", fam, i, res.Gradient[i], fd)
			}
			for j := 0; j < d; j++ {
				fd := (rp.Gradient[j] - rm.Gradient[j]) / (2 * h)
				if got := res.Hessian[i*d+j]; math.Abs(fd-got) > 1e-5*math.Max(1, math.Abs(fd)) {
					t.Errorf("%v: hessian[%d,%d] = %.10g, finite difference %.10g", fam, j, i, got, fd)
				}
			}
		}
	}
}

// TestWorkersBitIdentical: the fixed blocks make results independent of the
// number of workers to the last bit.
func TestWorkersBitIdentical(t *testing.T) {
	m, _ := synthetic(t, family.Poisson, 60, 3*parallel.BlockSize+17, 3)
	par := []float64{0.1, 0.2, -0.1, 0.9, 0.4}
	d := len(par)
	var first Result
	for w := 1; w <= 8; w++ {
		res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
		if err := m.Evaluate(par, w, &res); err != nil {
			t.Fatal(err)
		}
		if w == 1 {
			first = res
			continue
		}
		same := res.Value == first.Value
		for i := range res.Hessian {
			same = same && res.Hessian[i] == first.Hessian[i]
		}
		for i := range res.Gradient {
			same = same && res.Gradient[i] == first.Gradient[i]
		}
		if !same {
			t.Errorf("%d workers differ from 1 worker", w)
		}
	}
}

// TestPartialsMergeToWhole evaluates row ranges separately (as other
// processes would), merges them and compares with one evaluation.
func TestPartialsMergeToWhole(t *testing.T) {
	m, _ := synthetic(t, family.Binomial, 30, 1000, 4)
	par := []float64{0.3, -0.2, 0.4, 1.1, 0.7}
	d := len(par)
	whole := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := m.Evaluate(par, 2, &whole); err != nil {
		t.Fatal(err)
	}
	for _, cuts := range [][]int{{0, 512, 1000}, {0, 100, 333, 999, 1000}} {
		tot := parallel.NewPartial(m.SumsLen())
		for i := 0; i+1 < len(cuts); i++ {
			p := parallel.NewPartial(m.SumsLen())
			if err := m.Partial(par, cuts[i], cuts[i+1], 1, p); err != nil {
				t.Fatal(err)
			}
			tot.Merge(p)
		}
		got := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
		if err := m.Finish(par, tot, &got); err != nil {
			t.Fatal(err)
		}
		if relErr(got.Value, whole.Value) > 1e-13 {
			t.Errorf("cuts %v: value %v, whole %v", cuts, got.Value, whole.Value)
		}
		for i := range got.Hessian {
			if relErr(got.Hessian[i], whole.Hessian[i]) > 1e-12 {
				t.Errorf("cuts %v: hessian[%d] %v, whole %v", cuts, i, got.Hessian[i], whole.Hessian[i])
			}
		}
		if cuts[1] == 512 && got.Value != whole.Value {
			t.Errorf("ranges on block boundaries should merge bit-identically: %v vs %v", got.Value, whole.Value)
		}
	}
}

func TestEvaluateAllocatesNothing(t *testing.T) {
	m, _ := synthetic(t, family.Bernoulli, 40, 500, 5)
	par := []float64{0.1, 0.2, 0.3, 1, 1}
	res := Result{Gradient: make([]float64, 5), Hessian: make([]float64, 25)}
	_ = m.Evaluate(par, 1, &res)
	if a := testing.AllocsPerRun(10, func() { _ = m.Evaluate(par, 1, &res) }); a != 0 {
		t.Errorf("Evaluate with one worker allocates %v times per call", a)
	}
}

// TestExtremeLinearPredictor: |η| beyond 708 leaves the fast exp's range;
// value, gradient and Hessian must stay finite and match the naive value.
func TestExtremeLinearPredictor(t *testing.T) {
	for _, fam := range []family.Code{family.Bernoulli, family.Binomial} {
		m, d := synthetic(t, fam, 30, 50, 6)
		for _, b0 := range []float64{750, -750, 1e4} {
			par := []float64{b0, 0.1, 0.2, 1, 1}
			res := Result{Gradient: make([]float64, 5), Hessian: make([]float64, 25)}
			if err := m.Evaluate(par, 1, &res); err != nil {
				t.Fatalf("%v β₀=%g: %v", fam, b0, err)
			}
			for _, v := range append(append([]float64{res.Value}, res.Gradient...), res.Hessian...) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%v β₀=%g: non-finite result %v", fam, b0, res)
				}
			}
			if want := naiveValue(m, d, par); relErr(res.Value, want) > 1e-12 {
				t.Errorf("%v β₀=%g: value %.15g, naive %.15g", fam, b0, res.Value, want)
			}
		}
	}
}

// sampleOf is stored sample k of m (do not modify).
func sampleOf(m *Model, k int) []float64 {
	b := k / parallel.BlockSize
	off := k - b*parallel.BlockSize
	return m.smp.blocks[b].u[off*m.q : (off+1)*m.q]
}

// drawResponse sets observation i's response (and its trials) of the
// synthetic data d at random for d's family.
func drawResponse(d *Data, i int, r *rand.Rand) {
	switch d.Family {
	case family.Bernoulli:
		d.Y[i] = float64(r.IntN(2))
	case family.Poisson, family.NegBinomial:
		d.Y[i] = float64(r.IntN(6))
	case family.Binomial:
		d.Trials[i] = float64(1 + r.IntN(5))
		d.Y[i] = float64(r.IntN(int(d.Trials[i]) + 1))
	}
}
