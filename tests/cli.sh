#!/bin/sh
# analyze's command line on a committed, cleanly stopped trace
# (tests/data/record-c-true.bpfrec: `record -z 1 -c true --duration 0.5` in a
# PID namespace): info line by line, reports, help, JSON escaping, a database
# of another schema or analyzer build, a trace in a read-only directory.
# No root or BPF needed.
set -u
ANALYZE=$2
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/bpfrec-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"

# stderr_rc CMD...: the stderr of CMD, a comma, its exit status
stderr_rc() {
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	printf '%s,%s' "$err" "$rc"
}

cp "$src/tests/data/record-c-true.bpfrec" "$tmp/t.bpfrec"
cd "$tmp" || exit 1

info=$("$ANALYZE" info t.bpfrec 2>"$tmp/err")
check "info exits 0" 0 $?
check "info: nothing on stderr for a clean trace" "" "$(cat "$tmp/err")"
check "info: the summary" "trace:           t.bpfrec
file:            5465 bytes, format version 1
created:         2026-11-26 04:28:15 UTC
host:            vm
kernel:          6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0 (x86_64)
cpus:            2
command:         record -o /tmp/ci-keep/rec-ns-z1.bpfrec -z 1 -c true --duration 0.5
target:          all comm:true
groups:          syscalls,process,files
arguments:       recorded
probes:          8 attached, 0 fallback, 0 failed, 0 skipped
snapshot:        3 processes, 43 fds
syscall table:   362 names
duration:        0.519 s
stop reason:     duration
events:          syscalls=29, process=3, files=5
drops:           0
bytes:           raw 23264, stored 5280 (4.4x)
records:         syscall=29, exec=1, exit=1, free=1
blocks:          3 (23672 bytes decoded, 5441 stored)" "$(printf '%s\n' "$info" | sed '/^metadata:/,$d')"
check "info: every stop key verbatim" "  stop.bytes_raw = 23264
  stop.bytes_stored = 5280
  stop.stop_ts = 765225597861
  stop.duration_ns = 518603856
  stop.stop_reason = duration
  stop.drops_total = 0
  stop.events_syscalls = 29
  stop.events_process = 3
  stop.events_files = 5" "$(printf '%s\n' "$info" | grep '^  stop\.')"
# the same numbers seen through the import
check "info agrees with the import: file size, syscalls, snapshot" "5465,29,3,43,362" \
	"$(sql t.bpfrec "SELECT (SELECT value FROM meta WHERE key = 'trace_size'),
		(SELECT count(*) FROM syscalls), (SELECT count(*) FROM processes WHERE pid < 10),
		(SELECT count(*) FROM fds WHERE how = 'snapshot'), (SELECT count(*) FROM syscall_names)")"

# reports: one line per queries/*.sql, with the header's first line
reports=$("$ANALYZE" reports)
check "reports exits 0" 0 $?
check "reports: exactly the files in queries/" \
	"$(cd "$src/queries" && ls -- *.sql | sed 's/\.sql$//' | LC_ALL=C sort)" "$(printf '%s\n' "$reports" | cut -d' ' -f1)"
check "reports: the listing" "biolatency       log2 histogram of block I/O latency, per device and operation
biosnoop         every block I/O request with its latency, like BCC biosnoop
execsnoop        every exec, successful or failed, like BCC execsnoop
exitsnoop        every process exit with age and exit code or signal
files            per process and file: opens, reads, writes and bytes
leaks            live processes whose open fds grew during the trace, by opening call and path pattern
leaks-at-exit    fds processes left open at exit (stdio aside), by command, call and path pattern
opensnoop        every open/openat/openat2/creat, like BCC opensnoop
runqlat          log2 histogram of run queue latency, per process
syscall-latency  log2 histogram of syscall latency, per syscall
tcpaccept        every accepted TCP connection, like BCC tcpaccept
tcpconnect       every TCP connect(), successful or failed, like BCC tcpconnect
top-syscalls     system calls by count, with errors and latency" "$reports"

version=$(sed -n 's/^PRAGMA user_version = \([0-9]*\);$/\1/p' "$src"/schema/*.sql)
usage="usage:
  analyze import TRACE [-o DB]
  analyze report NAME TRACE|DB [--format table|csv|json] [--pid PID] [--comm COMM] [-T|--timestamp]
  analyze reports
  analyze sql TRACE|DB \"SELECT ...\" [--format table|csv|json] [--pid PID] [--comm COMM] [-T|--timestamp]
  analyze info TRACE

A TRACE given where a database is expected is imported into TRACE.db
(reused while the trace is unchanged). --pid and --comm bind the
report parameters :pid and :comm; -T/--timestamp sets :timestamp and
shows the wall-clock time column (UTC) of execsnoop, exitsnoop,
opensnoop, biosnoop, tcpconnect and tcpaccept. Schema version $version."
for h in help --help -h; do
	check "$h: the usage, exit 0" "$usage" "$("$ANALYZE" $h)"
	check "$h: exit 0, nothing on stderr" ",0" "$(stderr_rc "$ANALYZE" $h)"
done
check "no command: one line on stderr, exit 2" \
	"analyze: missing command; see 'analyze --help',2" "$(stderr_rc "$ANALYZE")"

# Usage errors: one line naming the command's usage, exit 2.
ru="usage: analyze report NAME TRACE|DB [--format table|csv|json] [--pid PID] [--comm COMM] [-T|--timestamp]"
while IFS='|' read -r args msg; do
	# shellcheck disable=SC2086
	check "usage error: analyze $args" "analyze: $msg,2" "$(stderr_rc "$ANALYZE" $args)"
done <<EOF
import|missing argument; usage: analyze import TRACE [-o DB]
import a b|unexpected argument 'b'; usage: analyze import TRACE [-o DB]
report top-syscalls t.bpfrec --bogus|unknown option '--bogus'; $ru
report top-syscalls t.bpfrec --format|option '--format' needs a value; $ru
report top-syscalls t.bpfrec --format xml|unknown format 'xml' (table, csv, json); $ru
report top-syscalls t.bpfrec --pid x|bad pid 'x'; $ru
report nope t.bpfrec|no report 'nope' (see 'analyze reports'); $ru
info t.bpfrec --format csv|option '--format' does not apply here; usage: analyze info TRACE
reports extra|unexpected argument 'extra'; usage: analyze reports
frobnicate|unknown command 'frobnicate'; see 'analyze --help'
EOF
check "an SQL error: the message, exit 1" "analyze: SQL error: no such column: nosuch,1" \
	"$(stderr_rc "$ANALYZE" sql t.bpfrec "SELECT nosuch FROM meta")"

# CSV: RFC 4180 quoting of commas, quotes, edge spaces and newlines
check "csv: quoted exactly" 'x,y,z,w,v
"a,b","say ""hi"""," pad",plain,"l1
l2"' "$("$ANALYZE" sql t.bpfrec "SELECT 'a,b' AS x, 'say \"hi\"' AS y, ' pad' AS z,
	'plain' AS w, 'l1' || char(10) || 'l2' AS v" --format csv)"
# table: REALs of a column with as many decimals as the longest, NULL blank
check "table: decimals aligned" "       a  b
--------  --
0.016800  x
0.015695  yy
      12" "$("$ANALYZE" sql t.bpfrec "SELECT 0.0168 AS a, 'x' AS b UNION ALL
	SELECT 0.015695, 'yy' UNION ALL SELECT 12, NULL")"

# table: REALs SQLite prints in e-notation, in fixed point (this freed the
# text before measuring it: issue 9, found by the fuzzer in a report)
check "table: small REALs in fixed point" "      x         y
-------  --------
0.00001  0.000051" "$("$ANALYZE" sql t.bpfrec "SELECT 1e-5 AS x, 5.1e-05 AS y")"

# JSON: quote, backslash, newline, tab, a control character, bytes that are
# not UTF-8, a quote in a column name, NULL, numbers
json=$("$ANALYZE" sql t.bpfrec "SELECT 'a\"b\\c' || char(10) || 'd' || char(1) || 'e' || char(9)
	|| char(127) AS \"k\"\"ey\", CAST(x'41ff42' AS TEXT) AS bad, 'é' AS utf8, NULL AS n,
	1.5 AS f, -7 AS i" --format json)
check "json: escaped exactly" '[
  {"k\"ey": "a\"b\\c\nd\u0001e\t'"$(printf '\177')"'", "bad": "A\ufffdB", "utf8": "é", "n": null, "f": 1.5, "i": -7}
]' "$json"
check "json: carriage return, 3- and 4-byte UTF-8, infinity as null" '[
  {"s": "\r€😀", "inf": null}
]' "$("$ANALYZE" sql t.bpfrec "SELECT char(13) || '€😀' AS s, 9e999 AS inf" --format json)"
check "json: no rows is an empty array" "[]" "$("$ANALYZE" sql t.bpfrec "SELECT 1 WHERE 0" --format json)"

# A database of another schema version or analyzer build is imported again.
db_id() { sql t.bpfrec "SELECT value FROM meta WHERE key = 'analyzer_build'"; }
build=$(db_id)
rows() { sql t.bpfrec "SELECT count(*) FROM syscalls"; }
sqlite3 t.bpfrec.db "UPDATE meta SET value = 'another-build' WHERE key = 'analyzer_build'"
check "another analyzer build: imported again" "29,$build" "$(rows),$(db_id)"
sqlite3 t.bpfrec.db "PRAGMA user_version = 1; DELETE FROM syscall_rows"
check "another schema version: imported again" "29,$version" \
	"$(rows),$(sqlite3 t.bpfrec.db "PRAGMA user_version")"
cp t.bpfrec.db old.db
sqlite3 old.db "PRAGMA user_version = 1"
check "a database of another schema given directly: refused, exit 1" \
	"analyze: old.db: database schema version differs from this analyzer's ($version); import the trace again,1" \
	"$(stderr_rc "$ANALYZE" sql old.db "SELECT 1")"

# A trace in a directory we cannot write: imported into memory, said once.
# Root writes anywhere: for root, the directory is a read-only bind mount
# (and analyze stays root, so a coverage build can write its counters).
mkdir ro
cp t.bpfrec ro/
if [ "$(id -u)" = 0 ]; then
	reason="Read-only file system"
	with_ro() {
		unshare -m sh -c 'mount --bind ro ro && mount -o remount,bind,ro ro && exec "$@"' \
			sh "$@"
	}
else
	reason="Permission denied"
	chmod 555 ro
	with_ro() { "$@"; }
fi
want=$("$ANALYZE" report top-syscalls t.bpfrec)
got=$(with_ro "$ANALYZE" report top-syscalls ro/t.bpfrec 2>"$tmp/err")
check "read-only directory: report exits 0" 0 $?
check "read-only directory: the same report" "$want" "$got"
check "read-only directory: why, on stderr" \
	"analyze: cannot create ro/t.bpfrec.db: $reason; importing into memory" \
	"$(cat "$tmp/err")"
check "read-only directory: no file left behind" "t.bpfrec" "$(ls ro)"
check "read-only directory: import fails with the reason, exit 1" \
	"analyze: ro/t.bpfrec: cannot create ro/t.bpfrec.db: $reason,1" \
	"$(stderr_rc with_ro "$ANALYZE" import ro/t.bpfrec)"

finish
