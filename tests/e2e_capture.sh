#!/bin/sh
# What the probes must capture beyond the registers, checked against what
# the workload itself saw (tests/capture.c writes it to out.txt):
# - paths not faulted in at sys_enter are still read (at sys_exit), and an
#   unreadable one is unknown (NULL), never the empty path or the cwd;
# - a failed exec keeps its filename and argv (execsnoop shows them);
# - pipes are named by inode as /proc names them, sockets by addresses,
#   one fds row per pipe end or socket with its exact bytes.
# RECORD_FLAGS (e.g. --no-btf, the fallback probes) go to record.
# Usage: e2e_capture.sh RECORD ANALYZE CAPTURE
set -u
RECORD_FLAGS=${RECORD_FLAGS:-}
RECORD=$1 ANALYZE=$2 CAPTURE=$3
tmp=$(mktemp -d /tmp/bpfrec-capture.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf

trace="$tmp/c.bpfrec"
db="$trace.db"
# shellcheck disable=SC2086
"$RECORD" $RECORD_FLAGS -o "$trace" -- "$CAPTURE" "$tmp" "$tmp/out.txt" 2>"$tmp/record.err"
check "record exits 0" 0 $?
"$ANALYZE" import "$trace" >/dev/null
check "import exits 0" 0 $?
pid=$(sql "$db" "SELECT pid FROM process_events WHERE type = 'exec' AND args LIKE '% $tmp/out.txt'")
check "one capture process" 1 "$(printf '%s\n' "$pid" | grep -c .)"
seen() { # seen WHAT: the rest of the line the workload wrote for WHAT
	sed -n "s/^$1 //p" "$tmp/out.txt"
}

# paths: x.dat was opened through a path that was not faulted in
check "x.dat: opened by openat as passed, 1 write of 5 bytes" "openat,1,5" \
	"$(sql "$db" "SELECT how, writes, bytes_written FROM fds WHERE pid = $pid AND path = '$tmp/x.dat'")"
check "no fd named after the cwd" 0 "$(sql "$db" "SELECT count(*) FROM fds WHERE pid = $pid AND path = '$tmp'")"
check "opensnoop: no open without a path" 0 \
	"$("$ANALYZE" report opensnoop "$trace" --pid "$pid" --format csv | tail -n +2 | grep -c ',$')"
check "rename: both untouched paths" "y.dat,z.dat" \
	"$(sql "$db" "SELECT path, path2 FROM syscalls_named WHERE pid = $pid AND name = 'rename'")"
check "fstatat(x.dat's fd, AT_EMPTY_PATH): the empty path, not unknown" "''" \
	"$(sql "$db" "SELECT quote(path) FROM syscalls_named WHERE pid = $pid AND name = 'newfstatat'
		AND a3 = 4096 AND a0 = (SELECT fd FROM fds WHERE pid = $pid AND path = '$tmp/x.dat')")"
check "an exec that worked: its path from the exec event" "/bin/true" \
	"$(sql "$db" "SELECT path FROM syscalls_named WHERE name = 'execve' AND ret = 0
		AND pid = (SELECT pid FROM process_events WHERE type = 'exec' AND args = 'true')")"

# a failed exec: its filename (untouched too) and argv
check_match "execsnoop: the failed exec with its args" \
	"^[0-9.]+,[^,]*,capture,$pid,[0-9]+,-2,\./no-such-prog,no-such-prog --flag two words$" \
	"$("$ANALYZE" report execsnoop "$trace" --format csv)"

# pipes: the name /proc gave, each end with its bytes
ends() { # ends PATH: reads|bytes_read|writes|bytes_written of each fd of PATH
	sql "$db" "SELECT reads || '|' || bytes_read || '|' || writes || '|' || bytes_written
		FROM fds WHERE pid = $pid AND path = '$1' AND how != 'snapshot' ORDER BY writes" | tr '\n' ' '
}
check_match "the workload saw its pipes" "^pipe:\[[0-9]+\]$" "$(seen pipe1)"
check "pipe 1: the read end read 111 B, the write end wrote 111 B" "1|111|0|0 0|0|1|111 " \
	"$(ends "$(seen pipe1)")"
check "pipe 2: 222 B each way" "1|222|0|0 0|0|1|222 " "$(ends "$(seen pipe2)")"

# sockets: named from the kernel's socket at exit, as getsockname/getpeername say
check_match "the workload saw its sockets" "^tcp 127\.0\.0\.1:[0-9]+->127\.0\.0\.1:[0-9]+$" \
	"$(seen client)"
sock() { # sock PATH: how|reads|bytes_read|writes|bytes_written
	sql "$db" "SELECT how || '|' || reads || '|' || bytes_read || '|' || writes || '|' || bytes_written
		FROM fds WHERE pid = $pid AND path = '$1'"
}
check "listener: named after bind and listen" "socket|0|0|0|0" "$(sock "$(seen listener)")"
check "client: local address from the kernel after connect" "socket|1|444|1|333" \
	"$(sock "$(seen client)")"
check "accepted with a NULL address: both ends from the kernel" "accept|1|333|1|444" \
	"$(sock "$(seen accepted)")"

finish
