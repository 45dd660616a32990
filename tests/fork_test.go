package tests

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestForkedChild runs c/fork.c: a child forked from a
// process that loaded libglmmgo gets GLMMGO_ERR_FORKED from every call
// that needs Go, at once and with a message, whatever the parent was doing
// at the fork — idle, in the middle of a two-worker evaluation on another
// thread (a child then hangs inside cgo's entry code unless the guard runs
// before Go is entered), or still starting the runtime — and also when
// the child comes from _Fork(), which skips atfork handlers. The parent
// keeps working. A hung child is killed by its own alarm (SIGALRM, 14).
func TestForkedChild(t *testing.T) {
	exe := compileC(t, "fork", "fork.c")
	for _, sc := range []string{"static", "fresh", "loaded", "idle", "busy", "rawfork"} {
		t.Run(sc, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			start := time.Now()
			out, err := exec.CommandContext(ctx, exe, sc).CombinedOutput()
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", filepath.Base(exe), sc, err, out)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			got := map[string]string{}
			for _, l := range lines {
				f := strings.SplitN(l, " ", 2)
				if len(f) == 2 {
					if f[0] == "child_status" {
						g := strings.SplitN(f[1], " ", 2)
						got["child "+g[0]] = g[1]
					} else {
						got[f[0]] = f[1]
					}
				}
			}
			if got["child_exit"] != "0" {
				t.Fatalf("the child did not exit normally (child_signal %q: 14 means it hung):\n%s", got["child_signal"], out)
			}
			if got["parent_after"] != "0" {
				t.Errorf("the parent's call after the fork: status %q", got["parent_after"])
			}
			if sc == "static" {
				if !strings.HasPrefix(got["child version"], "0 0.") {
					t.Errorf("glmmgo_version in the child: %q", got["child version"])
				}
				if got["child version_number"] != "0 2000" {
					t.Errorf("glmmgo_version_number in the child: %q", got["child version_number"])
				}
				return
			}
			for _, call := range []string{"dims", "new", "options", "fit"} {
				v := got["child "+call]
				if !strings.HasPrefix(v, "9 ") || !strings.Contains(v, "forked") || !strings.Contains(v, "PSOCK") {
					t.Errorf("child %s: %q, want status 9 (GLMMGO_ERR_FORKED) and a message about fork", call, v)
				}
			}
			if got["child fit_handle"] != "0 -" {
				t.Errorf("child glmmgo_mcla_fit left its output handle at %q, want 0", got["child fit_handle"])
			}
			if got["child free"] != "9 -" {
				t.Errorf("child glmmgo_free: %q, want 9", got["child free"])
			}
			if got["child workers"] != "0 -" {
				t.Errorf("child glmmgo_available_workers: %q, want 0", got["child workers"])
			}
			t.Logf("%s: %v", sc, time.Since(start).Round(time.Millisecond))
		})
	}
}
