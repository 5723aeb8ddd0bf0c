#!/bin/sh
# Leak reports on one trace holding an fd accumulator next to a shell
# pipeline. `workload --leak-sockets N` opens and closes files, pipes and
# sockets, leaks N UDP sockets connected to 127.0.0.1 and stays alive past
# the end of the recording; the pipeline's processes get pipes dup2'd onto
# their stdio and exit. leaks must show exactly the N sockets and the
# growth that /proc/PID/fd of the live workload shows (the independent
# count); leaks-at-exit must show nothing: stdio redirections are not leaks.
set -u
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
N=5 # sockets leaked
tmp=$(mktemp -d /tmp/bpfrec-leaks.XXXXXX)
wpid=
trap '[ -n "$wpid" ] && kill "$wpid" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf

trace="$tmp/l.bpfrec"
db="$trace.db"
mkfifo "$tmp/ready"
# The workload runs in the background; the pipeline's last stage is a
# subshell, which (unlike coreutils) leaves its dup2'd stdin for exit to
# close; the command ends once the workload says all N sockets are open.
"$RECORD" -o "$trace" -- sh -c '
	"$1" --leak-sockets "$2" >"$3/ready" &
	head -c 100000 /dev/zero | cat | wc -c | { read n; echo "$n" >"$3/wc.out"; }
	read line <"$3/ready"
	echo "$line" >"$3/ready.txt"' sh "$WORKLOAD" "$N" "$tmp" 2>"$tmp/record.err"
check "record exits 0" 0 $?
check "the pipeline ran" 100000 "$(cat "$tmp/wc.out")"
wpid=$(sed -n 's/^ready \([0-9]*\)$/\1/p' "$tmp/ready.txt")
check "the workload is alive after the recording" "--leak-sockets" \
	"$(tr '\0' '\n' <"/proc/$wpid/cmdline" 2>/dev/null | sed -n 2p)"

# /proc/PID/fd now: the fds open at the end of the trace
proc_fds=$(ls "/proc/$wpid/fd" | wc -l)
proc_sockets=$(for f in "/proc/$wpid/fd"/*; do readlink "$f"; done | grep -c '^socket:')
check "/proc/PID/fd: N sockets" "$N" "$proc_sockets"
kill "$wpid"

"$ANALYZE" import "$trace" >/dev/null
check "import exits 0" 0 $?
check "no drops" 0 "$(sql "$db" "SELECT value FROM meta WHERE key = 'drops_total'")"
check "the trace knows the workload's pid" "$wpid" \
	"$(sql "$db" "SELECT pid FROM process_events WHERE type = 'exec' AND args LIKE '% --leak-sockets $N'")"

report() { # report NAME: CSV rows without the header
	"$ANALYZE" report "$1" "$trace" --format csv | tail -n +2
}
# pid,comm,fds_start,fds_end,growth,how,pattern,fds,first_s,last_s,example
leaks=$(report leaks)
check "leaks: one row" 1 "$(printf '%s\n' "$leaks" | grep -c .)"
check "leaks: the workload's N sockets, fds at the end as in /proc/PID/fd, growth N" \
	"$wpid,workload,$proc_fds,$N,socket,$N" "$(printf '%s\n' "$leaks" | cut -d, -f1-2,4-6,8)"
# socket:inet until sockets are named by address, then "udp *"
check_match "leaks: the sockets' pattern" '^(socket:inet|udp \*)$' \
	"$(printf '%s\n' "$leaks" | cut -d, -f7)"

check "leaks-at-exit: nothing" "" "$(report leaks-at-exit)"
# what it left out: fds dup2'd onto stdio, open at exit: in the command's
# shell and in the pipeline's subshell, stdin (the fifo, the pipe) and
# stdout (restored after `echo >FILE`, by dup2 from a saved copy)
check "the trace holds 4 stdio redirections open at exit" 4 \
	"$(sql "$db" "SELECT count(*) FROM fds WHERE closed_how = 'exit' AND fd <= 2
		AND how NOT IN ('snapshot', 'inherited')")"

finish
