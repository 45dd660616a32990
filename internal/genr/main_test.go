package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/cheader"
)

// TestCodesRIsCurrent: bindings/R/R/codes.R is what the header generates,
// so the R package reads every result code with the header's number and
// type and checks the library against the header's version.
func TestCodesRIsCurrent(t *testing.T) {
	h, root, err := cheader.ReadModule()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, Output))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, generate(h)) {
		t.Fatal(Output + " is not what include/glmmgo.h generates: run go generate ./capi")
	}
}

// TestShapes: the version, families, kinds and results land in their
// vectors, integer results listed by name.
func TestShapes(t *testing.T) {
	h, err := cheader.Parse(`
#define GLMMGO_VERSION_NUMBER 2001
#define GLMMGO_VERSION_STRING "0.2.1"
/* Status codes. */
#define GLMMGO_OK 0
/* Response families. */
#define GLMMGO_BERNOULLI 1
/* Kinds of handle. */
#define GLMMGO_KIND_X_MODEL 1
/* Methods of an X fit. */
#define GLMMGO_X_FAST 1 /* the fast one */
#define GLMMGO_X_BETA 1001 /* p      beta */
#define GLMMGO_X_FLAG 1002 /* 1 int  a flag */
#define GLMMGO_CONVERGENCE_OK 0 /* a maximum */
int glmmgo_f(void);`)
	if err != nil {
		t.Fatal(err)
	}
	src := string(generate(h))
	for _, want := range []string{"version_number = 2001L,", `version_string = "0.2.1",`,
		"families = c(\n    GLMMGO_BERNOULLI = 1L\n  ),", "kinds = c(\n    GLMMGO_KIND_X_MODEL = 1L\n  ),", "methods = c(\n    GLMMGO_X_FAST = 1L\n  ),",
		"results = c(\n    GLMMGO_X_BETA = 1001L,\n    GLMMGO_X_FLAG = 1002L\n  ),",
		"convergence = c(\n    GLMMGO_CONVERGENCE_OK = 0L\n  ),", "convergence_text = c(\n    GLMMGO_CONVERGENCE_OK = \"a maximum\"\n  ),", `int_results = c(
    "GLMMGO_X_FLAG"
  )`} {
		if !strings.Contains(src, want) {
			t.Errorf("codes.R lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(src, "GLMMGO_OK") {
		t.Errorf("a status code among the R codes:\n%s", src)
	}
}
