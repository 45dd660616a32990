package laplacefit

import (
	"testing"
)

// benchFit times whole fits and reports the evaluations of each stage, the
// PIRLS steps and the time per evaluation. Run one model at a time on a
// shared machine, e.g.
//
//	go test ./core/fit/laplacefit -run - -bench 'Fit/VerbAgg' -benchtime 3x -count 3
func benchFit(b *testing.B, name string, opt Options) {
	m := modelOf(b, name)
	var r *Result
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if r, err = Fit(m, opt); err != nil {
			b.Fatal(err)
		}
	}
	evals := r.FastStage.Evals + r.SlowStage.Evals
	b.ReportMetric(float64(r.FastStage.Evals), "fast-evals")
	b.ReportMetric(float64(r.SlowStage.Evals), "slow-evals")
	b.ReportMetric(float64(r.PIRLSIter), "pirls-steps")
	b.ReportMetric(float64(r.FastStage.Time.Seconds()+r.SlowStage.Time.Seconds())/float64(evals)*1e3, "ms/eval")
	b.ReportMetric(r.MinusTwoLogLik, "-2logLik")
}

func BenchmarkFit(b *testing.B) {
	cases := []struct {
		name, model string
		opt         Options
	}{
		{"cbpp/laplace", "cbpp", Options{}},
		{"VerbAgg/laplace", "VerbAgg", Options{}},
		{"VerbAgg/fast", "VerbAgg", Options{Fast: true}},
		{"InstEvalBinary/laplace", "InstEvalBinary", Options{}},
		{"InstEvalBinary/fast", "InstEvalBinary", Options{Fast: true}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchFit(b, c.model, c.opt) })
	}
}
