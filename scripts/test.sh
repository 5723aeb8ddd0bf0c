#!/bin/sh
# Install, build, run every test; the last line is "N passed, N failed, N skipped".
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh >/dev/null
rc=0
meson test -C build --print-errorlogs --num-processes 1 "$@" || rc=$?
python3 - build/meson-logs/testlog.json <<'PY'
import json, sys
n = {"passed": 0, "failed": 0, "skipped": 0}
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"):
        n["passed"] += 1
    elif r == "SKIP":
        n["skipped"] += 1
    else:
        n["failed"] += 1
print("%(passed)d passed, %(failed)d failed, %(skipped)d skipped" % n)
PY
exit $rc
