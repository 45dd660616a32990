# Variance components of an LMM fit, as the library reports them
# (GLMMGO_LMM_VARCORR): the engine owns θ's layout.

"""
    GlmmGo.VarCorr(f::LMMFit)

The estimated variance components: for each grouping factor (model order) the
standard deviations of its random effects and their correlations, and the residual
standard deviation. Printed like MixedModels.jl's `VarCorr`. Not exported
(MixedModels.jl exports its own): call it as `GlmmGo.VarCorr`.
"""
struct VarCorr
    groups::Vector{String}
    cnames::Vector{Vector{String}}
    sd::Vector{Vector{Float64}}
    corr::Vector{Matrix{Float64}}
    sigma::Float64
end

# The library's flat layout: per term k standard deviations, then the k(k-1)/2
# correlations below the diagonal, column by column (NaN beside a zero standard
# deviation); last, σ (LMMs only).
function VarCorr(f::LMMFit)
    v = f.varcorr
    return _varcorr(f.model.reterms, f.model.term_ncols, v[1:(end - 1)], v[end])
end

# VarCorr from the flat layout without σ; σ is NaN for a GLMM (no residual).
function _varcorr(reterms, term_ncols, v::Vector{Float64}, sigma::Float64)
    groups, cnames, sds, corrs = String[], Vector{String}[], Vector{Float64}[], Matrix{Float64}[]
    i = 0
    for (t, k) in zip(reterms, term_ncols)
        sd = v[(i + 1):(i + k)]
        i += k
        C = Matrix{Float64}(undef, k, k)
        for j in 1:k
            C[j, j] = 1.0
            for r in (j + 1):k
                C[r, j] = C[j, r] = v[i += 1]
            end
        end
        push!(groups, t.name); push!(cnames, t.cnames); push!(sds, sd); push!(corrs, C)
    end
    i == length(v) || error("the library's VarCorr has $(length(v)) values, the terms $i")
    return VarCorr(groups, cnames, sds, corrs, sigma)
end
