package tests

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refcase"
)

// writeCase writes a reference case in the plain format c/mcla_case.h reads.
func writeCase(t *testing.T, c *refcase.Case) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "case.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	fam := map[string]int{"bernoulli": 1, "poisson": 2, "binomial": 3, "negbinomial": 4}[c.Family]
	fmt.Fprintf(w, "%d %d %d %d %d %d %d %.17g\n", c.N, c.P, c.Q, c.NVC, c.M, len(c.Z.Row), fam, c.Zeta)
	floats := func(v []float64) {
		for _, x := range v {
			fmt.Fprintf(w, "%.17g ", x)
		}
		fmt.Fprintln(w)
	}
	ints := func(v []int64) {
		for _, x := range v {
			fmt.Fprintf(w, "%d ", x)
		}
		fmt.Fprintln(w)
	}
	floats(c.Y)
	floats(c.NTrials)
	floats(c.Weights)
	floats(c.X)
	ints(c.Z.Row)
	ints(c.Z.Col)
	floats(c.Z.Val)
	ints(c.VCOf())
	floats(c.PMix)
	floats(c.UStar)
	floats(c.DStar)
	floats(c.SigmaInv)
	floats(c.UMat)
	floats(c.Par)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return path
}

func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Max(math.Abs(want), 1) }

// TestMCLAReferenceThroughABI: every glmm reference case, evaluated by a C
// program with 1 and 2 workers, matches glmm to 1e-9, the worker counts
// agree bit for bit, and partials merged from a block-aligned split equal
// the objective bit for bit (an unaligned split to 1e-12).
func TestMCLAReferenceThroughABI(t *testing.T) {
	exe := compileC(t, "mcla_objective", "mcla_objective.c")
	cases, err := refcase.All()
	if err != nil || len(cases) == 0 {
		t.Fatalf("reference cases: %v", err)
	}
	for _, c := range cases {
		path := writeCase(t, c)
		var first map[string][]float64
		for _, workers := range []string{"1", "2"} {
			got := parseLines(t, runC(t, exe, path, workers))
			want := map[string][]float64{"value": {c.Value}, "gradient": c.Gradient, "hessian": c.Hessian}
			for k, w := range want {
				if len(got[k]) != len(w) {
					t.Fatalf("%s: %s has %d values, want %d", c.Name, k, len(got[k]), len(w))
				}
				for i := range w {
					if e := relErr(got[k][i], w[i]); e > 1e-9 {
						t.Errorf("%s (workers %s): %s[%d] = %.15g, glmm %.15g", c.Name, workers, k, i, got[k][i], w[i])
					}
				}
			}
			aligned := got["aligned"][0] == 1
			if aligned && got["merged_value_0"][0] != got["value"][0] {
				t.Errorf("%s: block-aligned partials merge to %.17g, objective %.17g", c.Name, got["merged_value_0"][0], got["value"][0])
			}
			for i, h := range got["hessian"] {
				if (aligned && got["merged_hessian_0"][i] != h) || relErr(got["merged_hessian_0"][i], h) > 1e-12 || relErr(got["merged_hessian_1"][i], h) > 1e-12 {
					t.Errorf("%s: merged Hessian[%d] %v / %v, objective %v", c.Name, i, got["merged_hessian_0"][i], got["merged_hessian_1"][i], h)
				}
			}
			if relErr(got["merged_value_1"][0], got["value"][0]) > 1e-13 {
				t.Errorf("%s: unaligned partials merge to %v, objective %v", c.Name, got["merged_value_1"][0], got["value"][0])
			}
			if first == nil {
				first = got
			} else if first["value"][0] != got["value"][0] {
				t.Errorf("%s: 1 and 2 workers differ: %v vs %v", c.Name, first["value"][0], got["value"][0])
			}
		}
	}
}
