#!/bin/sh
# Install, build, run every test (valgrind and fuzzing: scripts/test-sanitize.sh);
# the last line is "N passed, N failed, N skipped". Under CI (CI=true) a
# skipped test fails the run: it hides what was not tested.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh >/dev/null
rc=0
meson test -C build --print-errorlogs --num-processes 1 "$@" || rc=$?
scripts/test-summary.py build/meson-logs/testlog.json || rc=1
exit $rc
