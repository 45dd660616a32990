package tests

import (
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refcase"
)

// TestMCLAReferenceThroughABI: every glmm reference case, evaluated by a C
// program with 1 and 2 workers, matches glmm to 1e-9, the worker counts
// agree bit for bit, and partials merged from a block-aligned split equal
// the objective bit for bit (an unaligned split to 1e-12).
func TestMCLAReferenceThroughABI(t *testing.T) {
	exe := compileC(t, "mcla_objective", "mcla_objective.c")
	cases, err := refcase.All()
	if err != nil || len(cases) == 0 {
		t.Fatalf("reference cases: %v", err)
	}
	for _, c := range cases {
		path := writeCase(t, c)
		var first map[string][]float64
		for _, workers := range []string{"1", "2"} {
			got := parseLines(t, runC(t, exe, path, workers))
			want := map[string][]float64{"value": {c.Value}, "gradient": c.Gradient, "hessian": c.Hessian}
			for k, w := range want {
				if len(got[k]) != len(w) {
					t.Fatalf("%s: %s has %d values, want %d", c.Name, k, len(got[k]), len(w))
				}
				for i := range w {
					if e := relErr(got[k][i], w[i]); e > 1e-9 {
						t.Errorf("%s (workers %s): %s[%d] = %.15g, glmm %.15g", c.Name, workers, k, i, got[k][i], w[i])
					}
				}
			}
			aligned := got["aligned"][0] == 1
			if aligned && got["merged_value_0"][0] != got["value"][0] {
				t.Errorf("%s: block-aligned partials merge to %.17g, objective %.17g", c.Name, got["merged_value_0"][0], got["value"][0])
			}
			for i, h := range got["hessian"] {
				if (aligned && got["merged_hessian_0"][i] != h) || relErr(got["merged_hessian_0"][i], h) > 1e-12 || relErr(got["merged_hessian_1"][i], h) > 1e-12 {
					t.Errorf("%s: merged Hessian[%d] %v / %v, objective %v", c.Name, i, got["merged_hessian_0"][i], got["merged_hessian_1"][i], h)
				}
			}
			if relErr(got["merged_value_1"][0], got["value"][0]) > 1e-13 {
				t.Errorf("%s: unaligned partials merge to %v, objective %v", c.Name, got["merged_value_1"][0], got["value"][0])
			}
			if first == nil {
				first = got
			} else if first["value"][0] != got["value"][0] {
				t.Errorf("%s: 1 and 2 workers differ: %v vs %v", c.Name, first["value"][0], got["value"][0])
			}
		}
	}
}

// TestMCLABadInput runs c/mcla_errors.c: every bad call returns its status
// and a message naming the argument at fault, and none crashes.
func TestMCLABadInput(t *testing.T) {
	const (
		ok, invalid, domain, handle, state = "0", "1", "2", "6", "8"
	)
	want := map[string]struct{ status, arg string }{
		"new_ok":                 {ok, ""},
		"new_n_zero":             {invalid, "n:"},
		"new_n_negative":         {invalid, "n:"},
		"new_n_huge":             {invalid, "n:"},
		"new_p_negative":         {invalid, "p:"},
		"new_np_overflow":        {invalid, "x:"},
		"new_q_zero":             {invalid, "q:"},
		"new_family":             {invalid, "family:"},
		"new_y_null":             {invalid, "y:"},
		"new_x_null":             {invalid, "x:"},
		"new_zrow_null":          {invalid, "z_row:"},
		"new_zval_null":          {invalid, "z_val:"},
		"new_vc_null":            {invalid, "vc_of_column:"},
		"new_nnz_zero":           {invalid, "nnz:"},
		"new_y_not_binary":       {invalid, "y: element 2"},
		"new_y_nan":              {invalid, "y: element 2"},
		"new_y_poisson_negative": {invalid, "y: element 2"},
		"new_x_inf":              {invalid, "x: element 0"},
		"new_weights_negative":   {invalid, "weights: element 1"},
		"new_weights_zero":       {invalid, "weights:"},
		"new_ntrials_bernoulli":  {invalid, "ntrials: element 1"},
		"new_binomial_y_gt_n":    {invalid, "y: element 1"},
		"new_zrow_range":         {invalid, "z_row: entry 1"},
		"new_zcol_range":         {invalid, "z_col: entry 1"},
		"new_z_empty_column":     {invalid, "z_col: column 1"},
		"new_zval_nan":           {invalid, "z_val: entry 1"},
		"new_vc_range":           {invalid, "vc_of_column: element 1"},
		"new_nvc_unused":         {invalid, "vc_of_column:"},
		"new_out_null":           {invalid, "out:"},

		"samples_before_importance":            {state, "importance"},
		"objective_before_samples":             {state, "samples"},
		"importance_zeta_zero":                 {invalid, "zeta:"},
		"importance_zeta_nan":                  {invalid, "zeta:"},
		"importance_p_sum":                     {invalid, "p_mix:"},
		"importance_p_null":                    {invalid, "p_mix:"},
		"importance_dstar_zero":                {invalid, "d_star: element 1"},
		"importance_sigma_not_pd":              {invalid, "sigma_inv:"},
		"importance_sigma_null":                {invalid, "sigma_inv:"},
		"importance_ok":                        {ok, ""},
		"samples_m_zero":                       {invalid, "m:"},
		"samples_null":                         {invalid, "umat:"},
		"samples_nan":                          {invalid, "umat: element (2, 0)"},
		"samples_ok":                           {ok, ""},
		"objective_par_null":                   {invalid, "par:"},
		"objective_value_null":                 {invalid, "value:"},
		"objective_nu_zero_minus_inf":          {domain, "par: variance component 0"},
		"objective_par_nan":                    {invalid, "par: element 0"},
		"objective_workers_negative_means_all": {ok, ""},
		"partial_length_null":                  {invalid, "len:"},
		"partial_rows_range":                   {invalid, "row_begin:"},
		"partial_len":                          {invalid, "len:"},
		"partial_ok":                           {ok, ""},
		"merge_bad_count":                      {invalid, "partials: count"},
		"merge_none":                           {invalid, "npartials:"},
		"handle_freed":                         {handle, "h: handle"},
		"handle_zero":                          {handle, "h: handle 0"},
		"handle_never_created":                 {handle, "h: handle 987654321"},
		"dims_negative_handle":                 {handle, "h: handle -4"},
	}
	out := runC(t, compileC(t, "mcla_errors", "mcla_errors.c"))
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.SplitN(line, " ", 3)
		name := f[0]
		seen[name] = true
		switch name {
		case "errlen_zero", "err_null":
			if f[1] != invalid {
				t.Errorf("%s: status %s", name, f[1])
			}
			continue
		case "errlen_one":
			if line != "errlen_one 1 1" {
				t.Errorf("a 1-byte error buffer must get just the NUL: %q", line)
			}
			continue
		case "free_twice", "free_zero":
			if f[1] != handle {
				t.Errorf("%s: status %s, want %s", name, f[1], handle)
			}
			continue
		case "status_string":
			if line != "status_string outside the parameter space" {
				t.Errorf("%q", line)
			}
			continue
		case "version":
			if line != "version 0.2.0" {
				t.Errorf("%q", line)
			}
			continue
		case "version_number":
			if line != "version_number 2000" {
				t.Errorf("%q", line)
			}
			continue
		}
		w, known := want[name]
		if !known {
			t.Errorf("unexpected case %q", line)
			continue
		}
		msg := ""
		if len(f) > 2 {
			msg = f[2]
		}
		if f[1] != w.status {
			t.Errorf("%s: status %s (%s), want %s", name, f[1], msg, w.status)
		}
		if !strings.Contains(msg, w.arg) || (w.status != ok && len(msg) < len(w.arg)+5) {
			t.Errorf("%s: message %q does not name %q", name, msg, w.arg)
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("case %s did not run", name)
		}
	}
	t.Logf("%d bad-input cases through the C ABI", len(seen))
}
