#!/bin/sh
# The whole suite under ASan+UBSan (clang, build-asan/, with leak detection),
# the fuzzer for FUZZ_SECONDS (default 60) in the same build, and valgrind over
# every analyze command (build/). A sanitizer report anywhere fails the run,
# even where a test does not look at an exit status. The last line is
# "N passed, N failed, N skipped".
set -eu
cd "$(dirname "$0")/.."
# clang needs its runtime for ASan/UBSan and libFuzzer: only recommended
scripts/deps.sh valgrind libclang-rt-dev
scripts/build.sh >/dev/null
[ -f build-asan/build.ninja ] ||
	CC=clang meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
		-Dfuzz=true >/dev/null
ninja -C build-asan >/dev/null

logs=$PWD/build-asan/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:log_path=$logs/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
rc=0
meson test -C build-asan --print-errorlogs --num-processes 1 --setup sanitize || rc=$?
unset ASAN_OPTIONS UBSAN_OPTIONS
meson test -C build --print-errorlogs --suite valgrind || rc=$?

# each report file counts as one more failed test
nreports=$(find "$logs" -type f | wc -l)
if [ "$nreports" != 0 ]; then
	echo "sanitizer reports:"
	find "$logs" -type f -exec cat {} +
	rc=1
fi
scripts/test-summary.py --failed "$nreports" build-asan/meson-logs/testlog-sanitize.json \
	build/meson-logs/testlog.json || rc=1
exit $rc
