# MCLA fits whose Monte Carlo sample lives in Distributed worker processes:
# `fit(MCLAFit, family, y, X, Z, varcomp; pool = WorkerPool(workers()))`.
#
# The fit (PQL, trust, stages, inference) runs in this process; the library asks it,
# through the partials callback of glmmgo_mcla_options, only for the partials of
# batches of samples, and merges them in batch order, so the result is bit-identical
# to the fit without a pool. Each worker holds an MCLAModel of the same data (sent
# once per fit), draws the blocks of the batches it is given from the fit's seed (by
# block index: glmmgo_mcla_worker_sample, once per sample) and answers each
# evaluation with their partials (glmmgo_mcla_worker_partials). A worker that throws,
# exits or does not answer within `timeout` seconds is dropped; its batches go to the
# others and the evaluation is repeated (same result), with a warning naming it.

# Worker side: the models of the fits this process takes part in, by fit id.
const _CLUSTER_MODELS = Dict{String,MCLAModel}()

function _cluster_init(id::String, family::Symbol, y, X, Z, varcomp, ntrials, weights, dispersion)
    for m in values(_CLUSTER_MODELS)
        close(m)
    end
    empty!(_CLUSTER_MODELS)
    _CLUSTER_MODELS[id] = MCLAModel(family, y, X, Z, varcomp; ntrials, weights, dispersion)
    return (pid = Distributed.myid(), version = version())
end

_cluster_model(id::String) = get(_CLUSTER_MODELS, id) do
    throw(ArgumentError("this worker holds no model of fit $id (it was restarted, or another fit replaced it)"))
end

function _cluster_sample(id::String, spec::Vector{Float64}, b0::Int64, b1::Int64, threads::Int32)
    checked(LibGlmmGo.glmmgo_mcla_worker_sample, _open(_cluster_model(id).handle), spec, Int64(length(spec)),
            b0, b1, threads)
    return true
end

function _cluster_partials(id::String, what::Int32, par::Vector{Float64}, m::Int64, r0::Int64, r1::Int64,
                           b0::Int64, b1::Int64, batch_len::Int64, threads::Int32)
    out = Vector{Float64}(undef, (b1 - b0) * batch_len)
    checked(LibGlmmGo.glmmgo_mcla_worker_partials, _open(_cluster_model(id).handle), what, par, Int64(length(par)),
            m, r0, r1, b0, b1, threads, out, Int64(length(out)))
    return out
end

function _cluster_free(id::String)
    m = pop!(_CLUSTER_MODELS, id, nothing)
    m === nothing || close(m)
    return true
end

# Master side: what the callback sees through its userdata pointer.
mutable struct _Cluster
    id::String
    workers::Vector{Int}
    alive::Vector{Bool}
    b0::Vector{Int64}
    b1::Vector{Int64}
    spec::Vector{Float64}
    nbatches::Int64
    threads::Int32
    timeout::Float64
    lost::Vector{String}
    exception::Any
end

# Calls f(w, args...) on the workers ws at once; each result is the value or the
# exception (a worker that does not answer within c.timeout seconds gives an
# ErrorException saying so).
function _cluster_map(c::_Cluster, ws::Vector{Int}, f, args::Vector)
    futures = [Distributed.remotecall(f, w, a...) for (w, a) in zip(ws, args)]
    out = Vector{Any}(undef, length(ws))
    @sync for (i, fu) in enumerate(futures)
        @async begin
            ready = timedwait(() -> isready(fu), c.timeout) === :ok
            out[i] = ready ? (try fetch(fu) catch e e end) : ErrorException("no answer within $(c.timeout) seconds")
        end
    end
    return out
end

_failed(x) = x isa Exception

function _cluster_lose!(c::_Cluster, i::Int, why)
    c.alive[i] = false
    push!(c.lost, "worker $(c.workers[i]): $(sprint(showerror, why))")
end

# Gives the batches of the current sample to the live workers in contiguous ranges
# and has them draw their blocks, dropping the workers that fail.
function _cluster_assign!(c::_Cluster)
    while true
        live = findall(c.alive)
        isempty(live) && error("no worker of the pool is left ($(join(c.lost, "; ")))")
        k = min(length(live), Int(c.nbatches))
        cuts = [round(Int64, j * c.nbatches / k) for j in 0:k]
        fill!(c.b0, -1); fill!(c.b1, -1)
        nodes = live[1:k]
        for (j, i) in enumerate(nodes)
            c.b0[i], c.b1[i] = cuts[j], cuts[j + 1]
        end
        res = _cluster_map(c, c.workers[nodes], _cluster_sample,
                           [(c.id, c.spec, c.b0[i], c.b1[i], c.threads) for i in nodes])
        bad = findall(_failed, res)
        foreach(j -> _cluster_lose!(c, nodes[j], res[j]), bad)
        isempty(bad) && return nothing
    end
end

# One round of a partials request into out; false when a worker was lost.
function _cluster_partials!(c::_Cluster, r::LibGlmmGo.glmmgo_mcla_request, out::Vector{Float64})
    g0, g1, bl = r.batch_begin, r.batch_end, r.batch_len
    nodes = [i for i in eachindex(c.workers) if c.alive[i] && c.b0[i] >= 0 && c.b0[i] < g1 && c.b1[i] > g0]
    lo = [max(c.b0[i], g0) for i in nodes]
    hi = [min(c.b1[i], g1) for i in nodes]
    par = copy(unsafe_wrap(Array, r.par, Int(r.npar)))
    res = _cluster_map(c, c.workers[nodes], _cluster_partials,
                       [(c.id, r.what, par, r.m, r.row_begin, r.row_end, lo[j], hi[j], bl, c.threads) for j in eachindex(nodes)])
    bad = findall(_failed, res)
    foreach(j -> _cluster_lose!(c, nodes[j], res[j]), bad)
    isempty(bad) || return false
    for j in eachindex(nodes)
        copyto!(out, (lo[j] - g0) * bl + 1, res[j], 1, length(res[j]))
    end
    return true
end

# The glmmgo_mcla_partials_fn: called by the library on the thread running the fit.
# Nothing may unwind through the library's frames: an exception is kept, its message
# written into the request, and the fit cancelled.
function _partials_callback(userdata::Ptr{Cvoid}, req::Ptr{LibGlmmGo.glmmgo_mcla_request})::Cint
    c = unsafe_pointer_to_objref(userdata)::_Cluster
    r = unsafe_load(req)
    try
        if r.what == LibGlmmGo.GLMMGO_MCLA_SAMPLE
            c.spec = copy(unsafe_wrap(Array, r.spec, Int(r.spec_len)))
            c.nbatches = r.nbatches
            _cluster_assign!(c)
            return Cint(0)
        end
        out = unsafe_wrap(Array, r.partials, Int(r.len))
        while !_cluster_partials!(c, r, out)
            _cluster_assign!(c)
        end
        return Cint(0)
    catch e
        c.exception = CapturedException(e, catch_backtrace())
        msg = Vector{UInt8}(sprint(showerror, e))
        n = min(length(msg), Int(r.errlen) - 1)
        if n >= 0
            GC.@preserve msg unsafe_copyto!(r.err, pointer(msg), n)
            unsafe_store!(r.err, 0x00, n + 1)
        end
        return Cint(1)
    end
end

# Sets up the workers of pool for a fit of the data, runs fitting(partials,
# userdata) and frees the workers' models; warns about lost workers.
function _with_cluster(fitting, pool::Distributed.AbstractWorkerPool, data::NamedTuple, threads::Integer,
                       timeout::Real)
    ws = sort!(collect(pool.workers))
    isempty(ws) && throw(ArgumentError("pool has no workers"))
    id = string(Distributed.myid(), "-", time_ns(), "-", rand(UInt32))
    c = _Cluster(id, ws, fill(true, length(ws)), fill(Int64(-1), length(ws)), fill(Int64(-1), length(ws)),
                 Float64[], 0, Int32(threads), Float64(timeout), String[], nothing)
    init = _cluster_map(c, ws, _cluster_init, [(id, data.family, data.y, data.X, data.Z, data.varcomp, data.ntrials,
                                                data.weights, data.dispersion) for _ in ws])
    for (i, r) in enumerate(init)
        _failed(r) && throw(ArgumentError("worker $(ws[i]) cannot take part (is GlmmGo loaded there? `@everywhere using GlmmGo`): $(sprint(showerror, r))"))
        r.version == version() || throw(ArgumentError("worker $(ws[i]) runs libglmmgo $(r.version), this process $(version())"))
    end
    partials = @cfunction(_partials_callback, Cint, (Ptr{Cvoid}, Ptr{LibGlmmGo.glmmgo_mcla_request}))
    try
        return GC.@preserve c fitting(partials, pointer_from_objref(c))
    catch
        c.exception === nothing || throw(c.exception)
        rethrow()
    finally
        _cluster_map(c, ws[c.alive], _cluster_free, [(id,) for _ in ws[c.alive]])
        isempty(c.lost) || @warn "fit(MCLAFit; pool): lost $(join(c.lost, "; ")); their batches were drawn again and evaluated on the remaining workers, so the result is unchanged"
    end
end
