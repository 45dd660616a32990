## lme4's random-effects formula syntax, parsed here (lme4 is not needed):
## (1|g), (1+x|g), (0+x|g), (x|g), (1|a:b), (1|a/b), (x||g). The model
## frame is built by R's own model.frame from the whole formula, with every
## bar replaced by `+` (lme4's subbars), so response expressions, I(),
## poly(), splines, offset(), subset, weights, na.action and contrasts
## behave as in lm(); the fixed and random model matrices are then built
## from that one frame, whose columns are named by the deparsed variables
## (model.matrix matches them by name), as lme4's lFormula does.

is_bar <- function(e) is.call(e) && (identical(e[[1]], as.name("|")) || identical(e[[1]], as.name("||")))

## The random-effects terms of a formula's right-hand side, as calls
## `lhs | group` or `lhs || group`, in order of appearance.
find_bars <- function(e) {
  if (is.name(e) || !is.call(e)) return(list())
  if (is_bar(e)) return(list(e))
  op <- e[[1]]
  if (identical(op, as.name("("))) return(find_bars(e[[2]]))
  if (identical(op, as.name("+"))) {
    out <- list()
    for (i in seq_along(e)[-1]) out <- c(out, find_bars(e[[i]]))
    return(out)
  }
  ## a bar inside any other call (e.g. -(1|g), I(...|...)) is not supported
  inner <- unlist(lapply(as.list(e)[-1], function(a) length(find_bars(a)) > 0))
  if (any(inner))
    stop(sprintf("random-effects terms must be added to the formula with '+': cannot use '%s'",
                 paste(deparse(e), collapse = " ")), call. = FALSE)
  list()
}

## The formula without its random-effects terms (the fixed part).
no_bars <- function(formula) {
  strip <- function(e) {
    if (is_bar(e)) return(NULL)
    if (is.call(e) && identical(e[[1]], as.name("("))) {
      inner <- strip(e[[2]])
      if (is.null(inner)) return(NULL)
      if (is_bar(e[[2]])) return(NULL)
      e[[2]] <- inner
      return(e)
    }
    if (is.call(e) && identical(e[[1]], as.name("+"))) {
      args <- lapply(as.list(e)[-1], strip)
      args <- args[!vapply(args, is.null, NA)]
      if (length(args) == 0) return(NULL)
      if (length(args) == 1) return(if (length(e) == 2) as.call(list(as.name("+"), args[[1]])) else args[[1]])
      return(as.call(c(list(as.name("+")), args)))
    }
    e
  }
  rhs <- formula[[length(formula)]]
  new <- strip(rhs)
  if (is.null(new)) new <- 1
  if (length(formula) == 3) formula[[3]] <- new else formula[[2]] <- new
  formula
}

## Every bar replaced by `+`, so that model.frame takes all variables of the
## random-effects terms into the frame (lme4's subbars).
sub_bars <- function(e) {
  if (!is.call(e)) return(e)
  if (is_bar(e)) e[[1]] <- as.name("+")
  for (i in seq_along(e)[-1]) e[[i]] <- sub_bars(e[[i]])
  e
}

## Expand one bar term into simple terms: `a/b` grouping becomes the terms
## for `a` and `b:a` (lme4's naming); `x || g` becomes one term per column
## group of x with an uncorrelated intercept.
expand_bar <- function(bar) {
  lhs <- bar[[2]]
  grp <- bar[[3]]
  double <- identical(bar[[1]], as.name("||"))
  groups <- expand_slash(grp)
  lhss <- if (double) split_double(lhs) else list(lhs)
  out <- list()
  for (g in groups) for (l in lhss) out[[length(out) + 1L]] <- list(lhs = l, group = g)
  out
}

## a/b -> list(a, b:a); a/b/c -> list(a, b:a, c:b:a); (a:b)/c handled.
expand_slash <- function(g) {
  if (is.call(g) && identical(g[[1]], as.name("("))) return(expand_slash(g[[2]]))
  if (is.call(g) && identical(g[[1]], as.name("/"))) {
    left <- expand_slash(g[[2]])
    outer <- left[[length(left)]]
    inner <- g[[3]]
    if (is.call(inner) && identical(inner[[1]], as.name("/")))
      stop(sprintf("cannot parse the grouping '%s'", deparse(g)), call. = FALSE)
    return(c(left, list(call(":", inner, outer))))
  }
  list(g)
}

## The lhs of `x || g` split into an intercept and one term per variable.
split_double <- function(lhs) {
  tt <- stats::terms(stats::as.formula(call("~", lhs)))
  labs <- attr(tt, "term.labels")
  out <- list()
  if (attr(tt, "intercept") == 1) out[[1]] <- 1
  for (l in labs) out[[length(out) + 1L]] <- call("+", 0, str2lang(l))
  if (length(out) == 0)
    stop(sprintf("the random-effects term '(%s || ...)' has no columns", deparse(lhs)), call. = FALSE)
  out
}

## The variables that group random effects (all variables of every bar's
## right-hand side).
grouping_vars <- function(formula) {
  unique(unlist(lapply(find_bars(formula[[length(formula)]]), function(b) all.vars(b[[3]]))))
}

## `y ~ . + (1 | g)`: the dot stands for every column of data except the
## response's variables and the grouping variables, as lme4 documents it.
## The dot is replaced by that sum, so the rest of the machinery sees an
## explicit formula.
expand_dot <- function(formula, data) {
  rhs <- formula[[length(formula)]]
  uses_dot <- function(e) "." %in% all.names(e)
  if (!uses_dot(rhs)) return(formula)
  for (b in find_bars(rhs))
    if (uses_dot(b)) stop("a '.' inside a random-effects term is not supported: name the variables", call. = FALSE)
  if (is.null(data))
    stop("the formula uses '.', which needs 'data' (the dot stands for the columns of data)", call. = FALSE)
  lhs_vars <- if (length(formula) == 3) all.vars(formula[[2]]) else character()
  vars <- setdiff(names(data), c(lhs_vars, grouping_vars(formula)))
  repl <- if (length(vars)) {
    call("(", Reduce(function(a, b) call("+", a, b), lapply(vars, as.name)))
  } else 1
  subst <- function(e) {
    if (identical(e, as.name("."))) return(repl)
    if (is.call(e) && !is_bar(e)) for (i in seq_along(e)[-1]) e[[i]] <- subst(e[[i]])
    e
  }
  formula[[length(formula)]] <- subst(rhs)
  formula
}

## Character columns become factors; every variable of a grouping
## expression becomes a factor, numeric IDs included, before the grouping
## is evaluated (so `batchN:caskN` and `batchN/caskN` are interactions of
## factors, as in lme4).
factorize_frame <- function(fr, group_vars) {
  for (nm in names(fr)) {
    x <- fr[[nm]]
    if (is.character(x) || (nm %in% group_vars && !is.factor(x) && is.null(dim(x)))) fr[[nm]] <- factor(x)
  }
  fr
}

## Terms of a sub-formula whose variables are columns of the frame, with
## the frame's predvars (so poly(), ns() and scale() predict on new data
## as in lm()).
sub_terms <- function(formula, fr) {
  tt <- stats::terms(formula, data = fr)
  fpv <- attr(attr(fr, "terms"), "predvars")
  fvars <- attr(attr(fr, "terms"), "variables")
  if (!is.null(fpv)) {
    fnames <- vapply(as.list(fvars)[-1], deparse1_, "")
    vars <- as.list(attr(tt, "variables"))[-1]
    pv <- lapply(vars, function(v) {
      i <- match(deparse1_(v), fnames)
      if (is.na(i)) v else fpv[[i + 1L]]
    })
    attr(tt, "predvars") <- as.call(c(list(as.name("list")), pv))
  }
  tt
}

## One random-effects term: its model matrix, grouping factor and codes,
## evaluated in the frame (fr) and, for the grouping, in the factorized
## frame (ffr).
build_re_term <- function(spec, fr, ffr, n, checks) {
  gname <- deparse1_(spec$group)
  env <- environment(attr(fr, "terms"))
  gval <- tryCatch(eval(spec$group, ffr, env),
                   error = function(e) stop(sprintf("cannot evaluate the grouping factor '%s': %s", gname,
                                                    conditionMessage(e)), call. = FALSE))
  if (length(gval) != n)
    stop(sprintf("the grouping factor '%s' has %d values for %d observations", gname, length(gval), n), call. = FALSE)
  if (anyNA(gval)) stop(sprintf("the grouping factor '%s' has missing values", gname), call. = FALSE)
  g <- droplevels(factor(gval))
  nl <- nlevels(g)
  lhs_f <- stats::as.formula(call("~", spec$lhs), env = env)
  lterms <- sub_terms(lhs_f, fr)
  Z <- tryCatch(stats::model.matrix(lterms, fr),
                error = function(e) stop(sprintf("cannot build the model matrix of the random-effects term (%s | %s): %s",
                                                 deparse1_(spec$lhs), gname, conditionMessage(e)), call. = FALSE))
  if (ncol(Z) == 0)
    stop(sprintf("the random-effects term (%s | %s) has no columns", deparse1_(spec$lhs), gname), call. = FALSE)
  if (any(!is.finite(Z)))
    stop(sprintf("the model matrix of the random-effects term (%s | %s) has non-finite values", deparse1_(spec$lhs),
                 gname), call. = FALSE)
  list(group = gname, group.expr = spec$group, lhs = spec$lhs, label = paste(deparse1_(spec$lhs), "|", gname),
       Z = unname_matrix(Z), cnms = colnames(Z), codes = as.integer(g), levels = levels(g), nlevels = nl,
       terms = lterms, xlevels = stats::.getXlevels(lterms, fr), contrasts = attr(Z, "contrasts"))
}

unname_matrix <- function(Z) {
  d <- dim(Z); cn <- colnames(Z)
  attributes(Z) <- NULL
  dim(Z) <- d
  colnames(Z) <- cn
  Z
}

deparse1_ <- function(e) paste(deparse(e, width.cutoff = 500L), collapse = " ")
