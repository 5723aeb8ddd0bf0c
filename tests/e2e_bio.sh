#!/bin/sh
# biosnoop and biolatency with known quantities: a loop device (on a file in
# a temporary directory, detached on exit) read with O_DIRECT in exactly N
# reads of 4096 bytes and written in exactly M writes (tests/bioload.c),
# against the kernel's own counts in /sys/block/loopX/stat.
#
# @all records in every context, record's too: a block completion (a
# softirq) that runs while record is on the CPU is recorded. The loop
# device's rq_affinity is 2 (complete on the submitting CPU) and the
# workload runs on CPU 1, record anywhere.
set -u
RECORD=$1 ANALYZE=$2 BIOLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-bio.XXXXXX)
loop=
trap '[ -n "$loop" ] && losetup -d "$loop"; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf
have losetup mount || { finish; exit 1; }
have taskset util-linux || { finish; exit 1; }
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs: record and the workload on CPUs of their own"

truncate -s 4M "$tmp/disk.img"
loop=$(losetup -f --show "$tmp/disk.img") || { loop=; skip "no loop device: $loop"; }
sys=/sys/block/$(basename "$loop")
echo 2 >"$sys/queue/rq_affinity"
dev=$(cat "$sys/dev") # major:minor, as the reports show it

# /sys/block/X/stat: reads completed, merged, sectors, ms; writes the same
stat_fields() {
	awk '{ print $1, $3, $5, $7 }' "$sys/stat"
}

N=12 M=7
before=$(stat_fields)
"$RECORD" -o "$tmp/b.bpfrec" -e 'block:block_rq_issue@all,block:block_rq_complete@all' \
	-- taskset -c 1 "$BIOLOAD" "$loop" $N $M >"$tmp/pid" 2>"$tmp/b.err"
check "record exits with the workload's status, 0" 0 $?
after=$(stat_fields)
pid=$(cat "$tmp/pid")
set -- $before
r0=$1 rs0=$2 w0=$3 ws0=$4
set -- $after
check "the kernel counts N reads of 8 sectors, M writes of 8 (/sys/block stat)" \
	"$N $((N * 8)) $M $((M * 8))" "$(($1 - r0)) $(($2 - rs0)) $(($3 - w0)) $(($4 - ws0))"

"$ANALYZE" report biosnoop "$tmp/b.bpfrec" --format csv >"$tmp/snoop.csv" 2>"$tmp/snoop.err"
check "biosnoop exits 0, nothing on stderr" "0," "$?,$(cat "$tmp/snoop.err")"
# time_s,comm,pid,device,rwbs,sector,bytes,lat_us
on_dev() {
	awk -F, -v d="$dev" 'NR > 1 && $4 == d' "$tmp/snoop.csv"
}
check "biosnoop: exactly N reads and M writes on the device, as the kernel counted" \
	"$(($1 - r0)) reads $(($3 - w0)) writes" \
	"$(on_dev | awk -F, '$5 ~ /R/ { r++ } $5 ~ /W/ { w++ } END { printf "%d reads %d writes", r, w }')"
check "biosnoop: every one 4096 bytes, completed (a latency >= 0)" "$((N + M))" \
	"$(on_dev | awk -F, '$7 == 4096 && $8 != "" && $8 >= 0' | wc -l)"
check "biosnoop: issued by the workload, by its pid and name" "$((N + M)) bioload,$pid" \
	"$(on_dev | wc -l) $(on_dev | cut -d, -f2,3 | sort -u)"
check "biosnoop: the reads' sectors 0, 8, .. in order, then the writes'" \
	"$(seq 0 8 $(((N - 1) * 8)) | tr '\n' ' ')$(seq 0 8 $(((M - 1) * 8)) | tr '\n' ' ')" \
	"$(on_dev | cut -d, -f6 | tr '\n' ' ')"
# (the workload may also read its own pages from another disk: count the
# loop device's rows, and that every row is the workload's)
check "biosnoop --pid: the workload's only" "$((N + M)) $pid" \
	"$("$ANALYZE" report biosnoop "$tmp/b.bpfrec" --pid "$pid" --format csv | tail -n +2 |
		awk -F, -v d="$dev" '$4 == d { n++ } { p[$3] = 1 } END { printf "%d", n; for (k in p) printf " %s", k }')"
check "biosnoop --comm: the workload's only" "$((N + M)) bioload" \
	"$("$ANALYZE" report biosnoop "$tmp/b.bpfrec" --comm bioload --format csv | tail -n +2 |
		awk -F, -v d="$dev" '$4 == d { n++ } { c[$2] = 1 } END { printf "%d", n; for (k in c) printf " %s", k }')"

"$ANALYZE" report biolatency "$tmp/b.bpfrec" --format csv >"$tmp/lat.csv" 2>"$tmp/lat.err"
check "biolatency exits 0, nothing on stderr" "0," "$?,$(cat "$tmp/lat.err")"
# device,op,usecs,count,distribution
check "biolatency: the device's counts add up to N reads and M writes" "read $N write $M" \
	"$(awk -F, -v d="$dev" '$1 == d { n[$2] += $4 } END { printf "read %d write %d", n["read"], n["write"] }' \
		"$tmp/lat.csv")"
check "biolatency: biosnoop's latencies in its buckets" \
	"$(on_dev | awk -F, '{ us = int($8); k = 0; while (us > 1) { us = int(us / 2); k++ }
		print ($5 ~ /W/ ? "write" : "read"), k }' | sort | uniq -c | awk '{ print $2, $3, $1 }' | sort)" \
	"$(awk -F, -v d="$dev" 'NR > 1 && $1 == d && $4 > 0 { split($3, b, " "); k = 0; lo = b[1]
		while (lo > 1) { lo = int(lo / 2); k++ } print $2, k, $4 }' "$tmp/lat.csv" | sort)"

# Recorded for the workload only (no @all): completions run elsewhere,
# and the reports say so.
"$RECORD" -o "$tmp/c.bpfrec" -e 'block:block_rq_issue,block:block_rq_complete' \
	-- "$BIOLOAD" "$loop" 1 0 >/dev/null 2>&1
"$ANALYZE" report biolatency "$tmp/c.bpfrec" >/dev/null 2>"$tmp/c.err"
check "without @all: a warning naming both, one line" \
	"analyze: warning: report biolatency: recorded without @all: block:block_rq_issue, block:block_rq_complete; their events in interrupts and other tasks are missing (record with -e block:block_rq_issue@all,block:block_rq_complete@all)" \
	"$(grep -v '^analyze: importing' "$tmp/c.err")"

finish
