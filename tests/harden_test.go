package tests

import (
	"bufio"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hardenLines runs c/harden.c in mode and returns its "name v1 v2 ..."
// lines by name (values as strings).
func hardenLines(t *testing.T, mode string, args ...string) map[string][]string {
	t.Helper()
	exe := compileC(t, "harden", "harden.c")
	out := runC(t, exe, append([]string{mode}, args...)...)
	got := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			got[f[0]] = f[1:]
		}
	}
	return got
}

// expectStatus checks "name status arg" lines: the status and the argument
// the message names.
func expectStatus(t *testing.T, got map[string][]string, want map[string][2]string) {
	t.Helper()
	for name, w := range want {
		g := got[name]
		if len(g) != 2 || g[0] != w[0] || g[1] != w[1] {
			t.Errorf("%s: got %v, want status %s naming %s", name, g, w[0], w[1])
		}
	}
}

// expectFlags checks "name 0|1" lines that must be 1.
func expectFlags(t *testing.T, got map[string][]string, names ...string) {
	t.Helper()
	for _, name := range names {
		if g := got[name]; len(g) != 1 || g[0] != "1" {
			t.Errorf("%s: got %v, want 1", name, g)
		}
	}
}

// TestErrlenAnySize: an error buffer length of SIZE_MAX or 2^63 ("no
// limit") is safe on failing and successful calls: the message is written
// and NUL-terminated, and no panic crosses into the host (it did: unsafe.Slice
// with a negative length).
func TestErrlenAnySize(t *testing.T) {
	got := hardenLines(t, "errlen")
	for k := 0; k < 3; k++ {
		for _, c := range []struct{ name, status string }{{"errlen_fail_", "6"}, {"errlen_ok_", "0"}} {
			name := c.name + string(rune('0'+k))
			if g := got[name]; len(g) != 2 || g[0] != c.status || g[1] != "1" {
				t.Errorf("%s: got %v, want status %s and the message written", name, g, c.status)
			}
		}
	}
}

// TestConvergenceHonest: an MCLA fit started far from the maximum (ν =
// 1e300, β₀ = 1e300) reports converged = 0 with the reason
// GLMMGO_CONVERGENCE_SCALE (3) — before, it returned converged = 1 at a
// point that is not a maximum —, one stopped by iterlim = 1 the reason
// GLMMGO_CONVERGENCE_ITERLIM (1), and a fit from PQL's start converged (0).
func TestConvergenceHonest(t *testing.T) {
	got := hardenLines(t, "converge")
	for name, want := range map[string]string{"default_start": "0 1 0", "nu_1e300": "0 0 3", "beta0_1e300": "0 0 3", "iterlim_1": "0 0 1"} {
		if g := strings.Join(got[name], " "); g != want {
			t.Errorf("%s: status, converged, reason %q, want %q", name, g, want)
		}
	}
}

// TestMessagesNameTheCause: the cases where a message named the wrong
// argument or cause (theta for rhobeg = Inf; "a perfect fit?" for θ₀ =
// 1e300, y scaled by 1e±300, Z = 1e200; x for a tiny rhoend; pql for an
// aliased column of X; umat for zeta = 1e-300) now name rhobeg, start,
// rhoend, y, z, x and zeta.
func TestMessagesNameTheCause(t *testing.T) {
	expectStatus(t, hardenLines(t, "messages"), map[string][2]string{
		"lmm_rhobeg_inf": {"1", "rhobeg"}, "lmm_rhobeg_1e308": {"3", "rhobeg"}, "lmm_start_1e300": {"1", "start"},
		"lmm_rhoend_5e-324": {"1", "rhoend"}, "lmm_y_1e-300": {"1", "y"}, "lmm_y_1e300": {"1", "y"},
		"lmm_z_1e200": {"1", "z"}, "mcla_collinear_x": {"3", "x"}, "mcla_zeta_1e-300": {"1", "zeta"},
	})
}

// TestNegBinLargeSize: MCLA fits of 60 counts with a known negative
// binomial size r from 1e6 to 1e300 succeed and approach the Poisson fit
// (before: r = 1e6 took 42 s, r >= 1e10 failed after up to 104 s: the
// kernel lost the −μ term of the log-likelihood once μ/r < 1.1e-16).
func TestNegBinLargeSize(t *testing.T) {
	sizes := []string{"1e6", "1e10", "1e12", "1e15", "1e300"}
	got := hardenLines(t, "negbin", sizes...)
	num := func(name string, k int) float64 {
		g := got[name]
		if len(g) != 6 || g[0] != "0" {
			t.Fatalf("%s: %v, want status 0 and five numbers", name, g)
		}
		v, err := strconv.ParseFloat(g[k], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range sizes {
		name := "negbin_" + r
		rr, _ := strconv.ParseFloat(r, 64)
		tol := 1e-9
		if rr < 1e10 {
			tol = 1e-5 // the true negative binomial differs from Poisson by O(μ/r)
		}
		for k := 2; k <= 4; k++ { // value, beta0, beta1
			a, b := num(name, k), num("poisson", k)
			if math.Abs(a-b) > tol*(1+math.Abs(b)) {
				t.Errorf("%s: column %d is %.17g, Poisson's %.17g", name, k, a, b)
			}
		}
		t.Logf("%s: %s s", name, got[name][1])
	}
}

// TestMemoryReturned: a fit that allocated much gives its memory back to
// the operating system before it returns: with a 153 MB u-matrix the
// resident size grows by less than a quarter of it (before: by 159 MB,
// for minutes — until Go's periodic collection and scavenger).
func TestMemoryReturned(t *testing.T) {
	got := hardenLines(t, "rss", "1e5")
	val := func(name string) float64 {
		g := got[name]
		if len(g) != 1 {
			t.Fatalf("%s: %v", name, g)
		}
		v, err := strconv.ParseFloat(g[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got["status"][0] != "0" {
		t.Fatalf("fit: status %v", got["status"])
	}
	u, before, after := val("umatrix_mb"), val("rss_before"), val("rss_after_fit")
	if after-before > u/4 {
		t.Errorf("resident memory grew by %.1f MB during a fit with a %.1f MB u-matrix", after-before, u)
	}
	t.Logf("RSS %.1f MB before, %.1f MB after the fit (u-matrix %.1f MB)", before, after, u)
}

// TestSigintLatency: a host whose SIGINT handler sets a flag that its
// progress callback reads (as R's) stops a fit with m = 3·10⁵ (a 290 MB
// u-matrix) soon after the signal, whatever the phase: the signal, blocked
// on the engine's threads, reaches the caller's thread at the next
// heartbeat, and the u-matrix is cleared on another goroutine while the
// caller keeps beating (in R, Ctrl-C during the clearing of a 1 GB
// u-matrix was served 10-16 s late). The bound, 5 s, is far above the
// heartbeat interval (20 ms) and the usual latency (0.001–0.1 s) to
// tolerate a loaded machine: at a load average of 7 on two cores one run
// took 2.3 s in the sampling phase, where the 290 MB are first touched.
func TestSigintLatency(t *testing.T) {
	for _, delay := range []string{"0.2", "0.6"} {
		got := hardenLines(t, "sigint_latency", "3e5", delay)
		lat, err := strconv.ParseFloat(got["latency"][0], 64)
		if got["status"][0] != "4" || err != nil || lat > 5 {
			t.Errorf("SIGINT at %s s: status %v, latency %v s", delay, got["status"], got["latency"])
		}
		t.Logf("SIGINT at %s s: phase %s, stopped %.3f s later", delay, got["phase"][0], lat)
	}
}

// TestMemoryBudget: every size whose memory exceeds the limit is refused
// with GLMMGO_ERR_RESOURCE (10) naming the argument — a fit's m, its q
// (the importance density's Σ̃⁻¹ when too full for its sparse factor and
// too large dense; a sparse one of the same q is not refused), a model's
// n, a u-matrix's m,
// Z's widest row, an LMM's θ (BOBYQA's system) — at once and before any
// element of the caller's arrays is read (n = 2^36 with 4-element arrays
// would fault), and the limit can be read, set and restored. Before this,
// each of these killed the host (Go's "fatal error: out of memory") or ran
// for minutes first.
func TestMemoryBudget(t *testing.T) {
	got := hardenLines(t, "budget")
	expectStatus(t, got, map[string][2]string{
		"limit_get": {"0", "-"}, "limit_negative": {"1", "bytes"}, "limit_null": {"1", "bytes"}, "limit_set": {"0", "-"},
		"fit_m_1e8": {"10", "m"}, "fit_m_1e9": {"10", "m"}, "fit_m_1000": {"0", "-"},
		"fit_q_pql": {"10", "q"}, "fit_q_nopql": {"10", "q"}, "fit_q_sparse": {"0", "-"}, "sigma_inv_sparse": {"1", "what"},
		"new_n_2e36": {"10", "n"}, "new_q_2e34": {"1", "q"},
		"lmm_n_2e36": {"10", "n"}, "lmm_ncols_2e30": {"1", "ncols"}, "lmm_nlevels_2e36": {"1", "nlevels"},
		"samples_m_2e37": {"10", "m"}, "mixlogit_n_2e36": {"10", "n"}, "new_dense_row": {"10", "z_row"},
		"lmm_new_k200": {"0", "-"}, "lmm_fit_k200": {"10", "theta"}, "limit_default": {"0", "-"},
	})
	expectFlags(t, got, "default_positive", "limit_is_set", "limit_restored", "fit_q_pql_names_sigma", "fit_q_nopql_names_sigma", "sigma_inv_sparse_says")
	t.Logf("every case answered in %s s", got["seconds"])
}

// TestHeartbeats: an MCLA fit calls the progress callback in every phase —
// PQL, drawing the sample, within trust iterations, inference — when the
// phase begins and at least every 20 ms of work after (heartbeats: iter <
// 0 naming the phase, objective NaN, no parameters), besides its
// iterations; stopping at the first heartbeat of any phase returns
// GLMMGO_ERR_CANCELLED at once with no fit, and the model then fits
// exactly as a fresh one. (Before, PQL, the multinomial counts and the
// sample called no callback: Ctrl-C at 1 s into a fit with m = 10^6 was
// served at 12.6 s.) The longest gaps are logged, not tested: they are
// times on a shared machine.
func TestHeartbeats(t *testing.T) {
	got := hardenLines(t, "beats", "20000")
	if got["status"][0] != "0" || got["bad_calls"][0] != "0" {
		t.Fatalf("fit: status %v, %v malformed calls", got["status"], got["bad_calls"])
	}
	for _, ph := range []string{"pql", "sampling", "trust_beats", "inference", "iterations"} {
		if c := got["calls_"+ph]; len(c) != 1 || c[0] == "0" {
			t.Errorf("phase %s: %v calls", ph, c)
		}
		t.Logf("%s: %s calls, longest gap %s s", ph, got["calls_"+ph][0], got["gap_"+ph][0])
	}
	for ph := 1; ph <= 4; ph++ {
		got := hardenLines(t, "beats", "20000", strconv.Itoa(ph))
		if got["status"][0] != "4" || got["fit_zero"][0] != "1" || got["refit_identical"][0] != "1" {
			t.Errorf("cancelled in phase %d: status %v, fit handle zero %v, refit identical %v", ph, got["status"], got["fit_zero"], got["refit_identical"])
		}
		t.Logf("cancelled in phase %d: returned %s s after the callback asked", ph, got["cancel_latency"][0])
	}
}

// TestLongjmpOutOfCallback: a progress callback that longjmps out of a fit
// (forbidden by the header; what R's Rf_error would do from a callback) —
// at a trust iteration, at a heartbeat while the sample is drawn, at an
// LMM evaluation — leaves the handle busy for other calls, but it can be
// freed from the thread that made the call (before, glmmgo_free returned
// GLMMGO_ERR_BUSY for ever), and the library keeps working.
func TestLongjmpOutOfCallback(t *testing.T) {
	got := hardenLines(t, "longjmp")
	for _, c := range []string{"mcla_iteration", "mcla_sampling", "lmm_evaluation"} {
		expectFlags(t, got, c+"_left")
		for name, status := range map[string]string{"_dims": "7", "_free": "0", "_free_again": "6"} {
			if g := got[c+name]; len(g) < 1 || g[0] != status {
				t.Errorf("%s%s: %v, want status %s", c, name, g, status)
			}
		}
	}
	if g := got["fit_after"]; len(g) < 1 || g[0] != "0" {
		t.Errorf("a fit after the jumps: %v", g)
	}
}

// TestProfilerSignals: a profiler's SIGPROF handler installed with
// signal() and re-installed at every tick (R's Rprof), with ITIMER_PROF
// firing every millisecond of CPU time, during an MCLA fit with two
// workers and five LMM fits: the process survives (it died within
// seconds) and every fit succeeds; the handler runs.
func TestProfilerSignals(t *testing.T) {
	got := hardenLines(t, "sigprof")
	if g := got["mcla_fit"]; len(g) < 1 || g[0] != "0" {
		t.Errorf("MCLA fit: %v", g)
	}
	if g := got["lmm_fit"]; len(g) < 1 || g[0] != "0" {
		t.Errorf("LMM fit: %v", g)
	}
	if g := got["ticks"]; len(g) != 1 || g[0] == "0" {
		t.Errorf("profiler ticks handled: %v", g)
	}
	t.Logf("%s profiler ticks handled", got["ticks"][0])
}

// TestHostStkflt: the library's SIGSTKFLT handler (the carrier of its
// signal immunisation, capi/sigwrap.c) passes a SIGSTKFLT that is not its
// own to what the host had: the host's handler, or the default action,
// which ends the process by the signal.
func TestHostStkflt(t *testing.T) {
	got := hardenLines(t, "stkflt", "handler")
	if g := got["carrier"]; len(g) != 1 || g[0] != "1" {
		t.Errorf("the library's carrier is not the disposition after the first call: %v", g)
	}
	if g := got["host_handler"]; len(g) != 1 || g[0] != "1" {
		t.Errorf("the host's SIGSTKFLT handler ran %v times, want 1", g)
	}
	exe := compileC(t, "harden", "harden.c")
	cmd := exec.Command(exe, "stkflt", "default")
	out, _ := cmd.Output()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGSTKFLT {
		t.Errorf("with SIGSTKFLT's default action the process did not end by it: %v; output %q", cmd.ProcessState, out)
	}
}

// TestSigintDefault: SIGINT with its default action ends a process in the
// middle of a long fit without a progress callback promptly — the
// asynchronous signals held while Go runs on the caller's thread are
// delivered at the fit's checkpoints (every 20 ms of work) — as it would
// without the library.
func TestSigintDefault(t *testing.T) {
	exe := compileC(t, "harden", "harden.c")
	cmd := exec.Command(exe, "sigint_default")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "running\n" {
		cmd.Process.Kill()
		t.Fatalf("the program printed %q", line)
	}
	time.Sleep(500 * time.Millisecond)
	t0 := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
			t.Fatalf("the process did not end by SIGINT: %v", err)
		}
		t.Logf("ended by SIGINT %v after it was sent", time.Since(t0).Round(time.Millisecond))
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("SIGINT did not end the process within 20 s")
	}
}
