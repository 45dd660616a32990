# Linear mixed models: the data and structure on a model handle, and the profiled
# criteria of lme4/MixedModels.jl at any θ, computed by libglmmgo.

"""
    LMMModel(y, X, reterms; weights = nothing, fixefnames, responsename = "y", formula = nothing)

A linear mixed model `y = Xβ + Σ Z_t b_t + ε` held by libglmmgo. `y` is the
response, `X` the n×p fixed-effects matrix (include a column of ones for an
intercept), `reterms` a vector of [`ReTerm`](@ref)s (or a single one), `weights`
optional positive observation weights. Aliased columns of `X` are dropped, as lme4
does (see [`GlmmGo.fixefnames`](@ref)). The terms are put in decreasing order of
their number of levels ("model order"); θ, ranef and VarCorr use that order.

Evaluate its criteria at any θ with [`GlmmGo.objective`](@ref) and
[`deviance_parts`](@ref); fit it with `fit(LMMFit, model; REML = false)`
([`LMMFit`](@ref)), as often as needed: each fit is a new object.
"""
mutable struct LMMModel
    handle::Handle
    y::Vector{Float64}
    X::Matrix{Float64}
    weights::Union{Nothing,Vector{Float64}}
    reterms::Vector{ReTerm}        # model order
    input_position::Vector{Int}    # input_position[t]: where model-order term t was in the input
    term_nlevels::Vector{Int}      # levels of each term, model order (the library's layout of b, u, ...)
    term_ncols::Vector{Int}        # columns of each term, model order
    xnames::Vector{String}         # names of all columns of X given
    kept::Vector{Int}              # 1-based columns of X kept
    responsename::String
    formula::String
    lower::Vector{Float64}
    thetalayout::Vector{NamedTuple{(:term, :row, :col),NTuple{3,Int}}}  # the library's layout of θ, 1-based
    q::Int
end

function LMMModel(y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real}, reterms::AbstractVector{ReTerm};
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
    handle = Handle(out[], LibGlmmGo.GLMMGO_KIND_LMM_MODEL)
    position = from_c_indices(result(handle, LibGlmmGo.GLMMGO_LMM_TERM_ORDER))
    kept = from_c_indices(result(handle, LibGlmmGo.GLMMGO_LMM_KEPT_COLUMNS))
    lower = result(handle, LibGlmmGo.GLMMGO_LMM_LOWER)
    term_nlevels = Int.(result(handle, LibGlmmGo.GLMMGO_LMM_TERM_NLEVELS))
    term_ncols = Int.(result(handle, LibGlmmGo.GLMMGO_LMM_TERM_NCOLS))
    layout = [(term = t, row = r, col = c) for (t, r, c) in
              zip(from_c_indices(result(handle, LibGlmmGo.GLMMGO_LMM_THETA_TERM)),
                  from_c_indices(result(handle, LibGlmmGo.GLMMGO_LMM_THETA_ROW)),
                  from_c_indices(result(handle, LibGlmmGo.GLMMGO_LMM_THETA_COL)))]
    if length(kept) < p
        dropped = setdiff(1:p, kept)
        @warn "Fixed-effects matrix is rank deficient: dropped the aliased column(s) $(join(fixefnames[dropped], ", "))"
    end
    sorted = collect(reterms[position])
    term_nlevels == nlevels.(sorted) && term_ncols == ncols.(sorted) ||
        error("libglmmgo reports terms of $term_nlevels levels and $term_ncols columns, not those given: a bug, please report it")
    fstring = formula === nothing ? _describe_formula(responsename, fixefnames, sorted) : String(formula)
    # Keep copies of what the caller still owns (the library keeps its own).
    return LMMModel(handle, copy(yc), Xc === X ? copy(Xc) : Xc, wc === nothing ? nothing : copy(wc), sorted, position,
                    term_nlevels, term_ncols, String.(fixefnames), kept, String(responsename), fstring, lower, layout,
                    dims(handle).q)
end

LMMModel(y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real}, reterm::ReTerm; kwargs...) =
    LMMModel(y, X, [reterm]; kwargs...)

_default_xnames(X::AbstractMatrix) = size(X, 2) ≥ 1 && all(isone, view(X, :, 1)) ?
    ["(Intercept)"; ["x$j" for j in 2:size(X, 2)]] : ["x$j" for j in 1:size(X, 2)]
_default_xnames(X::AbstractVector) = _default_xnames(reshape(X, :, 1))

function _describe_formula(response, xnames, reterms)
    fixed = isempty(xnames) ? "0" : join([x == "(Intercept)" ? "1" : x for x in xnames], " + ")
    random = ["(" * join([c == "(Intercept)" ? "1" : c for c in t.cnames], " + ") * " | " * t.name * ")" for t in reterms]
    return string(response, " ~ ", join([fixed; random], " + "))
end

Base.close(m::LMMModel) = close(m.handle)

"""
    GlmmGo.dims(m::LMMModel) -> (; kind, n, p, p_given, q, nvc, ntheta, nterms, npar, m, t)

The dimensions as the library reports them: `p` counts the columns of X kept.
"""
dims(m::LMMModel) = dims(m.handle)

"""
    GlmmGo.lowerbd(m) -> Vector{Float64}

The lower bounds of θ: 0 for the diagonal elements of each term's template, `-Inf`
otherwise.
"""
lowerbd(m::LMMModel) = copy(m.lower)

"""
    GlmmGo.thetalayout(m) -> Vector{NamedTuple{(:term, :row, :col)}}

Where each element of θ sits, as the library defines it: the term (model order) and the
row and column (1-based) of that term's lower-triangular template of Λ. Diagonal
elements (`row == col`) are the ones whose lower bound is 0.
"""
thetalayout(m::LMMModel) = copy(m.thetalayout)

function _check_theta(m::LMMModel, θ)
    _check_length("θ", θ, length(m.lower))
    return cvector(θ)
end

"""
    GlmmGo.objective(m::LMMModel, θ; REML = false, workers = 0) -> Float64

The profiled ML deviance (or, with `REML = true`, the REML criterion) at `θ` (model
order; see [`GlmmGo.lowerbd`](@ref)), without fitting. A negative diagonal element of
θ throws a `GlmmGoError` with status `:domain`. The value does not depend on `workers`.
"""
function objective(m::LMMModel, θ::AbstractVector{<:Real}; REML::Bool = false, workers::Integer = 0)
    value = Ref{Float64}(NaN)
    checked(LibGlmmGo.glmmgo_lmm_objective, m.handle, _check_theta(m, θ), Int64(length(m.lower)), Int32(REML),
            Int32(workers), value)
    return value[]
end

"""
    deviance_parts(m::LMMModel, θ; workers = 0) -> (; ldL2, ldRX2, wrss, ussq, pwrss, ldW)

lme4's deviance components at θ (its `getME(fit, "devcomp")$cmp`): log|L_θ|²,
log|R_X|², the weighted residual sum of squares, the squared length of the spherical
modes u, their sum (the penalised weighted residual sum of squares) and Σ log wᵢ.
The ML deviance is `ldL2 - ldW + n*(1 + log(2π*pwrss/n))`; at a given σ it is
`ldL2 - ldW + n*log(2π*σ^2) + pwrss/σ^2`.
"""
function deviance_parts(m::LMMModel, θ::AbstractVector{<:Real}; workers::Integer = 0)
    parts = Vector{Float64}(undef, 6)
    checked(LibGlmmGo.glmmgo_lmm_deviance_parts, m.handle, _check_theta(m, θ), Int64(length(m.lower)),
            Int32(workers), parts, Int64(length(parts)))
    return NamedTuple{(:ldL2, :ldRX2, :wrss, :ussq, :pwrss, :ldW)}(Tuple(parts))
end

"""
    GlmmGo.gradient(m::LMMModel, θ; REML = false, workers = 0) -> Vector{Float64}
    GlmmGo.gradient(f::LMMFit) -> Vector{Float64}

The gradient with respect to θ (model order) of the profiled ML deviance (or the REML
criterion) at `θ`, or at a fit's θ̂: the analogue of MixedModels.jl's
`ForwardDiff.gradient(model)`, computed analytically by libglmmgo (Jacobi's formula with
a selected inverse of the factor). The σ-fixed criterion has the same gradient.
Qualified (`GlmmGo.gradient`): the name is common.
"""
function gradient(m::LMMModel, θ::AbstractVector{<:Real}; REML::Bool = false, workers::Integer = 0)
    return _derivatives(m, θ, REML, :profiled, false, workers).gradient
end

"""
    GlmmGo.hessian(m::LMMModel, θ; REML = false, sigma = :profiled, workers = 0) -> Matrix{Float64}
    GlmmGo.hessian(f::LMMFit; sigma = :profiled) -> Matrix{Float64}

The Hessian with respect to θ of the criterion at `θ` (or a fit's θ̂). `sigma =
:profiled`: β and σ profiled out, the function the fit minimises (lme4's devfun);
`sigma = :fixed`: σ held at its estimate given θ, the function whose Hessian
MixedModels.jl's `ForwardDiff.hessian(model)` reports. Computed by libglmmgo from
central differences of the analytic gradient.
"""
function hessian(m::LMMModel, θ::AbstractVector{<:Real}; REML::Bool = false, sigma::Symbol = :profiled,
                 workers::Integer = 0)
    return _derivatives(m, θ, REML, sigma, true, workers).hessian
end

function _derivatives(m::LMMModel, θ, REML::Bool, sigma::Symbol, withhessian::Bool, workers::Integer)
    mode = sigma === :profiled ? LibGlmmGo.GLMMGO_LMM_SIGMA_PROFILED :
           sigma === :fixed ? LibGlmmGo.GLMMGO_LMM_SIGMA_FIXED :
           throw(ArgumentError("sigma must be :profiled or :fixed, not :$sigma"))
    k = length(m.lower)
    value = Ref{Float64}(NaN)
    g = Vector{Float64}(undef, k)
    H = withhessian ? Matrix{Float64}(undef, k, k) : nothing
    checked(LibGlmmGo.glmmgo_lmm_derivatives, m.handle, _check_theta(m, θ), Int64(k), Int32(REML), mode,
            Int32(workers), value, g, Int64(k), withhessian ? H : C_NULL, withhessian ? Int64(k * k) : Int64(0))
    return (; value = value[], gradient = g, hessian = H)
end

StatsAPI.nobs(m::LMMModel) = length(m.y)
StatsAPI.response(m::LMMModel) = m.y
StatsAPI.responsename(m::LMMModel) = m.responsename
StatsAPI.modelmatrix(m::LMMModel) = m.X[:, m.kept]
StatsAPI.weights(m::LMMModel) = m.weights === nothing ? ones(length(m.y)) : copy(m.weights)

"""
    GlmmGo.fixefnames(m) -> Vector{String}

The names of the fixed effects kept; aliased columns of X are not among them.
"""
fixefnames(m::LMMModel) = m.xnames[m.kept]

"""
    GlmmGo.grouplevels(m) -> Vector{Vector}

The levels of each grouping factor, in model order; they label the columns of
[`GlmmGo.ranef`](@ref).
"""
grouplevels(m::LMMModel) = [copy(t.levels) for t in m.reterms]
