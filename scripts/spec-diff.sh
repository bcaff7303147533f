#!/usr/bin/env bash
# What a spec change breaks. Compares every OpenAPI spec in specs/ (each
# provider's) and in specs/service/ (the service's own API) with the same
# spec at a base commit, prints oasdiff's changelog of each that changed,
# and fails when oasdiff classes a change as breaking (level ERR) and
# specs/CHANGELOG.md gains no entry naming that spec since the base: its
# provider (the file's name, "payermax") or, for specs/service/, "service".
#
# The base is, in order:
#   1. $SPEC_DIFF_BASE, when set (any commit-ish; it must exist);
#   2. the merge base of HEAD with origin/main, else with main, when that is
#      not HEAD itself: a branch is compared with where it left main;
#   3. HEAD, when specs/ has uncommitted changes: the working tree's edit;
#   4. the parent of the newest commit that changed specs/: on main itself
#      (a clean clone in CI), the last spec change is the one checked.
# When that parent is not in the clone (a shallow clone, or specs/ born in
# the root commit) or this is not a git checkout, there is nothing to
# compare: the script says so and succeeds. It never fetches.
#
# oasdiff runs pinned, through `go run`, so it never enters go.mod; set
# OASDIFF to use another command.
set -euo pipefail
cd "$(dirname "$0")/.."

OASDIFF=${OASDIFF:-go run github.com/oasdiff/oasdiff@v1.37.0}
say() { printf 'spec-diff: %s\n' "$*"; }

has() { git rev-parse -q --verify "$1^{commit}" >/dev/null 2>&1; }

# pick_base prints the base commit and, on the next line, why it was chosen;
# nothing when there is none.
pick_base() {
	if [ -n "${SPEC_DIFF_BASE:-}" ]; then
		has "$SPEC_DIFF_BASE" || { echo "spec-diff: SPEC_DIFF_BASE=$SPEC_DIFF_BASE is not a commit here" >&2; exit 2; }
		printf '%s\n%s\n' "$(git rev-parse "$SPEC_DIFF_BASE^{commit}")" "SPEC_DIFF_BASE=$SPEC_DIFF_BASE"
		return
	fi
	local head ref mb
	head=$(git rev-parse HEAD)
	for ref in origin/main main; do
		has "$ref" || continue
		mb=$(git merge-base HEAD "$ref" 2>/dev/null) || continue
		if [ "$mb" != "$head" ]; then
			printf '%s\n%s\n' "$mb" "the merge base with $ref"
			return
		fi
	done
	if [ -n "$(git status --porcelain -- specs)" ]; then
		printf '%s\n%s\n' "$head" "HEAD (specs/ has uncommitted changes)"
		return
	fi
	local last
	last=$(git log -1 --format=%H -- specs 2>/dev/null || true)
	if [ -n "$last" ] && has "$last^"; then
		printf '%s\n%s\n' "$(git rev-parse "$last^")" "the parent of $(git log -1 --format='%h "%s"' "$last"), the newest commit that changed specs/"
	fi
}

if ! git rev-parse --git-dir >/dev/null 2>&1; then
	say "not a git checkout: no base to compare the specs with; nothing to check"
	exit 0
fi
sel=$(pick_base)
base=$(sed -n 1p <<<"$sel")
why=$(sed -n 2p <<<"$sel")
if [ -z "$base" ]; then
	say "the commit before the newest change to specs/ is not in this clone (shallow, or specs/ began there): nothing to compare; nothing to check"
	exit 0
fi
say "comparing specs/ with $(git rev-parse --short "$base"): $why"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/base"
git archive "$base" specs 2>/dev/null | tar -x -C "$tmp/base" 2>/dev/null || true

# specs_in DIR lists the OpenAPI documents in DIR/specs and DIR/specs/service,
# as paths under specs/ ("payermax.yaml", "service/refundkit-api.yaml").
specs_in() { (cd "$1/specs" 2>/dev/null && grep -l '^openapi:' -- *.yaml service/*.yaml 2>/dev/null || true) | sort; }

# entry_name FILE: the name an entry in specs/CHANGELOG.md gives for
# specs/FILE: "service" for the service's API, else the provider's (the
# file's name without .yaml).
entry_name() {
	case $1 in
	service/*) echo service ;;
	*) echo "${1%.yaml}" ;;
	esac
}

# changelog_mentions NAME: whether specs/CHANGELOG.md gained an entry for
# NAME: a list item whose label, before its first colon, names it
# ("- payermax: ...", "- PayerMax, AlphaPay: ..."). Prose that merely
# mentions it ("- zalopay: as the service does") is no entry for it.
changelog_mentions() {
	local old="$tmp/base/specs/CHANGELOG.md"
	[ -f "$old" ] || old=/dev/null
	[ -f specs/CHANGELOG.md ] || return 1
	{ diff "$old" specs/CHANGELOG.md || true; } | sed -n 's/^> *[-*]  *\([^:]*\):.*/\1/p' | grep -qiw -- "$1"
}

changed=0 unexcused=()
for f in $( (specs_in "$tmp/base"; specs_in .) | sort -u); do
	name=$(entry_name "$f")
	if [ ! -f "specs/$f" ]; then
		changed=1
		echo; echo "== specs/$f: removed (breaking: every client of it breaks)"
		changelog_mentions "$name" || unexcused+=("$name")
		continue
	fi
	if [ ! -f "$tmp/base/specs/$f" ]; then
		changed=1
		echo; echo "== specs/$f: new spec, nothing to compare"
		continue
	fi
	cmp -s "$tmp/base/specs/$f" "specs/$f" && continue
	changed=1
	echo; echo "== specs/$f"
	$OASDIFF changelog "$tmp/base/specs/$f" "specs/$f" --color never
	if ! out=$($OASDIFF breaking "$tmp/base/specs/$f" "specs/$f" --fail-on ERR --color never -f singleline); then
		[ -n "$out" ] || { echo "spec-diff: oasdiff failed on specs/$f" >&2; exit 2; }
		if changelog_mentions "$name"; then
			echo "-- breaking, with an entry for $name in specs/CHANGELOG.md"
		else
			echo "-- breaking, and specs/CHANGELOG.md has no new entry for $name:"
			echo "$out" | grep -i '^error' || echo "$out"
			unexcused+=("$name")
		fi
	fi
done

if [ "$changed" = 0 ]; then
	say "no spec changed since $(git rev-parse --short "$base")"
	exit 0
fi
if [ "${#unexcused[@]}" -gt 0 ]; then
	echo >&2
	echo "spec-diff: breaking change to ${unexcused[*]} without an entry in specs/CHANGELOG.md." >&2
	echo "spec-diff: add one naming the provider (or 'service', for specs/service/) and saying what breaks for users, then run 'make spec-diff' again." >&2
	exit 1
fi
say "ok"
