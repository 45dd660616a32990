# Linear mixed models: the profiled deviance and fits of lme4/MixedModels.jl, computed
# by libglmmgo.

"""
    LmmFit

What a fit of a [`LinearMixedModel`](@ref) left in the library, read once after
the fit: the criterion, likelihood summaries, σ, convergence flags and the estimates.
θ, `b` and `u` are in model order (terms by decreasing number of levels).
"""
struct LmmFit
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
    b::Vector{Float64}
    u::Vector{Float64}
end

"""
    LinearMixedModel(y, X, reterms; weights = nothing, fixefnames, responsename = "y")

A linear mixed model `y = Xβ + Σ Z_t b_t + ε` held by libglmmgo. `y` is the
response, `X` the n×p fixed-effects matrix (include a column of ones for an
intercept), `reterms` a vector of [`ReTerm`](@ref)s (or a single one), `weights`
optional positive observation weights. Aliased columns of `X` are dropped, as lme4
does (see [`fixefnames`](@ref)). The terms are put in decreasing order of their
number of levels ("model order"); θ, [`ranef`](@ref) and [`VarCorr`](@ref) use
that order.

Fit it with [`fit!`](@ref), or construct and fit at once with
`fit(LinearMixedModel, y, X, reterms; REML = false)`. With StatsModels loaded,
`fit(LinearMixedModel, @formula(y ~ 1 + x + (1 + x | g)), data)` also works.
"""
mutable struct LinearMixedModel <: StatsAPI.RegressionModel
    handle::Handle
    y::Vector{Float64}
    X::Matrix{Float64}
    weights::Union{Nothing,Vector{Float64}}
    reterms::Vector{ReTerm}        # model order
    input_position::Vector{Int}    # input_position[t]: where model-order term t was in the input
    xnames::Vector{String}         # names of all columns of X given
    kept::Vector{Int}              # 1-based columns of X kept
    responsename::String
    formula::String
    lower::Vector{Float64}
    q::Int
    fit::Union{Nothing,LmmFit}
    condvar::Union{Nothing,Vector{Array{Float64,3}}}
end

function LinearMixedModel(y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real}, reterms::AbstractVector{ReTerm};
                          weights::Union{Nothing,AbstractVector{<:Real}} = nothing,
                          fixefnames::AbstractVector{<:AbstractString} = _default_xnames(X),
                          responsename::AbstractString = "y",
                          formula::Union{Nothing,AbstractString} = nothing)
    n = length(y)
    Xc = cmatrix(X)
    size(Xc, 1) == n || throw(DimensionMismatch("X has $(size(Xc, 1)) rows, y has $n elements"))
    isempty(reterms) && throw(ArgumentError("a linear mixed model needs at least one random-effects term"))
    for t in reterms
        nobs_term(t) == n || throw(DimensionMismatch("term $(t.name) has $(nobs_term(t)) observations, y has $n"))
    end
    _check_length("fixefnames", fixefnames, size(Xc, 2))
    weights === nothing || _check_length("weights", weights, n)
    nterms = length(reterms)
    # codes: column t is term t's 0-based level codes; z: the terms' matrices one after another.
    codes = Matrix{Int64}(undef, n, nterms)
    for (t, term) in enumerate(reterms)
        codes[:, t] .= to_c_indices(term.codes)
    end
    z = reduce(vcat, (vec(term.z) for term in reterms))
    out = Ref{Int64}(0)
    yc = cvector(y)
    wc = weights === nothing ? nothing : cvector(weights)
    p = size(Xc, 2)
    checked(LibGlmmGo.glmmgo_lmm_new, Int64(n), Int64(p), yc, p == 0 ? C_NULL : Xc, coptional(wc),
            Int64(nterms), Int64[nlevels(t) for t in reterms], Int64[ncols(t) for t in reterms], codes, z, out)
    handle = Handle(out[], :lmm)
    d = _lmm_dims(handle)
    order = Vector{Int64}(undef, d.nterms)
    checked(LibGlmmGo.glmmgo_lmm_term_order, handle, order, Int64(d.nterms))
    position = from_c_indices(order)
    kept0 = Vector{Int64}(undef, d.p)
    checked(LibGlmmGo.glmmgo_lmm_kept_columns, handle, kept0, Int64(d.p))
    kept = from_c_indices(kept0)
    lower = Vector{Float64}(undef, d.ntheta)
    checked(LibGlmmGo.glmmgo_lmm_lower, handle, lower, Int64(d.ntheta))
    if length(kept) < p
        dropped = setdiff(1:p, kept)
        @warn "Fixed-effects matrix is rank deficient: dropped the aliased column(s) $(join(fixefnames[dropped], ", "))"
    end
    sorted = collect(reterms[position])
    fstring = formula === nothing ? _describe_formula(responsename, fixefnames, sorted) : String(formula)
    # Keep copies of what the caller still owns (the library keeps its own).
    return LinearMixedModel(handle, copy(yc), Xc === X ? copy(Xc) : Xc, wc === nothing ? nothing : copy(wc), sorted, position,
                            String.(fixefnames), kept, String(responsename), fstring, lower, Int(d.q),
                            nothing, nothing)
end

LinearMixedModel(y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real}, reterm::ReTerm; kwargs...) =
    LinearMixedModel(y, X, [reterm]; kwargs...)

_default_xnames(X::AbstractMatrix) = size(X, 2) ≥ 1 && all(isone, view(X, :, 1)) ?
    ["(Intercept)"; ["x$j" for j in 2:size(X, 2)]] : ["x$j" for j in 1:size(X, 2)]
_default_xnames(X::AbstractVector) = _default_xnames(reshape(X, :, 1))

function _describe_formula(response, xnames, reterms)
    fixed = isempty(xnames) ? "0" : join([x == "(Intercept)" ? "1" : x for x in xnames], " + ")
    random = ["(" * join([c == "(Intercept)" ? "1" : c for c in t.cnames], " + ") * " | " * t.name * ")" for t in reterms]
    return string(response, " ~ ", join([fixed; random], " + "))
end

function _lmm_dims(h::Handle)
    n, p, pg, nt, q, nterms = (Ref{Int64}(0) for _ in 1:6)
    checked(LibGlmmGo.glmmgo_lmm_dims, h, n, p, pg, nt, q, nterms)
    return (n = Int(n[]), p = Int(p[]), p_given = Int(pg[]), ntheta = Int(nt[]), q = Int(q[]), nterms = Int(nterms[]))
end

Base.close(m::LinearMixedModel) = close(m.handle)

"""
    dims(m::LinearMixedModel) -> (; n, p, p_given, ntheta, q, nterms)

The dimensions as the library reports them: `p` counts the columns of X kept.
"""
dims(m::LinearMixedModel) = _lmm_dims(m.handle)

# ---- the objective -------------------------------------------------------------------

"""
    objective(m::LinearMixedModel, θ; REML = false) -> Float64

The profiled ML deviance (or, with `REML = true`, the REML criterion) at `θ`
(model order; see [`lowerbd`](@ref)), without fitting. A negative diagonal element
of θ throws a `GlmmGoError` with status `:domain`.
"""
function objective(m::LinearMixedModel, θ::AbstractVector{<:Real}; REML::Bool = false)
    _check_length("θ", θ, length(m.lower))
    value = Ref{Float64}(NaN)
    checked(LibGlmmGo.glmmgo_lmm_objective, m.handle, cvector(θ), Int32(REML), value)
    return value[]
end

"""
    lowerbd(m::LinearMixedModel) -> Vector{Float64}

The lower bounds of θ: 0 for the diagonal elements of each term's template, `-Inf` otherwise.
"""
lowerbd(m::LinearMixedModel) = copy(m.lower)

# ---- fitting, progress and cancellation ----------------------------------------------

"""
    CancelToken()

Cancels a running [`fit!`](@ref) from another task or thread: pass it as
`fit!(m; cancel = token)` and call [`cancel!`](@ref)`(token)`. The library checks
it after every evaluation of the criterion, on the fitting thread; the fit then
throws a `GlmmGoError` with status `:cancelled` and keeps no result.
"""
struct CancelToken
    flag::Threads.Atomic{Bool}
end
CancelToken() = CancelToken(Threads.Atomic{Bool}(false))

"""
    cancel!(token::CancelToken)

Asks the fit watching `token` to stop at its next evaluation.
"""
cancel!(t::CancelToken) = (t.flag[] = true; t)
iscancelled(t::CancelToken) = t.flag[]

# State the C progress callback sees through its userdata pointer.
mutable struct _Progress
    callback::Any                      # nothing, or f(iter, objective, θ)
    cancel::Union{Nothing,CancelToken}
    exception::Any                     # an exception thrown in the callback, rethrown after the call
end

# Called by the library on the thread running the fit, between evaluations. It must
# not let a Julia exception unwind through the library's frames: anything thrown
# (including an InterruptException from Ctrl-C) is stored and the fit is cancelled.
function _progress_callback(userdata::Ptr{Cvoid}, iter::Int64, objective::Float64, par::Ptr{Float64}, npar::Int64)::Cint
    state = unsafe_pointer_to_objref(userdata)::_Progress
    try
        state.cancel !== nothing && iscancelled(state.cancel) && return Cint(1)
        if state.callback !== nothing
            θ = copy(unsafe_wrap(Array, par, Int(npar)))   # par is valid only during the call
            state.callback(Int(iter), objective, θ) === false && return Cint(1)
        end
        return Cint(0)
    catch e
        state.exception = CapturedException(e, catch_backtrace())
        return Cint(1)
    end
end

"""
    fit!(m::LinearMixedModel; REML = false, θ0 = nothing, rhobeg = 0, rhoend = 0, maxfeval = 0,
         callback = nothing, cancel = nothing) -> m

Fits the model by maximum likelihood (or REML) with the library's bounded
derivative-free optimiser. `θ0` is the start in model order (default: lme4's, 1 on
diagonals and 0 elsewhere); `rhobeg`, `rhoend` the optimiser's initial and final
trust-region radii and `maxfeval` its evaluation budget (0: the library's defaults
0.2, 3e-5 and 10000). Running out of evaluations is not an error; see
[`isconverged`](@ref).

`callback(iter, objective, θ)` is called after every evaluation on the fitting
thread; returning `false` stops the fit. `cancel` is a [`CancelToken`](@ref). A
stopped fit, or one interrupted with Ctrl-C, throws (a `GlmmGoError` with status
`:cancelled`, or the callback's exception) and leaves the model as it was.
"""
function StatsAPI.fit!(m::LinearMixedModel; REML::Bool = false,
                       θ0::Union{Nothing,AbstractVector{<:Real}} = nothing,
                       rhobeg::Real = 0, rhoend::Real = 0, maxfeval::Integer = 0,
                       callback = nothing, cancel::Union{Nothing,CancelToken} = nothing)
    θ0 === nothing || _check_length("θ0", θ0, length(m.lower))
    state = _Progress(callback, cancel, nothing)
    progress = @cfunction(_progress_callback, Cint, (Ptr{Cvoid}, Int64, Float64, Ptr{Float64}, Int64))
    try
        GC.@preserve state begin
            checked(LibGlmmGo.glmmgo_lmm_fit, m.handle, Int32(REML), coptional(θ0), Float64(rhobeg),
                    Float64(rhoend), Int64(maxfeval), progress, pointer_from_objref(state))
        end
    catch e
        captured = state.exception
        captured === nothing && rethrow()
        # The fit was stopped because the callback threw: report that instead.
        captured.ex isa InterruptException ? throw(captured.ex) : throw(captured)
    end
    m.fit = _read_fit(m)
    m.condvar = nothing
    return m
end

"""
    fit(LinearMixedModel, y, X, reterms; REML = false, weights = nothing, fixefnames, kwargs...)

Constructs a [`LinearMixedModel`](@ref) and fits it; the keyword arguments of
[`fit!`](@ref) are passed on.
"""
function StatsAPI.fit(::Type{LinearMixedModel}, y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real},
                      reterms::Union{ReTerm,AbstractVector{ReTerm}};
                      weights = nothing, fixefnames = _default_xnames(X), responsename = "y",
                      formula = nothing, kwargs...)
    m = LinearMixedModel(y, X, reterms; weights, fixefnames, responsename, formula)
    return fit!(m; kwargs...)
end

function _read_fit(m::LinearMixedModel)
    h = m.handle
    obj, ll, dev, rc, aic, bic, sigma = (Ref{Float64}(NaN) for _ in 1:7)
    evals = Ref{Int64}(0)
    conv, sing, reml = Ref{Int32}(0), Ref{Int32}(0), Ref{Int32}(0)
    checked(LibGlmmGo.glmmgo_lmm_fit_info, h, obj, ll, dev, rc, aic, bic, sigma, evals, conv, sing, reml)
    nθ, p, q = length(m.lower), length(m.kept), m.q
    θ = Vector{Float64}(undef, nθ)
    checked(LibGlmmGo.glmmgo_lmm_theta, h, θ, Int64(nθ))
    β, se, V = Vector{Float64}(undef, p), Vector{Float64}(undef, p), Matrix{Float64}(undef, p, p)
    checked(LibGlmmGo.glmmgo_lmm_beta, h, β, se, V, Int64(p))
    b, u = Vector{Float64}(undef, q), Vector{Float64}(undef, q)
    checked(LibGlmmGo.glmmgo_lmm_ranef, h, b, u, Int64(q))
    return LmmFit(reml[] != 0, obj[], ll[], dev[], rc[], aic[], bic[], sigma[], Int(evals[]), conv[] != 0,
                  sing[] != 0, θ, β, se, V, b, u)
end

function _fitted(m::LinearMixedModel)
    m.fit === nothing && throw(ArgumentError("the model has not been fitted: call fit!(m) first"))
    return m.fit::LmmFit
end

# ---- accessors in the style of MixedModels.jl ------------------------------------------

StatsAPI.isfitted(m::LinearMixedModel) = m.fit !== nothing

"""
    isreml(m::LinearMixedModel) -> Bool

Whether the last fit used REML.
"""
isreml(m::LinearMixedModel) = _fitted(m).reml

"""
    isconverged(m::LinearMixedModel) -> Bool

Whether the optimiser reached its final trust-region radius (rather than its
evaluation budget).
"""
isconverged(m::LinearMixedModel) = _fitted(m).converged

"""
    issingular(m::LinearMixedModel) -> Bool

Whether the fit is on the boundary of the parameter space (a diagonal element of
θ below 1e-4, e.g. a variance component estimated as zero).
"""
issingular(m::LinearMixedModel) = _fitted(m).singular

"""
    fixef(m::LinearMixedModel) -> Vector{Float64}

The estimates of the fixed effects, for the columns of X kept (see [`fixefnames`](@ref)).
"""
fixef(m::LinearMixedModel) = copy(_fitted(m).beta)

"""
    fixefnames(m::LinearMixedModel) -> Vector{String}

The names of the fixed effects kept; aliased columns of X are not among them.
"""
fixefnames(m::LinearMixedModel) = m.xnames[m.kept]

StatsAPI.coef(m::LinearMixedModel) = fixef(m)
StatsAPI.coefnames(m::LinearMixedModel) = fixefnames(m)
StatsAPI.stderror(m::LinearMixedModel) = copy(_fitted(m).se)
StatsAPI.vcov(m::LinearMixedModel) = copy(_fitted(m).vcov)
StatsAPI.nobs(m::LinearMixedModel) = length(m.y)
StatsAPI.response(m::LinearMixedModel) = m.y
StatsAPI.responsename(m::LinearMixedModel) = m.responsename
StatsAPI.modelmatrix(m::LinearMixedModel) = m.X[:, m.kept]
StatsAPI.islinear(::LinearMixedModel) = true
StatsAPI.weights(m::LinearMixedModel) = m.weights === nothing ? ones(length(m.y)) : copy(m.weights)

"""
    objective(m::LinearMixedModel) -> Float64

The criterion minimised by the last fit: −2 log-likelihood for ML, the REML
criterion for REML.
"""
objective(m::LinearMixedModel) = _fitted(m).objective

StatsAPI.loglikelihood(m::LinearMixedModel) = _fitted(m).loglik

"""
    deviance(m::LinearMixedModel) -> Float64

The ML deviance (−2 log-likelihood) profiled at the fitted θ; for an ML fit this is
[`objective`](@ref).
"""
StatsAPI.deviance(m::LinearMixedModel) = _fitted(m).deviance

StatsAPI.dof(m::LinearMixedModel) = length(m.kept) + length(m.lower) + 1
StatsAPI.dof_residual(m::LinearMixedModel) = nobs(m) - dof(m)
StatsAPI.aic(m::LinearMixedModel) = _fitted(m).aic
StatsAPI.bic(m::LinearMixedModel) = _fitted(m).bic
function StatsAPI.aicc(m::LinearMixedModel)
    k, n = dof(m), nobs(m)
    return aic(m) + 2k * (k + 1) / (n - k - 1)
end

"""
    remlcrit(m::LinearMixedModel) -> Float64

The REML criterion at the fitted θ.
"""
remlcrit(m::LinearMixedModel) = _fitted(m).remlcrit

"""
    nevals(m::LinearMixedModel) -> Int

Evaluations of the criterion used by the last fit.
"""
nevals(m::LinearMixedModel) = _fitted(m).evals

"""
    sdest(m::LinearMixedModel) -> Float64

The estimate of the residual standard deviation σ.
"""
sdest(m::LinearMixedModel) = _fitted(m).sigma

"""
    getθ(m::LinearMixedModel) -> Vector{Float64}

The covariance parameter θ at the last fit, in model order (also `m.θ`).
"""
getθ(m::LinearMixedModel) = copy(_fitted(m).theta)

# m.θ, m.β, m.σ as in MixedModels.jl; everything else is a field.
function Base.getproperty(m::LinearMixedModel, s::Symbol)
    s in (:θ, :theta) && return getθ(m)
    s in (:β, :beta) && return fixef(m)
    s in (:σ, :sigma) && return sdest(m)
    return getfield(m, s)
end

Base.propertynames(m::LinearMixedModel, private::Bool = false) =
    (:θ, :theta, :β, :beta, :σ, :sigma, (private ? fieldnames(LinearMixedModel) : ())...)

# Splits a vector laid out term by term (model order), k values per level, into
# one k×ℓ matrix per term.
function _per_term(m::LinearMixedModel, v::Vector{Float64})
    out = Matrix{Float64}[]
    offset = 0
    for t in m.reterms
        k, ℓ = ncols(t), nlevels(t)
        push!(out, reshape(v[(offset + 1):(offset + k * ℓ)], k, ℓ))
        offset += k * ℓ
    end
    return out
end

"""
    ranef(m::LinearMixedModel; uscale = false) -> Vector{Matrix{Float64}}

The conditional modes of the random effects: for each term in model order a k×ℓ
matrix, column j for the term's j-th level (see [`grouplevels`](@ref)). With
`uscale = true`, the spherical modes u instead of b = Λu.
"""
ranef(m::LinearMixedModel; uscale::Bool = false) = _per_term(m, uscale ? _fitted(m).u : _fitted(m).b)

"""
    grouplevels(m::LinearMixedModel) -> Vector{Vector}

The levels of each grouping factor, in model order; they label the columns of
[`ranef`](@ref).
"""
grouplevels(m::LinearMixedModel) = [copy(t.levels) for t in m.reterms]

"""
    condVar(m::LinearMixedModel) -> Vector{Array{Float64,3}}

The conditional covariance matrices of the random effects given the data (lme4's
`condVar`): for each term in model order a k×k×ℓ array, one k×k matrix per level.
"""
function condVar(m::LinearMixedModel)
    _fitted(m)
    if m.condvar === nothing
        len = sum(ncols(t)^2 * nlevels(t) for t in m.reterms)
        cv = Vector{Float64}(undef, len)
        checked(LibGlmmGo.glmmgo_lmm_condvar, m.handle, cv, Int64(len))
        out = Array{Float64,3}[]
        offset = 0
        for t in m.reterms
            k, ℓ = ncols(t), nlevels(t)
            push!(out, reshape(cv[(offset + 1):(offset + k * k * ℓ)], k, k, ℓ))
            offset += k * k * ℓ
        end
        m.condvar = out
    end
    return [copy(a) for a in m.condvar]
end

function StatsAPI.coeftable(m::LinearMixedModel)
    β, se = fixef(m), stderror(m)
    z = β ./ se
    p = [erfc(abs(zi) / sqrt(2)) for zi in z]
    return StatsBase.CoefTable(hcat(β, se, z, p), ["Coef.", "Std. Error", "z", "Pr(>|z|)"],
                               fixefnames(m), 4, 3)
end

# ---- variance components ---------------------------------------------------------------

# The lower-triangular k×k template of Λ for a term from its segment of θ
# (lower triangle, column by column).
function _template(θseg::AbstractVector{Float64}, k::Int)
    L = zeros(k, k)
    i = 0
    for j in 1:k, r in j:k
        L[r, j] = θseg[i += 1]
    end
    return LowerTriangular(L)
end

"""
    VarCorr(m::LinearMixedModel)

The estimated variance components: for each grouping factor the standard
deviations of its random effects and their correlations, and the residual
standard deviation. Printed like MixedModels.jl's `VarCorr`.
"""
struct VarCorr
    groups::Vector{String}
    cnames::Vector{Vector{String}}
    sd::Vector{Vector{Float64}}
    corr::Vector{Matrix{Float64}}
    sigma::Float64
end

function VarCorr(m::LinearMixedModel)
    f = _fitted(m)
    σ = f.sigma
    groups, cnames, sds, corrs = String[], Vector{String}[], Vector{Float64}[], Matrix{Float64}[]
    offset = 0
    for t in m.reterms
        k = ncols(t)
        L = _template(f.theta[(offset + 1):(offset + ntheta_term(t))], k)
        offset += ntheta_term(t)
        Σ = σ^2 * (L * L')
        sd = sqrt.(max.(diag(Σ), 0.0))
        C = [sd[i] > 0 && sd[j] > 0 ? Σ[i, j] / (sd[i] * sd[j]) : (i == j ? 1.0 : NaN) for i in 1:k, j in 1:k]
        push!(groups, t.name); push!(cnames, t.cnames); push!(sds, sd); push!(corrs, C)
    end
    return VarCorr(groups, cnames, sds, corrs, σ)
end
