package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/cheader"
)

// TestLibGlmmGoIsCurrent: bindings/julia/src/LibGlmmGo.jl is what the
// header generates, so no function, constant, struct or result code of the
// header is missing from Julia or stale there.
func TestLibGlmmGoIsCurrent(t *testing.T) {
	h, root, err := cheader.ReadModule()
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(h)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, Output))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal(Output + " is not what include/glmmgo.h generates: run go generate ./capi")
	}
}

// TestShapes: the C types become Julia's, long calls are GC-safe, quick
// ones plain ccalls, tagged structs are renamed, and a type without a
// Julia equivalent is an error.
func TestShapes(t *testing.T) {
	h, err := cheader.Parse(`
#define GLMMGO_ERR_X 3 /* bad */
#define GLMMGO_X_BETA 1001 /* p      beta */
#define GLMMGO_X_FLAG 1002 /* 1 int  a flag */
typedef struct { size_t size; double p[3]; const double *start; } glmmgo_x_options;
struct glmmgo_d { size_t size; int64_t n; };
int glmmgo_x_fit(glmmgo_handle model, const glmmgo_x_options *opt, glmmgo_progress_fn progress, void *userdata,
                 glmmgo_handle *fit, char *err, size_t errlen);
int glmmgo_x_dims(glmmgo_handle h, struct glmmgo_d *dims, char *err, size_t errlen);
const char *glmmgo_name(int status);
int32_t glmmgo_count(void);`)
	if err != nil {
		t.Fatal(err)
	}
	src, err := generate(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"const GLMMGO_ERR_X = Cint(3)  # bad", "const GLMMGO_X_BETA = Int32(1001)",
		"GLMMGO_X_BETA => Float64,", "GLMMGO_X_FLAG => Int64,",
		"struct glmmgo_x_options\n    size::Csize_t\n    p::NTuple{3,Float64}\n    start::Ptr{Float64}\nend",
		"struct struct_glmmgo_d\n    size::Csize_t\n    n::Int64\nend",
		"# int glmmgo_x_fit(glmmgo_handle model, const glmmgo_x_options *opt, glmmgo_progress_fn progress, void *userdata, glmmgo_handle *fit, char *err, size_t errlen)\nfunction glmmgo_x_fit(model, opt, progress, userdata, fit, err, errlen)\n",
		"return @gcsafe_ccall libglmmgo().glmmgo_x_fit(model::Int64, opt::Ref{glmmgo_x_options},\n",
		"        progress::Ptr{Cvoid}, userdata::Ptr{Cvoid}, fit::Ptr{Int64}, err::Ptr{UInt8},\n        errlen::Csize_t)::Cint\nend",
		"return ccall((:glmmgo_x_dims, libglmmgo()), Cint,\n        (Int64, Ref{struct_glmmgo_d}, Ptr{UInt8}, Csize_t), h, dims, err, errlen)\nend",
		"# const char *glmmgo_name(int status)", "# int32_t glmmgo_count(void)",
		"return ccall((:glmmgo_name, libglmmgo()), Cstring, (Cint,), status)",
		"return ccall((:glmmgo_count, libglmmgo()), Int32, ())",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("output lacks %q:\n%s", want, src)
		}
	}
	bad, err := cheader.Parse("int glmmgo_f(float x);")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := generate(bad); err == nil || !strings.Contains(err.Error(), "float") {
		t.Errorf("a float parameter: %v", err)
	}
}
