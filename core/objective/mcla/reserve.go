package mcla

import "github.com/glmmgo/glmmgo/core/checkpoint"

// reserveSamples makes room for mrows samples while checking the model's
// checkpoint: the runtime clears a new u-matrix in one go (a gigabyte for
// m = 10⁶, q = 120: seconds on a loaded machine, during which Ctrl-C went
// unserved for 10–16 s in R). A cancelled reservation leaves the model's
// samples as they were.
func (m *Model) reserveSamples(mrows int) error {
	if cap(m.u) >= mrows*m.q {
		return nil
	}
	u, err := checkpoint.MakeFloats(mrows*m.q, m.cp)
	if err != nil {
		return err
	}
	m.u = u[:0]
	return nil
}
