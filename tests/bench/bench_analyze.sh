#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Analysis benchmark: import TRACE into a fresh database, then run every
# canned report on it, timing each (wall clock).
#
#   tests/bench/bench_analyze.sh TRACE [JSONL]
#
# Prints one line for the import (time, records/s, events/s, database
# size) and one per report (time, rows). Events count 2 per syscall record
# (its enter and exit) and 1 per other record, metadata included. With
# JSONL, the same figures are appended to that file as JSON lines
# ("kind": "analyze"). ANALYZE overrides the analyzer binary.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 TRACE [JSONL]" >&2
	exit 2
fi
trace=$1
jsonl=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${ANALYZE:-$root/build/analyze/analyze}
tmp=$(mktemp -d /tmp/bpfrec-bench-analyze.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/trace.db

now_ns() {
	date +%s%N
}

# seconds from ns, 3 decimals
secs() {
	awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

json() {
	[ -z "$jsonl" ] || printf '%s\n' "$1" >>"$jsonl"
}

t0=$(now_ns)
"$analyze" import "$trace" -o "$db" 2>"$tmp/import.err" || {
	cat "$tmp/import.err" >&2
	exit 1
}
t1=$(now_ns)
# "analyze: imported N records (M syscalls, ..."
records=$(sed -n 's/.*imported \([0-9]*\) records (\([0-9]*\) syscalls.*/\1/p' "$tmp/import.err")
syscalls=$(sed -n 's/.*imported \([0-9]*\) records (\([0-9]*\) syscalls.*/\2/p' "$tmp/import.err")
if [ -z "$records" ] || [ -z "$syscalls" ]; then
	echo "$0: cannot read the import summary:" >&2
	cat "$tmp/import.err" >&2
	exit 1
fi
events=$((records + syscalls))
ns=$((t1 - t0))
db_bytes=$(stat -c %s "$db")
trace_bytes=$(stat -c %s "$trace")
rps=$(awk -v n="$records" -v ns="$ns" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
eps=$(awk -v n="$events" -v ns="$ns" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')

printf 'import: %s s, %s records (%s syscalls), %s records/s, %s events/s, db %s bytes (trace %s)\n' \
	"$(secs $ns)" "$records" "$syscalls" "$rps" "$eps" "$db_bytes" "$trace_bytes"
json "{\"kind\": \"analyze\", \"step\": \"import\", \"wall_s\": $(secs $ns), \"records\": $records, \"syscalls\": $syscalls, \"events\": $events, \"records_per_s\": $rps, \"events_per_s\": $eps, \"db_bytes\": $db_bytes, \"trace_bytes\": $trace_bytes}"

for name in $("$analyze" reports | awk '{ print $1 }'); do
	t0=$(now_ns)
	"$analyze" report "$name" "$db" >"$tmp/out" || {
		echo "$0: report $name failed" >&2
		exit 1
	}
	t1=$(now_ns)
	# table format: a header line and a rule line, then the rows
	rows=$(awk 'END { print (NR > 2 ? NR - 2 : 0) }' "$tmp/out")
	printf 'report %s: %s s, %s rows\n' "$name" "$(secs $((t1 - t0)))" "$rows"
	json "{\"kind\": \"analyze\", \"step\": \"report\", \"report\": \"$name\", \"wall_s\": $(secs $((t1 - t0))), \"rows\": $rows}"
done
