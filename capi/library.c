/* The functions of glmmgo.h that need no Go, so that they work in a forked
   child too: the version, and the one table of status strings (tests check
   it against core/errs's names of the same codes). */
#include "glmmgo.h"

static const char *const status_names[] = {
    [GLMMGO_OK] = "ok",
    [GLMMGO_ERR_INVALID] = "invalid argument",
    [GLMMGO_ERR_DOMAIN] = "outside the parameter space",
    [GLMMGO_ERR_NUMERIC] = "numerical failure",
    [GLMMGO_ERR_CANCELLED] = "cancelled",
    [GLMMGO_ERR_INTERNAL] = "internal error",
    [GLMMGO_ERR_HANDLE] = "invalid handle",
    [GLMMGO_ERR_BUSY] = "handle busy",
    [GLMMGO_ERR_STATE] = "call out of order",
    [GLMMGO_ERR_FORKED] = "called in a forked child",
    [GLMMGO_ERR_RESOURCE] = "not enough memory",
};
_Static_assert(sizeof status_names / sizeof status_names[0] == GLMMGO_ERR_RESOURCE + 1,
               "one status string per status code");

const char *glmmgo_version(void) { return GLMMGO_VERSION_STRING; }

int32_t glmmgo_version_number(void) { return GLMMGO_VERSION_NUMBER; }

const char *glmmgo_status_string(int status) {
    if (status < 0 || status > GLMMGO_ERR_RESOURCE) return "unknown status";
    return status_names[status];
}
