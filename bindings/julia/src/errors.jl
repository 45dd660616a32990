# Status codes become exceptions here, and only here.

"""
    GlmmGoError <: Exception

An error reported by libglmmgo: `status` is the C status code (compare it with
`GlmmGo.LibGlmmGo.GLMMGO_ERR_INVALID` and friends, or use [`status_symbol`](@ref)),
`func` the C function that failed and `msg` the library's message, which names
the offending argument and, where it applies, the index and value. A library of
another version than this package's has the status `GlmmGo.VERSION_MISMATCH`
(`status_symbol` `:version`), which is no status of the library.
"""
struct GlmmGoError <: Exception
    status::Cint
    func::Symbol
    msg::String
end

"""
    VERSION_MISMATCH

The status of a [`GlmmGoError`](@ref) raised because the loaded libglmmgo has
another major or minor version than the one this package was generated for.
"""
const VERSION_MISMATCH = Cint(-1)

const _STATUS_SYMBOLS = Dict{Cint,Symbol}(
    LibGlmmGo.GLMMGO_OK => :ok,
    LibGlmmGo.GLMMGO_ERR_INVALID => :invalid,
    LibGlmmGo.GLMMGO_ERR_DOMAIN => :domain,
    LibGlmmGo.GLMMGO_ERR_NUMERIC => :numeric,
    LibGlmmGo.GLMMGO_ERR_CANCELLED => :cancelled,
    LibGlmmGo.GLMMGO_ERR_INTERNAL => :internal,
    LibGlmmGo.GLMMGO_ERR_HANDLE => :handle,
    LibGlmmGo.GLMMGO_ERR_BUSY => :busy,
    LibGlmmGo.GLMMGO_ERR_STATE => :state,
    LibGlmmGo.GLMMGO_ERR_FORKED => :forked,
    LibGlmmGo.GLMMGO_ERR_RESOURCE => :resource,
    VERSION_MISMATCH => :version,
)

"""
    status_symbol(e::GlmmGoError) -> Symbol
    status_symbol(status::Integer) -> Symbol

The status as a symbol: `:invalid`, `:domain`, `:numeric`, `:cancelled`,
`:internal`, `:handle`, `:busy`, `:state`, `:forked`, `:resource` (more memory than
the limit, [`memory_limit`](@ref)), and `:version` for a library
of another version (`:unknown` otherwise).
"""
status_symbol(status::Integer) = get(_STATUS_SYMBOLS, Cint(status), :unknown)
status_symbol(e::GlmmGoError) = status_symbol(e.status)

"""
    status_string(status::Integer) -> String

The library's short English name of a status code (`glmmgo_status_string`).
"""
status_string(status::Integer) =
    status == VERSION_MISMATCH ? "version mismatch" : unsafe_string(LibGlmmGo.glmmgo_status_string(Cint(status)))

function Base.showerror(io::IO, e::GlmmGoError)
    print(io, "GlmmGoError: ", e.func, " failed (", status_string(e.status), ")")
    isempty(e.msg) || print(io, ": ", e.msg)
end

# Size of the message buffer handed to every call; longer messages are truncated
# by the library (it always NUL-terminates).
const ERRLEN = 1024

_errbuf() = (buf = Vector{UInt8}(undef, ERRLEN); buf[1] = 0x00; buf)

function _message(buf::Vector{UInt8})
    k = findfirst(iszero, buf)
    return String(buf[1:(k === nothing ? length(buf) : k - 1)])
end

"""
    checked(f, args...)

Calls `f`, a function of the low-level layer, with `args` plus a fresh message
buffer and its length (the trailing `err, errlen` of every fallible C function),
and throws a [`GlmmGoError`](@ref) carrying the library's message unless the status
is `GLMMGO_OK`. Returns `nothing`.
"""
function checked(f::F, args...) where {F<:Function}
    buf = _errbuf()
    status = f(args..., buf, Csize_t(length(buf)))
    status == LibGlmmGo.GLMMGO_OK || throw(GlmmGoError(status, nameof(f), _message(buf)))
    return nothing
end
