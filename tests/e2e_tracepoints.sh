#!/bin/sh
# Generic tracepoints with known quantities: K signals to a child, N thread
# renames, the exec'd path through a __data_loc string; -e globs mixed with
# groups; the attach order; a tracepoint that cannot attach; record -l and
# -l -v against tracefs; the error for unknown names.
set -u
RECORD=$1 ANALYZE=$2 TPLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-tp.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf
T=$(sed -n 's/^[^ ]* \([^ ]*\) tracefs .*/\1/p' /proc/mounts | head -n 1)
EV=$T/events

K=7 SIG=12 N=5
"$RECORD" -o "$tmp/w.bpfrec" -e 'process,signal:signal_generate,task:task_rename,sched:sched_process_exec' \
	-- "$TPLOAD" $K $SIG $N >"$tmp/child" 2>"$tmp/w.err"
check "record exits with the workload's status" 0 $?
child=$(cat "$tmp/child")
check "signals: exactly K rows of SIG to the child" "$K" \
	"$(sql "$tmp/w.bpfrec" "SELECT count(*) FROM tp_signal_signal_generate WHERE sig = $SIG AND pid = $child")"
check "signals: sent from the exec'd workload process, not the child" \
	"$(sql "$tmp/w.bpfrec" "SELECT pid FROM tp_sched_sched_process_exec")" \
	"$(sql "$tmp/w.bpfrec" "SELECT DISTINCT common_tgid FROM tp_signal_signal_generate WHERE sig = $SIG")"
check "renames: exactly N rows, by the new names" "tpname-1 tpname-2 tpname-3 tpname-4 tpname-5" \
	"$(sql "$tmp/w.bpfrec" "SELECT newcomm FROM tp_task_task_rename WHERE newcomm LIKE 'tpname-%'
		ORDER BY common_ts" | tr '\n' ' ' | sed 's/ $//')"
check "renames: by a thread of the workload, not its leader" "1|1" \
	"$(sql "$tmp/w.bpfrec" "SELECT count(DISTINCT common_tid), sum(DISTINCT common_tid != common_tgid)
		FROM tp_task_task_rename WHERE newcomm LIKE 'tpname-%'" | tr ',' '|')"
check "exec: the __data_loc filename is the exec'd path" "$TPLOAD" \
	"$(sql "$tmp/w.bpfrec" "SELECT filename FROM tp_sched_sched_process_exec")"
check "exec: the process group's exec event agrees" "$TPLOAD" \
	"$(sql "$tmp/w.bpfrec" "SELECT filename FROM process_events WHERE type = 'exec'")"
check "tracepoints lists the three, with their counts" \
	"sched:sched_process_exec:1,signal:signal_generate:$(sql "$tmp/w.bpfrec" "SELECT count(*) FROM tp_signal_signal_generate"),task:task_rename:$(sql "$tmp/w.bpfrec" "SELECT count(*) FROM tp_task_task_rename")" \
	"$(sql "$tmp/w.bpfrec" "SELECT group_concat(system || ':' || event || ':' || count) FROM
		(SELECT * FROM tracepoints ORDER BY system)" | tr -d '"')"
check "ids are this kernel's" "$(cat "$EV/signal/signal_generate/id")" \
	"$(sql "$tmp/w.bpfrec" "SELECT id FROM tracepoints WHERE event = 'signal_generate'")"
check "a stock sqlite3 reads the tables" "$K" \
	"$(sqlite3 "$tmp/w.bpfrec.db" "SELECT count(*) FROM tp_signal_signal_generate WHERE sig = $SIG AND pid = $child")"

# A symbolic field read by name from the trace alone: one loopback TCP
# connection, its states as the print fmt names them (NAME@all: the
# server side's changes may run in softirq context).
if have python3 python3; then
	"$RECORD" -o "$tmp/s.bpfrec" -e 'sock:inet_sock_set_state@all' -- python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
print(s.getsockname()[1]); c.close(); a.close(); s.close()' >"$tmp/port" 2>"$tmp/s.err"
	port=$(cat "$tmp/port")
	check "symbols: the client's states by name" "TCP_SYN_SENT TCP_ESTABLISHED TCP_FIN_WAIT1 TCP_FIN_WAIT2 TCP_CLOSE " \
		"$(sql "$tmp/s.bpfrec" "SELECT n.name FROM tp_sock_inet_sock_set_state t
			JOIN tracepoint_symbols n ON n.tracepoint = 'sock:inet_sock_set_state'
			AND n.field = 'newstate' AND n.value = t.newstate
			WHERE t.dport = $port ORDER BY t.common_ts" | tr '\n' ' ')"
	check "symbols: recorded unfiltered" all \
		"$(sql "$tmp/s.bpfrec" "SELECT filter FROM tracepoints")"
fi

# NAME@all is every task's context, the recorder's too: it sleeps between
# batches, so it switches away from its CPU at least once, and a runqueue
# report needs the switch from it to the next task.
"$RECORD" -o "$tmp/a.bpfrec" -e 'sched:sched_switch@all' -- sleep 0.2 2>"$tmp/a.err"
check "@all: the recorder's own switches recorded" yes \
	"$(sql "$tmp/a.bpfrec" "SELECT CASE WHEN count(*) > 0 THEN 'yes' ELSE 'none' END
		FROM tp_sched_sched_switch WHERE prev_pid IN (SELECT value FROM meta WHERE key = 'recorder_pid')")"

# A glob next to a group: every tracepoint of the system, and the group's probes.
"$RECORD" -o "$tmp/g.bpfrec" -e 'process,signal:*' -- /bin/true 2>"$tmp/g.err"
check "glob: every signal tracepoint, as tracefs lists them" \
	"$(ls "$EV/signal" | while read -r e; do [ -d "$EV/signal/$e" ] && echo "$e"; done | sort | tr '\n' ' ')" \
	"$(sql "$tmp/g.bpfrec" "SELECT event FROM tracepoints ORDER BY event" | tr '\n' ' ')"
check "glob: the process group's probes attached too" 6 \
	"$(sql "$tmp/g.bpfrec" "SELECT count(*) FROM probes WHERE grp = 'process' AND status = 'attached'")"
check "glob: one probe row per tracepoint" 2 \
	"$(sql "$tmp/g.bpfrec" "SELECT count(*) FROM probes WHERE grp = 'tracepoints' AND status = 'attached'")"

# Attach order: as resolved (each spec in turn, a glob's matches sorted),
# the same in the probe records and in the formats (META_TP), on every run.
events_of() { # events_of SYSTEM: its tracepoints as tracefs lists them, sorted
	for d in "$EV/$1"/*/; do d=${d%/}; echo "$1:${d##*/}"; done | LC_ALL=C sort
}
order_specs='signal:*,sched:sched_process_exec,irq:*'
order_want=$({ events_of signal; echo sched:sched_process_exec; events_of irq; } | tr '\n' ' ')
for run in 1 2; do
	"$RECORD" -o "$tmp/o$run.bpfrec" -e "$order_specs" -- /bin/true 2>"$tmp/o$run.err"
	check "order, run $run: record exits 0" 0 $?
	check "order, run $run: probe records in the resolved order" "$order_want" \
		"$(sql "$tmp/o$run.bpfrec" "SELECT replace(substr(attach, 12), '/', ':') FROM probes
			WHERE grp = 'tracepoints' ORDER BY rowid" | tr '\n' ' ')"
	check "order, run $run: formats in the resolved order" "$order_want" \
		"$(sql "$tmp/o$run.bpfrec" "SELECT tracepoint FROM tracepoint_fields
			GROUP BY tracepoint ORDER BY min(rowid)" | tr '\n' ' ')"
done
check "order: the second run's probe records as the first's" \
	"$(sql "$tmp/o1.bpfrec" "SELECT group_concat(attach || ' ' || status, ',') FROM probes")" \
	"$(sql "$tmp/o2.bpfrec" "SELECT group_concat(attach || ' ' || status, ',') FROM probes")"

# A tracepoint that cannot attach (perf refuses the ftrace:print event
# with EINVAL) next to ones that can: one line naming it, a failed probe,
# the others recorded, the command's status; no perf event left open for
# it (the recorder's fds as the command sees them: one per attached one).
"$RECORD" -o "$tmp/f.bpfrec" -e 'ftrace:print,signal:*' \
	-- sh -c 'for f in /proc/$PPID/fd/*; do readlink "$f"; done; exit 3' >"$tmp/f.fds" 2>"$tmp/f.err"
check "attach fails for one: the command's status" 3 $?
check "attach fails for one: one line names it" 1 "$(grep -c 'ftrace:print' "$tmp/f.err")"
check_match "attach fails for one: and says why" "^record: ftrace:print: attach failed: [A-Z]" \
	"$(cat "$tmp/f.err")"
check "attach fails for one: a failed probe, the others attached" \
	"tracepoint/ftrace/print:failed,tracepoint/signal/signal_deliver:attached,tracepoint/signal/signal_generate:attached" \
	"$(sql "$tmp/f.bpfrec" "SELECT group_concat(attach || ':' || status) FROM
		(SELECT * FROM probes WHERE grp = 'tracepoints' ORDER BY rowid)" | tr -d '"')"
check "attach fails for one: one perf event open per attached tracepoint" 2 \
	"$(grep -c '^anon_inode:\[perf_event\]$' "$tmp/f.fds")"
# none attaches: an error, nothing run
"$RECORD" -o "$tmp/f0.bpfrec" -e 'ftrace:print' -- sh -c 'echo ran' >"$tmp/f0.out" 2>"$tmp/f0.err"
check "attach fails for all: record fails" 125 $?
check "attach fails for all: one line on stderr, naming it" 1/1 "$(grep -c 'ftrace:print' "$tmp/f0.err")/$(wc -l <"$tmp/f0.err")"
check "attach fails for all: the command did not run" "" "$(cat "$tmp/f0.out")"

# record -l: every tracepoint under tracefs, and the groups.
"$RECORD" -l >"$tmp/l.out" 2>"$tmp/l.err"
check "-l exits 0" 0 $?
check "-l: one line per tracepoint under tracefs" "$(ls -d "$EV"/*/*/ | wc -l)" \
	"$(grep -c ' tracepoint ' "$tmp/l.out")"
check_match "-l: groups with their availability" "^syscalls +group +available$" "$(cat "$tmp/l.out")"
check "-l GLOB: only the matches" "signal:signal_deliver signal:signal_generate " \
	"$("$RECORD" -l 'signal:*' | awk '{printf "%s ", $1}')"
# -l -v: the fields of tracefs's format, in order, without the common ones
check "-l -v: the format's fields with offsets and sizes" \
	"$(sed -n 's/^\tfield:.* \([a-z_0-9]*\)\(\[[0-9]*\]\)\{0,1\};\toffset:\([0-9]*\);\tsize:\([0-9]*\);.*/\1 \3 \4/p' \
		"$EV/sched/sched_switch/format" | grep -v '^common_')" \
	"$("$RECORD" -l -v sched:sched_switch | sed -n 's/^    \([^ ]*\) .* offset \([0-9]*\), size \([0-9]*\),.*/\1 \2 \3/p')"

# Unknown names: one error naming the closest ones, nothing recorded.
"$RECORD" -a -e 'nosuch:thing' -o "$tmp/n.bpfrec" --duration 1 2>"$tmp/n.err"
check "unknown: record fails" 125 $?
check "unknown: one line on stderr" 1 "$(wc -l <"$tmp/n.err")"
check_match "unknown: names the spec" "no tracepoint matches 'nosuch:thing'" "$(cat "$tmp/n.err")"
check "unknown: no trace written" no "$([ -e "$tmp/n.bpfrec" ] && echo yes || echo no)"
"$RECORD" -a -e 'sched:sched_swich' -o "$tmp/n.bpfrec" 2>"$tmp/n.err"
check_match "typo: the closest existing name first" "closest: sched:sched_switch," "$(cat "$tmp/n.err")"

# The syscalls' argument counts come from their tracefs formats, each read
# under the kernel's event_mutex: read only when syscall records are taken
# (strace sees the opens). The names are in the trace either way.
if have strace strace; then
	formats_read() { # formats_read TAG GROUPS: syscall formats record opened
		# (LeakSanitizer cannot run under ptrace: off for this run)
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
			strace -f -qq -e trace=openat -o "$tmp/$1.strace" \
			"$RECORD" -o "$tmp/$1.bpfrec" -e "$2" -- true 2>"$tmp/$1.err"
		grep 'events/syscalls/sys_enter_[a-z0-9_]*/format"' "$tmp/$1.strace" | grep -vc '= -1 '
	}
	read_sc=$(formats_read sc 'syscalls,signal:*')
	# the table's names that tracefs has a format for
	traceable=$(sql "$tmp/sc.bpfrec" "SELECT name FROM syscall_names" | tr -d '"' |
		while read -r n; do [ -e "$EV/syscalls/sys_enter_$n/format" ] && echo "$n"; done | wc -l)
	check "syscalls: each traceable syscall's format read once" "$traceable" "$read_sc"
	check "files: the formats read too" "$traceable" "$(formats_read fi 'files')"
	check "signal:* only: no syscall format read" 0 "$(formats_read ns 'signal:*')"
	check "signal:* only: the syscall names all in the trace" \
		"$(sql "$tmp/sc.bpfrec" "SELECT group_concat(nr || name) FROM syscall_names")" \
		"$(sql "$tmp/ns.bpfrec" "SELECT group_concat(nr || name) FROM syscall_names")"
	check "signal:* only: the trace says why no counts" "none (no syscall records)" \
		"$(sql "$tmp/ns.bpfrec" "SELECT value FROM meta WHERE key = 'syscall_nargs_source'")"
fi

# --duration with many tracepoints: closing their links takes seconds, but
# capture stops at the deadline and the trace says so (it said 6.5 s for 2)
"$RECORD" -a -e 'sched:*,irq:*' --duration 1 -o "$tmp/d.bpfrec" 2>/dev/null
check "--duration 1 with 33 tracepoints: recorded for less than 1.5 s" yes \
	"$(sql "$tmp/d.bpfrec" "SELECT CASE WHEN value < 1500000000 THEN 'yes' ELSE value END FROM meta WHERE key = 'duration_ns'")"

# Another record starting while this one closes its tracepoints is not
# held up until the last closes: each close of a tracepoint's perf event
# holds the kernel's event_mutex through an RCU grace period, and reading a
# format needs that mutex. Closed by one thread, the others get it between
# two closes (closed by 16, they queued behind all of them: ~3 s).
a_perf() { # perf events record A has open
	ls -l "/proc/$a_pid/fd" 2>/dev/null | grep -c perf_event
}
"$RECORD" -a -e 'sched:*,signal:*,block:*,irq:*' --duration 0.3 -o "$tmp/ca.bpfrec" 2>"$tmp/ca.err" &
a_pid=$!
wait_until 20 "A ready" grep -q recording "$tmp/ca.err"
a_open=$(a_perf)
wait_until 20 "A closing its tracepoints" sh -c "[ \$(ls -l /proc/$a_pid/fd | grep -c perf_event) -lt $a_open ]"
"$RECORD" -a -e 'signal:*' --duration 0.1 -o "$tmp/cb.bpfrec" 2>"$tmp/cb.err" &
b_pid=$!
wait_until 20 "B ready or A done closing" sh -c \
	"grep -q recording $tmp/cb.err || [ \$(ls -l /proc/$a_pid/fd 2>/dev/null | grep -c perf_event) = 0 ]"
check "a record starting while another closes $a_open tracepoints: ready before the last closes" \
	yes "$([ "$(a_perf)" -gt 0 ] && grep -q recording "$tmp/cb.err" && echo yes || echo no)"
wait $a_pid
check "the closing record exits 0" 0 $?
wait $b_pid
check "the starting record exits 0" 0 $?

finish
