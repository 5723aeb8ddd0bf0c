#!/bin/sh
# runqlat with known quantities: a single-threaded process that sleeps
# exactly K times (nanosleep, tests/sleepload.c), against the kernel's own
# counts: /proc/PID/schedstat's third field (switch-ins: times it got a
# CPU) and /proc/PID/status's voluntary and nonvoluntary context switches.
#
# Why not exactly K samples: the process is woken once more to start (a
# byte on its stdin), and a preemption (another task taking its CPU) is a
# wait on the run queue too, sampled like a wakeup; the kernel counts
# those as nonvoluntary switches, so the samples are K + 1 + that count,
# which is what the kernel counted as switch-ins.
#
# @all records in every context, record's too: a wakeup from a timer
# interrupt that lands while record is on the CPU, or a switch from record
# to the sleeper, is recorded (record runs anywhere; it used to miss them).
set -u
RECORD=$1 ANALYZE=$2 SLEEPLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-runqlat.XXXXXX)
trap 'exec 3>&-; kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf
have taskset util-linux || { finish; exit 1; }
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs: record and the sleeper on CPUs of their own"

K=25
mkfifo "$tmp/in"
taskset -c 1 "$SLEEPLOAD" $K 1000 <"$tmp/in" >"$tmp/out" &
pid=$!
exec 3>"$tmp/in"
wait_for_line "$tmp/out" '^ready$'
wait_for_state "$pid" S

# switch-ins, then voluntary and nonvoluntary switch-outs, so far
switch_ins() {
	cut -d' ' -f3 "/proc/$pid/schedstat"
}
switch_outs() {
	awk '/^(non)?voluntary_ctxt_switches:/ { printf "%d ", $2 }' "/proc/$pid/status"
}

ins0=$(switch_ins)
"$RECORD" -a -o "$tmp/r.bpfrec" \
	-e 'sched:sched_wakeup@all,sched:sched_wakeup_new@all,sched:sched_switch@all' 2>"$tmp/r.err" &
rec=$!
wait_for_line "$tmp/r.err" 'recording to'
# still blocked where it was before record started: every wakeup from
# here on is in the trace
ins1=$(switch_ins) outs1=$(switch_outs)
check "the sleeper did not run while record started" "$ins0" "$ins1"
printf x >&3
wait_for_line "$tmp/out" '^done$'
wait_for_state "$pid" S
ins2=$(switch_ins) outs2=$(switch_outs)
kill -INT $rec
wait $rec
check "record stops cleanly on SIGINT" 0 $?
check "the sleeper did not run again before record stopped" "$ins2" "$(switch_ins)"
exec 3>&-
wait $pid
check "the sleeper exits 0" 0 $?

set -- $outs1
v1=$1 nv1=$2
set -- $outs2
vol=$(($1 - v1)) preempted=$(($2 - nv1))
check "the kernel: K + 1 voluntary switches (K sleeps, and the wait for stdin's end)" \
	$((K + 1)) $vol
check "the kernel: as many switch-ins as switch-outs" $((ins2 - ins1)) $((vol + preempted))

"$ANALYZE" report runqlat "$tmp/r.bpfrec" --pid "$pid" --format csv >"$tmp/q.csv" 2>"$tmp/q.err"
check "runqlat exits 0, nothing on stderr" "0," "$?,$(cat "$tmp/q.err")"
# pid,comm,usecs,count,distribution
check "runqlat: K + 1 + preemptions samples, the kernel's switch-ins" \
	"$((K + 1 + preempted)) $((ins2 - ins1))" \
	"$(awk -F, 'NR > 1 { n += $4 } END { print n + 0 }' "$tmp/q.csv") $((ins2 - ins1))"
check "runqlat: one histogram, the sleeper's pid and name" "$pid,sleepload" \
	"$(tail -n +2 "$tmp/q.csv" | cut -d, -f1,2 | sort -u)"
check "runqlat --comm: the same histogram" "$(tail -n +2 "$tmp/q.csv")" \
	"$("$ANALYZE" report runqlat "$tmp/r.bpfrec" --comm sleepload --format csv | tail -n +2 |
		grep "^$pid,")"
check "runqlat: record's own samples left out" "" \
	"$("$ANALYZE" report runqlat "$tmp/r.bpfrec" --pid "$rec" --format csv | tail -n +2)"

finish
