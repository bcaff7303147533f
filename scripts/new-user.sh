#!/usr/bin/env bash
# Follows README.md as a new user would, in a scratch directory, with the
# binary and the library taken from this checkout:
#   - installs the command as the README says (go install ./cmd/refundkit);
#   - makes a module that uses the library (a replace points it here), with
#     README's library program as main.go, and a test that imports the
#     simulator as a user's tests would;
#   - go mod tidy and go vet: the code generator (oapi-codegen/v2) must not
#     enter the module's go.mod or go.sum;
#   - runs "refundkit demo", then "refundkit simulate" as the README says,
#     the README program against it, the lines simulate printed under
#     "Try:", and README's own inquire and reconcile lines.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
sim_pid=
cleanup() {
	if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

step() { printf -- '--- %s\n' "$*"; }

step "go install ./cmd/refundkit"
(cd "$root" && GOBIN="$tmp/bin" go install ./cmd/refundkit)
export PATH="$tmp/bin:$PATH"

step "a module using the library, README's program as main.go"
mkdir "$tmp/usermodule" && cd "$tmp/usermodule"
cat >go.mod <<MOD
module example.com/usermodule

go 1.26.0

require github.com/refundkit/refundkit v0.0.0

replace github.com/refundkit/refundkit => $root
MOD
awk '/^## Use the library$/ {in_section=1} in_section && /^```go$/ {in_go=1; next} in_go && /^```$/ {exit} in_go {print}' \
	"$root/README.md" >main.go
grep -q '^func main() {$' main.go || fail "README.md has no Go program under \"Use the library\""
cat >main_test.go <<'GO'
package main

import (
	"testing"

	"github.com/refundkit/refundkit/simulator"
)

func TestSimulatorNeedsKeys(t *testing.T) {
	if _, err := simulator.New(simulator.PayerMaxConfig{}); err == nil {
		t.Fatal("want an error for a simulator without keys")
	}
}
GO
go mod tidy
go vet ./...
go test -count=1 ./... >/dev/null
if grep -n 'oapi-codegen/oapi-codegen' go.mod go.sum; then
	fail "importing refundkit pulls the code generator into a user's module (above)"
fi

step "refundkit demo"
refundkit demo >demo.out || fail "refundkit demo: $(cat demo.out)"

step "refundkit simulate --keys-dir keys"
refundkit simulate --keys-dir keys --addr 127.0.0.1:0 >sim.out 2>sim.err &
sim_pid=$!
for _ in $(seq 600); do
	grep -q 'Stop with Ctrl-C.' sim.out && break
	kill -0 "$sim_pid" 2>/dev/null || fail "simulate exited: $(cat sim.err)"
	sleep 0.1
done
url=$(sed -n 's/^.* simulators listening on \(http:[^ ]*\)$/\1/p' sim.out)
[ -n "$url" ] || fail "simulate printed no URL: $(cat sim.out)"

step "PAYERMAX_BASE_URL=$url go run ."
out=$(PAYERMAX_BASE_URL="$url" go run .)
[ "$out" = "refunded 10000 IDR verified: true" ] || fail "README's program printed: $out"

# The lines simulate printed under "Try:", then README's own (which assume
# --keys-dir keys): each must succeed as written.
tries=$(sed -n 's/^  \(refundkit \(inquire\|reconcile\) .*\)$/\1/p' sim.out)
[ "$(printf '%s\n' "$tries" | grep -c .)" = 2 ] || fail "simulate printed no inquire and reconcile lines: $(cat sim.out)"
readme=$(grep -E '^refundkit (inquire|reconcile) --config keys/' "$root/README.md")
[ -n "$readme" ] || fail "README.md shows no inquire or reconcile line for keys/"
while IFS= read -r line; do
	step "$line"
	eval "$line" >try.out 2>try.err || fail "'$line' failed: $(cat try.err)"
done <<<"$tries
$readme"

echo "new-user walkthrough: ok ($(grep -c . go.sum) go.sum lines in the user's module)"
