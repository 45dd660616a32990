package mixlogitfit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// mcem is the state of an MCEM fit: the data, the options, the current
// parameters θ and the current iteration's sample.
type mcem struct {
	m     *mixlogit.Model
	opt   Options
	theta mixlogit.Params
	iter  int
	subj  []subjectDraws
	draws int64
	res   *Result
}

// fitMCEM runs ascent-based MCEM from start, then the final stage that
// gives the estimate and its standard errors (louis.go).
func fitMCEM(m *mixlogit.Model, start mixlogit.Params, opt Options, res *Result, t0 time.Time) error {
	e := &mcem{m: m, opt: opt, theta: start, subj: make([]subjectDraws, m.N()), res: res}
	za, zb, zg := zQuantile(opt.Alpha), zQuantile(opt.Beta), zQuantile(opt.Gamma)
	size := opt.InitialSamples
	for e.iter = 1; e.iter <= opt.MaxIter; e.iter++ {
		it, next, err := e.iterate(size, za, zg)
		if err != nil {
			return err
		}
		e.theta, _ = next.Ordered()
		it.Estimate, it.Elapsed = e.theta, time.Since(t0)
		res.Trace = append(res.Trace, it)
		res.Iterations = e.iter
		if opt.Progress != nil && !opt.Progress(e.iter, it.DeltaQ, e.theta[:]) {
			return errs.ErrCancelled
		}
		if it.Upper < opt.Tol {
			res.Converged = true
			break
		}
		size = nextSize(it, za, zb, opt.MaxSamples)
	}
	return e.finalStage(e.theta, res.Trace[len(res.Trace)-1].SampleSize)
}

// nextSize is Caffo et al.'s starting sample size for the next iteration.
func nextSize(it Iteration, za, zb float64, maxSamples int) int {
	want := it.ASE * it.ASE * (za + zb) * (za + zb) / (it.DeltaQ * it.DeltaQ)
	if !(want < float64(maxSamples)) {
		return maxSamples
	}
	return max(it.SampleSize, int(math.Ceil(want)))
}

// iterate is one MCEM iteration from e.theta with size draws per subject:
// E-step, M-step, and the ascent and stopping checks, augmenting the
// sample until one of them is met or the sample reaches MaxSamples.
func (e *mcem) iterate(size int, za, zg float64) (Iteration, mixlogit.Params, error) {
	it := Iteration{Iter: e.iter, LogLik: math.NaN()}
	if err := e.estep(size); err != nil {
		return it, e.theta, err
	}
	for round := 1; ; round++ {
		t := time.Now()
		next, err := e.mstep()
		if err != nil {
			return it, next, err
		}
		dq, ase, err := e.ascent(next)
		if err != nil {
			return it, next, err
		}
		e.res.Time.MStep += time.Since(t)
		it.SampleSize = e.subj[0].size()
		it.DeltaQ, it.ASE = dq, ase
		it.Lower, it.Upper = dq-za*ase, dq+zg*ase
		it.ESSMean, it.ESSMin = e.essSummary()
		if it.Upper < e.opt.Tol || it.Lower > 0 || it.SampleSize >= e.opt.MaxSamples {
			return it, next, nil
		}
		add := min(int(math.Ceil(float64(it.SampleSize)/e.opt.AugmentDivisor)), e.opt.MaxSamples-it.SampleSize)
		if err := e.augment(round, max(add, minSamples)); err != nil {
			return it, next, err
		}
		it.Augmentations++
	}
}

// estep sets the proposals at e.theta and draws size draws per subject.
func (e *mcem) estep(size int) error {
	t := time.Now()
	defer func() { e.res.Time.EStep += time.Since(t) }()
	err := e.m.ForSubjects(e.opt.Workers, func(_, i int) error {
		s := &e.subj[i]
		s.propose(e.m, i, e.theta, e.opt.DF)
		s.draw(e.m, i, e.theta, e.opt.DF, size, subjectStream(e.opt.Seed, e.iter, 0, i))
		s.weigh(e.theta)
		return nil
	})
	e.count(size)
	return err
}

// augment adds add draws per subject from the same proposals (round r).
func (e *mcem) augment(round, add int) error {
	t := time.Now()
	defer func() { e.res.Time.EStep += time.Since(t) }()
	err := e.m.ForSubjects(e.opt.Workers, func(_, i int) error {
		s := &e.subj[i]
		s.draw(e.m, i, e.theta, e.opt.DF, add, subjectStream(e.opt.Seed, e.iter, round, i))
		s.weigh(e.theta)
		return nil
	})
	e.count(add)
	return err
}

func (e *mcem) count(perSubject int) {
	e.draws += int64(perSubject) * int64(e.m.N())
	e.res.TotalDraws = e.draws
}

// essSummary returns the mean and the smallest over subjects of Kish's
// effective sample size divided by the number of draws.
func (e *mcem) essSummary() (mean, least float64) {
	least = math.Inf(1)
	for i := range e.subj {
		r := e.subj[i].ess / float64(e.subj[i].size())
		mean += r
		least = math.Min(least, r)
	}
	return mean / float64(len(e.subj)), least
}
