# What the fits of every engine share: progress callbacks, cancellation, and options
# structs filled over the library's defaults.

"""
    CancelToken()

Cancels a running fit from another task or thread: pass it as `cancel = token` to
`fit` and call [`cancel!`](@ref)`(token)`. The library checks it after every
iteration and, in the phases of an MCLA fit without iterations (PQL, sampling,
inference) and within long iterations, at least every 20 ms of work, on the fitting
thread; the fit then throws a `GlmmGoError` with status `:cancelled` and makes no
fit.
"""
struct CancelToken
    flag::Threads.Atomic{Bool}
end
CancelToken() = CancelToken(Threads.Atomic{Bool}(false))

"""
    cancel!(token::CancelToken)

Asks the fit watching `token` to stop at its next iteration.
"""
cancel!(t::CancelToken) = (t.flag[] = true; t)
iscancelled(t::CancelToken) = t.flag[]

# State the C progress callback sees through its userdata pointer.
mutable struct _Progress
    callback::Any                      # nothing, or f(iter, objective, par)
    cancel::Union{Nothing,CancelToken}
    exception::Any                     # an exception thrown in the callback, rethrown after the call
end

# Called by the library on the thread running the fit, between iterations. It must
# not let a Julia exception unwind through the library's frames: anything thrown
# (including an InterruptException from Ctrl-C) is stored and the fit is cancelled.
function _progress_callback(userdata::Ptr{Cvoid}, iter::Int64, objective::Float64, par::Ptr{Float64}, npar::Int64)::Cint
    state = unsafe_pointer_to_objref(userdata)::_Progress
    try
        state.cancel !== nothing && iscancelled(state.cancel) && return Cint(1)
        # iter < 0: a heartbeat from a phase without iterations (no objective or
        # parameters): only the cancellation is checked.
        if state.callback !== nothing && iter >= 0
            p = copy(unsafe_wrap(Array, par, Int(npar)))   # par is valid only during the call
            state.callback(Int(iter), objective, p) === false && return Cint(1)
        end
        return Cint(0)
    catch e
        state.exception = CapturedException(e, catch_backtrace())
        return Cint(1)
    end
end

# Runs `call(progress, userdata)` with the C progress callback reporting to
# `callback(iter, objective, par)` (returning `false` stops the fit) and watching
# `cancel`. A fit stopped because the callback threw rethrows that exception (an
# InterruptException from Ctrl-C as itself) instead of the cancellation.
function _with_progress(call, callback, cancel::Union{Nothing,CancelToken})
    state = _Progress(callback, cancel, nothing)
    progress = @cfunction(_progress_callback, Cint, (Ptr{Cvoid}, Int64, Float64, Ptr{Float64}, Int64))
    try
        return GC.@preserve state call(progress, pointer_from_objref(state))
    catch
        captured = state.exception
        captured === nothing && rethrow()
        captured.ex isa InterruptException ? throw(captured.ex) : throw(captured)
    end
end

# The options struct T of an engine's fit: the library's defaults (from its
# glmmgo_E_options_default, `default`), then the given fields changed.
function _options(::Type{T}, default; fields...) where {T}
    opt = Ref(_zero(T))
    checked(default, opt, Csize_t(sizeof(T)))
    return Ref(_setfields(opt[]; fields...))
end
