#!/bin/sh
# The reports over tracepoints on a committed real trace
# (tests/data/bio-sched.bpfrec: on this project's machine, record pinned to
# CPU 0, `record -e 'block:block_rq_issue@all,block:block_rq_complete@all,
# sched:sched_wakeup@all,sched:sched_wakeup_new@all,sched:sched_switch@all'
# -- taskset -c 1 sh -c "./bioload /dev/loop0 4 2 && echo x | ./sleepload 3
# 1000"`: 4 reads and 2 writes of 4096 bytes on loop0 (7:0), then 3
# sleeps), every output against its golden file
# (tests/data/bio-sched.REPORT.txt; UPDATE_GOLDEN=1 rewrites them). On a
# trace without those tracepoints each fails with one line saying what to
# record. No root or BPF needed.
set -u
ANALYZE=$2
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/bpfrec-tpr.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"

cp "$src/tests/data/bio-sched.bpfrec" "$src/tests/data/record-c-true.bpfrec" "$tmp/"
cd "$tmp" || exit 1

# golden NAME ARGS...: the output of analyze report ARGS is NAME's golden file
golden() {
	name=$1
	shift
	"$ANALYZE" report "$@" >"$tmp/out" 2>"$tmp/err"
	check "$name: exit 0, nothing on stderr" "0," "$?,$(grep -v '^analyze: importing' "$tmp/err")"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$tmp/out" "$src/tests/data/bio-sched.$name.txt"
		echo "updated tests/data/bio-sched.$name.txt"
	else
		check "$name: the golden output" "$(cat "$src/tests/data/bio-sched.$name.txt")" \
			"$(cat "$tmp/out")"
	fi
}

golden biosnoop biosnoop bio-sched.bpfrec
golden biolatency biolatency bio-sched.bpfrec
golden runqlat runqlat bio-sched.bpfrec
golden runqlat-sleepload runqlat bio-sched.bpfrec --comm sleepload
check "biosnoop: 4 reads, 2 writes of 4096 bytes on 7:0, all completed" "RS 4 WS 2" \
	"$("$ANALYZE" report biosnoop bio-sched.bpfrec --format csv |
		awk -F, '$4 == "7:0" && $7 == 4096 && $8 != "" { n[$5]++ } END { print "RS", n["RS"], "WS", n["WS"] }')"
check "runqlat: 3 samples of sleepload, one per sleep" 3 \
	"$("$ANALYZE" report runqlat bio-sched.bpfrec --comm sleepload --format csv |
		awk -F, 'NR > 1 { n += $4 } END { print n }')"

# on a trace without them: one line, exit 1
for r in biosnoop biolatency runqlat; do
	case $r in
	runqlat) tp=sched:sched_wakeup
		spec=sched:sched_wakeup@all,sched:sched_wakeup_new@all,sched:sched_switch@all ;;
	*) tp=block:block_rq_issue spec=block:block_rq_issue@all,block:block_rq_complete@all ;;
	esac
	err=$("$ANALYZE" report $r record-c-true.bpfrec 2>&1 >/dev/null)
	check "$r without its tracepoints: what to record, exit 1" \
		"analyze: record-c-true.bpfrec: report $r: $tp was not recorded: record with -e $spec,1" \
		"$(printf '%s' "$err" | grep -v '^analyze: importing'),$?"
done

finish
