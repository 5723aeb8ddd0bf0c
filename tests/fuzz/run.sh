#!/bin/sh
# Run the libFuzzer target FUZZER for FUZZ_SECONDS (default 60) over the
# committed seeds in tests/fuzz/corpus/ and tests/data/; new inputs go to a temporary
# directory, a crashing input is printed (hex) before the temporary files go.
set -u
FUZZER=$1
seeds="$(dirname "$0")/corpus"
tmp=$(mktemp -d /tmp/bpfrec-fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$FUZZER" -max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$tmp/" "$tmp" "$seeds" "$(dirname "$0")/../data" 2>"$tmp/log"
rc=$?
grep -E '^(#[0-9]+ +(INITED|DONE)|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' "$tmp/log"
if [ $rc != 0 ]; then
	tail -60 "$tmp/log"
	for f in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* "$tmp"/oom-*; do
		[ -e "$f" ] && echo "input $(basename "$f"):" && od -A d -t x1 "$f" | head -64
	done
fi
exit $rc
