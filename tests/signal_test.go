package tests

import (
	"context"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// TestSignals runs c/signal.c: while the library evaluates a large MCLA
// model with two workers, SIGINT is sent to every thread of the process in
// turn, Go's included. The process survives, every evaluation gives the
// same bits as before the signals, and the host's handler runs — on the
// host's thread, when the library returns (signals that arrive while Go
// runs are held there) — while Go's threads hold every asynchronous signal
// blocked for good (capi/guard.c, "Signals"), so those sent to them are
// never delivered. The "signal" modes install the handler with signal(),
// without SA_ONSTACK, as R re-arms its handler: before the library kept
// signals off Go's stacks (at first by repairing SIGINT's flag on entry),
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
			if got["sent"][0] != n || got["handled"][0] < 1 || got["handled"][0] > got["sent_to_main"][0] {
				t.Errorf("the handler saw %v of %v signals sent to the host's threads (%v in all)", got["handled"], got["sent_to_main"], got["sent"])
			}
			t.Logf("%s: handled %v of the %v signals sent to the host's threads (%v in all) during %v evaluations", mode,
				got["handled"][0], got["sent_to_main"][0], got["sent"][0], got["evaluations"][0])
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

// TestLoadUnderProfiler runs c/loadprof.c 20 times: a host whose profiler
// (a re-arming SIGPROF handler without SA_ONSTACK, as R's, ticking every
// 100 µs) already runs when it loads the library. The host's handler never
// runs on a thread of the library's off the signal stack: before the
// library blocked the three signals and wrapped the handler at load
// (capi/guard.c), it ran on the thread running Go's package
// initialisation, on a goroutine's stack, in 28 of 30 loads (R died of it
// in 1 process of 40–80).
func TestLoadUnderProfiler(t *testing.T) {
	exe := compileCDlopen(t, "loadprof", "loadprof.c")
	var ticks, unsafe, safe float64
	for k := 0; k < 20; k++ {
		got := parseLines(t, runC(t, exe, libDir))
		ticks += got["ticks"][0]
		unsafe += got["off_main_host"][0]
		safe += got["off_main"][0] - got["off_main_host"][0]
	}
	if ticks == 0 {
		t.Fatal("the profiler never ticked")
	}
	if unsafe != 0 {
		t.Errorf("%v of %v profiler ticks ran the host's handler on the library's threads off the signal stack", unsafe, ticks)
	}
	t.Logf("%v ticks over 20 loads; on the library's threads only on the signal stack or as its immunisation (%v)", ticks, safe)
}

// TestSignalMasks runs c/masks.c, which loads the library with dlopen: the
// loading thread gets its own signal mask back; every thread the library
// starts blocks the asynchronous signals (SIGINT, SIGTERM, SIGALRM, the
// real-time signals, ...) and not Go's own (SIGURG, SIGSEGV); the calling
// thread blocks them, and SIGPROF and SIGCHLD, during a call and has its
// own mask back after it; and once a host installs a SIGPROF handler
// without SA_ONSTACK (as R's profiler does), the library's threads block
// SIGPROF and SIGCHLD too (Go unblocks them at thread start), the host's
// do not, and the disposition runs on the signal stack.
func TestSignalMasks(t *testing.T) {
	exe := compileCDlopen(t, "masks", "masks.c")
	got := parseLines(t, runC(t, exe, libDir))
	for _, name := range []string{"loader_restored", "go_block_async", "go_unblock_go", "caller_blocks", "caller_restored",
		"go_block_wrapped_first", "go_block_prof_at_once", "go_block_prof", "main_prof_unblocked", "prof_onstack"} {
		if v := got[name]; len(v) != 1 || v[0] != 1 {
			t.Errorf("%s = %v, want 1", name, v)
		}
	}
	if got["go_threads"][0] < 2 {
		t.Errorf("only %v threads of the library seen", got["go_threads"])
	}
}
