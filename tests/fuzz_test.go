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

// TestFuzzBounded fuzzes every Go fuzz target of the module (the
// *_fuzz_test.go files) for a bounded budget each — 10⁴ executions by
// default (about 1 to 5 s), GLMMGO_FUZZTIME to change it (a count "Nx" or a
// duration; "0" skips; -short skips too) — with one worker, so that CI
// exercises new inputs, not only the committed corpus that `go test`
// replays. scripts/fuzz.sh runs them for longer by hand.
//
// A count, not a duration, by default: with a duration, Go 1.26's fuzzing
// coordinator can report "context deadline exceeded" at the deadline
// without any failing input (golang/go#75804, fixed in Go 1.27); seen here
// twice. With a duration that error is logged and tolerated when no
// failing input was written; any other failure fails the test.
func TestFuzzBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	d := os.Getenv("GLMMGO_FUZZTIME")
	if d == "" {
		d = "10000x"
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
				if err != nil && deadlineFlake(string(out)) {
					t.Logf("%s: Go's fuzzing deadline race (golang/go#75804), no failing input: ignored", target)
				} else if err != nil {
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

// deadlineFlake reports a fuzzing run that failed only with the
// coordinator's "context deadline exceeded" at -fuzztime's end: no failing
// input written, no panic, no test failure message.
func deadlineFlake(out string) bool {
	if !strings.Contains(out, "context deadline exceeded") {
		return false
	}
	for _, bad := range []string{"Failing input written", "panic:", "_test.go:", "fatal error"} {
		if strings.Contains(out, bad) {
			return false
		}
	}
	return true
}
