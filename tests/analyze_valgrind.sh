#!/bin/sh
# Every analyze command under valgrind on a real trace of the known-quantities
# workload: import, info, reports, help, every canned report in every format,
# sql in every format. Any valgrind error (invalid access, uninitialised
# value, leak) exits 99 and fails the check. Run by scripts/test-sanitize.sh
# (meson test --suite valgrind); not part of the default suite.
set -u
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-vg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed"; exit 1; }
skip_unless_bpf

trace="$tmp/w.bpfrec"
mkdir "$tmp/sub" # for the workload's relative "sub/../rel.txt"
head -c 500 /dev/zero >"$tmp/inherited.txt" # the workload reads it on fd 7
"$RECORD" -o "$trace" -- "$WORKLOAD" "$tmp" 7<"$tmp/inherited.txt" 2>/dev/null
check "record exits with the workload's status, 0" 0 $?

# vg NAME STATUS ARGS...: analyze ARGS under valgrind exits STATUS with no
# valgrind error
vg() {
	name=$1 status=$2
	shift 2
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--log-file="$tmp/vg.log" "$ANALYZE" "$@" >"$tmp/vg.out" 2>"$tmp/vg.err"
	rc=$?
	check "$name: exit status under valgrind" "$status" $rc
	if [ -s "$tmp/vg.log" ]; then
		failures=$((failures + 1))
		echo "FAIL $name: valgrind reports:"
		sed 's/^/     | /' "$tmp/vg.log" | head -40
	fi
	[ $rc = "$status" ] || sed 's/^/     | /' "$tmp/vg.err" | head -5
}

vg "import" 0 import "$trace"
vg "import -o" 0 import "$trace" -o "$tmp/other.db"
vg "info" 0 info "$trace"
vg "reports" 0 reports
vg "help" 0 help
# the reports over tracepoints on a trace that has them
cp "$(dirname "$0")/data/bio-sched.bpfrec" "$tmp/tp.bpfrec"
for r in $("$ANALYZE" reports | cut -d' ' -f1); do
	t=$trace
	grep -q '^-- @needs ' "$(dirname "$0")/../queries/$r.sql" && t=$tmp/tp.bpfrec
	for f in table csv json; do
		vg "report $r --format $f" 0 report "$r" "$t" --format "$f"
	done
done
vg "report over tracepoints the trace lacks" 1 report runqlat "$trace"
vg "report --pid --comm" 0 report top-syscalls "$trace" --pid 1 --comm workload
for f in table csv json; do
	vg "sql --format $f" 0 sql "$trace" \
		"SELECT name, count(*), sum(ret), NULL, x'00ff' FROM syscalls_named GROUP BY name" \
		--format "$f"
done
vg "sql on the database" 0 sql "$trace.db" "SELECT count(*) FROM fds"
vg "sql with an error" 1 sql "$trace" "SELECT nosuchcolumn FROM syscalls"
vg "sql refused (writes)" 1 sql "$trace" "VACUUM INTO '$tmp/copy.db'"

# The fuzzer's seeds, the hostile ones too: imported or refused as without
# valgrind, and their fds in a table (escaped strings)
for f in "$(dirname "$0")"/fuzz/corpus/*.bpfrec; do
	seed=$(basename "$f")
	cp "$f" "$tmp/$seed"
	"$ANALYZE" import "$tmp/$seed" -o "$tmp/ref.db" >/dev/null 2>&1
	vg "import $seed" $? import "$tmp/$seed" -o "$tmp/seed.db"
	[ -f "$tmp/seed.db" ] && vg "fds of $seed" 0 sql "$tmp/seed.db" "SELECT * FROM fds"
	rm -f "$tmp/ref.db" "$tmp/seed.db"
done

finish
