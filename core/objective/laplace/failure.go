package laplace

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// The users' complaint about PIRLS failures (lme4 issue 179, MixedModels.jl
// issues 349 and 780) is that the message says nothing they can act on.
// These errors say where the iteration was (θ, β, the step, the penalised
// deviance) and which observation and which random effect moved most in
// the step that failed, so that a separated group, an extreme count or an
// offset on the wrong scale can be found.

// failure reports a PIRLS failure at step it of the search of s at θ.
func (m *Model) failure(s *modeState, theta []float64, it int, pdev, dec float64, why string) error {
	ws := &m.ws
	i := argmaxAbs(ws.dEta)
	j := argmaxAbs(ws.du)
	msg := fmt.Sprintf("PIRLS failed (%s) at θ = %s%s: step %d, penalised deviance %.10g", why, short(theta), m.betaText(s), it+1, pdev)
	if !math.IsNaN(dec) {
		msg += fmt.Sprintf(", a full step would lower it by %.3g", dec)
		if i >= 0 {
			msg += fmt.Sprintf("; the step moves observation %d most (y = %g, η = %.6g by %.3g)", i, m.resp.Y[i], ws.eta[i], ws.dEta[i])
		}
		if j >= 0 {
			name, level := m.effect(j)
			msg += fmt.Sprintf(" and, of the random effects, term %s level %d most (u = %.6g by %.3g)", name, level, s.u[j], ws.du[j])
		}
	}
	return errs.Numericf("pirls", "%s", msg)
}

// notFinite reports a start at which the log-likelihood is not finite,
// naming the first observation responsible.
func (m *Model) notFinite(eta, theta []float64, where string) error {
	for i, e := range eta {
		if l, _, _ := m.point(i, e); !finite(l) {
			return errs.Numericf("pirls", "the log-likelihood is %g %s at θ = %s: observation %d (y = %g, η = %g) has probability 0 under the %v family with %v link",
				l, where, short(theta), i, m.resp.Y[i], e, m.resp.Family, m.resp.Family.Resolve(m.resp.Link))
		}
	}
	return errs.Numericf("pirls", "the penalised deviance is not finite %s at θ = %s", where, short(theta))
}

// effect names random effect j: its term and level.
func (m *Model) effect(j int) (string, int) {
	for _, t := range m.terms {
		if j < t.uOff+t.nlevels*t.k {
			name := t.name
			if name == "" {
				name = fmt.Sprintf("%d", m.termIndex(t))
			}
			return name, (j - t.uOff) / t.k
		}
	}
	return "?", j
}

// termIndex is the position of t in the caller's order of the terms.
func (m *Model) termIndex(t term) int {
	for r, tt := range m.terms {
		if tt.uOff == t.uOff {
			return m.withX.TermOrder()[r]
		}
	}
	return -1
}

// betaText is ", β = …" for the slow fit's given β.
func (m *Model) betaText(s *modeState) string {
	if s.fast || len(s.beta) == 0 {
		return ""
	}
	return ", β = " + short(s.beta)
}

// short formats a vector with 6 significant digits.
func short(v []float64) string {
	out := "["
	for i, x := range v {
		if i > 0 {
			out += " "
		}
		out += fmt.Sprintf("%.6g", x)
	}
	return out + "]"
}

// argmaxAbs is the index of the largest |v[i]|, or −1 if v is empty or
// all NaN.
func argmaxAbs(v []float64) int {
	best, at := -1.0, -1
	for i, x := range v {
		if a := math.Abs(x); a > best {
			best, at = a, i
		}
	}
	return at
}
