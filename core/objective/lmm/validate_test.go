package lmm

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

// small returns valid data: 8 observations, intercept and slope, one
// grouping factor with 3 levels.
func small() Data {
	return Data{
		Y:     []float64{1, 2, 3, 2.5, 4, 5, 3, 6},
		X:     []float64{1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 2, 3, 0, 1, 2, 3},
		P:     2,
		Terms: []Term{{Name: "g", Codes: []int{0, 0, 1, 1, 2, 2, 0, 1}, NLevels: 3, K: 1, Z: []float64{1, 1, 1, 1, 1, 1, 1, 1}}},
	}
}

func TestNewValidation(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name, arg, text string
		edit            func(d *Data)
	}{
		{"empty y", "y", "no observations", func(d *Data) { d.Y = nil }},
		{"NaN in y", "y", "element 2", func(d *Data) { d.Y[2] = nan }},
		{"Inf in X", "X", "(3,1)", func(d *Data) { d.X[11] = inf }},
		{"X wrong length", "X", "length", func(d *Data) { d.X = d.X[:15] }},
		{"more fixed effects than observations", "X", "9 fixed effects", func(d *Data) { d.P = 9; d.X = make([]float64, 72) }},
		{"negative p", "p", "negative", func(d *Data) { d.P = -1 }},
		{"weights length", "weights", "length", func(d *Data) { d.Weights = []float64{1} }},
		{"zero weight", "weights", "element 3", func(d *Data) { d.Weights = []float64{1, 1, 1, 0, 1, 1, 1, 1} }},
		{"NaN weight", "weights", "element 0", func(d *Data) { d.Weights = []float64{nan, 1, 1, 1, 1, 1, 1, 1} }},
		{"no terms", "terms", "at least one", func(d *Data) { d.Terms = nil }},
		{"level out of range", "codes", "level 3", func(d *Data) { d.Terms[0].Codes[4] = 3 }},
		{"negative level", "codes", "level -1", func(d *Data) { d.Terms[0].Codes[4] = -1 }},
		{"unused level", "codes", "level 2 has no observations", func(d *Data) { d.Terms[0].Codes[4], d.Terms[0].Codes[5] = 1, 1 }},
		{"one level", "terms", "at least 2 levels", func(d *Data) { d.Terms[0].NLevels = 1; d.Terms[0].Codes = make([]int, 8) }},
		{"as many levels as observations", "terms", "less than the number of observations", func(d *Data) {
			d.Terms[0].NLevels = 8
			d.Terms[0].Codes = []int{0, 1, 2, 3, 4, 5, 6, 7}
		}},
		{"codes length", "codes", "7 level codes", func(d *Data) { d.Terms[0].Codes = d.Terms[0].Codes[:7] }},
		{"zero columns", "terms", "0 columns", func(d *Data) { d.Terms[0].K = 0 }},
		{"Z length", "Z", "length 8", func(d *Data) { d.Terms[0].K = 2 }},
		{"NaN in Z", "Z", "(5,0)", func(d *Data) { d.Terms[0].Z[5] = nan }},
		{"xnames length", "xnames", "1 names", func(d *Data) { d.XNames = []string{"a"} }},
		{"no residual df", "X", "no residual degrees", func(d *Data) {
			d.Y = d.Y[:3]
			d.X = []float64{1, 1, 1, 0, 1, 2, 0, 0, 1}
			d.P = 3
			d.Terms[0].NLevels = 2
			d.Terms[0].Codes = []int{0, 1, 1}
			d.Terms[0].Z = []float64{1, 1, 1}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := small()
			tc.edit(&d)
			m, err := New(d)
			if err == nil {
				m.Close()
				t.Fatal("no error")
			}
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid {
				t.Fatalf("error %v is not an Invalid errs.Error", err)
			}
			if e.Arg != tc.arg || !strings.Contains(e.Msg, tc.text) {
				t.Fatalf("error %q (arg %q), want arg %q and text %q", err, e.Arg, tc.arg, tc.text)
			}
		})
	}
}

func TestObjectiveValidation(t *testing.T) {
	m, err := New(small())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, tc := range []struct {
		name  string
		theta []float64
		kind  errs.Kind
	}{
		{"length", []float64{1, 2}, errs.Invalid},
		{"NaN", []float64{math.NaN()}, errs.Invalid},
		{"Inf", []float64{math.Inf(1)}, errs.Invalid},
		{"negative diagonal", []float64{-0.5}, errs.Domain},
	} {
		if _, err := m.Objective(tc.theta, false); errs.KindOf(err) != tc.kind {
			t.Errorf("%s: error %v, want kind %v", tc.name, err, tc.kind)
		}
	}
	if v, err := m.Objective([]float64{0}, true); err != nil || !finite(v) {
		t.Errorf("θ=0 (boundary): %v, %v", v, err)
	}
}

// TestRankDeficientX duplicates a column (as a linear combination) and
// checks that it is dropped, that the remaining fit is the same as without
// it, and that the model says which column went.
func TestRankDeficientX(t *testing.T) {
	d := small()
	base, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	defer base.Close()
	// Column 2 = 2·col0 − col1 is aliased; column 3 is new information.
	n := len(d.Y)
	extra := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		extra[i] = 2*d.X[i] - d.X[n+i]
		extra[n+i] = float64(i * i % 5)
	}
	d2 := d
	d2.X = append(append([]float64{}, d.X...), extra...)
	d2.P = 4
	d2.XNames = []string{"a", "b", "c", "d"}
	m, err := New(d2)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if got := m.Dropped(); len(got) != 1 || got[0] != 2 {
		t.Fatalf("dropped %v, want [2]", got)
	}
	if got := m.XNames(); strings.Join(got, ",") != "a,b,d" {
		t.Fatalf("kept names %v", got)
	}
	// Without the new column d the aliased model equals the base model.
	d3 := d
	d3.X = append(append([]float64{}, d.X...), extra[:n]...)
	d3.P = 3
	m3, err := New(d3)
	if err != nil {
		t.Fatal(err)
	}
	defer m3.Close()
	th := []float64{0.7}
	for _, reml := range []bool{false, true} {
		a, _ := base.Objective(th, reml)
		b, _ := m3.Objective(th, reml)
		if math.Abs(a-b) > 1e-10*math.Abs(a) {
			t.Errorf("reml=%v: objective %v with an aliased column, %v without", reml, b, a)
		}
	}
}

func TestObjectiveAllocatesNothing(t *testing.T) {
	for _, ref := range references(t) {
		if ref.NObs > 1000 {
			continue
		}
		m := newRef(t, ref)
		checkNoAllocs(t, ref.Name, m, ref.ObjectiveAt[1].Theta, ref.REML)
	}
	// vector-valued later terms, a first term with 3 columns, weights
	for name, d := range syntheticModels() {
		m, err := New(d)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		checkNoAllocs(t, name, m, syntheticThetas(m.Lower())[1], true)
	}
}

func checkNoAllocs(t *testing.T, name string, m *Model, th []float64, reml bool) {
	t.Helper()
	if _, err := m.Objective(th, reml); err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(10, func() { _, _ = m.Objective(th, reml) }); a != 0 {
		t.Errorf("%s: %v allocations per θ", name, a)
	}
}
