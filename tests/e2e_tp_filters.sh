#!/bin/sh
# Tracepoint field filters (record -e 'SYSTEM:EVENT/EXPR/') with known
# quantities: K signals to one process and L to another, filtered by the
# target's pid, its comm (a char[16] string), signed and unsigned
# comparisons, || of &&; T threads and F forks filtered by a clone flag
# (&); renames matched by a whole string, not a prefix. The filter is in
# the trace (tracepoints.field_filter, analyze info); bad filters are
# usage errors (64) with exact messages, and nothing is recorded.
set -u
RECORD=$1 ANALYZE=$2 TPLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-tpf.XXXXXX)
A="" B=""
trap 'kill $A $B 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf

# Two targets whose pids and comms are known before recording: SIGURG is
# ignored by both, yet each kill() generates one signal_generate event.
# (their output elsewhere: meson waits for the test's pipes to close)
sleep 600 >/dev/null 2>&1 &
A=$!
tail -f /dev/null >/dev/null 2>&1 &
B=$!
wait_until 10 "the targets exec'd" sh -c \
	"[ \"\$(cat /proc/$A/comm)\" = sleep ] && [ \"\$(cat /proc/$B/comm)\" = tail ]"
K=7 L=4 SIG=23

# rec NAME SPEC [TPLOAD ARGS...]: record SPEC around tpload
rec() {
	rec_name=$1 rec_spec=$2
	shift 2
	"$RECORD" -o "$tmp/$rec_name.bpfrec" -e "$rec_spec" -- "$TPLOAD" "$@" \
		>"$tmp/$rec_name.out" 2>"$tmp/$rec_name.err"
}
# count NAME TABLE [WHERE]: rows of TABLE in trace NAME
count() {
	sql "$tmp/$1.bpfrec" "SELECT count(*) FROM $2 ${3:+WHERE $3}"
}
# sent NAME: the SIGURG rows by target, "A:K B:L"
sent() {
	sql "$tmp/$1.bpfrec" "SELECT group_concat(n, ' ') FROM (SELECT CASE pid WHEN $A THEN 'A'
		WHEN $B THEN 'B' ELSE pid END || ':' || count(*) AS n FROM tp_signal_signal_generate
		WHERE sig = $SIG GROUP BY pid ORDER BY pid = $B, pid)"
}

# Unfiltered, the control: one event per kill(), K to A and L to B.
rec all signal:signal_generate kill $SIG $K $A $L $B
check "unfiltered: record exits 0" 0 $?
check "unfiltered: K signals to A, L to B, as sent" "A:$K B:$L" "$(sent all)"
check "unfiltered: no field filter in the trace" "current|" \
	"$(sql "$tmp/all.bpfrec" "SELECT filter || '|' || coalesce(field_filter, '') FROM tracepoints")"

rec pid "signal:signal_generate/pid == $A/" kill $SIG $K $A $L $B
check "pid == A: exactly K rows, all to A" "A:$K" "$(sent pid)"
check "pid == A: no other event either" "$K" "$(count pid tp_signal_signal_generate)"
check "pid == A: the filter in the tracepoints table" "pid == $A" \
	"$(sql "$tmp/pid.bpfrec" "SELECT field_filter FROM tracepoints")"
"$ANALYZE" info "$tmp/pid.bpfrec" >"$tmp/pid.info" 2>&1
check "pid == A: info counts the tracepoints, names the filter" \
	"tracepoints:     1, 1 with a field filter
field filter:    signal:signal_generate/pid == $A/" \
	"$(grep -E '^(tracepoints|field filter):' "$tmp/pid.info")"

rec comm 'signal:signal_generate/comm == "tail"/' kill $SIG $K $A $L $B
check "comm == \"tail\": exactly L rows, all to B" "B:$L" "$(sent comm)"
rec notcomm 'signal:signal_generate/comm != "sleep" && sig == 23/' kill $SIG $K $A $L $B
check "comm != \"sleep\" && sig == 23: the L to B" "B:$L" "$(sent notcomm)"

rec or "signal:signal_generate/pid == $A || pid == $B/" kill $SIG $K $A $L $B
check "pid == A || pid == B: both" "A:$K B:$L" "$(sent or)"
rec orand "signal:signal_generate/sig == 1 && pid == $A || sig > 22 && sig < 24 && pid >= $B && pid <= $B/" \
	kill $SIG $K $A $L $B
check "a false conjunction || a true one: the true one's rows" "B:$L" "$(sent orand)"
# code is SI_USER (0) for kill(): signed, 0 > -1; as unsigned it would not be
rec signed "signal:signal_generate/code > -1 && pid == $A/" kill $SIG $K $A $L $B
check "code > -1 (an int): compared signed" "A:$K" "$(sent signed)"
check "code > -1: shown as compiled" "code > -1 && pid == $A" \
	"$(sql "$tmp/signed.bpfrec" "SELECT field_filter FROM tracepoints")"

# NAME@all with a filter: every task's events, those that match
rec at_all "signal:signal_generate@all/pid == $A/" kill $SIG $K $A $L $B
check "@all and a filter: exactly K" "A:$K" "$(sent at_all)"
check "@all and a filter: both in the trace" "all|pid == $A" \
	"$(sql "$tmp/at_all.bpfrec" "SELECT filter || '|' || field_filter FROM tracepoints")"
check_match "@all and a filter: info shows it as -e takes it" \
	"^field filter: +signal:signal_generate@all/pid == $A/$" "$("$ANALYZE" info "$tmp/at_all.bpfrec")"

# Flags with &: T threads (CLONE_THREAD, 0x10000) and F forks.
T=5 F=3
rec clones task:task_newtask clone $T $F
check "clones unfiltered: T + F new tasks" $((T + F)) "$(count clones tp_task_task_newtask)"
rec threads 'task:task_newtask/clone_flags & 0x10000/' clone $T $F
check "clone_flags & CLONE_THREAD: exactly the T threads" "$T" "$(count threads tp_task_task_newtask)"
check "clone_flags & CLONE_THREAD: each has the flag" "$T" \
	"$(count threads tp_task_task_newtask "clone_flags & 65536")"
check "& shows its mask in hex" "clone_flags & 0x10000" \
	"$(sql "$tmp/threads.bpfrec" "SELECT field_filter FROM tracepoints")"

# A string compares whole: "tpname-1" is not a prefix of "tpname-10".."-12".
N=12
rec renames 'task:task_rename/newcomm == "tpname-1" || newcomm == "tpname-12"/' 0 $SIG $N
check "newcomm == \"tpname-1\" || ...\"tpname-12\": those two renames" "tpname-1 tpname-12" \
	"$(sql "$tmp/renames.bpfrec" "SELECT group_concat(newcomm, ' ') FROM
		(SELECT newcomm FROM tp_task_task_rename ORDER BY common_ts)")"

# A glob: the filter is compiled for each match, by its own layout.
rec glob "signal:*/sig == $SIG && code == 0/" kill $SIG $K $A $L $B
check "glob: the filter on every match" "signal_deliver|sig == $SIG && code == 0 signal_generate|sig == $SIG && code == 0" \
	"$(sql "$tmp/glob.bpfrec" "SELECT group_concat(x, ' ') FROM (SELECT event || '|' || field_filter AS x
		FROM tracepoints ORDER BY event)")"
check "glob: signal_generate filtered by its own offsets" "A:$K B:$L" "$(sent glob)"

# Bad filters: one line, exit 64 (a usage error), no trace written.
# bad NAME SPEC MESSAGE
bad() {
	"$RECORD" -o "$tmp/bad.bpfrec" -e "$2" -- /bin/true >/dev/null 2>"$tmp/bad.err"
	check "bad filter: $1: exit 64, the message" "64 $3" "$? $(cat "$tmp/bad.err")"
	check "bad filter: $1: no trace" no "$([ -e "$tmp/bad.bpfrec" ] && echo yes || echo no)"
}
G=signal:signal_generate
bad "unknown field" "$G/pdi == 1/" \
	"record: filter of $G: unknown field 'pdi' (closest: pid, sig, code)"
bad "a common field" "$G/common_pid == 1/" \
	"record: filter of $G: field 'common_pid' is a common field: select tasks with -p, -c or -- COMMAND"
bad "a string for an integer" "$G/pid == \"x\"/" \
	"record: filter of $G: field 'pid' is pid_t: compare it with a number, not \"x\""
bad "< on a string" "$G/comm < \"x\"/" \
	"record: filter of $G: field 'comm' is char[16]: compare it with == or != and a \"string\""
bad "a number for a string" "$G/comm == 5/" \
	"record: filter of $G: field 'comm' is char[16]: compare it with == or != and a \"string\""
bad "a string longer than the field" "$G/comm == \"12345678901234567\"/" \
	"record: filter of $G: field 'comm': \"12345678901234567\" is longer than char[16]"
bad "a __data_loc string" 'sched:sched_process_exec/filename == "x"/' \
	"record: filter of sched:sched_process_exec: field 'filename' is __data_loc char[]: filters compare integer and char[N] fields only"
bad "out of range" "$G/pid == 2147483648/" \
	"record: filter of $G: field 'pid': 2147483648 out of range for pid_t (-2147483648..2147483647)"
bad "negative for unsigned" "task:task_newtask/clone_flags == -1/" \
	"record: filter of task:task_newtask: field 'clone_flags': -1 out of range for u64 (0..18446744073709551615)"
bad "a negative mask" "$G/sig & -1/" \
	"record: filter of $G: field 'sig': mask -1 out of range for int (0..4294967295)"
bad "not a number" "$G/pid == 12x/" "record: filter of $G: field 'pid': '12x' is not a number"
bad "= for ==" "$G/pid = 1/" "record: filter of $G: '=' at '= 1': compare with '=='"
bad "no operator" "$G/pid 1/" \
	"record: filter of $G: expected a comparison after 'pid' (==, !=, <, <=, >, >=, &)"
bad "no constant" "$G/pid ==/" "record: filter of $G: expected a number or a \"string\" after 'pid =='"
bad "a dangling &&" "$G/pid == 1 &&/" "record: filter of $G: expected a field name, not the end"
bad "no && between terms" "$G/pid == 1 sig == 2/" \
	"record: filter of $G: expected && or || after 'pid == 1', not 'sig'"
bad "empty" "$G//" "record: filter of $G: empty filter"
bad "nine terms" "$G/sig==1&&sig==1&&sig==1&&sig==1&&sig==1&&sig==1&&sig==1&&sig==1&&sig==1/" \
	"record: filter of $G: more than 8 comparisons"
bad "no closing slash" "$G/pid == 1" "record: filter of $G: no closing '/'"
bad "a slash in a string does not close" "$G/comm == \"a/" "record: filter of $G: no closing '/'"
bad "text after the filter" "$G/pid == 1/x,process" "record: filter of $G: 'x' after its closing '/'"
bad "a field one glob match lacks" 'signal:*/result == 1/' \
	"record: filter of signal:signal_deliver: unknown field 'result' (closest: sig, errno, code)"
bad "twice with different filters" "$G/pid == 1/,$G" \
	"record: $G selected twice, with different filters"
# the same filter twice, written two ways, is one tracepoint
rec twice "$G/pid==$A/,$G/pid == $A/" kill $SIG $K $A $L $B
check "the same filter twice: recorded once" "A:$K" "$(sent twice)"

# An int the syscall tracepoints keep in 8 bytes (dfd, flagged unsigned)
# compares by its C type: dfd == -100 (AT_FDCWD) keeps exactly the opens
# relative to the cwd that the unfiltered trace has.
O=syscalls:sys_enter_openat
"$RECORD" -o "$tmp/o1.bpfrec" -e "$O" -- cat /dev/null 2>/dev/null
"$RECORD" -o "$tmp/o2.bpfrec" -e "$O/dfd == -100/" -- cat /dev/null 2>/dev/null
all=$(sql "$tmp/o1.bpfrec" "SELECT count(*) FROM tp_syscalls_sys_enter_openat WHERE dfd = -100")
check "int in 8 bytes: AT_FDCWD opens seen" yes "$([ "$all" -gt 0 ] && echo yes || echo "no: $all")"
check "int in 8 bytes: dfd == -100 keeps them all" "$all" \
	"$(sql "$tmp/o2.bpfrec" "SELECT count(*) FROM tp_syscalls_sys_enter_openat")"

finish
