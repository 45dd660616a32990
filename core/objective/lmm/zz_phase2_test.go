package lmm

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func cpuSecs() float64 {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return float64(r.Utime.Sec) + float64(r.Utime.Usec)/1e6 + float64(r.Stime.Sec) + float64(r.Stime.Usec)/1e6
}

func TestZZPhasesCrossed(t *testing.T) {
	ls := os.Getenv("ZZL")
	if ls == "" {
		t.Skip()
	}
	l, _ := strconv.Atoi(ls)
	w, _ := strconv.Atoi(os.Getenv("ZZW"))
	m, err := New(randomCrossed(1, l, l, 10))
	if err != nil {
		t.Fatal(err)
	}
	m.SetWorkers(w)
	th := []float64{0.73, 0.73}
	m.Objective(th, false)
	for it := 0; it < 2; it++ {
		c0 := cpuSecs()
		t0 := time.Now()
		m.lam.set(th)
		m.rows.setScale(&m.lam)
		m.first.scaleInflate(m.lam.template(0))
		m.first.cholUnblocked()
		if !m.grp.on {
			m.updateL21()
		}
		t1 := time.Now()
		m.tail.scaleInflate(&m.prod, &m.lam, &m.rows)
		t2 := time.Now()
		m.rankUpdate()
		t3 := time.Now()
		m.tail.cholUnblocked()
		t4 := time.Now()
		c1 := cpuSecs()
		nf := float64(m.rows.s)
		t.Logf("w=%d first %v scale %v downdate %v factor %v (%.1f GFLOP/s) total %v, cpu %.2fs", w, t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), nf*nf*nf/3/t4.Sub(t3).Seconds()/1e9, t4.Sub(t0), c1-c0)
	}
	m.Close()
}
