// Package tests exercises libglmmgo from C: it builds build/libglmmgo.so,
// compiles small C programs against include/glmmgo.h and runs them (the
// library is never loaded into the Go test process: two Go runtimes in one
// process are unsupported).
package tests

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// buildLibrary builds the shared library into dir.
func buildLibrary(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", filepath.Join(dir, "libglmmgo.so"), "./capi")
	cmd.Dir = repoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the library: %v\n%s", err, out)
	}
}

func cDoubles(name string, v []float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "static const double %s[%d] = {", name, len(v))
	for i, x := range v {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strconv.FormatFloat(x, 'g', 17, 64))
	}
	b.WriteString("};\n")
	return b.String()
}

func cInts(name string, v []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "static const int64_t %s[%d] = {", name, len(v))
	for i, x := range v {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strconv.Itoa(x))
	}
	b.WriteString("};\n")
	return b.String()
}

func TestLMMFromC(t *testing.T) {
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no C compiler")
	}
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]refdata.Reference{}
	for _, r := range refs {
		byName[r.Name] = r
	}
	dye, err := refdata.Build(byName["dyestuff_ml"])
	if err != nil {
		t.Fatal(err)
	}
	dye2, err := refdata.Build(byName["dyestuff2_ml"])
	if err != nil {
		t.Fatal(err)
	}
	sleep, err := refdata.Build(byName["sleepstudy_reml"])
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	buildLibrary(t, dir)
	src, err := os.ReadFile(filepath.Join(repoRoot(), "tests", "lmm_prog.c.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var prog strings.Builder
	fmt.Fprintf(&prog, "#include <stdint.h>\n#define DYE_N %d\n#define SLEEP_N %d\n#define DYE_THETA_AT %.17g\n",
		dye.N, sleep.N, byName["dyestuff_ml"].ObjectiveAt[1].Theta[0])
	prog.WriteString(cDoubles("DYE_Y", dye.Y))
	prog.WriteString(cDoubles("DYE2_Y", dye2.Y))
	prog.WriteString(cInts("DYE_CODES", dye.Terms[0].Codes))
	prog.WriteString(cDoubles("SLEEP_Y", sleep.Y))
	prog.WriteString(cDoubles("SLEEP_X", sleep.X))
	prog.WriteString(cInts("SLEEP_CODES", sleep.Terms[0].Codes))
	prog.Write(src)
	cfile := filepath.Join(dir, "lmm_prog.c")
	if err := os.WriteFile(cfile, []byte(prog.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "lmm_prog")
	cc := exec.Command("cc", "-std=c99", "-Wall", "-Werror", "-I", filepath.Join(repoRoot(), "include"), cfile,
		"-L", dir, "-lglmmgo", "-Wl,-rpath,"+dir, "-lm", "-o", exe)
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("compiling the C test: %v\n%s", err, out)
	}
	out, runErr := exec.Command(exe).CombinedOutput()
	got := map[string][]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := sc.Text()
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
	if runErr != nil {
		t.Fatalf("C test program: %v\n%s", runErr, out)
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
	for _, name := range []string{"dyestuff_ml", "dyestuff2_ml", "sleepstudy_reml"} {
		ref := byName[name]
		closeTo(name+".objective", []float64{ref.Objective}, 1e-9)
		closeTo(name+".theta", ref.Theta, 2e-4)
		closeTo(name+".sigma", []float64{ref.Sigma}, 1e-4)
		closeTo(name+".beta", ref.Beta, 1e-4)
		closeTo(name+".se", ref.BetaSE, 1e-4)
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
