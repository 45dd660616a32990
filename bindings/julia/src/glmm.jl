# Generalised linear mixed models by the Laplace approximation and adaptive
# Gauss-Hermite quadrature (libglmmgo's laplace engine), in the shape of MixedModels.jl's
# GeneralizedLinearMixedModel: a model handle (GLMMModel) with −2 log L at any
# parameters, and fits (GLMMFit), fast (θ optimised, β by PIRLS) or not.

const GLMM_FAMILIES = Dict{Symbol,Int32}(
    :bernoulli => LibGlmmGo.GLMMGO_BERNOULLI, :binomial => LibGlmmGo.GLMMGO_BINOMIAL,
    :poisson => LibGlmmGo.GLMMGO_POISSON, :negbinomial => LibGlmmGo.GLMMGO_NEGBINOMIAL)
const GLMM_LINKS = Dict{Symbol,Int32}(
    :default => LibGlmmGo.GLMMGO_LINK_DEFAULT, :logit => LibGlmmGo.GLMMGO_LINK_LOGIT,
    :probit => LibGlmmGo.GLMMGO_LINK_PROBIT, :cloglog => LibGlmmGo.GLMMGO_LINK_CLOGLOG,
    :log => LibGlmmGo.GLMMGO_LINK_LOG)
const GLMM_THETA_STARTS = Dict{Symbol,Int32}(
    :auto => LibGlmmGo.GLMMGO_LAPLACE_START_AUTO, :default => LibGlmmGo.GLMMGO_LAPLACE_START_DEFAULT,
    :lmm => LibGlmmGo.GLMMGO_LAPLACE_START_LMM)
# Why an optimisation stage stopped (GLMMGO_LAPLACE_STAGE_STATUS), by code.
const GLMM_STAGE_STATUS = Dict{Int,Symbol}(
    LibGlmmGo.GLMMGO_STAGE_NOT_RUN => :not_run, LibGlmmGo.GLMMGO_STAGE_VALUE_CONVERGENCE => :value_convergence,
    LibGlmmGo.GLMMGO_STAGE_MODEL_CONVERGENCE => :model_convergence,
    LibGlmmGo.GLMMGO_STAGE_STEP_CONVERGENCE => :step_convergence,
    LibGlmmGo.GLMMGO_STAGE_ITERATION_LIMIT => :iteration_limit,
    LibGlmmGo.GLMMGO_STAGE_EVALUATION_LIMIT => :evaluation_limit)

"""
    GLMMModel(y, X, reterms; family = :bernoulli, link = :default, trials = nothing, weights = nothing,
              offset = nothing, dispersion = 0, fixefnames, responsename = "y")

A GLMM `η = offset + Xβ + Σ Z_t b_t`, `b = Λ_θ u`, `u ~ N(0, I)`, held by libglmmgo:
given the random effects the responses are independent, Bernoulli (`y` 0/1),
binomial (`y` successes out of `trials`), Poisson or negative binomial with known size
`dispersion` (counts), with `E(y/trials) = g⁻¹(η)` for the link `g` (`:logit`,
`:probit`, `:cloglog` for the first two, `:log` for the counts; `:default` is the
family's). `weights` are prior weights. The terms are in model order (decreasing
number of levels), as for [`LMMModel`](@ref); a term may have a level per observation.

[`GlmmGo.objective`](@ref) gives −2 log L at any parameters; fit it with
`fit(GLMMFit, model; fast = false, nAGQ = 1)` ([`GLMMFit`](@ref)).
"""
mutable struct GLMMModel
    handle::Handle
    family::Symbol
    y::Vector{Float64}
    X::Matrix{Float64}
    reterms::Vector{ReTerm}        # model order
    term_nlevels::Vector{Int}
    term_ncols::Vector{Int}
    xnames::Vector{String}
    kept::Vector{Int}              # 1-based columns of X kept
    responsename::String
    lower::Vector{Float64}
    thetalayout::Vector{NamedTuple{(:term, :row, :col),NTuple{3,Int}}}
end

function GLMMModel(y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real}, reterms::AbstractVector{ReTerm};
                   family::Symbol = :bernoulli, link::Symbol = :default,
                   trials::Union{Nothing,AbstractVector{<:Real}} = nothing,
                   weights::Union{Nothing,AbstractVector{<:Real}} = nothing,
                   offset::Union{Nothing,AbstractVector{<:Real}} = nothing, dispersion::Real = 0,
                   fixefnames::AbstractVector{<:AbstractString} = _default_xnames(X), responsename::AbstractString = "y")
    haskey(GLMM_FAMILIES, family) || throw(ArgumentError("family must be one of $(sort(collect(keys(GLMM_FAMILIES)))), got $(repr(family))"))
    haskey(GLMM_LINKS, link) || throw(ArgumentError("link must be one of $(sort(collect(keys(GLMM_LINKS)))), got $(repr(link))"))
    n = length(y)
    Xc = cmatrix(X)
    size(Xc, 1) == n || throw(DimensionMismatch("X has $(size(Xc, 1)) rows, y has $n elements"))
    isempty(reterms) && throw(ArgumentError("a GLMM needs at least one random-effects term"))
    for t in reterms
        nobs_term(t) == n || throw(DimensionMismatch("term $(t.name) has $(nobs_term(t)) observations, y has $n"))
    end
    _check_length("fixefnames", fixefnames, size(Xc, 2))
    for (name, v) in (("trials", trials), ("weights", weights), ("offset", offset))
        v === nothing || _check_length(name, v, n)
    end
    codes = Matrix{Int64}(undef, n, length(reterms))
    for (t, term) in enumerate(reterms)
        codes[:, t] .= to_c_indices(term.codes)
    end
    z = reduce(vcat, (vec(term.z) for term in reterms))
    out = Ref{Int64}(0)
    yc = cvector(y)
    opt(v) = v === nothing ? nothing : cvector(v)
    p = size(Xc, 2)
    checked(LibGlmmGo.glmmgo_laplace_new, Int64(n), Int64(p), GLMM_FAMILIES[family], GLMM_LINKS[link], yc,
            coptional(opt(trials)), coptional(opt(weights)), coptional(opt(offset)), Float64(dispersion),
            p == 0 ? C_NULL : Xc, Int64(length(reterms)), Int64[nlevels(t) for t in reterms],
            Int64[ncols(t) for t in reterms], codes, z, out)
    h = Handle(out[], LibGlmmGo.GLMMGO_KIND_LAPLACE_MODEL)
    position = from_c_indices(result(h, LibGlmmGo.GLMMGO_LAPLACE_TERM_ORDER))
    kept = from_c_indices(result(h, LibGlmmGo.GLMMGO_LAPLACE_KEPT_COLUMNS))
    layout = [(term = t, row = r, col = c) for (t, r, c) in
              zip(from_c_indices(result(h, LibGlmmGo.GLMMGO_LAPLACE_THETA_TERM)),
                  from_c_indices(result(h, LibGlmmGo.GLMMGO_LAPLACE_THETA_ROW)),
                  from_c_indices(result(h, LibGlmmGo.GLMMGO_LAPLACE_THETA_COL)))]
    length(kept) < p && @warn "Fixed-effects matrix is rank deficient: dropped the aliased column(s) $(join(fixefnames[setdiff(1:p, kept)], ", "))"
    return GLMMModel(h, family, copy(yc), Xc === X ? copy(Xc) : Xc, collect(reterms[position]),
                     Int.(result(h, LibGlmmGo.GLMMGO_LAPLACE_TERM_NLEVELS)),
                     Int.(result(h, LibGlmmGo.GLMMGO_LAPLACE_TERM_NCOLS)), String.(fixefnames), kept,
                     String(responsename), result(h, LibGlmmGo.GLMMGO_LAPLACE_LOWER), layout)
end

GLMMModel(y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real}, reterm::ReTerm; kwargs...) =
    GLMMModel(y, X, [reterm]; kwargs...)

Base.close(m::GLMMModel) = close(m.handle)
dims(m::GLMMModel) = dims(m.handle)
lowerbd(m::GLMMModel) = copy(m.lower)
thetalayout(m::GLMMModel) = copy(m.thetalayout)
fixefnames(m::GLMMModel) = m.xnames[m.kept]
grouplevels(m::GLMMModel) = [copy(t.levels) for t in m.reterms]
StatsAPI.nobs(m::GLMMModel) = length(m.y)
StatsAPI.response(m::GLMMModel) = m.y
StatsAPI.responsename(m::GLMMModel) = m.responsename
StatsAPI.modelmatrix(m::GLMMModel) = m.X[:, m.kept]

"""
    GlmmGo.objective(m::GLMMModel, par; nAGQ = 1, fast = false, workers = 0) -> Float64

−2 log L (every constant of the density included) at `par = [θ; β]` by the Laplace
approximation (`nAGQ = 1`) or adaptive Gauss-Hermite quadrature with `nAGQ` nodes (one
scalar term), or, with `fast = true`, at `par = θ` with β from PIRLS (MixedModels.jl's
`fast = true` objective). Each call starts PIRLS afresh: the value is a function of
the arguments alone and does not depend on `workers`.
"""
function objective(m::GLMMModel, par::AbstractVector{<:Real}; nAGQ::Integer = 1, fast::Bool = false,
                   workers::Integer = 0)
    value = Ref{Float64}(NaN)
    checked(LibGlmmGo.glmmgo_laplace_objective, m.handle, cvector(par), Int64(length(par)), Int32(nAGQ), Int32(fast),
            Int32(workers), value)
    return value[]
end

"""
    GLMMFit

A [`GLMMModel`](@ref) fitted by maximum likelihood: `fit(GLMMFit, model; fast, nAGQ)`
or `fit(GLMMFit, y, X, reterms; family, …)`. `f.θ` and `f.β` are the estimates;
`deviance(f)` is −2 log L with every constant (the one scale of `loglikelihood`,
`aic`, `bic`); MixedModels.jl's deviance is [`GlmmGo.mmdeviance`](@ref). Everything
the library reports is read when the fit is made (fields: `se_method` (`:hessian` or
`:conditional`), `par_vcov`, `gradient`, `hessian`, `pirls_iterations`, `evals`
(fast and slow stage), `stage_objective`, `stage_status`, `start_theta`,
`start_from_lmm`, `start_objectives`, `start_lmm_theta`, `seconds`, …).
"""
struct GLMMFit <: StatsAPI.RegressionModel
    model::GLMMModel
    handle::Handle
    fast::Bool
    nagq::Int
    family::Int
    link::Int
    theta::Vector{Float64}
    beta::Vector{Float64}
    se::Vector{Float64}
    vcov::Matrix{Float64}
    se_method::Symbol
    par_vcov::Matrix{Float64}
    varcorr::Vector{Float64}
    u::Vector{Float64}
    b::Vector{Float64}
    condvar::Vector{Float64}
    eta::Vector{Float64}
    mu::Vector{Float64}
    resid_response::Vector{Float64}
    resid_pearson::Vector{Float64}
    resid_deviance::Vector{Float64}
    minus_two_loglik::Float64
    loglik::Float64
    mmdeviance::Float64
    saturated_loglik::Float64
    aic::Float64
    bic::Float64
    penalised_deviance::Float64
    ussq::Float64
    logdet::Float64
    gradient::Vector{Float64}
    hessian::Matrix{Float64}
    pirls_iterations::Int
    evals::Vector{Int}
    stage_objective::Vector{Float64}
    stage_status::Vector{Symbol}
    converged::Bool
    singular::Bool
    start_theta::Vector{Float64}
    start_from_lmm::Bool
    start_objectives::Vector{Float64}
    start_lmm_theta::Vector{Float64}
    seconds::Vector{Float64}
end

"""
    fit(GLMMFit, model::GLMMModel; fast = false, nAGQ = 1, start = nothing, theta_start = :auto,
        rhobeg = nothing, rhoend = nothing, maxeval = nothing, no_hessian = false, pirls_tol = nothing,
        pirls_maxiter = nothing, pirls_max_halvings = nothing, workers = 0, callback = nothing,
        cancel = nothing) -> GLMMFit

Fits the model as MixedModels.jl's `fit(GeneralizedLinearMixedModel, …)`: θ by the
library's BOBYQA-type optimiser with β and the modes by PIRLS (`fast = true`, lme4's
nAGQ = 0), then unless `fast` (θ, β) on the Laplace (`nAGQ = 1`) or `nAGQ`-node
quadrature objective. `start` is θ, or [θ; β] to skip the fast stage; `theta_start`
(`:auto`, `:default`, `:lmm`) chooses θ's start otherwise. `nothing` keeps the
library's defaults. `callback(iter, objective, par)` sees every evaluation of both
stages (θ in the first, [θ; β] in the second); returning `false`, or a
[`CancelToken`](@ref), stops the fit. Results do not depend on `workers`.
"""
function StatsAPI.fit(::Type{GLMMFit}, model::GLMMModel; fast::Bool = false, nAGQ::Integer = 1,
                      start::Union{Nothing,AbstractVector{<:Real}} = nothing, theta_start::Symbol = :auto,
                      rhobeg::Union{Nothing,Real} = nothing, rhoend::Union{Nothing,Real} = nothing,
                      maxeval::Union{Nothing,Integer} = nothing, no_hessian::Bool = false,
                      pirls_tol::Union{Nothing,Real} = nothing, pirls_maxiter::Union{Nothing,Integer} = nothing,
                      pirls_max_halvings::Union{Nothing,Integer} = nothing, workers::Integer = 0,
                      callback = nothing, cancel::Union{Nothing,CancelToken} = nothing)
    haskey(GLMM_THETA_STARTS, theta_start) || throw(ArgumentError("theta_start must be :auto, :default or :lmm"))
    s = start === nothing ? nothing : cvector(start)
    out = Ref{Int64}(0)
    GC.@preserve s begin
        given = (; rhobeg, rhoend, maxeval, pirls_tol, pirls_maxiter, pirls_max_halvings,
                 start = s === nothing ? nothing : pointer(s), start_len = s === nothing ? nothing : length(s))
        opt = _options(LibGlmmGo.glmmgo_laplace_options, LibGlmmGo.glmmgo_laplace_options_default;
                       (k => v for (k, v) in pairs(given) if v !== nothing)..., fast = Int32(fast), nagq = Int32(nAGQ),
                       theta_start = GLMM_THETA_STARTS[theta_start], no_hessian = Int32(no_hessian), workers)
        _with_progress(callback, cancel) do progress, userdata
            checked(LibGlmmGo.glmmgo_laplace_fit, model.handle, opt, progress, userdata, out)
        end
    end
    return _read_glmmfit(model, Handle(out[], LibGlmmGo.GLMMGO_KIND_LAPLACE_FIT))
end

"""
    fit(GLMMFit, y, X, reterms; family = :bernoulli, link, trials, weights, offset, dispersion,
        fixefnames, responsename, kwargs...) -> GLMMFit

Makes the [`GLMMModel`](@ref) and fits it with the keyword arguments above.
"""
function StatsAPI.fit(::Type{GLMMFit}, y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real},
                      reterms::Union{ReTerm,AbstractVector{ReTerm}}; family::Symbol = :bernoulli,
                      link::Symbol = :default, trials = nothing, weights = nothing, offset = nothing,
                      dispersion::Real = 0, fixefnames = _default_xnames(X), responsename = "y", kwargs...)
    model = GLMMModel(y, X, reterms isa ReTerm ? [reterms] : reterms; family, link, trials, weights, offset,
                      dispersion, fixefnames, responsename)
    return fit(GLMMFit, model; kwargs...)
end

function _read_glmmfit(model::GLMMModel, h::Handle)
    r(code) = result(h, code)
    i(code) = Int.(result(h, code))
    p, np = length(model.kept), length(model.lower) + length(model.kept)
    sq(v, k) = isempty(v) ? zeros(0, 0) : reshape(v, k, k)
    se_method = result1(h, LibGlmmGo.GLMMGO_LAPLACE_SE_METHOD) == LibGlmmGo.GLMMGO_LAPLACE_SE_HESSIAN ? :hessian : :conditional
    return GLMMFit(model, h, resultflag(h, LibGlmmGo.GLMMGO_LAPLACE_FAST), result1(h, LibGlmmGo.GLMMGO_LAPLACE_NAGQ),
                   result1(h, LibGlmmGo.GLMMGO_LAPLACE_FAMILY), result1(h, LibGlmmGo.GLMMGO_LAPLACE_LINK),
                   r(LibGlmmGo.GLMMGO_LAPLACE_THETA), r(LibGlmmGo.GLMMGO_LAPLACE_BETA), r(LibGlmmGo.GLMMGO_LAPLACE_SE),
                   reshape(r(LibGlmmGo.GLMMGO_LAPLACE_VCOV), p, p), se_method,
                   sq(r(LibGlmmGo.GLMMGO_LAPLACE_PAR_VCOV), np), r(LibGlmmGo.GLMMGO_LAPLACE_VARCORR),
                   r(LibGlmmGo.GLMMGO_LAPLACE_U), r(LibGlmmGo.GLMMGO_LAPLACE_B), r(LibGlmmGo.GLMMGO_LAPLACE_CONDVAR),
                   r(LibGlmmGo.GLMMGO_LAPLACE_LINEAR_PREDICTOR), r(LibGlmmGo.GLMMGO_LAPLACE_FITTED),
                   r(LibGlmmGo.GLMMGO_LAPLACE_RESID_RESPONSE), r(LibGlmmGo.GLMMGO_LAPLACE_RESID_PEARSON),
                   r(LibGlmmGo.GLMMGO_LAPLACE_RESID_DEVIANCE), result1(h, LibGlmmGo.GLMMGO_LAPLACE_MINUS_TWO_LOGLIK),
                   result1(h, LibGlmmGo.GLMMGO_LAPLACE_LOGLIK), result1(h, LibGlmmGo.GLMMGO_LAPLACE_DEVIANCE),
                   result1(h, LibGlmmGo.GLMMGO_LAPLACE_SATURATED_LOGLIK), result1(h, LibGlmmGo.GLMMGO_LAPLACE_AIC),
                   result1(h, LibGlmmGo.GLMMGO_LAPLACE_BIC), result1(h, LibGlmmGo.GLMMGO_LAPLACE_PENALISED_DEVIANCE),
                   result1(h, LibGlmmGo.GLMMGO_LAPLACE_USSQ), result1(h, LibGlmmGo.GLMMGO_LAPLACE_LOGDET),
                   r(LibGlmmGo.GLMMGO_LAPLACE_GRADIENT), sq(r(LibGlmmGo.GLMMGO_LAPLACE_HESSIAN), np),
                   result1(h, LibGlmmGo.GLMMGO_LAPLACE_PIRLS_ITERATIONS), i(LibGlmmGo.GLMMGO_LAPLACE_EVALS),
                   r(LibGlmmGo.GLMMGO_LAPLACE_STAGE_OBJECTIVE),
                   [GLMM_STAGE_STATUS[c] for c in i(LibGlmmGo.GLMMGO_LAPLACE_STAGE_STATUS)],
                   resultflag(h, LibGlmmGo.GLMMGO_LAPLACE_CONVERGED), resultflag(h, LibGlmmGo.GLMMGO_LAPLACE_SINGULAR),
                   r(LibGlmmGo.GLMMGO_LAPLACE_START_THETA), resultflag(h, LibGlmmGo.GLMMGO_LAPLACE_START_FROM_LMM),
                   r(LibGlmmGo.GLMMGO_LAPLACE_START_OBJECTIVES), r(LibGlmmGo.GLMMGO_LAPLACE_START_LMM_THETA),
                   r(LibGlmmGo.GLMMGO_LAPLACE_SECONDS))
end

Base.close(f::GLMMFit) = close(f.handle)

# ---- StatsAPI's generics -----------------------------------------------------------------

StatsAPI.isfitted(::GLMMFit) = true
StatsAPI.coef(f::GLMMFit) = copy(f.beta)
StatsAPI.coefnames(f::GLMMFit) = fixefnames(f.model)
StatsAPI.stderror(f::GLMMFit) = copy(f.se)
StatsAPI.vcov(f::GLMMFit) = copy(f.vcov)
StatsAPI.nobs(f::GLMMFit) = nobs(f.model)
StatsAPI.response(f::GLMMFit) = response(f.model)
StatsAPI.responsename(f::GLMMFit) = responsename(f.model)
StatsAPI.modelmatrix(f::GLMMFit) = modelmatrix(f.model)
StatsAPI.islinear(::GLMMFit) = false
StatsAPI.loglikelihood(f::GLMMFit) = f.loglik

"""
    deviance(f::GLMMFit) -> Float64

−2 log L at the estimate, every constant of the density included: the scale of
`loglikelihood`, `aic` and `bic`. MixedModels.jl's deviance is
[`GlmmGo.mmdeviance`](@ref).
"""
StatsAPI.deviance(f::GLMMFit) = f.minus_two_loglik
StatsAPI.dof(f::GLMMFit) = length(f.beta) + length(f.theta)
StatsAPI.dof_residual(f::GLMMFit) = nobs(f) - dof(f)
StatsAPI.aic(f::GLMMFit) = f.aic
StatsAPI.bic(f::GLMMFit) = f.bic

"""
    fitted(f::GLMMFit) -> Vector{Float64}

The conditional means μ at the modes: probabilities (per trial) or mean counts.
"""
StatsAPI.fitted(f::GLMMFit) = copy(f.mu)

"""
    residuals(f::GLMMFit; type = :deviance) -> Vector{Float64}

`:deviance`, `:pearson` or `:response` residuals, as lme4's.
"""
function StatsAPI.residuals(f::GLMMFit; type::Symbol = :deviance)
    type === :deviance && return copy(f.resid_deviance)
    type === :pearson && return copy(f.resid_pearson)
    type === :response && return copy(f.resid_response)
    throw(ArgumentError("type must be :deviance, :pearson or :response"))
end

"""
    confint(f::GLMMFit; level = 0.95) -> Matrix{Float64}

Wald intervals of the fixed effects, `[lower upper]` per row.
"""
function StatsAPI.confint(f::GLMMFit; level::Real = 0.95)
    p = length(f.beta)
    lo, hi = Vector{Float64}(undef, p), Vector{Float64}(undef, p)
    checked(LibGlmmGo.glmmgo_confint, _open(f.handle), Float64(level), lo, hi, Int64(p))
    return hcat(lo, hi)
end

function StatsAPI.coeftable(f::GLMMFit)
    z = f.beta ./ f.se
    p = [erfc(abs(zi) / sqrt(2)) for zi in z]
    return StatsBase.CoefTable(hcat(f.beta, f.se, z, p), ["Coef.", "Std. Error", "z", "Pr(>|z|)"], coefnames(f), 4, 3)
end

# ---- MixedModels.jl-style accessors (not exported where it exports them) ---------------

"""
    GlmmGo.mmdeviance(f::GLMMFit) -> Float64

MixedModels.jl's deviance: the sum of squared deviance residuals + ‖ũ‖² + log|L|²
(for AGQ the same shift of −2 log L), i.e. −2 log L + 2 log f_sat.
"""
mmdeviance(f::GLMMFit) = f.mmdeviance
objective(f::GLMMFit) = f.minus_two_loglik
fixef(f::GLMMFit) = copy(f.beta)
fixefnames(f::GLMMFit) = fixefnames(f.model)
lowerbd(f::GLMMFit) = lowerbd(f.model)
grouplevels(f::GLMMFit) = grouplevels(f.model)
issingular(f::GLMMFit) = f.singular
isconverged(f::GLMMFit) = f.converged
nevals(f::GLMMFit) = sum(f.evals)

function Base.getproperty(f::GLMMFit, s::Symbol)
    s in (:θ, :theta) && return copy(getfield(f, :theta))
    s in (:β, :beta) && return copy(getfield(f, :beta))
    return getfield(f, s)
end

"""
    GlmmGo.ranef(f::GLMMFit; uscale = false) -> Vector{Matrix{Float64}}

The conditional modes per term (model order), k×ℓ each; `uscale = true` gives u.
"""
ranef(f::GLMMFit; uscale::Bool = false) = _per_term_glmm(f, uscale ? f.u : f.b)

function _per_term_glmm(f::GLMMFit, v::Vector{Float64})
    out, offset = Matrix{Float64}[], 0
    for (k, ℓ) in zip(f.model.term_ncols, f.model.term_nlevels)
        push!(out, reshape(v[(offset + 1):(offset + k * ℓ)], k, ℓ))
        offset += k * ℓ
    end
    return out
end

"""
    GlmmGo.condVar(f::GLMMFit) -> Vector{Array{Float64,3}}

The conditional covariances of the random effects at the mode, k×k×ℓ per term.
"""
function condVar(f::GLMMFit)
    out, offset = Array{Float64,3}[], 0
    for (k, ℓ) in zip(f.model.term_ncols, f.model.term_nlevels)
        push!(out, reshape(f.condvar[(offset + 1):(offset + k * k * ℓ)], k, k, ℓ))
        offset += k * k * ℓ
    end
    return out
end

"""
    GlmmGo.VarCorr(f::GLMMFit)

The standard deviations and correlations of the random effects (no residual).
"""
VarCorr(f::GLMMFit) = _varcorr(f.model.reterms, f.model.term_ncols, f.varcorr, NaN)
