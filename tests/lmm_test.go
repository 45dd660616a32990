package tests

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

func ints2floats(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// lme4VarCorr reads testdata/lmm/lme4_varcorr.json as the flat layout of
// GLMMGO_LMM_VARCORR: per term its standard deviations, then its
// correlations below the diagonal column by column; last, sigma.
func lme4VarCorr(t *testing.T) map[string][]float64 {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(refdata.Dir(), "lme4_varcorr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Models []struct {
			Name  string  `json:"name"`
			Sigma float64 `json:"sigma"`
			Terms []struct {
				SD   []float64 `json:"sd"`
				Corr []float64 `json:"corr"`
			} `json:"terms"`
		} `json:"models"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, m := range file.Models {
		var v []float64
		for _, term := range m.Terms {
			v = append(v, term.SD...)
			k := len(term.SD)
			for j := 0; j < k; j++ {
				v = append(v, term.Corr[j*k+j+1:(j+1)*k]...)
			}
		}
		out[m.Name] = append(v, m.Sigma)
	}
	return out
}

// TestLMMFromC runs c/lmm.c on lme4's reference data: the deviance at a
// given θ, bad calls, and three complete fits whose θ, σ, β, SEs and
// VarCorr agree with lme4's; inside, each fit is repeated from a short
// options struct and with one worker (the same bits), and its results are
// read after its model was freed.
func TestLMMFromC(t *testing.T) {
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]refdata.Reference{}
	for _, r := range refs {
		byName[r.Name] = r
	}
	build := func(name string) *refdata.Model {
		m, err := refdata.Build(byName[name])
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	dye, dye2, sleep := build("dyestuff_ml"), build("dyestuff2_ml"), build("sleepstudy_reml")
	data := writeArrays(t,
		namedArray{"DYE_Y", dye.Y}, namedArray{"DYE2_Y", dye2.Y}, namedArray{"DYE_CODES", ints2floats(dye.Terms[0].Codes)},
		namedArray{"SLEEP_Y", sleep.Y}, namedArray{"SLEEP_X", sleep.X}, namedArray{"SLEEP_CODES", ints2floats(sleep.Terms[0].Codes)},
		namedArray{"DYE_THETA_AT", []float64{byName["dyestuff_ml"].ObjectiveAt[1].Theta[0]}})
	cmd := compileC(t, "lmm", "lmm.c")
	out := runC(t, cmd, data)
	got := map[string][]float64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "FAIL") {
			t.Error(line)
			continue
		}
		f := strings.Fields(line)
		for _, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("bad output line %q", line)
			}
			got[f[0]] = append(got[f[0]], x)
		}
	}
	closeTo := func(key string, want []float64, tol float64) {
		t.Helper()
		g := got[key]
		if len(g) != len(want) {
			t.Errorf("%s: got %v, want %v", key, g, want)
			return
		}
		for i := range want {
			if math.Abs(g[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
				t.Errorf("%s[%d] = %.12g, lme4 %.12g", key, i, g[i], want[i])
			}
		}
	}
	closeTo("dyestuff.objective_at", []float64{byName["dyestuff_ml"].ObjectiveAt[1].Objective}, 1e-10)
	varcorr := lme4VarCorr(t)
	varcorr["dyestuff2_ml"] = []float64{byName["dyestuff2_ml"].Theta[0] * byName["dyestuff2_ml"].Sigma, byName["dyestuff2_ml"].Sigma}
	for _, name := range []string{"dyestuff_ml", "dyestuff2_ml", "sleepstudy_reml"} {
		ref := byName[name]
		closeTo(name+".objective", []float64{ref.Objective}, 1e-9)
		closeTo(name+".theta", ref.Theta, 2e-4)
		closeTo(name+".sigma", []float64{ref.Sigma}, 1e-4)
		closeTo(name+".beta", ref.Beta, 1e-4)
		closeTo(name+".se", ref.BetaSE, 1e-4)
		closeTo(name+".varcorr", varcorr[name], 1e-3)
		sing := 0.0
		if ref.Theta[0] == 0 {
			sing = 1
		}
		closeTo(name+".singular", []float64{sing}, 0)
	}
	t.Logf("%d result lines from the C program", len(got))
	if g := got["failures"]; len(g) != 1 || g[0] != 0 {
		t.Errorf("C program reported failures: %v", g)
	}
}
