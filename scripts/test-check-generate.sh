#!/usr/bin/env bash
# Tests `make check-generate` on a scratch copy of the working tree: it
# passes on a clean tree, fails on a spec edit with advice to run
# `make generate`, passes right after `make generate` whether or not the
# result is staged, and fails on a gen/ file the specs do not generate.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git ls-files -z --cached --others --exclude-standard |
	tar -c --null --ignore-failed-read --files-from=- | tar -x -C "$tmp"
cd "$tmp"
git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { make -s check-generate >out.txt 2>&1; }

check || fail "clean tree: $(cat out.txt)"

sed -i 's/Human-readable description of `sub_return_code`/What `sub_return_code` means/' specs/zalopay.yaml
grep -q 'What `sub_return_code` means' specs/zalopay.yaml || fail "the spec edit did not apply"
! check || fail "a spec edit without make generate passed"
grep -q "run 'make generate'" out.txt || fail "no advice to run make generate: $(cat out.txt)"
grep -q "gen/zalopay/zalopay.gen.go" out.txt || fail "the stale file is not named: $(cat out.txt)"

make -s generate
check || fail "unstaged, right after make generate: $(cat out.txt)"
git add -A
check || fail "staged, after make generate: $(cat out.txt)"

echo "package zalopay" >gen/zalopay/extra.go
! check || fail "a gen/ file the specs do not generate passed"
grep -q "extra.go" out.txt || fail "the extra file is not named: $(cat out.txt)"

echo "test-check-generate: ok (clean, stale, regenerated unstaged and staged, extra file)"
