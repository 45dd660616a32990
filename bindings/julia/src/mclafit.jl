# MCLA fits: glmm's glmm() (PQL start, importance sampling, trust region, inference)
# on a model, into a fit handle whose results are read when the fit is made.

"""
    MCLAStage

One importance density of an [`MCLAFit`](@ref): its sample size `m`, the effective
sample size `ess` at its estimate, the point `centre` it was built at, its
`estimate` and `mcse`, and whether its maximisation ended against the ESS guard
(`guarded`).
"""
struct MCLAStage
    m::Int
    ess::Float64
    centre::Vector{Float64}
    estimate::Vector{Float64}
    mcse::Vector{Float64}
    guarded::Bool
end

const AUTO_STOPS = (:m_given, :targets_reached, :m_max, :time_max)

"""
    MCLAFit

A GLMM fitted by Monte Carlo likelihood approximation, as the R package glmm fits
it: `fit(MCLAFit, model::MCLAModel; …)` or `fit(MCLAFit, family, y, X, Z, varcomp;
…)`. The parameters are `[β; ν]` with `ν` the variances of the nvc variance
components. Everything is read from the library when the fit is made, except the
u-matrix ([`umatrix`](@ref)) and Σ̃⁻¹ ([`GlmmGo.importance`](@ref)), which are large
and read on request from the fit's handle.
"""
struct MCLAFit <: StatsAPI.RegressionModel
    handle::Handle
    family::Symbol
    n::Int
    p::Int
    q::Int
    nvc::Int
    m::Int
    coefnames::Vector{String}
    vcnames::Vector{String}
    beta::Vector{Float64}
    nu::Vector{Float64}
    loglik::Float64
    gradient::Vector{Float64}
    hessian::Matrix{Float64}
    se::Vector{Float64}
    z::Vector{Float64}
    pvalue::Vector{Float64}
    vcov::Matrix{Float64}
    mcse::Vector{Float64}
    mcvcov::Matrix{Float64}
    hessian_negdef::Bool
    converged::Bool
    convergence::Symbol   # :converged, or why not (see convergence)
    iterations::Int
    evaluations::Int
    ess::Float64
    ess_warning::Bool
    counts::Vector{Int}
    seconds::Vector{Float64}
    used_pql::Bool
    start::Vector{Float64}
    u_star::Vector{Float64}
    d_star::Vector{Float64}
    dispersion::Float64
    dispersion_loglik::Union{Nothing,Float64}     # r estimated: the full log-likelihood at r̂
    dispersion_profile::Union{Nothing,Matrix{Float64}}   # r estimated: k×2, (r, profile log-likelihood)
    mcse_glmm::Vector{Float64}      # glmm's formula H⁻¹VH⁻¹ (mcse(f; method = :glmm))
    mcvcov_glmm::Matrix{Float64}
    jackknife::NamedTuple{(:groups, :effective_groups, :df, :inflation),NTuple{4,Float64}}
    stages::Vector{MCLAStage}       # one per importance density
    final_stage::Int                # the stage (1-based) the results come from
    auto_stop::Symbol               # :m_given, :targets_reached, :m_max, :time_max
    guarded::Bool                   # the maximisation ended against the ESS guard (not converged)
    t_sigma::Bool                   # the t component is t_ζ(u*, Σ̃) (stages > 1)
    samples_kept::Bool              # the samples were held in memory (else redrawn at each evaluation)
    estimator::Symbol               # :blockwise or :joint, the estimator used
    blocks::Int                     # the conditionally independent blocks of the random effects
    joint_ess::Float64              # blockwise: the ESS of the joint weights on the same samples (ess is the smallest block's)
end

const ESTIMATORS = (:auto, :joint, :blockwise)


"""
    fit(MCLAFit, model::MCLAModel; m = 10_000, zeta = 5, p_mix = (1/3, 1/3, 1/3), seed = 0,
        workers = 0, no_pql = false, start = nothing, rinit = 10, rmax = 1000, iterlim = 1000,
        ess_warn = 100, t_at_ustar = false, dispersion_lo = 0, dispersion_hi = 0,
        stages = 5, m_pilot = 10_000, ess_target = 1000, rel_mcse = 0.05, m_max = 10^7,
        time_max = 0, sample_memory = 2^32, estimator = :auto, callback = nothing, cancel = nothing) -> MCLAFit

Fits a GLMM by MCLA with glmm's algorithm and options (defaults: the library's,
which are glmm's): `m` samples from the importance density with t degrees of
freedom `zeta` (centred at u* with `t_at_ustar = true`, else at 0 as in glmm) and
mixture probabilities `p_mix` (glmm's p1, p2, p3), drawn from `seed` (results do not
depend on `workers`); PQL starting values unless `no_pql = true` (glmm's `doPQL =
FALSE`) or `start = [β; ν]` is given; R's trust region with `rinit`, `rmax`,
`iterlim`. A negative binomial model uses its dispersion, or, with `0 <
dispersion_lo < dispersion_hi`, estimates r in that range with (β, ν) by maximising
the profile MCLA log-likelihood (see [`GlmmGo.dispersion`](@ref)).
`callback(iter, loglik, par)` returning `false`, or a [`CancelToken`](@ref), stops
the fit. The model is not changed and may be freed; the fit stays valid.

Stages and the sample size (R's `mcla.control`): up to `stages` importance densities,
each later one built at the best previous stage's estimate and sampled afresh
(`m_pilot` samples each; `stages = 1` is glmm's single density). `m = :auto` grows
the final sample, reusing the blocks drawn, until the effective sample size reaches
`ess_target` and every MCSE is at most `rel_mcse` standard errors, or until `m_max`
samples or `time_max` seconds (0: no limit; a warning names the cap, and
`f.auto_stop` says why m stopped). Samples beyond `sample_memory` bytes are redrawn
at every evaluation (the same results; 0: always, -1: no limit).

`estimator = :joint` is glmm's estimator, one importance-sampling average over all
random effects; `:blockwise` averages over each conditionally independent block of
random effects (one per outermost group of a nested design) with glmm's mixture per
block, which estimates the same likelihood with log-weights of a block's variance
instead of the sum over all blocks (`f.ess` is then the smallest block's, `f.joint_ess`
the joint weights'); `:auto` is blockwise with `m = :auto` on a design of two or more
blocks, joint otherwise (a given `m` keeps glmm's estimator). `f.estimator` and
`f.blocks` record it.
"""
function StatsAPI.fit(::Type{MCLAFit}, model::MCLAModel; m::Union{Nothing,Integer,Symbol} = nothing,
                      zeta::Union{Nothing,Real} = nothing, p_mix = nothing, seed::Union{Nothing,Integer} = nothing,
                      workers::Integer = 0, no_pql::Bool = false, start::Union{Nothing,AbstractVector{<:Real}} = nothing,
                      rinit::Union{Nothing,Real} = nothing, rmax::Union{Nothing,Real} = nothing,
                      iterlim::Union{Nothing,Integer} = nothing, ess_warn::Union{Nothing,Real} = nothing,
                      t_at_ustar::Bool = false, dispersion_lo::Real = 0, dispersion_hi::Real = 0,
                      stages::Union{Nothing,Integer} = nothing, m_pilot::Union{Nothing,Integer} = nothing,
                      ess_target::Union{Nothing,Real} = nothing, rel_mcse::Union{Nothing,Real} = nothing,
                      m_max::Union{Nothing,Integer} = nothing, time_max::Union{Nothing,Real} = nothing,
                      sample_memory::Union{Nothing,Integer} = nothing, estimator::Symbol = :auto,
                      callback = nothing, cancel::Union{Nothing,CancelToken} = nothing,
                      _partials::Union{Nothing,Tuple{Ptr{Cvoid},Ptr{Cvoid}}} = nothing)
    if m isa Symbol
        m === :auto || throw(ArgumentError("m: is :$m; must be a sample size or :auto"))
        m = LibGlmmGo.GLMMGO_M_AUTO
    end
    estimator in ESTIMATORS || throw(ArgumentError("estimator: is :$estimator; must be :auto, :joint or :blockwise"))
    p_mix === nothing || _check_length("p_mix", p_mix, 3)
    start === nothing || _check_length("start", start, npar(model))
    s = start === nothing ? nothing : cvector(start)
    out = Ref{Int64}(0)
    GC.@preserve s begin
        given = (; m, zeta, seed, rinit, rmax, iterlim, ess_warn, stages, m_pilot, ess_target, rel_mcse, m_max,
                 time_max, sample_memory,
                 p_mix = p_mix === nothing ? nothing : NTuple{3,Float64}(p_mix),
                 start = s === nothing ? nothing : pointer(s), start_len = s === nothing ? nothing : length(s),
                 partials = _partials === nothing ? nothing : _partials[1],
                 partials_userdata = _partials === nothing ? nothing : _partials[2])
        opt = _options(LibGlmmGo.glmmgo_mcla_options, LibGlmmGo.glmmgo_mcla_options_default;
                       (k => v for (k, v) in pairs(given) if v !== nothing)...,
                       workers, no_pql = Int32(no_pql), t_at_ustar = Int32(t_at_ustar), dispersion_lo, dispersion_hi,
                       estimator = Int32(findfirst(==(estimator), ESTIMATORS) - 1))
        _with_progress(callback, cancel) do progress, userdata
            checked(LibGlmmGo.glmmgo_mcla_fit, model.handle, opt, progress, userdata, out)
        end
    end
    f = _read_mclafit(Handle(out[], LibGlmmGo.GLMMGO_KIND_MCLA_FIT), model)
    f.auto_stop in (:m_max, :time_max) &&
        @warn "m = :auto stopped at $(f.auto_stop) with m = $(f.m) before reaching its targets (effective sample size $(round(f.ess; digits = 1)), largest MCSE $(round(maximum(f.mcse ./ f.se); sigdigits = 3)) standard errors)"
    return f
end

"""
    fit(MCLAFit, family, y, X, Z, varcomp = ones(Int, size(Z, 2));
        ntrials = nothing, weights = nothing, dispersion = nothing, coefnames, vcnames,
        pool = nothing, pool_timeout = 600, kwargs...)

Makes the [`MCLAModel`](@ref) and fits it with the keyword arguments above. With
`pool = WorkerPool(workers())` (Distributed; `@everywhere using GlmmGo` first) the
Monte Carlo sample lives in the pool's processes: each receives the data once, draws
the blocks of the batches it is given from the fit's seed and answers each
evaluation with their partials, which this process merges in batch order — the
result is the fit without a pool, bit for bit. `workers` is then the threads of
each process. A worker that fails or does not answer within `pool_timeout` seconds
is dropped (its batches are drawn again elsewhere; same result, a warning).
"""
function StatsAPI.fit(::Type{MCLAFit}, family::Symbol, y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real},
                      Z::AbstractMatrix{<:Real}, varcomp::AbstractVector{<:Integer} = ones(Int, size(Z, 2));
                      ntrials = nothing, weights = nothing, dispersion = nothing,
                      coefnames::AbstractVector{<:AbstractString} = ["x$j" for j in 1:size(X, 2)],
                      vcnames::AbstractVector{<:AbstractString} = ["nu$t" for t in 1:maximum(varcomp; init = 0)],
                      pool::Union{Nothing,Distributed.AbstractWorkerPool} = nothing, pool_timeout::Real = 600,
                      kwargs...)
    model = MCLAModel(family, y, X, Z, varcomp; ntrials, weights, dispersion, coefnames, vcnames)
    try
        pool === nothing && return fit(MCLAFit, model; kwargs...)
        data = (; family, y, X, Z, varcomp, ntrials, weights, dispersion)
        return _with_cluster(pool, data, get(kwargs, :workers, 1), pool_timeout) do partials, userdata
            fit(MCLAFit, model; kwargs..., _partials = (partials, userdata))
        end
    finally
        close(model)   # the fit keeps what it needs
    end
end

# Every result of the fit but the large ones, read once.
function _read_mclafit(h::Handle, model::MCLAModel)
    r(code) = result(h, code)
    d = dims(h)
    np = d.p + d.nvc
    square(code) = reshape(r(code), np, np)
    profile = r(LibGlmmGo.GLMMGO_MCLA_DISPERSION_PROFILE)
    loglik = r(LibGlmmGo.GLMMGO_MCLA_DISPERSION_LOGLIK)
    return MCLAFit(h, model.family, d.n, d.p, d.q, d.nvc, d.m, model.coefnames, model.vcnames,
                   r(LibGlmmGo.GLMMGO_MCLA_BETA), r(LibGlmmGo.GLMMGO_MCLA_NU), result1(h, LibGlmmGo.GLMMGO_MCLA_VALUE),
                   r(LibGlmmGo.GLMMGO_MCLA_GRADIENT), square(LibGlmmGo.GLMMGO_MCLA_HESSIAN), r(LibGlmmGo.GLMMGO_MCLA_SE),
                   r(LibGlmmGo.GLMMGO_MCLA_Z), r(LibGlmmGo.GLMMGO_MCLA_PVALUE), square(LibGlmmGo.GLMMGO_MCLA_VCOV),
                   r(LibGlmmGo.GLMMGO_MCLA_MCSE), square(LibGlmmGo.GLMMGO_MCLA_MCVCOV), resultflag(h, LibGlmmGo.GLMMGO_MCLA_HESSIAN_NEGDEF),
                   resultflag(h, LibGlmmGo.GLMMGO_MCLA_CONVERGED), _convergence(result1(h, LibGlmmGo.GLMMGO_MCLA_CONVERGENCE)),
                   result1(h, LibGlmmGo.GLMMGO_MCLA_ITERATIONS),
                   result1(h, LibGlmmGo.GLMMGO_MCLA_EVALUATIONS), result1(h, LibGlmmGo.GLMMGO_MCLA_ESS),
                   resultflag(h, LibGlmmGo.GLMMGO_MCLA_ESS_WARNING), Int.(r(LibGlmmGo.GLMMGO_MCLA_COUNTS)),
                   r(LibGlmmGo.GLMMGO_MCLA_SECONDS), resultflag(h, LibGlmmGo.GLMMGO_MCLA_USED_PQL), r(LibGlmmGo.GLMMGO_MCLA_START),
                   r(LibGlmmGo.GLMMGO_MCLA_U_STAR), r(LibGlmmGo.GLMMGO_MCLA_D_STAR), result1(h, LibGlmmGo.GLMMGO_MCLA_DISPERSION),
                   isempty(loglik) ? nothing : only(loglik),
                   isempty(profile) ? nothing : reshape(profile, :, 2),
                   r(LibGlmmGo.GLMMGO_MCLA_MCSE_GLMM), square(LibGlmmGo.GLMMGO_MCLA_MCVCOV_GLMM),
                   NamedTuple{(:groups, :effective_groups, :df, :inflation)}(Tuple(r(LibGlmmGo.GLMMGO_MCLA_JACKKNIFE))),
                   _stages(result1(h, LibGlmmGo.GLMMGO_MCLA_STAGE_COUNT), np, r(LibGlmmGo.GLMMGO_MCLA_STAGE_M),
                           r(LibGlmmGo.GLMMGO_MCLA_STAGE_ESS), r(LibGlmmGo.GLMMGO_MCLA_STAGE_CENTRE),
                           r(LibGlmmGo.GLMMGO_MCLA_STAGE_PAR), r(LibGlmmGo.GLMMGO_MCLA_STAGE_MCSE),
                           r(LibGlmmGo.GLMMGO_MCLA_STAGE_GUARDED)),
                   result1(h, LibGlmmGo.GLMMGO_MCLA_FINAL_STAGE) + 1,
                   AUTO_STOPS[result1(h, LibGlmmGo.GLMMGO_MCLA_AUTO_STOP) + 1], resultflag(h, LibGlmmGo.GLMMGO_MCLA_GUARDED),
                   resultflag(h, LibGlmmGo.GLMMGO_MCLA_T_SIGMA), resultflag(h, LibGlmmGo.GLMMGO_MCLA_SAMPLES_KEPT),
                   resultflag(h, LibGlmmGo.GLMMGO_MCLA_BLOCKWISE) ? :blockwise : :joint,
                   result1(h, LibGlmmGo.GLMMGO_MCLA_BLOCKS), result1(h, LibGlmmGo.GLMMGO_MCLA_JOINT_ESS))
end

# The k stages of a fit; the library lays each per-stage vector out as a k×d table.
function _stages(k::Integer, np::Int, ms, ess, centre, est, mc, guarded)
    table(v) = reshape(v, k, np)
    c, e, s = table(centre), table(est), table(mc)
    return [MCLAStage(ms[i], ess[i], c[i, :], e[i, :], s[i, :], guarded[i] != 0) for i in 1:k]
end

Base.close(f::MCLAFit) = close(f.handle)

StatsAPI.isfitted(::MCLAFit) = true
StatsAPI.coef(f::MCLAFit) = [f.beta; f.nu]
StatsAPI.coefnames(f::MCLAFit) = [f.coefnames; f.vcnames]

"""
    GlmmGo.fixef(f::MCLAFit) -> Vector{Float64}

The estimates of the fixed effects β.
"""
fixef(f::MCLAFit) = copy(f.beta)

"""
    GlmmGo.varest(f::MCLAFit) -> Vector{Float64}

The estimated variances ν of the variance components.
"""
varest(f::MCLAFit) = copy(f.nu)

"""
    loglikelihood(f::MCLAFit)

The Monte Carlo log-likelihood at the estimate, without normalising constants (as glmm).
"""
StatsAPI.loglikelihood(f::MCLAFit) = f.loglik
StatsAPI.stderror(f::MCLAFit) = copy(f.se)
StatsAPI.vcov(f::MCLAFit) = copy(f.vcov)
StatsAPI.nobs(f::MCLAFit) = f.n
StatsAPI.dof(f::MCLAFit) = f.p + f.nvc
isconverged(f::MCLAFit) = f.converged

const _CONVERGENCE = Dict{Int,Symbol}(
    LibGlmmGo.GLMMGO_CONVERGENCE_OK => :converged,
    LibGlmmGo.GLMMGO_CONVERGENCE_ITERLIM => :iterlim,
    LibGlmmGo.GLMMGO_CONVERGENCE_NOT_FINITE => :not_finite,
    LibGlmmGo.GLMMGO_CONVERGENCE_SCALE => :scale,
    LibGlmmGo.GLMMGO_CONVERGENCE_HESSIAN => :hessian,
    LibGlmmGo.GLMMGO_CONVERGENCE_GRADIENT => :gradient,
)
_convergence(code) = get(_CONVERGENCE, Int(code), :unknown)

"""
    GlmmGo.convergence(f::MCLAFit) -> Symbol

Whether the fit ended at a maximum (`:converged`, and then `isconverged(f)`) or why
not, the first failing check: `:iterlim` (the trust iteration limit), `:not_finite`
(the estimate, log-likelihood or a derivative), `:scale` (a parameter at an absurd
scale: a fixed effect moving the linear predictor by more than 1e4, a variance above
1e8), `:hessian` (the Hessian is not negative definite), `:gradient` (the gradient is
large relative to the information).
"""
convergence(f::MCLAFit) = f.convergence
nsamples(f::MCLAFit) = f.m

"""
    GlmmGo.dispersion(f::MCLAFit) -> Float64

The negative binomial size r the fit used (estimated, or the model's); 0 for the
other families. When r was estimated, `f.dispersion_loglik` is the full
log-likelihood at r̂ (constants included) and `f.dispersion_profile` the k×2 matrix
of the points (r, profile log-likelihood) the search evaluated.
"""
dispersion(f::MCLAFit) = f.dispersion

"""
    mcse(f::MCLAFit; method = :jackknife) -> Vector{Float64}

The Monte Carlo standard errors of the estimates ([`mcvcov`](@ref) is their
covariance): by default the delete-a-group jackknife over the fit's groups of
samples (`f.jackknife` says how many groups, how many effectively carry the
weight, and the degrees of freedom; below five effective groups, a tiny effective
sample size, it is `Inf`); `method = :glmm` gives glmm's formula H⁻¹VH⁻¹, which
understates the error when the effective sample size is small.
"""
mcse(f::MCLAFit; method::Symbol = :jackknife) = copy(_mcmethod(method) ? f.mcse_glmm : f.mcse)
mcvcov(f::MCLAFit; method::Symbol = :jackknife) = copy(_mcmethod(method) ? f.mcvcov_glmm : f.mcvcov)

function _mcmethod(method::Symbol)
    method in (:jackknife, :glmm) || throw(ArgumentError("method: is :$method; must be :jackknife or :glmm"))
    return method === :glmm
end

"""
    set_fit_samples!(model::MCLAModel, f::MCLAFit) -> model

Sets on `model` (of the same data) the importance density and the samples of the
fit `f`, drawn again by the library from the fit's seed (no u-matrix passes
through Julia): [`GlmmGo.objective`](@ref) and [`partial`](@ref) at `coef(f)` then
give the fit's value and each sample's weight. Works for every stage setting,
including the t component t_ζ(u*, Σ̃) that [`set_importance!`](@ref) cannot express.
"""
function set_fit_samples!(model::MCLAModel, f::MCLAFit)
    checked(LibGlmmGo.glmmgo_mcla_set_fit_samples, _open(model.handle), _open(f.handle))
    return model
end

"""
    ess(f::MCLAFit) -> Float64

The effective sample size of the importance weights at the estimate (Kish's).
"""
ess(f::MCLAFit) = f.ess

"""
    confint(f::MCLAFit; level = 0.95) -> Matrix{Float64}

Wald intervals, one row per parameter: `[lower upper]`.
"""
function StatsAPI.confint(f::MCLAFit; level::Real = 0.95)
    d = f.p + f.nvc
    lo, hi = Vector{Float64}(undef, d), Vector{Float64}(undef, d)
    checked(LibGlmmGo.glmmgo_confint, _open(f.handle), Float64(level), lo, hi, Int64(d))
    return hcat(lo, hi)
end

"""
    umatrix(f::MCLAFit; max_bytes = 2^31) -> Matrix{Float64}

The samples of the random effects the fit used, m×q (row k is sample k, glmm's
u-matrix), regenerated by the library from the fit's seed. A matrix of more than
`max_bytes` bytes is refused (an `ArgumentError` saying how many it would need)
before anything is allocated: [`set_fit_samples!`](@ref) gives the library's
objective over the fit's samples without it.
"""
function umatrix(f::MCLAFit; max_bytes::Real = 2^31)
    bytes = 8 * Float64(f.m) * Float64(f.q)
    bytes <= max_bytes ||
        throw(ArgumentError("umatrix: the $(f.m)×$(f.q) u-matrix would need $(round(bytes / 2^30; sigdigits = 3)) GiB, more than max_bytes = $(max_bytes)"))
    return reshape(result(f.handle, LibGlmmGo.GLMMGO_MCLA_UMATRIX), f.m, f.q)
end

"""
    GlmmGo.importance(f::MCLAFit) -> (; u_star, d_star, sigma_inv)

The importance density the fit sampled from: its centre u*, the diagonal of D* and
Σ̃⁻¹ (q×q). A fit whose density factored Σ̃⁻¹ sparse (from q = 200 random effects,
when its Cholesky factor is at most a quarter full) never formed the q×q matrix,
and this throws, saying so. With the fit's `zeta` and `p_mix`, [`set_importance!`](@ref) and
[`set_samples!`](@ref)`(model, umatrix(f))` give a model whose objective at the
estimate is the fit's.
"""
importance(f::MCLAFit) =
    (u_star = copy(f.u_star), d_star = copy(f.d_star),
     sigma_inv = reshape(result(f.handle, LibGlmmGo.GLMMGO_MCLA_SIGMA_INV), f.q, f.q))

function StatsAPI.coeftable(f::MCLAFit)
    return StatsBase.CoefTable(hcat([f.beta; f.nu], f.se, f.z, f.pvalue),
                               ["Estimate", "Std. Error", "z value", "Pr(>|z|)"], coefnames(f), 4, 3)
end
