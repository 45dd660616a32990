## glmm(cluster = cl): an MCLA fit whose Monte Carlo sample lives in the R
## processes of a `parallel` cluster (PSOCK on one or several hosts; the
## MPI clusters of snow and Rmpi are the same objects). The fit itself —
## trust, stages, m = "auto", standard errors — runs in this process; the
## engine asks it, through a callback, only for the partials of batches of
## samples, and merges them in batch order, so the result is bit-identical
## to the fit in one process with the same seed, whichever worker holds
## which batches. Each worker receives the model once per fit and a short
## description of each new sample (the importance density's centre and the
## seed, O(p + q) numbers); it draws the blocks of its batches itself, by
## block index, keeps them, and answers each evaluation with its batches'
## partials. One round trip per evaluation.
##
## A worker that fails, dies or does not answer within
## getOption("glmmgo.cluster.timeout", 600) seconds is dropped: its batches
## go to the others (drawn again there: the blocks are the same wherever
## they are drawn), the evaluation is repeated, the fit completes with the
## same result, and a warning names the worker. Timeouts need socket nodes
## (PSOCK); other nodes are waited for. getOption("glmmgo.cluster.hook"),
## if a function, is called before each evaluation with its number and
## the cluster's report so far (the tests kill a worker from it).

## The worker side: one entry point, called by name from a function sent
## with the global environment, so that a worker without glmmgo reports
## that instead of failing to unserialize.
cluster_state <- new.env(parent = emptyenv())

cluster_worker <- function(op, args) {
  switch(op,
    init = {
      cluster_free_worker()
      d <- args$data
      ptr <- engine_mcla_new(d$family, d$y, d$ntrials, d$weights, d$X, d$zrow, d$zcol, d$zval, d$q, d$vc, d$nvc)
      if (!is.null(d$size)) engine_mcla_set_dispersion(ptr, d$size)
      cluster_state$id <- args$id
      cluster_state$ptr <- ptr
      .Call(C_gg_tcp_nodelay)
      list(pid = Sys.getpid(), host = Sys.info()[["nodename"]], version = glmmgoVersion())
    },
    sample = {
      .Call(C_gg_mcla_worker_sample, cluster_worker_ptr(args$id), args$spec, args$b0, args$b1, args$threads)
      TRUE
    },
    partials = .Call(C_gg_mcla_worker_partials, cluster_worker_ptr(args$id), args$par, args$a, args$threads),
    free = {
      if (identical(cluster_state$id, args$id)) cluster_free_worker()
      TRUE
    },
    stop("glmmgo: unknown cluster operation ", op))
}

cluster_worker_ptr <- function(id) {
  if (!identical(cluster_state$id, id))
    stop("this worker holds no model of this fit (it was restarted, or another fit replaced it)", call. = FALSE)
  cluster_state$ptr
}

cluster_free_worker <- function() {
  if (!is.null(cluster_state$ptr)) free_handle(cluster_state$ptr)
  cluster_state$ptr <- NULL
  cluster_state$id <- NULL
}

## The function every message runs on a worker; its environment is the
## global one, so sending it needs no package on the other side.
cluster_entry <- function() {
  f <- function(op, args) {
    if (!requireNamespace("glmmgo", quietly = TRUE))
      stop(sprintf("glmmgo is not installed for this worker's R (its library paths: %s)",
                   paste(.libPaths(), collapse = ", ")), call. = FALSE)
    get("cluster_worker", envir = asNamespace("glmmgo"))(op, args)
  }
  environment(f) <- globalenv()
  f
}

## ---- the master side ----------------------------------------------------

is_parallel_cluster <- function(x) inherits(x, "cluster")

## The driver of one fit: set up the workers (model once), then answer the
## engine's requests. Returns an environment whose $driver is the callback.
cluster_driver <- function(cl, spec, threads) {
  st <- new.env(parent = emptyenv())
  st$cl <- cl
  st$k <- length(cl)
  if (st$k < 1L) stop("glmm(cluster =): the cluster has no workers", call. = FALSE)
  st$alive <- rep(TRUE, st$k)
  st$pending <- rep(FALSE, st$k)
  st$lost <- character()
  st$threads <- as.integer(threads)
  st$timeout <- as.double(getOption("glmmgo.cluster.timeout", 600))
  st$id <- paste0(Sys.getpid(), "-", format(Sys.time(), "%OS6"), "-", sample.int(1e9, 1L))
  st$entry <- cluster_entry()
  st$calls <- 0
  st$sent <- 0
  st$received <- 0
  st$max_call_bytes <- 0
  cluster_init(st, spec)
  st$driver <- function(req) {
    tryCatch(cluster_answer(st, req), error = function(e) conditionMessage(e))
  }
  st
}

## Sends the model to every worker (once per fit). Any failure here is an
## error: a cluster whose workers cannot load glmmgo, or a stopped one.
cluster_init <- function(st, spec) {
  zt <- z_triplets(spec$Z)
  data <- list(family = spec$family$code, y = spec$y, ntrials = spec$ntrials, weights = spec$weights, X = spec$X,
               zrow = zt$row, zcol = zt$col, zval = zt$val, q = spec$q,
               vc = rep.int(seq_len(spec$nvc), spec$nrandom), nvc = spec$nvc, size = spec$family$size)
  res <- cluster_exchange(st, seq_len(st$k), "init", rep(list(list(id = st$id, data = data)), st$k))
  bad <- which(!vapply(res, function(r) isTRUE(r$ok), NA))
  if (length(bad)) {
    i <- bad[1]
    stop(sprintf("glmm(cluster =): worker %d cannot take part: %s", i, res[[i]]$message), call. = FALSE)
  }
  st$info <- lapply(res, `[[`, "value")
  mine <- glmmgoVersion()
  for (i in seq_len(st$k)) {
    if (!identical(st$info[[i]]$version, mine))
      stop(sprintf("glmm(cluster =): worker %d runs glmmgo %s, this session %s: install the same version on every host",
                   i, st$info[[i]]$version, mine), call. = FALSE)
  }
}

## Sends op with args[[j]] to the workers `nodes`, then collects the
## answers (each list(ok, value) or list(ok = FALSE, message)), waiting
## for each at most st$timeout seconds on socket nodes.
cluster_exchange <- function(st, nodes, op, args) {
  send <- utils::getFromNamespace("sendCall", "parallel")
  out <- vector("list", length(nodes))
  for (j in seq_along(nodes)) {
    i <- nodes[j]
    msg <- list(op, args[[j]])
    ## a message is sent whole and marked pending before a Ctrl-C can
    ## unwind (a message cut short leaves the worker's stream unreadable)
    ok <- suspendInterrupts({
      ok <- tryCatch({
        send(st$cl[[i]], st$entry, msg)
        TRUE
      }, error = function(e) conditionMessage(e))
      if (isTRUE(ok)) st$pending[i] <- TRUE
      ok
    })
    if (isTRUE(ok)) {
      if (op == "partials") st$sent <- st$sent + length(serialize(list(st$entry, msg), NULL))
    } else {
      out[[j]] <- list(ok = FALSE, message = sprintf("cannot send to it (%s)", ok))
    }
  }
  for (j in seq_along(nodes)) {
    if (!is.null(out[[j]])) next
    out[[j]] <- cluster_receive(st, nodes[j])
  }
  out
}

## TRUE when con has something to read within timeout seconds. select()
## can return early with nothing to read (a signal, e.g. a child's SIGCHLD,
## interrupts it): socketSelect is asked again until the deadline, so a
## worker is taken for lost only when the whole timeout has passed (one CI
## run dropped a healthy worker as "no answer within 600 seconds" seconds
## into a fit).
answer_within <- function(con, timeout) {
  deadline <- proc.time()[["elapsed"]] + timeout
  repeat {
    left <- deadline - proc.time()[["elapsed"]]
    if (socketSelect(list(con), FALSE, max(0, left))) return(TRUE)
    if (left <= 0) return(FALSE)
  }
}

cluster_receive <- function(st, i) {
  recv <- utils::getFromNamespace("recvResult", "parallel")
  node <- st$cl[[i]]
  if (inherits(node$con, "connection") && !answer_within(node$con, st$timeout))
    return(list(ok = FALSE, message = sprintf("no answer within %g seconds (options(glmmgo.cluster.timeout))", st$timeout)))
  ## An answer is read whole, and no longer pending, before a Ctrl-C can
  ## unwind: one cut short left the rest of it in the socket, and the next
  ## read of that worker failed ("unknown input format", the cluster lost
  ## after an interrupt, seen once in a loaded test run). Waiting for it
  ## (answer_within) stays interruptible.
  v <- suspendInterrupts({
    v <- tryCatch(list(ok = TRUE, value = recv(node)),
                  error = function(e) list(ok = FALSE, message = sprintf("its connection failed (%s)", conditionMessage(e))))
    st$pending[i] <- FALSE
    v
  })
  if (isTRUE(v$ok) && inherits(v$value, "try-error"))
    v <- list(ok = FALSE, message = as.character(v$value))
  v
}

## Drops worker i, remembering why (for the warning).
cluster_lose <- function(st, i, why) {
  st$alive[i] <- FALSE
  inf <- st$info[[i]]
  who <- if (!is.null(inf)) sprintf("worker %d (pid %d on %s)", i, inf$pid, inf$host) else sprintf("worker %d", i)
  st$lost <- c(st$lost, sprintf("%s: %s", who, trimws(why)))
}

## Gives the nb batches of the current sample to the live workers in
## contiguous ranges, and has each draw its blocks; repeats without the
## workers that fail.
cluster_assign <- function(st) {
  repeat {
    live <- which(st$alive)
    if (!length(live))
      stop(sprintf("no worker of the cluster is left (%s)", paste(st$lost, collapse = "; ")), call. = FALSE)
    k <- min(length(live), st$nb)
    cuts <- round(seq(0, st$nb, length.out = k + 1L))
    st$b0 <- st$b1 <- rep(NA_real_, st$k)
    st$b0[live[seq_len(k)]] <- cuts[-(k + 1L)]
    st$b1[live[seq_len(k)]] <- cuts[-1L]
    nodes <- live[seq_len(k)]
    args <- lapply(nodes, function(i) list(id = st$id, spec = st$spec, b0 = st$b0[i], b1 = st$b1[i], threads = st$threads))
    res <- cluster_exchange(st, nodes, "sample", args)
    failed <- which(!vapply(res, function(r) isTRUE(r$ok), NA))
    for (j in failed) cluster_lose(st, nodes[j], res[[j]]$message)
    if (!length(failed)) return(invisible())
  }
}

## The engine's request: a new sample (remember it and hand out batches)
## or partials (ask each worker for its part of the batches, in one round
## trip; after a loss, hand out the batches again and ask again).
cluster_answer <- function(st, req) {
  if (req$what == 1L) {
    st$spec <- req$spec
    st$nb <- req$nbatches
    cluster_assign(st)
    return(TRUE)
  }
  st$calls <- st$calls + 1
  hook <- getOption("glmmgo.cluster.hook")
  if (is.function(hook)) hook(st$calls, cluster_report(st))
  repeat {
    out <- cluster_partials(st, req)
    if (!is.null(out)) return(out)
    cluster_assign(st)
  }
}

## One round of a partials request; NULL when a worker was lost.
cluster_partials <- function(st, req) {
  g0 <- req$batch_begin
  g1 <- req$batch_end
  bl <- req$batch_len
  nodes <- which(st$alive & !is.na(st$b0) & st$b0 < g1 & st$b1 > g0)
  lo <- pmax(st$b0[nodes], g0)
  hi <- pmin(st$b1[nodes], g1)
  args <- lapply(seq_along(nodes), function(j)
    list(id = st$id, par = req$par, a = c(req$what, req$m, req$row_begin, req$row_end, lo[j], hi[j], bl),
         threads = st$threads))
  sent0 <- st$sent
  res <- cluster_exchange(st, nodes, "partials", args)
  failed <- which(!vapply(res, function(r) isTRUE(r$ok), NA))
  for (j in failed) cluster_lose(st, nodes[j], res[[j]]$message)
  if (length(failed)) return(NULL)
  out <- numeric(req$len)
  for (j in seq_along(nodes)) {
    v <- res[[j]]$value
    out[(lo[j] - g0) * bl + seq_along(v)] <- v
    st$received <- st$received + length(serialize(v, NULL))
  }
  st$max_call_bytes <- max(st$max_call_bytes, st$sent - sent0 + 8 * req$len)
  out
}

## After the fit (or an interrupt): read the answers still on their way,
## so that the cluster stays usable, and free the workers' models.
cluster_finish <- function(st) {
  for (i in which(st$pending & st$alive)) {
    r <- cluster_receive(st, i)
    if (!isTRUE(r$ok)) cluster_lose(st, i, r$message)
  }
  live <- which(st$alive)
  if (length(live)) cluster_exchange(st, live, "free", rep(list(list(id = st$id)), length(live)))
  invisible()
}

## What the fit reports about its cluster.
cluster_report <- function(st) {
  list(workers = st$k, lost = st$lost, evaluations = st$calls,
       bytes.sent = st$sent, bytes.received = st$received,
       bytes.per.evaluation = if (st$calls > 0) (st$sent + st$received) / st$calls else NA_real_,
       pids = vapply(st$info, function(x) as.integer(x$pid), 1L))
}

engine_mcla_fit_cluster <- function(ptr, opts, verbose, driver)
  .Call(C_gg_mcla_fit_cluster, ptr, opts, as.integer(verbose), driver)

## glmm()'s fit on a cluster: a fit handle (NULL on an interrupt), with the
## cluster's report as an attribute; warns about lost workers.
glmm_cluster_fit <- function(model, opts, verbose, cluster, spec, threads) {
  st <- cluster_driver(cluster, spec, threads)
  fit <- tryCatch(engine_mcla_fit_cluster(model, opts, verbose, st$driver), finally = cluster_finish(st))
  if (length(st$lost))
    warning(sprintf("glmm(cluster =): lost %s; %s batches were drawn again and evaluated on the remaining workers, so the result is the one every worker would have given",
                    paste(st$lost, collapse = "; "), if (length(st$lost) > 1) "their" else "its"), call. = FALSE)
  list(fit = fit, report = cluster_report(st))
}
