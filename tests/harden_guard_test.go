package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHardenEveryExportGuarded: every Go export is an internal
// glmmgo_go_<name> that capi/guard.c wraps as the public glmmgo_<name>
// behind the fork check, every function of the header is such a wrapper
// or needs no Go (defined in another capi/*.c file), and no glmmgo_go_ symbol is visible
// outside the library. A new export written directly as glmmgo_<name>
// would enter Go before any check and hang a forked child: this test
// names it.
func TestHardenEveryExportGuarded(t *testing.T) {
	goFiles, err := filepath.Glob(filepath.Join(root, "capi", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	exportRe := regexp.MustCompile(`(?m)^//export (\w+)`)
	exports := map[string]bool{}
	for _, f := range goFiles {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range exportRe.FindAllStringSubmatch(string(src), -1) {
			name := m[1]
			if !strings.HasPrefix(name, "glmmgo_go_") {
				t.Errorf("%s: //export %s enters Go without the fork guard: export it as glmmgo_go_%s and wrap it in capi/guard.c",
					filepath.Base(f), name, strings.TrimPrefix(name, "glmmgo_"))
				continue
			}
			exports["glmmgo_"+strings.TrimPrefix(name, "glmmgo_go_")] = true
		}
	}
	guard, err := os.ReadFile(filepath.Join(root, "capi", "guard.c"))
	if err != nil {
		t.Fatal(err)
	}
	// The other C files of capi hold the functions that need no Go.
	cFiles, err := filepath.Glob(filepath.Join(root, "capi", "*.c"))
	if err != nil {
		t.Fatal(err)
	}
	var pureCSrc []byte
	for _, f := range cFiles {
		if filepath.Base(f) == "guard.c" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pureCSrc = append(pureCSrc, b...)
	}
	// A wrapper: the definition of glmmgo_x, whose body checks
	// in_forked_child (directly or through GUARD) before calling glmmgo_go_x.
	defRe := regexp.MustCompile(`(?ms)^[a-z][\w \*]*?\b(glmmgo_\w+)\([^;{]*\)\s*\{(.*?)^\}`)
	wrapped := map[string]bool{}
	for _, m := range defRe.FindAllStringSubmatch(string(guard), -1) {
		name, body := m[1], m[2]
		call := strings.Index(body, "glmmgo_go_"+strings.TrimPrefix(name, "glmmgo_")+"(")
		check := strings.Index(body, "GUARD(")
		if c := strings.Index(body, "in_forked_child()"); c >= 0 && (check < 0 || c < check) {
			check = c
		}
		if call < 0 || check < 0 || check > call {
			t.Errorf("capi/guard.c: %s does not check for a forked child before calling glmmgo_go_%s", name, strings.TrimPrefix(name, "glmmgo_"))
			continue
		}
		wrapped[name] = true
	}
	for name := range exports {
		if !wrapped[name] {
			t.Errorf("Go export glmmgo_go_%s has no wrapper %s in capi/guard.c", strings.TrimPrefix(name, "glmmgo_"), name)
		}
	}
	for _, name := range headerFunctions(t) {
		pureC := regexp.MustCompile(`(?m)^[a-z][\w \*]*?\b` + name + `\(`).Match(pureCSrc)
		switch {
		case wrapped[name] && !exports[name]:
			t.Errorf("%s wraps glmmgo_go_%s, which no Go file exports", name, strings.TrimPrefix(name, "glmmgo_"))
		case !wrapped[name] && !pureC:
			t.Errorf("header function %s is neither a guarded wrapper (capi/guard.c) nor pure C (another capi/*.c)", name)
		}
	}
	out, err := exec.Command("nm", "-D", "--defined-only", filepath.Join(libDir, "libglmmgo.so")).Output()
	if err != nil {
		t.Fatal(err)
	}
	// (Go's own trampolines _cgoexp_<hash>_glmmgo_go_* stay dynamic, as
	// every cgo export's does; they take a Go frame, not C arguments.)
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 3 && strings.HasPrefix(f[2], "glmmgo_go_") {
			t.Errorf("internal export %s is visible outside the library", f[2])
		}
	}
	if len(wrapped) < 10 {
		t.Errorf("found only %d wrappers in capi/guard.c", len(wrapped))
	}
}
