/* Functions of glmmgo.h that need no Go: static strings. */
#include "glmmgo.h"

const char *glmmgo_version(void) { return GLMMGO_VERSION_STRING; }

const char *glmmgo_status_string(int status) {
    switch (status) {
    case GLMMGO_OK: return "ok";
    case GLMMGO_ERR_INVALID: return "invalid argument";
    case GLMMGO_ERR_DOMAIN: return "outside the parameter space";
    case GLMMGO_ERR_NUMERIC: return "numerical failure";
    case GLMMGO_ERR_CANCELLED: return "cancelled";
    case GLMMGO_ERR_INTERNAL: return "internal error";
    case GLMMGO_ERR_HANDLE: return "invalid handle";
    case GLMMGO_ERR_BUSY: return "handle busy";
    case GLMMGO_ERR_STATE: return "call out of order";
    case GLMMGO_ERR_FORKED: return "called in a forked child";
    }
    return "unknown status";
}
