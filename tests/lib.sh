# Shared helpers for the shell tests. Source it; set RECORD and ANALYZE first.
# shellcheck shell=sh

checks=0
failures=0

# check NAME EXPECTED ACTUAL
check() {
	checks=$((checks + 1))
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		failures=$((failures + 1))
		echo "FAIL $1"
		echo "     expected: $2"
		echo "     actual:   $3"
	fi
}

# check_match NAME REGEX TEXT: TEXT has a line matching the extended REGEX
check_match() {
	checks=$((checks + 1))
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		echo "ok   $1"
	else
		failures=$((failures + 1))
		echo "FAIL $1: no line matches /$2/ in:"
		printf '%s\n' "$3" | sed 's/^/     | /' | head -20
	fi
}

# finish: exit status of the test
finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" = 0 ] && [ "$checks" -gt 0 ]
}

# skip REASON: exit 77 (skipped). Not when checks already failed, which a
# skip would hide, nor under CI (CI=true), where what was not tested is a
# failure.
skip() {
	if [ "${CI:-}" = true ] || [ "$failures" != 0 ]; then
		echo "FAIL (cannot skip: CI=${CI:-}, $failures checks failed): $1"
		exit 1
	fi
	echo "SKIP: $1"
	exit 77
}

# skip_unless_bpf: skip with the reason when BPF truly cannot run here.
skip_unless_bpf() {
	[ "$(id -u)" = 0 ] || skip "needs root to load BPF programs"
	probe_out=$("$RECORD" ${RECORD_FLAGS:-} -e process -a --duration 0.05 \
		-o "$tmp/probe.bpfrec" 2>&1) && return 0
	case "$probe_out" in
	*"Operation not permitted"* | *"Function not implemented"*)
		skip "BPF unavailable here: $probe_out" ;;
	esac
	echo "FAIL: record cannot run: $probe_out"
	exit 1
}

# have CMD PACKAGE: CMD is installed; a failed check (not a silent skip of
# what needs it) when it is not
have() {
	check "$1 is installed (package $2, scripts/deps.sh)" yes \
		"$(command -v "$1" >/dev/null && echo yes || echo no)"
	command -v "$1" >/dev/null
}

# sql DB QUERY: the rows of QUERY as CSV without the header line
sql() {
	"$ANALYZE" sql "$1" "$2" --format csv | tail -n +2
}

# wait_until TIMEOUT WHAT CMD...: poll CMD every 0.05 s until it succeeds.
# The condition decides, never the clock: TIMEOUT (s) is a generous bound
# after which the test fails at once, saying WHAT it waited for.
wait_until() {
	wu_secs=$1 wu_what=$2
	wu_end=$(($(date +%s) + wu_secs))
	shift 2
	until "$@"; do
		if [ "$(date +%s)" -ge "$wu_end" ]; then
			failures=$((failures + 1))
			echo "FAIL timeout after $wu_secs s: $wu_what"
			finish
			exit 1
		fi
		sleep 0.05
	done
}

# wait_for_line FILE REGEX [TIMEOUT]: until FILE has a line matching REGEX
wait_for_line() {
	wait_until "${3:-30}" "a line /$2/ in $1" has_line "$1" "$2"
}

has_line() {
	grep -Eq -- "$2" "$1" 2>/dev/null
}

# wait_for_size FILE BYTES [TIMEOUT]: until FILE holds at least BYTES
wait_for_size() {
	wait_until "${3:-30}" "$1 to hold $2 bytes" has_size "$1" "$2"
}

has_size() {
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ]
}

# wait_for_state PID STATES [TIMEOUT]: until the process's state letter
# (R, S, T for stopped, ...) is one of STATES
wait_for_state() {
	wait_until "${3:-30}" "process $1 in state [$2]" in_state "$1" "$2"
}

in_state() {
	# /proc/PID/stat: "pid (comm) S ...", comm may hold spaces
	case "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null)" in
	["$2"]*) return 0 ;;
	esac
	return 1
}
