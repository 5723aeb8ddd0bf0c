#!/usr/bin/env python3
# Print "N passed, N failed, N skipped" over meson's testlog.json files;
# --failed N adds N failures found outside meson. Under CI (CI=true) a
# skipped test fails the run (exit 1): it hides what was not tested.
import json
import os
import sys

args = sys.argv[1:]
n = {"passed": 0, "failed": 0, "skipped": 0}
if args[:1] == ["--failed"]:
    n["failed"] = int(args[1])
    args = args[2:]
for path in args:
    for line in open(path):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            n["passed"] += 1
        elif r == "SKIP":
            n["skipped"] += 1
        else:
            n["failed"] += 1
ci_fail = n["skipped"] and os.environ.get("CI") == "true"
if ci_fail:
    print("CI=true: the skipped tests count as failures", flush=True)
print("%(passed)d passed, %(failed)d failed, %(skipped)d skipped" % n)
sys.exit(1 if ci_fail else 0)
