#!/usr/bin/env python3
"""Quick A/B of recorder builds on one getppid storm, against the floor.

  ab.py [--calls N] [--reps R] NAME=RECORD_BINARY...

Runs the baseline (no tracer), the floor (bench_floor: two empty tp_btf
programs) and `RECORD -e syscalls` of each build, interleaved, R times, and
prints per tool the median in-loop ns per call (bench.py's primary method),
the cost added over the baseline and its ratio to the floor's, by medians
and by minimums. Each record run's trace must hold every call (none lost),
else the run fails.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("BUILD", os.path.join(HERE, "..", "..", "build"))
STORM = os.path.join(BUILD, "tests", "bench_storm")
FLOOR = os.path.join(BUILD, "tests", "bench_floor")
FLOOR_OBJ = os.path.join(BUILD, "tests", "bench_floor.bpf.o")
ANALYZE = os.path.join(BUILD, "analyze", "analyze")


def in_loop_ns(out):
    w = json.loads([l for l in out.splitlines() if l.startswith("{")][0])
    return w["elapsed_ns"] / w["calls"], w["calls"]


def run(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode:
        sys.exit("ab: %s failed: %s" % (argv[0], r.stderr))
    return r.stdout


def record(binary, storm, tmp):
    trace = os.path.join(tmp, "ab.bpfrec")
    ns, calls = in_loop_ns(run([binary, "-e", "syscalls", "-o", trace, "--", *storm]))
    info = run([ANALYZE, "info", trace])
    drops = int(re.search(r"^drops:\s+(\d+)", info, re.M).group(1))
    recs = int(re.search(r"^events:\s+syscalls=(\d+)", info, re.M).group(1))
    if drops or recs < calls:
        sys.exit("ab: %s lost records: %d drops, %d records for %d calls"
                 % (binary, drops, recs, calls))
    return ns


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=2000000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("builds", nargs="+", metavar="NAME=RECORD")
    a = ap.parse_args()
    storm = [STORM, "getppid", str(a.calls)]
    tools = {"baseline": lambda tmp: in_loop_ns(run(storm))[0],
             "floor": lambda tmp: in_loop_ns(run([FLOOR, FLOOR_OBJ, *storm]))[0]}
    for b in a.builds:
        name, binary = b.split("=", 1)
        tools[name] = lambda tmp, binary=binary: record(binary, storm, tmp)
    res = {k: [] for k in tools}
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(a.reps):
            for k, f in tools.items():
                res[k].append(f(tmp))
    # medians, and minimums: on a shared machine the least disturbed run
    base, base_min = statistics.median(res["baseline"]), min(res["baseline"])
    floor = statistics.median(res["floor"]) - base
    floor_min = min(res["floor"]) - base_min
    print("%-12s %8s %8s %8s %7s %7s" % ("tool", "ns/call", "min", "added", "/floor", "min/fl"))
    for k, v in res.items():
        med = statistics.median(v)
        print("%-12s %8.1f %8.1f %8.1f %7.2f %7.2f" % (
            k, med, min(v), med - base, (med - base) / floor if floor > 0 else 0,
            (min(v) - base_min) / floor_min if floor_min > 0 else 0))


if __name__ == "__main__":
    main()
