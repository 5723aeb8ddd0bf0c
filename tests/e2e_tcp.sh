#!/bin/sh
# tcpconnect and tcpaccept against what the workload saw (tests/tcpcalls.c
# writes its sockets' getsockname/getpeername to out.txt) and against
# strace -f of the same program: N = 3 IPv4 connects and 1 IPv6 connect
# that work, each accepted, and M = 2 refused ones, which keep the
# destination they asked for (the failed-call tail, TAIL_SOCKADDR).
# RECORD_FLAGS (e.g. --no-btf, the fallback probes) go to record.
# Usage: e2e_tcp.sh RECORD ANALYZE TCPCALLS
set -u
RECORD_FLAGS=${RECORD_FLAGS:-}
RECORD=$1 ANALYZE=$2 TCPCALLS=$3
tmp=$(mktemp -d /tmp/bpfrec-tcp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf
have strace strace || { finish; exit 1; }

trace="$tmp/t.bpfrec"
# shellcheck disable=SC2086
"$RECORD" $RECORD_FLAGS -o "$trace" -- "$TCPCALLS" "$tmp/out.txt" 2>"$tmp/record.err"
check "record exits 0 (the workload checks each call)" 0 $?
"$ANALYZE" import "$trace" >/dev/null
check "import exits 0" 0 $?
pid=$(sql "$trace.db" "SELECT pid FROM process_events WHERE type = 'exec' AND args LIKE '% $tmp/out.txt'")
check "one tcpcalls process" 1 "$(printf '%s\n' "$pid" | grep -c .)"
seen() { # seen WHAT: the workload's lines for WHAT, the rest of each line
	sed -n "s/^$1 //p" "$tmp/out.txt"
}
report() { # report NAME ARGS...: CSV rows without the header
	rp_name=$1
	shift
	"$ANALYZE" report "$rp_name" "$trace" --format csv "$@" | tail -n +2
}
# the rows from the ip column on, and the pid,tid,comm columns apart
from_ip() { cut -d, -f5-; }
who() { cut -d, -f2-4 | sort -u; }

refused=$(seen refused-port)
want_connect=$(seen connect)
check_match "the workload saw its sockets" "^4,127\.0\.0\.1,[0-9]+,127\.0\.0\.1,[0-9]+,$" \
	"$want_connect"
check "the workload: 3 + 1 connects that worked (IPv4, IPv6), 2 refused" "3 1 2" \
	"$(printf '%s\n' "$want_connect" | grep -c '^4,.*,$') $(printf '%s\n' "$want_connect" |
		grep -c '^6,::1,.*,$') $(printf '%s\n' "$want_connect" |
		grep -c "^4,,,127\.0\.0\.1,$refused,ECONNREFUSED$")"

# the exact rows, in call order, as the workload's own sockets say
check "tcpconnect: the exact rows" "$want_connect" "$(report tcpconnect --pid "$pid" | from_ip)"
check "tcpconnect: all by the workload's one thread" "$pid,$pid,tcpcalls" \
	"$(report tcpconnect --pid "$pid" | who)"
check "tcpconnect --comm: the same rows" "$want_connect" \
	"$(report tcpconnect --comm tcpcalls | from_ip)"
check "tcpaccept: the exact rows" "$(seen accept)" "$(report tcpaccept --pid "$pid" | from_ip)"
check "tcpaccept: all by the workload's one thread" "$pid,$pid,tcpcalls" \
	"$(report tcpaccept --pid "$pid" | who)"
check "tcpaccept: a connection per connect that worked, its ends swapped" \
	"$(seen connect | grep ',$' | awk -F, '{ print $1 "," $4 "," $5 "," $2 "," $3 }')" \
	"$(seen accept)"
check_match "tcpconnect -T: a wall-clock time first" \
	"^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3},[0-9.]+,$pid,$pid,tcpcalls,4,,,127\.0\.0\.1,$refused,ECONNREFUSED$" \
	"$(report tcpconnect --pid "$pid" -T)"

# the refused connects in the table: where they went, not where they came from
check "syscall_socks: the refused connects, destination from the argument, no local end" \
	"2,1,6,NULL,NULL,127.0.0.1,$refused,NULL
2,1,6,NULL,NULL,127.0.0.1,$refused,NULL" \
	"$(sql "$trace.db" "SELECT k.family, k.type, k.protocol, quote(k.laddr), quote(k.lport),
		k.raddr, k.rport, quote(k.path)
		FROM syscall_socks k JOIN syscalls_named s ON s.id = k.syscall_id
		WHERE s.pid = $pid AND s.name = 'connect' AND s.ret < 0 ORDER BY s.id")"

# strace -f of the same program: the connects, their families and errors
# in order ("4 -" worked, "4 ECONNREFUSED" failed), as tcpconnect's rows
strace -f -qq -e trace=connect -o "$tmp/strace.txt" "$TCPCALLS" "$tmp/out2.txt"
check "strace run exits 0" 0 $?
st=$(awk '/connect\(/ {
	err = "-"
	if (/ = -1 /) { err = $0; sub(/.* = -1 /, "", err); sub(/ .*/, "", err) }
	print (/AF_INET6/ ? 6 : 4), err }' "$tmp/strace.txt")
check "strace -f: 6 connects, the last 2 refused" "4 -
4 -
4 -
6 -
4 ECONNREFUSED
4 ECONNREFUSED" "$st"
check "tcpconnect: the connects and errors strace -f saw" "$st" \
	"$(report tcpconnect --pid "$pid" | awk -F, '{ print $5, ($10 == "" ? "-" : $10) }')"

finish
