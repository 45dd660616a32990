// Command genguard writes capi/guard.c, the fork guard around every
// function of include/glmmgo.h that needs Go:
//
//	go generate ./capi    (or: go run ./internal/genguard)
//
// For each prototype of the public header that no other capi/*.c file
// defines, it emits a C wrapper of the same name that returns
// GLMMGO_ERR_FORKED (and zeroes every output handle) in a child forked
// after the library was loaded, repairs SIGINT's SA_ONSTACK flag, and
// calls the hidden Go export glmmgo_go_<name>. So a new C function is a
// prototype in the header and a Go export; the wrapper follows from them.
// The test beside this file fails when guard.c is not what the header
// gives.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	root, err := moduleRoot()
	if err == nil {
		var src []byte
		if src, err = generate(root); err == nil {
			err = os.WriteFile(filepath.Join(root, "capi", "guard.c"), src, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genguard:", err)
		os.Exit(1)
	}
}

// moduleRoot walks up from the working directory to go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// A param is one parameter of a prototype.
type param struct{ typ, name string }

// A proto is one function of the header.
type proto struct {
	ret, name string
	params    []param
}

var (
	comments = regexp.MustCompile(`(?s)/\*.*?\*/`)
	protoRe  = regexp.MustCompile(`(?m)^([a-z][\w \*]*?)\s*\b(glmmgo_\w+)\s*\(([^;{]*?)\)\s*;`)
	paramRe  = regexp.MustCompile(`^(.*?[\s\*])(\w+)$`)
	defRe    = regexp.MustCompile(`(?m)^[a-z][\w \*]*?\b(glmmgo_\w+)\s*\([^;{]*\)\s*\{`)
)

// prototypes parses the functions declared by the header src.
func prototypes(src string) ([]proto, error) {
	var out []proto
	for _, m := range protoRe.FindAllStringSubmatch(comments.ReplaceAllString(src, ""), -1) {
		p := proto{ret: strings.TrimSpace(m[1]), name: m[2]}
		args := strings.Join(strings.Fields(m[3]), " ")
		if args != "void" {
			for _, a := range strings.Split(args, ",") {
				pm := paramRe.FindStringSubmatch(strings.TrimSpace(a))
				if pm == nil {
					return nil, fmt.Errorf("%s: cannot parse parameter %q", p.name, a)
				}
				p.params = append(p.params, param{typ: strings.TrimSpace(pm[1]), name: pm[2]})
			}
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, errors.New("no prototypes in the header")
	}
	return out, nil
}

// pureC lists the functions that capi's other C files define: they need
// no Go and stay unguarded.
func pureC(root string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(root, "capi", "*.c"))
	if err != nil {
		return nil, err
	}
	defined := map[string]bool{}
	for _, f := range files {
		if filepath.Base(f) == "guard.c" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, m := range defRe.FindAllStringSubmatch(string(b), -1) {
			defined[m[1]] = true
		}
	}
	return defined, nil
}

// generate returns the text of capi/guard.c for the module at root.
func generate(root string) ([]byte, error) {
	hdr, err := os.ReadFile(filepath.Join(root, "include", "glmmgo.h"))
	if err != nil {
		return nil, err
	}
	protos, err := prototypes(string(hdr))
	if err != nil {
		return nil, err
	}
	skip, err := pureC(root)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(preamble)
	for _, p := range protos {
		if skip[p.name] {
			continue
		}
		if err := wrapper(&b, p); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// wrapper writes the guarded definition of p.
func wrapper(b *bytes.Buffer, p proto) error {
	var decl, call []string
	hasErr := false
	for _, a := range p.params {
		if strings.HasSuffix(a.typ, "*") {
			decl = append(decl, a.typ+a.name)
		} else {
			decl = append(decl, a.typ+" "+a.name)
		}
		arg := a.name
		if t, ok := strings.CutPrefix(a.typ, "const "); ok && strings.HasSuffix(t, "*") {
			// Go cannot spell const: its exports take the pointer without it.
			arg = "(" + t + ")" + a.name
		}
		call = append(call, arg)
		hasErr = hasErr || (a.name == "err" && a.typ == "char *")
	}
	sig := fmt.Sprintf("%s %s(%s)", p.ret, p.name, strings.Join(decl, ", "))
	if len(decl) == 0 {
		sig = fmt.Sprintf("%s %s(void)", p.ret, p.name)
	}
	goName := "glmmgo_go_" + strings.TrimPrefix(p.name, "glmmgo_")
	fmt.Fprintf(b, "\n%s {\n    if (in_forked_child()) {\n", sig)
	switch {
	case p.ret == "int":
		for _, a := range p.params {
			if a.typ == "glmmgo_handle *" {
				fmt.Fprintf(b, "        if (%s != NULL) *%s = 0;\n", a.name, a.name)
			}
		}
		if hasErr {
			b.WriteString("        return forked_status(err, errlen);\n")
		} else {
			b.WriteString("        return forked_status(NULL, 0);\n")
		}
	case p.ret == "int32_t" && !hasErr:
		b.WriteString("        return 0;\n")
	default:
		return fmt.Errorf("%s returns %s: a function that needs Go must return int (a status), or int32_t without an error buffer; define it in another capi/*.c file if it needs no Go", p.name, p.ret)
	}
	fmt.Fprintf(b, "    }\n    sigint_onstack();\n    return %s(%s);\n}\n", goName, strings.Join(call, ", "))
	return nil
}

const preamble = `/* Code generated by go run ./internal/genguard from include/glmmgo.h; DO NOT EDIT. */

/* The fork guard: every public function of glmmgo.h that needs Go is this
   C wrapper around a hidden Go export of the same name with "glmmgo_go_"
   instead of "glmmgo_" (the functions that need no Go are defined in
   capi's other C files).

   Why in C: Go's runtime does not survive fork(). A child forked while
   another thread of the parent was running Go code, or before the runtime
   had finished starting (it starts on its own thread when the library is
   loaded), hangs inside cgo's entry code the moment it calls an export,
   before any Go statement, so a check written in Go can never run there
   (tests/fork_test.go shows both hangs without this file). The wrapper
   decides in C, without entering Go, and returns GLMMGO_ERR_FORKED. This
   is the only place that checks.

   How a child is recognised: a pthread_atfork child handler, registered
   when the library is loaded, sets a flag; and the process id is compared
   with the one recorded at load time, which also catches children made by
   means that skip atfork handlers (glibc's _Fork, a raw clone).

   Prototypes: this file includes glmmgo.h, so each wrapper's definition
   must match the public declaration exactly (C rejects a conflicting
   definition), and it calls the Go export through the prototype cgo
   generates in _cgo_export.h, with pointer and integer mismatches turned
   into errors by the flags in guard.go (Go cannot spell const, so const
   pointers are passed with a cast that keeps the pointee type). The
   package is compiled with -fvisibility=hidden and glmmgo.h declares its
   functions with default visibility, so the library exports exactly the
   functions of the header and the glmmgo_go_* functions stay internal
   (tests check both). */
#define _GNU_SOURCE /* struct sigaction, SA_ONSTACK */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "cgo.h"
#include "_cgo_export.h"

static atomic_int forked;
static pid_t start_pid;

static void on_fork_child(void) { atomic_store(&forked, 1); }

__attribute__((constructor)) static void guard_init(void) {
    start_pid = getpid();
    pthread_atfork(NULL, NULL, on_fork_child);
}

static int in_forked_child(void) {
    return atomic_load_explicit(&forked, memory_order_relaxed) || getpid() != start_pid;
}

static int forked_status(char *err, size_t errlen) {
    static const char msg[] =
        "glmmgo was called in a child process forked after the library was loaded; Go's runtime does not "
        "survive fork, so the child must not call glmmgo (in R use a PSOCK cluster instead of mclapply)";
    if (err != NULL && errlen > 0) {
        size_t k = sizeof msg - 1;
        if (k > errlen - 1) k = errlen - 1;
        memcpy(err, msg, k);
        err[k] = 0;
    }
    return GLMMGO_ERR_FORKED;
}

/* Signal handlers installed by the host run on whatever stack the thread
   is on when the signal arrives; on a thread running Go code that is a
   small goroutine stack, which the handler's frame overruns (Go then dies
   with "fatal error: unknown caller pc" or worse) unless the handler was
   installed with SA_ONSTACK, so that it runs on the signal stack Go gives
   each of its threads. Go asks hosts to use SA_ONSTACK; signal(), which R
   uses to re-arm its SIGINT handler after each interrupt, does not set it.
   So, before entering Go, add SA_ONSTACK to a SIGINT handler that lacks
   it (one rt_sigaction call when nothing needs changing;
   tests/signal_test.go crashes without this). Other signals are the
   host's to install correctly (SECURITY.md). */
static void sigint_onstack(void) {
    struct sigaction sa;
    if (sigaction(SIGINT, NULL, &sa) != 0) return;
    if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_ONSTACK)) return;
    sa.sa_flags |= SA_ONSTACK;
    sigaction(SIGINT, &sa, NULL);
}
`
