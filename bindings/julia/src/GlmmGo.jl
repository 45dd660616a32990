"""
    GlmmGo

Mixed-model likelihoods computed by libglmmgo, a Go library with a C interface:
linear mixed models fitted as in lme4 and MixedModels.jl ([`LMMModel`](@ref),
[`LMMFit`](@ref)), and the Monte Carlo likelihood approximation of the R package glmm
(its objective on a [`MCLAModel`](@ref), and its fits, [`MCLAFit`](@ref)), GLMMs by
the Laplace approximation and adaptive quadrature as lme4's glmer and MixedModels.jl's
GeneralizedLinearMixedModel ([`GLMMModel`](@ref), [`GLMMFit`](@ref)), and the
two-class mixture of logistic random-intercept models by exact maximum likelihood or
Monte Carlo EM ([`MixLogitModel`](@ref), [`MixLogitFit`](@ref)). The C functions
themselves are in [`GlmmGo.LibGlmmGo`](@ref).

Names that MixedModels.jl exports for its own types (`fixef`, `ranef`, `VarCorr`,
`condVar`, `objective`, `sdest`, `lowerbd`, `issingular`, `fixefnames`, `varest`; and
`mmdeviance`) are
defined here but not exported, so both packages can be loaded together: call them
qualified, `GlmmGo.fixef(f)`. Shared generics (`coef`, `vcov`, `stderror`,
`loglikelihood`, `fit`, …) are StatsAPI's, extended.

The package needs a built libglmmgo: set `ENV["GLMMGO_LIB"]` or call
[`GlmmGo.set_library!`](@ref) (see the README).
"""
module GlmmGo

using Distributed: Distributed   # fits whose sample lives in worker processes (cluster.jl)
using Libdl: Libdl
using LinearAlgebra: LinearAlgebra   # matrix products (fitted values)
using Preferences: Preferences
using Printf: Printf
using SparseArrays: SparseMatrixCSC, findnz, sparse
using SpecialFunctions: erfc
using StatsAPI: StatsAPI, fit, coef, coefnames, coeftable, confint, stderror, vcov, nobs, dof, dof_residual,
    loglikelihood, deviance, aic, aicc, bic, isfitted, response, responsename, modelmatrix, islinear, weights,
    fitted, residuals
using StatsBase: StatsBase, CoefTable

export
    # errors and the library
    GlmmGoError, LibraryNotFoundError, status_symbol, libglmmgo, memory_limit, set_memory_limit!,
    # fits' progress
    CancelToken, cancel!,
    # linear mixed models
    ReTerm, LMMModel, LMMFit, deviance_parts, isreml, isconverged, remlcrit, nevals,
    # GLMMs by Laplace and adaptive quadrature
    GLMMModel, GLMMFit,
    # MCLA
    MCLAModel, set_importance!, set_samples!, set_dispersion!, nsamples, partial, partial_length, merge_partials,
    MCLAFit, MCLAStage, mcse, mcvcov, ess, umatrix, set_fit_samples!,
    # the two-class mixture of logistic random-intercept models
    MixLogitModel, MixLogitFit, posterior,
    # StatsAPI's generics, extended here
    fit, coef, coefnames, coeftable, confint, stderror, vcov, nobs, dof, dof_residual, loglikelihood, deviance,
    aic, aicc, bic, isfitted, response, responsename, modelmatrix, islinear, weights, fitted, residuals

"""
    objective(model, ...)

The criterion of a model: for an [`LMMModel`](@ref) the profiled ML deviance or REML
criterion at a given θ, for an [`LMMFit`](@ref) the value minimised; for an
[`MCLAModel`](@ref) the Monte Carlo log-likelihood at given parameters; for a
[`MixLogitModel`](@ref) the exact log-likelihood at given parameters. Not exported
(MixedModels.jl exports its own `objective`): call it as `GlmmGo.objective`.
"""
function objective end

include("library.jl")
include("LibGlmmGo.jl")
include("errors.jl")
include("conversions.jl")
include("handles.jl")
include("fitting.jl")
include("mcla.jl")
include("mclafit.jl")
include("cluster.jl")
include("mixlogit.jl")
include("terms.jl")
include("lmm.jl")
include("lmmfit.jl")
include("varcorr.jl")
include("glmm.jl")
include("show.jl")

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

"""
    memory_limit() -> Int
    set_memory_limit!(bytes::Integer) -> Int

The library's memory limit in bytes: a request whose memory the library can
foresee from its sizes (a fit's u-matrix of `m*q` doubles, dense `q*q` matrices, an
optimiser's interpolation system, a model's copy of the data) and which exceeds it
is refused with a [`GlmmGoError`](@ref) of status `:resource` naming the argument
and the bytes needed, before anything is allocated. The default is 3/4 of the
memory the process may use; `set_memory_limit!(0)` restores it. The setting is
process-wide. `set_memory_limit!` returns the limit now in force.
"""
function memory_limit()
    bytes = Ref{Int64}(0)
    checked(LibGlmmGo.glmmgo_memory_limit, bytes)
    return Int(bytes[])
end

function set_memory_limit!(bytes::Integer)
    checked(LibGlmmGo.glmmgo_set_memory_limit, Int64(bytes))
    return memory_limit()
end

# A library configured for this session is opened and its version checked when the
# package loads, so that a libglmmgo of another version fails `using GlmmGo` with a
# GlmmGoError rather than at some later call. Without a configured library the first
# call reports where the package looked.
function __init__()
    isdefined(Base, :generating_output) && Base.generating_output() && return
    _configured_library()[1] === nothing || libglmmgo()
    return nothing
end

end # module GlmmGo
