# Fits of linear mixed models: a fit handle whose results are read when the fit is
# made (the conditional variances, computed by the library on request, are read on
# first use).

"""
    LMMFit

A linear mixed model fitted by ML or REML, as lme4 and MixedModels.jl fit it:
`fit(LMMFit, model::LMMModel; REML = false)`, `fit(LMMFit, y, X, reterms; …)`, or,
with StatsModels loaded, `fit(LMMFit, @formula(y ~ 1 + x + (1 + x | g)), data)`.
θ, the random effects and the variance components are in model order (terms by
decreasing number of levels). `f.θ`, `f.β` and `f.σ` are the estimates.
"""
mutable struct LMMFit <: StatsAPI.RegressionModel
    model::LMMModel
    handle::Handle
    reml::Bool
    objective::Float64
    loglik::Float64
    deviance::Float64
    remlcrit::Float64
    aic::Float64
    bic::Float64
    sigma::Float64
    evals::Int
    converged::Bool
    singular::Bool
    theta::Vector{Float64}
    beta::Vector{Float64}
    se::Vector{Float64}
    vcov::Matrix{Float64}
    varcorr::Vector{Float64}   # the library's flat VarCorr (GLMMGO_LMM_VARCORR)
    b::Vector{Float64}
    u::Vector{Float64}
    condvar::Union{Nothing,Vector{Array{Float64,3}}}   # read on first use
    optimizer::Symbol          # :bobyqa or :bfgs
end

"""
    fit(LMMFit, model::LMMModel; REML = false, start = nothing, rhobeg = nothing, rhoend = nothing,
        maxeval = nothing, workers = 0, optimizer = :auto, callback = nothing, cancel = nothing) -> LMMFit

Fits the model by maximum likelihood (or REML). `optimizer` is `:bobyqa` (the
library's bounded derivative-free optimiser, lme4's choice), `:bfgs` (a projected
quasi-Newton method with the analytic gradient) or `:auto` (BFGS from 6 elements of θ
on, BOBYQA otherwise); [`GlmmGo.optimizer`](@ref) says which a fit used. `start` is θ in model order (default: the better of
lme4's, 1 on diagonals and 0 elsewhere, and moment estimates of θ); `rhobeg`,
`rhoend` the optimiser's initial and final trust-region radii and `maxeval` its
evaluation budget (default: the library's, 0.2, 5e-5·rhobeg and 10000). Running out of evaluations is not an error; see
[`isconverged`](@ref). `workers` threads share each evaluation; the fit does not
depend on their number.

`callback(iter, objective, θ)` is called after every evaluation on the fitting
thread; returning `false` stops the fit. `cancel` is a [`CancelToken`](@ref). A
stopped fit, or one interrupted with Ctrl-C, throws (a `GlmmGoError` with status
`:cancelled`, or the callback's exception) and makes no fit.
"""
function StatsAPI.fit(::Type{LMMFit}, model::LMMModel; REML::Bool = false,
                      start::Union{Nothing,AbstractVector{<:Real}} = nothing, rhobeg::Union{Nothing,Real} = nothing,
                      rhoend::Union{Nothing,Real} = nothing, maxeval::Union{Nothing,Integer} = nothing,
                      workers::Integer = 0, optimizer::Symbol = :auto, callback = nothing,
                      cancel::Union{Nothing,CancelToken} = nothing)
    opt_code = _optimizer_code(optimizer)
    s = start === nothing ? nothing : _check_theta(model, start)
    out = Ref{Int64}(0)
    GC.@preserve s begin
        given = (; rhobeg, rhoend, maxeval, start = s === nothing ? nothing : pointer(s),
                 start_len = s === nothing ? nothing : length(s))
        opt = _options(LibGlmmGo.glmmgo_lmm_options, LibGlmmGo.glmmgo_lmm_options_default;
                       (k => v for (k, v) in pairs(given) if v !== nothing)..., reml = Int32(REML), workers,
                       optimizer = opt_code)
        _with_progress(callback, cancel) do progress, userdata
            checked(LibGlmmGo.glmmgo_lmm_fit, model.handle, opt, progress, userdata, out)
        end
    end
    return _read_lmmfit(model, Handle(out[], LibGlmmGo.GLMMGO_KIND_LMM_FIT))
end

"""
    fit(LMMFit, y, X, reterms; REML = false, weights = nothing, fixefnames, responsename, kwargs...)

Makes the [`LMMModel`](@ref) and fits it; the keyword arguments of the fit above
are passed on.
"""
function StatsAPI.fit(::Type{LMMFit}, y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real},
                      reterms::Union{ReTerm,AbstractVector{ReTerm}};
                      weights = nothing, fixefnames = _default_xnames(X), responsename = "y",
                      formula = nothing, kwargs...)
    model = LMMModel(y, X, reterms; weights, fixefnames, responsename, formula)
    return fit(LMMFit, model; kwargs...)
end

function _read_lmmfit(model::LMMModel, h::Handle)
    r(code) = result(h, code)
    p = length(model.kept)
    return LMMFit(model, h, resultflag(h, LibGlmmGo.GLMMGO_LMM_REML), result1(h, LibGlmmGo.GLMMGO_LMM_OBJECTIVE),
                  result1(h, LibGlmmGo.GLMMGO_LMM_LOGLIK), result1(h, LibGlmmGo.GLMMGO_LMM_DEVIANCE),
                  result1(h, LibGlmmGo.GLMMGO_LMM_REMLCRIT), result1(h, LibGlmmGo.GLMMGO_LMM_AIC),
                  result1(h, LibGlmmGo.GLMMGO_LMM_BIC), result1(h, LibGlmmGo.GLMMGO_LMM_SIGMA),
                  result1(h, LibGlmmGo.GLMMGO_LMM_EVALS), resultflag(h, LibGlmmGo.GLMMGO_LMM_CONVERGED),
                  resultflag(h, LibGlmmGo.GLMMGO_LMM_SINGULAR), r(LibGlmmGo.GLMMGO_LMM_THETA),
                  r(LibGlmmGo.GLMMGO_LMM_BETA), r(LibGlmmGo.GLMMGO_LMM_SE), reshape(r(LibGlmmGo.GLMMGO_LMM_VCOV), p, p),
                  r(LibGlmmGo.GLMMGO_LMM_VARCORR), r(LibGlmmGo.GLMMGO_LMM_B), r(LibGlmmGo.GLMMGO_LMM_U), nothing,
                  _optimizer_symbol(result1(h, LibGlmmGo.GLMMGO_LMM_OPTIMIZER)))
end

const _OPTIMIZERS = (auto = LibGlmmGo.GLMMGO_LMM_OPTIMIZER_AUTO, bobyqa = LibGlmmGo.GLMMGO_LMM_OPTIMIZER_BOBYQA,
                     bfgs = LibGlmmGo.GLMMGO_LMM_OPTIMIZER_BFGS)

function _optimizer_code(o::Symbol)
    haskey(_OPTIMIZERS, o) || throw(ArgumentError("optimizer must be :auto, :bobyqa or :bfgs, not :$o"))
    return _OPTIMIZERS[o]
end

_optimizer_symbol(code) = only(k for (k, v) in pairs(_OPTIMIZERS) if v == code)

"""
    GlmmGo.optimizer(f::LMMFit) -> Symbol

The optimiser the fit used: `:bobyqa` or `:bfgs`.
"""
optimizer(f::LMMFit) = f.optimizer

Base.close(f::LMMFit) = close(f.handle)

# The derivatives at θ̂ and the Wald standard errors, which the library computes
# together on the first request of any of them.
gradient(f::LMMFit) = result(f.handle, LibGlmmGo.GLMMGO_LMM_GRADIENT)
function hessian(f::LMMFit; sigma::Symbol = :profiled)
    sigma === :profiled || return hessian(f.model, f.theta; REML = f.reml, sigma = sigma)
    k = length(f.theta)
    return reshape(result(f.handle, LibGlmmGo.GLMMGO_LMM_HESSIAN), k, k)
end

"""
    GlmmGo.theta_vcov(f::LMMFit) -> Matrix{Float64}
    GlmmGo.theta_se(f::LMMFit) -> Vector{Float64}
    GlmmGo.varcorr_se(f::LMMFit) -> Vector{Float64}

Wald covariance and standard errors of θ̂ (2H⁻¹, H the profiled Hessian; NaN for
elements on their bound), and standard errors of the standard deviations and
correlations of VarCorr and of σ (in the library's flat layout: per term the
standard deviations, then the correlations below the diagonal by columns; last σ),
by the delta method from the curvature of the deviance in (θ, σ).
"""
function theta_vcov(f::LMMFit)
    k = length(f.theta)
    return reshape(result(f.handle, LibGlmmGo.GLMMGO_LMM_THETA_VCOV), k, k)
end
theta_se(f::LMMFit) = result(f.handle, LibGlmmGo.GLMMGO_LMM_THETA_SE)
varcorr_se(f::LMMFit) = result(f.handle, LibGlmmGo.GLMMGO_LMM_VARCORR_SE)

# ---- accessors: StatsAPI's generics ----------------------------------------------------

StatsAPI.isfitted(::LMMFit) = true
StatsAPI.coef(f::LMMFit) = copy(f.beta)
StatsAPI.coefnames(f::LMMFit) = fixefnames(f.model)
StatsAPI.stderror(f::LMMFit) = copy(f.se)
StatsAPI.vcov(f::LMMFit) = copy(f.vcov)
StatsAPI.nobs(f::LMMFit) = nobs(f.model)
StatsAPI.response(f::LMMFit) = response(f.model)
StatsAPI.responsename(f::LMMFit) = responsename(f.model)
StatsAPI.modelmatrix(f::LMMFit) = modelmatrix(f.model)
StatsAPI.islinear(::LMMFit) = true
StatsAPI.weights(f::LMMFit) = weights(f.model)
StatsAPI.loglikelihood(f::LMMFit) = f.loglik

"""
    deviance(f::LMMFit) -> Float64

The ML deviance (−2 log-likelihood) profiled at the fitted θ; for an ML fit this is
[`GlmmGo.objective`](@ref)`(f)`.
"""
StatsAPI.deviance(f::LMMFit) = f.deviance
StatsAPI.dof(f::LMMFit) = length(f.beta) + length(f.theta) + 1
StatsAPI.dof_residual(f::LMMFit) = nobs(f) - dof(f)
StatsAPI.aic(f::LMMFit) = f.aic
StatsAPI.bic(f::LMMFit) = f.bic
function StatsAPI.aicc(f::LMMFit)
    k, n = dof(f), nobs(f)
    return aic(f) + 2k * (k + 1) / (n - k - 1)
end

"""
    fitted(f::LMMFit) -> Vector{Float64}

The conditional means `Xβ̂ + Zb̂` at the observations.
"""
function StatsAPI.fitted(f::LMMFit)
    μ = modelmatrix(f) * f.beta
    for (t, B) in zip(f.model.reterms, ranef(f))
        for i in eachindex(μ)
            μ[i] += sum(t.z[i, j] * B[j, t.codes[i]] for j in 1:ncols(t))
        end
    end
    return μ
end

StatsAPI.residuals(f::LMMFit) = response(f) .- fitted(f)

function StatsAPI.coeftable(f::LMMFit)
    z = f.beta ./ f.se
    p = [erfc(abs(zi) / sqrt(2)) for zi in z]
    return StatsBase.CoefTable(hcat(f.beta, f.se, z, p), ["Coef.", "Std. Error", "z", "Pr(>|z|)"],
                               coefnames(f), 4, 3)
end

# ---- accessors in the style of MixedModels.jl (not exported where it exports them) ----

"""
    isreml(f::LMMFit) -> Bool

Whether the fit used REML.
"""
isreml(f::LMMFit) = f.reml

"""
    isconverged(f::LMMFit) -> Bool

Whether the optimiser reached its final trust-region radius (rather than its
evaluation budget).
"""
isconverged(f::LMMFit) = f.converged

"""
    GlmmGo.issingular(f::LMMFit) -> Bool

Whether the fit is on the boundary of the parameter space (a diagonal element of
θ below 1e-4, e.g. a variance component estimated as zero).
"""
issingular(f::LMMFit) = f.singular

"""
    GlmmGo.fixef(f::LMMFit) -> Vector{Float64}

The estimates of the fixed effects, for the columns of X kept (see
[`GlmmGo.fixefnames`](@ref)); `coef(f)` is the same.
"""
fixef(f::LMMFit) = copy(f.beta)
fixefnames(f::LMMFit) = fixefnames(f.model)
lowerbd(f::LMMFit) = lowerbd(f.model)
grouplevels(f::LMMFit) = grouplevels(f.model)

"""
    GlmmGo.objective(f::LMMFit) -> Float64

The criterion minimised: −2 log-likelihood for ML, the REML criterion for REML.
"""
objective(f::LMMFit) = f.objective

"""
    remlcrit(f::LMMFit) -> Float64

The REML criterion at the fitted θ.
"""
remlcrit(f::LMMFit) = f.remlcrit

"""
    nevals(f::LMMFit) -> Int

Evaluations of the criterion the fit used.
"""
nevals(f::LMMFit) = f.evals

"""
    GlmmGo.sdest(f::LMMFit) -> Float64

The estimate of the residual standard deviation σ.
"""
sdest(f::LMMFit) = f.sigma

# f.θ, f.β, f.σ as in MixedModels.jl; everything else is a field.
function Base.getproperty(f::LMMFit, s::Symbol)
    s in (:θ, :theta) && return copy(getfield(f, :theta))
    s in (:β, :beta) && return copy(getfield(f, :beta))
    s in (:σ, :sigma) && return getfield(f, :sigma)
    return getfield(f, s)
end

Base.propertynames(f::LMMFit, private::Bool = false) =
    (:θ, :theta, :β, :beta, :σ, :sigma, (private ? fieldnames(LMMFit) : ())...)

# Splits a vector laid out term by term (model order), k values per level, into
# one k×ℓ matrix per term.
function _per_term(f::LMMFit, v::Vector{Float64})
    out = Matrix{Float64}[]
    offset = 0
    for (k, ℓ) in zip(f.model.term_ncols, f.model.term_nlevels)
        push!(out, reshape(v[(offset + 1):(offset + k * ℓ)], k, ℓ))
        offset += k * ℓ
    end
    return out
end

"""
    GlmmGo.ranef(f::LMMFit; uscale = false) -> Vector{Matrix{Float64}}

The conditional modes of the random effects: for each term in model order a k×ℓ
matrix, column j for the term's j-th level (see [`GlmmGo.grouplevels`](@ref)). With
`uscale = true`, the spherical modes u instead of b = Λu.
"""
ranef(f::LMMFit; uscale::Bool = false) = _per_term(f, uscale ? f.u : f.b)

"""
    GlmmGo.condVar(f::LMMFit) -> Vector{Array{Float64,3}}

The conditional covariance matrices of the random effects given the data (lme4's
`condVar`): for each term in model order a k×k×ℓ array, one k×k matrix per level.
The library computes them on the first request, from the fit's handle.
"""
function condVar(f::LMMFit)
    if f.condvar === nothing
        cv = result(f.handle, LibGlmmGo.GLMMGO_LMM_CONDVAR)
        out = Array{Float64,3}[]
        offset = 0
        for (k, ℓ) in zip(f.model.term_ncols, f.model.term_nlevels)
            push!(out, reshape(cv[(offset + 1):(offset + k * k * ℓ)], k, k, ℓ))
            offset += k * k * ℓ
        end
        f.condvar = out
    end
    return [copy(a) for a in f.condvar]
end
