package lmm

import (
	"github.com/glmmgo/glmmgo/core/errs"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
	"github.com/glmmgo/glmmgo/internal/simdata"
)

// fromSim converts a simulated design.
func fromSim(d simdata.Data) Data {
	out := Data{Y: d.Y, X: d.X, P: d.P, Factor: testKind}
	for _, t := range d.Terms {
		out.Terms = append(out.Terms, Term{Name: t.Name, Codes: t.Codes, NLevels: t.NLevels, K: t.K, Z: t.Z})
	}
	return out
}

func locallyCrossed(seed uint64, schools, teachersPer, pupilsPer, obsPer int, withSchool, slope bool) Data {
	return fromSim(simdata.LocallyCrossed(seed, schools, teachersPer, pupilsPer, obsPer, withSchool, slope))
}

func nested(seed uint64, pupils, classes, nobs int) Data {
	return fromSim(simdata.Nested(seed, pupils, classes, nobs))
}

func randomCrossed(seed uint64, l1, l2, perLevel int) Data {
	return fromSim(simdata.Crossed(seed, l1, l2, perLevel))
}

// TestEveryFactorKind runs the reference tests again with the trailing
// factor forced dense and forced sparse: every lme4 reference value, the
// recorded values, the dense oracle, refills, deviance parts, worker
// counts and allocations hold on both paths (InstEval's left out under the
// race detector and -short).
func TestEveryFactorKind(t *testing.T) {
	testSkipLarge = raceEnabled || testing.Short()
	defer func() { testSkipLarge = false }()
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
	if e, ok := err.(*errs.Error); !ok || e.Kind != errs.Resource || !strings.Contains(err.Error(), "memory limit") {
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
