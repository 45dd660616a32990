package tests

import (
	"strconv"
	"strings"
	"testing"
)

// TestHardenBadInput runs c/harden_badinput.c, a table of bad calls to
// every function of glmmgo.h (see the C file for the cases): each must
// return its documented status with a message naming the argument at
// fault, write nothing past the error buffer's length and always
// NUL-terminate it, set *out to 0 when glmmgo_mcla_new fails, and never
// crash. Statuses >= 100 printed by the C program flag a broken buffer
// (100+), a failed mcla_new that left *out set (200+), or a result that
// differs from the reference call (300).
func TestHardenBadInput(t *testing.T) {
	out := runC(t, compileC(t, "harden_badinput", "harden_badinput.c"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "total\t") {
		t.Fatalf("the program stopped early; last line %q", last)
	}
	total, _ := strconv.Atoi(strings.TrimPrefix(last, "total\t"))
	n := 0
	names := map[string]bool{}
	byStatus := map[string]int{}
	for _, line := range lines[:len(lines)-1] {
		f := strings.SplitN(line, "\t", 5)
		if len(f) != 5 {
			t.Errorf("malformed line %q", line)
			continue
		}
		name, status, want, arg, msg := f[0], f[1], f[2], f[3], f[4]
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
	if n != total {
		t.Errorf("read %d cases, the program counted %d", n, total)
	}
	if n < 200 {
		t.Errorf("only %d cases", n)
	}
	t.Logf("%d bad-input cases through the C ABI (by expected status: %v)", n, byStatus)
}
