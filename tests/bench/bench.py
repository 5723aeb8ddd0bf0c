#!/usr/bin/env python3
"""Side-by-side benchmark: bpfrec `record` against `perf record` and ftrace.

For each workload (a syscall storm, file I/O on tmpfs, a fork/exec loop) it
runs, back to back and interleaved, N repetitions of:
  baseline            the workload alone
  floor               two empty tp_btf programs on sys_enter/sys_exit: what
                      any BPF syscall tracer pays before doing anything
  bpfrec-syscalls     record -e syscalls -- workload
  bpfrec-all          record -e all -- workload
  perf                perf record -e raw_syscalls:sys_enter,raw_syscalls:sys_exit
  ftrace              raw_syscalls events into a tracefs instance, read
                      concurrently from per_cpu/cpuN/trace_pipe_raw
  bpftrace            (if installed) counting the same events in a map
  bpfrec-old          (--old RECORD) record -e syscalls by an older build,
                      e.g. the one before per-CPU buffering: its ratio to
                      this build (old/new) in the same run
and reports medians and spread of the added ns per traced syscall (the
primary figure: measured by the workload inside its loop, start-up excluded;
`whole`: the whole process's wall time per call, start-up and stop included), the
ratios bpfrec/floor, bpfrec/perf and bpfrec/ftrace (same method, same run), events lost, bytes per event raw and
on disk, tracer CPU time as a share of the workload's and per million events,
and peak RSS. Then one getppid storm per CPU and on N-1 CPUs (each pinned,
the recorder not: its CPU comes out of the storms' time), a zero-loss rate
run (two storms in parallel) and the analysis benchmark
(import and every report) on the storm trace.

The generic tracepoint path, by the same method, on a context-switch storm
(`storm pingpong`: two threads per CPU, pinned, handing a byte back and
forth; sched_switch and sched_wakeup; the storm times its own loop):
  baseline, floor     the storm alone; an empty tracepoint-type program
                      attached to the same tracepoints (bench_floor -t)
  bpfrec-tp           record -e sched:sched_switch,sched:sched_wakeup
  perf                perf record -e of the same tracepoints
  bpfrec-old          (--old) the older build's record, same tracepoints
with the added ns per event (per call times calls over bpfrec's events).
Then the storm recorded once more (the event rate reached, lost events with
the default buffer) and imported (tracepoint rows per second), and
`record -a -e 'sched:*,signal:*,block:*,irq:*' --duration 5` under that
storm: the wall time it takes to stop.

All figures are measured in one run on one machine: compare the ratios,
not the absolute numbers. Results: a JSON-lines file and a table on stdout.
Run as root from the repository: tests/bench/bench.py [--quick].
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
RECORD = os.path.join(BUILD, "record", "record")
ANALYZE = os.path.join(BUILD, "analyze", "analyze")
STORM = os.path.join(BUILD, "tests", "bench_storm")
FLOOR = os.path.join(BUILD, "tests", "bench_floor")
FLOOR_OBJ = os.path.join(BUILD, "tests", "bench_floor.bpf.o")
TRACEFS = "/sys/kernel/tracing"
TP_EVENTS = "sched:sched_switch,sched:sched_wakeup"
DURATION_EVENTS = "sched:*,signal:*,block:*,irq:*"
PERF_EVENTS = "raw_syscalls:sys_enter,raw_syscalls:sys_exit"
BUFFER_MB = 32  # total, for bpfrec and perf: bpfrec's default ring buffer
# ftrace's reader (cat on trace_pipe_raw, a page per read) cannot keep up
# with a storm, and a full ftrace buffer drops events, which is cheaper than
# recording them. So ftrace gets, per CPU, room for the whole run: events go
# "into the trace buffer, then are read", with no loss to flatter it.
FTRACE_EVENT_BYTES = 72  # the larger raw_syscalls event with its header
ftrace_buffer_kb = BUFFER_MB * 1024


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Run:
    """ARGV run to completion: rc, out, err, and from wait4() its CPU time
    (with the descendants it waited for, i.e. the traced workload) and
    peak RSS (the larger of its own and its descendants')."""

    def __init__(self, argv):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.monotonic_ns()
            p = subprocess.Popen(argv, stdout=out, stderr=err)
            _, status, ru = os.wait4(p.pid, 0)
            self.wall_ns = time.monotonic_ns() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            self.rc, self.out, self.err = p.returncode, out.read().decode(), err.read().decode()
        self.cpu_ns = cpu_ns(ru)
        self.maxrss_kb = ru.ru_maxrss


def cpu_ns(ru):
    return int((ru.ru_utime + ru.ru_stime) * 1e9)


def storms_json(text):
    """Every storm's result line (one per storm of a parallel run)."""
    ws = [json.loads(line) for line in text.splitlines()
          if line.startswith("{") and '"workload"' in line]
    if not ws:
        raise RuntimeError("workload printed no result: %r" % text[-500:])
    return ws


def storm_json(text):
    return storms_json(text)[0]


def workload_argv(w, n, scratch):
    if w.startswith("getppid x"):  # getppid xK: K storms in parallel, storm i pinned to CPU i
        k = int(w.split("x")[1])
        cmd = " & ".join("taskset -c %d %s getppid %d" % (i, STORM, n) for i in range(k))
        return ["/bin/sh", "-c", cmd + " & wait"]
    if w == "getppid":
        return [STORM, "getppid", str(n)]
    if w == "fileio":
        return [STORM, "fileio", str(n), scratch]
    if w == "pingpong":
        return [STORM, "pingpong", str(n)]
    return [STORM, "forkexec", str(n)]


# --- tools -------------------------------------------------------------------

def tool_baseline(argv, tmp):
    r = Run(argv)
    if r.rc:
        raise RuntimeError("workload failed: " + r.err)
    ws = storms_json(r.out)
    return dict(ws=ws, wall_ns=r.wall_ns, tracer_cpu_ns=0, lost=0, events=0, bytes_raw=0,
                bytes_disk=0, maxrss_kb=0)


def tool_floor(extra=()):
    """The probes alone: two empty tp_btf programs on sys_enter/sys_exit, or
    with -t TRACEPOINTS an empty tracepoint-type program on each of them."""
    def run(argv, tmp):
        r = Run([FLOOR, FLOOR_OBJ, *extra, *argv])
        if r.rc:
            raise RuntimeError("floor failed: " + r.err)
        ws = storms_json(r.out)
        return dict(ws=ws, wall_ns=r.wall_ns, tracer_cpu_ns=r.cpu_ns - workload_cpu(ws), lost=0,
                    events=0, bytes_raw=0, bytes_disk=0, maxrss_kb=r.maxrss_kb)
    return run


def workload_cpu(ws):
    return sum(s["cpu_ns"] for s in ws)


def info_fields(trace):
    out = subprocess.run([ANALYZE, "info", trace], capture_output=True, text=True).stdout
    get = lambda pat: re.search(pat, out, re.M)
    ev = get(r"^events:\s+syscalls=(\d+), process=(\d+)")
    tp = get(r"^events:.*tracepoints=(\d+)")
    by = get(r"^bytes:\s+raw (\d+), stored (\d+)")
    dr = get(r"^drops:\s+(\d+)")
    du = get(r"^duration:\s+([\d.]+) s")
    return dict(syscall_records=int(ev.group(1)), process_records=int(ev.group(2)),
                tp_records=int(tp.group(1)) if tp else 0,
                duration_s=float(du.group(1)) if du else None, bytes_raw=int(by.group(1)), bytes_disk=int(by.group(2)), lost=int(dr.group(1)))


def tool_bpfrec(groups, extra=(), record=RECORD):
    def run(argv, tmp):
        trace = os.path.join(tmp, "bench.bpfrec")
        r = Run([record, "-e", groups, *extra, "-o", trace, "--", *argv])
        if r.rc:
            raise RuntimeError("record failed: " + r.err)
        ws = storms_json(r.out)
        f = info_fields(trace)
        # a syscall record is one enter/exit pair: two events
        events = 2 * f["syscall_records"] + f["process_records"] + f["tp_records"]
        return dict(ws=ws, wall_ns=r.wall_ns, tracer_cpu_ns=r.cpu_ns - workload_cpu(ws),
                    lost=f["lost"], events=events,
                    bytes_raw=f["bytes_raw"], bytes_disk=f["bytes_disk"], maxrss_kb=r.maxrss_kb)
    return run


def tool_perf(events):
    def run(argv, tmp):
        data = os.path.join(tmp, "perf.data")
        per_cpu_mb = BUFFER_MB // os.cpu_count()
        r = Run(["perf", "record", "-q", "-e", events, "-m", "%dM" % per_cpu_mb,
                 "-o", data, "--", *argv])
        if r.rc:
            raise RuntimeError("perf record failed: " + r.err)
        ws = storms_json(r.out)
        stats = subprocess.run(["perf", "report", "-i", data, "--stats"],
                               capture_output=True, text=True).stdout
        m = re.search(r"SAMPLE events:\s+(\d+)", stats)
        lost = re.search(r"LOST events:\s+(\d+)", stats)
        lost_samples = re.search(r"LOST_SAMPLES events:\s+(\d+)", stats)
        size = os.path.getsize(data)
        return dict(ws=ws, wall_ns=r.wall_ns, tracer_cpu_ns=r.cpu_ns - workload_cpu(ws),
                    lost=(int(lost.group(1)) if lost else 0) +
                    (int(lost_samples.group(1)) if lost_samples else 0),
                    events=int(m.group(1)) if m else 0, bytes_raw=size, bytes_disk=size,
                    maxrss_kb=r.maxrss_kb)
    return run


def tracefs_ready():
    if not os.path.isdir(os.path.join(TRACEFS, "events")):
        subprocess.run(["mount", "-t", "tracefs", "nodev", TRACEFS], check=False)
    return os.path.isdir(os.path.join(TRACEFS, "events", "raw_syscalls"))


def write(path, value):
    with open(path, "w") as f:
        f.write(value)


def tool_ftrace(argv, tmp):
    inst = os.path.join(TRACEFS, "instances", "bpfrec_bench")
    if os.path.isdir(inst):
        os.rmdir(inst)
    os.mkdir(inst)
    try:
        ncpu = os.cpu_count()
        write(os.path.join(inst, "buffer_size_kb"), str(ftrace_buffer_kb))
        write(os.path.join(inst, "options", "overwrite"), "0")  # count drops, keep oldest
        write(os.path.join(inst, "options", "event-fork"), "1")  # follow children
        # wake readers per ~1% of the buffer (like bpfrec's 256 KB batches),
        # not at the default 50%
        write(os.path.join(inst, "buffer_percent"), "1")
        outs = [os.path.join(tmp, "ftrace.cpu%d" % i) for i in range(ncpu)]
        readers = [subprocess.Popen(["cat", os.path.join(inst, "per_cpu", "cpu%d" % i,
                                                         "trace_pipe_raw")],
                                    stdout=open(outs[i], "wb")) for i in range(ncpu)]
        # The workload writes its own pid as the filter, then execs.
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(w)
            os.read(r, 1)
            os.execv(argv[0], argv)
        os.close(r)
        write(os.path.join(inst, "set_event_pid"), str(pid))
        write(os.path.join(inst, "events", "raw_syscalls", "enable"), "1")
        t0 = time.monotonic_ns()
        os.write(w, b"g")
        os.close(w)
        _, status = os.waitpid(pid, 0)
        wall_ns = time.monotonic_ns() - t0
        write(os.path.join(inst, "events", "raw_syscalls", "enable"), "0")
        time.sleep(0.2)  # readers take what woke them
        reader_cpu, reader_rss = 0, 0
        for p in readers:
            os.kill(p.pid, signal.SIGINT)  # not Popen.send_signal: its poll() may reap
            _, _, ru = os.wait4(p.pid, 0)
            reader_cpu += cpu_ns(ru)
            reader_rss = max(reader_rss, ru.ru_maxrss)
        # what never filled a wakeup's worth: read it without blocking
        for i in range(ncpu):
            drain_nonblocking(os.path.join(inst, "per_cpu", "cpu%d" % i, "trace_pipe_raw"),
                              outs[i])
        lost = sum(read_stat(inst, i, "overrun") + read_stat(inst, i, "dropped events")
                   for i in range(ncpu))
        size = sum(os.path.getsize(o) for o in outs)
        events = sum(count_ftrace_events(o) for o in outs)
        return dict(ws=None, wall_ns=wall_ns, tracer_cpu_ns=reader_cpu, lost=lost, events=events,
                    bytes_raw=size, bytes_disk=size, maxrss_kb=reader_rss, status=status)
    finally:
        os.rmdir(inst)


def drain_nonblocking(src, dst):
    fd = os.open(src, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with open(dst, "ab") as out:
            while True:
                try:
                    buf = os.read(fd, 65536)
                except BlockingIOError:
                    return
                if not buf:
                    return
                out.write(buf)
    finally:
        os.close(fd)


def count_ftrace_events(path, page=4096):
    """Data events in a trace_pipe_raw dump: ring-buffer pages of an 8-byte
    timestamp, an 8-byte commit (data size in the low bits), then events
    with a 32-bit header (type_len:5, time_delta:27)."""
    n = 0
    with open(path, "rb") as f:
        while True:
            pg = f.read(page)
            if len(pg) < 16:
                return n
            size = struct.unpack_from("<Q", pg, 8)[0] & 0xfffff
            off, end = 16, min(16 + size, len(pg))
            while off + 4 <= end:
                hdr = struct.unpack_from("<I", pg, off)[0]
                type_len, delta = hdr & 0x1f, hdr >> 5
                if type_len == 0:  # data, length in array[0]
                    length = 4 + struct.unpack_from("<I", pg, off + 4)[0]
                    n += 1
                elif type_len <= 28:  # data, type_len words
                    length = 4 + 4 * type_len
                    n += 1
                elif type_len == 29:  # padding
                    if delta == 0:
                        break
                    length = 4 + struct.unpack_from("<I", pg, off + 4)[0]
                else:  # time extend, absolute time stamp
                    length = 8
                off += length


def read_stat(inst, cpu, key):
    with open(os.path.join(inst, "per_cpu", "cpu%d" % cpu, "stats")) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split(":")[1])
    return 0


def ftrace_run(argv, tmp):
    """ftrace runs the workload itself; its stdout goes to a file we read.
    The tracer's CPU time is that of the reader processes."""
    out = os.path.join(tmp, "ftrace.workload")
    wrapped = ["/bin/sh", "-c", 'exec "$@" > %s' % out, "sh", *argv]
    res = tool_ftrace(wrapped, tmp)
    with open(out) as f:
        res["ws"] = storms_json(f.read())
    return res


def tool_bpftrace(argv, tmp):
    prog = ("tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @e = count(); } "
            "tracepoint:raw_syscalls:sys_exit /pid == cpid/ { @x = count(); }")
    r = Run(["bpftrace", "-q", "-e", prog, "-c", " ".join(argv)])
    ws = storms_json(r.out)
    return dict(ws=ws, wall_ns=r.wall_ns, tracer_cpu_ns=r.cpu_ns - workload_cpu(ws), lost=0, events=0,
                bytes_raw=0, bytes_disk=0, maxrss_kb=r.maxrss_kb)


# --- driver ------------------------------------------------------------------

def median_spread(vals):
    vals = sorted(vals)
    return statistics.median(vals), vals[0], vals[-1]


# syscalls per iteration, generously: sizes ftrace's buffer
CALLS_PER_ITERATION = {"getppid": 1, "fileio": 5, "forkexec": 100, "pingpong": 8}


def in_loop_ns(r):
    """The primary figure: the storms' own in-loop time (start-up excluded),
    averaged over the storms of a parallel run."""
    return statistics.mean(s["elapsed_ns"] for s in r["ws"])


def bench_workload(w, n, reps, tools, scratch, tmp, results):
    global ftrace_buffer_kb
    argv = workload_argv(w, n, scratch)
    kind, _, k = w.partition(" x")
    events = 2 * (CALLS_PER_ITERATION[kind] * n + 1000) * int(k or 1)
    ftrace_buffer_kb = max(BUFFER_MB * 1024 // os.cpu_count(),
                           events * FTRACE_EVENT_BYTES // 1024)
    runs = {name: [] for name in tools}
    for rep in range(reps):
        for name, fn in tools.items():  # interleaved: drift hits every tool alike
            log("  %s rep %d/%d: %s" % (w, rep + 1, reps, name))
            r = fn(argv, tmp)
            r.pop("trace", None)
            runs[name].append(r)
    base = statistics.median(in_loop_ns(r) for r in runs["baseline"])
    base_wall = statistics.median(r["wall_ns"] for r in runs["baseline"])
    calls = runs["baseline"][0]["ws"][0]["calls"]  # per storm
    nstorms = len(runs["baseline"][0]["ws"])
    summary = {}
    for name, rs in runs.items():
        added = [(in_loop_ns(r) - base) / calls for r in rs]
        med, lo, hi = median_spread(added)
        # whole process: the wall time from the tracer's start to its exit,
        # start-up and stop included, per call of all storms
        whole = statistics.median((r["wall_ns"] - base_wall) / calls for r in rs)
        cpu = statistics.median(r["tracer_cpu_ns"] for r in rs)
        wcpu = statistics.median(workload_cpu(r["ws"]) for r in rs)
        events = statistics.median(r["events"] for r in rs)
        row = dict(workload=w, tool=name, n=n, calls=calls, storms=nstorms, reps=reps,
                   added_ns_per_call=round(med, 1), added_min=round(lo, 1), added_max=round(hi, 1),
                   whole_ns_per_call=round(whole, 1),
                   tracer_ms_per_mevent=round(cpu / 1e6 / (events / 1e6), 1) if events else None,
                   elapsed_ms=round(statistics.median(in_loop_ns(r) for r in rs) / 1e6, 1),
                   lost=max(r["lost"] for r in rs), events=int(events),
                   bytes_per_event_raw=round(statistics.median(r["bytes_raw"] for r in rs) / events, 2) if events else None,
                   bytes_per_event_disk=round(statistics.median(r["bytes_disk"] for r in rs) / events, 2) if events else None,
                   tracer_cpu_pct_of_workload=round(100 * cpu / wcpu, 1) if name != "baseline" else None,
                   peak_rss_mb=round(max(r["maxrss_kb"] for r in rs) / 1024, 1) if name != "baseline" else None)
        summary[name] = row
    # what "new" is to bpfrec-old: the same events recorded by this build
    new = next((n for n in ("bpfrec-syscalls", "bpfrec-tp") if n in summary), None)
    # the tracepoint storm's cost per event: its calls are round trips
    per_event = summary["bpfrec-tp"]["events"] if "bpfrec-tp" in summary else None
    for name, row in summary.items():
        if per_event:
            for k in ("added_ns_per_call", "whole_ns_per_call"):
                row[k.replace("call", "event")] = round(row[k] * calls / per_event, 1)
        for ref in ("perf", "ftrace", "floor"):
            if name.startswith("bpfrec") and ref in summary and summary[ref]["added_ns_per_call"] > 0:
                row["ratio_vs_" + ref] = round(row["added_ns_per_call"] / summary[ref]["added_ns_per_call"], 3)
        if name == "bpfrec-old" and new and summary[new]["added_ns_per_call"] > 0:
            row["old_over_new"] = round(row["added_ns_per_call"] / summary[new]["added_ns_per_call"], 3)
        results.append(row)
    return summary


def zero_loss_rate(n, tmp, results):
    """Two storms in parallel (one per CPU): events/s kept with 0 lost."""
    trace = os.path.join(tmp, "rate.bpfrec")
    t0 = time.monotonic()
    rc = subprocess.run([RECORD, "-e", "syscalls", "-o", trace, "--", "/bin/sh", "-c",
                         "%s getppid %d & %s getppid %d & wait" % (STORM, n, STORM, n)],
                        capture_output=True, text=True)
    wall = time.monotonic() - t0
    f = info_fields(trace)
    events = 2 * f["syscall_records"]
    row = dict(workload="2 x getppid in parallel", tool="bpfrec-syscalls", events=events,
               lost=f["lost"], wall_s=round(wall, 3), events_per_s=int(events / wall))
    results.append(row)
    return row, trace


def tp_rate(n, record, tool, tmp, results):
    """The tracepoint storm recorded once more with the default buffer: the
    event rate reached (recorded and lost over the storm's in-loop time),
    what was lost; then imported: tracepoint rows per second."""
    trace = os.path.join(tmp, "tp.bpfrec")
    r = Run([record, "-e", TP_EVENTS, "-o", trace, "--", STORM, "pingpong", str(n)])
    if r.rc:
        raise RuntimeError("record failed: " + r.err)
    s = storm_json(r.out)
    f = info_fields(trace)
    db = os.path.join(tmp, "tp.db")
    t0 = time.monotonic()
    subprocess.run([ANALYZE, "import", trace, "-o", db], check=True, capture_output=True)
    dt = time.monotonic() - t0
    os.unlink(db)
    row = dict(workload="pingpong", tool=tool, kind="tp-rate", events=f["tp_records"],
               lost=f["lost"], buffer_mb=BUFFER_MB, storm_s=round(s["elapsed_ns"] / 1e9, 3),
               record_events_per_s=int((f["tp_records"] + f["lost"]) / (s["elapsed_ns"] / 1e9)),
               import_s=round(dt, 3), import_events_per_s=int(f["tp_records"] / dt))
    results.append(row)
    return row


def duration_stop(record, tool, tmp, results, seconds=5):
    """record -a on four tracepoint systems for SECONDS while a tracepoint
    storm runs: how long it takes to stop (wall time from its start, and
    from its "recording to" line, to its exit)."""
    trace = os.path.join(tmp, "duration.bpfrec")
    storm = subprocess.Popen([STORM, "pingpong", "100000000"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        t0 = time.monotonic()
        rec = subprocess.Popen([record, "-a", "-e", DURATION_EVENTS, "--duration", str(seconds),
                                "-o", trace], stderr=subprocess.PIPE, text=True)
        ready = None
        for line in rec.stderr:
            if ready is None and "recording to" in line:
                ready = time.monotonic()
        rc = rec.wait()
        t1 = time.monotonic()
    finally:
        storm.kill()
        storm.wait()
    f = info_fields(trace)
    row = dict(workload="pingpong", tool=tool, kind="duration", duration_s=seconds, rc=rc,
               wall_s=round(t1 - t0, 3), after_ready_s=round(t1 - ready, 3) if ready else None,
               stored_duration_s=f["duration_s"], events=f["tp_records"], lost=f["lost"])
    results.append(row)
    return row


def table(rows):
    cols = ["workload", "tool", "added_ns_per_call", "added_min", "added_max", "whole_ns_per_call",
            "added_ns_per_event", "ratio_vs_floor", "ratio_vs_perf", "ratio_vs_ftrace",
            "old_over_new", "lost", "events",
            "bytes_per_event_raw", "bytes_per_event_disk", "tracer_cpu_pct_of_workload",
            "tracer_ms_per_mevent", "peak_rss_mb"]
    heads = ["workload", "tool", "ns/call", "min", "max", "whole", "ns/ev", "/floor", "/perf",
             "/ftrace", "old/new", "lost", "events", "B/ev raw", "B/ev disk", "cpu %", "ms/Mev", "rss MB"]
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in cols] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    lines = ["  ".join(h.ljust(widths[i]) if i < 2 else h.rjust(widths[i]) for i, h in enumerate(heads))]
    for c in cells:
        lines.append("  ".join(v.ljust(widths[i]) if i < 2 else v.rjust(widths[i]) for i, v in enumerate(c)))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="small sizes, 3 reps (a smoke run)")
    ap.add_argument("--storm", type=int, default=5000000, help="getppid calls")
    ap.add_argument("--fileio", type=int, default=200000, help="file I/O iterations")
    ap.add_argument("--forkexec", type=int, default=2000, help="fork/exec iterations")
    ap.add_argument("--pingpong", type=int, default=300000,
                    help="round trips per CPU of the context-switch storm (tracepoints)")
    ap.add_argument("--only-tp", action="store_true", help="the tracepoint benchmark only")
    ap.add_argument("--old", metavar="RECORD",
                    help="an older build's record binary, run as bpfrec-old in the same run")
    ap.add_argument("--out", default=os.path.join(BUILD, "bench-results.jsonl"))
    ap.add_argument("--no-analyze", action="store_true", help="skip the import/report benchmark")
    a = ap.parse_args()
    # Started in the background by a shell, SIGINT is ignored, and so it is
    # in every child: ftrace's readers are stopped by it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if a.quick:
        a.reps, a.storm, a.fileio, a.forkexec, a.pingpong = 3, 500000, 20000, 200, 50000
    if os.geteuid():
        sys.exit("bench: run as root (BPF, perf and tracefs need it)")
    for exe in (RECORD, ANALYZE, STORM, FLOOR, *([a.old] if a.old else [])):
        if not os.access(exe, os.X_OK):
            sys.exit("bench: %s missing: build first (scripts/build.sh)" % exe)
    tools = {"baseline": tool_baseline,
             "floor": tool_floor(),
             "bpfrec-syscalls": tool_bpfrec("syscalls"),
             "bpfrec-all": tool_bpfrec("all")}
    tp_tools = {"baseline": tool_baseline,
                "floor": tool_floor(["-t", TP_EVENTS]),
                "bpfrec-tp": tool_bpfrec(TP_EVENTS)}
    if a.old:
        tools["bpfrec-old"] = tool_bpfrec("syscalls", record=a.old)
        tp_tools["bpfrec-old"] = tool_bpfrec(TP_EVENTS, record=a.old)
    if shutil.which("perf"):
        tools["perf"] = tool_perf(PERF_EVENTS)
        tp_tools["perf"] = tool_perf(TP_EVENTS)
    else:
        log("bench: perf not found: skipped (apt-get install linux-perf)")
    if tracefs_ready():
        tools["ftrace"] = ftrace_run
    else:
        log("bench: tracefs unavailable: ftrace skipped")
    if shutil.which("bpftrace"):
        tools["bpftrace"] = tool_bpftrace
    recorders = {"bpfrec-tp": RECORD, **({"bpfrec-old": a.old} if a.old else {})}

    results = []
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    meta = dict(date=time.strftime("%Y-%m-%d %H:%M:%S"), kernel=os.uname().release,
                cpus=os.cpu_count(), command=" ".join(sys.argv), buffer_mb=BUFFER_MB,
                loadavg=load, old_record=a.old)
    rate = None
    with tempfile.TemporaryDirectory(prefix="bpfrec-bench.") as tmp, \
            tempfile.TemporaryDirectory(prefix="bpfrec-bench.", dir="/dev/shm") as shm:
        if not a.only_tp:
            for w, n in (("getppid", a.storm), ("fileio", a.fileio), ("forkexec", a.forkexec)):
                log("bench: %s x %d, %d reps" % (w, n, a.reps))
                bench_workload(w, n, a.reps, tools, shm, tmp, results)
            # one storm per CPU, and on N-1 CPUs: the recorder's CPU comes out of
            # the storms' time, as it would for a user
            par = {k: tools[k] for k in ("baseline", "floor", "bpfrec-syscalls")}
            for k in sorted({os.cpu_count(), max(1, os.cpu_count() - 1)}, reverse=True):
                w = "getppid x%d" % k
                log("bench: %s x %d, %d reps" % (w, a.storm, a.reps))
                bench_workload(w, a.storm, a.reps, par, shm, tmp, results)
        log("bench: tracepoints, pingpong x %d, %d reps" % (a.pingpong, a.reps))
        bench_workload("pingpong", a.pingpong, a.reps, tp_tools, shm, tmp, results)
        for tool, rec in recorders.items():
            log("bench: tracepoint rate and import, %s" % tool)
            tp_rate(a.pingpong, rec, tool, tmp, results)
            log("bench: record -a --duration 5 under the tracepoint storm, %s" % tool)
            duration_stop(rec, tool, tmp, results)
        if not a.only_tp:
            log("bench: zero-loss rate")
            rate, _ = zero_loss_rate(a.storm, tmp, results)
        if not a.no_analyze and not a.only_tp:
            log("bench: analysis of a %d-call storm trace" % a.storm)
            trace = os.path.join(tmp, "analyze.bpfrec")
            subprocess.run([RECORD, "-e", "syscalls", "-o", trace, "--", STORM, "getppid",
                            str(a.storm)], check=True, capture_output=True)
            jl = os.path.join(tmp, "analyze.jsonl")
            script = os.path.join(ROOT, "tests", "bench", "bench_analyze.sh")
            if os.access(script, os.X_OK):
                subprocess.run([script, trace, jl], check=True, stdout=sys.stderr)
                with open(jl) as f:
                    results.extend(json.loads(line) for line in f if line.strip())
    with open(a.out, "w") as f:
        f.write(json.dumps(dict(meta=meta)) + "\n")
        for r in results:
            f.write(json.dumps(r) + "\n")
    print("bpfrec benchmark, %(date)s, load %(loadavg)s, kernel %(kernel)s, %(cpus)d CPUs, "
          "buffers %(buffer_mb)d MB (ftrace: room for the whole run)" % meta)
    print("command: %(command)s" % meta)
    print(table([r for r in results if "tool" in r and "added_ns_per_call" in r]))
    if rate:
        print("zero-loss rate: %(events_per_s)d events/s (%(events)d events, %(lost)d lost, %(wall_s)s s wall)" % rate)
    for r in results:
        if r.get("kind") == "tp-rate":
            print("tracepoints, %(tool)s: %(events)d events at %(record_events_per_s)d events/s, "
                  "%(lost)d lost (buffer %(buffer_mb)d MB); import %(import_events_per_s)d events/s"
                  % r)
        elif r.get("kind") == "duration":
            print("record -a -e '%s' --duration %d under the storm, %s: exit %d after %s s "
                  "(%s s after its ready line; the trace says %s s), %d events, %d lost"
                  % (DURATION_EVENTS, r["duration_s"], r["tool"], r["rc"], r["wall_s"],
                     r["after_ready_s"], r["stored_duration_s"], r["events"], r["lost"]))
        elif r.get("kind") == "analyze":
            print("analyze: " + ", ".join("%s=%s" % (k, v) for k, v in r.items() if k != "kind"))
    print("results: " + a.out)


if __name__ == "__main__":
    main()
