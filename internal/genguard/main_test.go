package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/cheader"
)

// TestGuardIsCurrent: capi/guard.c is what the header generates, so no
// public function can lose its fork guard or keep a stale prototype.
func TestGuardIsCurrent(t *testing.T) {
	root, err := cheader.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "capi", "guard.c"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("capi/guard.c is not what include/glmmgo.h generates: run go generate ./capi")
	}
}

// TestWrapperShapes: the wrappers zero output handles, pass const
// pointers with a cast, and refuse a function that cannot report a status.
func TestWrapperShapes(t *testing.T) {
	h, err := cheader.Parse(`
/* int glmmgo_commented(void); */
int glmmgo_x_new(int64_t n, const double *y, const glmmgo_x_options *opt,
                 glmmgo_handle *out, char *err, size_t errlen);
int32_t glmmgo_count(void);
const char *glmmgo_name(void);
int glmmgo_free(glmmgo_handle h);`)
	if err != nil {
		t.Fatal(err)
	}
	protos := h.Funcs
	if len(protos) != 4 || protos[0].Name != "glmmgo_x_new" || len(protos[0].Params) != 6 {
		t.Fatalf("parsed %+v", protos)
	}
	var b bytes.Buffer
	if err := wrapper(&b, protos[0]); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"int glmmgo_x_new(int64_t n, const double *y, const glmmgo_x_options *opt, glmmgo_handle *out, char *err, size_t errlen) {",
		"if (out != NULL) *out = 0;", "return forked_status(err, errlen);",
		"int r = glmmgo_go_x_new(n, (double *)y, (glmmgo_x_options *)opt, out, err, errlen);",
		"const sigset_t *outer = enter_go(&host);", "leave_go(&host, outer);\n    return r;"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("wrapper lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := wrapper(&b, protos[1]); err != nil || !strings.Contains(b.String(), "return 0;") {
		t.Errorf("int32_t wrapper: %v\n%s", err, b.String())
	}
	if err := wrapper(&b, protos[2]); err == nil {
		t.Error("a function returning a string was wrapped")
	}
	b.Reset()
	if err := wrapper(&b, protos[3]); err != nil || !strings.Contains(b.String(), "forked_status(NULL, 0)") {
		t.Errorf("free wrapper: %v\n%s", err, b.String())
	}
}
