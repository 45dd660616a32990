package lmm

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

// varCorrRef is one model of testdata/lmm/lme4_varcorr.json.
type varCorrRef struct {
	Name  string    `json:"name"`
	Theta []float64 `json:"theta"`
	Sigma float64   `json:"sigma"`
	Terms []struct {
		Group string    `json:"group"`
		SD    []float64 `json:"sd"`
		Corr  []float64 `json:"corr"`
	} `json:"terms"`
}

// varCorrData builds the data of a model of lme4_varcorr.json: those of
// lme4_reference.json by name, and sleepstudy's (1 + Days + Days²|Subject).
func varCorrData(t *testing.T, name string) Data {
	t.Helper()
	if name == "sleepstudy_quadratic_reml" {
		fr, err := refdata.Read("sleepstudy")
		if err != nil {
			t.Fatal(err)
		}
		days := fr.Numeric["Days"]
		one, sq := make([]float64, fr.N), make([]float64, fr.N)
		for i, d := range days {
			one[i], sq[i] = 1, d*d
		}
		z := append(append(append([]float64(nil), one...), days...), sq...)
		return Data{Y: fr.Numeric["Reaction"], X: append(append([]float64(nil), one...), days...), P: 2,
			Terms: []Term{{Name: "Subject", Codes: fr.Codes["Subject"], NLevels: len(fr.Levels["Subject"]), K: 3, Z: z}}}
	}
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		if ref.Name != name {
			continue
		}
		md, err := refdata.Build(ref)
		if err != nil {
			t.Fatal(err)
		}
		d := Data{Y: md.Y, X: md.X, P: md.P}
		for _, tm := range md.Terms {
			d.Terms = append(d.Terms, Term{Name: tm.Name, Codes: tm.Codes, NLevels: tm.NLevels, K: tm.K, Z: tm.Z})
		}
		return d
	}
	t.Fatalf("no reference model %q", name)
	return Data{}
}

// TestVarCorrMatchesLme4: at lme4's θ and σ, the standard deviations and
// correlations equal lme4's VarCorr() to rounding, for terms of 1, 2 and 3
// columns and for two terms (whose order is lme4's too).
func TestVarCorrMatchesLme4(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(refdata.Dir(), "lme4_varcorr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Models []varCorrRef `json:"models"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Models) < 5 {
		t.Fatalf("only %d models", len(file.Models))
	}
	for _, ref := range file.Models {
		t.Run(ref.Name, func(t *testing.T) {
			m, err := New(varCorrData(t, ref.Name))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			vc, err := m.VarCorr(ref.Theta, ref.Sigma)
			if err != nil {
				t.Fatal(err)
			}
			if len(vc) != len(ref.Terms) {
				t.Fatalf("%d terms, lme4 %d", len(vc), len(ref.Terms))
			}
			for i, want := range ref.Terms {
				close := func(what string, got, want []float64) {
					if len(got) != len(want) {
						t.Fatalf("term %d: %s has %d values, lme4 %d", i, what, len(got), len(want))
					}
					for j := range want {
						if math.Abs(got[j]-want[j]) > 1e-12*math.Max(1, math.Abs(want[j])) {
							t.Errorf("term %d (%s) %s[%d] = %.17g, lme4 %.17g", i, ref.Terms[i].Group, what, j, got[j], want[j])
						}
					}
				}
				close("sd", vc[i].SD, want.SD)
				close("corr", vc[i].Corr, want.Corr)
			}
		})
	}
}

// TestVarCorrDegenerate: a zero standard deviation has no correlation with
// anything (NaN, as R's cov2cor gives), its diagonal stays 1, and bad θ or
// σ are errors naming them.
func TestVarCorrDegenerate(t *testing.T) {
	m, err := New(varCorrData(t, "sleepstudy_reml"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	vc, err := m.VarCorr([]float64{0, 0, 0.5}, 2)
	if err != nil {
		t.Fatal(err)
	}
	v := vc[0]
	if v.SD[0] != 0 || v.SD[1] != 1 || v.Corr[0] != 1 || v.Corr[3] != 1 || !math.IsNaN(v.Corr[1]) || !math.IsNaN(v.Corr[2]) {
		t.Errorf("degenerate intercept: %+v", v)
	}
	// A perfectly correlated pair: Λ = [[1, 0], [2, 0]] gives corr 1.
	vc, _ = m.VarCorr([]float64{1, 2, 0}, 1)
	if got := vc[0].Corr[1]; math.Abs(got-1) > 1e-15 || vc[0].SD[1] != math.Sqrt(4) {
		t.Errorf("collinear pair: %+v", vc[0])
	}
	for _, c := range []struct {
		theta []float64
		sigma float64
		arg   string
	}{{[]float64{1, 0}, 1, "theta"}, {[]float64{1, math.NaN(), 1}, 1, "theta"}, {[]float64{1, 0, 1}, -1, "sigma"}, {[]float64{1, 0, 1}, math.Inf(1), "sigma"}} {
		if _, err := m.VarCorr(c.theta, c.sigma); err == nil || !strings.HasPrefix(err.Error(), c.arg+":") {
			t.Errorf("VarCorr(%v, %v): %v, want an error naming %s", c.theta, c.sigma, err, c.arg)
		}
	}
}

// TestThetaLayout: θ's elements in sleepstudy's (1 + Days + Days²|Subject)
// are the lower triangle of the 3×3 template column by column, and the
// diagonal ones are exactly those with lower bound 0.
func TestThetaLayout(t *testing.T) {
	m, err := New(varCorrData(t, "sleepstudy_quadratic_reml"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want := []ThetaElement{{0, 0, 0}, {0, 1, 0}, {0, 2, 0}, {0, 1, 1}, {0, 2, 1}, {0, 2, 2}}
	got := m.ThetaLayout()
	if len(got) != len(want) {
		t.Fatalf("layout has %d elements, want %d", len(got), len(want))
	}
	lower := m.Lower()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("element %d at %+v, want %+v", i, got[i], want[i])
		}
		if (got[i].Row == got[i].Col) != (lower[i] == 0) {
			t.Errorf("element %d at %+v has lower bound %g", i, got[i], lower[i])
		}
	}
}
