package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// headerFunctions lists the functions include/glmmgo.h declares.
func headerFunctions(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "include", "glmmgo.h"))
	if err != nil {
		t.Fatal(err)
	}
	// Strip comments so prose mentioning glmmgo_x( does not count.
	noComments := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(src), "")
	re := regexp.MustCompile(`(?m)^[a-z][\w \*]*?\b(glmmgo_\w+)\s*\(`)
	var names []string
	for _, m := range re.FindAllStringSubmatch(noComments, -1) {
		names = append(names, m[1])
	}
	sort.Strings(names)
	return names
}

// TestHeaderMatchesExports: the functions the header declares are exactly
// the glmmgo_ symbols the library exports.
func TestHeaderMatchesExports(t *testing.T) {
	out, err := exec.Command("nm", "-D", "--defined-only", filepath.Join(libDir, "libglmmgo.so")).Output()
	if err != nil {
		t.Fatal(err)
	}
	var exported []string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[1] == "T" && strings.HasPrefix(f[2], "glmmgo_") {
			exported = append(exported, f[2])
		}
	}
	sort.Strings(exported)
	declared := headerFunctions(t)
	if len(declared) < 10 {
		t.Fatalf("found only %d declarations in glmmgo.h: %v", len(declared), declared)
	}
	if strings.Join(declared, " ") != strings.Join(exported, " ") {
		t.Errorf("header declares %v\nlibrary exports  %v", declared, exported)
	}
}

// TestHeaderPrototypesAgree compiles a file that includes both the public
// header and the header `go build` generated: C rejects two declarations
// of one function with different types.
func TestHeaderPrototypesAgree(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "both.c")
	code := "#include \"glmmgo.h\"\n#include \"libglmmgo.h\"\nint main(void) { return 0; }\n"
	if err := os.WriteFile(src, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("gcc", "-std=c11", "-Wall", "-Werror", "-I", filepath.Join(root, "include"),
		"-I", filepath.Join(root, "capi"), "-I", libDir, "-o", filepath.Join(dir, "both"), src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the public header and the exported prototypes disagree:\n%s", out)
	}
	// And the check has teeth: a wrong prototype must fail to compile.
	bad := filepath.Join(dir, "bad.c")
	code = "#include \"libglmmgo.h\"\nint glmmgo_mcla_objective(glmmgo_handle h, const double *par, int64_t workers, double *value,\n double *gradient, double *hessian, char *err, size_t errlen);\nint main(void) { return 0; }\n"
	if err := os.WriteFile(bad, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command("gcc", "-std=c11", "-I", filepath.Join(root, "include"), "-I", filepath.Join(root, "capi"), "-I", libDir, "-c", "-o", filepath.Join(dir, "bad.o"), bad)
	if err := cmd.Run(); err == nil {
		t.Error("a prototype with int64_t workers instead of int32_t compiled: the check cannot fail")
	}
}
