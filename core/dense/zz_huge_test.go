package dense

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func cpuSec() float64 {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return float64(r.Utime.Sec) + float64(r.Utime.Usec)/1e6
}

func TestZZHuge(t *testing.T) {
	ns := os.Getenv("ZZN")
	if ns == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(ns)
	w, _ := strconv.Atoi(os.Getenv("ZZW"))
	huge := os.Getenv("ZZHUGE") != ""
	a0 := diagDominant(n)
	a := make([]float64, len(a0))
	if huge {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&a[0])), len(a)*8)
		p := uintptr(unsafe.Pointer(&b[0]))
		off := (2<<20 - p%(2<<20)) % (2 << 20)
		if err := syscall.Madvise(b[off:], 14); err != nil {
			t.Fatal(err)
		}
	}
	f := &Factorizer{Workers: w}
	for r := 0; r < 3; r++ {
		t0 := time.Now()
		copy(a, a0)
		t1 := time.Now()
		c0 := cpuSec()
		if err := f.Factor(n, a, n); err != nil {
			t.Fatal(err)
		}
		c1 := cpuSec()
		t2 := time.Now()
		nf := float64(n)
		fl := nf * nf * nf / 3
		t.Logf("huge=%v w=%d copy %v factor %v  %.1f GFLOP/s wall, %.1f per CPU-s", huge, w, t1.Sub(t0), t2.Sub(t1), fl/t2.Sub(t1).Seconds()/1e9, fl/(c1-c0)/1e9)
	}
}
