#!/bin/sh
# Every released trace format version stays readable: each committed
# tests/traces/vN-workload.bpfrec (tests/workload.c recorded by the version
# N recorder, see record/FORMAT.md) is imported by today's analyzer and
# must still show the workload's known quantities. One trace per version
# from 1 to BF_VERSION must be there.
# Usage: compat.sh ANALYZE TRACE_FORMAT_H
set -u
ANALYZE=$1
tmp=$(mktemp -d /tmp/bpfrec-compat.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
traces=$(dirname "$0")/traces

current=$(sed -n 's/^#define BF_VERSION \([0-9]*\).*/\1/p' "$2")
check "BF_VERSION found in $2" yes "$([ -n "$current" ] && echo yes)"
v=1
while [ "$v" -le "${current:-0}" ]; do
	trace=$traces/v$v-workload.bpfrec
	check "v$v: a committed trace" yes "$([ -f "$trace" ] && echo yes || echo "no $trace")"
	cp "$trace" "$tmp/t.bpfrec" 2>/dev/null || { v=$((v + 1)); continue; }
	trace=$tmp/t.bpfrec
	db=$trace.db
	check_match "v$v: info names the version" "^file: .*format version $v$" \
		"$("$ANALYZE" info "$trace" 2>&1)"
	"$ANALYZE" import "$trace" >/dev/null 2>"$tmp/err"
	check "v$v: import exits 0, no warning" "0:" "$?:$(cat "$tmp/err" | grep -v '^analyze: imported')"

	# the workload's directory argument names the main process
	dir=$(sql "$db" "SELECT substr(args, instr(args, ' /') + 1) FROM process_events WHERE type = 'exec' AND args LIKE '%workload /%'")
	main=$(sql "$db" "SELECT pid FROM process_events WHERE type = 'exec' AND args LIKE '%workload /%'")
	child=$(sql "$db" "SELECT pid FROM process_events WHERE type = 'exec' AND args = 'workload --child 3'")
	count() { sql "$db" "SELECT count(*) FROM syscalls_named WHERE name = '$1' AND pid = $2"; }
	io() {
		sql "$db" "SELECT count(*), sum(s.ret) FROM syscalls_named s JOIN fds f ON f.id = s.fd_id
			JOIN syscall_classes c ON c.name = s.name
			WHERE s.pid = $main AND c.class = '$2' AND f.path = '$dir/$1'"
	}
	check "v$v: getppid calls of main" 1000 "$(count getppid "$main")"
	check "v$v: getppid calls of child" 7 "$(count getppid "$child")"
	check "v$v: data.bin writes" "10,40960" "$(io data.bin write)"
	check "v$v: data.bin reads" "41,40960" "$(io data.bin read)"
	check "v$v: dup.txt writes through dup2" "3,18" "$(io dup.txt write)"
	check "v$v: inherited.txt reads via the snapshot fd" "6,500" "$(io inherited.txt read)"
	check "v$v: failed opens" 2 \
		"$(sql "$db" "SELECT count(*) FROM syscalls_named WHERE pid = $main AND errno_name = 'ENOENT' AND path = '$dir/does-not-exist'")"
	check "v$v: leaked fd" "openat,exit" \
		"$(sql "$db" "SELECT how, closed_how FROM fds WHERE pid = $main AND path = '$dir/leaked.txt'")"
	check "v$v: exits: child code 3, one child killed by 9, main 0" "3|9|0" \
		"$(sql "$db" "SELECT (SELECT exit_code FROM processes WHERE pid = $child) || '|' ||
			(SELECT group_concat(exit_signal) FROM processes WHERE ppid = $main AND exit_signal IS NOT NULL) || '|' ||
			(SELECT exit_code FROM processes WHERE pid = $main) AS v")"
	check "v$v: no drops, clean stop" "0,command-exit" \
		"$(sql "$db" "SELECT (SELECT value FROM meta WHERE key = 'drops_total'), (SELECT value FROM meta WHERE key = 'stop_reason')")"
	rm -f "$tmp"/t.bpfrec*
	v=$((v + 1))
done

finish
