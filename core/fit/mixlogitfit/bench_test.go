package mixlogitfit

import (
	"syscall"
	"testing"
	"time"

	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// benchModel is one data set of the simulation study's size, n = 500,
// T = 20, at its truth (cmd/mixlogit-sim).
func benchModel(b *testing.B) *mixlogit.Model {
	truth := mixlogit.Params{-1, 1.5, 1, 2, 0.6}
	n, t := 500, 20
	x := mixlogit.NormalCovariate(n, t, 1)
	d, _, err := mixlogit.Simulate(truth, n, t, x, 5)
	if err != nil {
		b.Fatal(err)
	}
	m, err := mixlogit.New(d)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkFit500x20 times whole fits, starting values and standard errors
// included, on 2 workers: MCEM (seed 1) and the quadrature fit.
func BenchmarkFit500x20(b *testing.B) {
	m := benchModel(b)
	for _, method := range []Method{MCEM, Quadrature} {
		b.Run(method.String(), func(b *testing.B) {
			opt := DefaultOptions()
			opt.Method, opt.Seed, opt.Workers = method, 1, 2
			c0 := cpuTime()
			for b.Loop() {
				if _, err := Fit(m, opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user and system CPU time: on a shared machine
// it is steadier than the wall time, which other processes stretch.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
