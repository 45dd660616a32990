package tests

import "testing"

// TestThreads runs c/threads.c (see its comment): distinct handles used
// from four threads at once give the serial results bit for bit; a second
// thread's call on a handle in use gets GLMMGO_ERR_BUSY, as does freeing
// it, and the handle stays usable; handles created and freed concurrently
// are all distinct and all dead after their free; an LMM fit's lazily
// computed conditional variances, asked while another thread evaluates its
// model, are GLMMGO_ERR_BUSY or the serial bits, and stay available after
// the model is freed.
func TestThreads(t *testing.T) {
	got := parseLines(t, runC(t, compileC(t, "threads", "threads.c")))
	want := map[string]float64{"a_mismatches": 0, "b_other": 0, "b_free_busy": 1, "b_usable_after": 1,
		"c_duplicates": 0, "c_zero": 0, "c_alive_after_free": 0, "failures": 0,
		"d_other": 0, "d_mismatch": 0, "d_got": 1, "d_after_model_freed": 0}
	for k, w := range want {
		if v, ok := got[k]; !ok || v[0] != w {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	if got["b_busy"][0] < 1 {
		t.Errorf("no GLMMGO_ERR_BUSY seen while another thread evaluated the handle")
	}
	t.Logf("busy %v, ok %v while another thread evaluated; an LMM fit's conditional variances busy %v times before they were computed",
		got["b_busy"], got["b_ok"], got["d_busy"])
}
