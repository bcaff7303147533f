#!/usr/bin/env bash
# Fails when gen/ in the working tree is not what the specs in the working
# tree generate. It generates into a copy of the working tree (tracked files
# and new ones git does not ignore, staged or not, gen/ left out but for its generate.go files) and
# compares that copy's gen/ with the working tree's, so the answer is the
# same before and after `git add`, and a file the specs no longer generate
# counts as drift too. The working tree itself is never written.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Deleted files are still listed by git ls-files -c: skip what is not there.
# Of gen/ only the hand-written generate.go files, which hold the
# go:generate lines, are copied.
{
	git ls-files -z --cached --others --exclude-standard | grep -z -v '^gen/' || true
	printf '%s\0' gen/*/generate.go
} | tar -c --null --ignore-failed-read --files-from=- | tar -x -C "$tmp"
(cd "$tmp" && ${GO:-go} generate ./...)

if ! diff -r -q gen "$tmp/gen" >"$tmp.diff" 2>&1; then
	echo "gen/ is not what specs/ generate: run 'make generate' and commit gen/ with the specs." >&2
	sed "s|$tmp/||g" "$tmp.diff" >&2
	rm -f "$tmp.diff"
	exit 1
fi
rm -f "$tmp.diff"
echo "gen/ is what specs/ generate."
