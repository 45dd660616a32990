# Library handles (int64_t, 0 never valid) wrapped so that Julia's GC releases them.

"""
    Handle

A libglmmgo handle. It is released by `glmmgo_free` when it is garbage-collected,
or earlier by `close`. Passed to a `ccall` argument declared `Int64`, a `Handle`
converts to its number and stays rooted for the duration of the call, so a model
cannot be finalized while the library works on it.
"""
mutable struct Handle
    id::Int64
    kind::Symbol
    function Handle(id::Int64, kind::Symbol)
        id == 0 && throw(ArgumentError("libglmmgo returned the invalid handle 0"))
        h = new(id, kind)
        finalizer(_release!, h)
        return h
    end
end

Base.cconvert(::Type{Int64}, h::Handle) = h
Base.unsafe_convert(::Type{Int64}, h::Handle) = h.id

isopen_handle(h::Handle) = h.id != 0

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
