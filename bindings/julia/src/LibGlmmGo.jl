"""
    GlmmGo.LibGlmmGo

The low-level layer: one Julia function per function of `include/glmmgo.h`, with
the same name, the same arguments in the same order and exactly the C types, plus
the header's constants. These functions return the C status (`Cint`) and do no
checking of their own; arrays are passed as they are (column-major, no copy),
`C_NULL` stands for a NULL pointer, and indices are 0-based as in C. Use the
functions of `GlmmGo` itself unless you need the C interface verbatim.

Calls whose cost grows with the data go through [`@gcsafe_ccall`](@ref), so on
Julia ≥ 1.12 they run in a GC-safe region and do not stall garbage collection on
other threads; quick calls use plain `ccall`.
"""
module LibGlmmGo

import ..GlmmGo: libglmmgo

# ---- constants of glmmgo.h (the checker compares them with the header) -------------

const GLMMGO_VERSION_MAJOR = Cint(0)
const GLMMGO_VERSION_MINOR = Cint(1)
const GLMMGO_VERSION_PATCH = Cint(0)
const GLMMGO_VERSION_STRING = "0.1.0"

const GLMMGO_OK = Cint(0)
const GLMMGO_ERR_INVALID = Cint(1)
const GLMMGO_ERR_DOMAIN = Cint(2)
const GLMMGO_ERR_NUMERIC = Cint(3)
const GLMMGO_ERR_CANCELLED = Cint(4)
const GLMMGO_ERR_INTERNAL = Cint(5)
const GLMMGO_ERR_HANDLE = Cint(6)
const GLMMGO_ERR_BUSY = Cint(7)
const GLMMGO_ERR_STATE = Cint(8)
const GLMMGO_ERR_FORKED = Cint(9)

const GLMMGO_BERNOULLI = Int32(1)
const GLMMGO_POISSON = Int32(2)
const GLMMGO_BINOMIAL = Int32(3)
const GLMMGO_NEGBINOMIAL = Int32(4)

"""
    @gcsafe_ccall library.function(arg::T, ...)::R

`@ccall` for calls that may run long: on Julia ≥ 1.12 it expands to
`@ccall gc_safe = true ...`, which lets other threads collect garbage while the
call runs (the library touches only the arrays passed to it, which `ccall` keeps
rooted and Julia's GC never moves). On older Julia it is a plain `@ccall`.
A progress callback made with `@cfunction` may still be called during such a call:
the callback wrapper re-enters the GC-unsafe state itself.
"""
macro gcsafe_ccall(ex)
    if VERSION >= v"1.12.0-"
        return esc(Expr(:macrocall, Symbol("@ccall"), __source__, Expr(:(=), :gc_safe, true), ex))
    else
        return esc(Expr(:macrocall, Symbol("@ccall"), __source__, ex))
    end
end

# ---- library ---------------------------------------------------------------------------

glmmgo_version() = ccall((:glmmgo_version, libglmmgo()), Cstring, ())

glmmgo_status_string(status) = ccall((:glmmgo_status_string, libglmmgo()), Cstring, (Cint,), status)

glmmgo_available_workers() = ccall((:glmmgo_available_workers, libglmmgo()), Int32, ())

glmmgo_free(h) = ccall((:glmmgo_free, libglmmgo()), Cint, (Int64,), h)

# ---- MCLA ------------------------------------------------------------------------------

function glmmgo_mcla_new(n, p, q, family, y, ntrials, weights, x, nnz, z_row, z_col, z_val,
                         nvc, vc_of_column, out, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mcla_new(
        n::Int64, p::Int64, q::Int64, family::Int32,
        y::Ptr{Float64}, ntrials::Ptr{Float64}, weights::Ptr{Float64}, x::Ptr{Float64},
        nnz::Int64, z_row::Ptr{Int64}, z_col::Ptr{Int64}, z_val::Ptr{Float64},
        nvc::Int64, vc_of_column::Ptr{Int64},
        out::Ref{Int64}, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mcla_set_importance(h, zeta, p_mix, u_star, d_star, sigma_inv, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mcla_set_importance(
        h::Int64, zeta::Float64, p_mix::Ptr{Float64}, u_star::Ptr{Float64},
        d_star::Ptr{Float64}, sigma_inv::Ptr{Float64}, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mcla_set_samples(h, m, umat, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mcla_set_samples(
        h::Int64, m::Int64, umat::Ptr{Float64}, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mcla_objective(h, par, workers, value, gradient, hessian, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mcla_objective(
        h::Int64, par::Ptr{Float64}, workers::Int32, value::Ref{Float64},
        gradient::Ptr{Float64}, hessian::Ptr{Float64}, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mcla_dims(h, n, p, q, nvc, m, err, errlen)
    return ccall((:glmmgo_mcla_dims, libglmmgo()), Cint,
                 (Int64, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ptr{UInt8}, Csize_t),
                 h, n, p, q, nvc, m, err, errlen)
end

function glmmgo_mcla_partial_length(h, len, err, errlen)
    return ccall((:glmmgo_mcla_partial_length, libglmmgo()), Cint,
                 (Int64, Ref{Int64}, Ptr{UInt8}, Csize_t), h, len, err, errlen)
end

function glmmgo_mcla_partial(h, par, row_begin, row_end, workers, partial, len, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mcla_partial(
        h::Int64, par::Ptr{Float64}, row_begin::Int64, row_end::Int64, workers::Int32,
        partial::Ptr{Float64}, len::Int64, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mcla_merge(h, par, npartials, partials, len, value, gradient, hessian, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mcla_merge(
        h::Int64, par::Ptr{Float64}, npartials::Int64, partials::Ptr{Float64}, len::Int64,
        value::Ref{Float64}, gradient::Ptr{Float64}, hessian::Ptr{Float64},
        err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

# ---- LMM -------------------------------------------------------------------------------

function glmmgo_lmm_new(n, p, y, x, weights, nterms, nlevels, ncols, codes, z, out, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_lmm_new(
        n::Int64, p::Int64, y::Ptr{Float64}, x::Ptr{Float64}, weights::Ptr{Float64},
        nterms::Int64, nlevels::Ptr{Int64}, ncols::Ptr{Int64}, codes::Ptr{Int64},
        z::Ptr{Float64}, out::Ref{Int64}, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_lmm_dims(h, n, p, p_given, ntheta, q, nterms, err, errlen)
    return ccall((:glmmgo_lmm_dims, libglmmgo()), Cint,
                 (Int64, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ptr{UInt8}, Csize_t),
                 h, n, p, p_given, ntheta, q, nterms, err, errlen)
end

function glmmgo_lmm_term_order(h, order, nterms, err, errlen)
    return ccall((:glmmgo_lmm_term_order, libglmmgo()), Cint,
                 (Int64, Ptr{Int64}, Int64, Ptr{UInt8}, Csize_t), h, order, nterms, err, errlen)
end

function glmmgo_lmm_kept_columns(h, kept, p, err, errlen)
    return ccall((:glmmgo_lmm_kept_columns, libglmmgo()), Cint,
                 (Int64, Ptr{Int64}, Int64, Ptr{UInt8}, Csize_t), h, kept, p, err, errlen)
end

function glmmgo_lmm_lower(h, lower, ntheta, err, errlen)
    return ccall((:glmmgo_lmm_lower, libglmmgo()), Cint,
                 (Int64, Ptr{Float64}, Int64, Ptr{UInt8}, Csize_t), h, lower, ntheta, err, errlen)
end

function glmmgo_lmm_objective(h, theta, reml, value, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_lmm_objective(
        h::Int64, theta::Ptr{Float64}, reml::Int32, value::Ref{Float64},
        err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_lmm_fit(h, reml, theta0, rhobeg, rhoend, maxeval, progress, userdata, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_lmm_fit(
        h::Int64, reml::Int32, theta0::Ptr{Float64}, rhobeg::Float64, rhoend::Float64,
        maxeval::Int64, progress::Ptr{Cvoid}, userdata::Ptr{Cvoid},
        err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_lmm_fit_info(h, objective, loglik, deviance, remlcrit, aic, bic, sigma, evals,
                             converged, singular, reml, err, errlen)
    return ccall((:glmmgo_lmm_fit_info, libglmmgo()), Cint,
                 (Int64, Ref{Float64}, Ref{Float64}, Ref{Float64}, Ref{Float64}, Ref{Float64}, Ref{Float64},
                  Ref{Float64}, Ref{Int64}, Ref{Int32}, Ref{Int32}, Ref{Int32}, Ptr{UInt8}, Csize_t),
                 h, objective, loglik, deviance, remlcrit, aic, bic, sigma, evals, converged, singular, reml,
                 err, errlen)
end

function glmmgo_lmm_theta(h, theta, ntheta, err, errlen)
    return ccall((:glmmgo_lmm_theta, libglmmgo()), Cint,
                 (Int64, Ptr{Float64}, Int64, Ptr{UInt8}, Csize_t), h, theta, ntheta, err, errlen)
end

function glmmgo_lmm_beta(h, beta, se, vcov, p, err, errlen)
    return ccall((:glmmgo_lmm_beta, libglmmgo()), Cint,
                 (Int64, Ptr{Float64}, Ptr{Float64}, Ptr{Float64}, Int64, Ptr{UInt8}, Csize_t),
                 h, beta, se, vcov, p, err, errlen)
end

function glmmgo_lmm_ranef(h, b, u, q, err, errlen)
    return ccall((:glmmgo_lmm_ranef, libglmmgo()), Cint,
                 (Int64, Ptr{Float64}, Ptr{Float64}, Int64, Ptr{UInt8}, Csize_t), h, b, u, q, err, errlen)
end

function glmmgo_lmm_condvar(h, cv, len, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_lmm_condvar(
        h::Int64, cv::Ptr{Float64}, len::Int64, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

# ---- MCLA fits -------------------------------------------------------------------------

"""
    glmmgo_mclafit_options

The C struct of the same name (the options of `glmmgo_mclafit_run`), field for field
and so with the same layout. Obtain the defaults from `glmmgo_mclafit_options_default`.
"""
struct glmmgo_mclafit_options
    m::Int64
    p_mix::NTuple{3,Float64}
    zeta::Float64
    seed::UInt64
    workers::Int32
    no_pql::Int32
    rinit::Float64
    rmax::Float64
    iterlim::Int64
    par_init::Ptr{Float64}
    ess_warn::Float64
    t_at_ustar::Int32
end

function glmmgo_mclafit_options_default(opt)
    return ccall((:glmmgo_mclafit_options_default, libglmmgo()), Cvoid, (Ref{glmmgo_mclafit_options},), opt)
end

function glmmgo_mclafit_new(n, p, q, family, y, ntrials, weights, x, nnz, z_row, z_col, z_val,
                            nvc, vc_of_column, dispersion, out, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mclafit_new(
        n::Int64, p::Int64, q::Int64, family::Int32,
        y::Ptr{Float64}, ntrials::Ptr{Float64}, weights::Ptr{Float64}, x::Ptr{Float64},
        nnz::Int64, z_row::Ptr{Int64}, z_col::Ptr{Int64}, z_val::Ptr{Float64},
        nvc::Int64, vc_of_column::Ptr{Int64}, dispersion::Float64,
        out::Ref{Int64}, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mclafit_run(h, opt, progress, userdata, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mclafit_run(
        h::Int64, opt::Ref{glmmgo_mclafit_options}, progress::Ptr{Cvoid}, userdata::Ptr{Cvoid},
        err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mclafit_run_dispersion(h, opt, r_lo, r_hi, progress, userdata, r_hat, loglik, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mclafit_run_dispersion(
        h::Int64, opt::Ref{glmmgo_mclafit_options}, r_lo::Float64, r_hi::Float64,
        progress::Ptr{Cvoid}, userdata::Ptr{Cvoid}, r_hat::Ref{Float64}, loglik::Ref{Float64},
        err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

function glmmgo_mclafit_dims(h, p, nvc, q, m, err, errlen)
    return ccall((:glmmgo_mclafit_dims, libglmmgo()), Cint,
                 (Int64, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ref{Int64}, Ptr{UInt8}, Csize_t),
                 h, p, nvc, q, m, err, errlen)
end

function glmmgo_mclafit_estimates(h, beta, nu, value, gradient, hessian, err, errlen)
    return ccall((:glmmgo_mclafit_estimates, libglmmgo()), Cint,
                 (Int64, Ptr{Float64}, Ptr{Float64}, Ref{Float64}, Ptr{Float64}, Ptr{Float64}, Ptr{UInt8}, Csize_t),
                 h, beta, nu, value, gradient, hessian, err, errlen)
end

function glmmgo_mclafit_convergence(h, converged, iterations, evaluations, ess, ess_warning, counts, seconds,
                                    err, errlen)
    return ccall((:glmmgo_mclafit_convergence, libglmmgo()), Cint,
                 (Int64, Ref{Int32}, Ref{Int64}, Ref{Int64}, Ref{Float64}, Ref{Int32}, Ptr{Int64}, Ptr{Float64},
                  Ptr{UInt8}, Csize_t),
                 h, converged, iterations, evaluations, ess, ess_warning, counts, seconds, err, errlen)
end

function glmmgo_mclafit_inference(h, se, z, pvalue, vcov, mcse, mcvcov, err, errlen)
    return ccall((:glmmgo_mclafit_inference, libglmmgo()), Cint,
                 (Int64, Ptr{Float64}, Ptr{Float64}, Ptr{Float64}, Ptr{Float64}, Ptr{Float64}, Ptr{Float64},
                  Ptr{UInt8}, Csize_t),
                 h, se, z, pvalue, vcov, mcse, mcvcov, err, errlen)
end

function glmmgo_mclafit_confint(h, level, lower, upper, err, errlen)
    return ccall((:glmmgo_mclafit_confint, libglmmgo()), Cint,
                 (Int64, Float64, Ptr{Float64}, Ptr{Float64}, Ptr{UInt8}, Csize_t),
                 h, level, lower, upper, err, errlen)
end

function glmmgo_mclafit_start(h, used_pql, par_init, u_star, d_star, err, errlen)
    return ccall((:glmmgo_mclafit_start, libglmmgo()), Cint,
                 (Int64, Ref{Int32}, Ptr{Float64}, Ptr{Float64}, Ptr{Float64}, Ptr{UInt8}, Csize_t),
                 h, used_pql, par_init, u_star, d_star, err, errlen)
end

function glmmgo_mclafit_umatrix(h, umat, len, err, errlen)
    return @gcsafe_ccall libglmmgo().glmmgo_mclafit_umatrix(
        h::Int64, umat::Ptr{Float64}, len::Int64, err::Ptr{UInt8}, errlen::Csize_t)::Cint
end

end # module LibGlmmGo
