# Between Julia's conventions and the C interface's. Every 1-based ↔ 0-based
# conversion in the package goes through the four functions below; every array
# handed to C goes through `cvector`/`cmatrix`, which copy only when the layout
# or element type differs from what C expects.

"""
    to_c_index(i::Integer) -> Int64

A 1-based Julia index as the 0-based `int64_t` of the C interface.
"""
to_c_index(i::Integer) = Int64(i) - Int64(1)

"""
    from_c_index(i::Integer) -> Int

A 0-based index from the C interface as a 1-based Julia index.
"""
from_c_index(i::Integer) = Int(i) + 1

"""
    to_c_indices(v) -> Vector{Int64}

1-based indices (or codes) as a fresh vector of 0-based `int64_t`.
"""
to_c_indices(v::AbstractVector{<:Integer}) = Int64[to_c_index(i) for i in v]

"""
    from_c_indices(v) -> Vector{Int}

0-based indices from C as a fresh vector of 1-based Julia indices.
"""
from_c_indices(v::AbstractVector{<:Integer}) = Int[from_c_index(i) for i in v]

"""
    to_c_range(r::AbstractUnitRange) -> (first0, end0)

A 1-based range `a:b` as the C interface's half-open, 0-based `[a-1, b)`.
"""
to_c_range(r::AbstractUnitRange{<:Integer}) = (to_c_index(first(r)), Int64(last(r)))

# Arrays passed to C: Vector{Float64}/Matrix{Float64} already have C's
# column-major, contiguous layout and are passed as they are; anything else
# (other element types, views, ranges, adjoints) is copied once.
cvector(::Type{T}, v::Vector{T}) where {T} = v
cvector(::Type{T}, v::AbstractVector) where {T} = convert(Vector{T}, v)
cvector(v::AbstractVector) = cvector(Float64, v)

cmatrix(A::Matrix{Float64}) = A
cmatrix(A::AbstractMatrix) = convert(Matrix{Float64}, A)
cmatrix(v::AbstractVector) = reshape(cvector(v), :, 1)

# An optional array: `nothing` becomes a NULL pointer.
coptional(::Nothing) = C_NULL
coptional(v::AbstractVector) = cvector(v)
coptional(A::AbstractMatrix) = cmatrix(A)

function _check_length(name, v, n)
    length(v) == n || throw(DimensionMismatch("$name has length $(length(v)), expected $n"))
    return v
end

# ---- C structs --------------------------------------------------------------------------

# A C struct of type T (an isbits struct of LibGlmmGo) with every field zero: NULL
# pointers, zero numbers and arrays.
_zero(::Type{T}) where {T<:Number} = zero(T)
_zero(::Type{Ptr{T}}) where {T} = Ptr{T}(C_NULL)
_zero(::Type{NTuple{N,T}}) where {N,T} = ntuple(_ -> _zero(T), N)
_zero(::Type{T}) where {T} = T((_zero(fieldtype(T, i)) for i in 1:fieldcount(T))...)

# A copy of the immutable struct s with the fields named by the keyword arguments
# replaced (converted to the fields' types).
function _setfields(s::T; fields...) where {T}
    for k in keys(fields)
        hasfield(T, k) || throw(ArgumentError("$T has no field $k"))
    end
    return T((haskey(fields, f) ? convert(fieldtype(T, f), fields[f]) : getfield(s, f) for f in fieldnames(T))...)
end
