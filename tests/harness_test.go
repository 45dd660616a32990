// Package tests exercises libglmmgo as a C caller sees it: TestMain builds
// the shared library once, and each test compiles a C program from c/
// against include/glmmgo.h and the library (compileC), runs it (runC) and
// checks what it prints. Data the programs need is written to a file they
// read (writeCase, writeArrays). Loading the library into this Go test
// binary would start a second Go runtime in one process, which is
// unsupported.
package tests

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refcase"
)

var (
	root   string // module root
	libDir string // directory holding the freshly built libglmmgo.so and libglmmgo.h
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	root = filepath.Dir(wd)
	libDir, err = os.MkdirTemp("", "glmmgo-abi-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(libDir)
	build := exec.Command("go", "build", "-buildmode=c-shared", "-o", filepath.Join(libDir, "libglmmgo.so"), "./capi")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building libglmmgo.so: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// compileC builds C sources (paths relative to tests/c) into an executable
// linked against the library, and returns its path.
func compileC(t *testing.T, name string, sources ...string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), name)
	args := []string{"-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-I", filepath.Join(root, "include"), "-I", filepath.Join(root, "tests", "c"), "-o", exe}
	for _, s := range sources {
		args = append(args, filepath.Join(root, "tests", "c", s))
	}
	args = append(args, "-L", libDir, "-lglmmgo", "-Wl,-rpath,"+libDir, "-lm", "-lpthread")
	if out, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %v: %v\n%s", sources, err, out)
	}
	return exe
}

// compileCDlopen builds a C source that loads the library itself with
// dlopen (as R and Julia do) instead of linking it; run it with libDir.
func compileCDlopen(t *testing.T, name, source string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), name)
	args := []string{"-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-I", filepath.Join(root, "include"), "-o", exe,
		filepath.Join(root, "tests", "c", source), "-ldl", "-lm", "-lpthread"}
	if out, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %s: %v\n%s", source, err, out)
	}
	return exe
}

// runC runs exe and returns its standard output; a non-zero exit fails t.
func runC(t *testing.T, exe string, args ...string) string {
	t.Helper()
	cmd := exec.Command(exe, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(exe), args, err, out, stderr.String())
	}
	return string(out)
}

// parseLines reads "name v1 v2 ..." lines into a map of float slices.
func parseLines(t *testing.T, out string) map[string][]float64 {
	t.Helper()
	res := map[string][]float64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		for _, s := range f[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			res[f[0]] = append(res[f[0]], v)
		}
	}
	return res
}

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

// A named array for writeArrays.
type namedArray struct {
	name string
	v    []float64
}

// writeArrays writes "NAME COUNT values..." lines (the format c/lmm.c
// reads) and returns the file's path.
func writeArrays(t *testing.T, arrays ...namedArray) string {
	t.Helper()
	var b strings.Builder
	for _, a := range arrays {
		fmt.Fprintf(&b, "%s %d", a.name, len(a.v))
		for _, x := range a.v {
			b.WriteString(" " + strconv.FormatFloat(x, 'g', 17, 64))
		}
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "data.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Max(math.Abs(want), 1) }

// lastLines returns the last n lines of s (for crash reports).
func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
