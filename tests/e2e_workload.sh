#!/bin/sh
# End to end with known quantities: record tests/workload.c (which does
# exact counts of things, see the #defines there) with `record -- workload`,
# then assert those exact numbers in the SQL tables and the canned reports.
# RECORD_FLAGS (e.g. --no-btf, to test the fallback probes) go to record.
set -u
RECORD_FLAGS=${RECORD_FLAGS:-}
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-e2e.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf

trace="$tmp/w.bpfrec"
db="$trace.db"
head -c 500 /dev/zero >"$tmp/inherited.txt"
mkdir "$tmp/sub" # for the workload's relative "sub/../rel.txt"

# fd 7 is opened here, before recording: the workload inherits it and
# reads it, so its name must come from the start-of-trace /proc snapshot.
# shellcheck disable=SC2086
"$RECORD" $RECORD_FLAGS -o "$trace" -- "$WORKLOAD" "$tmp" 7<"$tmp/inherited.txt" 2>"$tmp/record.err"
check "record exits 0" 0 $?
check_match "record prints the stop summary" "^record: .* events .* 0 lost, stopped by command-exit" "$(cat "$tmp/record.err")"
check "trace is mode 0600" 600 "$(stat -c %a "$trace")"

"$ANALYZE" import "$trace" >/dev/null
check "import exits 0" 0 $?

# The main workload process: the one exec'd with the directory argument.
main=$(sql "$db" "SELECT pid FROM process_events WHERE type = 'exec' AND args LIKE '% $tmp'")
check "one main process" 1 "$(printf '%s\n' "$main" | grep -c .)"
child=$(sql "$db" "SELECT pid FROM process_events WHERE type = 'exec' AND args = 'workload --child 3'")
check "one exec'd child" 1 "$(printf '%s\n' "$child" | grep -c .)"

count() { # count NAME PID: completed syscalls of that name
	sql "$db" "SELECT count(*) FROM syscalls_named WHERE name = '$1' AND pid = $2"
}
check "getppid calls of main" 1000 "$(count getppid "$main")"
check "getppid calls of child" 7 "$(count getppid "$child")"
check "no syscalls of the recorder" 0 \
	"$(sql "$db" "SELECT count(*) FROM syscalls WHERE pid = (SELECT value FROM meta WHERE key = 'recorder_pid')")"
check "no drops" 0 "$(sql "$db" "SELECT value FROM meta WHERE key = 'drops_total'")"
check "stop reason" command-exit "$(sql "$db" "SELECT value FROM meta WHERE key = 'stop_reason'")"
case "$RECORD_FLAGS" in
*--no-btf*) fallbacks=2 skipped="sys_spill:not needed: --no-btf given" ;;
*) fallbacks=0 skipped= ;;
esac
# (counted per group, not as a total: a group may gain probes)
check "probes: every group attached, none failed, syscall probes on the expected variant" \
	"process:0 syscalls:$fallbacks" \
	"$(sql "$db" "SELECT group_concat(grp || ':' || fb, ' ') FROM (SELECT grp, sum(status = 'fallback') AS fb
		FROM probes WHERE status != 'skipped' GROUP BY grp
		HAVING sum(status IN ('attached', 'fallback')) = count(*) ORDER BY grp)")"
# the fallback variant needs no sched_switch spill: the one probe skipped
check "probes: skipped only what the variant does not need" "$skipped" \
	"$(sql "$db" "SELECT group_concat(name || ':' || reason) FROM probes WHERE status = 'skipped'")"

# fd-to-filename join: reads and writes per file, through dup2 and the
# inherited snapshot fd.
io() { # io FILE CLASS: calls,bytes of that class on FILE by main
	sql "$db" "SELECT count(*), sum(s.ret) FROM syscalls_named s JOIN fds f ON f.id = s.fd_id
		JOIN syscall_classes c ON c.name = s.name
		WHERE s.pid = $main AND c.class = '$2' AND f.path = '$tmp/$1'"
}
check "data.bin writes" "10,40960" "$(io data.bin write)"
check "data.bin reads (40 x 1024 + EOF)" "41,40960" "$(io data.bin read)"
check "dup.txt writes through dup2" "3,18" "$(io dup.txt write)"
check "inherited.txt reads via snapshot fd" "6,500" "$(io inherited.txt read)"
check "fd 7 known from the start-of-trace snapshot" "snapshot" \
	"$(sql "$db" "SELECT how FROM fds WHERE pid = $main AND fd = 7")"

check "failed opens (ENOENT)" 2 \
	"$(sql "$db" "SELECT count(*) FROM syscalls_named WHERE pid = $main AND errno_name = 'ENOENT' AND path = '$tmp/does-not-exist'")"
check "leaked fd still open at exit" "openat,exit" \
	"$(sql "$db" "SELECT how, closed_how FROM fds WHERE pid = $main AND path = '$tmp/leaked.txt'")"
check "pipe2 fds" 2 "$(sql "$db" "SELECT count(*) FROM fds WHERE pid = $main AND how = 'pipe2'")"

check "child exit status" 3 "$(sql "$db" "SELECT exit_code FROM processes WHERE pid = $child")"
check "killed child signal" 9 \
	"$(sql "$db" "SELECT exit_signal FROM processes WHERE ppid = $main AND exit_signal IS NOT NULL")"
check "main exit status" 0 "$(sql "$db" "SELECT exit_code FROM processes WHERE pid = $main")"

# Blocking calls whose thread left the CPU (and was moved) mid-call.
check "wl-sleeper: 4 sleeps of >= 20 ms, each recorded once" "4,4" \
	"$(sql "$db" "SELECT count(*), sum(exit_ts - ts >= 20000000) FROM syscalls_named
		WHERE comm = 'wl-sleeper' AND name = 'clock_nanosleep'")"

# The canned reports show the same numbers.
report() { # report NAME ARGS...: CSV rows without the header
	name=$1
	shift
	"$ANALYZE" report "$name" "$trace" --format csv "$@" | tail -n +2
}
check_match "top-syscalls: getppid 1000 calls, 0 errors" "^getppid,$main,workload,1000,0," \
	"$(report top-syscalls --pid "$main")"
check_match "top-syscalls --comm: both workload processes" "^getppid,$child,workload,7,0," \
	"$(report top-syscalls --comm workload)"
files=$(report files --pid "$main")
check_match "files: data.bin 2 opens, 41 reads of 40960 B, 10 writes of 40960 B" \
	"^$main,workload,$tmp/data.bin,2,41,40960,10,40960$" "$files"
check_match "files: dup.txt written through dup2" "^$main,workload,$tmp/dup.txt,1,0,0,3,18$" "$files"
check_match "files: inherited fd read by name" "^$main,workload,$tmp/inherited.txt,0,6,500,0,0$" "$files"
check_match "files: a relative open resolved against the cwd" "^$main,workload,$tmp/rel.txt,1,0,0,1,5$" "$files"
check_match "execsnoop: the child exec with its args" \
	"^[0-9.]+,workload,workload,$child,$main,0,$WORKLOAD,workload --child 3$" "$(report execsnoop)"
exits=$(report exitsnoop)
check_match "exitsnoop: child exit code 3" "^[0-9.]+,workload,$child,$main,$child,[0-9.e-]+,3,$" "$exits"
check_match "exitsnoop: killed child" "^[0-9.]+,workload,[0-9]+,$main,[0-9]+,[0-9.e-]+,,9$" "$exits"
check "opensnoop: 2 ENOENT opens of the missing file" 2 \
	"$(report opensnoop --pid "$main" | grep -c ",-1,ENOENT,0x0,$tmp/does-not-exist$")"
# leaked.txt is still open when the workload exits: a missing close, which
# the kernel makes at exit, not an accumulation in a live process
check "leaks-at-exit: exactly the leaked file" "workload,openat,$tmp/*.txt,1,1,$main,$tmp/leaked.txt" \
	"$(report leaks-at-exit)"
check "leaks: nothing (no process alive at the end holds more fds)" "" "$(report leaks)"
check "syscall-latency: getppid histogram holds 1000 calls" 1000 \
	"$(report syscall-latency --pid "$main" | awk -F, '$1 == "getppid" { n += $3 } END { print n }')"

# A stock sqlite3 reads the database.
if have sqlite3 sqlite3; then
	check "stock sqlite3 reads it" 1007 \
		"$(sqlite3 "$db" "SELECT count(*) FROM syscalls s JOIN syscall_names n USING (nr) WHERE n.name = 'getppid' AND s.pid IN ($main, $child)")"
fi

finish
