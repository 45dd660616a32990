"""
    GlmmGoStatsModelsExt

Loaded when StatsModels is: makes a [`GlmmGo.LMMModel`](@ref), or fits a
[`GlmmGo.LMMFit`](@ref), from a formula with lme4's random-effects syntax, e.g.

    fit(LMMFit, @formula(Reaction ~ 1 + Days + (1 + Days | Subject)), data)

The fixed-effects part goes through StatsModels' schema and contrasts as usual; each
`(lhs | g)` term becomes a [`GlmmGo.ReTerm`](@ref) whose model matrix is built from
`lhs` (with an implicit intercept unless it contains `0`) and whose grouping factor
is the column `g`, or the combination of columns in `g1 & g2`.
"""
module GlmmGoStatsModelsExt

using GlmmGo: GlmmGo, LMMModel, LMMFit, ReTerm
using StatsModels: StatsModels, AbstractTerm, ConstantTerm, FormulaTerm, FunctionTerm, InteractionTerm,
    InterceptTerm, MatrixTerm, Term, apply_schema, coefnames, modelcols, schema

const Tables = StatsModels.Tables

# StatsModels 0.7 stores the called function and parsed arguments as `f`/`args`,
# 0.6 as `forig`/`args_parsed`.
_called(t::FunctionTerm) = hasproperty(t, :f) ? getproperty(t, :f) : getproperty(t, :forig)
_arguments(t::FunctionTerm) = hasproperty(t, :args) ? getproperty(t, :args) : getproperty(t, :args_parsed)

israndom(t) = t isa FunctionTerm && _called(t) === (|)

_terms(t::AbstractTerm) = (t,)
_terms(t::Tuple) = t

function _grouping(g::Term, tbl)
    return collect(getproperty(tbl, g.sym)), string(g.sym)
end

function _grouping(g::InteractionTerm, tbl)
    all(t -> t isa Term, g.terms) || throw(ArgumentError("grouping factors must be columns or interactions of columns, got $g"))
    cols = [getproperty(tbl, t.sym) for t in g.terms]
    return collect(zip(cols...)), join((string(t.sym) for t in g.terms), ":")
end

_grouping(g, tbl) = throw(ArgumentError("cannot use $g as a grouping factor"))

function _reterm(t::FunctionTerm, tbl, contrasts)
    args = _arguments(t)
    length(args) == 2 || throw(ArgumentError("a random-effects term needs the form (lhs | g), got $t"))
    lhs, g = args
    terms = _terms(lhs)
    # lme4's rule: an intercept unless the left side says 0 (or -1).
    if !any(x -> x isa ConstantTerm, terms)
        terms = (ConstantTerm(1), terms...)
    end
    vars = filter(x -> !(x isa ConstantTerm), terms)
    sch = schema(vars, tbl, contrasts)
    applied = apply_schema(terms, sch, LMMFit)
    applied = filter(x -> !(x isa InterceptTerm{false}), applied)
    isempty(applied) && throw(ArgumentError("random-effects term $t has no columns"))
    z = modelcols(MatrixTerm(applied), tbl)
    cnames = reduce(vcat, [vcat(coefnames(x)) for x in applied])
    groups, name = _grouping(g, tbl)
    return ReTerm(groups, z; name, cnames = String.(cnames))
end

"""
    LMMModel(formula::FormulaTerm, data; contrasts = Dict(), weights = nothing)

The linear mixed model of an lme4-style formula on a Tables.jl table.
"""
function GlmmGo.LMMModel(f::FormulaTerm, data; contrasts = Dict{Symbol,Any}(), weights = nothing)
    tbl = Tables.columntable(data)
    rhs = _terms(f.rhs)
    random = filter(israndom, rhs)
    isempty(random) && throw(ArgumentError("the formula $f has no random-effects term (… | g)"))
    fixed = filter(!israndom, rhs)
    ffixed = FormulaTerm(f.lhs, isempty(fixed) ? ConstantTerm(1) : fixed)
    ffixed = apply_schema(ffixed, schema(ffixed, tbl, contrasts), LMMFit)
    y, X = modelcols(ffixed, tbl)
    xnames = String.(vcat(coefnames(ffixed.rhs)))
    reterms = ReTerm[_reterm(t, tbl, contrasts) for t in random]
    return LMMModel(y, X, reterms; weights, fixefnames = xnames, responsename = string(coefnames(ffixed.lhs)))
end

"""
    fit(LMMFit, formula::FormulaTerm, data; REML = false, contrasts = Dict(), weights = nothing, kwargs...)

Fits a linear mixed model given by an lme4-style formula to a Tables.jl table;
other keyword arguments are those of `fit(LMMFit, model)`.
"""
GlmmGo.StatsAPI.fit(::Type{LMMFit}, f::FormulaTerm, data; contrasts = Dict{Symbol,Any}(), weights = nothing, kwargs...) =
    GlmmGo.StatsAPI.fit(LMMFit, LMMModel(f, data; contrasts, weights); kwargs...)

end # module GlmmGoStatsModelsExt
