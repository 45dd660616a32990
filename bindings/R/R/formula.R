## lme4's random-effects formula syntax, parsed here (lme4 is not needed):
## (1|g), (1+x|g), (0+x|g), (x|g), (1|a:b), (1|a/b), (x||g).

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

## One formula naming every variable the model uses, for model.frame.
## `y ~ x + (1 + z | g/h)` -> `y ~ x + z + g + h`.
vars_formula <- function(formula, extra = character()) {
  rhs_vars <- unique(c(all.vars(formula[[length(formula)]]), extra))
  rhs_vars <- setdiff(rhs_vars, ".")
  rhs <- if (length(rhs_vars)) {
    Reduce(function(a, b) call("+", a, b), lapply(rhs_vars, as.name))
  } else 1
  f <- if (length(formula) == 3) call("~", formula[[2]], rhs) else call("~", rhs)
  f <- stats::as.formula(f, env = environment(formula))
  f
}

deparse1_ <- function(e) paste(deparse(e, width.cutoff = 500L), collapse = " ")
