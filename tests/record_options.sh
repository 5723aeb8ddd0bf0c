#!/bin/sh
# record's option checks: every value that would fail later, record
# nothing or be silently lost is refused up front with one exact line and
# exit 64 (EX_USAGE); a -p target that cannot be recorded, with 125.
# No root or BPF needed: all of this happens before the BPF load.
set -u
RECORD=$1
tmp=$(mktemp -d /tmp/bpfrec-opts.XXXXXX)
trap 'kill $tpid 2>/dev/null; rm -rf "$tmp"' EXIT
tpid=
. "$(dirname "$0")/lib.sh"

cd "$tmp" || exit 1

# refused NAME STATUS MESSAGE ARGS...: record ARGS exits STATUS, its first
# stderr line is MESSAGE, and it creates no trace (trace.bpfrec here).
# The timeout only bounds a record that wrongly starts recording.
refused() {
	name=$1 want="$2|$3"
	shift 3
	timeout -s INT 5 "$RECORD" "$@" >/dev/null 2>"$tmp/err"
	rc=$?
	check "$name" "$want" "$rc|$(head -n 1 "$tmp/err")"
	check "$name: no trace written" "" "$(ls "$tmp" | grep bpfrec)"
	rm -f "$tmp"/*.bpfrec
}
usage() {
	name=$1 msg=$2
	shift 2
	refused "$name" 64 "record: $msg" "$@"
}

dur="(seconds, 0.001-10000000)"
usage "--duration nan" "invalid duration 'nan' $dur" -a --duration nan
usage "--duration inf" "invalid duration 'inf' $dur" -a --duration inf
usage "--duration infinity" "invalid duration 'infinity' $dur" -a --duration infinity
usage "--duration 0" "invalid duration '0' $dur" -a --duration 0
usage "--duration negative" "invalid duration '-1' $dur" -a --duration -1
usage "--duration below 1 ms" "invalid duration '0.0001' $dur" -a --duration 0.0001
usage "--duration huge" "invalid duration '10000001' $dur" -a --duration 10000001
usage "--duration exponent" "invalid duration '1e3' $dur" -a --duration 1e3
usage "--duration hex" "invalid duration '0x10' $dur" -a --duration 0x10
usage "--duration empty" "invalid duration '' $dur" -a --duration ""
usage "--duration with a space" "invalid duration ' 5' $dur" -a --duration " 5"

buf="MB (a power of two, 1-2048)"
usage "--buffer-size 0" "invalid buffer size '0' $buf" -a --buffer-size 0
usage "--buffer-size 3 (not a power of two)" "invalid buffer size '3' $buf" -a --buffer-size 3
usage "--buffer-size 2049" "invalid buffer size '2049' $buf" -a --buffer-size 2049
usage "--buffer-size 4096 (2^32 bytes: max_entries is 32-bit)" "invalid buffer size '4096' $buf" \
	-a --buffer-size 4096
usage "--buffer-size fraction" "invalid buffer size '1.5' $buf" -a --buffer-size 1.5

usage "--wakeup nan" "invalid wakeup size 'nan' KB (1-1048576)" -a --wakeup nan
usage "--wakeup 0" "invalid wakeup size '0' KB (1-1048576)" -a --wakeup 0
usage "--wakeup negative" "invalid wakeup size '-4' KB (1-1048576)" -a --wakeup -4
usage "--wakeup more than half the buffer" \
	"--wakeup 513 KB is more than half the ring buffer (1 MB)" -a --wakeup 513 --buffer-size 1
usage "--wakeup over half the default buffer, either order" \
	"--wakeup 16385 KB is more than half the ring buffer (32 MB)" -a --wakeup 16385

usage "-z 20" "invalid compression level '20' (0-19)" -a -z 20
usage "-z -1" "invalid compression level '-1' (0-19)" -a -z -1
usage "-z 1.0" "invalid compression level '1.0' (0-19)" -a -z 1.0

usage "-p 0" "invalid PID '0' (1-4194304)" -p 0
usage "-p negative" "invalid PID '-5' (1-4194304)" -p -5
usage "-p above PID_MAX_LIMIT" "invalid PID '4194305' (1-4194304)" -p 4194305
usage "-p 1e3" "invalid PID '1e3' (1-4194304)" -p 1e3
usage "-p name" "invalid PID 'init' (1-4194304)" -p init

usage "-c empty" "empty COMM: it would match no task" -c ""
usage "-c too long" "COMM 'sixteen-chars-xx' is longer than 15 characters" -c sixteen-chars-xx
usage "-o empty" "empty output file name" -a -o ""

groups="(syscalls, process, files, tracepoints, all, or SYSTEM:EVENT)"
usage "-e empty" "empty group list" -a -e ""
usage "-e trailing comma" "empty group in 'files,'" -a -e files,
usage "-e leading comma" "empty group in ',files'" -a -e ,files
usage "-e double comma" "empty group in 'files,,process'" -a -e files,,process
usage "-e unknown" "unknown group 'nosuch' $groups" -a -e nosuch
usage "-e unknown after a good one" "unknown group 'proc' $groups" -a -e files,proc

# a second value would silently replace the first
usage "-e twice" "-e (--events) given twice" -a -e files -e process
usage "-p twice" "-p (--pid) given twice" -p 1 -p 2
usage "-c twice" "-c (--comm) given twice" -c a -c b
usage "-o twice" "-o (--output) given twice" -a -o u.bpfrec -o v.bpfrec
usage "--duration twice" "--duration given twice" -a --duration 1 --duration 2
usage "-z twice" "-z (--compress) given twice" -a -z 1 -z 3
usage "--buffer-size twice" "--buffer-size given twice" -a --buffer-size 1 --buffer-size 2
usage "--wakeup twice" "--wakeup given twice" -a --wakeup 1 --wakeup 2

usage "nothing to record" "nothing to record: give -a, -p PID, -c COMM or -- COMMAND"
usage "-a with -p" "-a and -p exclude each other" -a -p 1

# -p of no process, or of a thread that is not its process's leader (the
# kernel filter holds process ids: it would record nothing)
pid_max=$(cat /proc/sys/kernel/pid_max)
free_pid=$((pid_max - 1))
while kill -0 $free_pid 2>/dev/null; do free_pid=$((free_pid - 1)); done
refused "-p of no process" 125 "record: no process with pid $free_pid" -p $free_pid
python3 -c 'import threading, time
t = threading.Thread(target=time.sleep, args=(60,))
t.start()
print("started", flush=True)
t.join()' >"$tmp/py.out" &
tpid=$!
wait_for_line "$tmp/py.out" started
tid=$(ls "/proc/$tpid/task" | grep -vx "$tpid" | head -n 1)
check "the helper has a second thread" yes "$([ -n "$tid" ] && echo yes)"
refused "-p of a thread" 125 "record: $tid is a thread of process $tpid: give -p $tpid" -p "$tid"

finish
