"""
    GlmmGo

Mixed-model likelihoods computed by libglmmgo, a Go library with a C interface:
linear mixed models fitted as in lme4 and MixedModels.jl ([`LinearMixedModel`](@ref)),
and the Monte Carlo likelihood approximation of the R package glmm (its objective,
[`MCLAModel`](@ref), and its fits, [`MCLAFit`](@ref)). The C functions themselves are in [`GlmmGo.LibGlmmGo`](@ref).

The package needs a built libglmmgo: set `ENV["GLMMGO_LIB"]` or call
[`GlmmGo.set_library!`](@ref) (see the README).
"""
module GlmmGo

using Libdl: Libdl
using LinearAlgebra: LowerTriangular, diag
using Preferences: Preferences
using Printf: Printf
using SparseArrays: SparseMatrixCSC, findnz, sparse
using SpecialFunctions: erfc
using StatsAPI: StatsAPI, fit, fit!, coef, coefnames, coeftable, stderror, vcov, nobs, dof,
    dof_residual, loglikelihood, deviance, aic, aicc, bic, isfitted, response, responsename,
    modelmatrix, islinear, weights, confint
using StatsBase: StatsBase, CoefTable

export
    # errors and the library
    GlmmGoError, LibraryNotFoundError, status_symbol, libglmmgo,
    # linear mixed models
    LinearMixedModel, ReTerm, CancelToken, cancel!, fixef, fixefnames, ranef, condVar, VarCorr,
    objective, sdest, getθ, lowerbd, issingular, isconverged, isreml, remlcrit, nevals,
    # MCLA
    MCLAModel, set_importance!, set_samples!, nsamples, partial, partial_length, merge_partials,
    MCLAFit, fit_dispersion!, varest, mcse, mcvcov, ess, umatrix,
    # re-exported from StatsAPI
    fit, fit!, coef, coefnames, coeftable, stderror, vcov, nobs, dof, dof_residual,
    loglikelihood, deviance, aic, aicc, bic, isfitted, response

"""
    objective(model, ...)

The criterion of a model: for a fitted [`LinearMixedModel`](@ref) the value
minimised (−2 log-likelihood or the REML criterion), or its value at a given θ;
for an [`MCLAModel`](@ref) the Monte Carlo log-likelihood at given parameters.
"""
function objective end

include("library.jl")
include("LibGlmmGo.jl")
include("errors.jl")
include("conversions.jl")
include("handles.jl")
include("mcla.jl")
include("terms.jl")
include("lmm.jl")
include("show.jl")
include("mclafit.jl")

"""
    version() -> VersionNumber

The version of the loaded libglmmgo.
"""
version() = VersionNumber(unsafe_string(LibGlmmGo.glmmgo_version()))

"""
    available_workers() -> Int

The number of CPUs the library uses when asked for `workers = 0`.
"""
available_workers() = Int(LibGlmmGo.glmmgo_available_workers())

end # module GlmmGo
