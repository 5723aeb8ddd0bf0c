#!/usr/bin/env python3
"""Side-by-side benchmark: bpfrec `record` against `perf record` and ftrace.

For each workload (a syscall storm, file I/O on tmpfs, a fork/exec loop) it
runs, back to back and interleaved, N repetitions of:
  baseline            the workload alone
  bpfrec-syscalls     record -e syscalls -- workload
  bpfrec-all          record -e all -- workload
  perf                perf record -e raw_syscalls:sys_enter,raw_syscalls:sys_exit
  ftrace              raw_syscalls events into a tracefs instance, read
                      concurrently from per_cpu/cpuN/trace_pipe_raw
  bpftrace            (if installed) counting the same events in a map
Then the generic tracepoint path on a context-switch storm (two threads per
CPU, pinned, handing a byte back and forth: sched_switch, sched_wakeup):
  bpfrec-tp           record -e sched:sched_switch,sched:sched_wakeup
  perf                perf record -e of the same tracepoints
  bpf-empty           an empty BPF program on them (bpftrace '{ }'): the floor
with the added ns per event and the ratios to perf and to the floor.
and reports medians and spread of the added ns per traced syscall, the
ratios bpfrec/perf and bpfrec/ftrace, events lost, bytes per event raw and
on disk, tracer CPU time as a share of the workload's, and peak RSS. Then a
zero-loss rate run (two storms in parallel) and the analysis benchmark
(import and every report) on the storm trace.

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
TRACEFS = "/sys/kernel/tracing"
TP_EVENTS = "sched:sched_switch,sched:sched_wakeup"
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
            p = subprocess.Popen(argv, stdout=out, stderr=err)
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            self.rc, self.out, self.err = p.returncode, out.read().decode(), err.read().decode()
        self.cpu_ns = cpu_ns(ru)
        self.maxrss_kb = ru.ru_maxrss


def cpu_ns(ru):
    return int((ru.ru_utime + ru.ru_stime) * 1e9)


def storm_json(text):
    for line in text.splitlines():
        if line.startswith("{") and '"workload"' in line:
            return json.loads(line)
    raise RuntimeError("workload printed no result: %r" % text[-500:])


def workload_argv(w, n, scratch):
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
    s = storm_json(r.out)
    return dict(w=s, tracer_cpu_ns=0, lost=0, events=0, bytes_raw=0, bytes_disk=0, maxrss_kb=0)


def info_fields(trace):
    out = subprocess.run([ANALYZE, "info", trace], capture_output=True, text=True).stdout
    get = lambda pat: re.search(pat, out, re.M)
    ev = get(r"^events:\s+syscalls=(\d+), process=(\d+)")
    tp = get(r"^events:.*tracepoints=(\d+)")
    by = get(r"^bytes:\s+raw (\d+), stored (\d+)")
    dr = get(r"^drops:\s+(\d+)")
    return dict(syscall_records=int(ev.group(1)), process_records=int(ev.group(2)),
                tp_records=int(tp.group(1)) if tp else 0,
                bytes_raw=int(by.group(1)), bytes_disk=int(by.group(2)), lost=int(dr.group(1)))


def tool_bpfrec(groups, extra=()):
    def run(argv, tmp):
        trace = os.path.join(tmp, "bench.bpfrec")
        r = Run([RECORD, "-e", groups, *extra, "-o", trace, "--", *argv])
        if r.rc:
            raise RuntimeError("record failed: " + r.err)
        s = storm_json(r.out)
        f = info_fields(trace)
        # a syscall record is one enter/exit pair: two events
        events = 2 * f["syscall_records"] + f["process_records"] + f["tp_records"]
        return dict(w=s, tracer_cpu_ns=r.cpu_ns - s["cpu_ns"], lost=f["lost"], events=events,
                    bytes_raw=f["bytes_raw"], bytes_disk=f["bytes_disk"], maxrss_kb=r.maxrss_kb)
    return run


def tool_perf(argv, tmp, events=PERF_EVENTS):
    data = os.path.join(tmp, "perf.data")
    per_cpu_mb = BUFFER_MB // os.cpu_count()
    r = Run(["perf", "record", "-q", "-e", events, "-m", "%dM" % per_cpu_mb,
             "-o", data, "--", *argv])
    if r.rc:
        raise RuntimeError("perf record failed: " + r.err)
    s = storm_json(r.out)
    stats = subprocess.run(["perf", "report", "-i", data, "--stats"],
                           capture_output=True, text=True).stdout
    m = re.search(r"SAMPLE events:\s+(\d+)", stats)
    lost = re.search(r"LOST events:\s+(\d+)", stats)
    lost_samples = re.search(r"LOST_SAMPLES events:\s+(\d+)", stats)
    size = os.path.getsize(data)
    return dict(w=s, tracer_cpu_ns=r.cpu_ns - s["cpu_ns"],
                lost=(int(lost.group(1)) if lost else 0) + (int(lost_samples.group(1)) if lost_samples else 0),
                events=int(m.group(1)) if m else 0, bytes_raw=size, bytes_disk=size,
                maxrss_kb=r.maxrss_kb)


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
        os.write(w, b"g")
        os.close(w)
        _, status = os.waitpid(pid, 0)
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
        return dict(w=None, tracer_cpu_ns=reader_cpu, lost=lost, events=events,
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
        res["w"] = storm_json(f.read())
    return res


def tool_perf_tp(argv, tmp):
    return tool_perf(argv, tmp, TP_EVENTS)


def tool_bpf_empty(argv, tmp):
    """The floor of any BPF tracer: an empty program on the same tracepoints."""
    prog = ",".join("tracepoint:" + e for e in TP_EVENTS.split(",")) + " { }"
    r = Run(["bpftrace", "-q", "-e", prog, "-c", " ".join(argv)])
    s = storm_json(r.out)
    return dict(w=s, tracer_cpu_ns=r.cpu_ns - s["cpu_ns"], lost=0, events=0,
                bytes_raw=0, bytes_disk=0, maxrss_kb=r.maxrss_kb)


def tool_bpftrace(argv, tmp):
    prog = ("tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @e = count(); } "
            "tracepoint:raw_syscalls:sys_exit /pid == cpid/ { @x = count(); }")
    r = Run(["bpftrace", "-q", "-e", prog, "-c", " ".join(argv)])
    s = storm_json(r.out)
    return dict(w=s, tracer_cpu_ns=r.cpu_ns - s["cpu_ns"], lost=0, events=0,
                bytes_raw=0, bytes_disk=0, maxrss_kb=r.maxrss_kb)


# --- driver ------------------------------------------------------------------

def median_spread(vals):
    vals = sorted(vals)
    return statistics.median(vals), vals[0], vals[-1]


# syscalls per iteration, generously: sizes ftrace's buffer
CALLS_PER_ITERATION = {"getppid": 1, "fileio": 5, "forkexec": 100, "pingpong": 8}


def bench_workload(w, n, reps, tools, scratch, tmp, results):
    global ftrace_buffer_kb
    argv = workload_argv(w, n, scratch)
    events = 2 * (CALLS_PER_ITERATION[w] * n + 1000)
    ftrace_buffer_kb = max(BUFFER_MB * 1024 // os.cpu_count(),
                           events * FTRACE_EVENT_BYTES // 1024)
    runs = {name: [] for name in tools}
    for rep in range(reps):
        for name, fn in tools.items():  # interleaved: drift hits every tool alike
            log("  %s rep %d/%d: %s" % (w, rep + 1, reps, name))
            r = fn(argv, tmp)
            r.pop("trace", None)
            runs[name].append(r)
    base = statistics.median(r["w"]["elapsed_ns"] for r in runs["baseline"])
    calls = runs["baseline"][0]["w"]["calls"]
    summary = {}
    for name, rs in runs.items():
        added = [(r["w"]["elapsed_ns"] - base) / calls for r in rs]
        med, lo, hi = median_spread(added)
        cpu = statistics.median(r["tracer_cpu_ns"] for r in rs)
        wcpu = statistics.median(r["w"]["cpu_ns"] for r in rs)
        events = statistics.median(r["events"] for r in rs)
        row = dict(workload=w, tool=name, n=n, calls=calls, reps=reps,
                   added_ns_per_call=round(med, 1), added_min=round(lo, 1), added_max=round(hi, 1),
                   elapsed_ms=round(statistics.median(r["w"]["elapsed_ns"] for r in rs) / 1e6, 1),
                   lost=max(r["lost"] for r in rs), events=int(events),
                   bytes_per_event_raw=round(statistics.median(r["bytes_raw"] for r in rs) / events, 2) if events else None,
                   bytes_per_event_disk=round(statistics.median(r["bytes_disk"] for r in rs) / events, 2) if events else None,
                   tracer_cpu_pct_of_workload=round(100 * cpu / wcpu, 1) if name != "baseline" else None,
                   peak_rss_mb=round(max(r["maxrss_kb"] for r in rs) / 1024, 1) if name != "baseline" else None)
        summary[name] = row
    # per event for the tracepoint storm: its events are what is traced
    ev = summary.get("bpfrec-tp", {}).get("events")
    for name, row in summary.items():
        if ev:
            row["added_ns_per_event"] = round(row["added_ns_per_call"] * calls / ev, 1)
        for ref in ("perf", "ftrace", "bpf-empty"):
            if name.startswith("bpfrec") and ref in summary and summary[ref]["added_ns_per_call"] > 0:
                row["ratio_vs_" + ref] = round(row["added_ns_per_call"] / summary[ref]["added_ns_per_call"], 3)
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


def tp_import_rate(n, tmp, results):
    """The tracepoint storm recorded once more (its rate, what was lost),
    then imported: tracepoint rows per second."""
    trace = os.path.join(tmp, "tp.bpfrec")
    r = Run([RECORD, "-e", TP_EVENTS, "-o", trace, "--", STORM, "pingpong", str(n)])
    s = storm_json(r.out)
    f = info_fields(trace)
    db = os.path.join(tmp, "tp.db")
    t0 = time.monotonic()
    subprocess.run([ANALYZE, "import", trace, "-o", db], check=True, capture_output=True)
    dt = time.monotonic() - t0
    row = dict(workload="pingpong", tool="bpfrec-tp", kind="tp-rate", events=f["tp_records"],
               lost=f["lost"], buffer_mb=BUFFER_MB,
               record_events_per_s=int((f["tp_records"] + f["lost"]) / (s["elapsed_ns"] / 1e9)),
               import_s=round(dt, 3), import_events_per_s=int(f["tp_records"] / dt))
    results.append(row)
    return row


def table(rows):
    cols = ["workload", "tool", "added_ns_per_call", "added_min", "added_max", "ratio_vs_perf",
            "ratio_vs_ftrace", "ratio_vs_bpf-empty", "lost", "events", "bytes_per_event_raw", "bytes_per_event_disk",
            "tracer_cpu_pct_of_workload", "peak_rss_mb"]
    heads = ["workload", "tool", "ns/call", "min", "max", "/perf", "/ftrace", "/empty", "lost", "events",
             "B/ev raw", "B/ev disk", "cpu %", "rss MB"]
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
    ap.add_argument("--out", default=os.path.join(BUILD, "bench-results.jsonl"))
    ap.add_argument("--no-analyze", action="store_true", help="skip the import/report benchmark")
    a = ap.parse_args()
    if a.quick:
        a.reps, a.storm, a.fileio, a.forkexec, a.pingpong = 3, 500000, 20000, 200, 50000
    if os.geteuid():
        sys.exit("bench: run as root (BPF, perf and tracefs need it)")
    for exe in (RECORD, ANALYZE, STORM):
        if not os.access(exe, os.X_OK):
            sys.exit("bench: %s missing: build first (scripts/build.sh)" % exe)
    tools = {"baseline": tool_baseline,
             "bpfrec-syscalls": tool_bpfrec("syscalls"),
             "bpfrec-all": tool_bpfrec("all")}
    if shutil.which("perf"):
        tools["perf"] = tool_perf
    else:
        log("bench: perf not found: skipped (apt-get install linux-perf)")
    if tracefs_ready():
        tools["ftrace"] = ftrace_run
    else:
        log("bench: tracefs unavailable: ftrace skipped")
    if shutil.which("bpftrace"):
        tools["bpftrace"] = tool_bpftrace

    results = []
    meta = dict(date=time.strftime("%Y-%m-%d %H:%M:%S"), kernel=os.uname().release,
                cpus=os.cpu_count(), command=" ".join(sys.argv), buffer_mb=BUFFER_MB)
    with tempfile.TemporaryDirectory(prefix="bpfrec-bench.") as tmp, \
            tempfile.TemporaryDirectory(prefix="bpfrec-bench.", dir="/dev/shm") as shm:
        if not a.only_tp:
            for w, n in (("getppid", a.storm), ("fileio", a.fileio), ("forkexec", a.forkexec)):
                log("bench: %s x %d, %d reps" % (w, n, a.reps))
                bench_workload(w, n, a.reps, tools, shm, tmp, results)
        tp_tools = {"baseline": tool_baseline, "bpfrec-tp": tool_bpfrec(TP_EVENTS)}
        if "perf" in tools:
            tp_tools["perf"] = tool_perf_tp
        if "bpftrace" in tools:
            tp_tools["bpf-empty"] = tool_bpf_empty
        log("bench: tracepoints, pingpong x %d, %d reps" % (a.pingpong, a.reps))
        bench_workload("pingpong", a.pingpong, a.reps, tp_tools, shm, tmp, results)
        tp_rate = tp_import_rate(a.pingpong, tmp, results)
        rate = None
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
    print("bpfrec benchmark, %(date)s, kernel %(kernel)s, %(cpus)d CPUs, buffers %(buffer_mb)d MB"
          " (ftrace: room for the whole run)" % meta)
    print(table([r for r in results if "tool" in r and "added_ns_per_call" in r]))
    if rate:
        print("zero-loss rate: %(events_per_s)d events/s (%(events)d events, %(lost)d lost, %(wall_s)s s wall)" % rate)
    print("tracepoints: %(events)d events at %(record_events_per_s)d events/s, %(lost)d lost "
          "(buffer %(buffer_mb)d MB); import %(import_events_per_s)d events/s" % tp_rate)
    for r in results:
        if r.get("kind") == "analyze":
            print("analyze: " + ", ".join("%s=%s" % (k, v) for k, v in r.items() if k != "kind"))
    print("results: " + a.out)


if __name__ == "__main__":
    main()
