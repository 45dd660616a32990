package tests

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHardenFuzzBounded fuzzes every Go fuzz target of the module (the
// *_fuzz_test.go files) for a short bounded time each — 2 s by default,
// GLMMGO_FUZZTIME to change it ("0" skips; -short skips too) — with one
// worker, so that CI exercises new inputs, not only the committed corpus
// that `go test` replays. scripts/fuzz.sh runs them for longer by hand.
func TestHardenFuzzBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	d := os.Getenv("GLMMGO_FUZZTIME")
	if d == "" {
		d = "2s"
	}
	if d == "0" {
		t.Skip("GLMMGO_FUZZTIME=0")
	}
	files, err := exec.Command("git", "-C", root, "ls-files", "*_fuzz_test.go").Output()
	if err != nil {
		t.Skipf("git ls-files: %v", err)
	}
	re := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)
	n := 0
	for _, f := range strings.Fields(string(files)) {
		src, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		pkg := "./" + filepath.Dir(f)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			target := m[1]
			n++
			t.Run(filepath.Base(filepath.Dir(f))+"/"+target, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-fuzz", "^"+target+"$", "-fuzztime", d, "-parallel", "1", pkg)
				cmd.Dir = root
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s %s: %v\n%s", pkg, target, err, lastLines(string(out), 40))
				}
				if m := regexp.MustCompile(`execs: (\d+)`).FindAllStringSubmatch(string(out), -1); len(m) > 0 {
					t.Logf("%s: %s executions in %s", target, m[len(m)-1][1], d)
				}
			})
		}
	}
	if n < 8 {
		t.Errorf("found only %d fuzz targets", n)
	}
}
