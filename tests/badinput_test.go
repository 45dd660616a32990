package tests

import (
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

// TestBadInput runs c/badinput.c, a table of bad calls to every function
// of glmmgo.h (see the C files for the cases): each must return its
// documented status with a message naming the argument at fault, write
// nothing past the error buffer's length and always NUL-terminate it, set
// the output handle to 0 when a constructor or a fit fails, and never
// crash. Statuses >= 100 printed by the C program flag a broken buffer
// (100+), a failed call that left its output handle set (200+), or a
// result that differs from the reference call (300).
func TestBadInput(t *testing.T) {
	out := runC(t, compileC(t, "badinput", "badinput.c"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "total\t") {
		t.Fatalf("the program stopped early; last line %q", last)
	}
	total, _ := strconv.Atoi(strings.TrimPrefix(last, "total\t"))
	n := 0
	names := map[string]bool{}
	byStatus := map[string]int{}
	statusText := map[string]string{}
	for _, line := range lines[:len(lines)-1] {
		f := strings.SplitN(line, "\t", 5)
		if len(f) != 5 {
			t.Errorf("malformed line %q", line)
			continue
		}
		name, status, want, arg, msg := f[0], f[1], f[2], f[3], f[4]
		statusText[name] = msg
		n++
		if names[name] {
			t.Errorf("case %s appears twice", name)
		}
		names[name] = true
		byStatus[want]++
		if status != want {
			t.Errorf("%s: status %s, want %s (message %q)", name, status, want, msg)
			continue
		}
		switch {
		case arg == "*":
		case arg == "":
			if msg != "" {
				t.Errorf("%s: success with message %q", name, msg)
			}
		default:
			if !strings.Contains(msg, arg) {
				t.Errorf("%s: message %q does not contain %q", name, msg, arg)
			}
			if len(msg) < 15 {
				t.Errorf("%s: message %q explains too little", name, msg)
			}
		}
	}
	// The status strings (one C table, capi/library.c) are core/errs's
	// names of the same codes.
	for _, k := range []errs.Kind{errs.Invalid, errs.Domain, errs.Numeric, errs.Cancelled, errs.Internal, errs.Handle, errs.Busy, errs.State, errs.Resource} {
		if want := k.String(); statusText["status_string_known_"+strconv.Itoa(int(k))] != want {
			t.Errorf("glmmgo_status_string(%d) = %q, core/errs says %q", int(k), statusText["status_string_known_"+strconv.Itoa(int(k))], want)
		}
	}
	if n != total {
		t.Errorf("read %d cases, the program counted %d", n, total)
	}
	if n < 800 {
		t.Errorf("only %d cases", n)
	}
	t.Logf("%d bad-input cases through the C ABI (by expected status: %v)", n, byStatus)
}
