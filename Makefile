# refundkit developer targets. Every tool is pinned: the code generator as a
# `tool` in go.mod (run with `go tool`), the rest with `go run pkg@version`,
# so a fresh machine needs only Go (and Node's npx for lint-specs).

GO               ?= go
STATICCHECK      := honnef.co/go/tools/cmd/staticcheck@v0.8.2
REDOCLY          := @redocly/cli@2.77.0
FUZZTIME         ?= 10s
BENCHSTAT        := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCHCOUNT       ?= 10
PKGS             := ./...
# every provider's spec: specs/*.yaml but the generator and linter configurations
SPECS            := $(filter-out %.cfg.yaml specs/redocly.yaml,$(wildcard specs/*.yaml))

.PHONY: all generate check-generate spec-diff test lint lint-specs bench bench-compare fuzz ci db db-stop

all: lint test

## generate: rebuild gen/ from specs/ with the oapi-codegen pinned in go.mod
generate:
	$(GO) generate ./...

## check-generate: fail if gen/ in the working tree is not what specs/ generate
## (generates into a scratch copy; staged or not makes no difference)
check-generate:
	GO=$(GO) ./scripts/check-generate.sh

## test: the full test suite with the race detector (the README's test command)
test:
	$(GO) test -race $(PKGS)

## lint: gofmt, go vet and staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); \
		if [ -n "$$out" ]; then echo "gofmt would change:" >&2; echo "$$out" >&2; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

## lint-specs: a standard OpenAPI linter over every spec
lint-specs:
	npx --yes $(REDOCLY) lint --config specs/redocly.yaml $(SPECS) specs/service/refundkit-api.yaml

## bench: every benchmark, with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## bench-compare: BENCHMARKS.md's tables: Inquire against its hand-written
## floor (BENCHCOUNT runs, summarised by benchstat with Baseline as the base),
## the paired ratios, reconcile at 1,000 and 10,000 items, allocations per
## inquiry with and without the per-attempt timeout, Bulk paired with a plain
## worker pool, and reconcile paired with a plain CSV loop
bench-compare:
	@out=$$(mktemp -d); \
	$(GO) test -c -o $$out/inquiry.test ./inquiry/ || exit 1; \
	cd inquiry && for i in $$(seq $(BENCHCOUNT)); do \
		$$out/inquiry.test -test.run '^$$' -test.bench '^Benchmark(Inquire|Baseline)$$' -test.benchmem >>$$out/inquire.txt || exit 1; \
	done; \
	$(GO) run $(BENCHSTAT) -col '.name@(Baseline Inquire)' $$out/inquire.txt; \
	$$out/inquiry.test -test.run '^$$' -test.bench InquireRatio -test.benchtime 3s -test.count 3 || exit 1; \
	$$out/inquiry.test -test.run '^$$' -test.bench Reconcile -test.benchmem -test.count 3 || exit 1; \
	$$out/inquiry.test -test.run '^$$' -test.bench '^Benchmark(Inquire|InquireNoTimeout|Baseline)$$' -test.benchmem -test.benchtime 1000x || exit 1; \
	$$out/inquiry.test -test.run '^$$' -test.bench BulkRatio -test.benchtime 30x -test.count 3 || exit 1; \
	cd .. && $(GO) test -c -o $$out/cmd.test ./cmd/refundkit/ && cd cmd/refundkit && \
	$$out/cmd.test -test.run '^$$' -test.bench ReconcileRatio -test.benchtime 30x -test.count 3 || exit 1; \
	echo "raw results in $$out"

## spec-diff: oasdiff's changelog of every spec changed since the base
## (merge base with main, else the last spec change: see scripts/spec-diff.sh);
## fails on a breaking change that specs/CHANGELOG.md has no entry for
spec-diff:
	./scripts/spec-diff.sh

## fuzz: run each fuzz target for FUZZTIME
fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

## db: start a throwaway PostgreSQL (Debian's package) for the Postgres
## tests; eval its output to export REFUNDKIT_TEST_POSTGRES
db:
	@./scripts/postgres.sh start

## db-stop: stop it and remove its files
db-stop:
	@./scripts/postgres.sh stop

## ci: what .ci/run does
ci:
	bash .ci/run
