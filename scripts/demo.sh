#!/bin/sh
# Quick-start demo: install, build, record a small real workload, print reports.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh >/dev/null
out=${DEMO_DIR:-/tmp/bpfrec-demo}
mkdir -p "$out"
trace="$out/demo.bpfrec"
echo "== record -o $trace -- sh -c '...'"
build/record/record -o "$trace" -- sh -c \
	'ls / >/dev/null; cat /etc/os-release >/dev/null; sh -c "exit 3"; for i in 1 2 3; do date >/dev/null; done
	 bash -c "exec 3<>/dev/tcp/127.0.0.1/9" 2>/dev/null || true'
build/analyze/analyze info "$trace"
for r in top-syscalls execsnoop exitsnoop opensnoop tcpconnect files leaks leaks-at-exit; do
	echo
	echo "== analyze report $r $trace"
	build/analyze/analyze report "$r" "$trace" | head -25
done
echo
echo "== analyze report syscall-latency $trace --comm date"
build/analyze/analyze report syscall-latency "$trace" --comm date | head -30
echo
echo "SQL: sqlite3 $trace.db 'SELECT * FROM processes'"
