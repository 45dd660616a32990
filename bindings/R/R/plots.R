## Plots: a caterpillar plot of conditional modes for lmer() fits, and
## importance-weight diagnostics for MCLA fits (see glmm.R).

plot.ranef.glmmgo_merMod <- function(x, level = 0.95, main = NULL, ...) {
  z <- stats::qnorm(1 - (1 - level) / 2)
  panels <- list()
  for (g in names(x)) {
    d <- x[[g]]
    pv <- attr(d, "postVar")
    for (j in seq_along(d)) {
      sdv <- if (!is.null(pv)) sqrt(pv[j, j, ]) else rep(NA_real_, nrow(d))
      panels[[length(panels) + 1L]] <- list(title = paste0(g, ": ", names(d)[j]), est = d[[j]],
                                            sd = sdv, labels = rownames(d))
    }
  }
  np <- length(panels)
  op <- graphics::par(mfrow = c(1, np), mar = c(4, 6, 3, 1))
  on.exit(graphics::par(op))
  for (p in panels) {
    o <- order(p$est)
    est <- p$est[o]; s <- p$sd[o]; labs <- p$labels[o]
    lo <- est - z * s; hi <- est + z * s
    rng <- range(c(lo, hi, est), na.rm = TRUE)
    nl <- length(est)
    graphics::plot(est, seq_len(nl), xlim = rng, yaxt = "n", pch = 19, cex = 0.6,
                   xlab = "conditional mode", ylab = "", main = if (is.null(main)) p$title else main, ...)
    if (nl <= 60) graphics::axis(2, at = seq_len(nl), labels = labs, las = 1, cex.axis = 0.6)
    ok <- is.finite(lo) & is.finite(hi)
    graphics::segments(lo[ok], seq_len(nl)[ok], hi[ok], seq_len(nl)[ok], col = "grey40")
    graphics::abline(v = 0, lty = 2, col = "grey60")
  }
  invisible(panels)
}

## Caterpillar plot of an lmer() fit's conditional modes with intervals
## from their conditional variances.
plot.glmmgo_merMod <- function(x, level = 0.95, ...) plot.ranef.glmmgo_merMod(ranef(x, condVar = TRUE), level = level, ...)

## lattice's dotplot of conditional modes (as lme4's dotplot.ranef.mer):
## one panel per term and grouping factor, levels ordered by the first
## term's modes, with intervals of +-qnorm(1 - (1 - level) / 2) conditional
## standard deviations. Registered on lattice's generic when lattice is
## loaded.
dotplot.ranef.glmmgo_merMod <- function(x, data, main = TRUE, level = 0.95, ...) {
  z <- stats::qnorm(1 - (1 - level) / 2)
  stats::setNames(lapply(names(x), function(g) {
    d <- as.data.frame.ranef.glmmgo_merMod(x[g])
    first <- d[d$term == levels(d$term)[1], ]
    d$grp <- factor(as.character(d$grp), levels = as.character(first$grp[order(first$condval)]))
    lo <- d$condval - z * d$condsd
    hi <- d$condval + z * d$condsd
    lattice::dotplot(grp ~ condval | term, data = d, scales = list(x = list(relation = "free")),
                     main = if (isTRUE(main)) g else if (is.character(main)) main else NULL,
                     xlab = NULL, lo = lo, hi = hi,
                     panel = function(x, y, subscripts, lo, hi, ...) {
                       lattice::panel.abline(v = 0, lty = 2, col = "grey60")
                       ok <- is.finite(lo[subscripts]) & is.finite(hi[subscripts])
                       if (any(ok))
                         lattice::panel.segments(lo[subscripts][ok], as.numeric(y)[ok], hi[subscripts][ok],
                                                 as.numeric(y)[ok], col = "grey40")
                       lattice::panel.xyplot(x, y, pch = 16, ...)
                     }, ...)
  }), names(x))
}
