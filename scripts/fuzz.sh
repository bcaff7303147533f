#!/usr/bin/env bash
# Runs every fuzz target in the module for the given time each (default 10s).
# Go runs one fuzz target at a time per package, so each gets its own run.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-10s}"
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' || true)
	for t in $targets; do
		echo "--- fuzz $pkg $t ($fuzztime)"
		# RSA makes each inquiry run ~1-2 ms: bound minimisation so a short run fuzzes.
		go test -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" -fuzzminimizetime 100x "$pkg"
	done
done
