#!/bin/sh
# No silent loss: with the recorder stopped (SIGSTOP) while the workload
# makes 200000 getppid calls into a 1 MB ring buffer, records are lost.
# Every lost record must be counted: recorded getppid rows + lost records
# account for all 200000 calls (give or take the few other syscalls the
# workload makes), the stop summary and every report warn about it.
set -u
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-drops.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf

calls=200000
storm="$(dirname "$WORKLOAD")/bench_storm"
trace="$tmp/drops.bpfrec"

# The baseline: the same command, nothing stopped, nothing lost.
"$RECORD" -e syscalls -o "$tmp/ok.bpfrec" -- "$storm" getppid $calls >/dev/null 2>&1
check "baseline: nothing lost" 0 "$(sql "$tmp/ok.bpfrec" "SELECT value FROM meta WHERE key = 'drops_total'")"
others=$(sql "$tmp/ok.bpfrec" "SELECT count(*) FROM syscalls_named WHERE name != 'getppid'")

# The recorder is its launched command's parent: stop it, resume it later.
"$RECORD" -e syscalls --buffer-size 1 -o "$trace" -- /bin/sh -c \
	'(sleep 3; kill -CONT $PPID) & kill -STOP $PPID; exec "$0" getppid '$calls "$storm" \
	>/dev/null 2>"$tmp/rec.err"
check "record exits 0" 0 $?
lost=$(sql "$trace" "SELECT value FROM meta WHERE key = 'drops_total'")
rows=$(sql "$trace" "SELECT count(*) FROM syscalls_named WHERE name = 'getppid'")
check "records were lost" yes "$([ "${lost:-0}" -gt 0 ] && echo yes || echo "no: $lost")"
check "lost records are in the drops table" "$lost" "$(sql "$trace" "SELECT sum(count) FROM drops")"
check "recorded + lost covers every call" yes \
	"$([ $((rows + lost)) -ge $calls ] && [ $((rows + lost)) -le $((calls + others + 20)) ] && echo yes ||
		echo "no: $rows recorded + $lost lost vs $calls calls (+$others others)")"
check_match "stop summary warns" "^record: WARNING: $lost events lost" "$(cat "$tmp/rec.err")"
"$ANALYZE" report top-syscalls "$trace" >/dev/null 2>"$tmp/report.err"
check_match "reports warn with the count" "^analyze: warning: .*$lost" "$(cat "$tmp/report.err")"

finish
