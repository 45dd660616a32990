// Package cheader reads include/glmmgo.h, the public C header: its
// function prototypes, #define constants (among them the result codes and
// which of them are integers) and structs. The generators of code that
// must agree with the header (internal/genguard for capi/guard.c,
// internal/genjulia for the Julia package's low-level layer) share it.
//
// The header is hand-written in a plain style (one declaration per
// statement, no macros in prototypes, one #define per line); Parse reads
// that style and reports what it cannot read instead of skipping it.
package cheader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// A Param is one parameter of a prototype. Type is as written, without
// the name: "const double *", "int64_t", "struct glmmgo_dims *".
type Param struct{ Type, Name string }

// A Func is one function of the header.
type Func struct {
	Ret    string // return type as written: "int", "const char *"
	Name   string
	Params []Param
}

// A Define is one #define GLMMGO_... of the header with an integer or a
// string value (include guards and visibility macros are not).
type Define struct {
	Name     string
	Int      int64
	Str      string
	IsString bool
	Comment  string // the comment beside it on its line, without /* and */
	Section  string // the first line of the last comment that stood on its own line before it ("Status codes.")
}

// IsResult reports whether the define is a result code: a value numbered
// from an engine's base (1000, 2000, ...; not the version number).
func (d Define) IsResult() bool {
	return !d.IsString && d.Int >= 1000 && !strings.HasPrefix(d.Name, "GLMMGO_VERSION_")
}

// IsIntResult reports whether a result code is read with
// glmmgo_result_int64: the length column of its comment ends in "int"
// ("1 int", "nterms int").
func (d Define) IsIntResult() bool {
	return d.IsResult() && lengthColumn.FindStringSubmatch(d.Comment) != nil &&
		strings.HasSuffix(lengthColumn.FindStringSubmatch(d.Comment)[1], " int")
}

// A Field is one field of a struct; Count is the length of an array field
// (double p_mix[3]) and 0 otherwise.
type Field struct {
	Type, Name string
	Count      int
}

// A Struct is a struct of the header: a typedef (typedef struct {...}
// name;) or, with Tag set, a tagged struct (struct name {...};).
type Struct struct {
	Name   string
	Tag    bool
	Fields []Field
}

// A Header is what Parse read, in the header's order.
type Header struct {
	Funcs   []Func
	Defines []Define
	Structs []Struct
}

var (
	comments     = regexp.MustCompile(`(?s)/\*.*?\*/`)
	protoRe      = regexp.MustCompile(`(?m)^([a-z][\w \*]*?)\s*\b(glmmgo_\w+)\s*\(([^;{]*?)\)\s*;`)
	paramRe      = regexp.MustCompile(`^(.*?[\s\*])(\w+)$`)
	defineRe     = regexp.MustCompile(`^#define (GLMMGO_\w+)\s+(-?\d+|"[^"]*")\s*(?:/\*\s*(.*?)\s*(?:\*/)?)?$`)
	structRe     = regexp.MustCompile(`(?s)(?:typedef struct\s*\{([^}]*)\}\s*(\w+)\s*;|struct (\w+)\s*\{([^}]*)\}\s*;)`)
	fieldRe      = regexp.MustCompile(`^(.*?[\s\*])(\w+)(?:\[(\d+)\])?$`)
	lengthColumn = regexp.MustCompile(`^(\S+(?: int)?)`)
)

// Read parses the header at path.
func Read(path string) (*Header, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(string(src))
}

// ReadModule parses include/glmmgo.h of the Go module that holds the
// working directory.
func ReadModule() (*Header, string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, "", err
	}
	h, err := Read(filepath.Join(root, "include", "glmmgo.h"))
	return h, root, err
}

// Parse reads the header's source.
func Parse(src string) (*Header, error) {
	h := &Header{}
	var err error
	if h.Defines, err = defines(src); err != nil {
		return nil, err
	}
	code := comments.ReplaceAllString(src, "")
	if h.Structs, err = structs(code); err != nil {
		return nil, err
	}
	if h.Funcs, err = prototypes(code); err != nil {
		return nil, err
	}
	return h, nil
}

// defines reads the #define lines with a number or a string.
func defines(src string) ([]Define, error) {
	var out []Define
	section := ""
	for _, line := range strings.Split(src, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "/*") {
			section = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, "/*"), "*/"))
		}
		if !strings.HasPrefix(line, "#define GLMMGO_") {
			continue
		}
		m := defineRe.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			if strings.HasPrefix(line, "#define GLMMGO_H") {
				continue // the include guard
			}
			return nil, fmt.Errorf("cannot read %q: a #define GLMMGO_ needs a number or a string", line)
		}
		d := Define{Name: m[1], Comment: m[3], Section: section}
		if strings.HasPrefix(m[2], `"`) {
			d.Str, d.IsString = strings.Trim(m[2], `"`), true
		} else {
			d.Int, _ = strconv.ParseInt(m[2], 10, 64)
		}
		out = append(out, d)
	}
	return out, nil
}

// structs reads the structs of the comment-free source.
func structs(code string) ([]Struct, error) {
	var out []Struct
	for _, m := range structRe.FindAllStringSubmatch(code, -1) {
		s := Struct{Name: m[2]}
		body := m[1]
		if m[3] != "" {
			s = Struct{Name: m[3], Tag: true}
			body = m[4]
		}
		for _, f := range strings.Split(body, ";") {
			f = strings.Join(strings.Fields(f), " ")
			if f == "" {
				continue
			}
			fm := fieldRe.FindStringSubmatch(f)
			if fm == nil {
				return nil, fmt.Errorf("struct %s: cannot read the field %q", s.Name, f)
			}
			fd := Field{Type: strings.TrimSpace(fm[1]), Name: fm[2]}
			if fm[3] != "" {
				fd.Count, _ = strconv.Atoi(fm[3])
			}
			s.Fields = append(s.Fields, fd)
		}
		out = append(out, s)
	}
	return out, nil
}

// prototypes reads the functions declared in the comment-free source.
func prototypes(code string) ([]Func, error) {
	var out []Func
	for _, m := range protoRe.FindAllStringSubmatch(code, -1) {
		p := Func{Ret: strings.TrimSpace(m[1]), Name: m[2]}
		args := strings.Join(strings.Fields(m[3]), " ")
		if args != "void" {
			for _, a := range strings.Split(args, ",") {
				pm := paramRe.FindStringSubmatch(strings.TrimSpace(a))
				if pm == nil {
					return nil, fmt.Errorf("%s: cannot parse parameter %q", p.Name, a)
				}
				p.Params = append(p.Params, Param{Type: strings.TrimSpace(pm[1]), Name: pm[2]})
			}
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, errors.New("no prototypes in the header")
	}
	return out, nil
}

// BaseType is a parameter or field type without const and with single
// spaces: "const double *" → "double *".
func BaseType(t string) string {
	t = strings.ReplaceAll(" "+t+" ", " const ", " ")
	return strings.Join(strings.Fields(strings.ReplaceAll(t, "*", " * ")), " ")
}

// ModuleRoot walks up from the working directory to go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
