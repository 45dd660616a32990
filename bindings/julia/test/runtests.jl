# Tests of GlmmGo against lme4's and glmm's reference values.
#
# Needs libglmmgo: set ENV["GLMMGO_LIB"] to a built library before running
#   julia --project=bindings/julia -e 'using Pkg; Pkg.test()'
#
# Every expected value and tolerance comes from test/data/plan.toml and the reference
# files it names. bindings/julia/check/mirror.js makes the same library calls with
# the same arguments from C and checks the same expectations, so a change here that
# is not mirrored there (in particular a new error scenario) is reported by the check.

using GlmmGo
using Distributed
using GlmmGo: LibGlmmGo, from_c_indices, fixef, fixefnames, ranef, condVar, VarCorr, objective, sdest, lowerbd,
    issingular, varest, dispersion, importance, MIXLOGIT_TRACE_COLUMNS
using JSON
using LinearAlgebra
using SparseArrays
using SpecialFunctions: loggamma
using StatsModels
using Test
using TOML

const DATA = joinpath(@__DIR__, "data")
const PLAN = TOML.parsefile(joinpath(DATA, "plan.toml"))
const LME4 = Dict(m["name"] => m for m in JSON.parsefile(joinpath(DATA, "lme4_reference.json"))["models"])

# The tolerance rule of the plan: |got - want| <= tol * max(1, |want|), elementwise.
closeto(got::Real, want::Real, tol::Real) = abs(got - want) <= tol * max(1, abs(want))
closeto(got::AbstractArray, want::AbstractArray, tol::Real) =
    size(got) == size(want) && all(closeto(g, w, tol) for (g, w) in zip(got, want))

tofloat(v) = v isa AbstractString ? parse(Float64, v) : Float64(v)   # JSON writes -Inf as a string

# A small reader for the plain CSV files of test/data: a header of names, fields split
# at commas, surrounding double quotes removed, every column kept as strings.
function readcsv(path)
    lines = filter(!isempty, readlines(path))
    unquote(s) = length(s) >= 2 && startswith(s, '"') && endswith(s, '"') ? s[2:(end - 1)] : s
    names = unquote.(split(lines[1], ','))
    rows = [unquote.(split(l, ',')) for l in lines[2:end]]
    all(length(r) == length(names) for r in rows) || error("$path: ragged rows")
    return Dict(String(n) => [String(r[j]) for r in rows] for (j, n) in enumerate(names))
end

# "(Intercept)" is a column of ones; anything else a numeric column.
column(data, name, n) = name == "(Intercept)" ? ones(n) : parse.(Float64, data[name])

function lmm_from_case(case; y = nothing)
    data = readcsv(joinpath(DATA, case["data"]))
    response = parse.(Float64, data[case["response"]])
    n = length(response)
    X = reduce(hcat, [column(data, f, n) for f in case["fixed"]])
    terms = [ReTerm(data[t["group"]], reduce(hcat, [column(data, c, n) for c in t["columns"]]);
                    name = t["group"], cnames = t["columns"]) for t in case["terms"]]
    return LMMModel(y === nothing ? response : y, X, terms;
                    fixefnames = case["fixed"], responsename = case["response"])
end

# The MCLA model of a reference file, as `family` (default the file's), with the
# file's importance density and samples unless told otherwise.
function mcla_from_reference(ref; y = ref["y"], family = Symbol(ref["family"]), importance = true, samples = true,
                             dispersion = nothing)
    n, p, q, T, m = ref["n"], ref["p"], ref["q"], ref["T"], ref["m"]
    Z = sparse(from_c_indices(Int.(ref["Z"]["row"])), from_c_indices(Int.(ref["Z"]["col"])), tofloat.(ref["Z"]["val"]), n, q)
    varcomp = reduce(vcat, [fill(t, k) for (t, k) in enumerate(ref["nrandom"])])
    model = MCLAModel(family, tofloat.(y), reshape(tofloat.(ref["X"]), n, p), Z, varcomp;
                      ntrials = tofloat.(ref["ntrials"]), weights = tofloat.(ref["weights"]), dispersion)
    importance && set_importance!(model; zeta = ref["zeta"], p_mix = tofloat.(ref["p_mix"]),
                                  u_star = tofloat.(ref["u_star"]), d_star = tofloat.(ref["D_star"]),
                                  sigma_inv = reshape(tofloat.(ref["Sigmuh_inv"]), q, q))
    samples && set_samples!(model, reshape(tofloat.(ref["umat"]), m, q))
    return model
end

# Σ = σ² L Lᵀ per term from θ (each term's lower triangle, column by column): the
# standard deviations and correlations VarCorr must report, as one flat vector in the
# library's layout (per term the sds, then the correlations below the diagonal).
function varcorr_closed_form(θ, σ, ks)
    out = Float64[]
    i = 0
    for k in ks
        L = zeros(k, k)
        for j in 1:k, r in j:k
            L[r, j] = θ[i += 1]
        end
        Σ = σ^2 * (L * L')
        sd = sqrt.(diag(Σ))
        append!(out, sd)
        for j in 1:k, r in (j + 1):k
            push!(out, Σ[r, j] / (sd[r] * sd[j]))
        end
    end
    return push!(out, σ)
end

# The full negative binomial log-likelihood's terms free of η (family.LogConstNB).
lognbconst(y, r) = loggamma(y + r) - loggamma(r) - loggamma(y + 1) - y * log(r)

const MCLA_REF = JSON.parsefile(joinpath(DATA, PLAN["mcla"][1]["reference"]))
const DYESTUFF = first(filter(c -> c["data"] == "Dyestuff.csv", PLAN["lmm"]))

# The mixlogit reference: n×T data (column-major in the file), the exact log-likelihood at
# given points and the MLE, both from R (testdata/mixlogit/make_reference.R).
const MIXLOGIT_REF = JSON.parsefile(joinpath(DATA, PLAN["mixlogit"][1]["reference"]))
mixlogit_data(ref) = (reshape(tofloat.(ref["y"]), ref["n"], ref["T"]), reshape(tofloat.(ref["x"]), ref["n"], ref["T"]))

# A small MCLA fit for the error scenarios that need one.
small_mcla_fit() = fit(MCLAFit, mcla_from_reference(MCLA_REF; importance = false, samples = false); m = 100, seed = 1)

# Error scenarios, one per entry of the plan's [[error]] list (mirror.js has the same).
# Each returns the GlmmGoError it provoked.
const ERROR_SCENARIOS = Dict(
    "mcla_nonpositive_variance" => function ()
        m = mcla_from_reference(MCLA_REF)
        par = tofloat.(MCLA_REF["par"])
        par[MCLA_REF["p"] + 1] = -1.0
        @test objective(m, par; outside = :neginf).value == -Inf
        return try objective(m, par); catch e; e; end
    end,
    "mcla_objective_before_samples" => function ()
        m = mcla_from_reference(MCLA_REF; samples = false)
        @test nsamples(m) == 0
        return try objective(m, tofloat.(MCLA_REF["par"])); catch e; e; end
    end,
    "mcla_bad_response" => function ()
        y = tofloat.(MCLA_REF["y"])
        y[3] = 2.0
        return try mcla_from_reference(MCLA_REF; y, importance = false, samples = false); catch e; e; end
    end,
    "free_twice" => function ()
        m = mcla_from_reference(MCLA_REF; importance = false, samples = false)
        id = m.handle.id
        close(m)                  # glmmgo_free succeeds once
        @test m.handle.id == 0
        close(m)                  # closing again is a no-op on the Julia side
        status = LibGlmmGo.glmmgo_free(id)
        return GlmmGoError(status, :glmmgo_free, "")
    end,
    "lmm_nan_response" => function ()
        y = parse.(Float64, readcsv(joinpath(DATA, DYESTUFF["data"]))[DYESTUFF["response"]])
        y[1] = NaN
        return try lmm_from_case(DYESTUFF; y); catch e; e; end
    end,
    "lmm_negative_theta" => function ()
        m = lmm_from_case(DYESTUFF)
        return try objective(m, [-1.0]); catch e; e; end
    end,
    "lmm_result_before_fit" => function ()
        m = lmm_from_case(DYESTUFF)
        return try GlmmGo.result(m.handle, LibGlmmGo.GLMMGO_LMM_THETA); catch e; e; end
    end,
    "lmm_cancel" => function ()
        m = lmm_from_case(DYESTUFF)
        calls = Ref(0)
        e = try fit(LMMFit, m; callback = (iter, obj, θ) -> (calls[] += 1; false)); catch err; err; end
        @test calls[] == 1
        token = CancelToken()
        cancel!(token)
        @test_throws GlmmGoError fit(LMMFit, m; cancel = token)
        return e
    end,
    "lmm_bad_workers" => function ()
        m = lmm_from_case(DYESTUFF)
        return try objective(m, [1.0]; workers = -1); catch e; e; end
    end,
    "mcla_nb_no_dispersion" => function ()
        m = mcla_from_reference(MCLA_REF; family = :negbinomial)
        return try objective(m, tofloat.(MCLA_REF["par"])); catch e; e; end
    end,
    "confint_bad_level" => function ()
        return try confint(small_mcla_fit(); level = 1.5); catch e; e; end
    end,
    "result_wrong_kind" => function ()
        return try GlmmGo.result(small_mcla_fit().handle, LibGlmmGo.GLMMGO_LMM_THETA); catch e; e; end
    end,
    "mixlogit_nonbinary_y" => function ()
        y, x = mixlogit_data(MIXLOGIT_REF)
        y[3, 2] = 2.0          # element [2, 1] counted from 0
        return try MixLogitModel(y, x); catch e; e; end
    end,
    "mixlogit_start_pi" => function ()
        m = MixLogitModel(mixlogit_data(MIXLOGIT_REF)...)
        return try fit(MixLogitFit, m; method = :quadrature, start = [-1.0, 1.5, 1.0, 2.0, 1.5]); catch e; e; end
    end,
    "mixlogit_par_domain" => function ()
        m = MixLogitModel(mixlogit_data(MIXLOGIT_REF)...)
        return try objective(m, [-1.0, 1.5, -1.0, 2.0, 0.6]); catch e; e; end
    end,
    "mixlogit_cancel" => function ()
        m = MixLogitModel(mixlogit_data(MIXLOGIT_REF)...)
        calls = Ref(0)
        e = try fit(MixLogitFit, m; seed = 1, callback = (iter, value, par) -> (calls[] += 1; false)); catch err; err; end
        @test calls[] == 1
        return e
    end,
)

@testset "GlmmGo" begin
    @testset "library" begin
        @test GlmmGo.version() == VersionNumber(LibGlmmGo.GLMMGO_VERSION_STRING)
        @test LibGlmmGo.glmmgo_version_number() == LibGlmmGo.GLMMGO_VERSION_NUMBER
        @test GlmmGo.check_version(LibGlmmGo.glmmgo_version_number()) === nothing
        @test GlmmGo.available_workers() >= 1
        default_limit = memory_limit()
        @test default_limit > 2^20
        @test set_memory_limit!(2^30) == 2^30
        @test set_memory_limit!(0) == default_limit
        @test status_symbol(try set_memory_limit!(-1); catch e; e; end) == :invalid
        @test GlmmGo.status_string(LibGlmmGo.GLMMGO_ERR_DOMAIN) isa String
        @test status_symbol(LibGlmmGo.GLMMGO_ERR_CANCELLED) == :cancelled
        @test GlmmGo.to_c_range(1:256) == (0, 256)
        @test GlmmGo.from_c_indices(GlmmGo.to_c_indices([1, 5, 3])) == [1, 5, 3]
    end

    @testset "LMM derivatives $(d["reference"])" for d in PLAN["lmm_derivatives"]
        case = only(filter(c -> c["reference"] == d["reference"], PLAN["lmm"]))
        ref = LME4[d["reference"]]
        m = lmm_from_case(case)
        θ = tofloat.(ref["theta"])
        g = GlmmGo.gradient(m, θ; REML = ref["REML"])
        @test length(g) == length(θ)
        @test all(abs.(g) .<= d["gradient_abs"])
        H = GlmmGo.hessian(m, θ; REML = ref["REML"], sigma = Symbol(d["sigma"]))
        @test H == H'
        @test closeto(vec(H), tofloat.(d["hessian"]), d["hessian_tol"])
        @test_throws ArgumentError GlmmGo.hessian(m, θ; sigma = :neither)
        # a fit by BFGS: the gradient at θ̂, the profiled Hessian, θ̂'s Wald covariance 2H⁻¹
        f = fit(LMMFit, m; REML = ref["REML"], optimizer = :bfgs)
        @test GlmmGo.optimizer(f) == :bfgs
        @test all(abs.(GlmmGo.gradient(f)) .<= d["gradient_abs"])
        Hf = GlmmGo.hessian(f)
        @test Hf == Hf'
        k = length(θ)
        free = [i for i in 1:k if !(f.θ[i] - lowerbd(m)[i] < 1e-6)]
        V = GlmmGo.theta_vcov(f)
        @test closeto(V[free, free], 2 * inv(Hf[free, free]), 1e-8)
        @test all(isnan, GlmmGo.theta_se(f)[setdiff(1:k, free)])
        @test closeto(GlmmGo.theta_se(f)[free], sqrt.(diag(V)[free]), 1e-12)
        vse = GlmmGo.varcorr_se(f)
        @test length(vse) == k + 1 && vse[end] > 0
    end

    tol = PLAN["lmm_tolerance"]
    @testset "LMM $(case["reference"])" for case in PLAN["lmm"]
        ref = LME4[case["reference"]]
        reml = ref["REML"]
        m = lmm_from_case(case)
        n, p = nobs(m), length(fixefnames(m))
        @test p == length(ref["beta"])
        @test lowerbd(m) == tofloat.(ref["theta_lower"])
        layout = GlmmGo.thetalayout(m)
        @test length(layout) == length(lowerbd(m))
        @test all((e.row == e.col) == (lb == 0) for (e, lb) in zip(layout, lowerbd(m)))
        @test all(count(e -> e.term == t, layout) == k * (k + 1) ÷ 2 for (t, k) in enumerate(m.term_ncols))
        for oa in ref["objective_at"]
            θ = tofloat.(oa["theta"])
            @test closeto(objective(m, θ; REML = reml), oa["objective"], tol["objective_at"])
            d = deviance_parts(m, θ)
            @test closeto(d.ldL2 - d.ldW + n * (1 + log(2π * d.pwrss / n)), objective(m, θ), tol["parts"])
            @test closeto(d.ldL2 + d.ldRX2 - d.ldW + (n - p) * (1 + log(2π * d.pwrss / (n - p))),
                          objective(m, θ; REML = true), tol["parts"])
            @test closeto(d.wrss + d.ussq, d.pwrss, tol["parts"])
        end
        fits = LMMFit[]
        for w in PLAN["lmm_fit"]["workers"]
            evals = Ref(0)
            push!(fits, fit(LMMFit, m; REML = reml, workers = w, callback = (iter, obj, θ) -> (evals[] += 1; true)))
            @test evals[] == nevals(fits[end])
        end
        f = fits[1]
        @test all(g.θ == f.θ && fixef(g) == fixef(f) for g in fits)
        @test isfitted(f)
        @test isreml(f) == reml
        @test closeto(objective(f), ref["objective"], tol["objective"])
        @test closeto(objective(m, f.θ; REML = reml), objective(f), tol["parts"])
        @test closeto(loglikelihood(f), -objective(f) / 2, 1e-12)
        @test closeto(aic(f), (reml ? -2loglikelihood(f) : deviance(f)) + 2dof(f), 1e-10)
        @test issingular(f) == get(case, "singular", false)
        @test closeto(f.θ, tofloat.(ref["theta"]), tol["theta"])
        @test closeto(fixef(f), tofloat.(ref["beta"]), tol["beta"])
        @test coef(f) == fixef(f)
        @test fixefnames(f) == ref["beta_names"]
        @test closeto(stderror(f), tofloat.(ref["beta_se"]), tol["se"])
        @test closeto(sqrt.(diag(vcov(f))), stderror(f), 1e-12)
        @test closeto(sdest(f), ref["sigma"], tol["sigma"])
        vc = VarCorr(f)
        ks = [length(t["columns"]) for t in case["terms"]]
        flat = reduce(vcat, [[s; [c[r, j] for j in 1:length(s) for r in (j + 1):length(s)]] for (s, c) in zip(vc.sd, vc.corr)])
        @test closeto(push!(flat, vc.sigma), varcorr_closed_form(f.θ, sdest(f), ks), tol["varcorr"])
        # shapes and printing (no further library values)
        re = ranef(f)
        @test length(re) == length(case["terms"])
        @test size(re[1]) == (ks[1], length(unique(readcsv(joinpath(DATA, case["data"]))[case["terms"][1]["group"]])))
        @test size(condVar(f)[1]) == (ks[1], ks[1], size(re[1], 2))
        @test closeto(residuals(f), response(f) .- fitted(f), 1e-12)
        @test size(coeftable(f).cols[1]) == (length(ref["beta"]),)
        out = sprint(show, MIME"text/plain"(), f)
        @test occursin(reml ? "fit by REML" : "fit by maximum likelihood", out)
        @test occursin("Variance components:", out)
        @test occursin(case["response"], out)
        # a fit outlives its model's handle
        close(m)
        @test size(condVar(fits[end])[1], 3) == size(re[1], 2)
        # the same model from a formula (StatsModels extension) gives the same fit
        fm = eval(Meta.parse("@formula(" * case["formula"] * ")"))
        data = readcsv(joinpath(DATA, case["data"]))
        table = (; (Symbol(k) => (k in case["fixed"] || k == case["response"] ||
                                  any(c -> k in c["columns"], case["terms"]) ? parse.(Float64, v) : v)
                    for (k, v) in data)...)
        ff = fit(LMMFit, fm, table; REML = reml)
        @test fixef(ff) == fixef(f)
        @test ff.θ == f.θ
        @test objective(ff) == objective(f)
    end

    mtol = PLAN["mcla_tolerance"]
    @testset "MCLA $(case["reference"])" for case in PLAN["mcla"]
        ref = JSON.parsefile(joinpath(DATA, case["reference"]))
        m = mcla_from_reference(ref)
        @test nsamples(m) == ref["m"]
        d = ref["p"] + ref["T"]
        par = tofloat.(ref["par"])
        for w in case["workers"]
            r = objective(m, par; workers = w)
            @test closeto(r.value, ref["value"], mtol["value"])
            @test closeto(r.gradient, tofloat.(ref["gradient"]), mtol["gradient"])
            @test closeto(r.hessian, reshape(tofloat.(ref["hessian"]), d, d), mtol["hessian"])
        end
        parts = [partial(m, par, a:b) for (a, b) in case["splits"]]
        merged = merge_partials(m, par, parts)
        whole = objective(m, par)
        @test closeto(merged.value, whole.value, mtol["merged"])
        @test closeto(merged.gradient, whole.gradient, mtol["merged"])
        @test closeto(merged.hessian, whole.hessian, mtol["merged"])
        @test closeto(merged.value, ref["value"], mtol["value"])
        @test objective(m, par; gradient = false, hessian = false).gradient === nothing
        @test occursin("bernoulli", sprint(show, MIME"text/plain"(), m))
    end

    ftol = PLAN["mcla_fit_tolerance"]
    @testset "MCLA fit $(case["reference"])" for case in PLAN["mcla_fit"]
        ref = JSON.parsefile(joinpath(DATA, case["reference"]))
        model = mcla_from_reference(ref; importance = false, samples = false)
        zeta, p_mix = case["zeta"], Tuple(tofloat.(case["p_mix"]))
        # glmm's single density (stages = 1), whose density set_importance! can rebuild
        fits = [fit(MCLAFit, model; m = case["m"], seed = case["seed"], zeta, p_mix, workers = w, stages = 1)
                for w in case["workers"]]
        f = fits[1]
        @test all(coef(g) == coef(f) && loglikelihood(g) == loglikelihood(f) for g in fits)
        @test isconverged(f) && GlmmGo.convergence(f) === :converged
        @test nsamples(f) == case["m"]
        @test sum(f.counts) == case["m"]
        @test 1 <= ess(f) <= case["m"]
        # the fit's own sample and importance density give its value and derivatives
        imp = importance(f)
        U = umatrix(f)
        @test_throws ArgumentError umatrix(f; max_bytes = 8 * case["m"] * ref["q"] - 1)   # refused before allocating
        @test size(U) == (case["m"], ref["q"])
        set_importance!(model; zeta, p_mix, imp...)
        set_samples!(model, U)
        r = objective(model, coef(f))
        @test closeto(r.value, loglikelihood(f), ftol["objective"])
        @test closeto(r.gradient, f.gradient, ftol["objective"])
        @test closeto(r.hessian, f.hessian, ftol["objective"])
        # inference identities
        @test closeto(stderror(f), sqrt.(diag(vcov(f))), ftol["identities"])
        @test closeto(mcse(f), sqrt.(diag(mcvcov(f))), ftol["identities"])
        @test closeto(f.z, coef(f) ./ stderror(f), ftol["identities"])
        ci = confint(f; level = 0.9)
        @test closeto(ci, hcat(coef(f) .- ftol["z_90"] .* stderror(f), coef(f) .+ ftol["z_90"] .* stderror(f)),
                      ftol["identities"])
        @test fixef(f) == coef(f)[1:ref["p"]] && varest(f) == coef(f)[(ref["p"] + 1):end]
        @test dispersion(f) == 0 && f.dispersion_profile === nothing
        @test occursin("Monte Carlo", sprint(show, MIME"text/plain"(), f))
        # glmm's MCSE beside the jackknife's; the single stage; the fit's samples set by the library
        @test closeto(mcse(f; method = :glmm), sqrt.(diag(mcvcov(f; method = :glmm))), ftol["identities"])
        @test f.jackknife.groups >= 1 && length(f.stages) == 1 && f.final_stage == 1
        @test f.auto_stop === :m_given && !f.t_sigma && f.samples_kept
        @test f.stages[1].m == case["m"] && f.stages[1].estimate == coef(f)
        set_fit_samples!(model, f)
        @test closeto(objective(model, coef(f)).value, loglikelihood(f), ftol["objective"])
        # m = :auto with two stages, stopped by m_max (its ESS target cannot be met)
        g = @test_logs (:warn, r"m = :auto stopped at m_max") fit(MCLAFit, model; m = :auto, seed = case["seed"], zeta,
                                                                   p_mix, stages = 2, m_pilot = 256, m_max = 512,
                                                                   ess_target = 1e9)
        @test g.auto_stop === :m_max && nsamples(g) == 512 && g.t_sigma && !isempty(g.stages)
        set_fit_samples!(model, g)
        @test closeto(objective(model, coef(g)).value, loglikelihood(g), ftol["objective"])
        # the estimator: a given m keeps glmm's joint one (f above); blockwise on request,
        # which on a design of one block is the joint estimator
        @test f.estimator === :joint && f.blocks >= 1 && f.joint_ess == f.ess
        b = fit(MCLAFit, model; m = 256, seed = case["seed"], zeta, p_mix, stages = 1, estimator = :blockwise)
        @test b.estimator === (b.blocks >= 2 ? :blockwise : :joint) && b.joint_ess > 0
        @test_throws ArgumentError fit(MCLAFit, model; m = 256, estimator = :product)
    end

    @testset "MCLA fit on a worker pool $(case["reference"])" for case in PLAN["mcla_cluster"]
        ref = JSON.parsefile(joinpath(DATA, case["reference"]))
        n, p, q = ref["n"], ref["p"], ref["q"]
        Z = sparse(from_c_indices(Int.(ref["Z"]["row"])), from_c_indices(Int.(ref["Z"]["col"])), tofloat.(ref["Z"]["val"]), n, q)
        varcomp = reduce(vcat, [fill(t, k) for (t, k) in enumerate(ref["nrandom"])])
        data = (Symbol(ref["family"]), tofloat.(ref["y"]), reshape(tofloat.(ref["X"]), n, p), Z, varcomp)
        kw = (; ntrials = tofloat.(ref["ntrials"]), weights = tofloat.(ref["weights"]), m = case["m"], seed = case["seed"],
              workers = 1)
        one = fit(MCLAFit, data...; kw...)
        for k in case["pools"]
            ws = addprocs(k; exeflags = "--project=$(Base.active_project())")
            try
                @everywhere ws using GlmmGo
                g = fit(MCLAFit, data...; kw..., pool = WorkerPool(ws))
                @test coef(g) == coef(one) && loglikelihood(g) == loglikelihood(one)
                @test stderror(g) == stderror(one) && mcse(g) == mcse(one)
            finally
                rmprocs(ws)
            end
        end
    end

    nbtol = PLAN["mcla_nb_tolerance"]
    @testset "negative binomial $(case["reference"])" for case in PLAN["mcla_nb"]
        ref = JSON.parsefile(joinpath(DATA, case["reference"]))
        par = tofloat.(ref["par"])
        nb = objective(mcla_from_reference(ref; family = :negbinomial, dispersion = case["dispersion"]), par)
        pois = objective(mcla_from_reference(ref; family = :poisson), par)
        @test closeto(nb.value, pois.value, nbtol["poisson_limit"])
        @test closeto(nb.gradient, pois.gradient, nbtol["poisson_limit"])
        @test closeto(nb.hessian, pois.hessian, nbtol["poisson_limit"])
        model = mcla_from_reference(ref; family = :negbinomial, importance = false, samples = false)
        f = fit(MCLAFit, model; m = case["m"], seed = case["seed"], dispersion_lo = case["dispersion_lo"],
                dispersion_hi = case["dispersion_hi"])
        r̂, profile = dispersion(f), f.dispersion_profile
        @test case["dispersion_lo"] <= r̂ <= case["dispersion_hi"]
        @test size(profile, 2) == 2 && all(case["dispersion_lo"] .<= profile[:, 1] .<= case["dispersion_hi"])
        best = argmax(profile[:, 2])
        @test f.dispersion_loglik == profile[best, 2] && r̂ == profile[best, 1]
        y, w = tofloat.(ref["y"]), tofloat.(ref["weights"])
        @test closeto(f.dispersion_loglik, loglikelihood(f) + sum(w .* lognbconst.(y, r̂)), nbtol["loglik"])
    end

    xtol = PLAN["mixlogit_tolerance"]
    @testset "mixlogit $(case["reference"])" for case in PLAN["mixlogit"]
        ref = JSON.parsefile(joinpath(DATA, case["reference"]))
        y, x = mixlogit_data(ref)
        m = MixLogitModel(y, x)
        @test nobs(m) == ref["n"] && GlmmGo.dims(m).t == ref["T"]
        for at in ref["at"]
            par = tofloat.(at["par"])
            rs = [objective(m, par; workers = w) for w in case["workers"]]
            @test closeto(rs[1].value, at["loglik"], xtol["objective"])
            @test all(r.value == rs[1].value && r.gradient == rs[1].gradient && r.hessian == rs[1].hessian for r in rs)
            @test rs[1].hessian == rs[1].hessian'
            @test objective(m, par; gradient = false, hessian = false).value == rs[1].value
        end
        fits = Dict(method => [fit(MixLogitFit, m; method, seed = case["seed"], workers = w) for w in case["workers"]]
                    for method in (:quadrature, :mcem))
        for (method, fs) in fits
            f = fs[1]
            @test all(coef(g) == coef(f) && vcov(g) == vcov(f) && posterior(g) == posterior(f) &&
                      g.trace[:, 1:(end - 1)] == f.trace[:, 1:(end - 1)] for g in fs)
            @test isconverged(f) && f.method === method
            @test coef(f)[1] <= coef(f)[2]
            @test closeto(loglikelihood(f), objective(m, coef(f); gradient = false, hessian = false).value, xtol["identities"])
            @test closeto(stderror(f), sqrt.(diag(vcov(f))), xtol["identities"])
            @test closeto(vec(sum(posterior(f); dims = 2)), ones(ref["n"]), xtol["identities"])
            @test closeto(confint(f; level = 0.9), hcat(coef(f) .- xtol["z_90"] .* stderror(f), coef(f) .+ xtol["z_90"] .* stderror(f)),
                          xtol["identities"])
            @test coefnames(f) == ["beta1", "beta2", "sigma1", "sigma2", "pi1"] && nobs(f) == ref["n"] && dof(f) == 5
            @test size(f.trace, 2) == length(MIXLOGIT_TRACE_COLUMNS)
            @test length(f.seconds) == 6
            @test occursin("class 1 has the smaller slope", sprint(show, MIME"text/plain"(), f))
        end
        q, mc = fits[:quadrature][1], fits[:mcem][1]
        @test closeto(coef(q), tofloat.(ref["mle"]), xtol["estimate"])
        @test closeto(loglikelihood(q), ref["loglik_at_mle"], xtol["loglik"])
        @test all(isnan, mcse(q)) && q.total_draws == 0
        @test all(abs.(coef(mc) .- coef(q)) .<= xtol["mcse_multiple"] .* mcse(mc))
        @test closeto(mcse(mc), sqrt.(diag(mcvcov(mc))), xtol["identities"])
        @test size(mc.trace, 1) == mc.iterations && mc.total_draws >= 50 * ref["n"]
        @test length(coeftable(mc).cols) == 4 && length(coeftable(q).cols) == 3
        calls = Ref(0)
        again = fit(MixLogitFit, y, x; seed = case["seed"], callback = (iter, value, par) -> (calls[] += 1; true))
        @test calls[] == again.iterations && coef(again) == coef(mc)
        close(m)
        @test confint(q) isa Matrix{Float64}   # a fit outlives its model
    end

    gtol = PLAN["glmm_tolerance"]
    @testset "glmm $(case["reference"])" for case in PLAN["glmm"]
        ref = JSON.parsefile(joinpath(DATA, case["reference"]))
        n, p = ref["n"], ref["p"]
        m = GLMMModel(tofloat.(ref["y"]), reshape(tofloat.(ref["x"]), n, p), ReTerm(ref["groups"]; name = "herd");
                      family = :binomial, trials = tofloat.(ref["trials"]), fixefnames = String.(ref["fixefnames"]))
        lap = ref["laplace"]
        for at in lap["devfun_at"]
            vs = [objective(m, tofloat.(at["par"]); workers = w) for w in case["workers"]]
            @test closeto(vs[1], at["value"], gtol["objective"])
            @test all(v == vs[1] for v in vs)
        end
        calls = Ref(0)
        fits = [fit(GLMMFit, m; workers = w, callback = (iter, value, par) -> (calls[] += 1; true)) for w in case["workers"]]
        f = fits[1]
        @test calls[] == sum(sum(g.evals) for g in fits)
        @test all(g.θ == f.θ && g.β == f.β && deviance(g) == deviance(f) && vcov(g) == vcov(f) for g in fits)
        @test deviance(f) <= lap["minus_two_loglik"] + gtol["optimum"] * abs(lap["minus_two_loglik"])
        @test closeto(f.θ, tofloat.(lap["theta"]), gtol["estimate"])
        @test closeto(f.β, tofloat.(lap["beta"]), gtol["estimate"])
        @test isconverged(f) && f.se_method === :hessian && f.nagq == 1 && !f.fast
        @test closeto(deviance(f), objective(m, [f.θ; f.β]), gtol["identities"])
        @test closeto(loglikelihood(f), -deviance(f) / 2, gtol["identities"])
        @test closeto(stderror(f), sqrt.(diag(vcov(f))), gtol["identities"])
        @test closeto(confint(f; level = 0.9), hcat(f.β .- gtol["z_90"] .* stderror(f), f.β .+ gtol["z_90"] .* stderror(f)),
                      gtol["identities"])
        @test coefnames(f) == ref["fixefnames"] && nobs(f) == n && dof(f) == p + 1
        @test occursin("Laplace approximation", sprint(show, MIME"text/plain"(), f))
        fast = fit(GLMMFit, m; fast = true)
        @test closeto(deviance(fast), ref["fast"]["minus_two_loglik"], gtol["optimum"]) && fast.evals[2] == 0
        agq = fit(GLMMFit, m; nAGQ = ref["agq"]["nagq"])
        @test closeto(GlmmGo.mmdeviance(agq), ref["agq"]["mm_deviance"], gtol["optimum"])
        close(m)
        @test confint(f) isa Matrix{Float64}   # a fit outlives its model
    end

    @testset "error $(case["scenario"])" for case in PLAN["error"]
        e = ERROR_SCENARIOS[case["scenario"]]()
        @test e isa GlmmGoError
        @test status_symbol(e) == Symbol(case["status"])
        haskey(case, "message") && @test occursin(case["message"], e.msg)
    end

    @testset "Julia-side checks" begin
        @test_throws DimensionMismatch LMMModel(ones(3), ones(2, 1), [ReTerm(["a", "b", "a"])])
        @test_throws ArgumentError MCLAModel(:gaussian, [0.0, 1.0], ones(2, 1), ones(2, 1))
        @test_throws DimensionMismatch MixLogitModel(zeros(12, 3), ones(12, 4))
        @test_throws ArgumentError fit(MixLogitFit, mixlogit_data(MIXLOGIT_REF)...; method = :gibbs)
        # a library of another major or minor version is refused with a clear error
        other = LibGlmmGo.GLMMGO_VERSION_NUMBER + 1000
        e = try GlmmGo.check_version(other, "/lib/libglmmgo.so"); catch err; err; end
        @test e isa GlmmGoError && status_symbol(e) == :version && occursin("major and minor", e.msg)
        @test GlmmGo.check_version(LibGlmmGo.GLMMGO_VERSION_NUMBER + 1) === nothing   # another patch release
        # MixedModels.jl's names are not exported
        for name in (:LinearMixedModel, :GeneralizedLinearMixedModel, :fixef, :ranef, :VarCorr, :condVar, :objective,
                     :sdest, :lowerbd, :issingular, :fixefnames, :varest, :mmdeviance)
            @test !(name in names(GlmmGo))
        end
    end
end
