// Command genjulia writes bindings/julia/src/LibGlmmGo.jl, the Julia
// package's low-level layer, from include/glmmgo.h:
//
//	go generate ./capi    (or: go run ./internal/genjulia)
//
// For every function of the header it writes one Julia function of the
// same name whose ccall has the header's argument and return types, for
// every struct an immutable Julia struct with the same fields in the same
// order (a tagged struct glmmgo_x becomes struct_glmmgo_x, since a
// function may have the tag's name), every #define as a constant, and
// RESULT_TYPES, the element type of every result code. So a new C
// function or result is wrapped for Julia by regenerating. The test beside
// this file fails when LibGlmmGo.jl is not what the header gives;
// bindings/julia/check checks the file against the header independently.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/glmmgo/glmmgo/internal/cheader"
)

// Output is where the file goes, relative to the module root.
const Output = "bindings/julia/src/LibGlmmGo.jl"

func main() {
	h, root, err := cheader.ReadModule()
	if err == nil {
		var src []byte
		if src, err = generate(h); err == nil {
			err = os.WriteFile(filepath.Join(root, Output), src, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genjulia:", err)
		os.Exit(1)
	}
}

// generate returns the text of LibGlmmGo.jl for header h.
func generate(h *cheader.Header) ([]byte, error) {
	jt := typeMap(h)
	var b bytes.Buffer
	b.WriteString(preamble)
	b.WriteString("\n# ---- constants ---------------------------------------------------------------------------\n\n")
	for _, d := range h.Defines {
		b.WriteString(constant(d))
	}
	b.WriteString(resultTypes(h))
	b.WriteString("\n# ---- structs -----------------------------------------------------------------------------\n")
	for _, s := range h.Structs {
		text, err := structDef(s, jt)
		if err != nil {
			return nil, err
		}
		b.WriteString(text)
	}
	b.WriteString("\n# ---- functions ---------------------------------------------------------------------------\n")
	for _, f := range h.Funcs {
		text, err := wrapper(f, jt)
		if err != nil {
			return nil, err
		}
		b.WriteString(text)
	}
	b.WriteString("\nend # module LibGlmmGo\n")
	return b.Bytes(), nil
}

var spaces = regexp.MustCompile(`\s{2,}`)

// constant is one #define as a Julia constant: statuses are Cint (C's
// int), counts Int64, strings String, every other code Int32 (int32_t).
func constant(d cheader.Define) string {
	comment := ""
	if d.Comment != "" {
		comment = "  # " + spaces.ReplaceAllString(d.Comment, "  ")
	}
	switch {
	case d.IsString:
		return fmt.Sprintf("const %s = %q%s\n", d.Name, d.Str, comment)
	case d.Name == "GLMMGO_OK" || strings.HasPrefix(d.Name, "GLMMGO_ERR_"):
		return fmt.Sprintf("const %s = Cint(%d)%s\n", d.Name, d.Int, comment)
	case strings.HasSuffix(d.Name, "_ROWS"):
		return fmt.Sprintf("const %s = Int64(%d)%s\n", d.Name, d.Int, comment)
	}
	return fmt.Sprintf("const %s = Int32(%d)%s\n", d.Name, d.Int, comment)
}

// resultTypes is the table of result codes and their element types.
func resultTypes(h *cheader.Header) string {
	var b strings.Builder
	b.WriteString(`
"""
    RESULT_TYPES

The element type of every result code: ` + "`Int64`" + ` for the codes read with
` + "`glmmgo_result_int64`" + ` (marked "int" in the header), ` + "`Float64`" + ` for those read with
` + "`glmmgo_result`" + `.
"""
const RESULT_TYPES = Dict{Int32,DataType}(
`)
	for _, d := range h.Defines {
		if !d.IsResult() {
			continue
		}
		t := "Float64"
		if d.IsIntResult() {
			t = "Int64"
		}
		fmt.Fprintf(&b, "    %s => %s,\n", d.Name, t)
	}
	b.WriteString(")\n")
	return b.String()
}

// juliaTypes maps the header's types to Julia's.
type juliaTypes struct {
	structs map[string]string // C struct (typedef name or "struct tag") -> Julia struct name
}

func typeMap(h *cheader.Header) juliaTypes {
	jt := juliaTypes{structs: map[string]string{}}
	for _, s := range h.Structs {
		if s.Tag {
			jt.structs["struct "+s.Name] = "struct_" + s.Name
		} else {
			jt.structs[s.Name] = s.Name
		}
	}
	return jt
}

var scalars = map[string]string{
	"int": "Cint", "int32_t": "Int32", "int64_t": "Int64", "glmmgo_handle": "Int64", "uint64_t": "UInt64",
	"double": "Float64", "size_t": "Csize_t", "char": "UInt8", "void": "Cvoid", "glmmgo_progress_fn": "Ptr{Cvoid}", "glmmgo_mcla_partials_fn": "Ptr{Cvoid}",
}

// of returns the Julia type of C type t: a scalar, or a pointer (to a
// struct: Ref in arguments, so a caller may pass a Ref or a value; Ptr in
// struct fields). Return types of char * are Cstring.
func (jt juliaTypes) of(t string, arg, ret bool) (string, error) {
	base := cheader.BaseType(t)
	if s, ok := scalars[base]; ok {
		return s, nil
	}
	inner, ok := strings.CutSuffix(base, " *")
	if !ok {
		return "", fmt.Errorf("no Julia type for C type %q", t)
	}
	if ret && inner == "char" {
		return "Cstring", nil
	}
	if s, ok := jt.structs[inner]; ok {
		if arg {
			return "Ref{" + s + "}", nil
		}
		return "Ptr{" + s + "}", nil
	}
	if s, ok := scalars[inner]; ok && !strings.HasPrefix(s, "Ptr") {
		return "Ptr{" + s + "}", nil
	}
	return "", fmt.Errorf("no Julia type for C type %q", t)
}

// structDef is one struct as an immutable Julia struct.
func structDef(s cheader.Struct, jt juliaTypes) (string, error) {
	name, cname := s.Name, s.Name
	if s.Tag {
		name, cname = "struct_"+s.Name, "struct "+s.Name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n\"\"\"\n    %s\n\nThe C `%s`, field for field (the same layout).\n\"\"\"\nstruct %s\n", name, cname, name)
	for _, f := range s.Fields {
		t, err := jt.of(f.Type, false, false)
		if err != nil {
			return "", fmt.Errorf("%s.%s: %w", cname, f.Name, err)
		}
		if f.Count > 0 {
			t = fmt.Sprintf("NTuple{%d,%s}", f.Count, t)
		}
		fmt.Fprintf(&b, "    %s::%s\n", f.Name, t)
	}
	b.WriteString("end\n")
	return b.String(), nil
}

// quick reports whether a call returns at once whatever the data (it
// reads or writes a few numbers): a plain ccall. Every other call may run
// long and is GC-safe.
func quick(f cheader.Func) bool {
	if f.Ret != "int" {
		return true
	}
	for _, s := range []string{"_free", "_dims", "_length", "_options_default"} {
		if strings.HasSuffix(f.Name, s) {
			return true
		}
	}
	return false
}

// wrapper is the Julia function of one C function.
func wrapper(f cheader.Func, jt juliaTypes) (string, error) {
	ret, err := jt.of(f.Ret, false, true)
	if err != nil {
		return "", fmt.Errorf("%s: %w", f.Name, err)
	}
	var names, types, typed, cdecl []string
	for _, p := range f.Params {
		t, err := jt.of(p.Type, true, false)
		if err != nil {
			return "", fmt.Errorf("%s(%s): %w", f.Name, p.Name, err)
		}
		names = append(names, p.Name)
		types = append(types, t)
		typed = append(typed, p.Name+"::"+t)
		sep := " "
		if strings.HasSuffix(p.Type, "*") {
			sep = ""
		}
		cdecl = append(cdecl, p.Type+sep+p.Name)
	}
	var b strings.Builder
	sep, params := " ", strings.Join(cdecl, ", ")
	if strings.HasSuffix(f.Ret, "*") {
		sep = ""
	}
	if params == "" {
		params = "void"
	}
	fmt.Fprintf(&b, "\n# %s%s%s(%s)\n", f.Ret, sep, f.Name, params)
	fmt.Fprintf(&b, "function %s(%s)\n", f.Name, strings.Join(names, ", "))
	if quick(f) {
		tuple := strings.Join(types, ", ")
		if len(types) == 1 {
			tuple += ","
		}
		args := ""
		if len(names) > 0 {
			args = ", " + strings.Join(names, ", ")
		}
		line := fmt.Sprintf("    return ccall((:%s, libglmmgo()), %s, (%s)%s)", f.Name, ret, tuple, args)
		if len(line) > 100 {
			line = fmt.Sprintf("    return ccall((:%s, libglmmgo()), %s,\n%s", f.Name, ret, wrap(fmt.Sprintf("        (%s)%s)", tuple, args)))
		}
		b.WriteString(strings.TrimSuffix(line, "\n") + "\n")
	} else {
		b.WriteString(wrap(fmt.Sprintf("    return @gcsafe_ccall libglmmgo().%s(%s)::%s", f.Name, strings.Join(typed, ", "), ret)))
	}
	b.WriteString("end\n")
	return b.String(), nil
}

// wrap breaks a long line after commas, continuing at an indent of 8.
func wrap(line string) string {
	const width = 100
	var b strings.Builder
	for len(line) > width {
		cut := strings.LastIndex(line[:width], ", ")
		if cut < 0 {
			break
		}
		b.WriteString(line[:cut+1] + "\n")
		line = "        " + line[cut+2:]
	}
	b.WriteString(line + "\n")
	return b.String()
}

const preamble = `# Code generated by go run ./internal/genjulia from include/glmmgo.h; DO NOT EDIT.

"""
    GlmmGo.LibGlmmGo

The low-level layer, generated from ` + "`include/glmmgo.h`" + `: one Julia function per function
of the header, with the same name, the same arguments in the same order and exactly
the C types, the header's constants, its structs (a tagged ` + "`struct glmmgo_x`" + ` is
` + "`struct_glmmgo_x`" + ` here, since a function may have the tag's name) and
[` + "`RESULT_TYPES`" + `](@ref). These functions return what C returns (mostly the status, a
` + "`Cint`" + `) and check nothing; arrays are passed as they are (column-major, no copy),
` + "`C_NULL`" + ` stands for a NULL pointer, and indices are 0-based as in C. Use the functions
of ` + "`GlmmGo`" + ` itself unless you need the C interface verbatim.

Calls that may run long go through [` + "`@gcsafe_ccall`" + `](@ref), so on Julia ≥ 1.12 they
run in a GC-safe region and do not stall garbage collection on other threads; calls
that return at once use plain ` + "`ccall`" + `.
"""
module LibGlmmGo

import ..GlmmGo: libglmmgo

"""
    @gcsafe_ccall library.function(arg::T, ...)::R

` + "`@ccall`" + ` for calls that may run long: on Julia ≥ 1.12 it expands to
` + "`@ccall gc_safe = true ...`" + `, which lets other threads collect garbage while the
call runs (the library touches only the arrays passed to it, which ` + "`ccall`" + ` keeps
rooted and Julia's GC never moves). On older Julia it is a plain ` + "`@ccall`" + `.
A progress callback made with ` + "`@cfunction`" + ` may still be called during such a call:
the callback wrapper re-enters the GC-unsafe state itself.
"""
macro gcsafe_ccall(ex)
    if VERSION >= v"1.12.0-"
        return esc(Expr(:macrocall, Symbol("@ccall"), __source__, Expr(:(=), :gc_safe, true), ex))
    else
        return esc(Expr(:macrocall, Symbol("@ccall"), __source__, ex))
    end
end
`
