// Package tests exercises libglmmgo as a C caller sees it: the Go tests
// build the shared library once, compile small C programs against
// include/glmmgo.h and it, run them, and check what they print. (Loading
// the library into this Go test binary would start a second Go runtime in
// one process, which is unsupported.)
package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
