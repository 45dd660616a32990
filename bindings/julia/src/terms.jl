# Random-effects terms given as data: a grouping vector and the term's model matrix.

"""
    ReTerm(groups, z = ones(length(groups), 1); name = "g", cnames = ["(Intercept)"])

A random-effects term `(cnames… | name)`: `groups` assigns each observation to a
level of the grouping factor (any values that can be compared with `isequal`;
levels are sorted when the values can be sorted, else kept in order of
appearance) and `z` is the term's n×k model matrix (a vector for k = 1), e.g.
`[ones(n) days]` for `(1 + days | subject)`. Uncorrelated terms on one factor
(`(1|g) + (0+x|g)`) are given as separate terms.
"""
struct ReTerm
    name::String
    levels::Vector{Any}
    codes::Vector{Int}          # 1-based: levels[codes[i]] is observation i's level
    z::Matrix{Float64}
    cnames::Vector{String}
end

function ReTerm(groups::AbstractVector, z::AbstractVecOrMat{<:Real} = ones(length(groups), 1);
                name::AbstractString = "g",
                cnames::AbstractVector{<:AbstractString} = size(z, 2) == 1 ? ["(Intercept)"] : ["z$j" for j in 1:size(z, 2)])
    n = length(groups)
    zc = cmatrix(z)
    size(zc, 1) == n || throw(DimensionMismatch("the model matrix of term $name has $(size(zc, 1)) rows, its grouping vector $n elements"))
    _check_length("cnames", cnames, size(zc, 2))
    any(ismissing, groups) && throw(ArgumentError("grouping vector of term $name contains missing values"))
    levels = _sorted_levels(groups)
    index = Dict{Any,Int}(l => i for (i, l) in enumerate(levels))
    codes = Int[index[g] for g in groups]
    return ReTerm(String(name), levels, codes, zc, String.(cnames))
end

ReTerm(p::Pair{<:Union{Symbol,AbstractString},<:AbstractVector}; kwargs...) = ReTerm(last(p); name = string(first(p)), kwargs...)

function _sorted_levels(groups::AbstractVector)
    u = unique(groups)
    try
        return Any[sort!(u)...]
    catch e
        e isa MethodError || rethrow()
        return Any[u...]
    end
end

nlevels(t::ReTerm) = length(t.levels)
ncols(t::ReTerm) = size(t.z, 2)
nobs_term(t::ReTerm) = length(t.codes)

function Base.show(io::IO, t::ReTerm)
    lhs = join(t.cnames, " + ")
    print(io, "(", lhs, " | ", t.name, ") with ", nlevels(t), " levels")
end
