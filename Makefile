# glmmgo: build the shared library, run the demo, run every test.
#   make          build/libglmmgo.so (and its generated header)
#   make demo     the demonstration fits on bundled data
#   make test     every test: Go (with -race), the C ABI, R and Julia checks
#   make bench    the Go benchmarks
#   make generate capi/guard.c, bindings/julia/src/LibGlmmGo.jl, bindings/R/R/codes.R from include/glmmgo.h
#                 (after changing a prototype, a constant or a struct)
GO ?= go
SOURCES := $(shell find core capi internal include -name '*.go' -o -name '*.c' -o -name '*.h') go.mod go.sum

build/libglmmgo.so: $(SOURCES)
	$(GO) build -buildmode=c-shared -o $@ ./capi

.PHONY: all deps demo test test-go lint test-r test-julia bench generate clean
all: build/libglmmgo.so

deps:
	./scripts/install-deps.sh

demo: build/libglmmgo.so
	$(GO) run ./cmd/glmmgo-demo
	@echo
	@echo "== MCLA fit of the salamander mating data (glmm's model), m = 10^4"
	$(GO) run ./cmd/glmmgo-demo-mcla

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags noasm ./core/...

# test-go runs the core a second time with the noasm build tag, which
# replaces every assembly kernel by its portable Go version. The timeout
# per package is raised from go test's 10 minutes: tests/ takes 4-6 minutes
# under -race on a quiet 2-core machine, and more on a busy one.
test-go: build/libglmmgo.so
	$(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -tags noasm -count=1 -timeout 30m ./core/...

test-r: build/libglmmgo.so
	@if [ -x bindings/R/tools/test.sh ]; then bindings/R/tools/test.sh; else echo "R package tests: none yet"; fi

test-julia: build/libglmmgo.so
	@if [ -x bindings/julia/check/run.sh ]; then bindings/julia/check/run.sh; else echo "Julia checks: none yet"; fi

test: deps lint test-go test-r test-julia

bench:
	$(GO) test -run XXX -bench . -benchmem ./core/...

generate:
	$(GO) generate ./capi

clean:
	rm -rf build
