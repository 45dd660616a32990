package tests

import (
	"strings"
	"testing"
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

// TestMemoryBudget: every size whose memory exceeds the limit is refused
// with GLMMGO_ERR_RESOURCE (10) naming the argument — a fit's m, its q
// (dense q×q matrices of PQL and of Σ̃⁻¹), a model's n, a u-matrix's m,
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
		"fit_q_pql": {"10", "q"}, "fit_q_nopql": {"10", "q"},
		"new_n_2e36": {"10", "n"}, "new_q_2e34": {"1", "q"},
		"lmm_n_2e36": {"10", "n"}, "lmm_ncols_2e30": {"1", "ncols"}, "lmm_nlevels_2e36": {"1", "nlevels"},
		"samples_m_2e37": {"10", "m"}, "new_dense_row": {"10", "z_row"},
		"lmm_new_k200": {"0", "-"}, "lmm_fit_k200": {"10", "theta"}, "limit_default": {"0", "-"},
	})
	expectFlags(t, got, "default_positive", "limit_is_set", "limit_restored", "fit_q_pql_names_pql", "fit_q_nopql_names_sigma")
	t.Logf("every case answered in %s s", got["seconds"])
}
