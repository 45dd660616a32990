# Printing in the layout MixedModels.jl users know: header, likelihood summaries,
# variance components, sizes, fixed-effects table.

_fmt(x::Real, digits::Int = 4) = isnan(x) ? "NaN" : Printf.format(Printf.Format("%.$(digits)f"), x)

function Base.show(io::IO, ::MIME"text/plain", vc::VarCorr)
    rows = Vector{Vector{String}}()      # group, column, variance, std.dev., correlations…
    maxk = maximum(length, vc.sd; init = 1)
    for (g, names, sd, C) in zip(vc.groups, vc.cnames, vc.sd, vc.corr)
        for (i, name) in enumerate(names)
            row = [i == 1 ? g : "", name, _fmt(sd[i]^2, 5), _fmt(sd[i], 5)]
            for j in 1:(i - 1)
                c = C[i, j]
                push!(row, isnan(c) ? "NaN" : Printf.@sprintf("%+.2f", c))
            end
            push!(rows, row)
        end
    end
    isnan(vc.sigma) || push!(rows, ["Residual", "", _fmt(vc.sigma^2, 5), _fmt(vc.sigma, 5)])
    header = ["", "Column", "Variance", "Std.Dev.", (maxk > 1 ? ["Corr."] : String[])...]
    ncol = max(length(header), maximum(length, rows))
    width = zeros(Int, ncol)
    for r in [rows; [header]], (j, cell) in enumerate(r)
        width[j] = max(width[j], textwidth(cell))
    end
    pad(cell, j) = j ≤ 2 ? rpad(cell, width[j]) : lpad(cell, width[j])
    println(io, "Variance components:")
    println(io, rstrip(join((j ≤ 4 ? pad(h, j) : rpad(h, width[j]) for (j, h) in enumerate(header)), "  ")))
    for r in rows
        println(io, rstrip(join((pad(c, j) for (j, c) in enumerate(r)), "  ")))
    end
end

Base.show(io::IO, vc::VarCorr) = show(io, MIME"text/plain"(), vc)

function Base.show(io::IO, ::MIME"text/plain", m::LMMModel)
    println(io, "Linear mixed model (not fitted)")
    println(io, " ", m.formula)
    print(io, " Number of obs: ", nobs(m), "; levels of grouping factors: ",
          join((nlevels(t) for t in m.reterms), ", "))
end

Base.show(io::IO, m::LMMModel) = show(io, MIME"text/plain"(), m)

function Base.show(io::IO, ::MIME"text/plain", f::LMMFit)
    m = f.model
    println(io, "Linear mixed model fit by ", f.reml ? "REML" : "maximum likelihood")
    println(io, " ", m.formula)
    if f.reml
        println(io, " REML criterion at convergence: ", _fmt(f.objective))
    else
        labels = ["logLik", "-2 logLik", "AIC", "AICc", "BIC"]
        values = _fmt.([f.loglik, -2f.loglik, f.aic, aicc(f), f.bic])
        w = max(maximum(textwidth, labels), maximum(textwidth, values)) + 2
        println(io, join(lpad.(labels, w)))
        println(io, join(lpad.(values, w)))
    end
    println(io)
    show(io, MIME"text/plain"(), VarCorr(f))
    println(io, " Number of obs: ", nobs(f), "; levels of grouping factors: ",
            join((nlevels(t) for t in m.reterms), ", "))
    f.singular && println(io, " The fit is singular: a variance component is estimated as (nearly) zero.")
    f.converged || println(io, " The optimiser stopped at its evaluation budget before converging.")
    println(io)
    println(io, "  Fixed-effects parameters:")
    show(io, coeftable(f))
end

Base.show(io::IO, f::LMMFit) = show(io, MIME"text/plain"(), f)

function Base.show(io::IO, ::MIME"text/plain", m::MCLAModel)
    println(io, "MCLA model (", m.family, " family) for the Monte Carlo likelihood approximation")
    println(io, "  observations: ", m.n, ", fixed effects: ", m.p, ", random effects: ", m.q,
            ", variance components: ", m.nvc)
    print(io, "  parameters: ", join([m.coefnames; m.vcnames], ", "))
    if isopen_handle(m.handle)
        k = nsamples(m)
        print(io, "\n  samples: ", k == 0 ? "not set" : string(k))
    else
        print(io, "\n  (closed)")
    end
end

function Base.show(io::IO, ::MIME"text/plain", f::MCLAFit)
    println(io, "GLMM (", f.family, " family) fit by Monte Carlo likelihood approximation")
    println(io, " samples: ", f.m, " (", join(f.counts, " + "), "); effective sample size ", _fmt(f.ess, 1),
            f.ess_warning ? " (low)" : "", f.auto_stop === :m_given ? "" : "; m = :auto, $(f.auto_stop)")
    length(f.stages) > 1 && println(io, " importance densities: ", length(f.stages), " stages, effective sample sizes ",
                                    join((_fmt(s.ess, 0) for s in f.stages), ", "), "; results from stage ", f.final_stage)
    println(io, " Monte Carlo standard errors: jackknife over ", Int(f.jackknife.groups), " groups (",
            _fmt(f.jackknife.effective_groups, 1), " effective); glmm's formula: mcse(f; method = :glmm)")
    println(io, " Monte Carlo log-likelihood (no constants): ", _fmt(f.loglik))
    f.family === :negbinomial && println(io, " negative binomial size r: ", _fmt(f.dispersion),
                                         f.dispersion_loglik === nothing ? "" : " (estimated)")
    println(io, " trust region: ", f.iterations, " iterations", f.converged ? ", converged" : ", NOT converged ($(f.convergence))",
            f.used_pql ? "; PQL start" : "")
    println(io)
    println(io, "  Fixed effects and variance components (ν: one-sided p-values):")
    show(io, coeftable(f))
end

function Base.show(io::IO, ::MIME"text/plain", m::MixLogitModel)
    println(io, "Two-class mixture of logistic random-intercept models (not fitted)")
    print(io, "  subjects: ", m.n, ", occasions: ", m.t, isopen_handle(m.handle) ? "" : " (closed)")
end

function Base.show(io::IO, ::MIME"text/plain", f::MixLogitFit)
    println(io, "Two-class mixture of logistic random-intercept models fit by ",
            f.method === :mcem ? "Monte Carlo EM" : "maximum likelihood (exact quadrature)")
    println(io, " P(y_ij = 1 | class c, z) = logit⁻¹(β_c x_ij + z), z ~ N(0, σ_c²), P(class 1) = π₁;",
            " class 1 has the smaller slope")
    println(io, " subjects: ", f.n, ", occasions: ", f.t, "; exact log-likelihood ", _fmt(f.loglik))
    println(io, " ", f.iterations, " iterations", f.converged ? ", converged" : ", NOT converged")
    f.method === :mcem && println(io, " Monte Carlo: ", f.sample_size, " draws per subject at the end, ", f.total_draws,
                                  " in all; log-likelihood estimate ", _fmt(f.loglik_mc), " (MCSE ", _fmt(f.loglik_mcse), ")")
    f.info_posdef || println(io, " The observed information is not positive definite: no standard errors.")
    println(io)
    show(io, coeftable(f))
end

function Base.show(io::IO, ::MIME"text/plain", f::GLMMFit)
    m = f.model
    approx = f.fast ? "Laplace approximation, fast fit (β by PIRLS)" :
             f.nagq > 1 ? "adaptive Gauss-Hermite quadrature, nAGQ = $(f.nagq)" : "Laplace approximation"
    println(io, "Generalized linear mixed model fit by maximum likelihood ($approx)")
    println(io, " family: ", m.family, ", ", nobs(f), " observations")
    labels = ["logLik", "-2 logLik", "AIC", "BIC", "MM deviance"]
    values = _fmt.([f.loglik, f.minus_two_loglik, f.aic, f.bic, f.mmdeviance])
    w = max(maximum(textwidth, labels), maximum(textwidth, values)) + 2
    println(io, join(lpad.(labels, w)))
    println(io, join(lpad.(values, w)))
    println(io)
    show(io, MIME"text/plain"(), VarCorr(f))
    f.singular && println(io, " The fit is singular: a variance component is estimated as (nearly) zero.")
    f.converged || println(io, " The optimiser stopped before converging: see f.stage_status.")
    println(io)
    println(io, "  Fixed-effects parameters:")
    show(io, coeftable(f))
end

Base.show(io::IO, f::GLMMFit) = show(io, MIME"text/plain"(), f)

function Base.show(io::IO, ::MIME"text/plain", m::GLMMModel)
    println(io, "GLMMModel (", m.family, "): ", nobs(m), " observations, ", length(m.kept), " fixed effects, ",
            length(m.reterms), " random-effects term(s)")
end

Base.show(io::IO, m::GLMMModel) = show(io, MIME"text/plain"(), m)
