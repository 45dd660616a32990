package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/checkpoint"
	"github.com/glmmgo/glmmgo/core/optim"
)

// The phases of a fit, as Options.Progress sees them in heartbeats: calls
// with a negative iteration number (the phase), a NaN value and no
// parameters, made when a phase begins and then at least every
// checkpoint.Interval of work where a phase has no iterations of its own
// to report — PQL, drawing the sample, a long trust iteration, inference —
// so that a host can serve its signals, show what the fit is doing, or
// stop it (return false) in any phase. Trust iterations are reported as
// before, numbered from 1.
const (
	PhasePQL       = -1
	PhaseSampling  = -2
	PhaseTrust     = -3
	PhaseInference = -4
)

// heartbeat is a fit's checkpoint, reporting the current phase.
type heartbeat struct {
	phase int
	cp    *checkpoint.Checkpoint // nil without Options.Progress
}

func newHeartbeat(p optim.Progress) *heartbeat {
	h := &heartbeat{phase: PhasePQL}
	if p != nil {
		h.cp = checkpoint.New(func() bool { return p(h.phase, math.NaN(), nil) })
	}
	return h
}

// enter starts a phase and reports it at once (nothing without a
// heartbeat: a fit assembled outside run).
func (h *heartbeat) enter(phase int) error {
	if h == nil {
		return nil
	}
	h.phase = phase
	return h.cp.Now()
}

// checkpoint is the heartbeat's checkpoint, nil without one.
func (h *heartbeat) checkpoint() *checkpoint.Checkpoint {
	if h == nil {
		return nil
	}
	return h.cp
}
