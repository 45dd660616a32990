# The two-class mixture of logistic random-intercept models: a model handle
# (MixLogitModel) with its exact log-likelihood, and fits (MixLogitFit) by maximum
# likelihood on that log-likelihood or by Monte Carlo EM.

"The parameter names of the mixlogit model, in the library's order."
const MIXLOGIT_PARAMS = ["beta1", "beta2", "sigma1", "sigma2", "pi1"]

"The columns of a mixlogit fit's trace (`GLMMGO_MIXLOGIT_TRACE` in glmmgo.h)."
const MIXLOGIT_TRACE_COLUMNS = ["iter", "beta1", "beta2", "sigma1", "sigma2", "pi1", "loglik", "sample_size",
                                "augmentations", "delta_q", "ase", "lower", "upper", "ess_mean", "ess_min", "seconds"]

const MIXLOGIT_METHODS = Dict{Symbol,Int32}(
    :mcem => LibGlmmGo.GLMMGO_MIXLOGIT_MCEM,
    :quadrature => LibGlmmGo.GLMMGO_MIXLOGIT_QUADRATURE,
)

"""
    MixLogitModel(y::AbstractMatrix, x::AbstractMatrix)

The two-class mixture of logistic random-intercept models for the n×T matrix `y` of
0/1 responses (a row per subject, a column per occasion) and the n×T covariate `x`:
subject i belongs to class c with probability π_c (π₂ = 1 − π₁) and, given its class,
has a random intercept z ~ N(0, σ_c²) and P(y_ij = 1) = logit⁻¹(β_c x_ij + z). The
parameters are `par = [β₁, β₂, σ₁, σ₂, π₁]` (σ_c standard deviations). Fitted
estimates follow the labelling β₁ ≤ β₂: class 1 is the class with the smaller slope.

The library checks the data (0/1 responses, both occurring; finite `x`, not all
zero; n ≥ 10, T ≥ 1) and keeps a copy. Fit it with `fit(MixLogitFit, model; …)`
([`MixLogitFit`](@ref)); [`GlmmGo.objective`](@ref) gives the exact log-likelihood.
"""
mutable struct MixLogitModel
    handle::Handle
    n::Int
    t::Int
end

function MixLogitModel(y::AbstractMatrix{<:Real}, x::AbstractMatrix{<:Real})
    size(x) == size(y) || throw(DimensionMismatch("x is $(size(x, 1))×$(size(x, 2)), y is $(size(y, 1))×$(size(y, 2)): both are n×T"))
    n, t = size(y)
    out = Ref{Int64}(0)
    checked(LibGlmmGo.glmmgo_mixlogit_new, Int64(n), Int64(t), cmatrix(y), cmatrix(x), out)
    return MixLogitModel(Handle(out[], LibGlmmGo.GLMMGO_KIND_MIXLOGIT_MODEL), n, t)
end

Base.close(m::MixLogitModel) = close(m.handle)
StatsAPI.nobs(m::MixLogitModel) = m.n
dims(m::MixLogitModel) = dims(m.handle)

"""
    GlmmGo.objective(m::MixLogitModel, par; workers = 0, gradient = true, hessian = true)
        -> (; value, gradient, hessian)

The exact observed-data log-likelihood at `par = [β₁, β₂, σ₁, σ₂, π₁]` (taken as
given, whatever its labelling), its gradient and its 5×5 Hessian (`nothing` when not
asked for). A `par` outside the parameter space (σ_c ≤ 0, π₁ ∉ (0, 1)) throws a
`GlmmGoError` with status `:domain`. The result does not depend on `workers`.
"""
function objective(m::MixLogitModel, par::AbstractVector{<:Real}; workers::Integer = 0, gradient::Bool = true,
                   hessian::Bool = true)
    _check_length("par", par, 5)
    value = Ref{Float64}(NaN)
    g = gradient ? Vector{Float64}(undef, 5) : nothing
    H = hessian ? Matrix{Float64}(undef, 5, 5) : nothing
    checked(LibGlmmGo.glmmgo_mixlogit_objective, m.handle, cvector(par), Int64(5), Int32(workers), value,
            coptional(g), coptional(H))
    return (value = value[], gradient = g, hessian = H)
end

"""
    MixLogitFit

A fit of a [`MixLogitModel`](@ref): `fit(MixLogitFit, model; …)` or
`fit(MixLogitFit, y, x; …)`. Its coefficients are `[β₁, β₂, σ₁, σ₂, π₁]` under the
labelling β₁ ≤ β₂. Everything is read from the library when the fit is made: `loglik`
(the exact log-likelihood at the estimate, whichever method found it), `gradient`,
`posterior` (n×2: P(class c | yᵢ)), `converged`, `iterations`, `start`, `trace`
(one row per iteration, columns [`GlmmGo.MIXLOGIT_TRACE_COLUMNS`](@ref)), `seconds`
(start, fit, E-steps, M-steps, inference, total) and, for MCEM, `mcse`, `mcvcov`,
`loglik_mc` and `loglik_mcse` (the importance-sampling log-likelihood and its Monte
Carlo error), `sample_size`, `total_draws`, `newton_steps`, `final_rounds`,
`score_test` and `ess` (mean and smallest relative effective sample size); NaN or 0
for the quadrature fit.
"""
struct MixLogitFit <: StatsAPI.StatisticalModel
    handle::Handle
    n::Int
    t::Int
    method::Symbol
    estimate::Vector{Float64}
    se::Vector{Float64}
    vcov::Matrix{Float64}
    info_posdef::Bool
    loglik::Float64
    gradient::Vector{Float64}
    posterior::Matrix{Float64}
    converged::Bool
    iterations::Int
    start::Vector{Float64}
    mcse::Vector{Float64}
    mcvcov::Matrix{Float64}
    loglik_mc::Float64
    loglik_mcse::Float64
    sample_size::Int
    total_draws::Int
    newton_steps::Int
    final_rounds::Int
    score_test::Float64
    ess::Vector{Float64}
    trace::Matrix{Float64}
    seconds::Vector{Float64}
end

"""
    fit(MixLogitFit, model::MixLogitModel; method = :mcem, seed = 0, workers = 0, start = nothing,
        max_iter = 200, initial_samples = 50, max_samples = 5000, alpha = 0.25, beta = 0.25,
        gamma = 0.1, augment_divisor = 3, tol = 0.01, df = 10, callback = nothing, cancel = nothing)
        -> MixLogitFit

Fits the model by `method`: `:quadrature` maximises the exact log-likelihood (a
trust-region method; standard errors from the observed information), `:mcem` runs
ascent-based Monte Carlo EM (Caffo, Jank and Jones 2005) with importance sampling,
exact M-steps and Louis' standard errors, drawing from `seed`. `start` is
`[β₁, β₂, σ₁, σ₂, π₁]` (default: from each subject's own logistic regression). The
other keywords are MCEM's controls (`max_iter` also bounds the trust-region
iterations); `nothing` keeps the library's default, shown above. Results do not
depend on `workers`. `callback(iter, value, par)` is called after every iteration
(MCEM: the Monte Carlo increase of the Q-function; quadrature: the log-likelihood);
returning `false`, or a [`CancelToken`](@ref), stops the fit. The model is not
changed and may be closed; the fit stays valid.
"""
function StatsAPI.fit(::Type{MixLogitFit}, model::MixLogitModel; method::Symbol = :mcem,
                      seed::Union{Nothing,Integer} = nothing, workers::Integer = 0,
                      start::Union{Nothing,AbstractVector{<:Real}} = nothing,
                      max_iter::Union{Nothing,Integer} = nothing, initial_samples::Union{Nothing,Integer} = nothing,
                      max_samples::Union{Nothing,Integer} = nothing, alpha::Union{Nothing,Real} = nothing,
                      beta::Union{Nothing,Real} = nothing, gamma::Union{Nothing,Real} = nothing,
                      augment_divisor::Union{Nothing,Real} = nothing, tol::Union{Nothing,Real} = nothing,
                      df::Union{Nothing,Real} = nothing, callback = nothing, cancel::Union{Nothing,CancelToken} = nothing)
    haskey(MIXLOGIT_METHODS, method) || throw(ArgumentError("method must be :mcem or :quadrature, got $(repr(method))"))
    start === nothing || _check_length("start", start, 5)
    s = start === nothing ? nothing : cvector(start)
    out = Ref{Int64}(0)
    GC.@preserve s begin
        given = (; seed, max_iter, initial_samples, max_samples, alpha, beta, gamma, augment_divisor, tol, df,
                 start = s === nothing ? nothing : pointer(s), start_len = s === nothing ? nothing : length(s))
        opt = _options(LibGlmmGo.glmmgo_mixlogit_options, LibGlmmGo.glmmgo_mixlogit_options_default;
                       (k => v for (k, v) in pairs(given) if v !== nothing)...,
                       method = MIXLOGIT_METHODS[method], workers)
        _with_progress(callback, cancel) do progress, userdata
            checked(LibGlmmGo.glmmgo_mixlogit_fit, model.handle, opt, progress, userdata, out)
        end
    end
    return _read_mixlogitfit(Handle(out[], LibGlmmGo.GLMMGO_KIND_MIXLOGIT_FIT))
end

"""
    fit(MixLogitFit, y::AbstractMatrix, x::AbstractMatrix; kwargs...) -> MixLogitFit

Makes the [`MixLogitModel`](@ref) and fits it with the keyword arguments above.
"""
function StatsAPI.fit(::Type{MixLogitFit}, y::AbstractMatrix{<:Real}, x::AbstractMatrix{<:Real}; kwargs...)
    model = MixLogitModel(y, x)
    try
        return fit(MixLogitFit, model; kwargs...)
    finally
        close(model)   # the fit keeps what it reports
    end
end

# Every result of the fit, read once.
function _read_mixlogitfit(h::Handle)
    r(code) = result(h, code)
    d = dims(h)
    square(code) = reshape(r(code), 5, 5)
    ncol = result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_TRACE_COLUMNS)
    ncol == length(MIXLOGIT_TRACE_COLUMNS) ||
        error("the library's mixlogit trace has $ncol columns, GlmmGo knows $(length(MIXLOGIT_TRACE_COLUMNS))")
    method = result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_METHOD) == LibGlmmGo.GLMMGO_MIXLOGIT_MCEM ? :mcem : :quadrature
    return MixLogitFit(h, d.n, d.t, method, r(LibGlmmGo.GLMMGO_MIXLOGIT_ESTIMATE), r(LibGlmmGo.GLMMGO_MIXLOGIT_SE),
                       square(LibGlmmGo.GLMMGO_MIXLOGIT_VCOV), resultflag(h, LibGlmmGo.GLMMGO_MIXLOGIT_INFO_POSDEF),
                       result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_LOGLIK), r(LibGlmmGo.GLMMGO_MIXLOGIT_GRADIENT),
                       reshape(r(LibGlmmGo.GLMMGO_MIXLOGIT_POSTERIOR), d.n, 2),
                       resultflag(h, LibGlmmGo.GLMMGO_MIXLOGIT_CONVERGED), result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_ITERATIONS),
                       r(LibGlmmGo.GLMMGO_MIXLOGIT_START), r(LibGlmmGo.GLMMGO_MIXLOGIT_MCSE),
                       square(LibGlmmGo.GLMMGO_MIXLOGIT_MCVCOV), result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_LOGLIK_MC),
                       result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_LOGLIK_MCSE), result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_SAMPLE_SIZE),
                       result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_TOTAL_DRAWS), result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_NEWTON_STEPS),
                       result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_FINAL_ROUNDS), result1(h, LibGlmmGo.GLMMGO_MIXLOGIT_SCORE_TEST),
                       r(LibGlmmGo.GLMMGO_MIXLOGIT_ESS), reshape(r(LibGlmmGo.GLMMGO_MIXLOGIT_TRACE), :, ncol),
                       r(LibGlmmGo.GLMMGO_MIXLOGIT_SECONDS))
end

Base.close(f::MixLogitFit) = close(f.handle)

StatsAPI.isfitted(::MixLogitFit) = true
StatsAPI.coef(f::MixLogitFit) = copy(f.estimate)
StatsAPI.coefnames(::MixLogitFit) = copy(MIXLOGIT_PARAMS)
StatsAPI.stderror(f::MixLogitFit) = copy(f.se)
StatsAPI.vcov(f::MixLogitFit) = copy(f.vcov)

"""
    loglikelihood(f::MixLogitFit)

The exact log-likelihood at the estimate, whichever method found it.
"""
StatsAPI.loglikelihood(f::MixLogitFit) = f.loglik

"""
    nobs(f::MixLogitFit) -> Int

The number of subjects, the independent units of the likelihood (each observed on
T occasions).
"""
StatsAPI.nobs(f::MixLogitFit) = f.n
StatsAPI.dof(::MixLogitFit) = 5
isconverged(f::MixLogitFit) = f.converged
mcse(f::MixLogitFit) = copy(f.mcse)
mcvcov(f::MixLogitFit) = copy(f.mcvcov)

"""
    posterior(f::MixLogitFit) -> Matrix{Float64}

The posterior class probabilities P(class c | yᵢ) at the estimate, exact: n×2, a row
per subject.
"""
posterior(f::MixLogitFit) = copy(f.posterior)

"""
    confint(f::MixLogitFit; level = 0.95) -> Matrix{Float64}

Wald intervals estimate ∓ z·SE on the scale of the parameters, one row per parameter:
`[lower upper]`.
"""
function StatsAPI.confint(f::MixLogitFit; level::Real = 0.95)
    lo, hi = Vector{Float64}(undef, 5), Vector{Float64}(undef, 5)
    checked(LibGlmmGo.glmmgo_confint, _open(f.handle), Float64(level), lo, hi, Int64(5))
    return hcat(lo, hi)
end

"""
    coeftable(f::MixLogitFit)

Estimates, standard errors, z values (a test of zero, meaningful for the slopes) and,
for MCEM, Monte Carlo standard errors.
"""
function StatsAPI.coeftable(f::MixLogitFit)
    cols = [f.estimate, f.se, f.estimate ./ f.se]
    names = ["Estimate", "Std. Error", "z value"]
    if f.method === :mcem
        push!(cols, f.mcse)
        push!(names, "MCSE")
    end
    return StatsBase.CoefTable(reduce(hcat, cols), names, coefnames(f), 0, 3)
end
