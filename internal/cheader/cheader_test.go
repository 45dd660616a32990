package cheader

import (
	"strings"
	"testing"
)

// TestReadsGlmmgoH reads the real header: its structs field by field, a
// sample of its functions and constants, and which result codes are
// integers.
func TestReadsGlmmgoH(t *testing.T) {
	h, _, err := ReadModule()
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Funcs) < 20 {
		t.Errorf("%d functions", len(h.Funcs))
	}
	funcs := map[string]Func{}
	for _, f := range h.Funcs {
		funcs[f.Name] = f
	}
	if f := funcs["glmmgo_version"]; f.Ret != "const char *" || len(f.Params) != 0 {
		t.Errorf("glmmgo_version: %+v", f)
	}
	if f := funcs["glmmgo_dims"]; len(f.Params) != 4 || f.Params[1] != (Param{"struct glmmgo_dims *", "dims"}) {
		t.Errorf("glmmgo_dims: %+v", f)
	}
	if f := funcs["glmmgo_lmm_fit"]; len(f.Params) != 7 || f.Params[1] != (Param{"const glmmgo_lmm_options *", "opt"}) ||
		f.Params[2].Type != "glmmgo_progress_fn" {
		t.Errorf("glmmgo_lmm_fit: %+v", f)
	}
	structs := map[string]Struct{}
	for _, s := range h.Structs {
		structs[s.Name] = s
	}
	if s := structs["glmmgo_dims"]; !s.Tag || len(s.Fields) != 12 || s.Fields[0] != (Field{"size_t", "size", 0}) {
		t.Errorf("struct glmmgo_dims: %+v", s)
	}
	mo := structs["glmmgo_mcla_options"]
	if mo.Tag || mo.Fields[0].Name != "size" || mo.Fields[2] != (Field{"double", "p_mix", 3}) {
		t.Errorf("glmmgo_mcla_options: %+v", mo)
	}
	var start Field
	for _, f := range mo.Fields {
		if f.Name == "start" {
			start = f
		}
	}
	if BaseType(start.Type) != "double *" {
		t.Errorf("start: %+v, base type %q", start, BaseType(start.Type))
	}
	defs := map[string]Define{}
	results, ints := 0, 0
	for _, d := range h.Defines {
		defs[d.Name] = d
		if d.IsResult() {
			results++
		}
		if d.IsIntResult() {
			ints++
		}
	}
	if d := defs["GLMMGO_VERSION_STRING"]; !d.IsString || d.Str == "" {
		t.Errorf("version string %+v", d)
	}
	if d := defs["GLMMGO_VERSION_NUMBER"]; d.IsResult() || d.Int < 2000 {
		t.Errorf("version number %+v", d)
	}
	for name, want := range map[string]bool{"GLMMGO_MCLA_BETA": false, "GLMMGO_MCLA_HESSIAN_NEGDEF": true,
		"GLMMGO_MCLA_COUNTS": true, "GLMMGO_MCLA_DISPERSION_LOGLIK": false, "GLMMGO_LMM_TERM_ORDER": true,
		"GLMMGO_LMM_CONDVAR": false, "GLMMGO_LMM_REML": true} {
		if d := defs[name]; !d.IsResult() || d.IsIntResult() != want {
			t.Errorf("%s: %+v, result %v int %v; want int %v", name, d, d.IsResult(), d.IsIntResult(), want)
		}
	}
	if results < 40 || ints < 10 {
		t.Errorf("%d result codes, %d of them integers", results, ints)
	}
	if d := defs["GLMMGO_ERR_INVALID"]; d.IsResult() || d.Int != 1 || !strings.HasPrefix(d.Comment, "an argument") ||
		d.Section != "Status codes." {
		t.Errorf("GLMMGO_ERR_INVALID: %+v", d)
	}
	if d := defs["GLMMGO_NEGBINOMIAL"]; d.Section != "Response families." {
		t.Errorf("GLMMGO_NEGBINOMIAL: %+v", d)
	}
}

// TestRefusesWhatItCannotRead: a define without a value, a field or a
// parameter it cannot split, are errors, not silently skipped.
func TestRefusesWhatItCannotRead(t *testing.T) {
	for _, src := range []string{
		"#define GLMMGO_X\nint glmmgo_f(void);",
		"#define GLMMGO_X (1 << 2)\nint glmmgo_f(void);",
		"typedef struct { size_t; } glmmgo_o;\nint glmmgo_f(void);",
		"int glmmgo_f(int64_t);",
		"/* no functions */",
	} {
		if _, err := Parse(src); err == nil {
			t.Errorf("accepted %q", src)
		}
	}
	if _, err := Parse("#define GLMMGO_H\nint glmmgo_f(void);"); err != nil {
		t.Errorf("the include guard: %v", err)
	}
}
