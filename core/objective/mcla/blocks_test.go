package mcla

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
	"github.com/glmmgo/glmmgo/core/zterms"
)

// nested builds a model of groups (component 0, columns 0..ng−1), each
// with two nested subgroups (component 1), n observations of which every
// tenth has no random effect, a product density over the design's blocks
// (one per group), and m samples drawn from it (kept unless redraw).
func nested(t testing.TB, fam family.Code, n, m int, seed uint64, redraw bool) (*Model, Data, *importance.Product) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 11))
	const p, ng = 2, 4
	q := 3 * ng
	d := Data{Response: response.Response{Family: fam, Y: make([]float64, n), Weights: make([]float64, n)}, N: n, P: p, Q: q, NVC: 2, X: make([]float64, n*p), VCOf: make([]int64, q)}
	if fam == family.Binomial {
		d.Trials = make([]float64, n)
	}
	for i := range n {
		d.X[i] = 1
		d.X[n+i] = r.NormFloat64()
		d.Weights[i] = 0.5 + r.Float64()
		if i%10 != 9 {
			g := i % ng
			d.ZRow = append(d.ZRow, int64(i), int64(i))
			d.ZCol = append(d.ZCol, int64(g), int64(ng+2*g+(i/ng)%2))
			d.ZVal = append(d.ZVal, 1, 0.5+r.Float64())
		}
		drawResponse(&d, i, r)
	}
	for j := ng; j < q; j++ {
		d.VCOf[j] = 1
	}
	if fam == family.NegBinomial {
		d.Dispersion = 1.3
	}
	mod, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	z, err := sparse.FromTriplets(n, q, d.ZRow, d.ZCol, d.ZVal)
	if err != nil {
		t.Fatal(err)
	}
	blocks := zterms.BlocksOf(z)
	if blocks.N() != ng {
		t.Fatalf("%d blocks, want %d", blocks.N(), ng)
	}
	imp := importance.Params{Zeta: 5, P: [3]float64{0.2, 0.3, 0.5}, UStar: make([]float64, q), DStar: make([]float64, q), SigmaInv: make([]float64, q*q)}
	for j := range q {
		imp.UStar[j] = 0.3 * r.NormFloat64()
		imp.DStar[j] = 0.5 + r.Float64()
		imp.SigmaInv[j*q+j] = 1/imp.DStar[j] + 2
	}
	for g := range ng { // a group couples with its subgroups, as in Z′WZ
		for _, j := range []int{ng + 2*g, ng + 2*g + 1} {
			imp.SigmaInv[j*q+g], imp.SigmaInv[g*q+j] = 0.4, 0.4
		}
	}
	prod, err := importance.NewProduct(q, imp, blocks.Cols)
	if err != nil {
		t.Fatal(err)
	}
	if err := mod.SetProduct(prod, 1); err != nil {
		t.Fatal(err)
	}
	if redraw {
		mod.SetSampleMemory(1)
	}
	if err := mod.SetSampler(m, func(lo, hi int, dst, z []float64) { prod.DrawTo(seed, lo, hi, dst, z) }, 2); err != nil {
		t.Fatal(err)
	}
	if !mod.Blockwise() || mod.SamplesKept() == redraw {
		t.Fatalf("blockwise %v, kept %v", mod.Blockwise(), mod.SamplesKept())
	}
	return mod, d, prod
}

// naiveTerm is observation i's log f(y_i | η) straight from the
// definitions (as naiveValue).
func naiveTerm(d Data, i int, eta float64) float64 {
	nt := 1.0
	if d.Trials != nil {
		nt = d.Trials[i]
	}
	var c float64
	switch d.Family {
	case family.Poisson:
		c = math.Exp(eta)
	case family.NegBinomial:
		c = (d.Y[i] + d.Dispersion) * math.Log1p(math.Exp(eta)/d.Dispersion)
	default:
		c = nt * (math.Max(eta, 0) + math.Log1p(math.Exp(-math.Abs(eta))))
	}
	return d.Weights[i] * (d.Y[i]*eta - c)
}

// naiveBlockwise evaluates the blockwise l_m straight from its definition
// (SetProduct): per block, the log mean of e^{b_bk}, plus the free
// observations' terms, with the blocks found again from Z's triplets.
func naiveBlockwise(m *Model, d Data, prod *importance.Product, par []float64) float64 {
	rowCols := make([][]int, d.N)
	rowVals := make([][]float64, d.N)
	for e := range d.ZRow {
		rowCols[d.ZRow[e]] = append(rowCols[d.ZRow[e]], int(d.ZCol[e]))
		rowVals[d.ZRow[e]] = append(rowVals[d.ZRow[e]], d.ZVal[e])
	}
	blockOf := make([]int, d.Q)
	for b := range prod.NumBlocks() {
		for _, j := range prod.Cols(b) {
			blockOf[j] = b
		}
	}
	xb := func(i int) float64 {
		e := d.OffsetAt(i)
		for j := range d.P {
			e += d.X[j*d.N+i] * par[j]
		}
		return e
	}
	var value float64
	for i := range d.N {
		if len(rowCols[i]) == 0 {
			value += naiveTerm(d, i, xb(i))
		}
	}
	u := make([]float64, d.Q)
	for b := range prod.NumBlocks() {
		bs := make([]float64, m.Samples())
		for k := range bs {
			m.Sample(k, u)
			ub := make([]float64, 0)
			var lb float64
			for _, j := range prod.Cols(b) {
				ub = append(ub, u[j])
				nu := par[d.P+int(d.VCOf[j])]
				lb += -0.5*math.Log(2*math.Pi*nu) - u[j]*u[j]/(2*nu)
			}
			for i := range d.N {
				if len(rowCols[i]) == 0 || blockOf[rowCols[i][0]] != b {
					continue
				}
				eta := xb(i)
				for e, j := range rowCols[i] {
					eta += rowVals[i][e] * u[j]
				}
				lb += naiveTerm(d, i, eta)
			}
			bs[k] = lb - prod.Block(b).LogProb(ub)
		}
		a := math.Inf(-1)
		for _, v := range bs {
			a = math.Max(a, v)
		}
		var s float64
		for _, v := range bs {
			s += math.Exp(v - a)
		}
		value += a + math.Log(s/float64(len(bs)))
	}
	return value
}

func TestBlockwiseValueMatchesNaive(t *testing.T) {
	for _, fam := range families {
		m, d, prod := nested(t, fam, 60, 300, 1, false)
		par := []float64{0.2, -0.4, 0.8, 1.7}
		var res Result
		if err := m.Evaluate(par, 2, &res); err != nil {
			t.Fatal(err)
		}
		if want := naiveBlockwise(m, d, prod, par); relErr(res.Value, want) > 1e-12 {
			t.Errorf("%v: value %.15g, naive %.15g", fam, res.Value, want)
		}
		if !(res.ESS >= 1 && res.ESS <= res.JointESS*float64(prod.NumBlocks())*300) || res.JointESS < 1 {
			t.Errorf("%v: ESS %g, joint ESS %g", fam, res.ESS, res.JointESS)
		}
	}
}

// TestBlockwiseDerivatives checks the blockwise gradient against central
// differences of l_m at fixed samples, and its Hessian against
// differences of the gradient.
func TestBlockwiseDerivatives(t *testing.T) {
	for _, fam := range families {
		m, _, _ := nested(t, fam, 60, 400, 2, false)
		par := []float64{-0.3, 0.5, 0.6, 2.2}
		d := len(par)
		res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
		if err := m.Evaluate(par, 1, &res); err != nil {
			t.Fatal(err)
		}
		for i := range d {
			h := 1e-5 * math.Max(1, math.Abs(par[i]))
			plus, minus := append([]float64(nil), par...), append([]float64(nil), par...)
			plus[i] += h
			minus[i] -= h
			rp, rm := Result{Gradient: make([]float64, d)}, Result{Gradient: make([]float64, d)}
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
			for j := range d {
				fd := (rp.Gradient[j] - rm.Gradient[j]) / (2 * h)
				if got := res.Hessian[i*d+j]; math.Abs(fd-got) > 1e-5*math.Max(1, math.Abs(fd)) {
					t.Errorf("%v: hessian[%d,%d] = %.10g, finite difference %.10g", fam, j, i, got, fd)
				}
			}
		}
	}
}

// TestBlockwiseBitIdentical: the blockwise results are the same bit for
// bit for any number of workers, for samples redrawn at every
// evaluation, for batch partials merged in order — also after a round
// trip through their flattened form, as partials from other processes
// arrive — and for ranges on batch boundaries.
func TestBlockwiseBitIdentical(t *testing.T) {
	mrows := parallel.MaxBatches*parallel.BlockSize + 300
	m, _, _ := nested(t, family.Poisson, 50, mrows, 3, false)
	par := []float64{0.1, -0.2, 0.9, 0.4}
	want := evaluation(t, m, par, 1)
	for _, w := range []int{2, 3} {
		if got := evaluation(t, m, par, w); !sameBits(got, want) {
			t.Errorf("%d workers differ from one", w)
		}
	}
	redrawn, _, _ := nested(t, family.Poisson, 50, mrows, 3, true)
	if got := evaluation(t, redrawn, par, 2); !sameBits(got, want) {
		t.Error("redrawn samples differ from kept ones")
	}
	parts, err := m.BatchPartials(par, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	tot := m.NewPartial()
	for _, p := range parts {
		flat := make([]float64, p.FlatSize())
		p.Flatten(flat)
		back := m.NewPartial()
		if err := back.Unflatten(flat, "partial"); err != nil {
			t.Fatal(err)
		}
		tot.Merge(back)
	}
	d := len(par)
	res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := m.Finish(par, tot, &res); err != nil {
		t.Fatal(err)
	}
	if got := append(append([]float64{res.Value}, res.Gradient...), res.Hessian...); !sameBits(got, want) {
		t.Error("merged batch partials differ from Evaluate")
	}
	lo, _ := parallel.BatchRange(parallel.NumBatches(mrows)-1, mrows)
	a, b := m.NewPartial(), m.NewPartial()
	if err := m.Partial(par, 0, lo, 1, a); err != nil {
		t.Fatal(err)
	}
	if err := m.Partial(par, lo, mrows, 2, b); err != nil {
		t.Fatal(err)
	}
	a.Merge(b)
	if err := m.Finish(par, a, &res); err != nil {
		t.Fatal(err)
	}
	if got := append(append([]float64{res.Value}, res.Gradient...), res.Hessian...); !sameBits(got, want) {
		t.Error("partials of all batches but the last and of the last differ from Evaluate")
	}
	if err := m.Finish(par, parallel.NewPartial(0), &res); err == nil {
		t.Error("Finish took a partial without blocks")
	}
}

// TestBlockwiseOneBlock: on a crossed design (one block), the blockwise
// code gives the joint estimator's value, gradient and Hessian to
// rounding on the same samples, and SetProduct, which then runs the joint
// code on the product's single block, gives them bit for bit.
func TestBlockwiseOneBlock(t *testing.T) {
	for _, fam := range families {
		joint, _ := synthetic(t, fam, 40, 1, 4)
		q := joint.q
		all := make([]int, q)
		for j := range all {
			all[j] = j
		}
		imp := someImportance(q, 4)
		prod, err := importance.NewProduct(q, imp, [][]int{all})
		if err != nil {
			t.Fatal(err)
		}
		if err := joint.SetImportance(imp, 1); err != nil {
			t.Fatal(err)
		}
		draw := func(lo, hi int, dst, z []float64) { prod.DrawTo(8, lo, hi, dst, z) }
		if err := joint.SetSampler(700, func(lo, hi int, dst, z []float64) { joint.dens.DrawTo(8, lo, hi, dst, z) }, 1); err != nil {
			t.Fatal(err)
		}
		par := []float64{0.2, -0.1, 0.3, 0.8, 1.3}
		want := evaluation(t, joint, par, 1)

		same, _ := synthetic(t, fam, 40, 1, 4)
		if err := same.SetProduct(prod, 1); err != nil {
			t.Fatal(err)
		}
		if err := same.SetSampler(700, draw, 1); err != nil {
			t.Fatal(err)
		}
		if same.Blockwise() || !sameBits(evaluation(t, same, par, 2), want) {
			t.Errorf("%v: a one-block product differs from the joint density", fam)
		}

		forced, _ := synthetic(t, fam, 40, 1, 4)
		if err := forced.setBlocks(prod, 1); err != nil {
			t.Fatal(err)
		}
		if err := forced.SetSampler(700, draw, 1); err != nil {
			t.Fatal(err)
		}
		got := evaluation(t, forced, par, 2)
		for i := range got {
			if relErr(got[i], want[i]) > 1e-11 && math.Abs(got[i]-want[i]) > 1e-11 {
				t.Errorf("%v: element %d of the blockwise evaluation is %.15g, joint %.15g", fam, i, got[i], want[i])
			}
		}
	}
}

// someImportance is a valid importance density of q random effects
// with a tridiagonal Σ̃⁻¹.
func someImportance(q int, seed uint64) importance.Params {
	r := rand.New(rand.NewPCG(seed, 13))
	imp := importance.Params{Zeta: 5, P: [3]float64{0.2, 0.3, 0.5}, UStar: make([]float64, q), DStar: make([]float64, q), SigmaInv: make([]float64, q*q)}
	for j := range q {
		imp.UStar[j] = 0.3 * r.NormFloat64()
		imp.DStar[j] = 0.5 + r.Float64()
		imp.SigmaInv[j*q+j] = 1/imp.DStar[j] + 2
		if j > 0 {
			imp.SigmaInv[j*q+j-1], imp.SigmaInv[(j-1)*q+j] = 0.3, 0.3
		}
	}
	return imp
}

// TestBlockwiseMoments: the blockwise diagnostics against the definition
// summed directly over each block's samples (the scores g_bk from the
// code the gradient's finite-difference test checks): ESS the smallest
// block's Kish ESS, V = Σ_b Σ_k v_bk² (g_bk − ḡ_b)(g_bk − ḡ_b)′.
func TestBlockwiseMoments(t *testing.T) {
	m, _, prod := nested(t, family.Bernoulli, 60, 500, 5, false)
	par := []float64{0.2, -0.1, 0.7, 1.4}
	var mo Moments
	if err := m.Moments(par, 2, &mo); err != nil {
		t.Fatal(err)
	}
	if err := m.prepare(par, 1); err != nil {
		t.Fatal(err)
	}
	ws := m.scratch.perW[0]
	d, nb, n := len(par), prod.NumBlocks(), m.Samples()
	u := make([]float64, m.q)
	bs := make([][]float64, nb)
	gs := make([][][]float64, nb)
	for k := range n {
		m.Sample(k, u)
		for i := range ws.d {
			ws.ll[i], ws.r[i], ws.d[i] = m.rowTerm(i, m.eta(i, m.scratch.xb, u))
		}
		b0 := k / parallel.BlockSize
		lf := m.smp.blocks[b0].logFt[(k-b0*parallel.BlockSize)*nb:]
		for b := range nb {
			bs[b] = append(bs[b], m.blockScore(b, u, lf[b], ws))
			gs[b] = append(gs[b], append([]float64(nil), ws.g...))
		}
	}
	minESS := math.Inf(1)
	V := make([]float64, d*d)
	for b := range nb {
		a := math.Inf(-1)
		for _, v := range bs[b] {
			a = math.Max(a, v)
		}
		w := make([]float64, n)
		var s float64
		for k, v := range bs[b] {
			w[k] = math.Exp(v - a)
			s += w[k]
		}
		var s2 float64
		gbar := make([]float64, d)
		for k := range w {
			w[k] /= s
			s2 += w[k] * w[k]
			for i := range d {
				gbar[i] += w[k] * gs[b][k][i]
			}
		}
		minESS = math.Min(minESS, 1/s2)
		for k := range w {
			for j := range d {
				for i := range d {
					V[j*d+i] += w[k] * w[k] * (gs[b][k][i] - gbar[i]) * (gs[b][k][j] - gbar[j])
				}
			}
		}
	}
	if relErr(mo.ESS, minESS) > 1e-10 {
		t.Errorf("ESS %v, smallest block's %v", mo.ESS, minESS)
	}
	for i := range V {
		if math.Abs(mo.V[i]-V[i]) > 1e-9*math.Max(1, math.Abs(V[i])) {
			t.Errorf("V[%d] = %.12g, direct %.12g", i, mo.V[i], V[i])
		}
	}
}

// TestSetProductRejectsSplitObservation: blocks that put one
// observation's random effects apart are an error naming the
// observation.
func TestSetProductRejectsSplitObservation(t *testing.T) {
	m, _ := synthetic(t, family.Poisson, 40, 10, 1) // crossed: one block
	q := m.q
	cols := [][]int{{}, {}}
	for j := range q { // rows pair a column of 0..5 with one of 6..9
		cols[j/5] = append(cols[j/5], j)
	}
	prod, err := importance.NewProduct(q, someImportance(q, 2), cols)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetProduct(prod, 1); err == nil {
		t.Error("no error for blocks that split observations")
	}
}
