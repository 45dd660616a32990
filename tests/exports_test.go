package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refcase"
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

// TestEveryExportGuarded: every Go export is an internal
// glmmgo_go_<name> that capi/guard.c wraps as the public glmmgo_<name>
// behind the fork check, every function of the header is such a wrapper
// or needs no Go (defined in another capi/*.c file), and no glmmgo_go_
// symbol is visible outside the library. A new export written directly as
// glmmgo_<name> would enter Go before any check and hang a forked child:
// this test names it. (internal/genguard's test checks that guard.c is
// what the header generates.)
func TestEveryExportGuarded(t *testing.T) {
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
	// Internal exports that the wrappers' shared entry code calls (after
	// the fork check, which every wrapper makes first): glmmgo_go_attach
	// gives a thread Go's state before its first call (signal masks).
	for _, name := range []string{"glmmgo_attach"} {
		if exports[name] && strings.Contains(string(guard), "glmmgo_go_"+strings.TrimPrefix(name, "glmmgo_")+"()") {
			wrapped[name] = true
		}
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

// headerCode is a result code of glmmgo.h.
type headerCode struct {
	name string
	code int
	ints bool // the header's comment says "int"
}

// resultKinds says which kinds of handle (as c/result_codes.c names them)
// answer the result codes of each engine: one line per engine. The LMM's
// structure codes (lmmStructure) are answered by its models too.
var resultKinds = []struct {
	prefix string
	kinds  []string
}{
	{"GLMMGO_MCLA_", []string{"mcla_fit"}},
	{"GLMMGO_LMM_", []string{"lmm_fit"}},
	{"GLMMGO_MIXLOGIT_", []string{"mixlogit_fit"}},
	{"GLMMGO_LAPLACE_", []string{"laplace_fit"}},
}

var lmmStructure = map[string]bool{"GLMMGO_LMM_TERM_ORDER": true, "GLMMGO_LMM_TERM_NLEVELS": true, "GLMMGO_LMM_TERM_NCOLS": true,
	"GLMMGO_LMM_KEPT_COLUMNS": true, "GLMMGO_LMM_LOWER": true,
	"GLMMGO_LMM_THETA_TERM": true, "GLMMGO_LMM_THETA_ROW": true, "GLMMGO_LMM_THETA_COL": true}

// laplaceStructure are the laplace engine's codes that its models answer too.
var laplaceStructure = map[string]bool{"GLMMGO_LAPLACE_TERM_ORDER": true, "GLMMGO_LAPLACE_TERM_NLEVELS": true,
	"GLMMGO_LAPLACE_TERM_NCOLS": true, "GLMMGO_LAPLACE_KEPT_COLUMNS": true, "GLMMGO_LAPLACE_LOWER": true,
	"GLMMGO_LAPLACE_THETA_TERM": true, "GLMMGO_LAPLACE_THETA_ROW": true, "GLMMGO_LAPLACE_THETA_COL": true}

// headerResultCodes parses the result codes of the header (the defines
// with an engine's prefix), with their type from the comment beside them.
func headerResultCodes(t *testing.T) []headerCode {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "include", "glmmgo.h"))
	if err != nil {
		t.Fatal(err)
	}
	var prefixes []string
	for _, r := range resultKinds {
		prefixes = append(prefixes, r.prefix)
	}
	re := regexp.MustCompile(`(?m)^#define ((?:` + strings.Join(prefixes, "|") + `)\w+) (\d+)\s*/\*\s*(\S+(?: int)?)`)
	var out []headerCode
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		c, _ := strconv.Atoi(m[2])
		if c < 1000 { // an engine's other codes (GLMMGO_MIXLOGIT_MCEM, a method)
			continue
		}
		out = append(out, headerCode{name: m[1], code: c, ints: strings.HasSuffix(m[3], " int")})
	}
	if len(out) < 40 {
		t.Fatalf("found only %d result codes in glmmgo.h", len(out))
	}
	return out
}

// TestResultCodes: every result code of the header is answered by the
// kinds the header says (MCLA codes by MCLA fits; the first five LMM codes
// by LMM models and fits, the others by fits; mixlogit codes by mixlogit
// fits; laplace codes as the LMM's), with the header's type, and
// a wrong length names the code as the header spells it; no other code in
// 0..4999 is answered by anything; glmmgo_dims reports each kind's code.
func TestResultCodes(t *testing.T) {
	codes := headerResultCodes(t)
	c, err := refcase.Load(refcase.Dir() + "/boothhobert_m100_mle.json")
	if err != nil {
		t.Fatal(err)
	}
	out := runC(t, compileC(t, "result_codes", "result_codes.c"), writeCase(t, c))
	type answer struct {
		n    int
		typ  string
		line string
	}
	got := map[string]map[int]answer{}
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.SplitN(line, " ", 6)
		if f[0] == "kind" {
			kinds = append(kinds, f[1])
			continue
		}
		if len(f) < 3 || f[2] == "error" {
			t.Errorf("%s", line)
			continue
		}
		code, _ := strconv.Atoi(f[1])
		n, _ := strconv.Atoi(f[2])
		if got[f[0]] == nil {
			got[f[0]] = map[int]answer{}
		}
		got[f[0]][code] = answer{n: n, typ: f[3], line: line}
	}
	if strings.Join(kinds, " ") != "1 2 3 4 5 6 7 8" {
		t.Errorf("glmmgo_dims kinds %v, want the GLMMGO_KIND_* codes 1 2 3 4 5 6 7 8", kinds)
	}
	want := map[string]map[int]bool{"mcla_model": {}, "mcla_fit": {}, "lmm_model": {}, "lmm_fit": {}, "mixlogit_model": {},
		"mixlogit_fit": {}, "laplace_model": {}, "laplace_fit": {}}
	seen := map[int]bool{}
	for _, hc := range codes {
		if seen[hc.code] {
			t.Errorf("%s: code %d used twice", hc.name, hc.code)
		}
		seen[hc.code] = true
		var by []string
		for _, r := range resultKinds {
			if strings.HasPrefix(hc.name, r.prefix) {
				by = r.kinds
			}
		}
		if lmmStructure[hc.name] {
			by = []string{"lmm_model", "lmm_fit"}
		}
		if laplaceStructure[hc.name] {
			by = []string{"laplace_model", "laplace_fit"}
		}
		for _, k := range by {
			want[k][hc.code] = true
			a, ok := got[k][hc.code]
			if !ok {
				t.Errorf("%s (%d) is not answered by the %s", hc.name, hc.code, k)
				continue
			}
			if (a.typ == "i") != hc.ints {
				t.Errorf("%s: the library's type %s, the header says int = %v", hc.name, a.typ, hc.ints)
			}
			wrong := "1 len: is " + strconv.Itoa(a.n+1) + "; " + hc.name + " has " + strconv.Itoa(a.n) + " values"
			if !strings.Contains(a.line, wrong) {
				t.Errorf("%s: a wrong length gives %q, want %q", hc.name, a.line, wrong)
			}
		}
	}
	for k, codes := range got {
		for code, a := range codes {
			if !want[k][code] {
				t.Errorf("the %s answers code %d, which the header does not give it: %s", k, code, a.line)
			}
		}
	}
	t.Logf("%d result codes; answered: MCLA fit %d, LMM model %d, LMM fit %d, mixlogit fit %d, laplace model %d, laplace fit %d", len(codes),
		len(got["mcla_fit"]), len(got["lmm_model"]), len(got["lmm_fit"]), len(got["mixlogit_fit"]), len(got["laplace_model"]), len(got["laplace_fit"]))
}
