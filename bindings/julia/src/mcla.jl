# Monte Carlo likelihood approximation (the objective of the R package glmm) on a
# model handle.

const FAMILY_CODES = Dict{Symbol,Int32}(
    :bernoulli => LibGlmmGo.GLMMGO_BERNOULLI,
    :poisson => LibGlmmGo.GLMMGO_POISSON,
    :binomial => LibGlmmGo.GLMMGO_BINOMIAL,
    :negbinomial => LibGlmmGo.GLMMGO_NEGBINOMIAL,
)

function _family_code(family::Symbol)
    haskey(FAMILY_CODES, family) ||
        throw(ArgumentError("family must be one of $(join(repr.(sort!(collect(keys(FAMILY_CODES)))), ", ")), got $(repr(family))"))
    return FAMILY_CODES[family]
end

"""
    MCLAModel(family, y, X, Z, varcomp = ones(Int, size(Z, 2));
              ntrials = nothing, weights = nothing, dispersion = nothing,
              coefnames = ["x1", …], vcnames = ["nu1", …])

A generalized linear mixed model for the Monte Carlo likelihood approximation of
glmm: `family` is `:bernoulli`, `:poisson`, `:binomial` or `:negbinomial`; `y` the
responses (0/1, counts, or successes out of `ntrials`); `X` the n×p fixed-effects
matrix; `Z` the n×q random-effects matrix (any `AbstractMatrix`; a
`SparseMatrixCSC` is passed as its nonzeros); `varcomp[j]` the variance component
(1…nvc) of column `j` of `Z`. `weights` are observation weights. `dispersion` is the
negative binomial size r (Var y = μ + μ²/r; see [`set_dispersion!`](@ref)). The
parameters are `par = [β; ν]`, with `ν` the nvc variances.

Fit it with `fit(MCLAFit, model; …)` ([`MCLAFit`](@ref)). To evaluate the objective
([`GlmmGo.objective`](@ref)) yourself, give it an importance density
([`set_importance!`](@ref)) and samples ([`set_samples!`](@ref)).
"""
mutable struct MCLAModel
    handle::Handle
    family::Symbol
    n::Int
    p::Int
    q::Int
    nvc::Int
    coefnames::Vector{String}
    vcnames::Vector{String}
    y::Vector{Float64}                     # for the negative binomial constants of a fit
    weights::Union{Nothing,Vector{Float64}}
end

function MCLAModel(family::Symbol, y::AbstractVector{<:Real}, X::AbstractVecOrMat{<:Real},
                   Z::AbstractMatrix{<:Real}, varcomp::AbstractVector{<:Integer} = ones(Int, size(Z, 2));
                   ntrials::Union{Nothing,AbstractVector{<:Real}} = nothing,
                   weights::Union{Nothing,AbstractVector{<:Real}} = nothing,
                   dispersion::Union{Nothing,Real} = nothing,
                   coefnames::AbstractVector{<:AbstractString} = ["x$j" for j in 1:size(X, 2)],
                   vcnames::AbstractVector{<:AbstractString} = ["nu$t" for t in 1:maximum(varcomp; init = 0)])
    a = _mcla_args(family, y, X, Z, varcomp, ntrials, weights, coefnames, vcnames)
    out = Ref{Int64}(0)
    checked(LibGlmmGo.glmmgo_mcla_new, a.args..., out)
    m = MCLAModel(Handle(out[], LibGlmmGo.GLMMGO_KIND_MCLA_MODEL), family, a.n, a.p, a.q, a.nvc,
                  String.(coefnames), String.(vcnames), copy(a.args[5]), weights === nothing ? nothing : Float64.(weights))
    dispersion === nothing || set_dispersion!(m, dispersion)
    return m
end

Base.close(m::MCLAModel) = close(m.handle)

# _mcla_args checks the arguments of MCLAModel and converts them to
# glmmgo_mcla_new's leading arguments (0-based indices, column-major arrays).
function _mcla_args(family, y, X, Z, varcomp, ntrials, weights, coefnames, vcnames)
    n = length(y)
    Xc = cmatrix(X)
    size(Xc, 1) == n || throw(DimensionMismatch("X has $(size(Xc, 1)) rows, y has $n elements"))
    size(Z, 1) == n || throw(DimensionMismatch("Z has $(size(Z, 1)) rows, y has $n elements"))
    p, q = size(Xc, 2), size(Z, 2)
    _check_length("varcomp", varcomp, q)
    nvc = maximum(varcomp; init = 0)
    _check_length("coefnames", coefnames, p)
    _check_length("vcnames", vcnames, nvc)
    ntrials === nothing || _check_length("ntrials", ntrials, n)
    weights === nothing || _check_length("weights", weights, n)
    rows, cols, vals = findnz(Z isa SparseMatrixCSC ? Z : sparse(Z))
    args = (Int64(n), Int64(p), Int64(q), _family_code(family),
            cvector(y), coptional(ntrials), coptional(weights), p == 0 ? C_NULL : Xc,
            Int64(length(vals)), to_c_indices(rows), to_c_indices(cols), cvector(vals),
            Int64(nvc), to_c_indices(varcomp))
    return (n = n, p = p, q = q, nvc = nvc, args = args)
end

"""
    set_dispersion!(m::MCLAModel, r) -> m

Negative binomial models: the known size `r > 0` (Var y = μ + μ²/r). Needed before
the objective and before a fit that does not estimate r (see `dispersion_lo` of
[`MCLAFit`](@ref)); the importance density and samples already set are kept.
"""
function set_dispersion!(m::MCLAModel, r::Real)
    checked(LibGlmmGo.glmmgo_mcla_set_dispersion, m.handle, Float64(r))
    return m
end

"""
    set_importance!(m::MCLAModel; zeta = 5, p_mix = (1/3, 1/3, 1/3), u_star, d_star, sigma_inv = nothing)

Sets glmm's importance density `p₁ t_ζ(0, D*) + p₂ N(u*, D*) + p₃ N(u*, Σ̃)`:
`zeta` the t degrees of freedom, `p_mix` the three probabilities, `u_star` (q),
`d_star` the q diagonal elements of D*, `sigma_inv` the q×q matrix Σ̃⁻¹ (may be
`nothing` when `p_mix[3] == 0`). Returns `m`.
"""
function set_importance!(m::MCLAModel; zeta::Real = 5, p_mix = (1 / 3, 1 / 3, 1 / 3),
                         u_star::AbstractVector{<:Real}, d_star::AbstractVector{<:Real},
                         sigma_inv::Union{Nothing,AbstractMatrix{<:Real}} = nothing)
    _check_length("p_mix", p_mix, 3)
    _check_length("u_star", u_star, m.q)
    _check_length("d_star", d_star, m.q)
    sigma_inv === nothing || size(sigma_inv) == (m.q, m.q) ||
        throw(DimensionMismatch("sigma_inv is $(size(sigma_inv)), expected $((m.q, m.q))"))
    checked(LibGlmmGo.glmmgo_mcla_set_importance, m.handle, Float64(zeta), cvector(collect(p_mix)),
            cvector(u_star), cvector(d_star), coptional(sigma_inv))
    return m
end

"""
    set_samples!(m::MCLAModel, umat::AbstractMatrix)

Sets the samples of the random effects: `umat` is m×q, row k the sample u_k
(glmm's u-matrix). Everything that does not depend on the parameters is computed
here, once. Needs the importance density. Returns `m`.
"""
function set_samples!(m::MCLAModel, umat::AbstractMatrix{<:Real})
    size(umat, 2) == m.q || throw(DimensionMismatch("umat has $(size(umat, 2)) columns, the model has q = $(m.q)"))
    checked(LibGlmmGo.glmmgo_mcla_set_samples, m.handle, Int64(size(umat, 1)), cmatrix(umat))
    return m
end

"""
    GlmmGo.dims(m::MCLAModel) -> (; kind, n, p, p_given, q, nvc, ntheta, nterms, npar, m, t)

The dimensions as the library reports them; `m` is the number of samples (0 until set).
"""
dims(m::MCLAModel) = dims(m.handle)

"""
    nsamples(m::MCLAModel) -> Int

The number of samples set (0 before [`set_samples!`](@ref)).
"""
nsamples(m::MCLAModel) = dims(m).m

npar(m::MCLAModel) = m.p + m.nvc

function _check_par(m::MCLAModel, par)
    _check_length("par", par, npar(m))
    return cvector(par)
end

"""
    GlmmGo.objective(m::MCLAModel, par; workers = 0, gradient = true, hessian = true, outside = :throw)
        -> (; value, gradient, hessian)

The MCLA log-likelihood `l_m(β, ν)` at `par = [β; ν]` over all samples (to be
maximised), its gradient and its Hessian (`nothing` when not asked for), exactly as
glmm's `objfun` computes them. `workers` threads share the work (0: all CPUs);
the result does not depend on their number.

A variance `ν_t ≤ 0` is outside the parameter space: with `outside = :throw`
(the default) a `GlmmGoError` with status `:domain` is thrown; with
`outside = :neginf` the value `-Inf` is returned as glmm does, for use inside a
trust-region loop.
"""
function objective(m::MCLAModel, par::AbstractVector{<:Real}; workers::Integer = 0,
                   gradient::Bool = true, hessian::Bool = true, outside::Symbol = :throw)
    outside in (:throw, :neginf) || throw(ArgumentError("outside must be :throw or :neginf"))
    d = npar(m)
    value = Ref{Float64}(NaN)
    g = gradient ? Vector{Float64}(undef, d) : nothing
    H = hessian ? Matrix{Float64}(undef, d, d) : nothing
    try
        checked(LibGlmmGo.glmmgo_mcla_objective, m.handle, _check_par(m, par), Int32(workers), value,
                coptional(g), coptional(H))
    catch e
        if outside === :neginf && e isa GlmmGoError && e.status == LibGlmmGo.GLMMGO_ERR_DOMAIN
            g === nothing || fill!(g, NaN)
            H === nothing || fill!(H, NaN)
            return (value = -Inf, gradient = g, hessian = H)
        end
        rethrow()
    end
    return (value = value[], gradient = g, hessian = H)
end

"""
    partial_length(m::MCLAModel) -> Int

The length of one flattened partial (see [`partial`](@ref)).
"""
function partial_length(m::MCLAModel)
    len = Ref{Int64}(0)
    checked(LibGlmmGo.glmmgo_mcla_partial_length, m.handle, len)
    return Int(len[])
end

"""
    partial(m::MCLAModel, par, rows::AbstractUnitRange; workers = 0) -> Vector{Float64}

The partial sums of the samples `rows` (1-based, e.g. `1:256`) at `par`: a flat
vector that [`merge_partials`](@ref) combines exactly with the partials of other
rows, computed in this process or another one holding the same model. Ranges
starting at 1, 257, 513, … (blocks of `LibGlmmGo.GLMMGO_BLOCK_ROWS` samples) merge to
a result bit-identical to [`GlmmGo.objective`](@ref).
"""
function partial(m::MCLAModel, par::AbstractVector{<:Real}, rows::AbstractUnitRange{<:Integer}; workers::Integer = 0)
    len = partial_length(m)
    out = Vector{Float64}(undef, len)
    row_begin, row_end = to_c_range(rows)
    checked(LibGlmmGo.glmmgo_mcla_partial, m.handle, _check_par(m, par), Int64(npar(m)), row_begin, row_end,
            Int32(workers), out, Int64(len))
    return out
end

"""
    merge_partials(m::MCLAModel, par, partials) -> (; value, gradient, hessian)

Merges partials (a vector of vectors, or a matrix with one partial per column),
in the order given, computed at `par`, into the value, gradient and Hessian that
[`GlmmGo.objective`](@ref) returns for all their samples together.
"""
function merge_partials(m::MCLAModel, par::AbstractVector{<:Real}, partials::AbstractMatrix{<:Real})
    len = partial_length(m)
    size(partials, 1) == len || throw(DimensionMismatch("partials have length $(size(partials, 1)), expected $len"))
    d = npar(m)
    value = Ref{Float64}(NaN)
    g = Vector{Float64}(undef, d)
    H = Matrix{Float64}(undef, d, d)
    checked(LibGlmmGo.glmmgo_mcla_merge, m.handle, _check_par(m, par), Int64(d), Int64(size(partials, 2)),
            cmatrix(partials), Int64(len), value, g, H)
    return (value = value[], gradient = g, hessian = H)
end

merge_partials(m::MCLAModel, par::AbstractVector{<:Real}, partials::AbstractVector{<:AbstractVector{<:Real}}) =
    merge_partials(m, par, reduce(hcat, partials))
