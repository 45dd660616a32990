package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"syscall"
	"time"

	"github.com/glmmgo/glmmgo/core/fit/mixlogitfit"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// record is one fit of one replicate.
type record struct {
	rep        int
	est, se    mixlogit.Params
	mcse       mixlogit.Params
	converged  bool
	iterations int
	sampleSize int
	seconds    float64 // wall time
	cpu        float64 // CPU time of the process during the fit (all threads)
}

// covariate draws the study's one covariate matrix.
func covariate(c config) []float64 {
	x := mixlogit.NormalCovariate(c.n, c.t, c.seed)
	if c.clip > 0 {
		for k, v := range x {
			x[k] = math.Max(-c.clip, math.Min(c.clip, v))
		}
	}
	return x
}

// run fits every replicate by every method and prints the table to w,
// progress to log and, if csv is not nil, every fit to csv.
func run(w, log, csv io.Writer, c config) error {
	x := covariate(c)
	recs := make([][]record, len(c.methods))
	if csv != nil {
		fmt.Fprintln(csv, "method,rep,param,truth,estimate,se,mcse,converged,iterations,sample_size,seconds,cpu_seconds")
	}
	for r := range c.reps {
		d, _, err := mixlogit.Simulate(c.truth, c.n, c.t, x, c.seed+uint64(r)+1)
		if err != nil {
			return err
		}
		m, err := mixlogit.New(d)
		if err != nil {
			return fmt.Errorf("replicate %d: %v", r, err)
		}
		for k, method := range c.methods {
			rec, err := fitOne(m, method, c, r)
			if err != nil {
				return fmt.Errorf("replicate %d, %v: %v", r, method, err)
			}
			recs[k] = append(recs[k], rec)
			writeCSV(csv, method, rec, c.truth)
			fmt.Fprintf(log, "rep %3d %-10s %v  %.3fs\n", r, method, fmtParams(rec.est), rec.seconds)
		}
	}
	fmt.Fprintf(w, "n = %d, T = %d, %d data sets, truth %s, x ~ N(0, 1)", c.n, c.t, c.reps, fmtParams(c.truth))
	if c.clip > 0 {
		fmt.Fprintf(w, " clipped to ±%g", c.clip)
	}
	fmt.Fprintf(w, ", %d workers per fit\n\n", mixlogit.Workers(c.workers))
	for k, method := range c.methods {
		table(w, method, recs[k], c.truth)
	}
	return nil
}

func fitOne(m *mixlogit.Model, method mixlogitfit.Method, c config, r int) (record, error) {
	opt := mixlogitfit.DefaultOptions()
	opt.Method, opt.Workers, opt.Seed = method, c.workers, c.seed*1000003+uint64(r)
	t0, c0 := time.Now(), cpuTime()
	res, err := mixlogitfit.Fit(m, opt)
	if err != nil {
		return record{}, err
	}
	return record{rep: r, est: res.Estimate, se: res.SE, mcse: res.MCSE, converged: res.Converged,
		iterations: res.Iterations, sampleSize: res.SampleSize, seconds: time.Since(t0).Seconds(),
		cpu: (cpuTime() - c0).Seconds()}, nil
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

func writeCSV(csv io.Writer, method mixlogitfit.Method, rec record, truth mixlogit.Params) {
	if csv == nil {
		return
	}
	for k, name := range mixlogit.ParamNames {
		fmt.Fprintf(csv, "%v,%d,%s,%g,%.17g,%.17g,%.17g,%v,%d,%d,%.6f,%.6f\n", method, rec.rep, name, truth[k],
			rec.est[k], rec.se[k], rec.mcse[k], rec.converged, rec.iterations, rec.sampleSize, rec.seconds, rec.cpu)
	}
}

// summary of one parameter over the replicates.
type summary struct {
	mean, sd, biasZ, meanSE, coverage, meanMCSE float64
}

func summarize(recs []record, k int, truth float64) summary {
	n := float64(len(recs))
	var s summary
	for _, r := range recs {
		s.mean += r.est[k] / n
		s.meanSE += r.se[k] / n
		s.meanMCSE += r.mcse[k] / n
		if math.Abs(r.est[k]-truth) <= 1.959963984540054*r.se[k] {
			s.coverage += 1 / n
		}
	}
	for _, r := range recs {
		s.sd += (r.est[k] - s.mean) * (r.est[k] - s.mean)
	}
	s.sd = math.Sqrt(s.sd / (n - 1))
	s.biasZ = (s.mean - truth) / (s.sd / math.Sqrt(n))
	return s
}

func table(w io.Writer, method mixlogitfit.Method, recs []record, truth mixlogit.Params) {
	fmt.Fprintf(w, "%s\n", method)
	fmt.Fprintf(w, "| param  | truth |   mean |    bias | bias/(sd/√R) |     sd | mean SE | cover95 |  mean MCSE | recovered |\n")
	fmt.Fprintf(w, "|--------|------:|-------:|--------:|-------------:|-------:|--------:|--------:|-----------:|-----------|\n")
	for k, name := range mixlogit.ParamNames {
		s := summarize(recs, k, truth[k])
		ok := math.Abs(s.biasZ) <= 3 && s.coverage >= 0.88 && s.coverage <= 0.99
		fmt.Fprintf(w, "| %-6s | %5.2f | %6.3f | %7.4f | %12.2f | %6.4f | %7.4f | %7.2f | %10.4f | %-9v |\n",
			name, truth[k], s.mean, s.mean-truth[k], s.biasZ, s.sd, s.meanSE, s.coverage, s.meanMCSE, ok)
	}
	secs := make([]float64, len(recs))
	var mean, cpu, iters, size float64
	conv := 0
	for i, r := range recs {
		secs[i] = r.seconds
		mean += r.seconds / float64(len(recs))
		cpu += r.cpu / float64(len(recs))
		iters += float64(r.iterations) / float64(len(recs))
		size += float64(r.sampleSize) / float64(len(recs))
		if r.converged {
			conv++
		}
	}
	sort.Float64s(secs)
	fmt.Fprintf(w, "time per fit: wall mean %.3f s, median %.3f s, max %.3f s; CPU mean %.3f s; converged %d/%d; mean iterations %.1f",
		mean, secs[len(secs)/2], secs[len(secs)-1], cpu, conv, len(recs), iters)
	if method == mixlogitfit.MCEM {
		fmt.Fprintf(w, "; mean final draws per subject %.0f", size)
	}
	fmt.Fprintf(w, "\n\n")
}

func fmtParams(p mixlogit.Params) string {
	return fmt.Sprintf("(%.3f, %.3f, %.3f, %.3f, %.3f)", p[0], p[1], p[2], p[3], p[4])
}
