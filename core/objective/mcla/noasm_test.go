//go:build noasm

package mcla

import "testing"

// TestNoasmUsesGo: the noasm tag leaves only the Go row loops.
func TestNoasmUsesGo(t *testing.T) {
	if useAVX2 {
		t.Error("useAVX2 is set under noasm")
	}
	m, _ := synthetic(t, families[0], 40, 10, 1)
	if m.simd != nil {
		t.Error("packed SIMD rows built under noasm")
	}
}
