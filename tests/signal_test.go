package tests

import (
	"context"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// TestSignals runs c/signal.c: while the library evaluates a
// large MCLA model with two workers, SIGINT is sent to every thread of the
// process in turn, Go's included. The host's handler runs (nearly every
// signal is seen; pending ones may merge), the process survives and every
// evaluation gives the same bits as before the signals. The "signal" modes
// install the handler with signal(), without SA_ONSTACK, as R re-arms its
// handler: without the library's SA_ONSTACK repair on entry (capi/guard.c)
// Go died there with "fatal error: unknown caller pc" in every run.
func TestSignals(t *testing.T) {
	exe := compileC(t, "signal", "signal.c")
	const n = 1500
	for _, mode := range []string{"sigaction", "signal", "bigsigaction", "bigsignal"} {
		t.Run(mode, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, exe, mode, strconv.Itoa(n)).CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, lastLines(string(out), 30))
			}
			got := parseLines(t, string(out))
			if got["identical"][0] != 1 {
				t.Errorf("an evaluation changed under signals:\n%s", out)
			}
			if got["sent"][0] != n || got["handled"][0] < n/2 {
				t.Errorf("the handler saw %v of %v signals", got["handled"], got["sent"])
			}
			t.Logf("%s: handled %v of %v signals during %v evaluations", mode, got["handled"][0], got["sent"][0], got["evaluations"][0])
		})
	}
}

// TestSigintCancelsFit: SIGINT sent to a C host during an LMM fit ends
// the fit through the cancel path — the host's handler sets a flag, the
// progress callback returns nonzero — with GLMMGO_ERR_CANCELLED and no fit
// (the output handle is 0, so asking it is GLMMGO_ERR_HANDLE), and the
// model usable for an objective and a new fit.
func TestSigintCancelsFit(t *testing.T) {
	exe := compileC(t, "signal", "signal.c")
	got := parseLines(t, runC(t, exe, "fitcancel"))
	want := map[string]float64{"fit_status": 4, "interrupted": 1, "fit_handle": 0, "info_after_cancel": 6, "objective_after_cancel": 0, "refit": 0}
	for k, w := range want {
		if v := got[k]; len(v) != 1 || v[0] != w {
			t.Errorf("%s = %v, want %v", k, v, w)
		}
	}
}
