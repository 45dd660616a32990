/* Go cannot call a C function pointer; mcla_cluster.go calls this instead. */
#include "cgo.h"

int glmmgo_call_partials(glmmgo_mcla_partials_fn fn, void *userdata, const glmmgo_mcla_request *req) {
    return fn(userdata, req);
}
