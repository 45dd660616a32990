# Locating libglmmgo.
#
# Nothing is downloaded and nothing is built here: the user points the package at a
# libglmmgo shared library they built (`go build -buildmode=c-shared -o
# build/libglmmgo.so ./capi` in the glmmgo repository). In order of precedence:
#
#   1. the environment variable GLMMGO_LIB (a path to the library file);
#   2. the preference "libglmmgo" of this package (see `set_library!`);
#   3. a library called libglmmgo on the system's search path.
#
# The path is resolved the first time a C function is called (ccall evaluates its
# library expression at run time), so a missing library is reported with a
# `LibraryNotFoundError` at first use, not when the package is loaded.

const ENV_LIBRARY = "GLMMGO_LIB"
const PREFERENCE_LIBRARY = "libglmmgo"

const _library_path = Ref{String}("")
const _library_lock = ReentrantLock()

"""
    LibraryNotFoundError(msg)

Thrown when libglmmgo cannot be located or opened. The message says where the
package looked and how to point it at the library.
"""
struct LibraryNotFoundError <: Exception
    msg::String
end

Base.showerror(io::IO, e::LibraryNotFoundError) = print(io, "LibraryNotFoundError: ", e.msg)

const _HOW_TO = """
Build the library in the glmmgo repository with
    go build -buildmode=c-shared -o build/libglmmgo.so ./capi
and either set ENV["$ENV_LIBRARY"] to its path before the first call, or run
    GlmmGo.set_library!("/path/to/libglmmgo.so")
once (stored as a preference, effective from the next session)."""

# Where the library is configured to be, and by what: (path, source) or (nothing, nothing).
function _configured_library()
    path = get(ENV, ENV_LIBRARY, "")
    isempty(path) || return (path, "ENV[\"$ENV_LIBRARY\"]")
    pref = Preferences.load_preference(@__MODULE__, PREFERENCE_LIBRARY, nothing)
    pref isa AbstractString && !isempty(pref) && return (String(pref), "the preference \"$PREFERENCE_LIBRARY\"")
    found = Libdl.find_library(["libglmmgo"])
    isempty(found) || return (found, "the system library search path")
    return (nothing, nothing)
end

function _open_library()
    path, source = _configured_library()
    path === nothing &&
        throw(LibraryNotFoundError("libglmmgo is not configured and not on the library search path.\n" * _HOW_TO))
    # A configured path must name a file; a name found on the search path need not.
    if source != "the system library search path" && !isfile(path)
        throw(LibraryNotFoundError("$(repr(path)) (from $source) is not a file.\n" * _HOW_TO))
    end
    handle = Libdl.dlopen(path; throw_error = false)
    handle === nothing &&
        throw(LibraryNotFoundError("$(repr(path)) (from $source) could not be opened as a shared library.\n" * _HOW_TO))
    Libdl.dlsym(handle, :glmmgo_version; throw_error = false) === nothing &&
        throw(LibraryNotFoundError("$(repr(path)) (from $source) does not export glmmgo_version: is it libglmmgo?"))
    return path
end

"""
    libglmmgo() -> String

The path of the libglmmgo shared library every `ccall` of this package uses,
resolved (and opened) on first use; see the package README for how it is chosen.
Throws a [`LibraryNotFoundError`](@ref) when the library cannot be found or opened.
"""
function libglmmgo()
    path = _library_path[]
    isempty(path) || return path
    lock(_library_lock) do
        isempty(_library_path[]) && (_library_path[] = _open_library())
        return _library_path[]
    end
end

"""
    set_library!(path; export_prefs = false)

Record `path` as the libglmmgo this package uses, as the Preferences.jl preference
`"libglmmgo"` (in `LocalPreferences.toml`, or in `Project.toml` with
`export_prefs = true`). ENV["GLMMGO_LIB"] still takes precedence. A library already
loaded in this session stays in use: a Go shared library cannot be unloaded, so
the new path takes effect in the next Julia session.
"""
function set_library!(path::AbstractString; export_prefs::Bool = false)
    isfile(path) || throw(ArgumentError("$(repr(path)) is not a file"))
    Preferences.set_preferences!(@__MODULE__, PREFERENCE_LIBRARY => abspath(path);
                                 export_prefs = export_prefs, force = true)
    isempty(_library_path[]) ||
        @info "GlmmGo: libglmmgo is already loaded from $(_library_path[]); the new path applies from the next session."
    return abspath(path)
end
