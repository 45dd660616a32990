# MCLA fits: glmm's glmm() (PQL start, importance sampling, trust region, inference).

"""
    MCLAFit

A GLMM fitted by Monte Carlo likelihood approximation, as the R package glmm fits
it. Create it with `fit(MCLAFit, family, y, X, Z, varcomp; kwargs...)`; the
parameters are `[β; ν]` with `ν` the variances of the T variance components.
"""
mutable struct MCLAFit <: StatsAPI.RegressionModel
    handle::Handle
    family::Symbol
    n::Int
    p::Int
    q::Int
    nvc::Int
    coefnames::Vector{String}
    vcnames::Vector{String}
    result::Any   # nothing, or the NamedTuple read after a successful run
end

"""
    fit(MCLAFit, family, y, X, Z, varcomp = ones(Int, size(Z, 2));
        ntrials = nothing, weights = nothing, dispersion = 0,
        m = 10_000, zeta = 5, p_mix = (1/3, 1/3, 1/3), seed = 0, workers = 0,
        pql = true, par_init = nothing, rinit = 10, rmax = 1000, iterlim = 1000,
        ess_warn = 100, coefnames, vcnames, callback = nothing, cancel = nothing)

Fits a GLMM by MCLA with glmm's algorithm and options: `m` samples from the
importance density with t degrees of freedom `zeta` and mixture probabilities
`p_mix` (glmm's p1, p2, p3), drawn from `seed` (results do not depend on `workers`);
PQL starting values unless `pql = false` (glmm's `doPQL`) or `par_init` is given;
R's trust region with `rinit`, `rmax`, `iterlim`. `family` is `:bernoulli`,
`:poisson`, `:binomial` or `:negbinomial` (with the known size `dispersion`).
`callback(iter, loglik, par)` returning `false` or a [`CancelToken`](@ref) stops the fit.
"""
function StatsAPI.fit(::Type{MCLAFit}, family::Symbol, y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real},
                      Z::AbstractMatrix{<:Real}, varcomp::AbstractVector{<:Integer} = ones(Int, size(Z, 2));
                      ntrials = nothing, weights = nothing, dispersion::Real = 0,
                      coefnames::AbstractVector{<:AbstractString} = ["x$j" for j in 1:size(X, 2)],
                      vcnames::AbstractVector{<:AbstractString} = ["nu$t" for t in 1:maximum(varcomp; init = 0)],
                      kwargs...)
    a = _mcla_args(family, y, X, Z, varcomp, ntrials, weights, coefnames, vcnames)
    n, p, q, nvc = a.n, a.p, a.q, a.nvc
    out = Ref{Int64}(0)
    checked(LibGlmmGo.glmmgo_mclafit_new, a.args..., Float64(dispersion), out)
    f = MCLAFit(Handle(out[], :mclafit), family, n, p, q, nvc, String.(coefnames), String.(vcnames), nothing)
    return fit!(f; kwargs...)
end

"""
    fit!(f::MCLAFit; m, zeta, p_mix, seed, workers, pql, par_init, rinit, rmax, iterlim,
         ess_warn, t_at_ustar, callback, cancel) -> f

Runs (or reruns) the fit with the given options; unspecified options take the
library's defaults (those of glmm). `t_at_ustar = true` centres the t component of
the importance density at u* instead of glmm's 0. A failed or stopped run throws and
leaves no result.
"""
function StatsAPI.fit!(f::MCLAFit; kwargs...)
    return _run!(f; kwargs...) do opt, progress, state
        checked(LibGlmmGo.glmmgo_mclafit_run, f.handle, opt, progress, state)
    end
end

"""
    fit_dispersion!(f::MCLAFit, r_lo, r_hi; kwargs...) -> (f, r̂, loglik)

Negative binomial only: estimates the dispersion `r` in `[r_lo, r_hi]` together with
(β, ν) by maximising the profile MCLA log-likelihood (golden-section search on log r
to 1%), as `glmmgo_mclafit_run_dispersion` documents. The fit `f` then describes the
model at `r̂`; its standard errors are conditional on `r̂`. Keyword arguments are
those of [`fit!`](@ref).
"""
function fit_dispersion!(f::MCLAFit, r_lo::Real, r_hi::Real; kwargs...)
    r_hat, loglik = Ref{Float64}(NaN), Ref{Float64}(NaN)
    _run!(f; kwargs...) do opt, progress, state
        checked(LibGlmmGo.glmmgo_mclafit_run_dispersion, f.handle, opt, Float64(r_lo), Float64(r_hi),
                progress, state, r_hat, loglik)
    end
    return f, r_hat[], loglik[]
end

# _run! builds the options struct from keyword arguments over the library's
# defaults and calls `run(opt, progress, state)` with the progress callback.
function _run!(run, f::MCLAFit; m::Union{Nothing,Integer} = nothing, zeta::Union{Nothing,Real} = nothing,
               p_mix = nothing, seed::Union{Nothing,Integer} = nothing, workers::Union{Nothing,Integer} = nothing,
               pql::Bool = true, par_init::Union{Nothing,AbstractVector{<:Real}} = nothing,
               rinit::Union{Nothing,Real} = nothing, rmax::Union{Nothing,Real} = nothing,
               iterlim::Union{Nothing,Integer} = nothing, ess_warn::Union{Nothing,Real} = nothing,
               t_at_ustar::Bool = false, callback = nothing, cancel::Union{Nothing,CancelToken} = nothing)
    defaults = Ref{LibGlmmGo.glmmgo_mclafit_options}()
    LibGlmmGo.glmmgo_mclafit_options_default(defaults)
    d = defaults[]
    p_mix === nothing || _check_length("p_mix", p_mix, 3)
    par_init === nothing || _check_length("par_init", par_init, f.p + f.nvc)
    init = par_init === nothing ? nothing : cvector(par_init)
    state = _Progress(callback, cancel, nothing)
    progress = @cfunction(_progress_callback, Cint, (Ptr{Cvoid}, Int64, Float64, Ptr{Float64}, Int64))
    try
        GC.@preserve init state begin
            opt = LibGlmmGo.glmmgo_mclafit_options(
                m === nothing ? d.m : Int64(m),
                p_mix === nothing ? d.p_mix : NTuple{3,Float64}(p_mix),
                zeta === nothing ? d.zeta : Float64(zeta),
                seed === nothing ? d.seed : UInt64(seed),
                workers === nothing ? d.workers : Int32(workers),
                pql ? d.no_pql : Int32(1),
                rinit === nothing ? d.rinit : Float64(rinit),
                rmax === nothing ? d.rmax : Float64(rmax),
                iterlim === nothing ? d.iterlim : Int64(iterlim),
                init === nothing ? Ptr{Float64}(C_NULL) : pointer(init),
                ess_warn === nothing ? d.ess_warn : Float64(ess_warn),
                t_at_ustar ? Int32(1) : d.t_at_ustar)
            run(Ref(opt), progress, pointer_from_objref(state))
        end
    catch e
        f.result = nothing
        captured = state.exception
        captured === nothing && rethrow()
        captured.ex isa InterruptException ? throw(captured.ex) : throw(captured)
    end
    f.result = _read_mclafit(f)
    return f
end

function _read_mclafit(f::MCLAFit)
    h, p, nvc, d = f.handle, f.p, f.nvc, f.p + f.nvc
    pr, nvcr, qr, mr = (Ref{Int64}(0) for _ in 1:4)
    checked(LibGlmmGo.glmmgo_mclafit_dims, h, pr, nvcr, qr, mr)
    β, ν, value = Vector{Float64}(undef, p), Vector{Float64}(undef, nvc), Ref{Float64}(NaN)
    g, H = Vector{Float64}(undef, d), Matrix{Float64}(undef, d, d)
    checked(LibGlmmGo.glmmgo_mclafit_estimates, h, p == 0 ? C_NULL : β, ν, value, g, H)
    conv, iters, evals, ess, warn = Ref{Int32}(0), Ref{Int64}(0), Ref{Int64}(0), Ref{Float64}(NaN), Ref{Int32}(0)
    counts, seconds = Vector{Int64}(undef, 3), Vector{Float64}(undef, 4)
    checked(LibGlmmGo.glmmgo_mclafit_convergence, h, conv, iters, evals, ess, warn, counts, seconds)
    se, z, pv, mcse = (Vector{Float64}(undef, d) for _ in 1:4)
    V, mcV = Matrix{Float64}(undef, d, d), Matrix{Float64}(undef, d, d)
    checked(LibGlmmGo.glmmgo_mclafit_inference, h, se, z, pv, V, mcse, mcV)
    used, start, ustar, dstar = Ref{Int32}(0), Vector{Float64}(undef, d), Vector{Float64}(undef, f.q), Vector{Float64}(undef, f.q)
    checked(LibGlmmGo.glmmgo_mclafit_start, h, used, start, ustar, dstar)
    return (m = Int(mr[]), beta = β, nu = ν, loglik = value[], gradient = g, hessian = H,
            converged = conv[] != 0, iterations = Int(iters[]), evaluations = Int(evals[]), ess = ess[],
            ess_warning = warn[] != 0, counts = counts, seconds = seconds, se = se, z = z, pvalue = pv,
            vcov = V, mcse = mcse, mcvcov = mcV, used_pql = used[] != 0, par_init = start,
            u_star = ustar, d_star = dstar)
end

function _result(f::MCLAFit)
    f.result === nothing && throw(ArgumentError("the model has no successful fit: call fit!(f)"))
    return f.result
end

Base.close(f::MCLAFit) = close(f.handle)

StatsAPI.isfitted(f::MCLAFit) = f.result !== nothing
StatsAPI.coef(f::MCLAFit) = [_result(f).beta; _result(f).nu]
StatsAPI.coefnames(f::MCLAFit) = [f.coefnames; f.vcnames]
fixef(f::MCLAFit) = copy(_result(f).beta)

"""
    varest(f::MCLAFit) -> Vector{Float64}

The estimated variances ν of the variance components.
"""
varest(f::MCLAFit) = copy(_result(f).nu)

"""
    loglikelihood(f::MCLAFit)

The Monte Carlo log-likelihood at the estimate, without normalising constants (as glmm).
"""
StatsAPI.loglikelihood(f::MCLAFit) = _result(f).loglik
StatsAPI.stderror(f::MCLAFit) = copy(_result(f).se)
StatsAPI.vcov(f::MCLAFit) = copy(_result(f).vcov)
StatsAPI.nobs(f::MCLAFit) = f.n
StatsAPI.dof(f::MCLAFit) = f.p + f.nvc
isconverged(f::MCLAFit) = _result(f).converged
nsamples(f::MCLAFit) = _result(f).m

"""
    mcse(f::MCLAFit) -> Vector{Float64}

glmm's Monte Carlo standard errors of the estimates ([`mcvcov`](@ref) is their covariance).
"""
mcse(f::MCLAFit) = copy(_result(f).mcse)
mcvcov(f::MCLAFit) = copy(_result(f).mcvcov)

"""
    ess(f::MCLAFit) -> Float64

The effective sample size of the importance weights at the estimate (Kish's).
"""
ess(f::MCLAFit) = _result(f).ess

"""
    confint(f::MCLAFit; level = 0.95) -> Matrix{Float64}

Wald intervals, one row per parameter: `[lower upper]`.
"""
function StatsAPI.confint(f::MCLAFit; level::Real = 0.95)
    _result(f)
    d = f.p + f.nvc
    lo, hi = Vector{Float64}(undef, d), Vector{Float64}(undef, d)
    checked(LibGlmmGo.glmmgo_mclafit_confint, f.handle, Float64(level), lo, hi)
    return hcat(lo, hi)
end

"""
    umatrix(f::MCLAFit) -> Matrix{Float64}

The samples of the random effects the fit used, m×q (row k is sample k, glmm's u-matrix).
"""
function umatrix(f::MCLAFit)
    r = _result(f)
    U = Matrix{Float64}(undef, r.m, f.q)
    checked(LibGlmmGo.glmmgo_mclafit_umatrix, f.handle, U, Int64(length(U)))
    return U
end

function StatsAPI.coeftable(f::MCLAFit)
    r = _result(f)
    return StatsBase.CoefTable(hcat([r.beta; r.nu], r.se, r.z, r.pvalue),
                               ["Estimate", "Std. Error", "z value", "Pr(>|z|)"], coefnames(f), 4, 3)
end

function Base.show(io::IO, ::MIME"text/plain", f::MCLAFit)
    println(io, "GLMM (", f.family, " family) fit by Monte Carlo likelihood approximation")
    if !isfitted(f)
        print(io, " not fitted")
        return
    end
    r = _result(f)
    println(io, " samples: ", r.m, " (", join(r.counts, " + "), "); effective sample size ", _fmt(r.ess, 1),
            r.ess_warning ? " (low)" : "")
    println(io, " Monte Carlo log-likelihood (no constants): ", _fmt(r.loglik))
    println(io, " trust region: ", r.iterations, " iterations", r.converged ? ", converged" : ", NOT converged",
            r.used_pql ? "; PQL start" : "")
    println(io)
    println(io, "  Fixed effects and variance components (ν: one-sided p-values):")
    show(io, coeftable(f))
end
