#!/bin/sh
# Targets and stops with known quantities: -p PID (stops when it exits),
# -c COMM (filtered in the kernel), SIGINT and --duration (clean stops),
# and the files group alone (fd lifecycle calls only).
# RECORD_FLAGS (e.g. --no-btf, to test the fallback probes) go to every record.
set -u
RECORD_FLAGS=${RECORD_FLAGS:-}
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-filters.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf

# System-wide recordings see other users' workloads too: the tests that
# filter by name run the workload under a name of their own.
wl="$tmp/wl$$"
ln -s "$WORKLOAD" "$wl"

# -p: one process, recorded until it exits; nothing of anyone else.
"$WORKLOAD" --on-usr1 500 &
target=$!
"$RECORD" $RECORD_FLAGS -p "$target" -e syscalls -o "$tmp/p.bpfrec" 2>"$tmp/p.err" &
rec=$!
wait_for_line "$tmp/p.err" "^record: recording"
kill -USR1 "$target"
wait "$rec"
check "-p: record exits 0 when the target exits" 0 $?
check "-p: stop reason" target-exit "$(sql "$tmp/p.bpfrec" "SELECT value FROM meta WHERE key = 'stop_reason'")"
check "-p: the target's getppid calls" 500 \
	"$(sql "$tmp/p.bpfrec" "SELECT count(*) FROM syscalls_named WHERE name = 'getppid' AND pid = $target")"
check "-p: only the target's syscalls" "$target" "$(sql "$tmp/p.bpfrec" "SELECT DISTINCT pid FROM syscalls")"
case "$RECORD_FLAGS" in
*--no-btf*) fallbacks=2 ;;
*) fallbacks=0 ;;
esac
check "-p: syscall probes on the expected variant" "$fallbacks" \
	"$(sql "$tmp/p.bpfrec" "SELECT sum(status = 'fallback') FROM probes")"

# A thread that predates the recording is known by name from the snapshot.
"$WORKLOAD" --thread-on-usr1 300 &
target=$!
wait_until 30 "the worker thread of $target" eval '[ "$(ls /proc/$target/task | wc -l)" = 2 ]'
"$RECORD" $RECORD_FLAGS -p "$target" -e syscalls -o "$tmp/t.bpfrec" 2>"$tmp/t.err" &
rec=$!
wait_for_line "$tmp/t.err" "^record: recording"
kill -USR1 "$target"
wait "$rec"
check "threads: the worker's getppid calls, by its snapshot name" "wl-worker|300" \
	"$(sql "$tmp/t.bpfrec" "SELECT t.comm, count(*) FROM syscalls_named s JOIN threads t ON t.tid = s.tid
		WHERE s.name = 'getppid' GROUP BY t.comm" | tr ',' '|')"
check "threads: its start time is known" 1 \
	"$(sql "$tmp/t.bpfrec" "SELECT count(*) FROM threads WHERE comm = 'wl-worker' AND start_ts > 0")"

# -c: every task named "wl<pid>", system-wide, stopped by SIGINT.
"$RECORD" $RECORD_FLAGS -a -c "wl$$" -e syscalls,process -o "$tmp/c.bpfrec" 2>"$tmp/c.err" &
rec=$!
wait_for_line "$tmp/c.err" "^record: recording"
"$wl" --child 0
"$wl" --child 0
sh -c 'for i in 1 2 3; do /bin/true; done'
kill -INT "$rec"
wait "$rec"
check "-c: record exits 0 on SIGINT" 0 $?
check "-c: stop reason" signal "$(sql "$tmp/c.bpfrec" "SELECT value FROM meta WHERE key = 'stop_reason'")"
check "-c: getppid calls of the two workloads" 14 \
	"$(sql "$tmp/c.bpfrec" "SELECT count(*) FROM syscalls_named WHERE name = 'getppid'")"
check "-c: two processes, nothing else" 2 "$(sql "$tmp/c.bpfrec" "SELECT count(DISTINCT pid) FROM syscalls")"
check "-c: their exits, status 0" "2,0" \
	"$(sql "$tmp/c.bpfrec" "SELECT count(*), max(exit_status) FROM process_events WHERE type = 'exit' AND group_dead")"
check_match "-c: stop summary printed" "^record: .* 0 lost, stopped by signal" "$(cat "$tmp/c.err")"

# --duration: system-wide process events, a bounded recording. The three
# workloads must end before the deadline: when they ended later than the
# duration after record was started, the run is retried with twice the duration.
duration=1
while :; do
	t0=$(date +%s%N)
	"$RECORD" $RECORD_FLAGS -a -e process --duration $duration -o "$tmp/d.bpfrec" 2>"$tmp/d.err" &
	rec=$!
	wait_for_line "$tmp/d.err" "^record: recording"
	for i in 1 2 3; do "$wl" --child 4; done
	in_time=$(($(date +%s%N) - t0 < duration * 1000000000))
	wait "$rec"
	rc=$?
	[ $in_time = 1 ] || [ $duration -ge 16 ] && break
	echo "retry: the workloads did not end within $duration s"
	duration=$((duration * 2))
done
check "--duration: record exits 0" 0 $rc
check "--duration: stop reason" duration "$(sql "$tmp/d.bpfrec" "SELECT value FROM meta WHERE key = 'stop_reason'")"
# (this shell's children only: other workloads may run on the machine)
check "--duration: the three workload execs and exits" "3,3" \
	"$(sql "$tmp/d.bpfrec" "SELECT sum(type = 'exec'), sum(type = 'exit' AND exit_status = 4) FROM process_events WHERE comm = 'wl$$'")"
check "--duration: no syscalls group, no syscall rows" 0 "$(sql "$tmp/d.bpfrec" "SELECT count(*) FROM syscalls")"

# --duration with a command that outlives it: the command is ended.
start=$(date +%s)
"$RECORD" $RECORD_FLAGS -e process --duration 0.2 -o "$tmp/s.bpfrec" -- sleep 30 2>/dev/null
check "--duration ends a longer command: record exits with its status, 128 + SIGTERM" 143 $?
check "--duration: record returned within 10 s" yes "$([ $(($(date +%s) - start)) -lt 10 ] && echo yes || echo no)"
check "--duration: stop reason with a command" duration \
	"$(sql "$tmp/s.bpfrec" "SELECT value FROM meta WHERE key = 'stop_reason'")"

# -e files: only the fd lifecycle calls, still enough to follow every fd.
mkdir "$tmp/sub"
"$RECORD" $RECORD_FLAGS -e files,process -o "$tmp/f.bpfrec" -- "$WORKLOAD" "$tmp" 7<"$tmp/d.err" 2>/dev/null
check "-e files: no read/write/getppid recorded" 0 \
	"$(sql "$tmp/f.bpfrec" "SELECT count(*) FROM syscalls_named WHERE name IN ('read', 'write', 'getppid')")"
main=$(sql "$tmp/f.bpfrec" "SELECT pid FROM process_events WHERE type = 'exec' AND args LIKE '% $tmp'")
check "-e files: fd lifetimes by path" \
	"dup.txt|openat|close,dup.txt|dup2|close,leaked.txt|openat|exit,rel.txt|openat|close" \
	"$(sql "$tmp/f.bpfrec" "SELECT replace(path, '$tmp/', ''), how, closed_how FROM fds
		WHERE pid = $main AND path IN ('$tmp/dup.txt', '$tmp/leaked.txt', '$tmp/rel.txt') ORDER BY path, id" |
		tr ',' '|' | paste -sd, -)"
check "-e files: data.bin opened twice, dup2 onto 42" "2,1" \
	"$(sql "$tmp/f.bpfrec" "SELECT sum(path = '$tmp/data.bin'), sum(fd = 42 AND how = 'dup2') FROM fds WHERE pid = $main")"

finish
