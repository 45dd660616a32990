// Package objective groups the objective functions glmmgo evaluates: the
// Monte Carlo likelihood approximation of GLMMs (package mcla) and the
// profiled deviance of linear mixed models (package lmm). Each is a plain
// function of its parameters for fixed data; fits live elsewhere.
package objective
