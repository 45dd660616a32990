package tests

import "testing"

// TestHardenThreads runs c/harden_threads.c (see its comment): distinct
// handles used from four threads at once give the serial results bit for
// bit; a second thread's call on a handle in use gets GLMMGO_ERR_BUSY, as
// does freeing it, and the handle stays usable; handles created and freed
// concurrently are all distinct and all dead after their free.
func TestHardenThreads(t *testing.T) {
	got := parseLines(t, runC(t, compileC(t, "harden_threads", "harden_threads.c")))
	want := map[string]float64{"a_mismatches": 0, "b_other": 0, "b_free_busy": 1, "b_usable_after": 1,
		"c_duplicates": 0, "c_zero": 0, "c_alive_after_free": 0, "failures": 0}
	for k, w := range want {
		if v, ok := got[k]; !ok || v[0] != w {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	if got["b_busy"][0] < 1 {
		t.Errorf("no GLMMGO_ERR_BUSY seen while another thread evaluated the handle")
	}
	t.Logf("busy %v, ok %v while another thread evaluated", got["b_busy"], got["b_ok"])
}
