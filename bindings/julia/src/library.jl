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
# A library configured by 1 or 2, or found by 3, is opened when the package loads
# (`__init__`) and its version compared with the one this package was generated for:
# another major or minor version is a `GlmmGoError` with status `:version` there.
# Without one, the first C call (ccall evaluates its library expression at run time)
# reports a `LibraryNotFoundError` saying where the package looked.

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
    Libdl.dlsym(handle, :glmmgo_version_number; throw_error = false) === nothing &&
        throw(GlmmGoError(VERSION_MISMATCH, :glmmgo_version_number,
                          "$(repr(path)) (from $source) has no glmmgo_version_number: it is a libglmmgo older than 0.2, " *
                          "and this package needs $(LibGlmmGo.GLMMGO_VERSION_STRING). Rebuild the library.\n" * _HOW_TO))
    return path
end

"""
    check_version(library_number, path = "libglmmgo")

Throws a [`GlmmGoError`](@ref) with status `:version` unless `library_number` (a
library's `glmmgo_version_number()`, MAJOR·1000000 + MINOR·1000 + PATCH) has the
major and minor version this package was generated for
(`LibGlmmGo.GLMMGO_VERSION_NUMBER`): releases that share them have the same interface.
"""
function check_version(library_number::Integer, path::AbstractString = "libglmmgo")
    want = Int(LibGlmmGo.GLMMGO_VERSION_NUMBER)
    div(library_number, 1000) == div(want, 1000) && return nothing
    have = string(div(library_number, 1000000), ".", div(library_number, 1000) % 1000, ".", library_number % 1000)
    throw(GlmmGoError(VERSION_MISMATCH, :glmmgo_version_number,
                      "$(repr(path)) is libglmmgo $have, not the version this package was built for " *
                      "($(LibGlmmGo.GLMMGO_VERSION_STRING)): the major and minor versions must match. " *
                      "Build the library from the same glmmgo checkout as this package."))
end

# The library being opened, while its version is checked (the check calls into it).
const _opening = Ref{String}("")

"""
    libglmmgo() -> String

The path of the libglmmgo shared library every `ccall` of this package uses,
resolved (and opened) on first use; see the package README for how it is chosen.
Throws a [`LibraryNotFoundError`](@ref) when the library cannot be found or opened,
and a [`GlmmGoError`](@ref) with status `:version` when it is of another version
(see [`GlmmGo.check_version`](@ref)).
"""
function libglmmgo()
    path = _library_path[]
    isempty(path) || return path
    lock(_library_lock) do
        isempty(_library_path[]) || return _library_path[]
        isempty(_opening[]) || return _opening[]   # glmmgo_version_number, called below
        _opening[] = _open_library()
        try
            check_version(LibGlmmGo.glmmgo_version_number(), _opening[])
            _library_path[] = _opening[]
        finally
            _opening[] = ""
        end
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
