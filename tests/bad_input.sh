#!/bin/sh
# Bad input gets a clear one-line error and a non-zero exit, never a crash,
# and never loses data already recorded: bad flags, missing privileges,
# unwritable output, disk full, truncated/corrupt/hostile trace files, and a
# recorder killed with SIGKILL.
set -u
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-bad.XXXXXX)
trap 'umount "$tmp/small" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"

# expect_error NAME PATTERN CMD...: non-zero exit, not by a signal, and
# the first stderr line matches PATTERN.
expect_error() {
	name=$1 pat=$2
	shift 2
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	check "$name: exit status is an error, not a crash" "error" \
		"$([ $rc -ne 0 ] && [ $rc -lt 128 ] && echo error || echo "rc=$rc")"
	check_match "$name: message" "$pat" "$(head -n 1 "$tmp/err")"
}

# --- record: flags and environment (no BPF needed) ---
expect_error "record unknown flag" "^record: (unrecognized|invalid) option" "$RECORD" --bogus
expect_error "record unknown group" "^record: unknown group" "$RECORD" -e nosuch -a
expect_error "record no target" "^record: nothing to record" "$RECORD"
expect_error "record bad duration" "^record: invalid duration" "$RECORD" -a --duration -3
expect_error "record -a with -p" "^record: -a and -p" "$RECORD" -a -p 1
if have setpriv util-linux; then
	expect_error "record unprivileged" "^record: .*(root|CAP_BPF|not permitted)" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$RECORD" -a --duration 0.1 -o "$tmp/np.bpfrec"
fi

# --- analyze: flags and hostile files ---
expect_error "analyze unknown command" "^analyze: " "$ANALYZE" frobnicate
expect_error "analyze missing file" "^analyze: .*(No such file|cannot open)" "$ANALYZE" info "$tmp/none.bpfrec"
: >"$tmp/empty.bpfrec"
expect_error "analyze empty file" "^analyze: " "$ANALYZE" info "$tmp/empty.bpfrec"
echo "hello, I am not a trace" >"$tmp/text.bpfrec"
expect_error "analyze text file" "^analyze: " "$ANALYZE" import "$tmp/text.bpfrec"
head -c 100000 /dev/urandom >"$tmp/random.bpfrec"
expect_error "analyze random bytes" "^analyze: " "$ANALYZE" import "$tmp/random.bpfrec"
expect_error "analyze directory" "^analyze: " "$ANALYZE" info "$tmp"
expect_error "analyze unknown report" "^analyze: .*report" "$ANALYZE" report no-such-report "$tmp/text.bpfrec"

skip_unless_bpf

# --- a real trace, then damaged copies of it ---
"$RECORD" -o "$tmp/good.bpfrec" -z 0 -- "$WORKLOAD" --child 0 2>/dev/null
good_rows=$(sql "$tmp/good.bpfrec" "SELECT count(*) FROM syscalls")
check "good trace has syscalls" "yes" "$([ "${good_rows:-0}" -gt 0 ] && echo yes || echo "no: $good_rows")"
size=$(stat -c %s "$tmp/good.bpfrec")
crashes=0
for cut in 1 23 24 25 47 100 1000 4096 $((size / 2)) $((size - 1)); do
	[ "$cut" -lt "$size" ] || continue
	head -c "$cut" "$tmp/good.bpfrec" >"$tmp/cut.bpfrec"
	"$ANALYZE" import "$tmp/cut.bpfrec" -o "$tmp/cut.db" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -ge 128 ] && { crashes=$((crashes + 1)); echo "crash at cut $cut: rc=$rc"; }
	[ -s "$tmp/err" ] || { crashes=$((crashes + 1)); echo "cut $cut: no message"; }
	rm -f "$tmp/cut.db"
done
check "truncated traces: message, no crash" 0 "$crashes"

# flip one byte in the middle: CRC catches it, earlier blocks survive
cp "$tmp/good.bpfrec" "$tmp/flip.bpfrec"
printf '\377' | dd of="$tmp/flip.bpfrec" bs=1 seek=$((size * 3 / 4)) conv=notrunc 2>/dev/null
"$ANALYZE" import "$tmp/flip.bpfrec" -o "$tmp/flip.db" >/dev/null 2>"$tmp/err"
rc=$?
check "flipped byte: no crash" "ok" "$([ $rc -lt 128 ] && echo ok || echo "rc=$rc")"
check_match "flipped byte: warning names the damage" "^analyze: .*(crc|CRC|corrupt|damaged|bad)" "$(cat "$tmp/err")"

# hostile: a valid header followed by a block claiming 4 GiB
{ head -c 24 "$tmp/good.bpfrec"; printf 'FBLK\002\000\000\000\377\377\377\377\377\377\377\377\001\000\000\000\000\000\000\000'; } >"$tmp/huge.bpfrec"
expect_error "hostile block size" "^analyze: " "$ANALYZE" import "$tmp/huge.bpfrec" -o "$tmp/huge.db"

# --- output problems ---
expect_error "record unwritable output" "^record: cannot create" "$RECORD" -o /nonexistent/dir/x.bpfrec -- true
mkdir -p "$tmp/small"
mount -t tmpfs -o size=256k tmpfs "$tmp/small" 2>"$tmp/err"
check "disk full: a 256k tmpfs mounts" "0" "$?$(head -n 1 "$tmp/err")"
if mountpoint -q "$tmp/small"; then
	"$RECORD" -z 0 -o "$tmp/small/full.bpfrec" -a --duration 5 >/dev/null 2>"$tmp/err" &
	rpid=$!
	# enough syscalls to overflow 256k within the duration
	"$WORKLOAD" --child 0 >/dev/null; dd if=/dev/zero of=/dev/null bs=1 count=200000 2>/dev/null
	wait $rpid
	rc=$?
	check "disk full: record exits non-zero" "yes" "$([ $rc -ne 0 ] && [ $rc -lt 128 ] && echo yes || echo "rc=$rc")"
	check_match "disk full: message" "^record: writing .*No space left on device" "$(cat "$tmp/err")"
	"$ANALYZE" info "$tmp/small/full.bpfrec" >"$tmp/info" 2>"$tmp/err"
	check "disk full: blocks written before are readable" 0 $?
	umount "$tmp/small"
fi

# --- a recorder killed with SIGKILL keeps what it wrote ---
"$RECORD" -o "$tmp/killed.bpfrec" -a >/dev/null 2>&1 &
rpid=$!
sleep 2
for i in 1 2 3; do "$WORKLOAD" --child 0; done
sleep 1.5 # > the writer's 1 s flush interval
kill -9 $rpid
wait $rpid 2>/dev/null
"$ANALYZE" import "$tmp/killed.bpfrec" -o "$tmp/killed.db" >/dev/null 2>"$tmp/err"
check "killed recorder: import succeeds" 0 $?
check_match "killed recorder: warns of the missing stop record" "^analyze: .*(stop|STOP)" "$(cat "$tmp/err")"
# (this shell's children only: other workloads may run on the machine)
n=$(sql "$tmp/killed.db" "SELECT count(*) FROM process_events e JOIN processes p ON p.id = e.proc_id
	WHERE e.type = 'exec' AND e.filename LIKE '%workload' AND p.ppid = $$")
check "killed recorder: events before the kill are kept" 3 "$n"

finish
