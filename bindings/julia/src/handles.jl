# Library handles (int64_t, 0 never valid) wrapped so that Julia's GC releases them,
# and what every handle answers: its dimensions and its results.

"""
    Handle

A libglmmgo handle of a model or a fit. It is released by `glmmgo_free` when it is
garbage-collected, or earlier by `close`. Passed to a `ccall` argument declared
`Int64`, a `Handle` converts to its number and stays rooted for the duration of the
call, so a model cannot be finalized while the library works on it. A fit's handle
stays valid after its model's is released.
"""
mutable struct Handle
    id::Int64
    kind::Int32   # a GLMMGO_KIND_* code
    function Handle(id::Int64, kind::Int32)
        id == 0 && throw(ArgumentError("libglmmgo returned the invalid handle 0"))
        h = new(id, kind)
        finalizer(_release!, h)
        return h
    end
end

Base.cconvert(::Type{Int64}, h::Handle) = h
Base.unsafe_convert(::Type{Int64}, h::Handle) = h.id

isopen_handle(h::Handle) = h.id != 0

const _KIND_NAMES = Dict{Int32,String}(
    LibGlmmGo.GLMMGO_KIND_MCLA_MODEL => "MCLA model",
    LibGlmmGo.GLMMGO_KIND_MCLA_FIT => "MCLA fit",
    LibGlmmGo.GLMMGO_KIND_LMM_MODEL => "linear mixed model",
    LibGlmmGo.GLMMGO_KIND_LMM_FIT => "linear mixed model fit",
    LibGlmmGo.GLMMGO_KIND_MIXLOGIT_MODEL => "mixlogit model",
    LibGlmmGo.GLMMGO_KIND_MIXLOGIT_FIT => "mixlogit fit",
)

Base.show(io::IO, h::Handle) =
    print(io, "Handle(", h.id == 0 ? "closed" : string(h.id), ", ", get(_KIND_NAMES, h.kind, "unknown kind"), ")")

# The finalizer must not throw or switch tasks: ignore the status (a handle is never
# freed twice from here because `id` is zeroed first).
function _release!(h::Handle)
    id = h.id
    id == 0 && return nothing
    h.id = 0
    LibGlmmGo.glmmgo_free(id)
    return nothing
end

function Base.close(h::Handle)
    h.id == 0 && return nothing
    status = LibGlmmGo.glmmgo_free(h.id)
    # glmmgo_free takes no message buffer: the status name is the message.
    status == LibGlmmGo.GLMMGO_OK || throw(GlmmGoError(status, :glmmgo_free, status_string(status)))
    h.id = 0
    return nothing
end

# Refuses a closed handle before the library sees handle 0.
function _open(h::Handle)
    h.id == 0 && throw(ArgumentError("the $(get(_KIND_NAMES, h.kind, "handle")) was closed; its results that were read when it was made are still available"))
    return h
end

"""
    GlmmGo.dims(h::Handle) -> NamedTuple

The dimensions of any handle (`glmmgo_dims`): `kind` (a `GLMMGO_KIND_*` code), `n`,
`p`, `p_given`, `q`, `nvc`, `ntheta`, `nterms`, `npar`, `m`, `t`; 0 where the kind has none.
"""
function dims(h::Handle)
    T = LibGlmmGo.struct_glmmgo_dims
    d = Ref(_setfields(_zero(T); size = sizeof(T)))
    checked(LibGlmmGo.glmmgo_dims, _open(h), d)
    s = d[]
    return (; (f => Int(getfield(s, f)) for f in fieldnames(T) if f !== :size)...)
end

"""
    GlmmGo.result(h::Handle, what::Integer) -> Vector{Float64} or Vector{Int64}

Result `what` of a handle, a result code of the header (`LibGlmmGo.GLMMGO_LMM_THETA`,
…), read with `glmmgo_result_length` and `glmmgo_result` or `glmmgo_result_int64`
as [`LibGlmmGo.RESULT_TYPES`](@ref) says. Every result of every engine is read here.
"""
function result(h::Handle, what::Integer)
    code = Int32(what)
    T = get(LibGlmmGo.RESULT_TYPES, code, nothing)
    T === nothing && throw(ArgumentError("$what is not a result code of glmmgo.h"))
    len = Ref{Int64}(0)
    checked(LibGlmmGo.glmmgo_result_length, _open(h), code, len)
    buf = Vector{T}(undef, len[])
    checked(T === Int64 ? LibGlmmGo.glmmgo_result_int64 : LibGlmmGo.glmmgo_result, h, code, buf, len[])
    return buf
end

# A result of length one, and a flag (an integer result 0 or 1).
result1(h::Handle, what::Integer) = only(result(h, what))
resultflag(h::Handle, what::Integer) = result1(h, what) != 0
