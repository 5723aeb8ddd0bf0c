#!/bin/sh
# Line coverage of the suite (scripts/test.sh's tests) in build-cov/:
# the gcovr summary per directory (record/, analyze/), then per file.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh gcovr
[ -f build-cov/build.ninja ] || meson setup build-cov -Db_coverage=true >/dev/null
ninja -C build-cov >/dev/null
find build-cov -name '*.gcda' -delete
meson test -C build-cov --num-processes 1 "$@" >/dev/null || echo "coverage: some tests failed" >&2
for d in record analyze; do
	gcovr -r . --object-directory build-cov --filter "$d/" -s -o "build-cov/$d.txt" |
		sed -n "s|^lines: |$d/ lines: |p"
done
echo "per file: build-cov/record.txt, build-cov/analyze.txt"
