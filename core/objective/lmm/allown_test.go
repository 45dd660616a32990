package lmm

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

// TestAllowN: a term with one level per observation is refused by default
// (lmer's rule) and accepted with AllowN (glmer's allow.n); more levels
// than observations are refused either way.
func TestAllowN(t *testing.T) {
	d := small()
	n := len(d.Y)
	obs := Term{Name: "obs", Codes: make([]int, n), NLevels: n, K: 1, Z: make([]float64, n)}
	for i := range obs.Codes {
		obs.Codes[i], obs.Z[i] = i, 1
	}
	d.Terms = append(d.Terms, obs)
	if _, err := New(d); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("one level per observation without AllowN: %v", err)
	}
	d.AllowN = true
	m, err := New(d)
	if err != nil {
		t.Fatalf("AllowN: %v", err)
	}
	m.Close()
	d.Terms[1].NLevels = n + 1
	if _, err := New(d); errs.KindOf(err) != errs.Invalid {
		t.Errorf("more levels than observations with AllowN: %v", err)
	}
}
