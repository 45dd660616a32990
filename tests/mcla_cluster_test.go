package tests

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refcase"
)

// TestMCLAClusterThroughABI runs c/mcla_cluster.c: a salamander fit whose
// sample lives in 2 or 3 "worker" model handles, given batches through
// glmmgo_mcla_worker_sample and asked through glmmgo_mcla_worker_partials
// from the fit's partials callback (with the split moving at every new
// sample), equals the fit without the callback bit for bit. A callback
// that returns nonzero cancels the fit with its message; partials with a
// NaN or a wrong count stop it with an error naming partials.
func TestMCLAClusterThroughABI(t *testing.T) {
	exe := compileC(t, "mcla_cluster", "mcla_cluster.c")
	c, err := refcase.Load(refcase.Dir() + "/salamander_m300_mle.json")
	if err != nil {
		t.Fatal(err)
	}
	path := writeCase(t, c)
	const m, seed = "2400", "5"
	want := parseLines(t, runC(t, exe, path, m, seed, "0"))
	if want["status"][0] != 0 {
		t.Fatalf("fit without workers: status %v", want["status"])
	}
	d := c.P + c.NVC
	for _, k := range []string{"2", "3"} {
		got := parseLines(t, runC(t, exe, path, m, seed, k))
		for key, w := range want {
			g := got[key]
			if len(g) != len(w) {
				t.Errorf("%s workers: %s has %d values, want %d", k, key, len(g), len(w))
				continue
			}
			for i := range w {
				if math.Float64bits(g[i]) != math.Float64bits(w[i]) {
					t.Errorf("%s workers: %s[%d] = %.17g, in one process %.17g", k, key, i, g[i], w[i])
				}
			}
		}
		// At most GLMMGO_MAX_BATCHES (64) batch partials per evaluation,
		// each 4 + d + d*d + n + nvc doubles, whatever m.
		if max := float64(64 * (4 + d + d*d + c.N + c.NVC)); got["x_max_doubles"][0] > max || got["x_samples"][0] < 2 {
			t.Errorf("%s workers: %v doubles per call (at most %v), %v samples set", k, got["x_max_doubles"], max, got["x_samples"])
		}
		t.Logf("%s workers: %v samples set, %v calls, at most %v doubles (%v bytes) per call", k, got["x_samples"], got["x_calls"], got["x_max_doubles"], 8*got["x_max_doubles"][0])
	}
	out := parseLines(t, runC(t, exe, path, m, seed, "2", "cancel", "5"))
	if out["status"][0] != 4 || out["fit_zero"][0] != 1 || out["calls"][0] != 5 || out["message_has_callback"][0] != 1 {
		t.Errorf("cancel: %v", out)
	}
	for _, mode := range []string{"nan", "count"} {
		out := parseLines(t, runC(t, exe, path, m, seed, "2", mode))
		if out["status"][0] != 1 || out["fit_zero"][0] != 1 || out["message_names_partials"][0] != 1 {
			t.Errorf("%s: %v", mode, out)
		}
	}
}
