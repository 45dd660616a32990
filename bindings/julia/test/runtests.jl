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
using GlmmGo: LibGlmmGo, from_c_indices
using JSON
using LinearAlgebra
using SparseArrays
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
    return LinearMixedModel(y === nothing ? response : y, X, terms;
                            fixefnames = case["fixed"], responsename = case["response"])
end

# The MCLA model, importance density and samples of a reference file.
function mcla_from_reference(ref; y = ref["y"], importance = true, samples = true)
    n, p, q, T, m = ref["n"], ref["p"], ref["q"], ref["T"], ref["m"]
    Z = sparse(from_c_indices(Int.(ref["Z"]["row"])), from_c_indices(Int.(ref["Z"]["col"])), tofloat.(ref["Z"]["val"]), n, q)
    varcomp = reduce(vcat, [fill(t, k) for (t, k) in enumerate(ref["nrandom"])])
    model = MCLAModel(Symbol(ref["family"]), tofloat.(y), reshape(tofloat.(ref["X"]), n, p), Z, varcomp;
                      ntrials = tofloat.(ref["ntrials"]), weights = tofloat.(ref["weights"]))
    importance && set_importance!(model; zeta = ref["zeta"], p_mix = tofloat.(ref["p_mix"]),
                                  u_star = tofloat.(ref["u_star"]), d_star = tofloat.(ref["D_star"]),
                                  sigma_inv = reshape(tofloat.(ref["Sigmuh_inv"]), q, q))
    samples && set_samples!(model, reshape(tofloat.(ref["umat"]), m, q))
    return model
end

const MCLA_REF = JSON.parsefile(joinpath(DATA, PLAN["mcla"][1]["reference"]))
const DYESTUFF = first(filter(c -> c["data"] == "Dyestuff.csv", PLAN["lmm"]))

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
    "lmm_info_before_fit" => function ()
        m = lmm_from_case(DYESTUFF)
        @test !isfitted(m)
        @test_throws ArgumentError fixef(m)
        r = Ref(0.0), Ref(0.0), Ref(0.0), Ref(0.0), Ref(0.0), Ref(0.0), Ref(0.0)
        return try
            GlmmGo.checked(LibGlmmGo.glmmgo_lmm_fit_info, m.handle, r..., Ref{Int64}(0), Ref{Int32}(0),
                           Ref{Int32}(0), Ref{Int32}(0))
        catch e
            e
        end
    end,
    "lmm_cancel" => function ()
        m = lmm_from_case(DYESTUFF)
        calls = Ref(0)
        e = try fit!(m; callback = (iter, obj, θ) -> (calls[] += 1; false)); catch err; err; end
        @test calls[] == 1
        @test !isfitted(m)
        token = CancelToken()
        cancel!(token)
        @test_throws GlmmGoError fit!(m; cancel = token)
        return e
    end,
)

@testset "GlmmGo" begin
    @testset "library" begin
        @test GlmmGo.version() == VersionNumber(LibGlmmGo.GLMMGO_VERSION_STRING)
        @test GlmmGo.available_workers() >= 1
        @test GlmmGo.status_string(LibGlmmGo.GLMMGO_ERR_DOMAIN) isa String
        @test status_symbol(LibGlmmGo.GLMMGO_ERR_CANCELLED) == :cancelled
        @test GlmmGo.to_c_range(1:256) == (0, 256)
        @test GlmmGo.from_c_indices(GlmmGo.to_c_indices([1, 5, 3])) == [1, 5, 3]
    end

    tol = PLAN["lmm_tolerance"]
    @testset "LMM $(case["reference"])" for case in PLAN["lmm"]
        ref = LME4[case["reference"]]
        reml = ref["REML"]
        m = lmm_from_case(case)
        @test length(fixefnames(m)) == length(ref["beta"])
        @test lowerbd(m) == tofloat.(ref["theta_lower"])
        for oa in ref["objective_at"]
            @test closeto(objective(m, tofloat.(oa["theta"]); REML = reml), oa["objective"], tol["objective_at"])
        end
        evals = Ref(0)
        fit!(m; REML = reml, callback = (iter, obj, θ) -> (evals[] += 1; true))
        @test evals[] > 0
        @test isfitted(m)
        @test isreml(m) == reml
        @test closeto(objective(m), ref["objective"], tol["objective"])
        @test closeto(loglikelihood(m), -objective(m) / 2, 1e-12)
        @test closeto(aic(m), (reml ? -2loglikelihood(m) : deviance(m)) + 2dof(m), 1e-10)
        @test issingular(m) == get(case, "singular", false)
        @test closeto(m.θ, tofloat.(ref["theta"]), tol["theta"])
        @test closeto(fixef(m), tofloat.(ref["beta"]), tol["beta"])
        @test fixefnames(m) == ref["beta_names"]
        @test closeto(stderror(m), tofloat.(ref["beta_se"]), tol["se"])
        @test closeto(sqrt.(diag(vcov(m))), stderror(m), 1e-12)
        @test closeto(sdest(m), ref["sigma"], tol["sigma"])
        # shapes and printing (no further library values)
        re = ranef(m)
        @test length(re) == length(case["terms"])
        @test size(re[1]) == (length(case["terms"][1]["columns"]), length(unique(readcsv(joinpath(DATA, case["data"]))[case["terms"][1]["group"]])))
        @test size(condVar(m)[1], 3) == size(re[1], 2)
        vc = VarCorr(m)
        @test vc.sigma == sdest(m)
        @test size(coeftable(m).cols[1]) == (length(ref["beta"]),)
        out = sprint(show, MIME"text/plain"(), m)
        @test occursin(reml ? "fit by REML" : "fit by maximum likelihood", out)
        @test occursin("Variance components:", out)
        @test occursin(case["response"], out)
        # the same model from a formula (StatsModels extension) gives the same fit
        f = eval(Meta.parse("@formula(" * case["formula"] * ")"))
        data = readcsv(joinpath(DATA, case["data"]))
        table = (; (Symbol(k) => (k in case["fixed"] || k == case["response"] ||
                                  any(c -> k in c["columns"], case["terms"]) ? parse.(Float64, v) : v)
                    for (k, v) in data)...)
        mf = fit(LinearMixedModel, f, table; REML = reml)
        @test fixef(mf) == fixef(m)
        @test mf.θ == m.θ
        @test objective(mf) == objective(m)
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

    @testset "error $(case["scenario"])" for case in PLAN["error"]
        e = ERROR_SCENARIOS[case["scenario"]]()
        @test e isa GlmmGoError
        @test status_symbol(e) == Symbol(case["status"])
        haskey(case, "message") && @test occursin(case["message"], e.msg)
    end

    @testset "Julia-side argument checks" begin
        @test_throws DimensionMismatch LinearMixedModel(ones(3), ones(2, 1), [ReTerm(["a", "b", "a"])])
        @test_throws ArgumentError MCLAModel(:gaussian, [0.0, 1.0], ones(2, 1), ones(2, 1))
    end
end
