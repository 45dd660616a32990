//go:build noasm

package dense

import (
	"math"
	"testing"
)

// TestNoasmUsesGo: the noasm tag leaves only the Go tile kernel.
func TestNoasmUsesGo(t *testing.T) {
	if Assembly() {
		t.Fatal("the assembly kernel runs under noasm")
	}
	a, b := make([]float64, 3*mr), make([]float64, 3*nr)
	for i := range a {
		a[i] = math.Sin(float64(i))
	}
	for i := range b {
		b[i] = math.Cos(float64(i))
	}
	var got, want tile
	kernel(3, a, b, &got)
	kernelGo(3, a, b, &want)
	if got != want {
		t.Error("kernel differs from kernelGo under noasm")
	}
}
