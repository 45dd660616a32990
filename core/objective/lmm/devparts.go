package lmm

// DevianceParts are the pieces the profiled criteria are made of at one θ,
// the components lme4 reports as getME(fit, "devcomp")$cmp. With them
// (Bates et al. 2015, J. Stat. Softw. 67(1), eqs. 34 and 41)
//
//	ML deviance    = LogDetL − LogDetW + n·(1 + log(2π·PWRSS/n))
//	REML criterion = LogDetL + LogDetRX − LogDetW + (n−p)·(1 + log(2π·PWRSS/(n−p)))
//
// and the deviance at any σ (what a profile over σ needs) is
// LogDetL − LogDetW + n·log(2πσ²) + PWRSS/σ².
type DevianceParts struct {
	LogDetL  float64 // log|L_θ|², the random-effects block of the factor (lme4's ldL2)
	LogDetRX float64 // log|R_X|², the fixed-effects block (ldRX2)
	WRSS     float64 // weighted residual sum of squares Σ wᵢ (yᵢ − xᵢβ̂ − zᵢΛũ)² (wrss)
	USSQ     float64 // ‖ũ‖², the squared length of the spherical modes (ussq)
	PWRSS    float64 // WRSS + USSQ, the penalised weighted residual sum of squares r²_θ (pwrss)
	LogDetW  float64 // Σ log wᵢ, 0 without weights (lme4 keeps it in the response module)
}

// DevianceParts evaluates the model at θ and returns the pieces of its
// criteria. WRSS is PWRSS − USSQ, the identity lme4 uses the other way
// round; PWRSS comes from the factor, USSQ from the solved modes.
func (m *Model) DevianceParts(theta []float64) (DevianceParts, error) {
	sol, err := m.Solve(theta, false)
	if err != nil {
		return DevianceParts{}, err
	}
	ussq := 0.0
	for _, u := range sol.U {
		ussq += u * u
	}
	return DevianceParts{LogDetL: sol.LogDetL, LogDetRX: sol.LogDetRX, WRSS: sol.PWRSS - ussq, USSQ: ussq,
		PWRSS: sol.PWRSS, LogDetW: m.obs.ldW}, nil
}
