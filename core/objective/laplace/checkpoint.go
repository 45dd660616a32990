package laplace

import "github.com/glmmgo/glmmgo/core/checkpoint"

// SetCheckpoint makes every PIRLS step check cp (nil: none), so that a
// caller can report progress or stop a mode search that takes long (a
// large q): the search then returns errs.ErrCancelled.
func (m *Model) SetCheckpoint(cp *checkpoint.Checkpoint) { m.cp = cp }

// Checkpoint returns the checkpoint SetCheckpoint set (nil if none).
func (m *Model) Checkpoint() *checkpoint.Checkpoint { return m.cp }
