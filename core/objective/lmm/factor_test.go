package lmm

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

// TestEveryFactorKind runs the reference tests again with the trailing
// factor forced dense and forced sparse: every lme4 reference value, the
// recorded values, the dense oracle, refills, deviance parts, worker
// counts and allocations hold on both paths.
func TestEveryFactorKind(t *testing.T) {
	tests := []struct {
		name string
		f    func(*testing.T)
	}{
		{"ObjectiveAtReference", TestObjectiveAtReference},
		{"ObjectiveMatchesRecorded", TestObjectiveMatchesRecorded},
		{"SolveAtReferenceTheta", TestSolveAtReferenceTheta},
		{"SolveMatchesDenseOracle", TestSolveMatchesDenseOracle},
		{"RefillMatchesNew", TestRefillMatchesNew},
		{"RefillRoundTrip", TestRefillRoundTrip},
		{"DevianceParts", TestDevianceParts},
		{"VarCorrMatchesLme4", TestVarCorrMatchesLme4},
		{"ObjectiveAllocatesNothing", TestObjectiveAllocatesNothing},
		{"SetWorkersSameBits", TestSetWorkersSameBits},
	}
	for _, kind := range []FactorKind{FactorDense, FactorSparse} {
		t.Run(kind.String(), func(t *testing.T) {
			testKind = kind
			defer func() { testKind = FactorAuto }()
			for _, tc := range tests {
				t.Run(tc.name, tc.f)
			}
		})
	}
}

// grouseticks returns log(TICKS+1) ~ YEAR + cHEIGHT with the random
// effects terms given by name: "BROOD", "LOCATION", "YEAR" (intercepts)
// and "LOCATION+cHEIGHT" (intercept and slope). Broods are nested in
// locations: the trailing block is sparse.
func grouseticks(t *testing.T, terms ...string) Data {
	t.Helper()
	fr, err := refdata.ReadGLMM("grouseticks")
	if err != nil {
		t.Fatal(err)
	}
	n := fr.N
	year, h := fr.Codes["YEAR"], fr.Numeric["cHEIGHT"]
	d := Data{Y: make([]float64, n), P: 4, X: make([]float64, 4*n), XNames: []string{"(Intercept)", "YEAR96", "YEAR97", "cHEIGHT"}}
	for i := 0; i < n; i++ {
		d.Y[i] = math.Log(fr.Numeric["TICKS"][i] + 1)
		d.X[i] = 1
		d.X[n+i] = b2f(year[i] == 1)
		d.X[2*n+i] = b2f(year[i] == 2)
		d.X[3*n+i] = h[i]
	}
	for _, name := range terms {
		g, slope := name, false
		if strings.HasSuffix(name, "+cHEIGHT") {
			g, slope = strings.TrimSuffix(name, "+cHEIGHT"), true
		}
		tm := Term{Name: name, Codes: fr.Codes[g], NLevels: len(fr.Levels[g]), K: 1, Z: make([]float64, n)}
		for i := range tm.Z {
			tm.Z[i] = 1
		}
		if slope {
			tm.K = 2
			tm.Z = append(tm.Z, h...)
		}
		d.Terms = append(d.Terms, tm)
	}
	return d
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// locallyCrossed simulates pupils (the first term) taught by teachers of
// their own school only: schools × teachersPer teachers, schools ×
// pupilsPer pupils with obsPer observations each, every observation with
// a teacher drawn from the pupil's school. withSchool adds (1|school);
// slope makes the teacher term (1 + x | teacher).
func locallyCrossed(seed uint64, schools, teachersPer, pupilsPer, obsPer int, withSchool, slope bool) Data {
	r := splitmix(seed)
	np := schools * pupilsPer
	n := np * obsPer
	d := Data{Y: make([]float64, n), X: make([]float64, 2*n), P: 2}
	pupil := Term{Name: "pupil", NLevels: np, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	teacher := Term{Name: "teacher", NLevels: schools * teachersPer, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	school := Term{Name: "school", NLevels: schools, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	te := make([]float64, teacher.NLevels)
	for i := range te {
		te[i] = r.unif() - 0.5
	}
	x := make([]float64, n)
	for i := 0; i < n; i++ {
		p := i / obsPer
		s := p / pupilsPer
		tch := s*teachersPer + int(r.next()%uint64(teachersPer))
		if slot := (p%pupilsPer)*obsPer + i%obsPer; slot < teachersPer { // every teacher teaches
			tch = s*teachersPer + slot
		}
		x[i] = 2*r.unif() - 1
		pupil.Codes[i], teacher.Codes[i], school.Codes[i] = p, tch, s
		pupil.Z[i], teacher.Z[i], school.Z[i] = 1, 1, 1
		d.X[i], d.X[n+i] = 1, x[i]
		d.Y[i] = 1 + 0.5*x[i] + te[tch] + 0.3*math.Sin(float64(p)) + 0.2*float64(s%3) + r.unif() - 0.5
	}
	if slope {
		teacher.K = 2
		teacher.Z = append(teacher.Z, x...)
	}
	d.Terms = []Term{pupil, teacher}
	if withSchool {
		d.Terms = append(d.Terms, school)
	}
	return d
}

// TestSparseMatchesDense: on nested and locally crossed designs, with
// scalar and vector-valued later terms, the sparse trailing factor gives
// the dense one's criteria (1e-10 relative), solution and conditional
// variances.
func TestSparseMatchesDense(t *testing.T) {
	cases := map[string]Data{
		"grouse nested":          grouseticks(t, "BROOD", "LOCATION"),
		"grouse nested + year":   grouseticks(t, "BROOD", "LOCATION", "YEAR"),
		"grouse slope":           grouseticks(t, "BROOD", "LOCATION+cHEIGHT"),
		"locally crossed":        locallyCrossed(1, 12, 15, 40, 4, false, false),
		"locally crossed+school": locallyCrossed(2, 10, 12, 30, 5, true, false),
		"locally crossed slope":  locallyCrossed(3, 8, 10, 25, 6, true, true),
		"crossed (vector first)": synthetic(1, 600, 3, []synthTerm{{60, 2}, {20, 2}, {8, 1}}, true),
		"crossed three scalar":   synthetic(2, 500, 2, []synthTerm{{50, 1}, {30, 1}, {12, 1}}, true),
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			models := map[FactorKind]*Model{}
			for _, kind := range []FactorKind{FactorDense, FactorSparse} {
				dk := d
				dk.Factor = kind
				m, err := New(dk)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(m.Close)
				if m.Factor().Kind != kind {
					t.Fatalf("asked for %v, got %v", kind, m.Factor().Kind)
				}
				models[kind] = m
			}
			dm, sm := models[FactorDense], models[FactorSparse]
			fi := sm.Factor()
			t.Logf("s=%d: sparse nnz %d (dense %d), %d supernodes", fi.Order, fi.NNZ, dm.Factor().NNZ, fi.Supernodes)
			for _, th := range syntheticThetas(dm.Lower()) {
				for _, reml := range []bool{false, true} {
					a, err := dm.Objective(th, reml)
					if err != nil {
						t.Fatal(err)
					}
					b, err := sm.Objective(th, reml)
					if err != nil {
						t.Fatal(err)
					}
					if math.Abs(a-b) > 1e-10*math.Abs(a) {
						t.Errorf("θ=%v reml=%v: sparse %.15g, dense %.15g", th, reml, b, a)
					}
				}
				compareSolutions(t, dm, sm, th)
			}
		})
	}
}

// compareSolutions checks the sparse model's solution and conditional
// variances at θ against the dense one's.
func compareSolutions(t *testing.T, dm, sm *Model, th []float64) {
	t.Helper()
	ds, err := dm.Solve(th, true)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := sm.Solve(th, true)
	if err != nil {
		t.Fatal(err)
	}
	close := func(what string, a, b []float64) {
		t.Helper()
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-8*(1+math.Abs(a[i])) {
				t.Fatalf("θ=%v: %s[%d] sparse %.12g, dense %.12g", th, what, i, b[i], a[i])
			}
		}
	}
	close("β", ds.Beta, ss.Beta)
	close("se", ds.SE, ss.SE)
	close("σ", []float64{ds.Sigma}, []float64{ss.Sigma})
	close("u", ds.U, ss.U)
	close("b", ds.B, ss.B)
	dc, err := dm.CondVar(th, ds.Sigma)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := sm.CondVar(th, ds.Sigma)
	if err != nil {
		t.Fatal(err)
	}
	for r := range dc {
		close("condVar", dc[r], sc[r])
	}
}

// TestFactorChoice: New holds nested and locally crossed trailing blocks
// sparse and crossed ones (InstEval's students and instructors, random
// crossings) dense.
func TestFactorChoice(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Data
		want FactorKind
	}{
		{"nested", nested(1, 3000, 1500, 2), FactorSparse},
		{"locally crossed", locallyCrossed(1, 40, 20, 50, 4, true, false), FactorSparse},
		{"random crossed", randomCrossed(1, 800, 800, 10), FactorDense},
	} {
		m, err := New(tc.d)
		if err != nil {
			t.Fatal(err)
		}
		fi := m.Factor()
		m.Close()
		t.Logf("%s: %v (%s), s=%d nnz %d", tc.name, fi.Kind, fi.Reason, fi.Order, fi.NNZ)
		if fi.Kind != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, fi.Kind, tc.want)
		}
	}
}

// nested simulates nobs observations per pupil, pupils nested in classes
// (pupils·classes levels).
func nested(seed uint64, pupils, classes, nobs int) Data {
	r := splitmix(seed)
	n := pupils * nobs
	d := Data{Y: make([]float64, n), X: make([]float64, 2*n), P: 2}
	pt := Term{Name: "pupil", NLevels: pupils, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	ct := Term{Name: "class", NLevels: classes, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	for i := 0; i < n; i++ {
		p := i / nobs
		c := p % classes
		pt.Codes[i], ct.Codes[i] = p, c
		pt.Z[i], ct.Z[i] = 1, 1
		x := 2*r.unif() - 1
		d.X[i], d.X[n+i] = 1, x
		d.Y[i] = 0.5*x + 0.4*math.Sin(float64(c)) + 0.3*math.Cos(float64(p)) + r.unif() - 0.5
	}
	d.Terms = []Term{pt, ct}
	return d
}

// randomCrossed simulates y ~ x + (1|g) + (1|h) with l1 and l2 levels and
// about perLevel observations per level of g.
func randomCrossed(seed uint64, l1, l2, perLevel int) Data {
	r := splitmix(seed)
	n := l1 * perLevel
	d := Data{Y: make([]float64, n), X: make([]float64, 2*n), P: 2}
	g := Term{Name: "g", NLevels: l1, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	h := Term{Name: "h", NLevels: l2, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	for i := 0; i < n; i++ {
		g.Codes[i], h.Codes[i] = r.level(i, l1), r.level(i, l2)
		g.Z[i], h.Z[i] = 1, 1
		x := 2*r.unif() - 1
		d.X[i], d.X[n+i] = 1, x
		d.Y[i] = 0.5*x + 0.3*math.Sin(float64(g.Codes[i])) + 0.3*math.Cos(float64(h.Codes[i])) + r.unif() - 0.5
	}
	d.Terms = []Term{g, h}
	return d
}

// TestLargeLaterBlock: a later term of 50 000 levels (classes, with
// 100 000 pupils nested in them) is refused dense within a 4 GiB budget —
// with the bytes it would need, before anything of that size is allocated
// — and fits sparse, in a few megabytes.
func TestLargeLaterBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	d := nested(7, 100000, 50000, 2)
	d.MaxBytes = 4 << 30
	d.Factor = FactorDense
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := New(d)
	if err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("dense: want a memory error, got %v", err)
	}
	t.Logf("dense: %v", err)
	d.Factor = FactorAuto
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	fi := m.Factor()
	if fi.Kind != FactorSparse {
		t.Fatalf("auto chose %v", fi.Kind)
	}
	th := []float64{0.8, 0.5}
	v, err := m.Objective(th, false)
	if err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("sparse: s=%d nnz %d, factor %d bytes (dense would need %d); heap grew %d bytes in all; objective %.10g",
		fi.Order, fi.NNZ, fi.Bytes, fi.DenseBytes, int64(after.HeapAlloc)-int64(before.HeapAlloc), v)
	if fi.Bytes > 64<<20 {
		t.Errorf("the sparse factor takes %d bytes", fi.Bytes)
	}
	if a := testing.AllocsPerRun(3, func() { _, _ = m.Objective(th, false) }); a != 0 {
		t.Errorf("%v allocations per θ", a)
	}
}

// TestMemoryRefusal: when neither factor fits the budget, New says how
// many bytes each would need; a bad choice or budget is refused.
func TestMemoryRefusal(t *testing.T) {
	d := randomCrossed(3, 600, 600, 8)
	d.MaxBytes = 1 << 20
	_, err := New(d)
	if err == nil || !strings.Contains(err.Error(), "held dense it needs") || !strings.HasPrefix(err.Error(), "terms: ") {
		t.Fatalf("want both factors refused, got %v", err)
	}
	t.Log(err)
	d.Factor = FactorSparse
	if _, err := New(d); err == nil {
		t.Fatal("sparse within 1 MiB accepted")
	}
	for _, bad := range []Data{{Factor: 7}, {MaxBytes: -1}} {
		dd := randomCrossed(3, 50, 50, 4)
		dd.Factor, dd.MaxBytes = bad.Factor, bad.MaxBytes
		if _, err := New(dd); err == nil {
			t.Errorf("Factor %d MaxBytes %d accepted", bad.Factor, bad.MaxBytes)
		}
	}
}
