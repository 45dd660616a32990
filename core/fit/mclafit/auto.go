package mclafit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/parallel"
)

// AutoStop says why an automatic sample size stopped growing.
type AutoStop int

const (
	NotAuto       AutoStop = iota // the sample size was given
	TargetReached                 // ESS ≥ ESSTarget and every MCSE ≤ RelMCSE·SE
	CapM                          // m reached MMax first
	CapTime                       // the next step would pass TimeMax
)

func (s AutoStop) String() string {
	return [...]string{"m given", "targets reached", "m.max reached", "time.max reached"}[s]
}

// finalSize brings the last stage's sample to its final size: to opt.M
// (reusing the pilot's samples), or, with Auto, until the targets or a cap.
// While an automatic sample grows, a fit whose estimate has left its
// density's centre by more than twice its MCSE (or ended against the
// guard) gets a new density at its estimate and a fresh sample of the
// current size, at most opt.Stages times and not past opt.TimeMax: the
// larger sample locates the centre better than the pilot stages could.
func (f *Fit) finalSize(model sampleSet, data fitData, opt Options, started time.Time) error {
	if !opt.Auto {
		if f.M >= opt.M {
			return nil
		}
		return f.growTo(model, opt.M, opt)
	}
	restages := 0
	for {
		late := opt.TimeMax > 0 && time.Since(started)+f.predict(f.M) > opt.TimeMax
		if centre := f.Stages[f.FinalStage].Centre; !f.near(centre) && restages < opt.Stages && !late {
			restages++
			if err := f.newStage(model, data, f.Par(), f.M, opt); err != nil {
				return err
			}
			continue
		}
		if f.TargetMet = f.targetMet(opt); f.TargetMet {
			f.AutoStop = TargetReached
			return nil
		}
		if f.M >= opt.MMax {
			f.AutoStop = CapM
			return nil
		}
		next := f.nextM(opt)
		if opt.TimeMax > 0 && time.Since(started)+f.predict(next) > opt.TimeMax {
			f.AutoStop = CapTime
			return nil
		}
		t0 := time.Now()
		if err := f.growTo(model, next, opt); err != nil {
			return err
		}
		f.roundTime, f.roundM = time.Since(t0), next
	}
}

// growTo grows the model's sample to m, refits from the current estimate
// and updates the last stage's record.
func (f *Fit) growTo(model sampleSet, m int, opt Options) error {
	t0 := time.Now()
	if err := model.Grow(m, opt.Workers); err != nil {
		return err
	}
	f.M = m
	f.SampleTime += time.Since(t0)
	if err := f.fitAt(model, f.Par(), opt); err != nil {
		return err
	}
	last := &f.Stages[f.FinalStage]
	*last = f.stage(last.Centre)
	return nil
}

// targetMet: the ESS reaches its target and every MCSE is at most RelMCSE
// times its (finite) SE.
func (f *Fit) targetMet(opt Options) bool {
	if !(f.ESS >= opt.ESSTarget) {
		return false
	}
	for i, se := range f.SE {
		if !(f.MCSE[i] <= opt.RelMCSE*se) || math.IsInf(se, 0) {
			return false
		}
	}
	return true
}

// nextM predicts the sample size that meets the targets — the ESS grows
// like m and an MCSE like 1/√m — with 10% to spare, growing at least 2 and
// at most 8 times, in whole blocks, at most MMax.
func (f *Fit) nextM(opt Options) int {
	need := opt.ESSTarget / f.ESS
	for i, se := range f.SE {
		r := f.MCSE[i] / (opt.RelMCSE * se)
		need = math.Max(need, r*r)
	}
	grow := math.Min(math.Max(1.1*need, 2), 8)
	if math.IsNaN(need) {
		grow = 8
	}
	m := float64(f.M) * grow
	b := float64(parallel.BlockSize)
	m = math.Ceil(m/b) * b
	return int(math.Min(m, float64(opt.MMax)))
}

// predict is the time a round of growth to m would take, from the last
// round's time per sample (the stages' when there has been none).
func (f *Fit) predict(m int) time.Duration {
	t, k := f.roundTime, f.roundM
	if k == 0 {
		t, k = f.SampleTime+f.TrustTime+f.InferenceTime, max(f.M, 1)
	}
	return time.Duration(float64(t) * float64(m) / float64(k))
}
