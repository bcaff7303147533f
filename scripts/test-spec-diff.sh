#!/usr/bin/env bash
# Tests scripts/spec-diff.sh in scratch repositories made from the specs in
# the working tree: an unchanged spec passes; a compatible change passes and
# is listed; a breaking change fails until specs/CHANGELOG.md gains an entry
# naming its provider, whether uncommitted, committed on main (the base is
# then the parent of the newest spec commit) or on a branch (the merge base
# with main); a breaking change to the service's own API (specs/service/)
# fails likewise until an entry names "service", uncommitted or committed;
# a shallow clone, with no parent to compare with, passes and says why.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo="$tmp/repo"
mkdir -p "$repo/specs/service" "$repo/scripts"
cp specs/*.yaml "$repo/specs/"
cp specs/service/*.yaml "$repo/specs/service/"
cp scripts/spec-diff.sh "$repo/scripts/"
cd "$repo"
git init -q -b main
g() { git -c user.name=t -c user.email=t@t "$@"; }
g add -A && g commit -qm base

fail() { echo "FAIL: $*" >&2; exit 1; }
run() { ./scripts/spec-diff.sh >"$tmp/out.txt" 2>&1; }
breaking() { # payermax's refundAmount becomes a string
	sed -i '/^        refundAmount:$/,/type:/ s/type: number/type: string/' specs/payermax.yaml
	grep -A1 '^        refundAmount:$' specs/payermax.yaml | grep -q 'type: string' || fail "the breaking edit did not apply"
}

run || fail "unchanged: $(cat "$tmp/out.txt")"

sed -i 's/Human-readable description of `return_code`/What `return_code` means/' specs/zalopay.yaml
grep -q 'What `return_code` means' specs/zalopay.yaml || fail "the spec edit did not apply"
run || fail "a description edit failed: $(cat "$tmp/out.txt")"
grep -q "== specs/zalopay.yaml" "$tmp/out.txt" || fail "the changed spec is not listed: $(cat "$tmp/out.txt")"
git checkout -q specs

breaking
! run || fail "an uncommitted breaking change passed"
grep -q "response-property-type-changed" "$tmp/out.txt" || fail "oasdiff's finding is not shown: $(cat "$tmp/out.txt")"
grep -q "without an entry in specs/CHANGELOG.md" "$tmp/out.txt" || fail "no advice: $(cat "$tmp/out.txt")"
printf '# Spec changes\n\n- zalopay: wording.\n' >specs/CHANGELOG.md
! run || fail "an entry for another provider excused the change"
printf -- '- payermax: data.refundAmount is a string (breaking).\n' >>specs/CHANGELOG.md
run || fail "uncommitted, with an entry: $(cat "$tmp/out.txt")"

g add -A && g commit -qm "payermax: refundAmount as a string"
run || fail "committed on main, with an entry: $(cat "$tmp/out.txt")"
grep -q "the newest commit that changed specs/" "$tmp/out.txt" || fail "the base is not explained: $(cat "$tmp/out.txt")"

# The service's API: AddResult.added becomes a string.
service=specs/service/refundkit-api.yaml
sed -i 's/added: {type: integer, description: New refunds.}/added: {type: string, description: New refunds.}/' $service
grep -q 'added: {type: string' $service || fail "the service spec's breaking edit did not apply"
! run || fail "an uncommitted breaking change to the service spec passed"
grep -q "== $service" "$tmp/out.txt" || fail "the service spec is not listed: $(cat "$tmp/out.txt")"
grep -q "response-property-type-changed" "$tmp/out.txt" || fail "oasdiff's finding on the service spec is not shown: $(cat "$tmp/out.txt")"
grep -q "breaking change to service without an entry" "$tmp/out.txt" || fail "the service is not named: $(cat "$tmp/out.txt")"
printf -- '- payermax: nothing new for the service.\n' >>specs/CHANGELOG.md
! run || fail "an entry for a provider (that mentions the service) excused the service spec's change"
printf -- '- service: POST /v1/refunds answers "added" as a string (breaking).\n' >>specs/CHANGELOG.md
run || fail "the service spec, uncommitted, with an entry: $(cat "$tmp/out.txt")"
g add -A && g commit -qm "service: added as a string"
run || fail "the service spec, committed on main, with an entry: $(cat "$tmp/out.txt")"
grep -q "breaking, with an entry for service" "$tmp/out.txt" || fail "the committed service change was not checked: $(cat "$tmp/out.txt")"
sed -i 's/added: {type: string, description: New refunds.}/added: {type: boolean, description: New refunds.}/' $service
g commit -qam "service: added as a boolean, no entry"
! run || fail "a committed breaking change to the service spec without an entry passed"

git reset -q --hard HEAD^
git checkout -q -b feature
sed -i 's/required: \[version, keyVersion, requestTime, appId, data\]/required: [version, keyVersion, requestTime, appId, merchantNo, data]/' specs/payermax.yaml
grep -q 'appId, merchantNo, data\]' specs/payermax.yaml || fail "the branch's edit did not apply"
g commit -qam "payermax: merchantNo required"
g commit -q --allow-empty -m "unrelated"
run && fail "a branch's breaking change passed: $(cat "$tmp/out.txt")"
grep -q "the merge base with main" "$tmp/out.txt" || fail "the branch is not compared with main: $(cat "$tmp/out.txt")"
printf -- '- PayerMax: merchantNo is required in requests.\n' >>specs/CHANGELOG.md
g commit -qam "changelog"
run || fail "a branch, with an entry: $(cat "$tmp/out.txt")"

git checkout -q main
git clone -q --depth 1 "file://$repo" "$tmp/shallow"
(cd "$tmp/shallow" && ./scripts/spec-diff.sh >"$tmp/out.txt" 2>&1) || fail "shallow clone: $(cat "$tmp/out.txt")"
grep -q "nothing to compare" "$tmp/out.txt" || fail "the shallow clone does not say why: $(cat "$tmp/out.txt")"

SPEC_DIFF_BASE=nonexistent ./scripts/spec-diff.sh >"$tmp/out.txt" 2>&1 && fail "a bad SPEC_DIFF_BASE passed"
cd "$root"
echo "test-spec-diff: ok (unchanged, compatible, breaking uncommitted/committed/branch with and without entries, the service spec's likewise, shallow, bad base)"
